"""The jury rules (DESIGN.md "Jury"), computed by hand and checked through the services.

Weights 2:1:1; weighted mean = (2·inspiring + impact + transferability) / 4.

             X-teko          Y-teko          Z-teko
  lenient    5,5,4 → 4.75    4,5,5 → 4.50    5,4,4 → 4.50
  harsh      3,2,2 → 2.50    1,2,2 → 1.50    2,2,1 → 1.75
  conflicted 4,3,3 → 3.50    3,4,4 → 3.50    (member of Z's organisation: no score)

Raw: X = (4.75 + 2.5 + 3.5) / 3 = 3.5833; Y = (4.5 + 1.5 + 3.5) / 3 = 3.1667; Z = (4.5 + 1.75) / 2 = 3.125.
z-scores per juror (population sd):
  lenient: mean 4.5833, sd √(0.041667/3) = 0.11785 → X +1.4142, Y −0.7071, Z −0.7071
  harsh:   mean 1.9167, sd √(0.54167/3) = 0.42492 → X +1.3728, Y −0.9806, Z −0.3922
  conflicted: zero spread → 0 for both
Normalised: X = (1.4142 + 1.3728 + 0) / 3 = 0.9290; Y = (−0.7071 − 0.9806 + 0) / 3 = −0.5626;
Z = (−0.7071 − 0.3922) / 2 = −0.5497 — normalisation puts Z ahead of Y.
"""

import datetime

import pytest
from django.utils import translation

