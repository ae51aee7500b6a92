"""Volume limits: how much one account may write, and how often KT staff are e-mailed about reports.

Every number is here, chosen so that a real user never meets it:

| what | limit | why it is enough |
|---|---|---|
| reports by one user | `REPORTS_PER_HOUR` a rolling hour, `REPORTS_PER_DAY` a rolling day | a careful reader reports a few actions a year |
| drafts of one author | `DRAFTS_PER_USER` at a time | Liminka's 68 actions of a whole campaign fit |
| new actions by one author | `ACTIONS_PER_DAY` a rolling day | even a bulk entry of a campaign's actions fits |
| staff e-mails about reports | one per `REPORT_ALERT_WINDOW` | the first report of a quiet period is mailed at once |
| nominations | see `campaigns.nominations` (`NOMINATIONS_PER_*`) | |

The limits count rows in the database (reports, actions), not counters in the cache: the rows
are there anyway, the count is exact on every app server, and it survives a restarted or culled
cache. Each check locks the user's row first (`lock_user`), so that parallel requests of one user
are counted one after another and a burst cannot slip past the limit.

Reports beyond the first of a quiet period are not mailed one by one: they wait in the admin's
open reports and the next e-mail summarises them. `report_alert_due` decides, `report_alerts_send`
sends; a periodic task may call `report_alerts_send` to flush the waiting ones.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

REPORTS_PER_HOUR = 10
REPORTS_PER_DAY = 30
DRAFTS_PER_USER = 100
ACTIONS_PER_DAY = 60
REPORT_ALERT_WINDOW = datetime.timedelta(minutes=30)
REPORT_ALERT_LIST_MAX = 50  # reports listed one by one in a summary e-mail; the rest are counted

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


class LimitReached(Exception):  # noqa: N818 (a refusal shown to the user, not a bug)
    """The user has written as much as one account may; the message (translated) says what and when."""


def lock_user(user) -> None:
    """Serialise one user's limited writes: call inside the transaction that counts and writes."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def window_text(window: datetime.timedelta) -> str:
    return pgettext("within", "an hour") if window <= HOUR else pgettext("within", "a day")


def limit_check(*, counts: list[tuple[int, int, datetime.timedelta]], message: str) -> None:
    """Raise LimitReached when any (count, limit, window) is at its limit. `message` may name
    `%(limit)s` and `%(window)s` (the first limit reached)."""
    for count, limit, window in counts:
        if count >= limit:
            raise LimitReached(message % {"limit": limit, "window": window_text(window)})


def report_limit_check(*, user, now: datetime.datetime) -> None:
    """At most REPORTS_PER_HOUR and REPORTS_PER_DAY reports by one user."""
    from .models import Report

    mine = Report.objects.filter(reporter=user, created_at__gt=now - DAY)
    limit_check(
        counts=[(mine.filter(created_at__gt=now - HOUR).count(), REPORTS_PER_HOUR, HOUR),
                (mine.count(), REPORTS_PER_DAY, DAY)],
        message=_("You have sent %(limit)s reports within %(window)s, as many as one account may. The "
                  "moderators are looking at them; please try again later."),
    )


def draft_limit_check(*, user, now: datetime.datetime) -> None:
    """At most DRAFTS_PER_USER drafts at a time and ACTIONS_PER_DAY new actions a day by one author."""
    from .models import Action

    drafts = Action.objects.filter(author=user, status=Action.Status.DRAFT).count()
    if drafts >= DRAFTS_PER_USER:
        raise LimitReached(_(
            "You already have %(limit)s drafts, as many as one account may keep. Send some of them for "
            "moderation or delete them, then save this one.") % {"limit": DRAFTS_PER_USER})
    limit_check(
        counts=[(Action.objects.filter(author=user, created_at__gt=now - DAY).count(), ACTIONS_PER_DAY, DAY)],
        message=_("You have started %(limit)s new actions within %(window)s, as many as one account may. "
                  "Please save this one later."),
    )


# --- Staff e-mails about reports ---------------------------------------------------------------


def report_alert_due(*, last_alert_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Whether a report mails KT staff now: yes when no report e-mail went out within
    REPORT_ALERT_WINDOW; otherwise it waits in the admin for the next e-mail."""
    return last_alert_at is None or now - last_alert_at >= REPORT_ALERT_WINDOW


def report_alerts_send(*, now: datetime.datetime) -> int:
    """E-mail staff about every report not mailed yet, in one message, when `report_alert_due`;
    returns how many reports the e-mail covered (0: nothing sent)."""
    from django.db import transaction
    from django.db.models import Max

    from .models import Report

    with transaction.atomic():
        # Locking the waiting rows makes a concurrent sender wait, then find them mailed.
        waiting = list(Report.objects.select_for_update().filter(staff_alerted_at__isnull=True)
                       .order_by("created_at", "id").values_list("pk", flat=True))
        if not waiting:
            return 0
        last = Report.objects.aggregate(last=Max("staff_alerted_at"))["last"]
        if not report_alert_due(last_alert_at=last, now=now):
            return 0
        Report.objects.filter(pk__in=waiting).update(staff_alerted_at=now)
        transaction.on_commit(lambda: _mail_staff(report_ids=waiting))
    return len(waiting)


def _mail_staff(*, report_ids: list[int]) -> None:
    """One e-mail to KT staff (in Finnish) about the given reports."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from orgs.mail import render_subject

    from .models import Report

    if not settings.STAFF_EMAILS:
        return
    reports = list(Report.objects.filter(pk__in=report_ids).select_related("action").order_by("created_at", "id"))
    if not reports:
        return
    with translation.override("fi"):
        rows = [{"report": report, "action": report.action, "reason": Report.Reason(report.reason).label,
                 "action_url": settings.SITE_URL + report.action.get_absolute_url()}
                for report in reports[:REPORT_ALERT_LIST_MAX]]
        context = {
            "rows": rows, "count": len(reports), "more": len(reports) - len(rows), "first": rows[0],
            "window_minutes": int(REPORT_ALERT_WINDOW.total_seconds() // 60),
            "admin_url": settings.SITE_URL + (
                reverse("admin:arena_report_change", args=[reports[0].pk]) if len(reports) == 1
                else reverse("admin:arena_report_changelist") + "?status__exact=open"),
        }
        subject = render_subject("arena/email/report_subject.txt", context)
        body = render_to_string("arena/email/report_body.txt", context)
    send_mail(subject, body, None, settings.STAFF_EMAILS)
