"""Reports of abuse and the taxonomy in the admin."""

import pytest
from django.core import mail
from django.urls import reverse

from arena import services
from arena.models import Action, Report, Sector, Transition
from tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Action.Status


@pytest.fixture
def as_moderator(client, group_moderator):
    client.force_login(group_moderator)
    return client


def report(action=None, **kwargs):
    return Report.objects.create(action=action or ActionFactory(), reporter=UserFactory(),
                                 reason=kwargs.pop("reason", Report.Reason.SPAM), **kwargs)


def test_report_close_records_who_closed_it_and_the_note(moderator):
    item = report()
    services.report_close(report=item, moderator=moderator, note="Ei toimenpiteitä: asiallinen teko.")
    item.refresh_from_db()
    assert (item.status, item.closed_by, item.closing_note) == (
        Report.Status.CLOSED, moderator, "Ei toimenpiteitä: asiallinen teko.")
    assert item.closed_at is not None
    with pytest.raises(services.ModerationError):
        services.report_close(report=item, moderator=moderator, note="Uudelleen")


def test_report_close_needs_a_note_and_a_moderator(moderator):
    item = report()
    with pytest.raises(services.ModerationError):
        services.report_close(report=item, moderator=moderator, note="  ")
    with pytest.raises(services.ModerationError):
        services.report_close(report=item, moderator=UserFactory(is_staff=True), note="Suljettu")
    item.refresh_from_db()
    assert item.status == Report.Status.OPEN


def test_report_list_opens_on_open_reports_with_action_reason_and_comment(as_moderator):
    open_one = report(action=ActionFactory(title="Ilmoitettu teko"), comment="Tämä on mainos")
    report(status=Report.Status.CLOSED)
    response = as_moderator.get("/admin/arena/report/")
    assert response.status_code == 302 and response.url.endswith("?status__exact=open")
    listing = as_moderator.get(response.url)
    assert list(listing.context["cl"].result_list) == [open_one]
    for shown in ["Ilmoitettu teko", "Tämä on mainos", "roskaposti"]:
        assert shown in listing.text.lower() or shown in listing.text


def test_close_a_report_with_a_note_from_its_page(as_moderator, group_moderator):
    item = report()
    page = as_moderator.get(reverse("admin:arena_report_change", args=[item.pk]))
    close_url = reverse("admin:arena_report_moderate", args=[item.pk, "close"])
    assert close_url in page.text
    assert as_moderator.post(close_url, {"message": ""}).status_code == 200  # a note is needed
    response = as_moderator.post(close_url, {"message": "Asiallinen teko, ei toimenpiteitä."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.closed_by) == (Report.Status.CLOSED, group_moderator)
    assert close_url not in as_moderator.get(reverse("admin:arena_report_change", args=[item.pk])).text


def test_hide_the_action_from_a_report_closes_its_open_reports(
    as_moderator, django_capture_on_commit_callbacks,
):
    action = ActionFactory(status=S.PUBLISHED)
    first, second = report(action=action), report(action=action, reason=Report.Reason.OFFENSIVE)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_moderator.post(reverse("admin:arena_report_moderate", args=[first.pk, "hide"]),
                                     {"message": "Loukkaava sisältö."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == S.HIDDEN
    assert Transition.objects.get(action=action).message == "Loukkaava sisältö."
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.CLOSED}
    assert second.pk in Report.objects.filter(closing_note="Loukkaava sisältö.").values_list("pk", flat=True)
    assert [m.to for m in mail.outbox] == [[action.author.email]]


def test_bulk_close_reports_through_the_confirmation_page(as_moderator):
    items = [report(), report(), report(status=Report.Status.CLOSED)]
    data = {"action": "close_selected", "_selected_action": [r.pk for r in items]}
    confirm = as_moderator.post("/admin/arena/report/?status__isnull=False", data)
    assert confirm.status_code == 200 and 'name="message"' in confirm.text
    as_moderator.post("/admin/arena/report/?status__isnull=False", data | {"apply": "1", "message": "Käsitelty."})
    assert Report.objects.filter(closing_note="Käsitelty.").count() == 2


def test_hiding_a_report_needs_the_permission(client):
    item = report()
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.post(reverse("admin:arena_report_moderate", args=[item.pk, "hide"]),
                       {"message": "x"}).status_code == 403


def test_taxonomy_edited_with_translation_tabs_and_no_outside_scripts(as_moderator):
    page = as_moderator.get(reverse("admin:arena_sector_add"))
    assert page.status_code == 200
    for field in ["name_fi", "name_sv", "name_en"]:
        assert f'name="{field}"' in page.text
    assert "js/admin-tabs.js" in page.text
    assert "tabbed_translation_fields.js" in page.text
    assert "googleapis" not in page.text and "//ajax" not in page.text

    response = as_moderator.post(reverse("admin:arena_sector_add"), {
        "name_fi": "Kirjastot", "name_sv": "Bibliotek", "name_en": "Libraries", "slug": "kirjastot",
        "position": 20,
    })
    assert response.status_code == 302
    sector = Sector.objects.get(slug="kirjastot")
    assert (sector.name_fi, sector.name_sv, sector.name_en) == ("Kirjastot", "Bibliotek", "Libraries")
    listing = as_moderator.get(reverse("admin:arena_sector_changelist"))
    assert "Kirjastot" in listing.text


def test_report_list_without_n_plus_one(as_moderator, django_assert_max_num_queries):
    for n in range(32):
        report(action=ActionFactory(title=f"Teko {n}"), comment=f"Kommentti {n}")
    with django_assert_max_num_queries(15):
        listing = as_moderator.get("/admin/arena/report/?status__exact=open")
    assert len(listing.context["cl"].result_list) == 32
    assert "Kommentti 31" in listing.text
