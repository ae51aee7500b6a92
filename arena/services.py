"""Writes on development actions: the moderation state machine and the content.

Every change of state goes through one function per transition. Each one checks that
the transition is allowed, locks the row, saves with `update_fields`, records a
`Transition` (who, when, from, to, message) and e-mails the submitter in their own
language once the transaction has committed.

The content services (`action_create`, `action_update`, `action_image_*`) are the only
places that write an action's text, related rows and images. Editing a published (or
hidden) action keeps its state and records a `Revision` with what changed.
"""

import contextlib
import contextvars

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orgs.mail import render_subject

from . import limits
from .cache import ACTIONS, action_scope, changed, organisation_scope
from .tallies import tallies_follow, tallies_rebuild, tally_adoptions_add
from .models import Action, ActionImage, ActionLink, ContactPerson, Report, Revision, Transition
from .permissions import MODERATED_EDIT_STATES, can_edit_action_live, user_organisations
from .search import action_update_search_vector

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


class AlreadyCreated(Exception):  # noqa: N818 (not an error: the answer to a replayed form)
    """The form (its `form_key`) has already created an action: a replay, a double click or a retry."""

    def __init__(self, action):
        super().__init__(action.pk)
        self.action = action


# What a submission (and a publication) requires, in the order the form shows them.
REQUIRED_FOR_SUBMISSION = (
    "title", "summary", "need", "solution", "results", "stage", "language",
    "organisation", "sectors", "themes", "consent_to_publish",
)


def action_missing_field_names(action: Action) -> list[str]:
    """The names of the required fields (REQUIRED_FOR_SUBMISSION) that the action lacks."""
    missing = []
    for name in REQUIRED_FOR_SUBMISSION:
        if name == "organisation":
            empty = action.organisation_id is None
        elif name in ("sectors", "themes"):
            empty = action.pk is None or not getattr(action, name).exists()
        elif name == "consent_to_publish":
            empty = not action.consent_to_publish
        else:
            empty = not (getattr(action, name) or "").strip()
        if empty:
            missing.append(name)
    return missing


def action_missing_fields(action: Action) -> list[str]:
    """The labels of the fields a submission or publication requires but the action lacks."""
    return [str(Action._meta.get_field(name).verbose_name) for name in action_missing_field_names(action)]


def can_moderate(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff and user.has_perm(MODERATE_PERMISSION))


def _check_transition(action: Action, to_status: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS.get(action.status, set()):
        raise ModerationError(
            _("An action that is “%(from)s” cannot be made “%(to)s”.")
            % {"from": Status(action.status).label, "to": Status(to_status).label}
        )


def _check_from(action: Action, expected: str, to_status: str) -> None:
    """Publishing and showing again share a target state; each only starts from its own state."""
    if action.status != expected:
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
    with tallies_follow(locked.pk):
        locked.save(update_fields=["status", "updated_at", *extra_fields])
    if Status.PUBLISHED in (from_status, to_status):  # it joins or leaves the public lists
        changed(action_scope(locked.pk), ACTIONS, organisation_scope(locked.organisation_id))
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
        _check_from(fresh, Status.SUBMITTED, Status.PUBLISHED)
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
        _check_from(Action.objects.select_for_update().get(pk=action.pk), Status.HIDDEN, Status.PUBLISHED)
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
        subject = render_subject("arena/email/action_state_subject.txt", context)
        body = render_to_string("arena/email/action_state_body.txt", context)
    send_mail(subject, body, None, [recipient.email])


def action_notify_staff(*, action: Action) -> None:
    """Tell KT staff that an action waits for moderation."""
    if not settings.STAFF_EMAILS:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"action": action, "url": settings.SITE_URL + f"/admin/arena/action/{action.pk}/change/"}
        subject = render_subject("arena/email/staff_submitted_subject.txt", context)
        body = render_to_string("arena/email/staff_submitted_body.txt", context)
    send_mail(subject, body, None, settings.STAFF_EMAILS)


# --- Reports: closing them, or hiding the reported action ----------------------------

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
# ---------------------------------------------------------------------------
# Content: the action's text, its related rows and its images.
# ---------------------------------------------------------------------------

