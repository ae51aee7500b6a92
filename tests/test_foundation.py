import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

FRONT_TITLES = {"fi": "Tekojen tori", "sv": "Framstegsarenan", "en": "Tekojen tori"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_front_page_in_each_language(client, language):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert f"<h1 id=\"hero-title\">{FRONT_TITLES[language]}</h1>" in html


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("sv-FI,sv;q=0.9", "/sv/"), ("en-GB,en;q=0.8", "/en/"), ("de-DE", "/fi/"), ("", "/fi/")],
)
def test_root_redirects_to_preferred_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_language_switcher_keeps_the_page(client):
    html = client.get("/fi/privacy/").content.decode()
    assert 'href="/sv/privacy/" hreflang="sv"' in html
    assert 'href="/en/privacy/" hreflang="en"' in html


@pytest.mark.parametrize(("language", "heading"), [("fi", "Saavutettavuusseloste"),
                                                    ("sv", "Tillgänglighetsutlåtande"),
                                                    ("en", "Accessibility statement")])
def test_accessibility_statement_is_real_text(client, language, heading):
    html = client.get(f"/{language}/accessibility/").content.decode()
    assert f"<h1>{heading}</h1>" in html


def test_signup_sends_confirmation_in_users_language_and_confirms(client, django_user_model):
    response = client.post("/sv/accounts/signup/", {
        "email": "Maja@Example.fi", "full_name": "Maja Nyberg",
        "password1": "lång-lösen-123", "password2": "lång-lösen-123",
    })
    assert response.status_code == 302
    user = django_user_model.objects.get(email="maja@example.fi")
    assert user.full_name == "Maja Nyberg"
    assert user.preferred_language == "sv"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Bekräfta" in message.subject or "bekräfta" in message.body.lower()
    link = next(word for word in message.body.split() if "/accounts/confirm-email/" in word)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.post("/" + path)
    assert confirm.status_code == 302
    assert user.emailaddress_set.get().verified


@pytest.mark.caches
def test_wrong_password_gets_clear_message_in_finnish(client, user):
    response = client.post("/fi/accounts/login/", {"login": user.email, "password": "väärä"})
    assert response.status_code == 200
    assert "virheellinen" in response.content.decode().lower() or "ei ole oikein" in response.content.decode()
    assert f'value="{user.email}"' in response.content.decode()


def test_expired_confirmation_link_is_not_an_error(client):
    response = client.get("/en/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "expired or is invalid" in response.content.decode()


def test_dates_shown_the_finnish_way():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    for language in ("fi", "sv"):
        with translation.override(language):
            rendered = Template("{{ d|date }}").render(Context({"d": datetime.date(2026, 11, 23)}))
        assert rendered == "23.11.2026"


def test_healthz(client):
    assert client.get(reverse("healthz")).content == b"ok"


@pytest.mark.caches
def test_failed_logins_are_rate_limited(client, user):
    for _attempt in range(5):
        client.post("/en/accounts/login/", {"login": user.email, "password": "wrong-password"})
    response = client.post("/en/accounts/login/", {"login": user.email, "password": "correct horse battery"})
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.caches
def test_password_reset_sends_a_working_link(client, user):
    response = client.post("/fi/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    link = next(word for word in message.body.split() if "/accounts/password/reset/key/" in word)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = client.post(set_url, {"password1": "uusi-salasana-2026", "password2": "uusi-salasana-2026"})
    assert done.status_code == 302
    assert client.login(username=user.email, password="uusi-salasana-2026")


def test_unknown_email_on_reset_is_not_an_error(client):
    response = client.post("/sv/accounts/password/reset/", {"email": "ingen@example.fi"})
    assert response.status_code == 302
    assert len(mail.outbox) <= 1


def test_signup_errors_are_shown_next_to_the_field_and_keep_input(client):
    response = client.post("/fi/accounts/signup/", {
        "email": "ei-osoite", "full_name": "Aino", "password1": "x", "password2": "y",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_email_error"' in html
    assert 'aria-describedby="id_email_error"' in html or 'aria-describedby="id_email_error ' in html
    assert 'value="Aino"' in html
