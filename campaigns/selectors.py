"""Reads about campaigns. Time is always a parameter (`as_of`, `at`)."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field, replace

from django.db.models import Count, Prefetch, QuerySet
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from arena.cache import ACTIONS, CAMPAIGNS, TAXONOMY, cached, campaign_scope
from arena.models import Action
from orgs.models import Organisation

from .models import HELSINKI, AwardCategory, Campaign, OrganisationAward, ResultSnapshot
from .permissions import can_preview_results
from .ranking import NO_CONSENT, CategoryResult, campaign_results, eligible_actions, public_person_rows, rank_most_actions
from .rendering import winners_data


def campaign_get(*, slug: str) -> Campaign:
    return Campaign.objects.get(slug=slug)


def running_campaigns(*, as_of: datetime.datetime) -> QuerySet[Campaign]:
    return Campaign.objects.running(as_of).order_by("ends_on", "slug")


@dataclass
class CampaignListing:
    running: list
    upcoming: list
    past: list


def _with_published(queryset):
    """The campaigns with their published snapshots, without the results data (`published_winners`
    reads it only when its cached winners are missing)."""
    return queryset.prefetch_related(Prefetch(
        "snapshots",
        queryset=ResultSnapshot.objects.filter(published_at__isnull=False).defer("data")
        .order_by("-published_at", "-id"),
        to_attr="published_snapshots",
    ))


def campaign_list(*, as_of: datetime.datetime) -> CampaignListing:
    """Running, upcoming and past campaigns; past ones carry their published winners (`award_winners`)."""
    campaigns = list(_with_published(Campaign.objects.order_by("-starts_on", "slug")))
    winners = published_winners([campaign.published_snapshots[0] for campaign in campaigns
                                 if campaign.published_snapshots])
    today = as_of.astimezone(HELSINKI).date()
    listing = CampaignListing(running=[], upcoming=[], past=[])
    for campaign in campaigns:
        campaign.award_winners = winners[campaign.published_snapshots[0].pk] if campaign.published_snapshots else []
        if campaign.starts_on > today:
            listing.upcoming.insert(0, campaign)
        elif campaign.ends_on < today:
            listing.past.append(campaign)
        else:
            listing.running.append(campaign)
    return listing


def snapshot_winners(snapshot: ResultSnapshot) -> list[tuple[CategoryResult, list]]:
    """Published winners for public pages: people without consent carry nothing personal."""
    return published_winners([snapshot])[snapshot.pk]


def published_winners(snapshots: list[ResultSnapshot]) -> dict[int, list[tuple[CategoryResult, list]]]:
    """Snapshot id → its winners for public pages (as `snapshot_winners`), for many snapshots at once.

    Kept in the shared cache, one entry for the whole set, under the `campaigns` scope (a publication
    and a withdrawn consent renew it), per language (winners are sorted by name); the results data is
    read (one query) only when the entry is missing.
    """
    pks = sorted({snapshot.pk for snapshot in snapshots})
    if not pks:
        return {}

    def winners():
        # The winners kept apart when frozen: a few rows, not every organisation's (a snapshot made
        # before they were kept is read whole).
        data = dict(ResultSnapshot.objects.filter(pk__in=pks).values_list("pk", "winners"))
        missing = [pk for pk, kept in data.items() if "categories" not in kept]
        data.update((pk, winners_data(full)) for pk, full in
                    ResultSnapshot.objects.filter(pk__in=missing).values_list("pk", "data"))
        found = {}
        for pk in pks:
            categories = public_person_rows(
                [CategoryResult.from_dict(item) for item in data[pk].get("categories", [])])
            found[pk] = [(replace(category, rows=[], unranked=[]), category.winner_rows())
                         for category in categories]
        return found

    digest = hashlib.sha256(",".join(map(str, pks)).encode()).hexdigest()[:24]
    return cached(f"campaigns:winners:{get_language()}:{digest}", winners, scopes=[CAMPAIGNS])


def campaign_counter(*, campaign: Campaign, as_of: datetime.datetime) -> dict:
    """Live figures: eligible actions and participating organisations (one query, kept in the shared
    cache until the published actions or the campaign change, and for the minute of `as_of`)."""
    key = f"campaigns:counter:{campaign.pk}:{campaign.updated_at.timestamp()}:{as_of:%Y%m%d%H%M}"
    return cached(key, lambda: _counter_now(campaign=campaign, as_of=as_of),
                  scopes=[campaign_scope(campaign.pk), ACTIONS], timeout=60)


def _counter_now(*, campaign: Campaign, as_of: datetime.datetime) -> dict:
    """Grouped per organisation (a hash of at most one row per organisation, read from the index
    `action_published_submitted` alone) rather than COUNT(DISTINCT …), which sorts every action."""
    per_organisation = (eligible_actions(campaign=campaign, as_of=as_of).order_by()
                        .values("organisation_id").annotate(n=Count("id")).values_list("n", flat=True))
    counts = list(per_organisation)
    return {"actions": sum(counts), "organisations": len(counts)}


def campaign_live_ranking(*, campaign: Campaign, as_of: datetime.datetime) -> CategoryResult | None:
    """The public live "most actions" ranking: only while the campaign runs and only if it says so.

    After the period ends the ranking would be a peek at the results, so it disappears.
    """
    if not campaign.live_ranking_public or not campaign.is_running(as_of):
        return None
    category = AwardCategory(campaign=campaign, kind=AwardCategory.Kind.MOST_ACTIONS, winners=3)
    return rank_most_actions(campaign=campaign, category=category, as_of=as_of)


def campaign_eligible_actions(*, campaign: Campaign, as_of: datetime.datetime) -> QuerySet[Action]:
    """Eligible actions for listing on the campaign page, newest first."""
    return (
        eligible_actions(campaign=campaign, as_of=as_of)
        .select_related("organisation")
        .only("id", "title", "submitted_at", "organisation__id", "organisation__name", "organisation__name_fi",
              "organisation__name_sv", "organisation__name_en", "organisation__slug")
        .order_by("-submitted_at", "-id")
    )


def campaigns_counting_for(*, organisation: Organisation, at: datetime.datetime) -> list[Campaign]:
    """Running campaigns at `at` that an action of this organisation would count for."""
    if organisation is None:
        return []
    return list(running_campaigns(as_of=at).for_kind(organisation.kind))


def campaign_for_submission(*, action: Action) -> Campaign | None:
    """The campaign the action counts (or would count, once published) for, judged by its first submission.

    For a list (the moderation queue), select_related("organisation") on the actions.
    """
    if action.submitted_at is None or action.organisation_id is None:
        return None
    return (
        Campaign.objects.running(action.submitted_at)
        .for_kind(action.organisation.kind)
        .order_by("ends_on", "slug")
        .first()
    )


def latest_snapshot(campaign: Campaign) -> ResultSnapshot | None:
    return campaign.snapshots.select_related("frozen_by", "published_by").order_by("-frozen_at", "-id").first()


def published_snapshot(campaign: Campaign, *, with_data: bool = True) -> ResultSnapshot | None:
    """The latest published snapshot; `with_data=False` leaves the results data to be read when used."""
    snapshots = campaign.snapshots.filter(published_at__isnull=False)
    if not with_data:
        snapshots = snapshots.defer("data")
    return snapshots.select_related("frozen_by", "published_by").order_by("-published_at", "-id").first()


def snapshot_categories(snapshot: ResultSnapshot) -> list[CategoryResult]:
    return [CategoryResult.from_dict(item) for item in snapshot.data.get("categories", [])]


@dataclass
class ResultsView:
    """What one viewer sees of a campaign's results.

    mode: "published" (everyone, the published snapshot), "frozen" (staff, the latest
    snapshot), "live" (staff, computed now) or "embargo" (no results at all).
    """

    mode: str
    categories: list[CategoryResult] = field(default_factory=list)
    snapshot: ResultSnapshot | None = None
    latest: ResultSnapshot | None = None
    # The public's categories as stored at freeze time (campaigns/rendering.py), when asked for.
    public_html: str = ""

    @property
    def visible(self) -> bool:
        return self.mode != "embargo"

    @property
    def awaiting_consent(self) -> list:
        """People scored by the jury but without consent, so kept out of the award places (staff see
        them on the preview: they need consent before the results are frozen)."""
        return [row for category in self.categories if category.is_people for row in category.unranked
                if row.reason == NO_CONSENT]


def _public(categories: list[CategoryResult]) -> list[CategoryResult]:
    """What the public sees of published results: jury categories show only their winners; the
    jury's scores of the other actions stay with the jury and staff. People without consent
    carry nothing personal."""
    public_person_rows(categories)
    for category in categories:
        if category.is_judged:
            category.rows, category.unranked = category.winner_rows(), []
    return categories


def results_for_viewer(*, campaign: Campaign, user, as_of: datetime.datetime, live: bool = False,
                       rendered: bool = False) -> ResultsView:
    """The embargo in one place: the public gets nothing until a snapshot is published.

    With `rendered`, the public gets the HTML stored with the snapshot (`public_html`) instead of
    its categories, when it is there in the current language; staff always get live data."""
    if not can_preview_results(user):
        published = published_snapshot(campaign, with_data=False)
        if published is None:
            return ResultsView(mode="embargo")
        html = published.public_html.get((get_language() or "fi")[:2], "") if rendered else ""
        if html:
            return ResultsView(mode="published", snapshot=published, public_html=mark_safe(html))  # noqa: S308
        return ResultsView(mode="published", categories=_public(snapshot_categories(published)), snapshot=published)
    latest = latest_snapshot(campaign)
    if live or latest is None:
        return ResultsView(mode="live", categories=campaign_results(campaign=campaign, as_of=as_of), latest=latest)
    mode = "published" if latest.published_at else "frozen"
    categories = public_person_rows(snapshot_categories(latest), withhold=False)  # staff: names with consent flags
    return ResultsView(mode=mode, categories=categories, snapshot=latest, latest=latest)


def organisation_awards(*, organisation: Organisation) -> list[OrganisationAward]:
    """Awards the organisation has won, from published results only (organisation and jury categories):
    the rows written when the results were published (`rendering.snapshot_write_awards`)."""
    return _awards_by_organisation().get(organisation.pk, [])


def _awards_by_organisation() -> dict[int, list[OrganisationAward]]:
    """Every organisation's awards, newest campaign first: kept in the shared cache under the
    `campaigns` scope (a publication renews it), per language."""
    def awards():
        by_organisation: dict[int, list[OrganisationAward]] = {}
        rows = (OrganisationAward.objects.select_related("campaign")
                .order_by("-campaign__ends_on", "campaign_id", "category_position", "rank", "id"))
        for award in rows:
            by_organisation.setdefault(award.organisation_id, []).append(award)
        return by_organisation

    return cached(f"campaigns:awards-by-organisation:{get_language()}", awards, scopes=[CAMPAIGNS, TAXONOMY])
