"""The KT staff's moderation tool in the Django admin.

Every button here (bulk actions on the list, buttons on one action's or report's page)
calls a service from `arena.services`; the admin only asks for the message, shows what
would be skipped and reports what happened.

The campaigns app adds its own column and filter to `ActionAdmin.list_display` and
`ActionAdmin.list_filter` (arena must not import campaigns), so both stay plain lists.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from orgs.models import Organisation

from . import services, tallies
from .models import (
    Action,
    ActionImage,
    ActionLink,
    Adoption,
    ContactPerson,
    Like,
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


# --- Moderation steps: one per button, each backed by a service ---------------------

@dataclass(frozen=True)
class Step:
    """One moderation button: what it is called, what it asks for and which service it calls."""

    name: str
    label: Promise  # the button
    title: Promise  # the confirmation page's heading
    field_label: Promise  # the message field
    required_error: Promise | None  # None: the message is optional
    run: Callable[..., Any]  # run(obj, user, text) → calls the service
    problem: Callable[[Any], str]  # why the service would refuse it now ("" if it would not)
    done: Promise  # plural message with %(count)d
    help_text: Promise | str = ""


def _action_step(name, from_status, to_status, service, **texts) -> Step:
    def problem(action) -> str:
        if action.status != from_status:  # e.g. "publish" is for submitted actions, "show again" for hidden
            return gettext("This applies only to actions that are “%(state)s”.") % {
                "state": Status(from_status).label}
        return services.action_moderation_problem(action=action, to_status=to_status)

    return Step(
        name=name,
        run=lambda action, user, text: service(action=action, moderator=user, message=text),
        problem=problem,
        **texts,
    )


ACTION_STEPS = {
    step.name: step for step in [
        _action_step(
            "publish", Status.SUBMITTED, Status.PUBLISHED, services.action_publish,
            label=_("Publish"), title=_("Publish development actions"),
            field_label=_("Message to the author (optional)"), required_error=None,
            done=ngettext_lazy("%(count)d action published.", "%(count)d actions published.", "count"),
        ),
        _action_step(
            "return", Status.SUBMITTED, Status.RETURNED, services.action_return,
            label=_("Return for changes"), title=_("Return development actions for changes"),
            field_label=_("Message to the author: what to change"),
            required_error=_("Write a message telling the author what to change."),
            done=ngettext_lazy("%(count)d action returned to its author.",
                               "%(count)d actions returned to their authors.", "count"),
        ),
        _action_step(
            "reject", Status.SUBMITTED, Status.REJECTED, services.action_reject,
            label=_("Reject"), title=_("Reject development actions"),
            field_label=_("Reason for rejecting (sent to the author)"),
            required_error=_("Write the reason for rejecting the action."),
            done=ngettext_lazy("%(count)d action rejected.", "%(count)d actions rejected.", "count"),
        ),
        _action_step(
            "hide", Status.PUBLISHED, Status.HIDDEN, services.action_hide,
            label=_("Hide"), title=_("Hide published development actions"),
            field_label=_("Reason for hiding (sent to the author)"),
            required_error=_("Write the reason for hiding the action."),
            done=ngettext_lazy("%(count)d action hidden.", "%(count)d actions hidden.", "count"),
        ),
        _action_step(
            "unhide", Status.HIDDEN, Status.PUBLISHED, services.action_unhide,
            label=_("Show again"), title=_("Show hidden development actions again"),
            field_label=_("Message to the author (optional)"), required_error=None,
            done=ngettext_lazy("%(count)d action shown again.", "%(count)d actions shown again.", "count"),
        ),
    ]
}


def _report_problem(report) -> str:
    return "" if report.status == Report.Status.OPEN else gettext("This report has already been closed.")


def _report_hide_problem(report) -> str:
    return services.action_moderation_problem(action=report.action, to_status=Status.HIDDEN)


REPORT_STEPS = {
    step.name: step for step in [
        Step(
            name="close", label=_("Close the report"), title=_("Close reports"),
            field_label=_("Note: how was the report handled?"),
            required_error=_("Write a note saying how the report was handled."),
            run=lambda report, user, text: services.report_close(report=report, moderator=user, note=text),
            problem=_report_problem,
            done=ngettext_lazy("%(count)d report closed.", "%(count)d reports closed.", "count"),
        ),
        Step(
            name="hide", label=_("Hide the action"), title=_("Hide reported development actions"),
            field_label=_("Reason for hiding (sent to the author)"),
            required_error=_("Write the reason for hiding the action."),
            run=lambda report, user, text: services.report_hide_action(report=report, moderator=user,
                                                                        message=text),
            problem=_report_hide_problem,
            done=ngettext_lazy("%(count)d reported action hidden.", "%(count)d reported actions hidden.",
                               "count"),
            help_text=_("The action's open reports are closed with the same note."),
        ),
    ]
}


class ModerationForm(forms.Form):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 60}), max_length=5000)

    def __init__(self, *args, step: Step, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["message"]
        field.label = step.field_label
        field.help_text = step.help_text
        field.required = step.required_error is not None
        if step.required_error is not None:
            field.error_messages["required"] = step.required_error


class ModerationAdminMixin:
    """Bulk actions with a confirmation page and per-object buttons, both calling `steps`."""

    steps: dict[str, Step] = {}
    moderation_template = "admin/arena/moderation_confirm.html"

    def has_moderate_permission(self, request) -> bool:
        return services.can_moderate(request.user)

    def moderation_queryset(self, queryset):
        return queryset

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/moderate/<slug:step_name>/",
                self.admin_site.admin_view(self.moderate_view),
                name="%s_%s_moderate" % info,
            ),
            *super().get_urls(),
        ]

    def moderation_links(self, request, obj) -> list[dict]:
        if obj is None or not self.has_moderate_permission(request):
            return []
        info = self.opts.app_label, self.opts.model_name
        return [
            {"label": step.label, "url": reverse("admin:%s_%s_moderate" % info, args=[obj.pk, step.name])}
            for step in self.steps.values() if not step.problem(obj)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = {"moderation_links": self.moderation_links(request, obj), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    def changelist_view(self, request, extra_context=None):
        bulk_names = {f"{name}_selected" for name in self.steps}
        if request.method == "POST" and request.POST.get("action") in bulk_names:
            if not self.has_moderate_permission(request):
                raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def moderate_view(self, request, object_id, step_name):
        """One object's button: a page with the message field; POST calls the service."""
        step = self.steps.get(step_name)
        if step is None:
            raise Http404
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        form = ModerationForm(request.POST or None, step=step)
        if request.method == "POST" and form.is_valid():
            try:
                self.run_step(request, step, obj, form.cleaned_data["message"])
            except services.ModerationError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, step.done % {"count": 1}, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        return self.render_moderation_page(request, step, form, [obj], cancel_url=change_url)

    def bulk_moderate(self, request, queryset, step: Step):
        """The bulk action: a confirmation page first, then each object through the service.

        Each object is moved (or refused) whole by its own service call; refusals are
        reported per object and leave that object untouched.
        """
        objects = list(self.moderation_queryset(queryset))
        form = ModerationForm(request.POST if "apply" in request.POST else None, step=step)
        if form.is_bound and form.is_valid():
            done = 0
            for obj in objects:
                try:
                    self.run_step(request, step, obj, form.cleaned_data["message"])
                except services.ModerationError as error:
                    self.message_user(
                        request,
                        gettext("“%(object)s” was skipped: %(reason)s") % {"object": obj, "reason": error},
                        messages.WARNING,
                    )
                else:
                    done += 1
            if done:
                self.message_user(request, step.done % {"count": done}, messages.SUCCESS)
            return None
        return self.render_moderation_page(
            request, step, form, objects, bulk_action=f"{step.name}_selected",
            cancel_url=request.get_full_path(),
        )

    def run_step(self, request, step: Step, obj, text: str) -> None:
        """Refuse what the button is not for (the step's own precondition), else call the service."""
        problem = step.problem(obj)
        if problem:
            raise services.ModerationError(problem)
        step.run(obj, request.user, text)

    def render_moderation_page(self, request, step, form, objects, *, cancel_url, bulk_action=""):
        items = [{"object": obj, "problem": step.problem(obj)} for obj in objects]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": step.title,
            "step": step,
            "form": form,
            "items": items,
            "movable_count": sum(1 for item in items if not item["problem"]),
            "bulk_action": bulk_action,
            "cancel_url": cancel_url,
            "change_url_name": f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.moderation_template, context)


