"""Sign-in throttles behind the proxy: guessing is slowed per address and per account, and
nobody else can keep an owner out (issue #19, point 2).

Requests come from 127.0.0.1, which plays the proxy; `x-forwarded-for` is what the proxy
passes on: whatever the client sent, then the address the proxy saw (nginx's
`$proxy_add_x_forwarded_for`). Mail is Django's in-memory outbox (tests/settings.py).
"""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory

from orgs.login_throttle import client_address
from tests.factories import UserFactory
from tests.orgs.test_two_step_verification import activate_totp
from tests.test_deploy_settings import BASE_DIR, PRODUCTION, run_manage

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests/factories.py
ATTACKER = "198.51.100.7"
OWNER_ADDRESS = "203.0.113.20"
THROTTLED = {
    "fi": ("Liian monta virheellistä kirjautumisyritystä", "Kirjaudu sisään koodilla"),
    "sv": ("För många misslyckade inloggningsförsök", "Logga in med en kod i stället"),
}


@pytest.fixture
def behind_proxy(settings):
    """One trusted proxy in front (docker-compose.yml: TRUSTED_PROXY_COUNT=1)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def sign_in(client, email, password, *, forwarded=None, language="fi"):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return client.post(f"/{language}/accounts/login/", {"login": email, "password": password}, headers=headers)


def request_code(client, email, *, forwarded=None, language="fi"):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return client.post(f"/{language}/accounts/login/code/", {"email": email}, headers=headers)


def is_throttled(response, language="fi") -> bool:
    return THROTTLED[language][0] in response.content.decode()


def codes_throttled(response) -> bool:
    html = response.content.decode()
    return "liian monta kirjautumiskoodia" in html and 'href="/fi/accounts/password/reset/"' in html


def mailed_code(email) -> str:
    message = [m for m in mail.outbox if m.to == [email]][-1]
    return re.search(r"^\s*([A-Z]{4}-[A-Z]{4})\s*$", message.body, re.MULTILINE).group(1)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def guess_many_accounts(client, count, *, forwarded):
    """`count` wrong passwords, each for another account: the last response."""
    for attempt in range(count):
        response = sign_in(client, f"guess{attempt}-{forwarded}@example.fi", "wrong-password", forwarded=forwarded)
    return response


# --- The client address --------------------------------------------------------------------

def test_the_address_is_the_hop_the_trusted_proxy_added(behind_proxy):
    request = RequestFactory().get("/", headers={"x-forwarded-for": f"10.0.0.1, {ATTACKER}"})
    assert client_address(request) == ATTACKER


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    request = RequestFactory().get("/", headers={"x-forwarded-for": ATTACKER}, REMOTE_ADDR="192.0.2.1")
    assert client_address(request) == "192.0.2.1"


@pytest.mark.caches
def test_behind_the_proxy_one_visitors_failed_logins_do_not_lock_out_others(behind_proxy, client, user):
    assert is_throttled(guess_many_accounts(client, 21, forwarded=ATTACKER))
    response = sign_in(client, user.email, PASSWORD, forwarded=OWNER_ADDRESS)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


@pytest.mark.caches
def test_a_spoofed_forwarded_for_does_not_escape_the_limit(behind_proxy, client):
    for attempt in range(21):
        # The client sends a new address of its own each time; the proxy appends the real one.
        response = sign_in(client, f"guess{attempt}@example.fi", "wrong-password",
                           forwarded=f"10.9.{attempt}.1, {ATTACKER}")
    assert is_throttled(response)


@pytest.mark.caches
def test_without_a_trusted_proxy_a_forwarded_for_changes_nothing(client):
    for attempt in range(21):
        response = sign_in(client, f"guess{attempt}@example.fi", "wrong-password", forwarded=f"10.9.{attempt}.1")
    assert is_throttled(response)


def test_the_settings_read_the_trusted_proxy_from_the_environment():
    shown = run_manage("shell", "-c", "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
                       env_overrides={**PRODUCTION, "BEHIND_PROXY": "true", "TRUSTED_PROXY_COUNT": "1"})
    assert shown.stdout.strip().splitlines()[-1] == "1", shown.stderr
    refused = run_manage("check", env_overrides={**PRODUCTION, "BEHIND_PROXY": "true", "TRUSTED_PROXY_COUNT": "0"})
    assert refused.returncode != 0
    assert "set TRUSTED_PROXY_COUNT" in refused.stderr


def test_compose_trusts_the_one_proxy_that_appends_the_client_address():
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    web = compose.split("\n  web:\n", 1)[1].split("\n  proxy:\n", 1)[0]
    assert "TRUSTED_PROXY_COUNT: ${TRUSTED_PROXY_COUNT:-1}" in web
    nginx = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    assert re.search(r"^\s*proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;", nginx, re.MULTILINE)


# --- Guessing passwords ----------------------------------------------------------------------

@pytest.mark.caches
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_one_address_guessing_accounts_is_told_clearly(behind_proxy, client, language):
    for attempt in range(21):
        response = sign_in(client, f"guess{attempt}@example.fi", "wrong-password", forwarded=ATTACKER,
                           language=language)
    html = response.content.decode()
    message, offer = THROTTLED[language]
    assert message in html and offer in html
    assert f'href="/{language}/accounts/login/code/"' in html  # a plain link: works without JavaScript


@pytest.mark.caches
def test_one_address_guessing_accounts_waits_longer_the_longer_it_goes_on(behind_proxy, client):
    start = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        assert is_throttled(guess_many_accounts(client, 21, forwarded=ATTACKER))
    for minute in (1, 2):  # after a minute it may go on, 20 more each minute …
        with time_machine.travel(start + datetime.timedelta(minutes=minute, seconds=1), tick=False):
            response = sign_in(client, f"later{minute}@example.fi", "wrong-password", forwarded=ATTACKER)
            assert not is_throttled(response)
            guess_many_accounts(client, 19, forwarded=f"{ATTACKER}")
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):  # … up to 60 an hour
        assert is_throttled(sign_in(client, "later@example.fi", "wrong-password", forwarded=ATTACKER))


@pytest.mark.caches
def test_many_addresses_guessing_one_account_cannot_keep_the_owner_out(behind_proxy, client):
    owner = UserFactory(email="omistaja@liminka.fi")
    attacker = client.__class__()
    for attempt in range(8):
        sign_in(attacker, owner.email, f"guess-{attempt}", forwarded=f"198.51.100.{attempt + 1}")

    # The owner's right password is refused for now, and the page says why and what to do instead.
    page = sign_in(client, owner.email, PASSWORD, forwarded=OWNER_ADDRESS)
    assert is_throttled(page)
    assert signed_in_user_id(client) is None
    html = page.content.decode()
    assert "Kirjaudu sisään koodilla" in html
    assert f'<input type="hidden" name="email" value="{owner.email}">' in html
    assert f"Lähetä kirjautumiskoodi osoitteeseen {owner.email}" in html

    # One click mails a code to the owner; entering it signs them in.
    sent = request_code(client, owner.email, forwarded=OWNER_ADDRESS)
    assert sent.status_code == 302 and sent["Location"].startswith("/fi/accounts/login/code/confirm/")
    confirmed = client.post(sent["Location"], {"code": mailed_code(owner.email), "action": "verify"},
                            headers={"x-forwarded-for": OWNER_ADDRESS})
    assert confirmed.status_code == 302
    assert signed_in_user_id(client) == str(owner.pk)


def test_a_code_sign_in_still_asks_for_the_second_step(behind_proxy, client):
    owner = UserFactory(email="tuomari@kt.fi")
    activate_totp(client, owner.email)
    client.logout()
    sent = request_code(client, owner.email)
    client.post(sent["Location"], {"code": mailed_code(owner.email), "action": "verify"})
    assert signed_in_user_id(client) is None
    assert client.get("/fi/accounts/2fa/authenticate/").status_code == 200


# --- Requests for sign-in codes --------------------------------------------------------------

@pytest.mark.caches
def test_one_address_asking_for_someones_codes_cannot_use_up_the_owners(behind_proxy, client):
    owner = UserFactory(email="omistaja@kempele.fi")
    for _attempt in range(3):
        assert request_code(client.__class__(), owner.email, forwarded=ATTACKER).status_code == 302
    refused = request_code(client.__class__(), owner.email, forwarded=ATTACKER)
    assert refused.status_code == 200 and codes_throttled(refused)
    assert len([m for m in mail.outbox if m.to == [owner.email]]) == 3

    assert request_code(client, owner.email, forwarded=OWNER_ADDRESS).status_code == 302
    assert len([m for m in mail.outbox if m.to == [owner.email]]) == 4


@pytest.mark.caches
def test_a_mailbox_gets_a_bounded_number_of_codes(behind_proxy, client):
    owner = UserFactory(email="kohde@oulu.fi")
    for address in range(12):
        for _attempt in range(3):
            request_code(client.__class__(), owner.email, forwarded=f"198.51.100.{address + 1}")
    assert len([m for m in mail.outbox if m.to == [owner.email]]) == 10  # ACCOUNT_RATE_LIMITS: 10 in 10 minutes


@pytest.mark.caches
def test_one_address_asking_for_many_peoples_codes_is_limited(behind_proxy, client):
    for person in range(10):
        assert request_code(client.__class__(), f"henkilo{person}@example.fi", forwarded=ATTACKER).status_code == 302
    refused = request_code(client.__class__(), "henkilo10@example.fi", forwarded=ATTACKER)
    assert codes_throttled(refused)
    assert len(mail.outbox) == 10


@pytest.mark.caches
def test_when_others_used_up_an_addresss_mails_the_owner_still_gets_in_by_a_reset_link(behind_proxy, client):
    owner = UserFactory(email="omistaja@raahe.fi")
    for address in range(6):
        sign_in(client.__class__(), owner.email, "wrong-password", forwarded=f"198.51.100.{address + 1}")
    assert is_throttled(sign_in(client, owner.email, PASSWORD, forwarded=OWNER_ADDRESS))
    for address in range(25):  # the reset mails a stranger triggers all go to the owner
        client.__class__().post("/fi/accounts/password/reset/", {"email": owner.email},
                                headers={"x-forwarded-for": f"198.51.100.{address + 1}"})
    resets = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(resets) == 5  # ACCOUNT_RATE_LIMITS["reset_password"]: 5 a minute per e-mail
    link = next(word for word in resets[-1].body.split() if "/accounts/password/reset/key/" in word)
    form_page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"password1": "uusi-salasana-2026",
                                                         "password2": "uusi-salasana-2026"})
    assert done.status_code == 302  # a new password lifts the pause on the account
    assert sign_in(client, owner.email, "uusi-salasana-2026", forwarded=OWNER_ADDRESS).status_code == 302
    assert signed_in_user_id(client) == str(owner.pk)


@pytest.mark.caches
def test_too_many_sign_ins_from_one_address_get_a_translated_page_with_the_code_link(behind_proxy, client):
    for _attempt in range(60):
        sign_in(client, "someone@example.fi", "wrong-password", forwarded=ATTACKER, language="sv")
    response = sign_in(client, "someone@example.fi", "wrong-password", forwarded=ATTACKER, language="sv")
    assert response.status_code == 429
    html = response.content.decode()
    assert "För många försök" in html
    assert 'href="/sv/accounts/login/code/"' in html


# --- In the browser ------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_throttled_owner_signs_in_with_a_code(_browser, live_server, settings):
    from django.core.cache import cache
    from playwright.sync_api import expect

    cache.clear()
    settings.SITE_URL = live_server.url
    owner = UserFactory(email="aino@liminka.fi")
    context = _browser.new_context(base_url=live_server.url, locale="fi-FI", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/fi/accounts/login/")
        for attempt in range(6):
            page.get_by_label("Sähköposti").fill(owner.email)
            page.get_by_label(re.compile(r"^Salasana:?$")).fill(f"vaara-{attempt}")
            page.get_by_role("button", name="Kirjaudu sisään").click()
        expect(page.get_by_role("heading", name="Kirjaudu sisään koodilla")).to_be_visible()
        page.get_by_role("button", name=f"Lähetä kirjautumiskoodi osoitteeseen {owner.email}").click()
        page.get_by_label("Koodi").fill(mailed_code(owner.email))
        page.get_by_role("button", name="Vahvista").click()
        expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()

        page.get_by_role("button", name="Kirjaudu ulos").click()
        page.goto("/fi/accounts/login/")
        page.get_by_role("link", name="Lähetä minulle kirjautumiskoodi").click()
        page.get_by_label("Sähköposti").fill(owner.email)
        page.get_by_role("button", name="Pyydä koodi").click()
        expect(page.get_by_label("Koodi")).to_be_visible()
    finally:
        context.close()
        cache.clear()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_code_pages_and_the_throttled_login_have_no_accessibility_violations(page, axe, language):
    owner = UserFactory(email="aino@liminka.fi")
    page.goto(f"/{language}/accounts/login/")
    for attempt in range(6):
        page.locator("#id_login").fill(owner.email)
        page.locator("#id_password").fill(f"wrong-{attempt}")
        page.locator("form.form button[type=submit]").click()
    assert THROTTLED[language][1] in page.content()
    assert axe(page) == []
    page.goto(f"/{language}/accounts/login/code/")
    assert axe(page) == []
    page.locator("#id_email").fill(owner.email)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
    assert axe(page) == []
    assert page.console_errors == []
