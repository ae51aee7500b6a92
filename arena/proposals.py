"""Changes to a published action proposed by a member who may not edit it live.

`permissions.action_edit_right` decides who proposes: a confirmed member of the action's
organisation who is neither its author nor an organisation admin, once the action has been
public. Their change is kept as a pending `Revision` (the proposed content in `proposal`, only
the parts that differ from the live action); the published version stays as it is. A moderator
approves it (`proposal_approve`: applied through the same edit service as a live edit, so the
revision, search vector, counts and caches follow) or rejects it (`proposal_reject`); the
proposer is e-mailed in their language either way. One pending proposal per member and action:
saving the form again replaces it.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orgs.mail import render_subject
from orgs.models import Organisation

from . import services
from .models import Action, Revision, Sector, Theme
from .permissions import EditRight, action_edit_right
from .services import CONTACT_FIELDS, LINK_FIELDS, TEXT_FIELDS, ModerationError

State = Revision.State
MANY_MODELS = {"sectors": Sector, "themes": Theme, "partners": Organisation}


def _live(action: Action) -> dict:
    """The live content in the proposal's terms (ids for the many-to-many fields)."""
    content = {name: getattr(action, name) for name in TEXT_FIELDS}
    for name in MANY_MODELS:
        content[name] = sorted(getattr(action, name).values_list("pk", flat=True))
    content["contacts"] = [{f: getattr(c, f) for f in CONTACT_FIELDS} for c in action.contacts.all()]
    content["links"] = [{f: getattr(link, f) for f in LINK_FIELDS} for link in action.links.all()]
    return content


def _proposed(data: dict, contacts, links) -> dict:
    """The form's content, cleaned as the edit service would write it."""
    content = {}
    for name in TEXT_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            content[name] = value
    for name in MANY_MODELS:
        if name in data:
            content[name] = sorted(obj.pk for obj in data[name] or [])
    if contacts is not None:
        content["contacts"] = [{f: row.get(f, "") for f in CONTACT_FIELDS} for row in contacts]
    if links is not None:
        content["links"] = [{f: row.get(f) or "" for f in LINK_FIELDS} for row in links]
    return content


def _shown(name: str, value):
    """A proposed value as the revision trail shows it (names instead of ids)."""
    if name in MANY_MODELS:
        return sorted(str(obj) for obj in MANY_MODELS[name].objects.filter(pk__in=value))
    return value


def _changes(action: Action, proposal: dict) -> dict:
    live = services._snapshot(action)
    return {name: {"old": live[name], "new": _shown(name, value)} for name, value in proposal.items()}


def action_propose_edit(*, action: Action, user, data: dict, contacts: list[dict] | None = None,
                        links: list[dict] | None = None) -> Revision | None:
    """Keep `user`'s change to a public action for moderation; the live action is not touched.

    Returns the pending revision, or None when the form equals the live action (a pending
    proposal of theirs is then withdrawn).
    """
    if "title" in data and not (data.get("title") or "").strip():
        raise ModerationError(_("Give the action a title."))
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if action_edit_right(user, locked) != EditRight.PROPOSE:
            raise ModerationError(_("You cannot propose changes to this action."))
        services.check_organisation_kept(data.get("organisation"), locked)
        live = _live(locked)
        proposal = {name: value for name, value in _proposed(data, contacts, links).items() if value != live[name]}
        pending = Revision.objects.select_for_update().filter(action=locked, editor=user, state=State.PENDING).first()
        if not proposal:
            if pending is not None:
                pending.delete()
            return None
        if pending is None:
            pending = Revision(action=locked, editor=user, state=State.PENDING)
        pending.proposal = proposal
        pending.changes = _changes(locked, proposal)
        pending.save()
    return pending


def proposal_pending(*, action: Action, user) -> Revision | None:
    """The user's proposal for the action that waits for moderation."""
    if not (user and user.is_authenticated):
        return None
    return Revision.objects.filter(action=action, editor=user, state=State.PENDING).first()


