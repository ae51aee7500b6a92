"""Who may see and edit development actions: predicates paired with queryset filters.

The rule (DESIGN.md): published actions are public; the author and the confirmed members
of the action's organisation see and edit its non-public states; staff see everything.
Everybody else is told the action does not exist (404), never "forbidden".
Once an action has been public, only its author and the admins of its organisation edit it
live; its other members propose changes that a moderator approves (`action_edit_right`), and
only staff move it to another organisation (`can_move_action`).
"""

import enum

from django.db.models import Q, QuerySet

from orgs.models import Membership, Organisation

from .models import Action

Status = Action.Status

# States in which the author and the organisation may still change the text.
EDITABLE_STATES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED, Status.HIDDEN)
# States in which the action can be (re)sent for moderation.
SUBMITTABLE_STATES = (Status.DRAFT, Status.RETURNED)
# States that have been public: edits by other members go to moderation, moves are staff-only.
MODERATED_EDIT_STATES = (Status.PUBLISHED, Status.HIDDEN)
MOVE_PERMISSIONS = ("arena.moderate_action", "arena.change_action")


class EditRight(enum.StrEnum):
    LIVE = "live"  # the change is saved at once
    PROPOSE = "propose"  # the change waits for a moderator (arena/proposals.py)
    NONE = "none"


def user_organisations(user) -> QuerySet[Organisation]:
    """The organisations in which the user is a confirmed member."""
    if not (user and user.is_authenticated):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.CONFIRMED,
    )


def _own_q(user) -> Q:
    return Q(author=user) | Q(organisation__in=user_organisations(user).values("pk"))


def _is_own(user, action: Action) -> bool:
    if not (user and user.is_authenticated):
        return False
    if action.author_id == user.pk:
        return True
    return action.organisation_id is not None and user_organisations(user).filter(pk=action.organisation_id).exists()


def can_create_action(user) -> bool:
    return bool(user and user.is_authenticated and user_organisations(user).exists())


def can_view_action(user, action: Action) -> bool:
    if action.status == Status.PUBLISHED:
        return True
    if user and user.is_authenticated and user.is_staff:
        return True
    return _is_own(user, action)


def actions_visible_to(user, qs: QuerySet[Action]) -> QuerySet[Action]:
    if user and user.is_authenticated and user.is_staff:
        return qs
    if not (user and user.is_authenticated):
        return qs.filter(status=Status.PUBLISHED)
    return qs.filter(Q(status=Status.PUBLISHED) | _own_q(user))


def action_edit_right(user, action: Action) -> EditRight:
    """May `user` edit `action` live, propose a change for moderation, or not at all?

    Drafts and actions in moderation: the author and the organisation's confirmed members edit
    live. Once public (published, hidden): the author and the organisation's admins edit live,
    its other confirmed members propose; everyone else (staff on the site too) has no right.
    """
    if action.status not in EDITABLE_STATES or not _is_own(user, action):
        return EditRight.NONE
    if action.status not in MODERATED_EDIT_STATES or action.author_id == user.pk:
        return EditRight.LIVE
    if action.organisation_id is not None and Membership.objects.admins().filter(
            user=user, organisation_id=action.organisation_id).exists():
        return EditRight.LIVE
    return EditRight.PROPOSE  # a confirmed member of its organisation (`_is_own`)


def can_edit_action(user, action: Action) -> bool:
    """May `user` open the action's edit form (to save live or to propose)? The same as
    `action_edit_right(...) != NONE`, without asking whether they administer the organisation."""
    return action.status in EDITABLE_STATES and _is_own(user, action)


def can_edit_action_live(user, action: Action) -> bool:
    return action_edit_right(user, action) == EditRight.LIVE


def can_move_action(user) -> bool:
    """Moving an action to another organisation: KT staff who moderate and may change actions."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff
                and all(user.has_perm(name) for name in MOVE_PERMISSIONS))


def actions_editable_by(user, qs: QuerySet[Action]) -> QuerySet[Action]:
    if not (user and user.is_authenticated):
        return qs.none()
    return qs.filter(_own_q(user), status__in=EDITABLE_STATES)


def can_submit_action(user, action: Action) -> bool:
    return action.status in SUBMITTABLE_STATES and can_edit_action(user, action)
