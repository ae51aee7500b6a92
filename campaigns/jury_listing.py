"""The juror's list of entries, fast at any size: cached parts, filters and pages in memory.

The list of a campaign with hundreds of entries used to build every action as a model
instance, count each juror's scores in a query and render every row on every request. Now:

- The campaign's part (its entries with title, organisation, jury categories and sectors, the
  criteria count, the filter choices) is the same for every juror. It is computed once per
  process and kept while the public content's generation (`arena.cache`: publish, edit, hide…)
  and the jury's generation (categories, shortlists, criteria, the campaign itself; renewed by
  the signals below) stay the same, for at most `CAMPAIGN_TIMEOUT` seconds (this bounds the
  staleness of what nobody announces, such as an organisation's kind changed in the admin).
  While the campaign period runs, `now` is part of the key to the minute (actions submitted
  later are not entries yet).
- The juror's part: how many criteria they have scored per action, kept per process under the
  user's scores token, which is renewed whenever one of their reviews is saved (every save of
  scores saves the review) or deleted; at most `JUROR_TIMEOUT` seconds. Their conflicts of
  interest, likewise under the user's token, renewed by every change of their memberships.
- The juror role itself (who is a juror of which campaign, with the campaign), kept per process
  under the jury's generation, which every change of a juror or a campaign renews. It is looked
  up in the database whenever the generation is unknown (never kept under a missing token; the
  request sets one), so a juror removed from the jury loses the pages at their next request.
- The whole rendered page, kept per process under all of the above (and the language and the
  URL with its filters and page); the CSRF token of the logout form is put in per request.
- All the tokens come in one cache query; filtering, progress, the next unscored entry and the
  page are plain Python over compact rows, and only one page of rows is rendered.

The same rules as `jury.juror_entries` (which the services and the demo command keep using):
`JurorList.entries()` returns the same `Entry` objects, with a light `ListedAction` instead of a
model instance. The review page, its autosave and "next unscored entry" use it too (a save
renews the juror's token first, so the progress they report is the new one).
"""

from __future__ import annotations

import copy
import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from arena.cache import GENERATION_KEY
from arena.models import Action, Sector
from orgs import signed_in
from orgs.models import Membership
from orgs.signed_in import LocalCache, renew, token_for_next_request

from .jury import Entry, conflict_organisation_ids, entry_categories, juror_by_slug, jury_categories
from .models import AwardCategory, CandidateOverride, Campaign, Criterion, Juror, Nomination, Nominee, Review, Score
from .ranking import localised

PAGE_SIZE = 50
JURY_GENERATION_KEY = "campaigns:jury-generation"
CAMPAIGN_TIMEOUT = 300
JUROR_TIMEOUT = 300


@dataclass(frozen=True)
class ListedAction:
    """What the juror's list shows of an action (the review page loads the whole action)."""

    pk: int
    title: str
    organisation_id: int | None
    organisation_names: tuple  # (fi, sv, en)
    sector_ids: frozenset

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


# --- Generations -------------------------------------------------------------------------------
#
# Tokens in the shared cache, renewed by the changes below; a process keeps what it computed under
# the tokens it saw. Reading never writes: a missing token reads as "" (it only goes missing when
# the cache is cleared or culled, and the age limits bound what that could leave stale).


def _scores_key(user_id: int) -> str:
    return f"campaigns:jury-scores:{user_id}"


def jury_changed() -> None:
    """A category, shortlist, criterion or campaign changed: every juror's list is computed again."""
    renew(JURY_GENERATION_KEY)


def juror_scores_changed(*, user_id: int) -> None:
    """The juror's scores changed (in any campaign): their counts are read again."""
    renew(_scores_key(user_id))


def _on_jury_change(sender, **kwargs):
    jury_changed()


def _on_review_change(sender, instance, **kwargs):
    # Every save of scores through the services (and the admin) saves the review as well.
    if Review.juror.is_cached(instance):
        user_id = instance.juror.user_id
    else:
        user_id = Juror.objects.filter(pk=instance.juror_id).values_list("user_id", flat=True).first()
    if user_id is not None:
        juror_scores_changed(user_id=user_id)


def _user_key(user_id: int) -> str:
    return f"campaigns:jury-user:{user_id}"


def _on_membership_change(sender, instance, **kwargs):
    renew(_user_key(instance.user_id))  # the user's conflicts of interest


for _model in (Campaign, Juror, AwardCategory, Criterion, Nominee, Nomination, CandidateOverride):
    post_save.connect(_on_jury_change, sender=_model, dispatch_uid=f"jury-list-save-{_model.__name__}")
    post_delete.connect(_on_jury_change, sender=_model, dispatch_uid=f"jury-list-delete-{_model.__name__}")
for _through in (AwardCategory.themes.through, AwardCategory.sectors.through, AwardCategory.shortlist.through):
    m2m_changed.connect(_on_jury_change, sender=_through, dispatch_uid=f"jury-list-m2m-{_through.__name__}")
post_save.connect(_on_review_change, sender=Review, dispatch_uid="jury-list-review-saved")
post_delete.connect(_on_review_change, sender=Review, dispatch_uid="jury-list-review-deleted")
post_save.connect(_on_membership_change, sender=Membership, dispatch_uid="jury-list-membership-saved")
post_delete.connect(_on_membership_change, sender=Membership, dispatch_uid="jury-list-membership-deleted")


# --- What each process keeps ------------------------------------------------------------------------