TEXT_FIELDS = (
    "title", "summary", "need", "solution", "results", "tips", "stage", "language", "consent_to_publish",
)
MANY_FIELDS = ("sectors", "themes", "partners")
CONTACT_FIELDS = ("name", "job_title", "organisation_name", "email", "public")
LINK_FIELDS = ("url", "title", "kind")
# States whose edits are recorded as revisions: the action has been public.
RECORDED_STATES = (Status.PUBLISHED, Status.HIDDEN)


def _check_editor(user, action: Action) -> None:
    """Live edits only: a member whose right is to propose goes through arena/proposals.py."""
    if not can_edit_action_live(user, action):
        raise ModerationError(_("You cannot edit this action."))


def check_organisation_kept(organisation, action: Action) -> None:
    """An action that has been public moves to another organisation only by staff (arena/moves.py)."""
    if organisation is not None and action.status in MODERATED_EDIT_STATES and organisation.pk != action.organisation_id:
        raise ModerationError(_("Only KT staff can move a published action to another organisation."))


def _check_organisation(user, organisation, current_id=None) -> None:
    if organisation is None or organisation.pk == current_id:
        return
    if not user_organisations(user).filter(pk=organisation.pk).exists():
        raise ModerationError(_("You can only share actions of organisations you are a member of."))


def _snapshot(action: Action) -> dict:
    """The action's content as plain JSON values, for comparing before and after an edit."""
    snap = {name: getattr(action, name) for name in TEXT_FIELDS}
    snap["organisation"] = str(action.organisation) if action.organisation_id else ""
    for name in MANY_FIELDS:
        snap[name] = sorted(str(obj) for obj in getattr(action, name).all())
    snap["contacts"] = [{f: getattr(c, f) for f in CONTACT_FIELDS} for c in action.contacts.all()]
    snap["links"] = [{f: getattr(link, f) for f in LINK_FIELDS} for link in action.links.all()]
    snap["images"] = [{"alt_text": i.alt_text, "cover": i.is_cover} for i in action.images.all()]
    return snap


def _record_revision(*, action: Action, editor, before: dict | None, into: Revision | None = None) -> Revision | None:
    """Record what changed since `before` (None: the action has not been public; nothing to record),
    in a new revision or in `into` (an approved proposal; its `changes` are saved, even empty)."""
    if before is None:
        return None
    after = _snapshot(action)
    changes = {key: {"old": before[key], "new": after[key]} for key in after if before.get(key) != after[key]}
    if into is not None:
        into.changes = changes
        into.save(update_fields=["changes"])
        return into
    if not changes:
        return None
    return Revision.objects.create(action=action, editor=editor, changes=changes)


def _write_content(action: Action, data: dict, contacts, links) -> None:
    """Set the text fields, many-to-many fields, contacts and links given (keys absent are left alone)."""
    previous_organisation_id = action.organisation_id
    written = []
    if "organisation" in data:
        action.organisation = data["organisation"]
        written.append("organisation")
    for name in TEXT_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(action, name, value)
            written.append(name)
    if action.pk is None:
        action.save()
    else:
        # Only what the form wrote: the state, its times and the counters belong to other services.
        action.save(update_fields=[*written, "updated_at"])
    for name in MANY_FIELDS:
        if name in data:
            getattr(action, name).set(data[name] or [])
    if contacts is not None:
        action.contacts.all().delete()
        ContactPerson.objects.bulk_create(
            ContactPerson(action=action, position=i, **{f: row.get(f, "") for f in CONTACT_FIELDS})
            for i, row in enumerate(contacts)
        )
    if links is not None:
        action.links.all().delete()
        ActionLink.objects.bulk_create(
            ActionLink(action=action, position=i, **{f: row.get(f) or "" for f in LINK_FIELDS})
            for i, row in enumerate(links)
        )
    _content_changed(action, previous_organisation_id)


def _content_changed(action: Action, *organisation_ids) -> None:
    """An edit: the action's own page and card; the lists too when it is public (title, sectors,
    image… show there), and the organisations it left or joined."""
    if action.status == Status.PUBLISHED:
        changed(action_scope(action.pk), ACTIONS,
                *(organisation_scope(pk) for pk in {action.organisation_id, *organisation_ids} if pk))
    else:
        changed(action_scope(action.pk))


