"""Moving an action to another organisation: KT staff only (`permissions.can_move_action`), recorded.

The move is an edit through the same service as any other (`services.action_apply_edit`: the
revision, published counts, search vector and caches of both organisations); its revision
records who, when, from, to, the reason and the campaigns the action counts for before and after.

Campaign credit is the campaigns app's rule; arena must not import it, so it offers an extension
point: `register_campaign_credit(credit)` where `credit(action)` returns the campaigns the action
counts for now, as `(campaign_pk, label)` pairs. Called before and after the move; the scopes of
the campaigns concerned are renewed (their counters and rankings follow the new organisation).
"""

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from .cache import campaign_scope, changed
from .models import Action, Revision
from .permissions import can_move_action
from .services import ModerationError, action_apply_edit

_credits: list[Callable[[Action], list[tuple[int, str]]]] = []


def register_campaign_credit(credit: Callable[[Action], list[tuple[int, str]]]) -> None:
    if credit not in _credits:
        _credits.append(credit)


def _credited(action: Action) -> list[tuple[int, str]]:
    return [pair for credit in _credits for pair in credit(action)]


def action_move(*, action: Action, moderator, organisation, message: str) -> Revision:
    """Move `action` to `organisation`, with the reason."""
    if not can_move_action(moderator):
        raise ModerationError(_("Only KT staff can move an action to another organisation."))
    message = (message or "").strip()
    if not message:
        raise ModerationError(_("Write the reason for moving the action."))
    with transaction.atomic():
        locked = Action.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=action.pk)
        if organisation is None or organisation.pk == locked.organisation_id:
            raise ModerationError(_("Choose another organisation than the action's own."))
        before = _credited(locked)
        old_name = str(locked.organisation) if locked.organisation_id else ""
        revision = action_apply_edit(action=locked, editor=moderator, data={"organisation": organisation})
        locked.refresh_from_db()
        after = _credited(locked)
        if revision is None:  # an action never public: no revision of its own yet
            revision = Revision(action=locked, editor=moderator,
                                changes={"organisation": {"old": old_name, "new": str(organisation)}})
        revision.changes["campaigns"] = {"old": [label for _pk, label in before],
                                         "new": [label for _pk, label in after]}
        revision.message = message
        revision.save()
        scopes = [campaign_scope(pk) for pk in {pk for pk, _label in before + after}]
        if scopes:
            changed(*scopes)
    action.organisation = locked.organisation
    return revision
