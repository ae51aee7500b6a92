import re

import pytest
from playwright.sync_api import expect
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_confirm_log_in_and_switch_language(page):
    page.goto("/fi/")
    page.get_by_role("link", name="Rekisteröidy").click()
    page.get_by_label("Sähköposti").fill("aino.virtanen@example.fi")
    page.get_by_label("Koko nimi").fill("Aino Virtanen")
    page.get_by_label(re.compile(r"^Salasana:?$")).fill("Pitka-salasana-2026")
    page.get_by_label("Salasana (uudestaan)").fill("Pitka-salasana-2026")
    page.get_by_role("button", name="Rekisteröidy").click()
    page.wait_for_url(re.compile(r"/fi/accounts/confirm-email/"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Vahvista").click()
    page.get_by_role("button", name="Kirjaudu ulos").click()

    page.get_by_role("link", name="Kirjaudu sisään").click()
    page.get_by_label("Sähköposti").fill("aino.virtanen@example.fi")
    page.get_by_label(re.compile(r"^Salasana:?$")).fill("Pitka-salasana-2026")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    # Without an organisation the login lands on "choose your organisation" (orgs).
    assert page.url.endswith("/fi/my/organisations/join/")
    page.get_by_role("link", name="Etusivu").click()

    page.get_by_role("link", name="Svenska").click()
    assert page.url.endswith("/sv/")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Framstegsarenan")
    page.get_by_role("link", name="Suomi").click()
    assert page.url.endswith("/fi/")
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("path", ["", "accounts/login/", "accounts/signup/"])
def test_no_accessibility_violations(page, axe, language, path):
    page.goto(f"/{language}/{path}")
    assert axe(page) == []
    assert page.console_errors == []


def test_axe_catches_a_violation(page, axe):
    """The check itself works: a page with an unlabelled field is reported."""
    page.goto("/fi/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    assert any(v.startswith("label") for v in axe(page))
