"""Optional two-step verification (allauth.mfa, TOTP + recovery codes), with real codes."""

import base64
import hashlib
import hmac
import struct
import time

from urllib.parse import unquote

import pytest
from django.utils.html import escape

from tests.factories import JurorFactory

PASSWORD = "correct horse battery"
WRONG_CODE_FI = "Koodi on väärä tai se on jo käytetty"


def totp(secret: str, *, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 6 digits, 30 s), computed here independently of allauth."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def wrong_code(secret: str) -> str:
    valid = {totp(secret, at=time.time() + shift) for shift in (-30, 0, 30)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 999999, 111111)) if code not in valid)


def log_in(client, email):
    return client.post("/fi/accounts/login/", {"login": email, "password": PASSWORD})


def confirm_password(client):
    """allauth asks for the password again before two-step verification settings change."""
    response = client.post("/fi/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def is_logged_in(client) -> bool:
    return client.get("/fi/my/data/").status_code == 200


def activate_totp(client, email) -> tuple[str, list[str]]:
    """Logs in, turns two-step verification on; returns the secret and the recovery codes."""
    assert log_in(client, email).status_code == 302
    assert client.get("/fi/accounts/2fa/totp/activate/")["Location"].startswith("/fi/accounts/reauthenticate/")
    confirm_password(client)
    page = client.get("/fi/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/fi/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/2fa/recovery-codes/"
    codes_page = client.get(response["Location"])
    codes = list(codes_page.context["unused_codes"])
    assert len(codes) == 10
    for code in codes:
        assert code in codes_page.content.decode()
    client.post("/fi/accounts/logout/")
    return secret, codes


@pytest.fixture
def juror(db):
    return JurorFactory(user__email="tuomari@kunta.fi").user


def test_account_pages_link_to_two_step_verification_in_finnish(client, juror):
    client.force_login(juror)
    html = client.get("/fi/accounts/email/").content.decode()
    assert '<a href="/fi/accounts/2fa/">Kaksivaiheinen tunnistautuminen</a>' in html
    page = client.get("/fi/accounts/2fa/").content.decode()
    assert "<h1>Kaksivaiheinen tunnistautuminen</h1>" in page
    assert "Suosittelemme sitä KT:n henkilöstölle ja tuomareille" in page


def test_activation_page_shows_a_qr_code_the_csp_allows(client, juror):
    log_in(client, juror.email)
    confirm_password(client)
    response = client.get("/sv/accounts/2fa/totp/activate/")
    assert response.status_code == 200, response.get("Location")
    html = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert response.context["form"].secret in html
    assert "Aktivera tvåstegsverifiering" in html
    policy = {
        part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";") if part.strip()
    }
    assert "data:" in policy["img-src"]
    assert "data:" not in policy.get("script-src", []) and "data:" not in policy["default-src"]


def test_a_wrong_code_does_not_turn_it_on(client, juror):
    log_in(client, juror.email)
    confirm_password(client)
    secret = client.get("/fi/accounts/2fa/totp/activate/").context["form"].secret
    response = client.post("/fi/accounts/2fa/totp/activate/", {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert WRONG_CODE_FI in response.content.decode()
    assert not juror.authenticator_set.exists()


def test_login_asks_for_the_code_refuses_a_wrong_one_and_accepts_the_right_one(client, juror):
    secret, _codes = activate_totp(client, juror.email)

    response = log_in(client, juror.email)
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/2fa/authenticate/"
    assert not is_logged_in(client)

    page = client.get("/fi/accounts/2fa/authenticate/")
    assert "Tilisi on suojattu kaksivaiheisella tunnistautumisella" in page.content.decode()

    refused = client.post("/fi/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    assert refused.status_code == 200
    assert WRONG_CODE_FI in refused.content.decode()
    assert not is_logged_in(client)

    accepted = client.post("/fi/accounts/2fa/authenticate/", {"code": totp(secret)})
    assert accepted.status_code == 302
    assert is_logged_in(client)


def test_a_code_is_accepted_only_once(client, juror):
    secret, _codes = activate_totp(client, juror.email)
    code = totp(secret)
    log_in(client, juror.email)
    assert client.post("/fi/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.post("/fi/accounts/logout/")
    log_in(client, juror.email)
    replay = client.post("/fi/accounts/2fa/authenticate/", {"code": code})
    assert replay.status_code == 200
    assert WRONG_CODE_FI in replay.content.decode()
    assert not is_logged_in(client)


def test_a_recovery_code_works_once(client, juror):
    _secret, codes = activate_totp(client, juror.email)

    log_in(client, juror.email)
    assert client.post("/fi/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert is_logged_in(client)
    client.post("/fi/accounts/logout/")

    log_in(client, juror.email)
    again = client.post("/fi/accounts/2fa/authenticate/", {"code": codes[0]})
    assert again.status_code == 200
    assert WRONG_CODE_FI in again.content.decode()
    assert not is_logged_in(client)
    assert client.post("/fi/accounts/2fa/authenticate/", {"code": codes[1]}).status_code == 302
    assert is_logged_in(client)


def test_admin_login_goes_through_the_portal_login_and_its_two_step_verification(client, staff):
    response = client.get("/admin/")
    assert response.status_code == 302
    login_page = client.get(response["Location"])
    assert login_page.status_code == 302
    assert unquote(login_page["Location"]) == "/fi/accounts/login/?next=/admin/"

    secret, _codes = activate_totp(client, staff.email)
    response = client.post("/fi/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD, "next": "/admin/"})
    assert response["Location"] == "/fi/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302
    response = client.post("/fi/accounts/2fa/authenticate/", {"code": totp(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_logged_in_non_staff_user_cannot_use_the_admin_login(client, user):
    client.force_login(user)
    assert client.get("/admin/login/").status_code == 403


def test_turning_it_off_lets_the_password_alone_log_in(client, juror):
    secret, _codes = activate_totp(client, juror.email)
    log_in(client, juror.email)
    client.post("/fi/accounts/2fa/authenticate/", {"code": totp(secret)})
    confirm_password(client)
    page = client.get("/fi/accounts/2fa/totp/deactivate/")
    assert "Poista kaksivaiheinen tunnistautuminen käytöstä" in page.content.decode()
    assert client.post("/fi/accounts/2fa/totp/deactivate/").status_code == 302
    assert not juror.authenticator_set.exists()
    client.post("/fi/accounts/logout/")
    assert log_in(client, juror.email)["Location"] != "/fi/accounts/2fa/authenticate/"
    assert is_logged_in(client)


def test_staff_can_remove_a_users_authenticator_in_the_admin_but_never_see_its_secret(client, juror, staff):
    secret, codes = activate_totp(client, juror.email)
    authenticator = juror.authenticator_set.get(type="totp")
    client.force_login(staff)
    listing = client.get("/admin/mfa/authenticator/")
    assert escape(str(juror)) in listing.content.decode()
    page = client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/")
    assert page.status_code == 200
    assert secret not in page.content.decode()
    assert codes[0] not in page.content.decode()
    assert client.get("/admin/mfa/authenticator/add/").status_code == 403
    response = client.post(f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not juror.authenticator_set.filter(type="totp").exists()
