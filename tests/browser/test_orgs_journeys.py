import re

import pytest
from playwright.sync_api import expect
from django.core import mail

from orgs.models import Membership, Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liminka_employee_signs_up_and_becomes_a_confirmed_member(page, reference_organisations):
    page.goto("/fi/")
    page.get_by_role("link", name="Rekisteröidy").click()
    page.get_by_label("Sähköposti").fill("matti.meikalainen@liminka.fi")
    page.get_by_label("Koko nimi").fill("Matti Meikäläinen")
    page.get_by_label(re.compile(r"^Salasana:?$")).fill("Pitka-salasana-2026")
    page.get_by_label("Salasana (uudestaan)").fill("Pitka-salasana-2026")
    page.get_by_role("button", name="Rekisteröidy").click()
    page.wait_for_url(re.compile(r"/fi/accounts/confirm-email/"))

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Vahvista").click()

    page.wait_for_url(re.compile(r"/fi/my/organisations/join/$"))
    chooser = page.get_by_label("Organisaatio")
    liminka = Organisation.objects.get(slug="liminka")
    assert chooser.input_value() == str(liminka.pk)
    page.get_by_role("button", name="Liity").click()

    page.wait_for_url(re.compile(r"/fi/my/organisations/$"))
    row = page.get_by_role("row", name=re.compile("Liminka"))
    assert "Vahvistettu" in row.inner_text()
    membership = Membership.objects.get(user__email="matti.meikalainen@liminka.fi")
    assert membership.organisation == liminka and membership.is_confirmed
    assert page.console_errors == []


def test_directory_search_in_swedish(page, reference_organisations):
    page.goto("/sv/organisations/")
    page.get_by_label("Sök efter namn").fill("Liminka")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name="Limingo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Limingo")
@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("path", ["organisations/", "organisations/liminka/", "organisations/helsinki/",
                                  "organisations/?q=xyz&kind=municipality"])
def test_no_accessibility_violations(page, axe, reference_organisations, language, path):
    page.goto(f"/{language}/{path}")
    assert axe(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["my/organisations/join/", "my/organisations/", "organisations/liminka/members/",
                                  "organisations/liminka/edit/", "organisations/liminka/domains/"])
def test_member_and_admin_pages_are_accessible(page, axe, reference_organisations, path):
    from tests.factories import MembershipFactory, UserFactory

    liminka = Organisation.objects.get(slug="liminka")
    admin = UserFactory(email="admin@liminka.fi")
    MembershipFactory(user=admin, organisation=liminka, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=liminka, status=Membership.Status.PENDING, confirmed_at=None)
    page.goto("/fi/accounts/login/")
    page.get_by_label("Sähköposti").fill("admin@liminka.fi")
    page.get_by_label(re.compile(r"^Salasana:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(re.compile(r"/fi/$"))
    page.goto(f"/fi/{path}")
    assert axe(page) == []
    assert page.console_errors == []


def test_staff_edits_names_in_admin_language_tabs(page, reference_organisations):
    """modeltranslation's tabs work under our CSP (no jQuery UI from a CDN)."""
    from tests.factories import UserFactory

    UserFactory(email="staff@kt.fi", is_staff=True, is_superuser=True)
    page.goto("/admin/login/")  # the admin sends people to the portal's login
    page.get_by_label("Sähköposti").fill("staff@kt.fi")
    page.get_by_label(re.compile(r"^Salasana:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    liminka = Organisation.objects.get(slug="liminka")
    page.goto(f"/admin/orgs/organisation/{liminka.pk}/change/")
    swedish_name = page.locator("#id_name_sv")
    expect(swedish_name).to_be_hidden()
    page.get_by_role("tab", name="sv").first.click()
    expect(swedish_name).to_be_visible()
    assert swedish_name.input_value() == "Limingo"
    swedish_name.fill("Limingo kommun")
    page.get_by_role("button", name="Tallenna", exact=True).click()
    liminka.refresh_from_db()
    assert liminka.name_sv == "Limingo kommun"
    # (The admin has no favicon link, so Chromium's /favicon.ico 404 may be logged.)
    assert [e for e in page.console_errors if "Content Security Policy" in e or "tabs" in e] == []
