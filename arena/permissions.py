"""Who may see and edit development actions: predicates paired with queryset filters.

The rule (DESIGN.md): published actions are public; the author and the confirmed members
of the action's organisation see and edit its non-public states; staff see everything.
Everybody else is told the action does not exist (404), never "forbidden".
"""

from django.db.models import Q, QuerySet

from orgs.models import Membership, Organisation

from .models import Action

Status = Action.Status

# States in which the author and the organisation may still change the text.
EDITABLE_STATES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED, Status.HIDDEN)
# States in which the action can be (re)sent for moderation.
SUBMITTABLE_STATES = (Status.DRAFT, Status.RETURNED)


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


def can_edit_action(user, action: Action) -> bool:
    return action.status in EDITABLE_STATES and _is_own(user, action)


def actions_editable_by(user, qs: QuerySet[Action]) -> QuerySet[Action]:
    if not (user and user.is_authenticated):
        return qs.none()
    return qs.filter(_own_q(user), status__in=EDITABLE_STATES)


def can_submit_action(user, action: Action) -> bool:
    return action.status in SUBMITTABLE_STATES and can_edit_action(user, action)