def action_admin_before_save(*, action: Action) -> tuple[dict | None, int | None]:
    """What `action_admin_saved` compares with: the stored action's content (when public) and its
    organisation, read before the admin writes the form."""
    stored = Action.objects.get(pk=action.pk)
    return (_snapshot(stored) if stored.status in RECORDED_STATES else None), stored.organisation_id


def action_admin_saved(*, action: Action, editor, before: tuple[dict | None, int | None]) -> None:
    """An edit saved in the admin (which writes the form and its inlines itself): the same
    bookkeeping as `action_update`: its revision, the search index and the caches."""
    snapshot, previous_organisation_id = before
    with transaction.atomic():
        _record_revision(action=action, editor=editor, before=snapshot)
        action_update_search_vector(action)
        _content_changed(action, previous_organisation_id)


def action_create(*, user, data: dict, contacts: list[dict] = (), links: list[dict] = (), form_key=None) -> Action:
    """A new draft by `user`. `data` holds the form's fields; only the title is required for a draft.

    `form_key` (a UUID written into the form) makes the creation happen once per form: when the
    user's action with that key exists already, or a concurrent request is creating it (the
    unique constraint makes this one wait for it), AlreadyCreated says which action it is.
    """
    if not (data.get("title") or "").strip():
        raise ModerationError(_("Give the action a title."))
    if not user_organisations(user).exists():
        raise ModerationError(_("You can only share actions of organisations you are a member of."))
    _check_organisation(user, data.get("organisation"))
    _check_form_key(user, form_key)
    try:
        with transaction.atomic():
            limits.lock_user(user)
            limits.draft_limit_check(user=user, now=timezone.now())
            action = Action(author=user, status=Status.DRAFT, form_key=form_key)
            _write_content(action, data, list(contacts), list(links))
            action_update_search_vector(action)
    except IntegrityError:
        _check_form_key(user, form_key)  # the concurrent twin committed first
        raise
    return action


def _check_form_key(user, form_key) -> None:
    if form_key is None:
        return
    existing = Action.objects.filter(author=user, form_key=form_key).first()
    if existing is not None:
        raise AlreadyCreated(existing)


def action_update(*, action: Action, user, data: dict, contacts: list[dict] | None = None,
                  links: list[dict] | None = None) -> Action:
    """Save an edit. The state does not change; an edit of a public action is recorded as a Revision."""
    if "title" in data and not (data.get("title") or "").strip():
        raise ModerationError(_("Give the action a title."))
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        _check_editor(user, locked)
        check_organisation_kept(data.get("organisation"), locked)
        _check_organisation(user, data.get("organisation"), current_id=locked.organisation_id)
        action_apply_edit(action=action, editor=user, data=data, contacts=contacts, links=links)
    return action


def action_apply_edit(*, action: Action, editor, data: dict, contacts: list[dict] | None = None,
                      links: list[dict] | None = None, into: Revision | None = None) -> Revision | None:
    """The edit itself, with its bookkeeping: the content, the published counts, the revision
    (or `into`, an approved proposal), the search vector and the caches. It checks no right:
    its callers do (`action_update`, `proposals.proposal_approve`, `moves.action_move`)."""
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        action.status = locked.status
        before = _snapshot(locked) if locked.status in RECORDED_STATES else None
        with tallies_follow(locked.pk):
            _write_content(action, data, contacts, links)
        revision = _record_revision(action=action, editor=editor, before=before, into=into)
        action_update_search_vector(action)
    return revision


def _lock_for_images(action: Action, user) -> tuple[Action, dict | None]:
    locked = Action.objects.select_for_update().get(pk=action.pk)
    _check_editor(user, locked)
    _content_changed(locked)
    return locked, (_snapshot(locked) if locked.status in RECORDED_STATES else None)


def _renumber(action: Action) -> None:
    images = list(action.images.order_by("position", "id"))
    for i, image in enumerate(images):
        image.position = i
    ActionImage.objects.bulk_update(images, ["position"])
    if images and not any(image.is_cover for image in images):
        images[0].is_cover = True
        images[0].save(update_fields=["is_cover"])


