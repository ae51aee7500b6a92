"""The juror's list of entries: a fixed number of queries whatever the number of entries.

The list of a campaign with hundreds of entries used to build every action as a model instance,
count each juror's scores in a query and render every row on every request. Now every request
reads, in a fixed number of queries: the juror role with its campaign, the campaign's entries as
compact rows (title, organisation, jury categories, sectors, partner organisations: one query per
jury category, one for the rows, one for their sectors, one for their partners), the criteria
count, the sectors for the filter, how many criteria the juror has scored per action and their
conflicts of interest (`conflicts.conflict_organisations`). Filtering, progress, the next
unscored entry and the page are plain Python over those rows, and only one page of rows (50) is
rendered. The campaign's part (the entries, the criteria count, the filter choices: the same for
every juror) is kept in the shared cache under the campaign's scope, which the campaign admin
renews when it saves categories, shortlists or criteria; the juror's part (their role, scores and
conflicts) is read on every request, so a score, a membership, the chair's flag or a juror removed
through any app server shows at the next request.

The same rules as `jury.juror_entries` (which the services and the demo command keep using):
`JurorList.entries()` returns the same `Entry` objects, with a light `ListedAction` instead of a
model instance. The review page, its autosave and "next unscored entry" use it too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from arena.cache import ACTIONS, TAXONOMY, cached, campaign_scope
from arena.models import Action, Sector

from .conflicts import action_conflict, action_organisation_ids, conflict_ids, juror_conflicts
from .jury import Entry, entry_categories, juror_by_slug, jury_categories
from .models import Campaign, Juror, Review, Score
from .ranking import localised

PAGE_SIZE = 50


@dataclass(frozen=True)
class ListedAction:
    """What the juror's list shows of an action (the review page loads the whole action)."""

    pk: int
    title: str
    organisation_id: int | None
    organisation_names: tuple  # (fi, sv, en)
    sector_ids: frozenset
    partner_ids: frozenset = frozenset()

    @property
    def organisation(self) -> str:
        fi, sv, en = self.organisation_names
        return localised({"fi": fi, "sv": sv, "en": en})

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class CampaignEntries:
    """The campaign's part of every juror's list."""

    rows: tuple  # (ListedAction, tuple of jury categories), by title
    criteria: int
    categories: tuple  # the jury categories, for the filter
    sectors: tuple  # every sector, for the filter


def _campaign_entries_now(*, campaign: Campaign, now: datetime.datetime) -> CampaignEntries:
    categories = jury_categories(campaign=campaign)
    by_action = entry_categories(campaign=campaign, now=now, categories=categories)
    sectors: dict[int, set] = {}
    for action_id, sector_id in Action.sectors.through.objects.filter(
            action_id__in=list(by_action)).values_list("action_id", "sector_id"):
        sectors.setdefault(action_id, set()).add(sector_id)
    partners: dict[int, set] = {}
    for action_id, organisation_id in Action.partners.through.objects.filter(
            action_id__in=list(by_action)).values_list("action_id", "organisation_id"):
        partners.setdefault(action_id, set()).add(organisation_id)
    rows = tuple(
        (ListedAction(pk=pk, title=title, organisation_id=organisation_id, organisation_names=(fi, sv, en),
                      sector_ids=frozenset(sectors.get(pk, ())), partner_ids=frozenset(partners.get(pk, ()))),
         tuple(by_action[pk]))
        for pk, title, organisation_id, fi, sv, en in Action.objects.filter(pk__in=list(by_action))
        .order_by("title", "id")
        .values_list("id", "title", "organisation_id", "organisation__name_fi", "organisation__name_sv",
                     "organisation__name_en")
    )
    return CampaignEntries(rows=rows, criteria=campaign.criteria.count(), categories=tuple(categories),
                           sectors=tuple(Sector.objects.order_by("position", "id")))


def campaign_entries(*, campaign: Campaign, now: datetime.datetime) -> CampaignEntries:
    """The campaign's part of every juror's list, the same for every juror: kept in the shared cache
    under the campaign's scope (its categories, shortlists and criteria are edited in the campaign
    admin, which renews it), the published actions' and the taxonomy's, for at most a minute."""
    return cached(f"campaigns:jury-entries:{campaign.pk}", lambda: _campaign_entries_now(campaign=campaign, now=now),
                  scopes=[campaign_scope(campaign.pk), ACTIONS, TAXONOMY], timeout=60)


def _scored_now(*, juror: Juror) -> dict[int, int]:
    """Action id → criteria of this campaign the juror has scored (an index lookup per review)."""
    scored = (
        Score.objects.filter(review=OuterRef("pk"), criterion__campaign_id=juror.campaign_id)
        .order_by().values("review").annotate(n=Count("*")).values("n")
    )
    return dict(
        Review.objects.filter(juror=juror, action__isnull=False).order_by()
        .annotate(n=Coalesce(Subquery(scored, output_field=IntegerField()), 0))
        .values_list("action_id", "n")
    )



class JurorList:
    """One request's view of a juror's list."""

    def __init__(self, *, juror: Juror, now: datetime.datetime):
        self.juror, self.now, self.campaign = juror, now, juror.campaign
        self.conflicts = conflict_ids(juror_conflicts(juror))

    @classmethod
    def for_user(cls, *, user, slug: str, now: datetime.datetime) -> JurorList | None:
        """The list of the user's juror role in the campaign with this slug, or None when they have
        none (or are not logged in)."""
        juror = juror_by_slug(slug=slug, user=user)
        return None if juror is None else cls(juror=juror, now=now)

    def entries(self) -> tuple[list[Entry], CampaignEntries]:
        """The juror's entries (as `jury.juror_entries` gives them) and the campaign's filter choices."""
        shared = campaign_entries(campaign=self.campaign, now=self.now)
        scored = _scored_now(juror=self.juror)
        entries = []
        for action, categories in shared.rows:
            conflict = action_conflict(organisation_ids=action_organisation_ids(action), conflicts=self.conflicts)
            entries.append(Entry(action=action, categories=list(categories), conflict=conflict,
                                 scored=0 if conflict else scored.get(action.pk, 0), criteria=shared.criteria))
        return entries, shared
