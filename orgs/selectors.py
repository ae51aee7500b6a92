"""Reads about organisations and memberships."""

from django.db.models import QuerySet

from .models import EmailDomain, EmployeeCount, Membership, Organisation, Region
from .permissions import memberships_manageable_by


def email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower() if "@" in address else ""


def user_email_domains(user, *, verified_only: bool = False) -> set[str]:
    """Domains of the user's e-mail addresses (only confirmed addresses when `verified_only`)."""
    from allauth.account.models import EmailAddress

    if not (user and user.is_authenticated):
        return set()
    addresses = EmailAddress.objects.filter(user=user)
    if verified_only:
        addresses = addresses.filter(verified=True)
    domains = {email_domain(address) for address in addresses.values_list("email", flat=True)}
    if not verified_only:
        domains.add(email_domain(user.email))
    return {domain for domain in domains if domain}


def organisation_suggested_for(user) -> Organisation | None:
    """The organisation an e-mail domain of the user points to (verified domains first)."""
    domains = user_email_domains(user)
    if not domains:
        return None
    match = (
        EmailDomain.objects.filter(domain__in=domains, organisation__is_active=True)
        .select_related("organisation")
        .order_by("-verified", "organisation__kind", "pk")
        .first()
    )
    return match.organisation if match else None


def organisation_list(*, search: str = "", kind: str = "", region: Region | None = None) -> QuerySet:
    """The public directory: active organisations, by name in the active language."""
    organisations = Organisation.objects.active().select_related("region", "welfare_area")
    if search:
        organisations = organisations.search(search)
    if kind:
        organisations = organisations.filter(kind=kind)
    if region:
        organisations = organisations.filter(region=region)
    return organisations.order_by_name()


def organisation_get(*, slug: str) -> Organisation:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Organisation.objects.select_related("region", "welfare_area", "welfare_area__region", "parent"),
        slug=slug,
    )


def organisation_latest_employee_count(organisation: Organisation) -> EmployeeCount | None:
    return organisation.employee_counts.order_by("-year").first()


def organisation_member_municipalities(organisation: Organisation) -> QuerySet:
    return organisation.municipalities.active().order_by_name()


def organisation_member_organisations(organisation: Organisation) -> QuerySet:
    return organisation.member_organisations.active().order_by_name()


def organisation_joint_authorities(organisation: Organisation) -> QuerySet:
    return organisation.joint_authorities.active().order_by_name()


def membership_list_for_user(user) -> QuerySet:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name_fi")
    )


def membership_of(user, organisation: Organisation) -> Membership | None:
    if not (user and user.is_authenticated):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def membership_list_pending_for_admin(user) -> QuerySet:
    """Requests waiting for `user` to confirm (all of them for KT staff)."""
    return (
        memberships_manageable_by(user, Membership.objects.pending())
        .select_related("user", "organisation")
        .order_by("created_at", "pk")
    )


def membership_list_for_organisation(organisation: Organisation) -> QuerySet:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "confirmed_by")
        .order_by("status", "user__full_name", "user__email")
    )


def organisation_choices_grouped(language: str | None = None) -> list:
    """Active organisations grouped by kind, for a <select> with <optgroup>s."""
    groups = []
    organisations = list(Organisation.objects.active().only("pk", "kind", "name", "name_fi", "name_sv",
                                                             "name_en").order_by_name(language))
    for kind, label in Organisation.Kind.choices:
        options = [(o.pk, o.name) for o in organisations if o.kind == kind]
        if options:
            groups.append((str(label).capitalize(), options))
    return groups