def _bulk_action(step: Step, description) -> Callable:
    def bulk(modeladmin, request, queryset):
        return modeladmin.bulk_moderate(request, queryset, step)

    bulk.__name__ = f"{step.name}_selected"
    return admin.action(permissions=["moderate"], description=description)(bulk)


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

class ReadOnlyInlineMixin:
    """Shown to whoever may view the action; nobody (superusers included) edits it here."""

    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    fields = ["created_at", "editor", "changes_display"]
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
        _bulk_action(ACTION_STEPS["publish"], _("Publish selected actions")),
        _bulk_action(ACTION_STEPS["return"], _("Return selected actions for changes")),
        _bulk_action(ACTION_STEPS["reject"], _("Reject selected actions")),
        _bulk_action(ACTION_STEPS["hide"], _("Hide selected actions")),
        _bulk_action(ACTION_STEPS["unhide"], _("Show selected hidden actions again")),
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
        "title", "summary", "need", "solution", "results", "tips", "makers",
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
        (_("Organisation and people"), {"fields": ["organisation", "partners", "submitter", "makers",
                                                   "consent_to_publish"]}),
        (_("Sectors and themes"), {"fields": ["sectors", "themes"]}),
        (_("Moderation"), {"fields": ["status", "completeness", "submitted_at", "published_at",
                                      "created_at", "updated_at"]}),
        (_("Likes and adoptions"), {"fields": ["like_count", "recent_likes", "adoption_count"]}),
    ]
    inlines = [
        ActionImageInline, ContactPersonInline, ActionLinkInline,
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
        _bulk_action(REPORT_STEPS["close"], _("Close selected reports")),
        _bulk_action(REPORT_STEPS["hide"], _("Hide the reported actions")),
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
