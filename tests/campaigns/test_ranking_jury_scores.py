"""The jury score as a pure function (DESIGN.md "Jury")."""

import pytest

from campaigns.scoring import ScoreSet, jury_scores, weighted_mean


def test_weighted_mean_of_criterion_scores():
    assert weighted_mean({1: 5, 2: 2}, {1: 2, 2: 1}) == pytest.approx(4.0)


def test_weighted_mean_is_none_when_a_criterion_is_missing():
    assert weighted_mean({1: 5}, {1: 1, 2: 1}) is None
    assert weighted_mean({}, {}) is None


def test_score_is_mean_over_jurors_who_scored_fully():
    scores = jury_scores([
        ScoreSet(juror_id=1, action_id=10, weighted_mean=4.0),
        ScoreSet(juror_id=2, action_id=10, weighted_mean=3.0),
        ScoreSet(juror_id=3, action_id=10, weighted_mean=None),  # incomplete: not counted
        ScoreSet(juror_id=3, action_id=11, weighted_mean=None),
    ], normalise=False)
    assert scores[10].score == pytest.approx(3.5)
    assert scores[10].jurors == 2
    assert scores[10].spread == pytest.approx(1.0)
    assert 11 not in scores


def test_normalisation_uses_population_standard_deviation_per_juror():
    scores = jury_scores([
        ScoreSet(juror_id=1, action_id=10, weighted_mean=2.0),
        ScoreSet(juror_id=1, action_id=11, weighted_mean=4.0),
        ScoreSet(juror_id=1, action_id=12, weighted_mean=3.0),
    ], normalise=True)
    # mean 3, population sd sqrt(2/3) ≈ 0.8165 (the sample sd would be 1.0)
    assert scores[10].score == pytest.approx(-1.2247, abs=1e-4)
    assert scores[11].score == pytest.approx(1.2247, abs=1e-4)
    assert scores[12].score == pytest.approx(0.0)


def test_juror_with_zero_spread_gives_zero():
    scores = jury_scores([
        ScoreSet(juror_id=1, action_id=10, weighted_mean=5.0),
        ScoreSet(juror_id=1, action_id=11, weighted_mean=5.0),
        ScoreSet(juror_id=2, action_id=10, weighted_mean=1.0),
        ScoreSet(juror_id=2, action_id=11, weighted_mean=3.0),
    ], normalise=True)
    # juror 1: z = 0 for both; juror 2: z = -1 and +1
    assert scores[10].score == pytest.approx(-0.5)
    assert scores[11].score == pytest.approx(0.5)


def test_incomplete_sets_do_not_enter_a_jurors_standardisation():
    scores = jury_scores([
        ScoreSet(juror_id=1, action_id=10, weighted_mean=2.0),
        ScoreSet(juror_id=1, action_id=11, weighted_mean=4.0),
        ScoreSet(juror_id=1, action_id=12, weighted_mean=None),
    ], normalise=True)
    assert scores[10].score == pytest.approx(-1.0)
    assert scores[11].score == pytest.approx(1.0)
