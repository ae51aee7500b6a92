"""Writes about campaign results: freezing at the gala and publishing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from arena.cache import CAMPAIGNS, campaign_scope, changed

from .models import Campaign, ResultSnapshot
from .ranking import campaign_results
from .rendering import snapshot_render_public, snapshot_write_awards, winners_data


class ResultsError(Exception):
    """A results operation that is not allowed now; the message is for the user."""


class ConfirmationRequired(ResultsError):
    """The operation would replace something; ask the user first."""


def results_freeze(*, campaign: Campaign, user, now: datetime.datetime, confirm: bool = False) -> ResultSnapshot:
    """Store a snapshot of every category as it stands at `now`.

    Freezing again needs `confirm=True`; earlier snapshots stay in the history.
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not campaign.has_ended(now):
            raise ResultsError(_("The results can be frozen only after the campaign period has ended."))
        if campaign.snapshots.exists() and not confirm:
            raise ConfirmationRequired(_(
                "The results have already been frozen. Freezing again makes a new snapshot; "
                "the earlier one is kept in the history."
            ))
        categories = campaign_results(campaign=campaign, as_of=now)
        data = {"as_of": now.isoformat(), "categories": [category.to_dict() for category in categories]}
        snapshot = ResultSnapshot.objects.create(campaign=campaign, frozen_at=now, frozen_by=user, data=data,
                                                 winners=winners_data(data))
        snapshot_render_public(snapshot=snapshot)  # the public page serves this HTML from now on
        campaign.results_state = Campaign.ResultsState.FROZEN
        campaign.save(update_fields=["results_state", "updated_at"])
        changed(campaign_scope(campaign.pk))  # only this campaign's pages: a frozen snapshot is not public yet
    return snapshot


def results_publish(*, campaign: Campaign, user, now: datetime.datetime) -> ResultSnapshot:
    """Publish the latest snapshot: from now on everyone sees it."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        snapshot = campaign.snapshots.order_by("-frozen_at", "-id").first()
        if snapshot is None:
            raise ResultsError(_("Freeze the results before publishing them."))
        if snapshot.published_at is not None:
            raise ResultsError(_("These results have already been published."))
        snapshot.published_at = now
        snapshot.published_by = user
        snapshot.save(update_fields=["published_at", "published_by"])
        snapshot_write_awards(snapshot=snapshot)  # the organisation pages read these rows
        campaign.results_state = Campaign.ResultsState.PUBLISHED
        campaign.save(update_fields=["results_state", "updated_at"])
        changed(campaign_scope(campaign.pk), CAMPAIGNS)  # the campaign, and the winners shown elsewhere
    return snapshot
