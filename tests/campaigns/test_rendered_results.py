"""Frozen results are rendered once, for the public, when frozen (and again when a consent changes);
the organisation page reads its awards from rows written at publication, not from the snapshots."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.urls import reverse

from campaigns import jury, nominations, services
from campaigns.models import AwardCategory, OrganisationAward, ResultSnapshot
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, OrganisationFactory,
    UserFactory, campaign_manager, helsinki, nominate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DURING = helsinki(2026, 3, 15, 12, 0)
SCORING = helsinki(2026, 4, 20, 12, 0)
AFTER_GALA = helsinki(2026, 4, 20, 20, 0)


@pytest.fixture
def campaign_with_results():
    """A heroes-of-work category (Anna consents and wins, Pia never answers) and a most-actions
    category that Oulu wins with 3 actions against Kemi's 1."""
    campaign = CampaignFactory(slug="kevat-2026")
    heroes = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, winners=1,
                                  name_en="Heroes of work", name_fi="Tärkeän työn tekijät", name_sv="Hjältar")
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.MOST_ACTIONS, winners=1,
                         name_en="Most actions", name_fi="Eniten tekoja", name_sv="Flest åtgärder")
    criterion = CriterionFactory(campaign=campaign)
    juror = JurorFactory(campaign=campaign)
    people = {}
    for name, score, consent in (("Pia Pending", 5, False), ("Anna Aho", 4, True)):
        nominee = nominate(campaign=campaign, category=heroes, name=name,
                           email=f"{name.split()[0].lower()}@kunta.fi").nominee
        if consent:
            nominations.nominee_consent_answer(nominee=nominee, give=True, now=DURING)
        jury.subject_review_save(juror=juror, kind="nominee", subject=nominee, scores={criterion.pk: score},
                                 comment="", now=SCORING)
        people[name] = nominee
    oulu, kemi = OrganisationFactory(name_fi="Oulu", name_en="Oulu"), OrganisationFactory(name_fi="Kemi")
    ActionFactory.create_batch(3, organisation=oulu, submitted_at=DURING, published_at=DURING)
    ActionFactory(organisation=kemi, submitted_at=DURING, published_at=DURING)
    staff = campaign_manager()
    snapshot = services.results_freeze(campaign=campaign, user=staff, now=AFTER_GALA)
    services.results_publish(campaign=campaign, user=staff, now=AFTER_GALA)
    snapshot.refresh_from_db()
    return campaign, snapshot, people, oulu, kemi, staff


def results_url(campaign, language="en"):
    return f"/{language}" + reverse("campaigns:campaign-results", args=[campaign.slug])[3:]


def test_freezing_stores_the_public_results_in_every_language(campaign_with_results):
    _campaign, snapshot, *_rest = campaign_with_results
    assert set(snapshot.public_html) == {"fi", "sv", "en"}
    assert "Tärkeän työn tekijät" in snapshot.public_html["fi"] and "Hjältar" in snapshot.public_html["sv"]
    for html in snapshot.public_html.values():
        assert "Anna Aho" in html
        assert "Pia Pending" not in html  # no consent: never in what the public is given


def test_the_public_page_serves_the_stored_html_without_reading_the_results_data(client, campaign_with_results):
    campaign, snapshot, *_rest = campaign_with_results
    # The stored page is what is served: marking it shows up, the snapshot's data is not read.
    html = snapshot.public_html
    html["en"] = html["en"].replace("Anna Aho", "Anna Aho (stored)")
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(public_html=html)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(results_url(campaign)).content.decode()
    assert "Anna Aho (stored)" in page
    assert not [q["sql"] for q in queries.captured_queries
                if '"campaigns_resultsnapshot"."data"' in q["sql"]]


def test_staff_see_the_live_rendering_and_anonymous_visitors_never_get_it(client, campaign_with_results):
    campaign, _snapshot, _people, *_rest = campaign_with_results
    staff = UserFactory(is_staff=True)  # staff, but not a campaign manager
    client.force_login(staff)
    staff_page = client.get(results_url(campaign)).content.decode()
    assert "Pia Pending" in staff_page  # staff see people without consent, with a badge
    client.logout()
    public = client.get(results_url(campaign)).content.decode()
    assert "Pia Pending" not in public and "Anna Aho" in public


def test_a_consent_withdrawn_after_freezing_renders_the_stored_html_again(client, campaign_with_results):
    campaign, snapshot, people, *_rest = campaign_with_results
    nominations.nominee_consent_withdraw(nominee=people["Anna Aho"], now=AFTER_GALA)
    snapshot.refresh_from_db()
    for language in ("fi", "sv", "en"):
        assert "Anna Aho" not in snapshot.public_html[language]
        assert "Anna Aho" not in client.get(results_url(campaign, language)).content.decode()


def test_publication_writes_the_award_rows_the_organisation_page_shows(client, campaign_with_results):
    campaign, snapshot, _people, oulu, kemi, staff = campaign_with_results
    awards = list(OrganisationAward.objects.values_list("organisation_id", "rank", "category_kind"))
    assert awards == [(oulu.pk, 1, AwardCategory.Kind.MOST_ACTIONS)]  # people are not organisation awards

    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/en/organisations/{oulu.slug}/").content.decode()
    assert "Most actions, place 1" in page
    assert not [q["sql"] for q in queries.captured_queries if '"campaigns_resultsnapshot"."data"' in q["sql"]]
    assert "Most actions" not in client.get(f"/en/organisations/{kemi.slug}/").content.decode()


def test_a_new_publication_replaces_the_campaigns_award_rows(campaign_with_results):
    campaign, _snapshot, _people, oulu, kemi, staff = campaign_with_results
    ActionFactory.create_batch(3, organisation=kemi, submitted_at=DURING, published_at=DURING)
    latest = services.results_freeze(campaign=campaign, user=staff, now=AFTER_GALA, confirm=True)
    services.results_publish(campaign=campaign, user=staff, now=AFTER_GALA)
    assert list(OrganisationAward.objects.values_list("snapshot_id", "organisation_id", "rank")) == [
        (latest.pk, kemi.pk, 1)]


def test_freezing_keeps_each_categorys_winners_apart_from_its_full_rows(campaign_with_results):
    campaign, snapshot, people, oulu, kemi, _staff = campaign_with_results
    kept = {item["kind"]: item for item in snapshot.winners["categories"]}
    full = {item["kind"]: item for item in snapshot.data["categories"]}
    assert [row["organisation_id"] for row in kept[AwardCategory.Kind.MOST_ACTIONS]["rows"]] == [oulu.pk]
    assert {row["organisation_id"] for row in full[AwardCategory.Kind.MOST_ACTIONS]["rows"]} == {oulu.pk, kemi.pk}
    assert [row["nominee_id"] for row in kept[AwardCategory.Kind.JURY_PEOPLE]["rows"]] == [people["Anna Aho"].pk]


def test_the_campaign_pages_show_the_winners_kept_at_freezing_not_the_full_rows(client, campaign_with_results):
    campaign, snapshot, _people, oulu, kemi, _staff = campaign_with_results
    # What the winners are read from: emptying every other row changes nothing that is shown.
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(data={"categories": []})
    page = client.get(reverse("campaigns:campaign-detail", args=[campaign.slug])).content.decode()
    page = page[page.index('id="results-title"'):page.index('id="actions-title"')]  # the winners
    assert "Oulu" in page and "Kemi" not in page
    # Pia never consented: she is not among the winners.
    assert "Pia" not in page