def proposal_latest_rejected(*, action: Action, user) -> Revision | None:
    """The user's latest proposal for the action if it was rejected (and none is newer)."""
    if not (user and user.is_authenticated):
        return None
    latest = (Revision.objects.filter(action=action, editor=user)
              .exclude(state=State.APPLIED).order_by("-created_at", "-id").first())
    return latest if latest is not None and latest.state == State.REJECTED else None


def proposal_form_initial(revision: Revision) -> tuple[dict, list | None, list | None]:
    """The proposal as the edit form's initial values, contact rows and link rows (None: as live)."""
    proposal = dict(revision.proposal)
    contacts = proposal.pop("contacts", None)
    links = proposal.pop("links", None)
    return proposal, contacts, links


def proposal_comparison(revision: Revision) -> list[dict]:
    """Each proposed field beside the live action's current value: label, live, proposed, and whether
    the live value has changed since the proposal was made."""
    action = revision.action
    live = services._snapshot(action)
    rows = []
    for name, value in revision.proposal.items():
        field = Action._meta.get_field(name) if name in (*TEXT_FIELDS, *MANY_MODELS) else None
        label = str(field.verbose_name) if field else {"contacts": _("contact persons"), "links": _("links")}[name]
        before = revision.changes.get(name, {}).get("old")
        rows.append({"name": name, "label": label, "live": live[name], "proposed": _shown(name, value),
                     "changed_since": before is not None and before != live[name]})
    return rows


def _as_edit(proposal: dict) -> tuple[dict, list | None, list | None]:
    data = {name: value for name, value in proposal.items() if name in TEXT_FIELDS}
    for name, model in MANY_MODELS.items():
        if name in proposal:
            data[name] = list(model.objects.filter(pk__in=proposal[name]))
    return data, proposal.get("contacts"), proposal.get("links")


def _decide(*, revision: Revision, moderator, state: str, message: str) -> Revision:
    locked = Revision.objects.select_for_update(of=("self",)).select_related("action", "editor").get(pk=revision.pk)
    if locked.state != State.PENDING:
        raise ModerationError(_("This proposed change has already been handled."))
    if state == State.APPROVED:
        data, contacts, links = _as_edit(locked.proposal)
        services.action_apply_edit(action=locked.action, editor=locked.editor, data=data, contacts=contacts,
                                   links=links, into=locked)
    locked.state = state
    locked.decided_by = moderator
    locked.decided_at = timezone.now()
    locked.message = message
    locked.save(update_fields=["state", "decided_by", "decided_at", "message"])
    transaction.on_commit(lambda: proposal_notify_proposer(revision=locked))
    return locked


def proposal_approve(*, revision: Revision, moderator, message: str = "") -> Revision:
    """Apply the proposed change to the live action, through the edit service."""
    services._check_moderator(moderator)
    with transaction.atomic():
        return _decide(revision=revision, moderator=moderator, state=State.APPROVED,
                       message=(message or "").strip())


def proposal_reject(*, revision: Revision, moderator, message: str) -> Revision:
    """Keep the live action as it is; the proposer is told why."""
    services._check_moderator(moderator)
    message = services._require_message(message, _("Write the reason for rejecting the proposed change."))
    with transaction.atomic():
        return _decide(revision=revision, moderator=moderator, state=State.REJECTED, message=message)


def proposal_moderation_problem(revision: Revision) -> str:
    """Why approving or rejecting would be refused now ("" if it would not), for the admin's buttons."""
    return "" if revision.state == State.PENDING else _("This proposed change has already been handled.")


def proposal_notify_proposer(*, revision: Revision) -> None:
    """E-mail the proposer, in their language, that their change was approved or rejected."""
    recipient = revision.editor
    if recipient is None or not recipient.email:
        return
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {"revision": revision, "action": revision.action, "user": recipient,
                   "approved": revision.state == State.APPROVED, "message": revision.message,
                   "url": settings.SITE_URL + revision.action.get_absolute_url()}
        subject = render_subject("arena/email/proposal_decided_subject.txt", context)
        body = render_to_string("arena/email/proposal_decided_body.txt", context)
    send_mail(subject, body, None, [recipient.email])
