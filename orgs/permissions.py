"""Who may do what with organisations and memberships.

Each predicate is paired with the queryset filter that selects the same objects, so a
list page and a detail check never disagree. "KT staff" are users with `is_staff`; on the
site they may do what their admin permissions let them do in the admin (a moderator, who
may only view organisations there, does not administer them here either).
"""

from django.db.models import QuerySet

from .models import Membership, Organisation


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def _staff_administers_all(user) -> bool:
    return _is_staff(user) and user.has_perm("orgs.change_organisation")


def organisations_administered_by(user, queryset: QuerySet | None = None) -> QuerySet:
    """Organisations `user` may edit and whose members they may confirm or remove."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if _staff_administers_all(user):
        return queryset
    return queryset.filter(pk__in=Membership.objects.admins().filter(user=user).values("organisation"))


def can_admin_organisation(user, organisation: Organisation) -> bool:
    if _staff_administers_all(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    return Membership.objects.admins().filter(user=user, organisation=organisation).exists()


def confirmed_organisations(user, queryset: QuerySet | None = None) -> QuerySet:
    """Organisations where `user` has a confirmed membership (whatever their role)."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    return queryset.filter(
        pk__in=Membership.objects.confirmed().filter(user=user).values("organisation")
    )


def is_confirmed_member(user, organisation: Organisation) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return Membership.objects.confirmed().filter(user=user, organisation=organisation).exists()


def memberships_manageable_by(user, queryset: QuerySet | None = None) -> QuerySet:
    """Memberships `user` may confirm, change or remove: those of organisations they administer."""
    queryset = Membership.objects.all() if queryset is None else queryset
    return queryset.filter(organisation__in=organisations_administered_by(user))


def can_manage_membership(user, membership: Membership) -> bool:
    return can_admin_organisation(user, membership.organisation)


def can_leave_membership(user, membership: Membership) -> bool:
    return bool(user and user.is_authenticated and membership.user_id == user.pk)
