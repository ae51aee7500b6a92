"""Staff freeze and publish the results at the gala, then present them with the keyboard."""

import datetime
import re

import pytest
from playwright.sync_api import expect
from django.utils import timezone

from campaigns.models import AwardCategory
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, OrganisationFactory,
    UserFactory, campaign_manager, score_action,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def finished_campaign():
    """A campaign that ended two days ago; the gala is now (dates relative to the real clock,
    since the browser's cookies live in real time)."""
    today = timezone.localdate()
    campaign = CampaignFactory(
        slug="kevat", name_fi="Kevään tekokampanja", starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=2), gala_at=timezone.now(),
    )
    AwardCategoryFactory(campaign=campaign, name_fi="Eniten tekoja", position=1, winners=3)
    jury = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY, name_fi="Tuomariston valinta",
                                position=2, winners=1)
    # Nobody has an employee count: everyone is listed apart with the reason.
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.PER_EMPLOYEE, name_fi="Suhteutettu",
                         position=3, min_actions=2)
    criterion, juror = CriterionFactory(campaign=campaign), JurorFactory(campaign=campaign)
    submitted = timezone.now() - datetime.timedelta(days=10)
    for name, number in (("Liminka", 3), ("Oulu", 2), ("Ii", 1), ("Kemi", 0)):
        organisation = OrganisationFactory(name_fi=name)
        for index in range(number):
            action = ActionFactory(organisation=organisation, submitted_at=submitted, title=f"{name}n teko {index}")
            score_action(juror, action, {criterion: 5 if name == "Oulu" and index == 0 else 2})
    return campaign, jury


def log_in(page, email):
    page.goto("/fi/accounts/login/")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label(re.compile(r"^Salasana:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("button", name="Kirjaudu ulos").wait_for()


def visible_heading(page):
    return page.locator("section.slide:not([hidden]) h1").inner_text()


def test_staff_freeze_publish_and_present_the_gala(page, axe, finished_campaign):
    campaign, jury = finished_campaign
    campaign_manager(email="kt@kt.fi")
    log_in(page, "kt@kt.fi")

    page.goto("/fi/campaigns/kevat/results/")
    expect(page.get_by_text("Ajantasainen esikatselu henkilökunnalle.")).to_be_visible()
    page.get_by_role("button", name="Lukitse tulokset").click()
    expect(page.get_by_text("Tulokset on lukittu.")).to_be_visible()
    expect(page.get_by_text("Lukittu, ei vielä julkaistu.")).to_be_visible()
    page.get_by_role("button", name="Julkaise lukitut tulokset").click()
    expect(page.get_by_text("Tulokset on julkaistu.")).to_be_visible()
    expect(page.get_by_role("heading", name="Eniten tekoja")).to_be_visible()
    expect(page.get_by_role("cell", name="vuoden henkilöstömäärä puuttuu").first).to_be_visible()
    assert axe(page) == []

    page.get_by_role("link", name="Gaalaesitys").click()
    page.wait_for_url(re.compile(r"/fi/campaigns/kevat/gala/"))
    assert visible_heading(page) == "Kevään tekokampanja"
    assert axe(page) == []

    page.keyboard.press("ArrowRight")
    assert visible_heading(page) == "Eniten tekoja"
    assert page.locator("section.slide:not([hidden]) .place.revealed").count() == 0
    assert page.url.endswith("?step=1")

    page.keyboard.press("ArrowRight")  # third place first
    revealed = page.locator("section.slide:not([hidden]) .place.revealed")
    assert revealed.count() == 1 and "Ii" in revealed.first.inner_text()
    assert page.locator("[aria-live=polite]").text_content().startswith("Eniten tekoja: 3. Ii")
    assert axe(page) == []
    page.keyboard.press("Space")  # second place
    assert "Oulu" in page.locator("section.slide:not([hidden]) .place.newest").inner_text()
    page.keyboard.press("ArrowLeft")  # back one step: second place hidden again
    assert page.locator("section.slide:not([hidden]) .place.revealed").count() == 1
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the winner
    winner = page.locator("section.slide:not([hidden]) .place.newest")
    assert "Liminka" in winner.inner_text() and "3 tekoa" in winner.inner_text()
    assert page.locator("section.slide:not([hidden]) .place.revealed").count() == 3

    page.keyboard.press("ArrowRight")
    assert visible_heading(page) == "Tuomariston valinta"
    page.keyboard.press("ArrowRight")
    assert "Oulun teko 0" in page.locator("section.slide:not([hidden]) .place.newest").inner_text()
    page.keyboard.press("PageDown")  # a clicker's "next"
    assert visible_heading(page) == "Suhteutettu"
    expect(page.get_by_text("Sarjassa ei ole voittajaa.")).to_be_visible()
    page.keyboard.press("ArrowRight")
    assert visible_heading(page) == "Onnea kaikille voittajille!"
    page.keyboard.press("ArrowRight")  # stays on the last slide
    assert visible_heading(page) == "Onnea kaikille voittajille!"

    page.keyboard.press("Home")
    assert visible_heading(page) == "Kevään tekokampanja"
    assert page.url.endswith("?step=0")
    assert page.console_errors == []


def test_gala_steps_without_javascript_by_links(page, live_server, finished_campaign):
    from campaigns.services import results_freeze, results_publish

    campaign, _ = finished_campaign
    staff = UserFactory(is_staff=True)
    results_freeze(campaign=campaign, user=staff, now=timezone.now())
    results_publish(campaign=campaign, user=staff, now=timezone.now())
    context = page.context.browser.new_context(base_url=live_server.url, locale="fi-FI", java_script_enabled=False)
    plain = context.new_page()
    try:
        plain.goto("/fi/campaigns/kevat/gala/?step=3")
        assert visible_heading(plain) == "Eniten tekoja"
        assert plain.locator("section.slide:not([hidden]) .place.revealed").count() == 2
        plain.get_by_role("link", name="Seuraava").click()
        plain.wait_for_url(re.compile(r"step=4$"))
        assert plain.locator("section.slide:not([hidden]) .place.revealed").count() == 3
        plain.get_by_role("link", name="Edellinen").click()
        plain.wait_for_url(re.compile(r"step=3$"))
        plain.get_by_role("link", name="Alkuun").click()
        assert visible_heading(plain) == "Kevään tekokampanja"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["campaigns/", "campaigns/kevat/", "campaigns/kevat/results/"])
def test_campaign_pages_have_no_accessibility_violations(page, axe, finished_campaign, path):
    from campaigns.services import results_freeze, results_publish

    campaign, _ = finished_campaign
    staff = UserFactory(is_staff=True)
    results_freeze(campaign=campaign, user=staff, now=timezone.now())
    results_publish(campaign=campaign, user=staff, now=timezone.now())
    page.goto(f"/fi/{path}")
    assert axe(page) == []
    page.goto(f"/sv/{path}")
    assert axe(page) == []
    assert page.console_errors == []
