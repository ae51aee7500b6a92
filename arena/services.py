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

from .models import Action, Transition

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


# --- Engagement: likes, adoptions, reports (browse) -------------------------------
# Each keeps the denormalised counters on Action current with F() updates inside the
# same transaction as the row it adds or removes. Only published actions take part.

from django.db.models import F  # noqa: E402
from django.db.models.functions import Greatest  # noqa: E402

from orgs.models import Membership  # noqa: E402

from .models import Adoption, Like, Report  # noqa: E402


class EngagementError(Exception):
    """A like, adoption or report that is not allowed; the message is translated."""


def _check_published(action: Action) -> None:
    if not Action.objects.published().filter(pk=action.pk).exists():
        raise EngagementError(_("Only published actions can be liked, adopted or reported."))


def _refresh_counts(action: Action) -> None:
    fresh = Action.objects.filter(pk=action.pk).values("like_count", "adoption_count").first()
    if fresh:
        action.like_count = fresh["like_count"]
        action.adoption_count = fresh["adoption_count"]


def action_like(*, action: Action, user) -> bool:
    """The user likes the action (once). Returns whether a new like was added."""
    with transaction.atomic():
        _check_published(action)
        _, created = Like.objects.get_or_create(action=action, user=user)
        if created:
            Action.objects.filter(pk=action.pk).update(like_count=F("like_count") + 1)
    _refresh_counts(action)
    return created


def action_unlike(*, action: Action, user) -> bool:
    """Undo the user's like. Returns whether there was one."""
    with transaction.atomic():
        deleted, _ = Like.objects.filter(action=action, user=user).delete()
        if deleted:
            Action.objects.filter(pk=action.pk).update(like_count=Greatest(F("like_count") - 1, 0))
    _refresh_counts(action)
    return bool(deleted)


def can_adopt_for(user, organisation) -> bool:
    return bool(
        user and user.is_authenticated
        and Membership.objects.filter(user=user, organisation=organisation,
                                      status=Membership.Status.CONFIRMED).exists()
    )


def action_adopt(*, action: Action, organisation, user, note: str = "") -> Adoption:
    """"We did this too": a confirmed member marks the action adopted by their organisation."""
    note = (note or "").strip()
    if len(note) > Adoption._meta.get_field("note").max_length:
        raise EngagementError(_("The note is too long."))
    if organisation.pk == action.organisation_id:
        raise EngagementError(_("An organisation cannot adopt its own action."))
    if not can_adopt_for(user, organisation):
        raise EngagementError(_("Only confirmed members of an organisation can mark an adoption for it."))
    with transaction.atomic():
        _check_published(action)
        adoption, created = Adoption.objects.get_or_create(
            action=action, organisation=organisation, defaults={"user": user, "note": note},
        )
        if not created:
            raise EngagementError(
                _("%(organisation)s has already adopted this action.") % {"organisation": organisation}
            )
        Action.objects.filter(pk=action.pk).update(adoption_count=F("adoption_count") + 1)
    _refresh_counts(action)
    return adoption


def action_unadopt(*, action: Action, organisation, user) -> bool:
    """Withdraw an organisation's adoption (by a confirmed member). Returns whether there was one."""
    if not can_adopt_for(user, organisation):
        raise EngagementError(_("Only confirmed members of an organisation can mark an adoption for it."))
    with transaction.atomic():
        deleted, _ = Adoption.objects.filter(action=action, organisation=organisation).delete()
        if deleted:
            Action.objects.filter(pk=action.pk).update(adoption_count=Greatest(F("adoption_count") - 1, 0))
    _refresh_counts(action)
    return bool(deleted)


def action_report(*, action: Action, user, reason: str, comment: str = "") -> Report:
    """Anyone logged in reports an action; staff are e-mailed. The action stays visible."""
    if reason not in Report.Reason.values:
        raise EngagementError(_("Choose a reason for the report."))
    with transaction.atomic():
        _check_published(action)
        report = Report.objects.create(action=action, reporter=user, reason=reason,
                                       comment=(comment or "").strip())
        transaction.on_commit(lambda: report_notify_staff(report=report))
    return report


def report_notify_staff(*, report: Report) -> None:
    """E-mail KT staff (in Finnish) about a new report."""
    if not settings.STAFF_EMAILS:
        return
    from django.urls import NoReverseMatch, reverse  # noqa: PLC0415

    with translation.override("fi"):
        try:
            admin_url = settings.SITE_URL + reverse("admin:arena_report_change", args=[report.pk])
        except NoReverseMatch:
            admin_url = settings.SITE_URL + reverse("admin:index")
        context = {
            "report": report,
            "action": report.action,
            "reason": Report.Reason(report.reason).label,
            "action_url": settings.SITE_URL + report.action.get_absolute_url(),
            "admin_url": admin_url,
        }
        subject = render_to_string("arena/email/report_subject.txt", context).strip()
        body = render_to_string("arena/email/report_body.txt", context)
    send_mail(subject, body, None, settings.STAFF_EMAILS)


def actions_recount_engagement(actions=None) -> int:
    """Recompute like_count and adoption_count from the rows (e.g. after accounts were deleted)."""
    from django.db.models import Count, OuterRef, Subquery  # noqa: PLC0415
    from django.db.models.functions import Coalesce  # noqa: PLC0415

    actions = Action.objects.all() if actions is None else actions
    likes = Like.objects.filter(action=OuterRef("pk")).values("action").annotate(n=Count("id")).values("n")
    adoptions = (Adoption.objects.filter(action=OuterRef("pk")).values("action")
                 .annotate(n=Count("id")).values("n"))
    return actions.update(like_count=Coalesce(Subquery(likes), 0),
                          adoption_count=Coalesce(Subquery(adoptions), 0))
