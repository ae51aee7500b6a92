"""Writes on development actions: the moderation state machine.

Every change of state goes through one function per transition. Each one checks that
the transition is allowed, locks the row, saves with `update_fields`, records a
`Transition` (who, when, from, to, message) and e-mails the submitter in their own
language once the transaction has committed.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Action, Report, Transition

Status = Action.Status

# from-state → the states it may move to
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.PUBLISHED, Status.RETURNED, Status.REJECTED},
    Status.PUBLISHED: {Status.HIDDEN},
    Status.HIDDEN: {Status.PUBLISHED},
    Status.REJECTED: set(),
}

MODERATE_PERMISSION = "arena.moderate_action"


class ModerationError(Exception):
    """A transition that is not allowed; the message is translated and shown to the user."""


def action_missing_fields(action: Action) -> list[str]:
    """The names of the fields a submission or publication requires but the action lacks."""
    missing = []
    for name in ("title", "summary", "need", "solution", "results", "stage", "language"):
        if not (getattr(action, name) or "").strip():
            missing.append(str(Action._meta.get_field(name).verbose_name))
    if action.organisation_id is None:
        missing.append(str(Action._meta.get_field("organisation").verbose_name))
    if action.pk is None or not action.sectors.exists():
        missing.append(str(Action._meta.get_field("sectors").verbose_name))
    if action.pk is None or not action.themes.exists():
        missing.append(str(Action._meta.get_field("themes").verbose_name))
    if not action.consent_to_publish:
        missing.append(str(Action._meta.get_field("consent_to_publish").verbose_name))
    return missing


def can_moderate(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff and user.has_perm(MODERATE_PERMISSION))


def _check_transition(action: Action, to_status: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS.get(action.status, set()):
        raise ModerationError(
            _("An action that is “%(from)s” cannot be made “%(to)s”.")
            % {"from": Status(action.status).label, "to": Status(to_status).label}
        )


def _check_complete(action: Action) -> None:
    missing = action_missing_fields(action)
    if missing:
        raise ModerationError(_("These required fields are missing: %(fields)s.") % {"fields": ", ".join(missing)})


def _check_moderator(user) -> None:
    if not can_moderate(user):
        raise ModerationError(_("You do not have permission to moderate actions."))


def _require_message(message: str, what: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ModerationError(what)
    return message


def _move(*, action: Action, to_status: str, actor, message: str = "", extra_fields=()) -> Action:
    """Lock, check, save and record one transition. The caller holds the transaction."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    _check_transition(locked, to_status)
    from_status = locked.status
    locked.status = to_status
    for name in extra_fields:
        setattr(locked, name, getattr(action, name))
    locked.save(update_fields=["status", "updated_at", *extra_fields])
    Transition.objects.create(action=locked, actor=actor, from_status=from_status, to_status=to_status,
                              message=message)
    action.status = locked.status
    for name in ("submitted_at", "published_at", "updated_at"):
        setattr(action, name, getattr(locked, name))
    transaction.on_commit(lambda: action_notify_author(action=locked, message=message))
    return action


def action_submit(*, action: Action, user) -> Action:
    """Draft or returned → submitted. `submitted_at` is set once, at the first submission."""
    with transaction.atomic():
        fresh = Action.objects.select_for_update().get(pk=action.pk)
        _check_transition(fresh, Status.SUBMITTED)
        _check_complete(fresh)
        action.submitted_at = fresh.submitted_at or timezone.now()
        _move(action=action, to_status=Status.SUBMITTED, actor=user, extra_fields=("submitted_at",))
        transaction.on_commit(lambda: action_notify_staff(action=fresh))
    return action


def action_publish(*, action: Action, moderator, message: str = "") -> Action:
    """Submitted → published. Refused when a required field is missing."""
    _check_moderator(moderator)
    with transaction.atomic():
        fresh = Action.objects.select_for_update().get(pk=action.pk)
        _check_transition(fresh, Status.PUBLISHED)
        _check_complete(fresh)
        action.published_at = fresh.published_at or timezone.now()
        return _move(action=action, to_status=Status.PUBLISHED, actor=moderator, message=(message or "").strip(),
                     extra_fields=("published_at",))


