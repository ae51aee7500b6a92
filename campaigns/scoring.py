"""Jury scores: each juror's weighted mean per entry, and the jury's score per entry (the mean over
the jurors who scored it fully, optionally normalised per juror). Conflicts of interest are left
out here (`conflicts.conflict_organisations` decides them): a juror's scores on an entry they are in
conflict with never count.

The rules are DESIGN.md's "Jury"; `campaigns/ranking.py` ranks the categories from these scores.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, Subquery, Sum

from arena.models import Action

from .conflicts import action_conflict, conflict_ids, conflict_organisations, nominee_conflict
from .models import Campaign, Review


@dataclass(frozen=True)
class ScoreSet:
    """One juror's scores on one action, reduced to the weighted mean (None when incomplete)."""

    juror_id: int
    action_id: int
    weighted_mean: float | None


@dataclass(frozen=True)
class JuryScore:
    score: float
    jurors: int
    spread: float


def weighted_mean(scores: dict, weights: dict) -> float | None:
    """Weighted mean of one juror's criterion scores; None when a criterion is missing."""
    if not weights or any(criterion not in scores for criterion in weights):
        return None
    total = sum(float(weights[criterion]) for criterion in weights)
    return sum(float(weights[criterion]) * scores[criterion] for criterion in weights) / total


def jury_scores(score_sets: Iterable[ScoreSet], *, normalise: bool) -> dict[int, JuryScore]:
    """Action id → jury score: the mean over the jurors who scored it fully of their weighted means.

    Incomplete score sets are ignored. With `normalise`, each juror's weighted means are first
    standardised over that juror's complete score sets (z = (s − m) / sd, population standard
    deviation; a juror with zero spread gives z = 0).
    """
    complete = [item for item in score_sets if item.weighted_mean is not None]
    values = {(item.juror_id, item.action_id): item.weighted_mean for item in complete}
    if normalise:
        by_juror = defaultdict(list)
        for item in complete:
            by_juror[item.juror_id].append(item.weighted_mean)
        stats = {}
        for juror, means in by_juror.items():
            mean = sum(means) / len(means)
            stats[juror] = (mean, math.sqrt(sum((m - mean) ** 2 for m in means) / len(means)))
        values = {
            key: ((value - stats[key[0]][0]) / stats[key[0]][1] if stats[key[0]][1] > 0 else 0.0)
            for key, value in values.items()
        }
    per_action = defaultdict(list)
    for (_, action), value in values.items():
        per_action[action].append(value)
    return {
        action: JuryScore(score=sum(vals) / len(vals), jurors=len(vals), spread=max(vals) - min(vals))
        for action, vals in per_action.items()
    }


def campaign_score_sets(*, campaign: Campaign) -> list[ScoreSet]:
    """Every juror's score sets in the campaign, weighted means computed by the database.

    A juror never judges an action they are in conflict with (`conflicts.action_conflict`: its
    organisation or a partner among the juror's conflicts): such score sets, however they got in,
    are left out.
    """
    criteria = Q(scores__criterion__campaign=campaign)
    rows = list(
        Review.objects.filter(juror__campaign=campaign, action__isnull=False)
        .order_by()
        .annotate(
            scored=Count("scores", filter=criteria),
            weighted=Sum(F("scores__value") * F("scores__criterion__weight"), filter=criteria),
            weights=Sum("scores__criterion__weight", filter=criteria),
            criteria=Subquery(
                campaign.criteria.order_by().values("campaign").annotate(n=Count("id")).values("n")[:1]
            ),
        )
        .values("juror_id", "action_id", "scored", "weighted", "weights", "criteria", "juror__user_id",
                "action__organisation_id")
    )
    conflicts = {user_id: conflict_ids(items) for user_id, items in conflict_organisations(
        campaign=campaign, user_ids={row["juror__user_id"] for row in rows}).items()}
    partners: dict[int, set[int]] = {}
    pairs = Action.partners.through.objects.filter(
        action_id__in={row["action_id"] for row in rows}).values_list("action_id", "organisation_id")
    for action_id, organisation_id in pairs if rows else ():
        partners.setdefault(action_id, set()).add(organisation_id)
    rows = [row for row in rows if not action_conflict(
        organisation_ids={row["action__organisation_id"], *partners.get(row["action_id"], ())},
        conflicts=conflicts.get(row["juror__user_id"], frozenset()))]
    return [
        ScoreSet(
            juror_id=row["juror_id"], action_id=row["action_id"],
            weighted_mean=(float(row["weighted"]) / float(row["weights"])
                           if row["criteria"] and row["scored"] == row["criteria"] else None),
        )
        for row in rows
    ]


def subject_score_sets(*, campaign: Campaign, subject: str) -> list[ScoreSet]:
    """Every juror's score sets on nominees (`subject="nominee"`) or organisations
    (`"organisation"`), as `ScoreSet`s keyed by the subject's id (`action_id` holds it).

    Conflicts are left out as for actions (`conflicts.conflict_organisations`): a juror never counts
    for a person from, or an organisation of, an organisation they are in conflict with. For a
    person whose organisation is only known by the typed name, `conflicts.typed_name_conflict`
    decides (conservatively).
    """
    criteria = Q(scores__criterion__campaign=campaign)
    rows = list(
        Review.objects.filter(juror__campaign=campaign, **{f"{subject}__isnull": False})
        .order_by()
        .annotate(
            scored=Count("scores", filter=criteria),
            weighted=Sum(F("scores__value") * F("scores__criterion__weight"), filter=criteria),
            weights=Sum("scores__criterion__weight", filter=criteria),
            criteria=Subquery(
                campaign.criteria.order_by().values("campaign").annotate(n=Count("id")).values("n")[:1]
            ),
        )
        .values("juror_id", f"{subject}_id", "scored", "weighted", "weights", "criteria", "juror__user_id",
                *(("nominee__organisation_id", "nominee__organisation_name") if subject == "nominee" else ()))
    )
    members = conflict_organisations(campaign=campaign, user_ids={row["juror__user_id"] for row in rows})
    if subject == "nominee":
        rows = [row for row in rows if not nominee_conflict(
            organisation_id=row["nominee__organisation_id"], organisation_name=row["nominee__organisation_name"],
            organisations=members.get(row["juror__user_id"], []))]
    else:
        rows = [row for row in rows
                if row["organisation_id"] not in conflict_ids(members.get(row["juror__user_id"], []))]
    return [
        ScoreSet(
            juror_id=row["juror_id"], action_id=row[f"{subject}_id"],
            weighted_mean=(float(row["weighted"]) / float(row["weights"])
                           if row["criteria"] and row["scored"] == row["criteria"] else None),
        )
        for row in rows
    ]


def subject_scores(*, campaign: Campaign, subject: str) -> dict[int, JuryScore]:
    """Jury scores of one kind of subject; normalisation runs over each juror's score sets of that kind."""
    return jury_scores(subject_score_sets(campaign=campaign, subject=subject), normalise=campaign.normalise_scores)
