"""The admin's part of edits after publication: proposed changes to approve or reject, and moving
an action to another organisation. Imported by arena/admin.py; every button calls a service
(`arena.proposals`, `arena.moves`)."""

import difflib
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from orgs.models import Organisation

from . import moves, proposals, services
from .admin import StateListFilter, _default_filter_redirect
from .admin_moderation import ModerationAdminMixin, Step, bulk_action
from .models import Revision
from .permissions import can_move_action

State = Revision.State


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


def side_by_side(live, proposed):
    """Two cells: the live text with what the proposal removes in <del>, the proposal with what it adds in <ins>."""
    old, new = _text(live).split(" "), _text(proposed).split(" ")
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        a, b = conditional_escape(" ".join(old[i1:i2])), conditional_escape(" ".join(new[j1:j2]))
        if op == "equal":
            left.append(a)
            right.append(b)
        else:
            if a:
                left.append(f"<del>{a}</del>")
            if b:
                right.append(f"<ins>{b}</ins>")
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308 (escaped above)


def _step(name, service, **texts) -> Step:
    return Step(name=name, run=lambda revision, user, text: service(revision=revision, moderator=user, message=text),
                problem=proposals.proposal_moderation_problem, **texts)


PROPOSAL_STEPS = {
    step.name: step for step in [
        _step("approve", proposals.proposal_approve, label=_("Approve the change"),
              title=_("Approve proposed changes"), field_label=_("Message to the proposer (optional)"),
              required_error=None,
              done=ngettext_lazy("%(count)d change approved and published.",
                                 "%(count)d changes approved and published.", "count")),
        _step("reject", proposals.proposal_reject, label=_("Reject the change"),
              title=_("Reject proposed changes"), field_label=_("Reason for rejecting (sent to the proposer)"),
              required_error=_("Write the reason for rejecting the proposed change."),
              done=ngettext_lazy("%(count)d change rejected.", "%(count)d changes rejected.", "count")),
    ]
}


@admin.register(Revision)
class RevisionAdmin(ModerationAdminMixin, admin.ModelAdmin):
    """Edits after publication; opens on the proposed changes waiting for moderation."""

    steps = PROPOSAL_STEPS
    actions = [bulk_action(PROPOSAL_STEPS["approve"], _("Approve selected changes")),
               bulk_action(PROPOSAL_STEPS["reject"], _("Reject selected changes"))]
    list_display = ["created_at", "action", "editor", "changed_fields", "state"]
    list_filter = [("state", StateListFilter)]
    list_select_related = ["action", "editor"]
    search_fields = ["action__title", "editor__email"]
    fields = ["action", "editor", "created_at", "state", "comparison", "decided_by", "decided_at", "message"]
    readonly_fields = fields
    ordering = ["created_at"]

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):  # whoever moderates sees what waits for them
        return services.can_moderate(request.user) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return services.can_moderate(request.user) or super().has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # approved or rejected through the buttons (services)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        redirect = _default_filter_redirect(request, f"state__exact={State.PENDING}")
        return redirect or super().changelist_view(request, extra_context)

    @admin.display(description=_("changed fields"))
    def changed_fields(self, obj):
        return ", ".join(row["label"] for row in proposals.proposal_comparison(obj)) if obj.proposal else \
            ", ".join(obj.changes)

    @admin.display(description=_("proposed change beside the published text"))
    def comparison(self, obj):
        if obj.state == State.PENDING:
            rows = []
            for row in proposals.proposal_comparison(obj):
                live, proposed = side_by_side(row["live"], row["proposed"])
                note = gettext("changed since the proposal") if row["changed_since"] else ""
                rows.append((row["label"], note, live, proposed))
        else:
            rows = [(name, "", *side_by_side(change.get("old", ""), change.get("new", "")))
                    for name, change in obj.changes.items() if isinstance(change, dict)]
        return format_html(
            '<table class="arena-comparison"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            gettext("field"), gettext("published now"), gettext("proposed"),
            format_html_join("", '<tr><th scope="row">{}<br><small>{}</small></th>'
                                 '<td style="white-space:pre-wrap">{}</td><td style="white-space:pre-wrap">{}</td></tr>',
                             rows),
        )


# --- Moving an action to another organisation (a button on the action's page) ---------

class MoveForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("New organisation"), queryset=Organisation.objects.none())
    message = forms.CharField(label=_("Reason for moving (recorded)"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk=action.organisation_id)


def move_urls(model_admin) -> list:
    info = model_admin.opts.app_label, model_admin.opts.model_name
    return [path("<path:object_id>/move/", model_admin.admin_site.admin_view(
        lambda request, object_id: move_view(model_admin, request, object_id)), name="%s_%s_move" % info)]


def move_links(request, obj) -> list[dict]:
    if obj is None or not can_move_action(request.user):
        return []
    return [{"label": gettext("Move to another organisation"), "url": reverse("admin:arena_action_move",
                                                                             args=[obj.pk])}]


def move_view(model_admin, request, object_id):
    if not can_move_action(request.user):
        raise PermissionDenied
    action = model_admin.get_object(request, unquote(object_id))
    if action is None:
        raise Http404
    change_url = reverse("admin:arena_action_change", args=[action.pk])
    form = MoveForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            moves.action_move(action=action, moderator=request.user, organisation=form.cleaned_data["organisation"],
                              message=form.cleaned_data["message"])
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            model_admin.message_user(request, gettext("The action was moved to %(organisation)s.") % {
                "organisation": form.cleaned_data["organisation"]}, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/arena/action_move.html", {
        **model_admin.admin_site.each_context(request), "opts": model_admin.opts, "original": action,
        "title": gettext("Move to another organisation"), "form": form, "cancel_url": change_url,
    })