def action_return(*, action: Action, moderator, message: str) -> Action:
    """Submitted → returned, with a message telling the author what to change."""
    _check_moderator(moderator)
    message = _require_message(message, _("Write a message telling the author what to change."))
    with transaction.atomic():
        return _move(action=action, to_status=Status.RETURNED, actor=moderator, message=message)


def action_reject(*, action: Action, moderator, message: str) -> Action:
    """Submitted → rejected, with the reason."""
    _check_moderator(moderator)
    message = _require_message(message, _("Write the reason for rejecting the action."))
    with transaction.atomic():
        return _move(action=action, to_status=Status.REJECTED, actor=moderator, message=message)


def action_hide(*, action: Action, moderator, message: str) -> Action:
    """Published → hidden, with the reason."""
    _check_moderator(moderator)
    message = _require_message(message, _("Write the reason for hiding the action."))
    with transaction.atomic():
        return _move(action=action, to_status=Status.HIDDEN, actor=moderator, message=message)


def action_unhide(*, action: Action, moderator, message: str = "") -> Action:
    """Hidden → published again."""
    _check_moderator(moderator)
    with transaction.atomic():
        return _move(action=action, to_status=Status.PUBLISHED, actor=moderator, message=(message or "").strip())


def action_notify_author(*, action: Action, message: str = "") -> None:
    """E-mail the submitter about the action's new state, in their preferred language."""
    recipient = action.author
    if recipient is None or not recipient.email:
        return
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "action": action,
            "user": recipient,
            "message": message,
            "status_label": Status(action.status).label,
            "url": settings.SITE_URL + action.get_absolute_url(),
        }
        subject = render_to_string("arena/email/action_state_subject.txt", context).strip()
        body = render_to_string("arena/email/action_state_body.txt", context)
    send_mail(subject, body, None, [recipient.email])


def action_notify_staff(*, action: Action) -> None:
    """Tell KT staff that an action waits for moderation."""
    if not settings.STAFF_EMAILS:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"action": action, "url": settings.SITE_URL + f"/admin/arena/action/{action.pk}/change/"}
        subject = render_to_string("arena/email/staff_submitted_subject.txt", context).strip()
        body = render_to_string("arena/email/staff_submitted_body.txt", context)
    send_mail(subject, body, None, settings.STAFF_EMAILS)


# --- Reports: closing them, or hiding the reported action (moderation helper) ---------

def report_close(*, report: Report, moderator, note: str) -> Report:
    """Open → closed, with a note saying what was done about it."""
    _check_moderator(moderator)
    note = _require_message(note, _("Write a note saying how the report was handled."))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != Report.Status.OPEN:
            raise ModerationError(_("This report has already been closed."))
        report.status = Report.Status.CLOSED
        report.closed_at = timezone.now()
        report.closed_by = moderator
        report.closing_note = note
        report.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    return report


def report_hide_action(*, report: Report, moderator, message: str) -> Report:
    """Hide the reported action with the reason, and close its open reports with the same note.

    Both happen or neither: the hiding goes through `action_hide` (audit row, e-mail to the author).
    """
    _check_moderator(moderator)
    message = _require_message(message, _("Write the reason for hiding the action."))
    with transaction.atomic():
        action_hide(action=report.action, moderator=moderator, message=message)
        for open_report in Report.objects.filter(action_id=report.action_id, status=Report.Status.OPEN):
            report_close(report=open_report, moderator=moderator, note=message)
    report.refresh_from_db()
    return report


def action_moderation_problem(*, action: Action, to_status: str) -> str:
    """Why moving `action` to `to_status` would be refused right now ("" if it would not be).

    For previews on confirmation pages; the services themselves still decide.
    """
    try:
        _check_transition(action, to_status)
        if to_status == Status.PUBLISHED and action.status == Status.SUBMITTED:
            _check_complete(action)
    except ModerationError as error:
        return str(error)
    return ""
