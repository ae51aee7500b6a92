"""The admin index's "needs attention today" panel."""

from django import template
from django.db.models import Count, Min
from django.urls import NoReverseMatch, reverse
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext

from orgs.models import Membership

from ..models import Action, Report

register = template.Library()


def _admin_url(user, permission: str, url_name: str, query: str) -> str:
    if not user.has_perm(permission):
        return ""
    try:
        return f"{reverse(url_name)}?{query}"
    except NoReverseMatch:  # the model's admin is not registered
        return ""


@register.inclusion_tag("admin/arena/includes/attention_today.html", takes_context=True)
def attention_today(context):
    user = context["request"].user
    waiting = Action.objects.filter(status=Action.Status.SUBMITTED).aggregate(
        total=Count("pk"), oldest=Min("submitted_at"),
    )
    open_reports = Report.objects.filter(status=Report.Status.OPEN).count()
    pending = Membership.objects.filter(status=Membership.Status.PENDING).count()
    items = [
        {
            "count": waiting["total"],
            "label": ngettext("action waiting for moderation", "actions waiting for moderation",
                              waiting["total"]),
            "detail": gettext("the oldest for %(time)s") % {"time": timesince(waiting["oldest"], depth=1)}
            if waiting["oldest"] else "",
            "url": _admin_url(user, "arena.view_action", "admin:arena_action_changelist",
                              f"status__exact={Action.Status.SUBMITTED}"),
        },
        {
            "count": open_reports,
            "label": ngettext("open report", "open reports", open_reports),
            "url": _admin_url(user, "arena.view_report", "admin:arena_report_changelist",
                              f"status__exact={Report.Status.OPEN}"),
        },
        {
            "count": pending,
            "label": ngettext("pending membership request", "pending membership requests", pending),
            "url": _admin_url(user, "orgs.view_membership", "admin:orgs_membership_changelist",
                              f"status__exact={Membership.Status.PENDING}"),
        },
    ]
    return {"items": items}
