"""Staff's tools for heroes of work and wonder-workers: nominees (search, consent state, resend
the consent e-mail, merge duplicates), nominations, and candidate overrides."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from arena.cache import CAMPAIGNS, campaign_scope, changed

from . import nominations
from .models import CandidateOverride, Nomination, Nominee
from .rendering import campaign_render_public


def campaign_changed(campaign_id) -> None:
    """What the nomination services do after a change: the public results (names show only with
    consent) are rendered again and the campaign's cached pages and jury lists renewed."""
    campaign_render_public(campaign_id=campaign_id)
    changed(campaign_scope(campaign_id), CAMPAIGNS)


class CampaignPartAdminMixin:
    """Saving or deleting a nominee, nomination or candidate override here renews its campaign."""

    @staticmethod
    def campaign_id_of(obj):
        return obj.campaign_id

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        campaign_changed(self.campaign_id_of(form.instance))

    def delete_model(self, request, obj):
        campaign_id = self.campaign_id_of(obj)
        super().delete_model(request, obj)
        campaign_changed(campaign_id)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            campaign_ids = {self.campaign_id_of(obj) for obj in queryset}
            super().delete_queryset(request, queryset)
            for campaign_id in campaign_ids:
                campaign_changed(campaign_id)


class NominationInline(admin.StackedInline):
    model = Nomination
    extra = 0
    fields = ["category", "nominator", "name", "job_title", "organisation", "organisation_name", "email",
              "justification", "actions", "created_at"]
    raw_id_fields = ["nominator", "organisation", "actions"]
    readonly_fields = ["created_at"]


class OrganisationKnownFilter(admin.SimpleListFilter):
    """Nominees whose organisation is only a typed name: set it so conflicts of interest are exact."""

    title = _("organisation")
    parameter_name = "organisation_known"

    def lookups(self, request, model_admin):
        return [("no", _("only a typed name: set the organisation")), ("yes", _("chosen from the list"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(organisation__isnull=True)
        if self.value() == "yes":
            return queryset.filter(organisation__isnull=False)
        return queryset


@admin.register(Nominee)
class NomineeAdmin(CampaignPartAdminMixin, admin.ModelAdmin):
    list_display = ["name", "email", "organisation_display", "campaign", "consent", "nomination_count"]
    list_filter = ["campaign", "consent", OrganisationKnownFilter]
    search_fields = ["name", "email", "organisation_name", "job_title", "nominations__justification"]
    raw_id_fields = ["organisation"]
    readonly_fields = ["consent", "consent_requested_at", "consent_given_at", "consent_refused_at",
                       "consent_withdrawn_at", "created_at"]
    inlines = [NominationInline]
    actions = ["resend_consent", "merge_duplicates"]

    @admin.display(description=_("organisation"))
    def organisation_display(self, obj):
        return obj.organisation_display

    @admin.display(description=_("nominations"))
    def nomination_count(self, obj):
        return obj.nominations.count()

    @admin.action(description=_("Send the consent e-mail again (new link)"))
    def resend_consent(self, request, queryset):
        now = timezone.now()
        for nominee in queryset:
            nominations.consent_resend(nominee=nominee, now=now)
        count = queryset.count()
        self.message_user(request, ngettext("The consent e-mail was sent again to %(count)s person.",
                                            "The consent e-mail was sent again to %(count)s people.", count)
                          % {"count": count})

    @admin.action(description=_("Merge the selected nominees into one (the oldest is kept)"))
    def merge_duplicates(self, request, queryset):
        selected = list(queryset.order_by("created_at", "id"))
        if len(selected) < 2 or len({nominee.campaign_id for nominee in selected}) != 1:
            self.message_user(request, gettext("Choose at least two nominees of the same campaign."),
                              level=messages.ERROR)
            return
        target = nominations.nominees_merge(target=selected[0], others=selected[1:])
        self.message_user(request, gettext("Merged into %(name)s.") % {"name": target.name})


@admin.register(Nomination)
class NominationAdmin(CampaignPartAdminMixin, admin.ModelAdmin):
    list_display = ["name", "email", "campaign", "category", "nominator", "consent_state", "created_at"]
    list_filter = ["campaign", "nominee__consent"]
    search_fields = ["name", "email", "justification", "organisation_name", "nominator__email"]
    raw_id_fields = ["nominee", "nominator", "organisation", "actions"]

    @admin.display(description=_("consent"))
    def consent_state(self, obj):
        return obj.nominee.get_consent_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("nominee", "campaign", "category", "nominator")


@admin.register(CandidateOverride)
class CandidateOverrideAdmin(CampaignPartAdminMixin, admin.ModelAdmin):
    @staticmethod
    def campaign_id_of(obj):
        return obj.category.campaign_id

    list_display = ["organisation", "category", "include", "reason", "by", "at"]
    list_filter = ["category__campaign", "include"]
    raw_id_fields = ["organisation"]
    fields = ["category", "organisation", "include", "reason"]

    def save_model(self, request, obj, form, change):
        obj.by = request.user
        super().save_model(request, obj, form, change)
