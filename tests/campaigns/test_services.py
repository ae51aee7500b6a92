"""Freezing and publishing results."""

import pytest

from arena.models import Action
from campaigns.models import AwardCategory, Campaign
from campaigns.selectors import latest_snapshot, snapshot_categories
from campaigns.services import ConfirmationRequired, ResultsError, results_freeze, results_publish
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CriterionFactory, EmployeeCountFactory, JurorFactory, OrganisationFactory,
    helsinki, score_action,
)

pytestmark = pytest.mark.django_db

AT_GALA = helsinki(2026, 4, 19, 19, 0)


def summary(snapshot):
    return [
        (category.name, [(row.rank, row.name, getattr(row, "actions", None), getattr(row, "employees", None),
                          getattr(row, "score", None)) for row in category.rows])
        for category in snapshot_categories(snapshot)
    ]


def test_freeze_then_edits_do_not_change_the_snapshot(campaign, staff):
    per_employee = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.PER_EMPLOYEE, min_actions=1,
                                        position=2, name_fi="Suhteutettu")
    jury = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY, position=3, name_fi="Tuomaristo")
    criterion, juror = CriterionFactory(campaign=campaign), JurorFactory(campaign=campaign)
    liminka = OrganisationFactory(name_fi="Liminka")
    count = EmployeeCountFactory(organisation=liminka, employees=500)
    first = ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, 2, 9), title="Eka")
    second = ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, 3, 9), title="Toka")
    review = score_action(juror, first, {criterion: 4})
    score_action(juror, second, {criterion: 2})

    snapshot = results_freeze(campaign=campaign, user=staff, now=AT_GALA)
    before = summary(snapshot)
    assert snapshot.frozen_at == AT_GALA and snapshot.frozen_by == staff
    assert before[0][1] == [(1, "Liminka", 2, None, None)]
    assert before[1][1] == [(1, "Liminka", 2, 500, None)]
    assert [row[1] for row in before[2][1]] == ["Eka", "Toka"]

    # Later edits: an action hidden, a new late-published one, a score changed, an employee count changed.
    second.status = Action.Status.HIDDEN
    second.save()
    ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, 4, 9))
    review.scores.update(value=1)
    count.employees = 50
    count.save()
    liminka.name_fi = "Limingan kunta"
    liminka.save()
    per_employee.delete()
    jury.name_fi = "Uusi nimi"
    jury.save()

    snapshot.refresh_from_db()
    assert summary(snapshot) == before
    assert summary(latest_snapshot(campaign)) == before


def test_freeze_before_the_end_is_refused(campaign, staff):
    with pytest.raises(ResultsError):
        results_freeze(campaign=campaign, user=staff, now=helsinki(2026, 4, 12, 23, 59))
    assert not campaign.snapshots.exists()


def test_freezing_twice_asks_for_confirmation_and_keeps_history(campaign, staff):
    organisation = OrganisationFactory(name_fi="Ii")
    ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 2, 9))
    first = results_freeze(campaign=campaign, user=staff, now=AT_GALA)
    with pytest.raises(ConfirmationRequired):
        results_freeze(campaign=campaign, user=staff, now=helsinki(2026, 4, 19, 19, 5))
    assert campaign.snapshots.count() == 1
    ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 3, 9))
    second = results_freeze(campaign=campaign, user=staff, now=helsinki(2026, 4, 19, 19, 10), confirm=True)
    assert list(campaign.snapshots.order_by("frozen_at")) == [first, second]
    assert summary(first)[0][1] == [(1, "Ii", 1, None, None)]
    assert summary(second)[0][1] == [(1, "Ii", 2, None, None)]


def test_publish_the_latest_snapshot(campaign, staff):
    with pytest.raises(ResultsError):
        results_publish(campaign=campaign, user=staff, now=AT_GALA)
    snapshot = results_freeze(campaign=campaign, user=staff, now=AT_GALA)
    campaign.refresh_from_db()
    assert campaign.results_state == Campaign.ResultsState.FROZEN
    results_publish(campaign=campaign, user=staff, now=helsinki(2026, 4, 19, 19, 30))
    snapshot.refresh_from_db()
    campaign.refresh_from_db()
    assert snapshot.published_at == helsinki(2026, 4, 19, 19, 30) and snapshot.published_by == staff
    assert campaign.results_state == Campaign.ResultsState.PUBLISHED
    with pytest.raises(ResultsError):
        results_publish(campaign=campaign, user=staff, now=AT_GALA)