def action_image_add(*, action: Action, user, processed, alt_text: str) -> ActionImage:
    """Attach an image checked and re-encoded by `arena.images.process_upload`. The first one is the cover."""
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise ModerationError(_("Describe the image in the alternative text."))
    saved = []
    try:
        with transaction.atomic():
            locked, before = _lock_for_images(action, user)
            count = locked.images.count()
            if count >= settings.ACTION_MAX_IMAGES:
                raise ModerationError(
                    _("An action can have at most %(max)d images. Remove one first.")
                    % {"max": settings.ACTION_MAX_IMAGES}
                )
            image = ActionImage(action=locked, alt_text=alt_text, position=count, is_cover=count == 0)
            image.image.save(processed.full.name, processed.full, save=False)
            saved.append(image.image.name)
            _written_in_transaction(image.image.name)
            for name, content in processed.thumbs.items():
                field = getattr(image, name)
                field.save(content.name, content, save=False)
                saved.append(field.name)
                _written_in_transaction(field.name)
            image.save()
            _record_revision(action=locked, editor=user, before=before)
    except BaseException:
        _delete_files(saved)  # nothing refers to them: this transaction (or its commit) failed
        raise
    return image


# Files written by services inside an `atomic_with_files()` block, deleted when it rolls back.
_files_written = contextvars.ContextVar("files_written", default=None)


def _written_in_transaction(name: str) -> None:
    written = _files_written.get()
    if written is not None:
        written.append(name)


@contextlib.contextmanager
def atomic_with_files():
    """`transaction.atomic()` for a view that calls several services in one transaction: the
    image files they wrote are deleted again when it rolls back, so a failed save leaves no
    files that nothing refers to. (A process killed outright leaves them; the
    `delete_orphan_images` command removes those.)"""
    written = []
    token = _files_written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _delete_files(written)
        raise
    finally:
        _files_written.reset(token)


def _image_files(image: ActionImage) -> list:
    return [f for f in (image.image, image.thumb_small, image.thumb_small_jpeg, image.thumb_large,
                        image.thumb_large_jpeg) if f]


def _delete_files(names) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def action_image_remove(*, image: ActionImage, user) -> None:
    """Remove an image and its files; the next one becomes the cover when the cover goes."""
    with transaction.atomic():
        locked, before = _lock_for_images(image.action, user)
        names = [f.name for f in _image_files(image)]
        image.delete()
        _renumber(locked)
        _record_revision(action=locked, editor=user, before=before)
        transaction.on_commit(lambda: _delete_files(names))


def action_image_move(*, image: ActionImage, user, offset: int) -> None:
    """Move an image up (offset -1) or down (+1) in the order."""
    with transaction.atomic():
        locked, before = _lock_for_images(image.action, user)
        images = list(locked.images.order_by("position", "id"))
        index = next(i for i, other in enumerate(images) if other.pk == image.pk)
        target = index + offset
        if 0 <= target < len(images):
            images[index], images[target] = images[target], images[index]
            for i, other in enumerate(images):
                other.position = i
            ActionImage.objects.bulk_update(images, ["position"])
            _record_revision(action=locked, editor=user, before=before)


def action_image_set_cover(*, image: ActionImage, user) -> None:
    """Make this image the cover (the one shown in lists and link previews)."""
    with transaction.atomic():
        locked, before = _lock_for_images(image.action, user)
        locked.images.exclude(pk=image.pk).filter(is_cover=True).update(is_cover=False)
        locked.images.filter(pk=image.pk).update(is_cover=True)
        _record_revision(action=locked, editor=user, before=before)


def action_image_update_alt(*, image: ActionImage, user, alt_text: str) -> None:
    """Change an image's alternative text (required: it cannot be emptied)."""
    alt_text = (alt_text or "").strip()
    if not alt_text or alt_text == image.alt_text:
        return
    with transaction.atomic():
        locked, before = _lock_for_images(image.action, user)
        locked.images.filter(pk=image.pk).update(alt_text=alt_text)
        _record_revision(action=locked, editor=user, before=before)
# --- Engagement: likes, adoptions, reports ----------------------------------------
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
            changed(action_scope(action.pk))  # its counter, card and page: nothing else
    _refresh_counts(action)
    return created