from campaigns import jury
from campaigns.models import Review, Score
from campaigns.ranking import NOT_SCORED, campaign_results
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory,
)
from tests.campaigns.jury_setup import DEADLINE, SCORING, make_jury, score_all, scores_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are checked in English (the messages are translated for users)."""
    with translation.override("en"):
        yield


def jury_result(campaign):
    return next(result for result in campaign_results(campaign=campaign, as_of=SCORING) if result.is_jury)


def chair_rows(j, user=None, sort="score"):
    overview = jury.chair_overview(campaign=j.campaign, user=user or j.lenient.user, now=SCORING, sort=sort)
    return overview, {row.action.title: row for row in overview.rows}


def test_raw_jury_score_is_the_mean_of_the_jurors_weighted_means():
    j = make_jury()
    score_all(j)
    result = jury_result(j.campaign)
    ranked = {row.title: (row.rank, row.score, row.jurors) for row in result.rows}
    assert ranked["X-teko"] == (1, pytest.approx(3.5833, abs=1e-4), 3)
    assert ranked["Y-teko"] == (2, pytest.approx(3.1667, abs=1e-4), 3)
    assert ranked["Z-teko"] == (3, pytest.approx(3.125, abs=1e-4), 2)
    assert [row.title for row in result.winner_rows()] == ["X-teko"]


def test_normalised_scores_cancel_lenient_and_harsh_jurors():
    j = make_jury(normalise_scores=True)
    score_all(j)
    result = jury_result(j.campaign)
    assert [(row.title, row.rank) for row in result.display_rows()] == [("X-teko", 1), ("Z-teko", 2), ("Y-teko", 3)]
    scores = {row.title: row.score for row in result.rows}
    assert scores["X-teko"] == pytest.approx(0.9290, abs=1e-4)
    assert scores["Z-teko"] == pytest.approx(-0.5497, abs=1e-4)
    assert scores["Y-teko"] == pytest.approx(-0.5626, abs=1e-4)


def test_chair_sees_raw_and_normalised_scores_with_spread():
    j = make_jury(normalise_scores=True)
    score_all(j)
    overview, rows = chair_rows(j, user=j.lenient.user)
    assert overview.normalise is True
    x = rows["X-teko"]
    assert (x.score, x.normalised, x.jurors) == (pytest.approx(3.5833, abs=1e-4), pytest.approx(0.9290, abs=1e-4), 3)
    assert (x.minimum, x.maximum) == (2.5, 4.75)
    assert x.stdev == pytest.approx(0.9204, abs=1e-4)  # √(((1.1667)² + (1.0833)² + (0.0833)²) / 3)
    z = rows["Z-teko"]
    assert (z.jurors, z.minimum, z.maximum, z.stdev) == (2, 1.75, 4.5, pytest.approx(1.375))
    assert [juror.pk for juror in z.conflicted] == [j.conflicted.pk]
    assert {review.juror.pk: review.comment for review in x.reviews}[j.harsh.pk] == "Ankara Tuomari / X"
    assert rows["W-teko"].score is None and rows["W-teko"].jurors == 0
    assert [row.action.title for row in overview.rows][:3] == ["X-teko", "Y-teko", "Z-teko"]  # raw score order


def test_chair_view_sorts_by_normalised_score_and_title():
    j = make_jury(normalise_scores=True)
    score_all(j)
    by_normalised, _rows = chair_rows(j, sort="normalised")
    assert [row.action.title for row in by_normalised.rows] == ["X-teko", "Z-teko", "Y-teko", "W-teko"]
    by_title, _rows = chair_rows(j, sort="title")
    assert [row.action.title for row in by_title.rows] == ["W-teko", "X-teko", "Y-teko", "Z-teko"]


def test_partial_score_set_is_saved_but_not_counted_until_complete():
    j = make_jury()
    score_all(j)
    w = j.actions["W"]
    jury.review_save(juror=j.harsh, action=w, scores={j.criteria[0].pk: 5}, comment=None, now=SCORING)
    assert Score.objects.filter(review__action=w).count() == 1
    result = jury_result(j.campaign)
    assert [(row.title, row.reason) for row in result.unranked] == [("W-teko", NOT_SCORED)]
    _overview, rows = chair_rows(j)
    assert rows["W-teko"].jurors == 0 and not rows["W-teko"].reviews[0].complete

    jury.review_save(juror=j.harsh, action=w, scores={j.criteria[1].pk: 1, j.criteria[2].pk: 1}, comment=None,
                     now=SCORING)
    result = jury_result(j.campaign)
    assert {row.title: row.score for row in result.rows}["W-teko"] == pytest.approx(3.0)  # (2·5 + 1 + 1) / 4


def test_a_partial_set_stays_out_of_the_jurors_normalisation():
    j = make_jury(normalise_scores=True)
    score_all(j)
    jury.review_save(juror=j.lenient, action=j.actions["W"], scores={j.criteria[0].pk: 1}, comment="", now=SCORING)
    scores = {row.title: row.score for row in jury_result(j.campaign).rows}
    assert scores["X-teko"] == pytest.approx(0.9290, abs=1e-4)  # unchanged by the lenient juror's partial W


def test_a_juror_with_one_score_set_contributes_zero_after_normalisation():
    j = make_jury(normalise_scores=True)
    score_all(j)
    single = JurorFactory(campaign=j.campaign)
    jury.review_save(juror=single, action=j.actions["Y"], scores=scores_for(j.criteria, (5, 5, 5)), comment="",
                     now=SCORING)
    scores = {row.title: row.score for row in jury_result(j.campaign).rows}
    # Y: (−0.7071 − 0.9806 + 0 + 0) / 4 = −0.4219; the single set gives z = 0, not a division by zero
    assert scores["Y-teko"] == pytest.approx(-0.4219, abs=1e-4)


def test_conflict_of_interest_is_listed_never_scored_and_not_counted():
    j = make_jury()
    entries = jury.juror_entries(juror=j.conflicted, now=SCORING)
    assert [(entry.action.title, entry.conflict) for entry in entries] == [
        ("W-teko", False), ("X-teko", False), ("Y-teko", False), ("Z-teko", True)]
    assert jury.entries_progress(entries).as_dict() == {"scored": 0, "total": 3}
    with pytest.raises(jury.JuryError, match="conflict of interest"):
        jury.review_save(juror=j.conflicted, action=j.actions["Z"], scores=scores_for(j.criteria, (5, 5, 5)),
                         comment="Hieno!", now=SCORING)
    assert not Review.objects.filter(juror=j.conflicted).exists()
    assert jury.next_unscored(entries, after=j.actions["Y"].pk) is entries[0]  # wraps to W, skipping Z


def test_any_membership_is_a_conflict_whatever_its_role_or_status():
    j = make_jury()
    MembershipFactory(user=j.lenient.user, organisation=j.organisations[0], role="admin")
    titles = {entry.action.title for entry in jury.juror_entries(juror=j.lenient, now=SCORING) if entry.conflict}
    assert titles == {"X-teko"}


def test_progress_counts_only_complete_score_sets():
    j = make_jury()
    jury.review_save(juror=j.lenient, action=j.actions["X"], scores=scores_for(j.criteria, (5, 5, 4)), comment="",
                     now=SCORING)
    jury.review_save(juror=j.lenient, action=j.actions["Y"], scores={j.criteria[0].pk: 3}, comment="", now=SCORING)
    entries = jury.juror_entries(juror=j.lenient, now=SCORING)
    assert jury.entries_progress(entries).as_dict() == {"scored": 1, "total": 4}
    assert {entry.action.title: entry.status for entry in entries} == {
        "W-teko": "unscored", "X-teko": "complete", "Y-teko": "partial", "Z-teko": "unscored"}
    assert [e.action.title for e in jury.entries_filter(entries, status="todo")] == ["W-teko", "Y-teko", "Z-teko"]
    assert jury.next_unscored(entries, after=j.actions["X"].pk).action.title == "Y-teko"


def test_jurors_only_see_their_own_campaigns_entries():
    j = make_jury()
    other = CampaignFactory(starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 10, 12))
    AwardCategoryFactory(campaign=other, kind="jury")
    autumn = ActionFactory(title="Syksyn teko", submitted_at=datetime.datetime(2026, 9, 10, 9, tzinfo=datetime.UTC))
    titles = {entry.action.title for entry in jury.juror_entries(juror=j.lenient, now=helsinki_late())}
    assert "Syksyn teko" not in titles
    with pytest.raises(jury.JuryError, match="not an entry"):
        jury.review_save(juror=j.lenient, action=autumn, scores=scores_for(j.criteria, (3, 3, 3)), comment="",
                         now=SCORING)
    assert not Review.objects.filter(action=autumn).exists()


def helsinki_late():
    return datetime.datetime(2026, 10, 20, 12, tzinfo=datetime.UTC)


def test_entries_follow_the_jury_categories_limits():
    j = make_jury()
    j.category.shortlist.set([j.actions["X"], j.actions["Y"]])
    titles = [entry.action.title for entry in jury.juror_entries(juror=j.lenient, now=SCORING)]
    assert titles == ["X-teko", "Y-teko"]


def test_scores_cannot_change_after_the_deadline():
    j = make_jury()
    x = j.actions["X"]
    jury.review_save(juror=j.lenient, action=x, scores=scores_for(j.criteria, (5, 5, 4)), comment="ok",
                     now=DEADLINE - datetime.timedelta(seconds=1))
    with pytest.raises(jury.JuryError, match="deadline"):
        jury.review_save(juror=j.lenient, action=x, scores=scores_for(j.criteria, (1, 1, 1)), comment="late",
                         now=DEADLINE)
    review = Review.objects.get(juror=j.lenient, action=x)
    assert review.comment == "ok"
    assert sorted(review.scores.values_list("value", flat=True)) == [4, 5, 5]


@pytest.mark.parametrize("value", [0, 6, -1, True])
def test_a_score_outside_the_scale_is_refused_and_nothing_is_saved(value):
    j = make_jury()
    scores = {j.criteria[0].pk: 4, j.criteria[1].pk: value, j.criteria[2].pk: 3}
    with pytest.raises(jury.JuryError, match="Impact"):
        jury.review_save(juror=j.lenient, action=j.actions["X"], scores=scores, comment="x", now=SCORING)
    assert not Review.objects.exists() and not Score.objects.exists()


def test_a_criterion_of_another_campaign_is_refused_and_nothing_is_saved():
    j = make_jury()
    foreign = CriterionFactory()
    scores = {j.criteria[0].pk: 4, foreign.pk: 3}
    with pytest.raises(jury.JuryError, match="does not belong"):
        jury.review_save(juror=j.lenient, action=j.actions["X"], scores=scores, comment="x", now=SCORING)
    assert not Review.objects.exists() and not Score.objects.exists()


def test_a_score_can_be_changed_and_cleared_and_the_comment_kept():
    j = make_jury()
    x = j.actions["X"]
    jury.review_save(juror=j.lenient, action=x, scores=scores_for(j.criteria, (5, 5, 4)), comment="Hyvä",
                     now=SCORING)
    jury.review_save(juror=j.lenient, action=x, scores={j.criteria[0].pk: 2, j.criteria[2].pk: None}, comment=None,
                     now=SCORING)
    review = Review.objects.get(juror=j.lenient, action=x)
    assert dict(review.scores.values_list("criterion_id", "value")) == {j.criteria[0].pk: 2, j.criteria[1].pk: 5}
    assert review.comment == "Hyvä"


def test_default_criteria_for_a_campaign_without_criteria():
    campaign = CampaignFactory()
    created = jury.criteria_create_defaults(campaign=campaign)
    assert [(c.name_fi, c.name_sv, c.name_en, c.scale_min, c.scale_max, c.weight) for c in created] == [
        ("Innostavuus", "Inspirerande", "Inspiring", 1, 5, 1),
        ("Vaikuttavuus", "Effekt", "Impact", 1, 5, 1),
        ("Siirrettävyys", "Överförbarhet", "Transferability", 1, 5, 1),
    ]
    assert jury.criteria_create_defaults(campaign=campaign) == []  # never twice
    assert campaign.criteria.count() == 3
