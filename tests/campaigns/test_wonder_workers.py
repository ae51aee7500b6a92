"""Wonder-workers: candidates by threshold and by hand, jury conflicts, ranking, normalisation
per kind, one award per winner within a kind, and the results and gala."""

import pytest
import time_machine
from django.urls import reverse

from campaigns import jury, nominations, services
from campaigns.models import AwardCategory
from campaigns.nominations import organisation_candidates
from campaigns.ranking import campaign_results
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CandidateOverrideFactory, CriterionFactory,
    JurorFactory, MembershipFactory, OrganisationFactory, UserFactory, helsinki, nominate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


DURING = helsinki(2026, 3, 15, 12, 0)
SCORING = helsinki(2026, 4, 20, 12, 0)


@pytest.fixture
def wonder():
    campaign = CampaignFactory(slug="kevat-2026")
    most = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.MOST_ACTIONS, winners=1, position=1)
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_ORGANISATIONS, winners=1,
                                    min_actions=3, position=2, name_fi="Ihmeidentekijät", name_en="Wonder-workers")
    criterion = CriterionFactory(campaign=campaign)
    busy = OrganisationFactory(name_fi="Ahkera kunta")
    quiet = OrganisationFactory(name_fi="Hiljainen kunta")
    for n in range(3):
        ActionFactory(organisation=busy, submitted_at=DURING, title=f"Ahkera teko {n}")
    ActionFactory(organisation=quiet, submitted_at=DURING, title="Hiljainen teko")
    return campaign, most, category, criterion, busy, quiet


def test_candidates_by_threshold_and_by_hand(wonder):
    campaign, _, category, _, busy, quiet = wonder
    names = lambda: [c.organisation.name_fi for c in organisation_candidates(  # noqa: E731
        campaign=campaign, category=category, as_of=SCORING)]
    assert names() == ["Ahkera kunta"]
    added = CandidateOverrideFactory(category=category, organisation=quiet, include=True, reason="Rohkea kokeilu")
    assert names() == ["Ahkera kunta", "Hiljainen kunta"]
    candidate = organisation_candidates(campaign=campaign, category=category, as_of=SCORING)[1]
    assert candidate.by_hand and candidate.reason == "Rohkea kokeilu" and candidate.actions == 1
    CandidateOverrideFactory(category=category, organisation=busy, include=False, reason="Ei hakenut")
    assert names() == ["Hiljainen kunta"]
    added.delete()
    assert names() == []


def test_a_juror_never_scores_their_own_organisation(wonder, client):
    campaign, _, category, criterion, busy, _ = wonder
    juror = JurorFactory(campaign=campaign)
    MembershipFactory(user=juror.user, organisation=busy)
    with pytest.raises(jury.JuryError, match="own organisation"):
        jury.subject_review_save(juror=juror, kind="organisation", subject=busy, scores={criterion.pk: 5},
                                 comment="", now=SCORING)
    client.force_login(juror.user)
    with time_machine.travel(SCORING):
        listing = client.get(reverse("campaigns:jury-list", args=[campaign.slug])).content.decode()
        page = client.get(reverse("campaigns:jury-subject-review", args=[campaign.slug, "organisations", busy.pk]))
    assert "Ahkera kunta" in listing and "conflict of interest" in listing.lower() or "esteellisyys" in listing
    assert page.status_code == 403
    assert not busy.jury_reviews.exists()


def test_a_non_candidate_cannot_be_scored(wonder):
    campaign, _, _, criterion, _, quiet = wonder
    with pytest.raises(jury.JuryError, match="not an entry"):
        jury.subject_review_save(juror=JurorFactory(campaign=campaign), kind="organisation", subject=quiet,
                                 scores={criterion.pk: 5}, comment="", now=SCORING)


def test_scoring_after_the_deadline_is_refused(wonder):
    campaign, _, _, criterion, busy, _ = wonder
    campaign.scoring_deadline = helsinki(2026, 4, 19, 16, 0)
    campaign.save()
    with pytest.raises(jury.JuryError, match="deadline"):
        jury.subject_review_save(juror=JurorFactory(campaign=campaign), kind="organisation", subject=busy,
                                 scores={criterion.pk: 5}, comment="", now=SCORING)


