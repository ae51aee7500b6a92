from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from arena.cache import TAXONOMY, campaign_scope, changed
from orgs.admin import ReadOnlyAdminMixin
from orgs.models import Organisation

from .admin_jury import CampaignJuryAdminMixin
from .models import AwardCategory, Campaign, Criterion, Juror, ResultSnapshot, Review, Score


class CampaignAdminForm(forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("eligible organisation kinds"), choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Campaign
        fields = "__all__"


class AwardCategoryInline(TranslationStackedInline):
    model = AwardCategory
    extra = 0
    fields = ["position", "kind", "name", "winners", "min_actions", "employee_year", "themes", "sectors", "shortlist"]
    raw_id_fields = ["shortlist"]
    filter_horizontal = ["themes", "sectors"]


class JurorInline(admin.TabularInline):
    model = Juror
    extra = 0
    raw_id_fields = ["user"]


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "name", "description", "weight", "scale_min", "scale_max"]


class ResultSnapshotInline(admin.TabularInline):
    model = ResultSnapshot
    extra = 0
    can_delete = False
    fields = ["frozen_at", "frozen_by", "published_at", "published_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(CampaignJuryAdminMixin, TranslationAdmin):
    form = CampaignAdminForm
    list_display = ["name", "starts_on", "ends_on", "gala_at", "results_state", "results_link"]
    list_filter = ["results_state"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fi"]}
    readonly_fields = ["results_state"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        (_("Period"), {"fields": ["starts_on", "ends_on", "gala_at", "eligible_kinds"]}),
        (_("Rules"), {"fields": ["live_ranking_public", "one_award_per_action", "normalise_scores",
                                 "scoring_deadline", "results_state"]}),
    ]
    inlines = [AwardCategoryInline, CriterionInline, JurorInline, ResultSnapshotInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Its names, period and categories show on its pages, in the list's filter and the banner.
        changed(campaign_scope(form.instance.pk), TAXONOMY)

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        changed(campaign_scope(pk), TAXONOMY)

    def delete_queryset(self, request, queryset):  # the bulk "delete selected": the same renewal
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        changed(*(campaign_scope(pk) for pk in pks), TAXONOMY)

    @admin.display(description=_("results"))
    def results_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("campaigns:campaign-results", args=[obj.slug]),
                           _("Results and gala"))


class ScoreInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Score
    extra = 0
    fields = ["criterion", "value"]
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A juror's review and scores are written by the juror on the jury page (campaigns/jury.py), never
    here: staff could otherwise score in a juror's name."""

    list_display = ["action", "juror", "updated_at"]
    list_filter = ["juror__campaign"]
    list_select_related = ["action", "juror__user"]
    fields = ["juror", "action", "nominee", "organisation", "comment", "updated_at"]
    readonly_fields = fields
    inlines = [ScoreInline]


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(admin.ModelAdmin):
    list_display = ["campaign", "frozen_at", "frozen_by", "published_at"]
    list_filter = ["campaign"]
    readonly_fields = ["campaign", "frozen_at", "frozen_by", "data", "published_at", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

# Heroes of work and wonder-workers.
from . import admin_nominations  # noqa: E402,F401
