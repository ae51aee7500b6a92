"""The KT staff's moderation tool in the Django admin.

Every button here (bulk actions on the list, buttons on one action's or report's page)
calls a service from `arena.services` (`arena/admin_moderation.py`); the admin only asks for
the message, shows what would be skipped and reports what happened. Actions and reports are
never deleted here: an action is hidden (a service) and a report closed, so the public lists,
counts and the audit trail stay true.

The campaigns app adds its own column and filter to `ActionAdmin.list_display` and
`ActionAdmin.list_filter` (arena must not import campaigns), so both stay plain lists.
"""

import json

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from orgs.admin import ReadOnlyAdminMixin
from orgs.models import Organisation

from . import services, tallies
from .admin_moderation import ACTION_STEPS, REPORT_STEPS, ModerationAdminMixin, bulk_action
from .models import (
    Action,
    ActionImage,
    ActionLink,
    Adoption,
    ContactPerson,
    Like,
    Maker,
    Report,
    Revision,
    Sector,
    Theme,
    Transition,
)

Status = Action.Status

admin.site.site_header = _("Tekojen tori – administration")
admin.site.site_title = _("Tekojen tori administration")
admin.site.index_title = _("Administration")

class StateListFilter(admin.ChoicesFieldListFilter):
    """The state filter; "All" keeps an explicit (always true) parameter.

    The list opens on "waiting for moderation" when it has no parameters at all, so "All"
    must not lead back to an empty query string.
    """

    def choices(self, changelist):
        for index, choice in enumerate(super().choices(changelist)):
            if index == 0:
                choice["query_string"] = changelist.get_query_string(
                    {self.lookup_kwarg_isnull: "False"}, [self.lookup_kwarg]
                )
            yield choice


class OrganisationKindFilter(admin.SimpleListFilter):
    title = _("organisation kind")
    parameter_name = "organisation_kind"

    def lookups(self, request, model_admin):
        return Organisation.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(organisation__kind=self.value())
        return queryset


def _default_filter_redirect(request, query: str):
    """The list opened without any parameter: open it on its default filter instead."""
    if request.method == "GET" and not request.GET:
        return HttpResponseRedirect(f"{request.path}?{query}")
    return None


# --- Inlines on an action's page ---------------------------------------------------

class ReadOnlyInlineMixin(ReadOnlyAdminMixin):
    """Shown to whoever may view the action; nobody (superusers included) edits it here."""

    extra = 0
    max_num = 0
    can_delete = False


class TransitionInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The audit trail, newest first."""

    model = Transition
    fields = ["created_at", "actor", "from_status", "to_status", "message"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]
    verbose_name_plural = _("audit trail (state changes)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class RevisionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Revision
    fields = ["created_at", "editor", "state", "changes_display", "message"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("editor")

    @admin.display(description=_("changes"))
    def changes_display(self, obj):
        changes = obj.changes if isinstance(obj.changes, dict) else {"": obj.changes}
        return format_html(
            "<dl class=\"arena-changes\">{}</dl>",
            format_html_join(
                "", "<dt>{}</dt><dd>{}</dd>",
                ((name, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
                 for name, value in changes.items()),
            ),
        )


class AdoptionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Adoption
    fields = ["created_at", "organisation", "user", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "user")


class ReportInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Report
    fields = ["created_at", "reason", "comment", "status", "reporter", "closing_note"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reporter")


class ActionImageInline(admin.TabularInline):
    """Images are uploaded (and re-encoded) through the action form; here: preview and alt text."""

    model = ActionImage
    fields = ["preview", "alt_text", "is_cover", "position"]
    readonly_fields = ["preview"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("preview"))
    def preview(self, obj):
        thumb = obj.thumb_small_jpeg or obj.thumb_small or obj.image
        if not thumb:
            return "—"
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" class="arena-admin-thumb"></a>',
            obj.image.url if obj.image else thumb.url, thumb.url, obj.alt_text,
        )


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    fields = ["name", "job_title", "organisation_name", "email", "public", "position"]
    extra = 0


class MakerInline(admin.TabularInline):
    """Staff see every maker and their consent; names and addresses are changed on the action's
    form, which asks the makers again (arena/makers.py)."""

    model = Maker
    fields = ["name", "email", "language", "consent", "consent_requested_at", "consent_given_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ActionLinkInline(admin.TabularInline):
    model = ActionLink
    fields = ["url", "title", "kind", "position"]
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


# --- Development actions: the moderation queue ---------------------------------------

@admin.register(Action)
class ActionAdmin(ModerationAdminMixin, admin.ModelAdmin):
    steps = ACTION_STEPS
    actions = [
        bulk_action(ACTION_STEPS["publish"], _("Publish selected actions")),
        bulk_action(ACTION_STEPS["return"], _("Return selected actions for changes")),
        bulk_action(ACTION_STEPS["reject"], _("Reject selected actions")),
        bulk_action(ACTION_STEPS["hide"], _("Hide selected actions")),
        bulk_action(ACTION_STEPS["unhide"], _("Show selected hidden actions again")),
    ]
    list_display = ["title", "organisation", "submitted_at", "waiting_time", "open_report_count", "status"]
    list_filter = [
        ("status", StateListFilter),
        OrganisationKindFilter,
        "organisation__region",
        "sectors",
        "themes",
        "language",
        ("submitted_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["organisation"]
    search_fields = [
        "title", "summary", "need", "solution", "results", "tips",
        "organisation__name_fi", "organisation__name_sv", "organisation__name_en",
        "author__email",
    ]
    search_help_text = _("Searches titles, texts, organisation names and the submitter's e-mail address.")
    ordering = [F("submitted_at").asc(nulls_last=True)]
    list_per_page = 50
    show_full_result_count = False
    raw_id_fields = ["organisation", "partners"]
    filter_horizontal = ["sectors", "themes"]
    readonly_fields = [
        "status", "submitted_at", "published_at", "created_at", "updated_at", "submitter",
        "completeness", "like_count", "adoption_count", "recent_likes",
    ]
    fieldsets = [
        (None, {"fields": ["title", "summary", "need", "solution", "results", "tips", "stage", "language"]}),
        (_("Organisation and people"), {"fields": ["organisation", "partners", "submitter",
                                                   "consent_to_publish"]}),
        (_("Sectors and themes"), {"fields": ["sectors", "themes"]}),
        (_("Moderation"), {"fields": ["status", "completeness", "submitted_at", "published_at",
                                      "created_at", "updated_at"]}),
        (_("Likes and adoptions"), {"fields": ["like_count", "recent_likes", "adoption_count"]}),
    ]
    inlines = [
        ActionImageInline, ContactPersonInline, MakerInline, ActionLinkInline,
        TransitionInline, RevisionInline, AdoptionInline, ReportInline,
    ]

    def get_queryset(self, request):
        open_reports = (
            Report.objects.filter(action=OuterRef("pk"), status=Report.Status.OPEN)
            .order_by().values("action").annotate(total=Count("pk")).values("total")
        )
        return super().get_queryset(request).annotate(
            open_report_count=Coalesce(Subquery(open_reports, output_field=IntegerField()), Value(0)),
        )

    def moderation_queryset(self, queryset):
        return queryset.select_related("organisation").order_by(F("submitted_at").asc(nulls_last=True), "pk")

    def get_urls(self):  # the staff-only move (arena/admin_revisions.py)
        return [*admin_revisions.move_urls(self), *super().get_urls()]

    def moderation_links(self, request, obj) -> list[dict]:
        return [*super().moderation_links(request, obj), *admin_revisions.move_links(request, obj)]

    def save_model(self, request, obj, form, change):
        if change:  # what the revision compares with, read before the admin writes
            request._action_before_save = services.action_admin_before_save(action=obj)
            # Lock the row and note what it counted, so that save_related can move the
            # published counts (arena/tallies.py).
            Action.objects.select_for_update().filter(pk=obj.pk).first()
            obj._tallies_before = tallies.action_contribution(obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(form.instance, "_tallies_before", None)
        if before is not None:
            tallies.tallies_apply(form.instance.pk, before)
        if change:  # the same revision, search index and caches as an edit on the site
            services.action_admin_saved(action=form.instance, editor=request.user,
                                        before=request._action_before_save)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.author_id is not None:
            fields.append("organisation")  # the submitter chose it among their memberships
        return fields

    def has_add_permission(self, request):
        return False  # actions are written by their authors on the site

    def has_delete_permission(self, request, obj=None):
        return False  # hidden instead (a service): a deletion here would leave counts and lists stale

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.status == Status.PUBLISHED else None

    def changelist_view(self, request, extra_context=None):
        redirect = _default_filter_redirect(request, f"status__exact={Status.SUBMITTED}")
        if redirect:
            return redirect
        waiting = Action.objects.filter(status=Status.SUBMITTED).count()
        title = ngettext_lazy(
            "Development actions: %(count)d waiting for moderation",
            "Development actions: %(count)d waiting for moderation", "count",
        ) % {"count": waiting}
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.display(description=_("waiting time"))
    def waiting_time(self, obj):
        if obj.status != Status.SUBMITTED or obj.submitted_at is None:
            return "—"
        return timesince(obj.submitted_at, depth=2)

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def open_report_count(self, obj):
        return obj.open_report_count

    @admin.display(description=_("submitted by"))
    def submitter(self, obj):
        if obj.author is None:
            return "—"
        return format_html('{} &lt;<a href="mailto:{}">{}</a>&gt;', obj.author.get_full_name(), obj.author.email,
                           obj.author.email)

    @admin.display(description=_("required fields"))
    def completeness(self, obj):
        missing = services.action_missing_fields(obj)
        if not missing:
            return gettext("Complete")
        return gettext("Missing: %(fields)s") % {"fields": ", ".join(missing)}

    @admin.display(description=_("latest likes"))
    def recent_likes(self, obj):
        likes = Like.objects.filter(action=obj).select_related("user").order_by("-created_at")[:20]
        if not likes:
            return "—"
        return format_html(
            "<ul class=\"arena-likes\">{}</ul>",
            format_html_join("", "<li>{} ({})</li>", ((like.user, like.created_at.date()) for like in likes)),
        )


# --- Reports ------------------------------------------------------------------------

@admin.register(Report)
class ReportAdmin(ModerationAdminMixin, admin.ModelAdmin):
    steps = REPORT_STEPS
    actions = [
        bulk_action(REPORT_STEPS["close"], _("Close selected reports")),
        bulk_action(REPORT_STEPS["hide"], _("Hide the reported actions")),
    ]
    list_display = ["created_at", "reported_action", "reason", "comment_excerpt", "action_state", "status"]
    list_display_links = ["created_at"]
    list_filter = [("status", StateListFilter), "reason", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["action"]
    search_fields = ["action__title", "comment", "closing_note"]
    ordering = ["created_at"]
    fields = ["action", "reason", "comment", "reporter", "created_at", "status", "closed_at", "closed_by",
              "closing_note", "staff_alerted_at"]
    readonly_fields = fields

    def moderation_queryset(self, queryset):
        return queryset.select_related("action").order_by("created_at", "pk")

    def has_add_permission(self, request):
        return False  # users report actions on the site

    def has_delete_permission(self, request, obj=None):
        return False  # closed instead, with a note: the moderation record stays

    def changelist_view(self, request, extra_context=None):
        redirect = _default_filter_redirect(request, f"status__exact={Report.Status.OPEN}")
        return redirect or super().changelist_view(request, extra_context)

    @admin.display(description=_("reported action"), ordering="action__title")
    def reported_action(self, obj):
        url = reverse("admin:arena_action_change", args=[obj.action_id])
        return format_html('<a href="{}">{}</a>', url, obj.action.title)

    @admin.display(description=_("state of the action"))
    def action_state(self, obj):
        return obj.action.get_status_display()

    @admin.display(description=_("comment"))
    def comment_excerpt(self, obj):
        return obj.comment if len(obj.comment) <= 120 else obj.comment[:119] + "…"


# --- Taxonomy -----------------------------------------------------------------------

class TaxonomyAdmin(TabbedTranslationAdmin):
    """Translation tabs (fi, sv, en) without modeltranslation's jQuery UI from a CDN.

    `js/admin-tabs.js` gives the tab script the small part of jQuery UI it uses.
    """

    list_display = ["name", "slug", "position", "action_count"]
    list_editable = ["position"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    fields = ["name", "slug", "position"]
    Media = None  # not the parent's Media (it names jQuery UI on a CDN); see `media` below

    @property
    def media(self):
        return admin.ModelAdmin.media.fget(self) + forms.Media(
            js=["admin/js/jquery.init.js", "modeltranslation/js/force_jquery.js", "js/admin-tabs.js",
                "modeltranslation/js/tabbed_translation_fields.js"],
            css={"all": ["modeltranslation/css/tabbed_translation_fields.css"]},
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_total=Count("actions"))

    @admin.display(description=_("actions"), ordering="action_total")
    def action_count(self, obj):
        return obj.action_total


@admin.register(Sector)
class SectorAdmin(TaxonomyAdmin):
    pass


@admin.register(Theme)
class ThemeAdmin(TaxonomyAdmin):
    pass


# Edits after publication (proposed changes to approve or reject) and moving an action.
from . import admin_revisions  # noqa: E402
