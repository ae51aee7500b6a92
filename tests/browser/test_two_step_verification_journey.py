"""A juror turns on two-step verification with an authenticator app and logs in with a code."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import JurorFactory
from tests.orgs.test_two_step_verification import totp, wrong_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def log_in_with_password(page, email):
    page.goto("/fi/accounts/login/")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label(re.compile(r"^Salasana:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()


def test_juror_turns_on_two_step_verification_and_logs_in_with_a_code(page, axe):
    juror = JurorFactory(user__email="tuomari@kunta.fi").user
    log_in_with_password(page, juror.email)
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()

    page.get_by_role("link", name="Oma tili").click()
    page.get_by_role("navigation", name="Tilin asetukset").get_by_role(
        "link", name="Kaksivaiheinen tunnistautuminen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kaksivaiheinen tunnistautuminen")
    assert axe(page) == []
    page.get_by_role("link", name="Ota kaksivaiheinen tunnistautuminen käyttöön").click()

    # allauth asks for the password again before the setting changes.
    page.get_by_label(re.compile(r"^Salasana:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Vahvista").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ota kaksivaiheinen tunnistautuminen käyttöön")
    qr = page.get_by_role("img", name="QR-koodi tunnistinsovellustasi varten")
    expect(qr).to_be_visible()
    # The QR code is an inline SVG data URI: the CSP lets it load (it has a size).
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert axe(page) == []
    secret = page.get_by_text(re.compile(r"^[A-Z2-7]{32}$")).text_content().strip()

    page.get_by_label("Tunnistinkoodi").fill(wrong_code(secret))
    page.get_by_role("button", name="Ota käyttöön").click()
    expect(page.get_by_text("Koodi on väärä tai se on jo käytetty.")).to_be_visible()
    assert axe(page) == []
    page.get_by_label("Tunnistinkoodi").fill(totp(secret))
    page.get_by_role("button", name="Ota käyttöön").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Palautuskoodit")
    codes = page.get_by_role("list", name="10 käyttämätöntä koodia").get_by_role("listitem")
    expect(codes).to_have_count(10)
    assert axe(page) == []

    page.get_by_role("button", name="Kirjaudu ulos").click()
    log_in_with_password(page, juror.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kaksivaiheinen tunnistautuminen")
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_have_count(0)
    assert axe(page) == []
    page.get_by_label("Koodi").fill(wrong_code(secret))
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_text("Koodi on väärä tai se on jo käytetty.")).to_be_visible()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_have_count(0)

    page.get_by_label("Koodi").fill(totp(secret))
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    assert page.console_errors == []
