"""What campaigns add to the action pages that arena owns (arena must not import campaigns).

- the action list, feeds and exports get a "campaign" filter (arena's filter registry);
- the moderation queue in the admin gets a "campaign it would count for" column and a
  campaign filter;
- moving an action to another organisation (`arena.moves`) asks which campaigns credit it,
  before and after, by the eligibility rule (`ranking.eligibility_window`).

Called from `CampaignsConfig.ready()`.
"""

import datetime

from django.contrib import admin
from django.db.models import CharField, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from arena.models import Action

from .models import Campaign, DayAfterStartInHelsinki, StartInHelsinki
from .ranking import eligibility_window


def submitted_in_period(campaign: Campaign) -> Q:
    """Q on Action: first submitted within the campaign's period by an eligible kind (any state)."""
    return Q(submitted_at__gte=campaign.period_start, submitted_at__lt=campaign.period_end,
             organisation__kind__in=campaign.eligible_kinds)


def campaign_name_subquery(language: str) -> Subquery:
    """The name of the campaign an action counts for, computed in the same query as the list."""
    language = language if language in ("fi", "sv", "en") else "fi"
    return Subquery(
        Campaign.objects.annotate(
            display_name=Coalesce(NullIf(F(f"name_{language}"), Value("")), F("name_fi"), output_field=CharField()),
            period_start=StartInHelsinki("starts_on"),
            period_end=DayAfterStartInHelsinki("ends_on"),
            kind_position=Func(F("eligible_kinds"), OuterRef("organisation__kind"), function="array_position",
                               output_field=IntegerField()),
        )
        .filter(period_start__lte=OuterRef("submitted_at"), period_end__gt=OuterRef("submitted_at"),
                kind_position__isnull=False)
        .order_by("ends_on", "slug").values("display_name")[:1],
        output_field=CharField(),
    )


# --- Moving an action: which campaigns credit it --------------------------------------

def campaign_credit(action) -> list[tuple[int, str]]:
    """The campaigns that count `action` for its organisation now, by the eligibility rule."""
    if action.submitted_at is None:
        return []
    now = timezone.now()
    day = datetime.timedelta(days=1)
    submitted_on = action.submitted_at.date()
    candidates = Campaign.objects.filter(starts_on__lte=submitted_on + day, ends_on__gte=submitted_on - day)
    organisation = str(action.organisation) if action.organisation_id else ""
    return [
        (campaign.pk, f"{campaign.name} ({organisation})")
        for campaign in candidates.order_by("starts_on", "slug")
        if Action.objects.filter(eligibility_window(campaign=campaign, as_of=now), pk=action.pk).exists()
    ]


def register_campaign_credit():
    from arena.moves import register_campaign_credit as register

    register(campaign_credit)


# --- The public action list -----------------------------------------------------------

def _campaign_choices():
    return [(c.slug, c.name) for c in Campaign.objects.order_by("-starts_on")]


def _apply_campaign(queryset, value):
    campaign = Campaign.objects.filter(slug=value).first()
    if campaign is None:
        return queryset.none()
    return queryset.filter(eligibility_window(campaign=campaign, as_of=timezone.now()))


def register_action_list_filter():
    from arena.filters import register_action_filter

    register_action_filter("campaign", _("Campaign"), _campaign_choices, _apply_campaign)


# --- The moderation queue ---------------------------------------------------------------

class CampaignListFilter(admin.SimpleListFilter):
    title = _("campaign")
    parameter_name = "campaign"

    def lookups(self, request, model_admin):
        return _campaign_choices()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        campaign = Campaign.objects.filter(slug=self.value()).first()
        return queryset.filter(submitted_in_period(campaign)) if campaign else queryset.none()


@admin.display(description=_("campaign"), ordering="campaign_name")
def campaign_column(obj):
    return getattr(obj, "campaign_name", None) or "–"


def extend_action_admin():
    from arena.admin import ActionAdmin

    if campaign_column in ActionAdmin.list_display:
        return
    ActionAdmin.list_display.insert(ActionAdmin.list_display.index("waiting_time") + 1, campaign_column)
    ActionAdmin.list_filter.insert(ActionAdmin.list_filter.index("language"), CampaignListFilter)
    original = ActionAdmin.get_queryset

    def get_queryset(self, request):
        return original(self, request).annotate(campaign_name=campaign_name_subquery(get_language()))

    ActionAdmin.get_queryset = get_queryset
