"""E-mail domains of organisations: who may verify one, and what a verified one confirms.

A verified domain confirms people into its organisation without any admin looking, so a
claim on someone else's domain would let strangers in (an admin of one municipality adding
the next municipality's domain). Hence:

- `domain_claim_outcome` decides what an organisation admin's claim becomes: verified at once
  only with proof (one of the admin's own confirmed addresses is on the domain) and only when
  no other organisation is known to own the domain; otherwise it waits for KT staff.
- `address_auto_confirms` decides whether a confirmed address joins an organisation at once:
  only when its domain is verified for that organisation and for no other.
- The services below are the only writes of verification, for the site and the admin alike.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import MembershipError, NotAllowed
from .models import EmailDomain, Organisation, User
from .permissions import can_admin_organisation
from .reference_data import reference_domain_owners
from .selectors import email_domain, user_email_domains

# Public mail services: nobody's own domain, so never a verified one.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.fi", "live.com", "live.fi",
    "msn.com", "yahoo.com", "yahoo.fi", "icloud.com", "me.com", "protonmail.com", "proton.me",
    "suomi24.fi", "luukku.com", "elisanet.fi", "kolumbus.fi", "welho.com", "saunalahti.fi", "dnainternet.net",
})

VERIFY_PERMISSION = "orgs.change_emaildomain"


def normalise_domain(text: str) -> str:
    return text.strip().lower().lstrip("@")


def can_verify_domains(user) -> bool:
    """KT staff who may change e-mail domains in the admin verify them without proof."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff
                and user.has_perm(VERIFY_PERMISSION))


def domain_owners_elsewhere(*, domain: str, organisation: Organisation) -> list[Organisation]:
    """Other organisations the domain is known to belong to: they verified it, or the
    reference data gives it to them (a municipality's name-derived domain, say)."""
    reference = reference_domain_owners().get(domain, frozenset())
    by_reference = Q()
    for kind, code in reference:
        by_reference |= Q(kind=kind, code=code)
    owners = Q(email_domains__domain=domain, email_domains__verified=True)
    if reference:
        owners |= by_reference
    return list(Organisation.objects.filter(owners).exclude(pk=organisation.pk).distinct().order_by("pk"))


@dataclass(frozen=True)
class ClaimOutcome:
    """What a request to verify a domain becomes: `verification` when verified at once,
    otherwise the `pending_reason` it waits for KT staff with."""

    verification: str = ""
    pending_reason: str = ""

    @property
    def verified(self) -> bool:
        return bool(self.verification)


def domain_claim_outcome(*, organisation: Organisation, domain: str, by: User) -> ClaimOutcome:
    """Staff verify; an organisation admin proves the domain with one of their own confirmed
    addresses on it, and even then staff decide when another organisation owns the domain."""
    if can_verify_domains(by):
        return ClaimOutcome(verification=EmailDomain.Verification.STAFF)
    if domain_owners_elsewhere(domain=domain, organisation=organisation):
        return ClaimOutcome(pending_reason=EmailDomain.PendingReason.ELSEWHERE)
    if domain in user_email_domains(by, verified_only=True):
        return ClaimOutcome(verification=EmailDomain.Verification.PROOF)
    return ClaimOutcome(pending_reason=EmailDomain.PendingReason.NO_PROOF)


def address_auto_confirms(*, address: str, organisation: Organisation) -> bool:
    """May a person with this confirmed address become a member of `organisation` at once?

    Only when the address's domain is verified for `organisation` and for no other
    organisation: a domain two organisations hold says nothing about which one a person
    works for, so their membership waits for an admin."""
    domain = email_domain(address)
    if not domain or domain in PUBLIC_MAIL_DOMAINS:
        return False
    holders = set(EmailDomain.objects.filter(domain=domain, verified=True).values_list("organisation_id", flat=True))
    return holders == {organisation.pk}


def membership_auto_confirms(*, user: User, organisation: Organisation) -> bool:
    """One of the user's confirmed addresses auto-confirms them into `organisation`."""
    from allauth.account.models import EmailAddress

    if not (user and user.is_authenticated):
        return False
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return any(address_auto_confirms(address=address, organisation=organisation) for address in addresses)


# --- Writes ----------------------------------------------------------------------------

def _verify(email_domain: EmailDomain, *, verification: str, by: User | None) -> None:
    email_domain.verified = True
    email_domain.verification = verification
    email_domain.verified_by = by
    email_domain.verified_at = timezone.now()
    email_domain.requested_at = None
    email_domain.pending_reason = ""


def email_domain_add(*, organisation: Organisation, domain: str, verified: bool, by: User) -> EmailDomain:
    """An organisation admin (or staff) adds a domain, or changes one, as a suggestion
    (`verified=False`) or asking for it to be verified: `domain_claim_outcome` decides
    whether it is verified at once or waits for KT staff (`is_pending`)."""
    if not can_admin_organisation(by, organisation):
        raise NotAllowed(_("Only an admin of this organisation can change its e-mail domains."))
    domain = normalise_domain(domain)
    if verified and domain in PUBLIC_MAIL_DOMAINS:
        raise MembershipError(_("A public e-mail service cannot be a verified domain of an organisation."))
    with transaction.atomic():
        email_domain, _created = EmailDomain.objects.select_for_update().get_or_create(
            organisation=organisation, domain=domain)
        if verified and email_domain.verified:
            return email_domain
        if verified:
            outcome = domain_claim_outcome(organisation=organisation, domain=domain, by=by)
            if outcome.verified:
                _verify(email_domain, verification=outcome.verification, by=by)
            else:
                email_domain.requested_by, email_domain.requested_at = by, timezone.now()
                email_domain.pending_reason = outcome.pending_reason
        else:
            email_domain.verified, email_domain.verification = False, ""
            email_domain.verified_by = email_domain.verified_at = email_domain.requested_at = None
            email_domain.requested_by, email_domain.pending_reason = None, ""
        email_domain.save()
    return email_domain


def email_domain_approve(*, email_domain: EmailDomain, by: User) -> EmailDomain:
    """KT staff verify a domain (a pending request or any other), e.g. from the admin."""
    if not can_verify_domains(by):
        raise NotAllowed(_("Only KT staff can approve e-mail domains."))
    with transaction.atomic():
        email_domain = EmailDomain.objects.select_for_update().get(pk=email_domain.pk)
        if not email_domain.verified:
            if email_domain.domain in PUBLIC_MAIL_DOMAINS:
                raise MembershipError(_("A public e-mail service cannot be a verified domain of an organisation."))
            _verify(email_domain, verification=EmailDomain.Verification.STAFF, by=by)
            email_domain.save()
    return email_domain


def email_domain_decline(*, email_domain: EmailDomain, by: User) -> EmailDomain:
    """KT staff turn down a request: the domain stays a suggestion only."""
    if not can_verify_domains(by):
        raise NotAllowed(_("Only KT staff can approve e-mail domains."))
    with transaction.atomic():
        email_domain = EmailDomain.objects.select_for_update().get(pk=email_domain.pk)
        if email_domain.is_pending:
            email_domain.requested_at, email_domain.requested_by, email_domain.pending_reason = None, None, ""
            email_domain.save(update_fields=["requested_at", "requested_by", "pending_reason"])
    return email_domain


def email_domain_remove(*, email_domain: EmailDomain, by: User) -> None:
    if not can_admin_organisation(by, email_domain.organisation):
        raise NotAllowed(_("Only an admin of this organisation can change its e-mail domains."))
    email_domain.delete()
