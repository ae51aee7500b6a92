import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from django.utils import timezone

from arena.models import Action, Transition
from tests.factories import ActionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Action.Status
PASSWORD = "Moderointi-2026-syksy"


@pytest.fixture
def moderator_login(group_moderator):
    group_moderator.set_password(PASSWORD)
    group_moderator.save(update_fields=["password"])
    return group_moderator


def waiting(title, days):
    return ActionFactory(status=S.SUBMITTED, title=title, submitted_at=timezone.now() - dt.timedelta(days=days))


def log_in(page, user):
    page.goto("/admin/")
    page.get_by_label(re.compile("sähköposti", re.I)).fill(user.email)
    page.get_by_label(re.compile("^Salasana")).fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()


def test_moderator_returns_one_action_and_publishes_another(page, moderator_login):
    to_return = waiting("Kotihoidon yövuorot", days=6)
    to_publish = waiting("Koulun kirjastoauto", days=3)
    log_in(page, moderator_login)

    attention = page.get_by_role("region", name="Vaatii huomiota tänään")
    attention.get_by_role("link", name=re.compile("odottaa tarkastusta")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kehittämisteot: 2 odottaa tarkastusta")
    rows = page.locator("#result_list tbody").get_by_role("row")
    assert "Kotihoidon yövuorot" in rows.nth(0).inner_text()  # oldest first

    rows.filter(has_text="Kotihoidon yövuorot").get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile("Toiminto")).select_option(
        label="Palauta valitut teot muokattaviksi")
    page.get_by_role("button", name=re.compile("Suorita")).click()

    page.get_by_label("Viesti laatijalle: mitä pitää muuttaa").fill("Kerro tuloksista luvuin.")
    page.get_by_role("button", name="Palauta muokattavaksi").click()
    expect(page.get_by_text("1 teko palautettu laatijalleen.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kehittämisteot: 1 odottaa tarkastusta")
    page.get_by_role("link", name="Koulun kirjastoauto").click()
    page.get_by_role("link", name="Julkaise").click()
    page.get_by_role("button", name="Julkaise").click()
    expect(page.get_by_text("1 teko julkaistu.")).to_be_visible()
    expect(page.get_by_role("link", name="Piilota")).to_be_visible()

    to_return.refresh_from_db()
    to_publish.refresh_from_db()
    assert (to_return.status, to_publish.status) == (S.RETURNED, S.PUBLISHED)
    record = Transition.objects.get(action=to_return)
    assert (record.message, record.actor) == ("Kerro tuloksista luvuin.", moderator_login)
    assert page.console_errors == []

    # The author logs in and finds the moderator's message in "My actions".
    page.context.clear_cookies()
    page.goto("/fi/accounts/login/")
    page.get_by_label(re.compile("^Sähköposti")).fill(to_return.author.email)
    page.get_by_label(re.compile("^Salasana")).fill("correct horse battery")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("link", name="Omat teot").click()
    row = page.get_by_role("row").filter(has_text="Kotihoidon yövuorot")
    assert "palautettu muokattavaksi" in row.inner_text().lower()
    assert "Kerro tuloksista luvuin." in row.inner_text()


def test_admin_queue_has_no_accessibility_violations(page, axe, moderator_login):
    waiting("Kotihoidon yövuorot", days=6)
    log_in(page, moderator_login)
    assert axe(page) == []
    page.goto("/admin/arena/action/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kehittämisteot: 1 odottaa tarkastusta")
    assert axe(page) == []
    assert page.console_errors == []


def test_action_page_and_confirmation_page_have_no_accessibility_violations(page, axe, moderator_login):
    action = waiting("Kotihoidon yövuorot", days=6)
    log_in(page, moderator_login)
    page.goto(f"/admin/arena/action/{action.pk}/change/")
    assert page.console_errors == []  # nothing blocked by the CSP
    # (axe itself applies inline styles on this page, which the CSP blocks: check errors before it)
    assert axe(page) == []
    page.console_errors.clear()

    page.get_by_role("link", name="Hylkää").click()
    assert page.console_errors == []
    reason = page.get_by_label("Hylkäämisen syy (lähetetään laatijalle)")
    page.get_by_role("button", name="Hylkää").click()  # no reason: the browser asks for one first
    assert reason.evaluate("field => field.validity.valueMissing")
    assert axe(page) == []
    action.refresh_from_db()
    assert action.status == S.SUBMITTED


def test_taxonomy_translation_tabs_work_without_outside_scripts(page, moderator_login):
    log_in(page, moderator_login)
    page.goto("/admin/arena/sector/add/")
    page.get_by_role("tab", name="sv").first.click()
    page.get_by_role("tabpanel").get_by_label(re.compile("nimi", re.I)).fill("Bibliotek")
    page.get_by_role("tab", name="fi").first.click()
    page.get_by_role("tabpanel").get_by_label(re.compile("nimi", re.I)).fill("Kirjastot")
    page.get_by_role("tab", name="en").first.click()
    page.get_by_role("tabpanel").get_by_label(re.compile("nimi", re.I)).fill("Libraries")
    page.get_by_label(re.compile("osoitetunniste", re.I)).fill("kirjastot")
    page.get_by_role("button", name="Tallenna", exact=True).click()
    page.wait_for_url("**/admin/arena/sector/")
    from arena.models import Sector

    sector = Sector.objects.get(slug="kirjastot")
    assert (sector.name_fi, sector.name_sv, sector.name_en) == ("Kirjastot", "Bibliotek", "Libraries")
    assert page.console_errors == []