def action_unlike(*, action: Action, user) -> bool:
    """Undo the user's like. Returns whether there was one."""
    with transaction.atomic():
        deleted, _by_model = Like.objects.filter(action=action, user=user).delete()
        if deleted:
            Action.objects.filter(pk=action.pk).update(like_count=Greatest(F("like_count") - 1, 0))
            changed(action_scope(action.pk))
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
        tally_adoptions_add(action.pk, 1)
        changed(action_scope(action.pk), organisation_scope(organisation.pk))
    _refresh_counts(action)
    return adoption


def action_unadopt(*, action: Action, organisation, user) -> bool:
    """Withdraw an organisation's adoption (by a confirmed member). Returns whether there was one."""
    if not can_adopt_for(user, organisation):
        raise EngagementError(_("Only confirmed members of an organisation can mark an adoption for it."))
    with transaction.atomic():
        deleted, _by_model = Adoption.objects.filter(action=action, organisation=organisation).delete()
        if deleted:
            updated = (Action.objects.filter(pk=action.pk, adoption_count__gt=0)
                       .update(adoption_count=F("adoption_count") - 1))
            if updated:
                tally_adoptions_add(action.pk, -1)
            changed(action_scope(action.pk), organisation_scope(organisation.pk))
    _refresh_counts(action)
    return bool(deleted)


def action_report(*, action: Action, user, reason: str, comment: str = "") -> Report:
    """Anyone logged in reports an action, within the limits of `arena.limits`; staff are e-mailed
    in batches (`limits.report_alerts_send`). The action stays visible."""
    if reason not in Report.Reason.values:
        raise EngagementError(_("Choose a reason for the report."))
    with transaction.atomic():
        _check_published(action)
        now = timezone.now()
        limits.lock_user(user)
        limits.report_limit_check(user=user, now=now)
        report = Report.objects.create(action=action, reporter=user, reason=reason,
                                       comment=(comment or "").strip())
        transaction.on_commit(lambda: limits.report_alerts_send(now=now))
    return report


def actions_recount_engagement(actions=None) -> int:
    """Recompute like_count and adoption_count from the rows (e.g. after accounts were deleted)."""
    from django.db.models import Count, OuterRef, Subquery  # noqa: PLC0415
    from django.db.models.functions import Coalesce  # noqa: PLC0415

    actions = Action.objects.all() if actions is None else actions
    likes = Like.objects.filter(action=OuterRef("pk")).values("action").annotate(n=Count("id")).values("n")
    adoptions = (Adoption.objects.filter(action=OuterRef("pk")).values("action")
                 .annotate(n=Count("id")).values("n"))
    with transaction.atomic():
        updated = actions.update(like_count=Coalesce(Subquery(likes), 0),
                                 adoption_count=Coalesce(Subquery(adoptions), 0))
        tallies_rebuild()  # the adoptions of published actions that the front page shows
    return updated


# --- Image files nothing refers to --------------------------------------------------

IMAGE_DIRS = ("actions/", "actions/thumbs/")  # ActionImage's upload_to directories


def image_files_orphaned(*, older_than, now) -> list[str]:
    """Files in the image directories that no ActionImage refers to, last modified before `now - older_than`.

    A save that fails deletes its own files; these come from a process killed between writing
    its files and committing. Younger files are left out: their upload may still be committing.
    """
    from django.core.files.storage import default_storage  # noqa: PLC0415

    referenced = set()
    for row in ActionImage.objects.values_list("image", "thumb_small", "thumb_small_jpeg", "thumb_large",
                                               "thumb_large_jpeg").iterator(chunk_size=10_000):
        referenced.update(name for name in row if name)
    cutoff = now - older_than
    orphans = []
    for directory in IMAGE_DIRS:
        try:
            _dirs, files = default_storage.listdir(directory)
        except FileNotFoundError:
            continue
        for filename in files:
            name = directory + filename
            if name not in referenced and default_storage.get_modified_time(name) < cutoff:
                orphans.append(name)
    return sorted(orphans)


def image_files_delete_orphans(*, older_than, now) -> list[str]:
    """Delete the files `image_files_orphaned` finds; returns their names."""
    orphans = image_files_orphaned(older_than=older_than, now=now)
    _delete_files(orphans)
    return orphans
