"""The counts of published actions that pages show, kept in `PublishedTally` rows.

Every service that changes whether an action is public, which organisation, sectors or themes
it has, or how many adoptions it has, calls one of these inside its transaction while it holds
the action's row lock:

- `tallies_follow(action_id)` around a change of state or content: it reads what the action
  contributes before and after and adds the difference;
- `tally_adoptions_add(action_id, delta)` after an adoption is added or withdrawn.

`tallies_rebuild()` recomputes every row from the actions (the data migration, the bench seed,
`manage.py rebuild_tallies`, after bulk changes that bypass the services).
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .models import Action, PublishedTally

Kind = PublishedTally.Kind
# A tally key: (kind, organisation_id, month, sector_id, theme_id).
Key = tuple[str, int | None, datetime.date | None, int | None, int | None]


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the month (Europe/Helsinki) of a publication time."""
    return timezone.localtime(moment).date().replace(day=1)


def _org_key(organisation_id) -> Key:
    return (Kind.ORGANISATION, organisation_id, None, None, None)


def action_contribution(action_id: int) -> tuple[Counter, Counter]:
    """(actions, adoptions) per tally key that the action adds now: nothing unless it is published."""
    row = (Action.objects.filter(pk=action_id, status=Action.Status.PUBLISHED)
           .values("organisation_id", "published_at", "adoption_count").first())
    actions: Counter = Counter()
    adoptions: Counter = Counter()
    if row is None:
        return actions, adoptions
    org_key = _org_key(row["organisation_id"])
    actions[org_key] += 1
    adoptions[org_key] += row["adoption_count"]
    if row["published_at"] is not None:
        actions[(Kind.MONTH, None, month_of(row["published_at"]), None, None)] += 1
    for sector_id in Action.sectors.through.objects.filter(action_id=action_id).values_list("sector_id", flat=True):
        actions[(Kind.SECTOR, None, None, sector_id, None)] += 1
    for theme_id in Action.themes.through.objects.filter(action_id=action_id).values_list("theme_id", flat=True):
        actions[(Kind.THEME, None, None, None, theme_id)] += 1
    return actions, adoptions


def _add(key: Key, *, actions: int = 0, adoptions: int = 0) -> None:
    kind, organisation_id, month, sector_id, theme_id = key
    tally, _created = PublishedTally.objects.get_or_create(
        kind=kind, organisation_id=organisation_id, month=month, sector_id=sector_id, theme_id=theme_id)
    PublishedTally.objects.filter(pk=tally.pk).update(actions=F("actions") + actions,
                                                      adoptions=F("adoptions") + adoptions)


@contextlib.contextmanager
def tallies_follow(action_id: int | None):
    """Add to the tallies what the change made inside the block did to the action's contribution.
    The caller holds the transaction and the action's row lock (`select_for_update`)."""
    if action_id is None:  # a new action: a draft, which contributes nothing
        yield
        return
    assert transaction.get_connection().in_atomic_block, "tallies_follow() needs the caller's transaction"
    before = action_contribution(action_id)
    yield
    tallies_apply(action_id, before)


def tallies_apply(action_id: int, before: tuple[Counter, Counter]) -> None:
    """Add the difference between the action's contribution now and `before` (what
    `action_contribution` returned before the change, under the same row lock)."""
    before_actions, before_adoptions = before
    after_actions, after_adoptions = action_contribution(action_id)
    # In one order for every writer, so that two transactions never wait for each other's rows.
    for key in sorted(set(before_actions) | set(after_actions) | set(before_adoptions) | set(after_adoptions),
                      key=repr):
        actions = after_actions[key] - before_actions[key]
        adoptions = after_adoptions[key] - before_adoptions[key]
        if actions or adoptions:
            _add(key, actions=actions, adoptions=adoptions)


def tally_adoptions_add(action_id: int, delta: int) -> None:
    """An adoption of the action was added (+1) or withdrawn (−1): counted when it is published.
    The caller has just updated the action's adoption_count in its transaction (which locks the row)."""
    row = Action.objects.filter(pk=action_id, status=Action.Status.PUBLISHED).values("organisation_id").first()
    if row is not None:
        _add(_org_key(row["organisation_id"]), adoptions=delta)


def tallies_from_scratch() -> dict[Key, tuple[int, int]]:
    """Every tally computed from the actions: key → (actions, adoptions)."""
    published = Action.objects.published()
    rows: dict[Key, tuple[int, int]] = {}
    for row in published.values("organisation_id").annotate(n=Count("id"), a=Coalesce(Sum("adoption_count"), 0)):
        rows[_org_key(row["organisation_id"])] = (row["n"], row["a"])
    months: Counter = Counter()
    for row in (published.filter(published_at__isnull=False).annotate(m=TruncMonth("published_at"))
                .values("m").annotate(n=Count("id"))):
        months[month_of(row["m"])] += row["n"]
    for month, n in months.items():
        rows[(Kind.MONTH, None, month, None, None)] = (n, 0)
    for row in (Action.sectors.through.objects.filter(action__status=Action.Status.PUBLISHED)
                .values("sector_id").annotate(n=Count("id"))):
        rows[(Kind.SECTOR, None, None, row["sector_id"], None)] = (row["n"], 0)
    for row in (Action.themes.through.objects.filter(action__status=Action.Status.PUBLISHED)
                .values("theme_id").annotate(n=Count("id"))):
        rows[(Kind.THEME, None, None, None, row["theme_id"])] = (row["n"], 0)
    return rows


def tallies_kept() -> dict[Key, tuple[int, int]]:
    """The tallies as stored (rows at zero left out), in the shape of `tallies_from_scratch()`."""
    return {
        (t.kind, t.organisation_id, t.month, t.sector_id, t.theme_id): (t.actions, t.adoptions)
        for t in PublishedTally.objects.all() if t.actions or t.adoptions
    }


def tallies_rebuild() -> int:
    """Replace every tally with a count from scratch (locks the table meanwhile). Returns the rows."""
    with transaction.atomic():
        with connection.cursor() as cursor:  # writers of the tallies wait until the new rows are in
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(PublishedTally._meta.db_table)} IN EXCLUSIVE MODE")
        rows = tallies_from_scratch()
        PublishedTally.objects.all().delete()
        PublishedTally.objects.bulk_create(
            PublishedTally(kind=kind, organisation_id=organisation_id, month=month, sector_id=sector_id,
                           theme_id=theme_id, actions=actions, adoptions=adoptions)
            for (kind, organisation_id, month, sector_id, theme_id), (actions, adoptions) in rows.items()
        )
    return len(rows)


def published_tallies(kind: str):
    """The kept counts of one kind that have published actions."""
    return PublishedTally.objects.filter(kind=kind, actions__gt=0)
