import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from arena.cache import changed, organisation_scope
from orgs.models import EmailDomain, Membership, Organisation
from orgs.sections import register_organisation_section, unregister_organisation_section
from tests.factories import EmailDomainFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_admin_organisation_pages_with_tabs_filters_and_inlines(client, staff, reference_organisations):
    client.force_login(staff)
    changelist = client.get(reverse("admin:orgs_organisation_changelist"), {"q": "Limingo"})
    assert changelist.status_code == 200
    assert "Liminka" in changelist.content.decode()
    filtered = client.get(reverse("admin:orgs_organisation_changelist"), {"kind__exact": "welfare_area"})
    assert "21" in filtered.content.decode()
    liminka = Organisation.objects.get(slug="liminka")
    change = client.get(reverse("admin:orgs_organisation_change", args=[liminka.pk])).content.decode()
    assert 'name="name_sv"' in change and 'value="Limingo"' in change
    assert "orgs/js/translation_tabs.js" in change and "code.jquery.com" not in change
    assert 'name="employee_counts-0-year"' in change
    assert "liminka.fi" in change
    assert 'name="memberships-TOTAL_FORMS"' in change


def test_admin_user_page_has_memberships(client, staff, organisation):
    membership = MembershipFactory(organisation=organisation)
    client.force_login(staff)
    html = client.get(reverse("admin:orgs_user_change", args=[membership.user.pk])).content.decode()
    # Shown, and changed on the membership's own page (through the services).
    assert str(organisation) in html and 'name="memberships-0-organisation"' not in html
    assert reverse("admin:orgs_membership_change", args=[membership.pk]) in html


def test_admin_action_confirms_pending(client, staff, organisation):
    pending = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING, confirmed_at=None)
    client.force_login(staff)
    client.post(reverse("admin:orgs_membership_changelist"),
                {"action": "confirm_selected", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.is_confirmed and pending.confirmed_by == staff


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (1200, 600), "navy").save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_org_admin_edits_description_and_logo(client, organisation, org_admin):
    client.force_login(org_admin)
    url = reverse("orgs:organisation-edit", kwargs={"slug": organisation.slug})
    response = client.post(url, {"description_fi": "Hyvä kunta.", "description_sv": "En bra kommun.",
                                 "description_en": "", "logo": _png()})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description_sv == "En bra kommun."
    with Image.open(organisation.logo.path) as logo:
        assert logo.format == "PNG" and max(logo.size) == 800
    page = client.get(f"/sv/organisations/{organisation.slug}/").content.decode()
    assert "En bra kommun." in page and organisation.logo.url in page


def test_edit_form_errors_are_next_to_the_field_in_users_language(client, organisation, org_admin):
    client.force_login(org_admin)
    url = f"/sv/organisations/{organisation.slug}/edit/"
    bad = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = client.post(url, {"description_fi": "Teksti säilyy", "logo": bad})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_logo_error"' in html and 'aria-describedby="id_logo_helptext id_logo_error"' in html
    assert "Teksti säilyy" in html
    assert "Ladda upp en giltig bild" in html  # Django's own message, in Swedish


def test_a_logo_with_more_pixels_than_can_be_decoded_whole_is_refused(client, organisation, org_admin, settings):
    # A one-colour 20-megapixel PNG is a few kilobytes but would take ~80 MB to decode.
    out = io.BytesIO()
    Image.new("L", (5000, 4000)).save(out, format="PNG", optimize=True)
    assert 5000 * 4000 > settings.IMAGE_MAX_PIXELS_UNSCALED and len(out.getvalue()) < 100_000
    client.force_login(org_admin)
    response = client.post(f"/sv/organisations/{organisation.slug}/edit/", {
        "description_fi": "Teksti säilyy", "logo": SimpleUploadedFile("logo.png", out.getvalue(), "image/png")})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_logo_error"' in html and "Teksti säilyy" in html
    organisation.refresh_from_db()
    assert not organisation.logo


def test_org_admin_manages_domains(client, organisation, org_admin):
    client.force_login(org_admin)
    url = reverse("orgs:organisation-domains", kwargs={"slug": organisation.slug})
    client.post(url, {"domain": "@Testikunta.FI", "verified": "on"})
    domain = EmailDomain.objects.get(organisation=organisation)
    assert (domain.domain, domain.verified) == ("testikunta.fi", True)
    refused = client.post(url, {"domain": "gmail.com", "verified": "on"})
    assert refused.status_code == 200 and not EmailDomain.objects.filter(domain="gmail.com").exists()
    client.post(reverse("orgs:organisation-domain-delete", kwargs={"slug": organisation.slug, "pk": domain.pk}))
    assert not EmailDomain.objects.filter(organisation=organisation).exists()


def test_member_cannot_edit_or_change_domains(client, organisation, member):
    domain = EmailDomainFactory(organisation=organisation)
    client.force_login(member)
    assert client.post(reverse("orgs:organisation-domains", kwargs={"slug": organisation.slug}),
                       {"domain": "evil.fi", "verified": "on"}).status_code == 403
    assert client.post(reverse("orgs:organisation-domain-delete",
                               kwargs={"slug": organisation.slug, "pk": domain.pk})).status_code == 403
    assert EmailDomain.objects.filter(organisation=organisation).count() == 1


def test_registered_sections_appear_on_the_organisation_page(client, organisation, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "demo").mkdir(parents=True)
    (template_dir / "demo" / "section.html").write_text("<p>{{ greeting }} {{ organisation.name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}]

    def later(request, org):
        return {"title": "Later", "template": "demo/section.html", "context": {"greeting": "Bye"}, "order": 20}

    def first(request, org):
        return {"title": "First", "template": "demo/section.html", "context": {"greeting": "Hello"}, "order": 10}

    def nothing(request, org):
        return None

    for section in (later, first, nothing):
        register_organisation_section(section)
    try:
        html = client.get(organisation.get_absolute_url()).content.decode()
    finally:
        for section in (later, first, nothing):
            unregister_organisation_section(section)
    assert f"<p>Hello {organisation.name}</p>" in html
    assert html.index(">First</h2>") < html.index(">Later</h2>")
    assert html.count('class="organisation-section"') == 2
    # Sections are registered at start-up; here the page kept a moment ago is renewed as an edit would.
    changed(organisation_scope(organisation.pk))
    assert "Hello" not in client.get(organisation.get_absolute_url()).content.decode()


def test_join_button_on_organisation_page(client, user):
    organisation = OrganisationFactory(slug="kunta-x")
    client.force_login(user)
    html = client.get("/fi/organisations/kunta-x/").content.decode()
    assert "/fi/my/organisations/join/?organisation=kunta-x" in html
    join_page = client.get("/fi/my/organisations/join/?organisation=kunta-x").content.decode()
    assert f'<option value="{organisation.pk}" selected>' in join_page
