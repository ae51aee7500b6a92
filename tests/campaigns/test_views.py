"""Campaign pages, the results embargo in HTML, CSV and JSON, and query counts."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from arena.models import Action
from campaigns.models import AwardCategory
from campaigns.services import results_freeze, results_publish
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, EmployeeCountFactory, JurorFactory,
    MembershipFactory, OrganisationFactory, UserFactory, campaign_manager, helsinki, score_action,
)

pytestmark = pytest.mark.django_db

DURING = helsinki(2026, 3, 20, 12, 0)
AFTER_END = helsinki(2026, 4, 15, 12, 0)
AT_GALA = helsinki(2026, 4, 19, 19, 0)


@pytest.fixture
def results(campaign):
    """Liminka 3 actions, Oulu 1, and a secret jury category."""
    liminka = OrganisationFactory(name_fi="Liminka", name_sv="Limingo")
    oulu = OrganisationFactory(name_fi="Oulu", name_sv="Uleåborg")
    for day in (2, 3, 4):
        ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, day, 9), title=f"Limingan teko {day}")
    ActionFactory(organisation=oulu, submitted_at=helsinki(2026, 3, 5, 9), title="Oulun teko")
    jury = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY, name_fi="Tuomariston valinta",
                                position=2, winners=1)
    criterion = CriterionFactory(campaign=campaign)
    juror = JurorFactory(campaign=campaign)
    for action in Action.objects.all():
        score_action(juror, action, {criterion: 5 if action.title == "Oulun teko" else 2})
    return {"liminka": liminka, "oulu": oulu, "jury": jury, "juror": juror}


def get(client, name, campaign, **params):
    return client.get(reverse(f"campaigns:{name}", args=[campaign.slug]), params)


# --- Listing and campaign page -------------------------------------------------------


def test_campaign_list_running_upcoming_and_past_with_winners(client, staff):
    past = CampaignFactory(name_fi="Syksy 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 10, 12))
    AwardCategoryFactory(campaign=past, name_fi="Eniten tekoja", winners=1)
    ActionFactory(organisation=OrganisationFactory(name_fi="Liminka"), submitted_at=helsinki(2025, 9, 3, 9))
    running = CampaignFactory(name_fi="Kevät 2026")
    upcoming = CampaignFactory(name_fi="Syksy 2026", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 10, 12))
    with time_machine.travel(helsinki(2025, 10, 20, 20), tick=False):
        results_freeze(campaign=past, user=staff, now=helsinki(2025, 10, 20, 20))
        results_publish(campaign=past, user=staff, now=helsinki(2025, 10, 20, 20))
    with time_machine.travel(DURING, tick=False):
        html = client.get("/fi/campaigns/").content.decode()
    running_part, rest = html.split('id="upcoming-title"')
    upcoming_part, past_part = rest.split('id="past-title"')
    assert running.name in running_part
    assert upcoming.name in upcoming_part
    assert past.name in past_part and "Eniten tekoja" in past_part and "Liminka" in past_part


def test_campaign_page_text_period_countdown_counter_and_actions(client, campaign, results):
    campaign.description_fi = "Jaa tekosi keväällä."
    campaign.save()
    ActionFactory(submitted_at=helsinki(2026, 3, 6, 9), status=Action.Status.SUBMITTED, title="Odottaa")
    with time_machine.travel(DURING, tick=False):
        response = get(client, "campaign-detail", campaign)
    html = response.content.decode()
    assert "Jaa tekosi keväällä." in html
    assert "1.3.2026" in html and "12.4.2026" in html
    assert "Kampanja päättyy 23 päivän kuluttua." in html
    assert "<strong>4</strong>" in html  # eligible actions
    assert "<strong>2</strong>" in html  # participating organisations
    assert "Limingan teko 2" in html and "Oulun teko" in html
    assert "Odottaa" not in html
    assert 'id="live-title"' not in html  # the live ranking is off by default


def test_live_ranking_shown_only_during_the_period_when_public(client, campaign, results):
    campaign.live_ranking_public = True
    campaign.save()
    with time_machine.travel(DURING, tick=False):
        during = get(client, "campaign-detail", campaign).content.decode()
    with time_machine.travel(AFTER_END, tick=False):
        after = get(client, "campaign-detail", campaign).content.decode()
    assert 'id="live-title"' in during
    assert during.index("Liminka") < during.index("Oulu", during.index('id="live-title"'))
    assert 'id="live-title"' not in after  # after the end the ranking would be a peek at the results


def test_campaign_page_queries_do_not_grow_with_actions(client, campaign, django_assert_max_content_queries):
    campaign.live_ranking_public = True
    campaign.save()
    for index in range(60):
        ActionFactory(organisation=OrganisationFactory(), submitted_at=helsinki(2026, 3, 2 + index % 20, 9))
    with time_machine.travel(DURING, tick=False), django_assert_max_content_queries(8):
        response = get(client, "campaign-detail", campaign)
    assert response.status_code == 200
    assert response.content.decode().count('class="meta"') >= 50


def test_unknown_campaign_is_404(client, db):
    assert client.get("/fi/campaigns/ei-ole/").status_code == 404
    assert client.get("/fi/campaigns/ei-ole/results/").status_code == 404


# --- Embargo ---------------------------------------------------------------------------


def viewer(kind, campaign, results):
    if kind == "anonymous":
        return None
    if kind == "member":
        return MembershipFactory(organisation=results["liminka"]).user
    if kind == "juror":
        return results["juror"].user
    return campaign_manager()


@pytest.mark.parametrize("kind", ["anonymous", "member", "juror"])
def test_before_publication_the_public_gets_no_peek(client, campaign, results, staff, kind):
    user = viewer(kind, campaign, results)
    if user:
        client.force_login(user)
    with time_machine.travel(AT_GALA, tick=False):
        results_freeze(campaign=campaign, user=staff, now=AT_GALA)  # frozen, not yet published
        page = get(client, "campaign-results", campaign)
        detail = get(client, "campaign-detail", campaign)
        as_csv = get(client, "campaign-results-csv", campaign)
        as_json = get(client, "campaign-results-json", campaign)
        live_csv = get(client, "campaign-results-csv", campaign, live="1")
        gala = get(client, "campaign-gala", campaign)
    html = page.content.decode()
    assert "Tulokset julkistetaan gaalassa 19.4.2026" in html
    for response in (page, as_csv, as_json, live_csv):
        body = response.content.decode()
        assert "Liminka" not in body and "Oulu" not in body and "Tuomariston valinta" not in body
    # The campaign page lists the eligible actions, but its results section only says when.
    detail_html = detail.content.decode()
    results_section = detail_html.split('id="results-title"')[1].split('id="actions-title"')[0]
    assert "Tulokset julkistetaan gaalassa 19.4.2026" in results_section
    assert "Liminka" not in results_section and "Tuomariston valinta" not in detail_html
    assert as_csv.status_code == 403 and live_csv.status_code == 403
    assert as_json.status_code == 403 and as_json.json()["results"] == "embargo"
    assert gala.status_code == 302 and gala["Location"].endswith("/results/")


def test_staff_see_a_live_preview_with_every_row_explained(client, campaign, results):
    client.force_login(campaign_manager())
    per_employee = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.PER_EMPLOYEE, position=3,
                                        name_fi="Henkilöstöön suhteutettuna", min_actions=2)
    EmployeeCountFactory(organisation=results["liminka"], employees=600)
    with time_machine.travel(DURING, tick=False):
        html = get(client, "campaign-results", campaign).content.decode()
    assert "Ajantasainen esikatselu henkilökunnalle." in html
    assert per_employee.name_fi in html
    assert "5.00" in html or "5,00" in html  # 3 actions per 600 employees
    assert "600" in html
    assert "Oulun teko" in html  # the jury winner with its score
    # Oulu has no employee count: listed apart with the reason
    per_employee_section = html.split('id="category-3"')[1]
    assert "Oulu" in per_employee_section.split("<h3>")[1]


def test_after_publication_everyone_sees_the_frozen_results(client, campaign, results, staff):
    with time_machine.travel(AT_GALA, tick=False):
        results_freeze(campaign=campaign, user=staff, now=AT_GALA)
        results_publish(campaign=campaign, user=staff, now=AT_GALA)
        ActionFactory(organisation=results["oulu"], submitted_at=helsinki(2026, 3, 9, 9))  # a late correction
        page = get(client, "campaign-results", campaign).content.decode()
        detail = get(client, "campaign-detail", campaign).content.decode()
        rows = list(csv.reader(io.StringIO(get(client, "campaign-results-csv", campaign).content.decode())))
        data = get(client, "campaign-results-json", campaign).json()
        gala = get(client, "campaign-gala", campaign)
    assert "Liminka" in page and "Tuomariston valinta" in page
    assert "Liminka" in detail and "Oulun teko" in detail
    most = [row for row in rows if row[0] == "Eniten tekoja"]
    assert [(row[1], row[3], row[5]) for row in most] == [("1", "Liminka", "3"), ("2", "Oulu", "1")]
    assert data["results"] == "published"
    assert [row["actions"] for row in data["categories"][0]["rows"]] == [3, 1]
    # The public sees only the jury's winner, not the scores of the other actions.
    assert [row["title"] for row in data["categories"][1]["rows"]] == ["Oulun teko"]
    assert data["categories"][1]["unranked"] == []
    assert "Limingan teko" not in page
    assert gala.status_code == 200


def test_staff_results_page_freeze_and_publish_buttons(client, campaign, results):
    staff = campaign_manager()
    client.force_login(staff)
    with time_machine.travel(DURING, tick=False):
        html = get(client, "campaign-results", campaign).content.decode()
        assert "Tulokset voi lukita, kun kampanjakausi on päättynyt." in html
        assert "Lukitse tulokset" not in html
        response = client.post(reverse("campaigns:campaign-results-freeze", args=[campaign.slug]))
        assert not campaign.snapshots.exists()
    with time_machine.travel(AT_GALA, tick=False):
        response = client.post(reverse("campaigns:campaign-results-freeze", args=[campaign.slug]))
        assert response.status_code == 302
        assert campaign.snapshots.count() == 1
        # Freezing again asks first and keeps the earlier snapshot.
        response = client.post(reverse("campaigns:campaign-results-freeze", args=[campaign.slug]))
        assert response.status_code == 200
        assert 'name="confirm"' in response.content.decode()
        assert campaign.snapshots.count() == 1
        client.post(reverse("campaigns:campaign-results-freeze", args=[campaign.slug]), {"confirm": "1"})
        assert campaign.snapshots.count() == 2
        client.post(reverse("campaigns:campaign-results-publish", args=[campaign.slug]))
    campaign.refresh_from_db()
    assert campaign.results_state == "published"


@pytest.mark.parametrize("kind", ["anonymous", "member", "juror"])
def test_only_staff_may_freeze_or_publish(client, campaign, results, kind):
    user = viewer(kind, campaign, results)
    if user:
        client.force_login(user)
    with time_machine.travel(AT_GALA, tick=False):
        freeze = client.post(reverse("campaigns:campaign-results-freeze", args=[campaign.slug]), {"confirm": "1"})
        publish = client.post(reverse("campaigns:campaign-results-publish", args=[campaign.slug]))
    assert freeze.status_code == 403 and publish.status_code == 403
    assert not campaign.snapshots.exists()


def test_results_page_queries_do_not_grow_with_actions(client, campaign, django_assert_max_num_queries):
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.PER_EMPLOYEE, position=2)
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY, position=3)
    criterion = CriterionFactory(campaign=campaign)
    juror = JurorFactory(campaign=campaign)
    for index in range(40):
        organisation = OrganisationFactory()
        EmployeeCountFactory(organisation=organisation, employees=100 + index)
        action = ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 2 + index % 20, 9))
        score_action(juror, action, {criterion: 1 + index % 5})
    client.force_login(campaign_manager())
    # 13: the jurors' conflicts of interest are read once for the jury's scores (campaigns/conflicts.py).
    with time_machine.travel(AT_GALA, tick=False), django_assert_max_num_queries(13):
        response = get(client, "campaign-results", campaign)
    assert response.content.decode().count("<tr") > 120


def test_staff_get_the_live_results_as_csv_and_json_before_publication(client, campaign, results):
    client.force_login(campaign_manager())
    with time_machine.travel(DURING, tick=False):
        rows = list(csv.reader(io.StringIO(get(client, "campaign-results-csv", campaign).content.decode())))
        data = get(client, "campaign-results-json", campaign).json()
        gala = get(client, "campaign-gala", campaign)
    assert [(row[0], row[1], row[3], row[5]) for row in rows[1:3]] == [
        ("Eniten tekoja", "1", "Liminka", "3"), ("Eniten tekoja", "2", "Oulu", "1")]
    jury_rows = [row for row in rows if row[0] == "Tuomariston valinta"]
    assert [(row[1], row[3], row[8], row[9]) for row in jury_rows][0] == ("1", "Oulun teko", "5.0", "1")
    assert len(jury_rows) == 4  # staff see every scored action
    assert data["results"] == "live"
    assert data["categories"][1]["rows"][0]["score"] == 5.0
    assert gala.status_code == 200  # staff may rehearse the gala before publication


def test_results_shown_in_swedish_with_ties_ordered_by_swedish_name(client, campaign, staff):
    for name_fi, name_sv in (("Ahvenanmaa", "Åland"), ("Vaasa", "Vasa"), ("Uusikaarlepyy", "Nykarleby")):
        ActionFactory(organisation=OrganisationFactory(name_fi=name_fi, name_sv=name_sv),
                      submitted_at=helsinki(2026, 3, 2, 9))
    with time_machine.travel(AT_GALA, tick=False):
        from campaigns.services import results_freeze, results_publish

        results_freeze(campaign=campaign, user=staff, now=AT_GALA)
        results_publish(campaign=campaign, user=staff, now=AT_GALA)
        html = client.get(f"/sv/campaigns/{campaign.slug}/results/").content.decode()
    assert "Flest åtgärder" in html
    assert html.index("Nykarleby") < html.index("Vasa") < html.index("Åland")


def test_campaign_list_queries_do_not_grow(client, staff, django_assert_max_content_queries):
    for year in range(2015, 2025):
        past = CampaignFactory(starts_on=datetime.date(year, 3, 1), ends_on=datetime.date(year, 4, 1))
        AwardCategoryFactory(campaign=past)
        ActionFactory(submitted_at=helsinki(year, 3, 2, 9))
        from campaigns.services import results_freeze, results_publish

        results_freeze(campaign=past, user=staff, now=helsinki(year, 5, 1, 12))
        results_publish(campaign=past, user=staff, now=helsinki(year, 5, 1, 12))
    with time_machine.travel(DURING, tick=False), django_assert_max_content_queries(4):
        response = client.get("/fi/campaigns/")
    assert response.content.decode().count('class="past-campaign"') == 10


def test_admin_pages_for_campaigns_render(client, campaign, results):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/campaigns/campaign/add/").status_code == 200
    assert client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/").status_code == 200
    assert client.get("/admin/campaigns/review/").status_code == 200
    assert client.get("/admin/campaigns/resultsnapshot/").status_code == 200


def png_file(name):
    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "#00507a").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


def test_gala_shows_logos_and_cover_images_from_the_snapshot(client, campaign, results, staff):
    from arena.models import ActionImage

    results["oulu"].logo.save("oulu.png", png_file("oulu.png"))
    winner = Action.objects.get(title="Oulun teko")
    ActionImage.objects.create(action=winner, image=png_file("kansi.png"), alt_text="Työpaja käynnissä",
                               is_cover=True)
    client.force_login(staff)
    with time_machine.travel(AT_GALA, tick=False):
        results_freeze(campaign=campaign, user=staff, now=AT_GALA)
        # slides: title, "most actions" + 2 reveals, the jury category + its one reveal, the end
        html = get(client, "campaign-gala", campaign, step=5).content.decode()
    current = html.split("<section")[6]
    assert 'data-step="5">' in current  # shown, not hidden
    assert "Tuomariston valinta" in current
    assert 'class="cover"' in current and 'alt="Työpaja käynnissä"' in current
    assert "/media/logos/oulu" in current
    assert "Oulun teko" in current