def test_an_organisation_can_win_most_actions_and_wonder_worker(wonder, client):
    campaign, most, category, criterion, busy, quiet = wonder
    campaign.one_award_per_action = True
    campaign.save()
    CandidateOverrideFactory(category=category, organisation=quiet, reason="Rohkea kokeilu")
    juror = JurorFactory(campaign=campaign)
    jury.subject_review_save(juror=juror, kind="organisation", subject=busy, scores={criterion.pk: 5}, comment="",
                             now=SCORING)
    jury.subject_review_save(juror=juror, kind="organisation", subject=quiet, scores={criterion.pk: 2},
                             comment="", now=SCORING)
    results = {r.kind: r for r in campaign_results(campaign=campaign, as_of=SCORING)}
    assert [row.name for row in results["most_actions"].winner_rows()] == ["Ahkera kunta"]
    wonder_rows = results["jury_organisations"].winner_rows()
    assert [row.name for row in wonder_rows] == ["Ahkera kunta"]
    assert wonder_rows[0].score == 5 and wonder_rows[0].actions == 3
    assert sorted(wonder_rows[0].action_titles) == ["Ahkera teko 0", "Ahkera teko 1", "Ahkera teko 2"]

    staff = UserFactory(is_staff=True)
    services.results_freeze(campaign=campaign, user=staff, now=SCORING)
    services.results_publish(campaign=campaign, user=staff, now=SCORING)
    gala = client.get(reverse("campaigns:campaign-gala", args=[campaign.slug]) + "?step=4").content.decode()
    assert "Wonder-workers" in gala and "Ahkera teko 0" in gala
    public = client.get(reverse("campaigns:campaign-results-json", args=[campaign.slug])).json()
    wonder_public = [c for c in public["categories"] if c["kind"] == "jury_organisations"][0]
    assert [row["names"]["fi"] for row in wonder_public["rows"]] == ["Ahkera kunta"]  # winners only
    assert wonder_public["unranked"] == []


def test_one_award_per_winner_applies_within_the_kind(wonder):
    campaign, _, category, criterion, busy, _ = wonder
    campaign.one_award_per_action = True
    campaign.save()
    second = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_ORGANISATIONS, winners=1,
                                  min_actions=1, position=3)
    jury.subject_review_save(juror=JurorFactory(campaign=campaign), kind="organisation", subject=busy,
                             scores={criterion.pk: 4}, comment="", now=SCORING)
    results = [r for r in campaign_results(campaign=campaign, as_of=SCORING) if r.category_id == second.pk][0]
    assert results.winner_rows() == []
    assert [row.reason for row in results.unranked if row.name == "Ahkera kunta"] == ["already_awarded"]


def test_normalisation_runs_over_each_kind_separately():
    """A juror harsh on actions but generous to people is standardised within each kind."""
    campaign = CampaignFactory(normalise_scores=True)
    people = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, winners=1)
    criterion = CriterionFactory(campaign=campaign)
    anna = nominate(campaign=campaign, category=people, name="Anna", email="anna@kunta.fi").nominee
    bert = nominate(campaign=campaign, category=people, name="Bert", email="bert@kunta.fi").nominee
    for nominee in (anna, bert):  # only people who consented take places
        nominations.nominee_consent_answer(nominee=nominee, give=True, now=DURING)
    first, second = JurorFactory(campaign=campaign), JurorFactory(campaign=campaign)
    for juror, (a, b) in ((first, (5, 4)), (second, (1, 3))):
        jury.subject_review_save(juror=juror, kind="nominee", subject=anna, scores={criterion.pk: a}, comment="",
                                 now=SCORING)
        jury.subject_review_save(juror=juror, kind="nominee", subject=bert, scores={criterion.pk: b}, comment="",
                                 now=SCORING)
    result = campaign_results(campaign=campaign, as_of=SCORING)[0]
    # Raw means: Anna 3.0, Bert 3.5. z-scores: Anna (1 − 1)/2 = 0, Bert (−1 + 1)/2 = 0 → a tie.
    assert [(row.person_name, row.rank, row.score) for row in result.display_rows()] == [
        ("Anna", 1, 0.0), ("Bert", 1, 0.0)]


def test_chair_view_and_csv_cover_people_and_organisations(wonder, client):
    campaign, _, _, criterion, busy, _ = wonder
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, winners=1)
    nominee = nominate(campaign=campaign, category=campaign.categories.get(kind="jury_people")).nominee
    chair = JurorFactory(campaign=campaign, is_chair=True)
    jury.subject_review_save(juror=chair, kind="organisation", subject=busy, scores={criterion.pk: 4},
                             comment="Rohkeaa", now=SCORING)
    jury.subject_review_save(juror=chair, kind="nominee", subject=nominee, scores={criterion.pk: 3},
                             comment="Innostava", now=SCORING)
    client.force_login(chair.user)
    with time_machine.travel(SCORING):
        page = client.get(reverse("campaigns:jury-chair", args=[campaign.slug])).content.decode()
        csv = client.get(reverse("campaigns:jury-chair-csv", args=[campaign.slug])).content.decode()
    for text in (page, csv):
        assert "Ahkera kunta" in text and "Rohkeaa" in text and "Hanna Sankari" in text and "Innostava" in text
