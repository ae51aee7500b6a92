"""What a snapshot shows the public, worked out once instead of on every request:

- `snapshot_render_public` renders the public part of the results page (the categories as an
  anonymous visitor sees them) per language and stores it with the snapshot; the results services
  call it when freezing, the consent services when a consent changes afterwards;
- `winners_data` keeps each category's winners apart from the full rows (`ResultSnapshot.winners`),
  for the campaign list and the campaign pages;
- `snapshot_write_awards` writes the organisations' award places of a published snapshot as rows
  (`OrganisationAward`), which the organisation page reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import Campaign, OrganisationAward, ResultSnapshot
from .ranking import ActionRow, CategoryResult, public_person_rows


@dataclass
class _PublicView:
    """The part of `selectors.ResultsView` that `results_categories.html` reads."""

    categories: list
    mode: str = "published"


def public_categories(snapshot: ResultSnapshot) -> list[CategoryResult]:
    """The snapshot's categories as the public sees them: jury categories show only their winners
    and people without consent (checked now) carry nothing personal."""
    categories = public_person_rows([CategoryResult.from_dict(item) for item in snapshot.data.get("categories", [])])
    for category in categories:
        if category.is_judged:
            category.rows, category.unranked = category.winner_rows(), []
    return categories


def winners_data(data: dict) -> dict:
    """A snapshot's results with each category's winner rows only (ranked within its number of
    winners, ties at the edge included): what `ResultSnapshot.winners` keeps."""
    return {"categories": [
        {**item, "unranked": [],
         "rows": [row for row in item.get("rows", []) if row.get("rank") is not None and row["rank"] <= item["winners"]]}
        for item in data.get("categories", [])
    ]}


def snapshot_render_public(*, snapshot: ResultSnapshot) -> None:
    """Render and store the public results of the snapshot in every language (one query for the
    consents, one to save)."""
    campaign = snapshot.campaign
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            view = _PublicView(categories=public_categories(snapshot))
            rendered[code] = render_to_string("campaigns/includes/results_categories.html", {
                "campaign": campaign, "view": view, "can_manage": False,
            })
    snapshot.public_html = rendered
    snapshot.save(update_fields=["public_html"])


def campaign_render_public(*, campaign_id: int) -> None:
    """Render again every snapshot of the campaign (a consent changed: a name may have to go)."""
    for snapshot in ResultSnapshot.objects.filter(campaign_id=campaign_id).select_related("campaign"):
        snapshot_render_public(snapshot=snapshot)


def snapshot_write_awards(*, snapshot: ResultSnapshot) -> int:
    """Replace the campaign's award rows with those of this (just published) snapshot."""
    OrganisationAward.objects.filter(campaign_id=snapshot.campaign_id).delete()
    rows = []
    for item in snapshot.data.get("categories", []):
        category = CategoryResult.from_dict(item)
        if category.is_people:
            continue
        for row in category.winner_rows():
            if getattr(row, "organisation_id", None) is None:
                continue
            rows.append(OrganisationAward(
                snapshot=snapshot, campaign_id=snapshot.campaign_id, organisation_id=row.organisation_id,
                category_kind=category.kind, category_names=category.names, category_position=category.position,
                rank=row.rank, title=row.title[:300] if isinstance(row, ActionRow) else "",
            ))
    OrganisationAward.objects.bulk_create(rows)
    return len(rows)


def campaigns_rebuild_rendered() -> None:
    """Render every snapshot again and rewrite every award row (after a deployment that changed the
    templates, or to fill them for snapshots made before they existed)."""
    for campaign in Campaign.objects.all():
        campaign_render_public(campaign_id=campaign.pk)
        published = campaign.snapshots.filter(published_at__isnull=False).order_by("-published_at", "-id").first()
        if published is None:
            OrganisationAward.objects.filter(campaign=campaign).delete()
        else:
            snapshot_write_awards(snapshot=published)
