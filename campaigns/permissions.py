"""Who may see what of a campaign's results.

The rule: results are embargoed until staff publish a frozen snapshot. Before that only
staff see anything (the live preview or the frozen snapshot); everyone else — members,
jurors included — sees only when the results will be published.
"""

from .models import Campaign


def can_preview_results(user) -> bool:
    """Staff see the live results and unpublished snapshots at any time."""
    return bool(user and user.is_authenticated and user.is_staff)


def can_manage_results(user) -> bool:
    """Staff who may change campaigns in the admin freeze and publish results (not moderators)."""
    return can_preview_results(user) and user.has_perm("campaigns.change_campaign")


def results_are_public(campaign: Campaign) -> bool:
    return campaign.results_state == Campaign.ResultsState.PUBLISHED or campaign.snapshots.filter(
        published_at__isnull=False
    ).exists()


def can_see_results(user, campaign: Campaign) -> bool:
    return can_preview_results(user) or results_are_public(campaign)


def can_view_gala(user, campaign: Campaign) -> bool:
    """The gala presenter view is staff only until the results are published."""
    return can_see_results(user, campaign)
