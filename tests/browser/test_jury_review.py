"""A juror scores entries with the keyboard only; the scores save as they are made and stay."""

import datetime
import re

import pytest
from playwright.sync_api import expect
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.campaigns.jury_setup import make_jury

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])


def tab_to(page, condition: str, limit: int = 80):
    """Press Tab until `condition` (JavaScript about `el`, the focused element) holds."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return Boolean({condition}); }})()"):
            return
    raise AssertionError(f"Tab never reached: {condition}")


def first_radio_of(legend: str) -> str:
    return f"el.type === 'radio' && el.closest('fieldset').querySelector('legend').textContent.trim() === '{legend}'"


def button(name: str) -> str:
    return f"el.tagName === 'BUTTON' && el.textContent.trim() === '{name}'"


def score_with_keyboard(page, presses: dict):
    """For each criterion: Tab into its radio group, Space picks the lowest, each → one more."""
    for legend, rights in presses.items():
        tab_to(page, first_radio_of(legend))
        page.keyboard.press("Space")
        for _step in range(rights):
            page.keyboard.press("ArrowRight")
        page.get_by_role("status").filter(has_text="Tallennettu").wait_for()


@pytest.fixture
def juror_jury(live_server):
    j = make_jury()
    j.campaign.scoring_deadline = timezone.now() + datetime.timedelta(days=30)
    j.campaign.save()
    return j


def test_juror_scores_two_entries_with_the_keyboard(page, live_server, juror_jury, axe):
    j = juror_jury
    log_in(page, live_server, j.lenient.user)
    page.goto("/fi/campaigns/kevat-2026/jury/")
    progress = page.get_by_role("progressbar", name="Edistymisesi")
    assert progress.get_attribute("value") == "0"
    expect(page.get_by_text("0 / 4 ehdokasta pisteytetty")).to_be_visible()
    assert axe(page) == []

    tab_to(page, "el.textContent.trim() === 'Seuraava pisteyttämätön ehdokas'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/jury/{j.actions['W'].pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("W-teko")
    assert axe(page) == []

    score_with_keyboard(page, {"Innostavuus": 3, "Vaikuttavuus": 2, "Siirrettävyys": 4})  # 4, 3, 5
    expect(page.get_by_text("1 / 4 ehdokasta pisteytetty")).to_be_visible()  # the bar moved without a reload
    assert page.get_by_role("progressbar", name="Edistymisesi").get_attribute("value") == "1"
    tab_to(page, button("Tallenna ja siirry seuraavaan pisteyttämättömään"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/jury/{j.actions['X'].pk}/$"))

    score_with_keyboard(page, {"Innostavuus": 4, "Vaikuttavuus": 0, "Siirrettävyys": 1})  # 5, 1, 2
    tab_to(page, "el.tagName === 'TEXTAREA'")
    page.keyboard.type("Selkeä ja helposti siirrettävä.")
    tab_to(page, button("Tallenna"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Pisteesi on tallennettu.")).to_be_visible()

    page.goto("/fi/campaigns/kevat-2026/jury/")
    assert page.get_by_role("progressbar", name="Edistymisesi").get_attribute("value") == "2"
    expect(page.get_by_text("2 / 4 ehdokasta pisteytetty")).to_be_visible()

    page.goto(f"/fi/campaigns/kevat-2026/jury/{j.actions['W'].pk}/")
    page.reload()
    group = page.get_by_role("group", name="Innostavuus")
    assert group.get_by_role("radio", name="4").is_checked()
    assert page.get_by_role("group", name="Vaikuttavuus").get_by_role("radio", name="3").is_checked()
    assert page.get_by_role("group", name="Siirrettävyys").get_by_role("radio", name="5").is_checked()
    page.goto(f"/fi/campaigns/kevat-2026/jury/{j.actions['X'].pk}/")
    assert page.get_by_label("Kommentti").input_value() == "Selkeä ja helposti siirrettävä."
    assert page.console_errors == []


def test_chair_view_and_conflict_page_have_no_accessibility_violations(page, live_server, juror_jury, axe):
    j = juror_jury
    j.conflicted.is_chair = True
    j.conflicted.save()
    log_in(page, live_server, j.conflicted.user)
    page.goto("/fi/campaigns/kevat-2026/jury/")
    expect(page.get_by_text("Ei näytetä: esteellisyys")).to_be_visible()
    page.goto("/fi/campaigns/kevat-2026/jury/chair/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Puheenjohtajan näkymä")
    assert axe(page) == []