_campaigns = LocalCache(size=16, max_age=CAMPAIGN_TIMEOUT)
_jurors = LocalCache(size=2000, max_age=JUROR_TIMEOUT)
_roles = LocalCache(size=2000, max_age=JUROR_TIMEOUT)


def _as_of_key(campaign: Campaign, now: datetime.datetime) -> str:
    return "after" if now >= campaign.period_end else now.strftime("%Y%m%d%H%M")


def _campaign_entries_now(*, campaign: Campaign, now: datetime.datetime) -> CampaignEntries:
    categories = jury_categories(campaign=campaign)
    by_action = entry_categories(campaign=campaign, now=now, categories=categories)
    sectors: dict[int, set] = {}
    for action_id, sector_id in Action.sectors.through.objects.filter(
            action_id__in=list(by_action)).values_list("action_id", "sector_id"):
        sectors.setdefault(action_id, set()).add(sector_id)
    rows = tuple(
        (ListedAction(pk=pk, title=title, organisation_id=organisation_id, organisation_names=(fi, sv, en),
                      sector_ids=frozenset(sectors.get(pk, ()))), tuple(by_action[pk]))
        for pk, title, organisation_id, fi, sv, en in Action.objects.filter(pk__in=list(by_action))
        .order_by("title", "id")
        .values_list("id", "title", "organisation_id", "organisation__name_fi", "organisation__name_sv",
                     "organisation__name_en")
    )
    return CampaignEntries(rows=rows, criteria=campaign.criteria.count(), categories=tuple(categories),
                           sectors=tuple(Sector.objects.order_by("position", "id")))


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


_users = LocalCache(size=2000, max_age=JUROR_TIMEOUT)
_pages = LocalCache(size=500, max_age=JUROR_TIMEOUT)


def _token_keys(user_id: int) -> list[str]:
    return [GENERATION_KEY, JURY_GENERATION_KEY, _scores_key(user_id), _user_key(user_id)]


def _tokens(user_id: int) -> dict:
    return signed_in.read_many(_token_keys(user_id), user_id=user_id)


signed_in.register(_token_keys)  # read with the session and the user (one query per request)


CSRF_MARKER = "jury-list-csrf-token"  # stands for the request's own CSRF token in a kept page


class JurorList:
    """One request's view of a juror's list: the tokens (one cache query), then the entries, or
    the whole page kept from an earlier request with exactly the same inputs."""

    def __init__(self, *, juror: Juror, now: datetime.datetime, tokens: dict | None = None):
        self.juror, self.now, self.campaign = juror, now, juror.campaign
        self.tokens = _tokens(juror.user_id) if tokens is None else tokens
        self.conflicts = _users.get(juror.user_id, self.tokens.get(_user_key(juror.user_id), ""),
                                    lambda: frozenset(conflict_organisation_ids(user=juror.user)))

    @classmethod
    def for_user(cls, *, user, slug: str, now: datetime.datetime) -> JurorList | None:
        """The list of the user's juror role in the campaign with this slug, or None when they have
        none (or are not logged in): one cache query when the role is known to this process."""
        if not user or not user.is_authenticated:
            return None
        tokens = _tokens(user.pk)
        generation = tokens.get(JURY_GENERATION_KEY)
        if generation is None:  # unknown (a cleared cache): looked up, and a token set for the next request
            token_for_next_request(JURY_GENERATION_KEY)
            kept = juror_by_slug(slug=slug, user=user)
        else:
            kept = _roles.get((user.pk, slug), generation, lambda: juror_by_slug(slug=slug, user=user))
        if kept is None:
            return None
        juror = copy.copy(kept)  # the kept role is shared between requests: this request's user on a copy
        juror.user = user
        return cls(juror=juror, now=now, tokens=tokens)

    def _campaign_stamp(self) -> tuple:
        return (self.tokens.get(GENERATION_KEY, ""), self.tokens.get(JURY_GENERATION_KEY, ""),
                self.campaign.updated_at, _as_of_key(self.campaign, self.now))

    def entries(self) -> tuple[list[Entry], CampaignEntries]:
        """The juror's entries (as `jury.juror_entries` gives them) and the campaign's filter choices."""
        campaign, juror = self.campaign, self.juror
        shared = _campaigns.get(campaign.pk, self._campaign_stamp(),
                                lambda: _campaign_entries_now(campaign=campaign, now=self.now))
        scored = _jurors.get(juror.pk, self.tokens.get(_scores_key(juror.user_id), ""),
                             lambda: _scored_now(juror=juror))
        entries = []
        for action, categories in shared.rows:
            conflict = action.organisation_id in self.conflicts
            entries.append(Entry(action=action, categories=list(categories), conflict=conflict,
                                 scored=0 if conflict else scored.get(action.pk, 0), criteria=shared.criteria))
        return entries, shared

    def page_key(self, request, *, scoring_open: bool) -> str:
        """Everything the page depends on: the juror, the tokens, the conflicts, whether scoring is
        open, the language and the whole URL (filters and page)."""
        parts = (self.juror.pk, self.juror.is_chair, request.user.is_staff, self._campaign_stamp(),
                 self.tokens.get(_scores_key(self.juror.user_id), ""), sorted(self.conflicts), scoring_open,
                 get_language(), request.get_full_path())
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    @staticmethod
    def kept_page(key: str) -> bytes | None:
        return _pages.peek(key, "")

    @staticmethod
    def keep_page(key: str, content: bytes) -> None:
        _pages.put(key, "", content)
