"""The moderation buttons of the admin: each step (publish, return, reject, hide, show again; close a
report, hide the reported action) calls one service from `arena.services`. The admin only asks for
the message, shows what would be skipped and reports what happened; `ModerationAdminMixin` gives a
model admin both the bulk actions (with a confirmation page) and the per-object buttons.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Action, Report

Status = Action.Status


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


def bulk_action(step: Step, description) -> Callable:
    def bulk(modeladmin, request, queryset):
        return modeladmin.bulk_moderate(request, queryset, step)

    bulk.__name__ = f"{step.name}_selected"
    return admin.action(permissions=["moderate"], description=description)(bulk)
