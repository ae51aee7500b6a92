"""A user's own data: download it all, or delete the account.

Everything the portal keeps about a person is exported in sections. Each section names the
model fields holding personal data that it exports (`covers`, as "app_label.Model.field"):
`tests/arena/test_privacy_export.py` enumerates every field of every model that refers to the
user model or holds an e-mail address, and fails when one is in no section. Rows that refer to
the user by their account are theirs; rows that hold one of their *verified* addresses (contact
persons, makers, nominees) are about them.

`arena` cannot import the apps above it, so they add their sections through
`register_personal_data` in their `AppConfig.ready` (campaigns: `campaigns/privacy.py`); a
section's `before_delete` runs inside the deletion's transaction, before the account goes.

The user's actions stay after the account is deleted; they are then shown as the
organisation's (Action.author is set to NULL). Likes go with the account, so the
denormalised like counts of the actions are recounted in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from orgs.models import EmailDomain, Membership, MembershipEvent, User

from .models import Action, Adoption, ContactPerson, Like, Maker, Report, Revision, Transition


@dataclass(frozen=True)
class PersonalDataSection:
    """One part of the download: `export(user, emails)` returns JSON-ready data, where `emails`
    are the user's verified addresses in lower case."""

    name: str
    export: Callable[[User, list[str]], object]
    covers: tuple[str, ...]
    before_delete: Callable[..., None] | None = None


_sections: dict[str, PersonalDataSection] = {}


def register_personal_data(section: PersonalDataSection) -> None:
    _sections[section.name] = section


def personal_data_sections() -> list[PersonalDataSection]:
    return list(_sections.values())


def covered_fields() -> set[str]:
    return {name for section in _sections.values() for name in section.covers}


def _iso(value):
    return value.isoformat() if value else None


def verified_emails(user: User) -> list[str]:
    return sorted({email.lower() for email in user.emailaddress_set.filter(verified=True)
                   .values_list("email", flat=True)})


def user_data_export(*, user: User) -> dict:
    """Everything the portal keeps about the user, as JSON-ready data."""
    emails = verified_emails(user)
    data = {"exported_at": timezone.now().isoformat()}
    for section in _sections.values():
        data[section.name] = section.export(user, emails)
    return data


def user_delete(*, user: User) -> None:
    """Delete the account; keep the actions (credited to their organisation)."""
    with transaction.atomic():
        now = timezone.now()
        for section in _sections.values():
            if section.before_delete is not None:
                section.before_delete(user=user, now=now)
        liked = list(Like.objects.filter(user=user).values_list("action_id", flat=True))
        user.delete()
        if liked:
            recount = Like.objects.filter(action=OuterRef("pk")).values("action").annotate(n=Count("pk")).values("n")
            Action.objects.filter(pk__in=liked).update(like_count=Coalesce(Subquery(recount), 0))


# --- The sections of the portal itself (accounts, organisations, actions) -------------------


def _account(user, emails):
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": _iso(user.last_login),
        "email_addresses": list(user.emailaddress_set.order_by("pk").values("email", "verified", "primary")),
        # The kinds of second factors and when they were used; never their secrets.
        "two_step_verification": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in user.authenticator_set.order_by("pk")
        ],
    }


def _memberships(user, emails):
    return [
        {"organisation": m.organisation.name, "role": m.role, "status": m.status,
         "created_at": m.created_at.isoformat()}
        for m in user.memberships.select_related("organisation").order_by("pk")
    ]


def _membership_events(user, emails):
    return [
        {"organisation": e.organisation.name, "about_you": e.user_id == user.pk, "by_you": e.actor_id == user.pk,
         "action": e.action, "detail": e.detail, "at": _iso(e.created_at)}
        for e in (MembershipEvent.objects.filter(user=user) | MembershipEvent.objects.filter(actor=user))
        .select_related("organisation").order_by("created_at", "pk")
    ]


def _memberships_confirmed(user, emails):
    return [
        {"organisation": m.organisation.name, "member": str(m.user), "at": _iso(m.created_at)}
        for m in Membership.objects.filter(confirmed_by=user).select_related("organisation", "user").order_by("pk")
    ]


def _actions(user, emails):
    return [
        {"id": a.pk, "title": a.title, "status": a.status, "language": a.language,
         "organisation": a.organisation.name if a.organisation else None,
         "created_at": a.created_at.isoformat(), "submitted_at": _iso(a.submitted_at)}
        for a in Action.objects.filter(author=user).select_related("organisation").order_by("pk")
    ]


def _likes(user, emails):
    return [
        {"action_id": like.action_id, "action": like.action.title, "at": like.created_at.isoformat()}
        for like in Like.objects.filter(user=user).select_related("action").order_by("pk")
    ]


def _adoptions(user, emails):
    return [
        {"action_id": a.action_id, "organisation": a.organisation.name, "note": a.note, "at": a.created_at.isoformat()}
        for a in Adoption.objects.filter(user=user).select_related("organisation").order_by("pk")
    ]


def _reports(user, emails):
    return [
        {"action_id": r.action_id, "reason": r.reason, "comment": r.comment, "at": r.created_at.isoformat(),
         "status": r.status, "reported_by_you": r.reporter_id == user.pk, "closed_by_you": r.closed_by_id == user.pk,
         "closing_note": r.closing_note if r.closed_by_id == user.pk else ""}
        for r in (Report.objects.filter(reporter=user) | Report.objects.filter(closed_by=user)).order_by("pk")
    ]


def _state_changes(user, emails):
    return [
        {"action_id": t.action_id, "from": t.from_status, "to": t.to_status, "message": t.message,
         "at": _iso(t.created_at)}
        for t in Transition.objects.filter(actor=user).order_by("pk")
    ]


def _edits(user, emails):
    return [
        {"action_id": r.action_id, "changed": sorted(r.changes), "at": _iso(r.created_at)}
        for r in Revision.objects.filter(editor=user).order_by("pk")
    ]


def _proposals_decided(user, emails):
    """Edits after publication that the user, as a moderator, approved or rejected."""
    return [
        {"action_id": r.action_id, "state": r.state, "message": r.message, "at": _iso(r.decided_at)}
        for r in Revision.objects.filter(decided_by=user).order_by("pk")
    ]


def _email_domains_handled(user, emails):
    """E-mail domains the user asked to verify or verified."""
    return [
        {"organisation": d.organisation.name, "domain": d.domain, "asked_by_you": d.requested_by_id == user.pk,
         "asked_at": _iso(d.requested_at), "verified_by_you": d.verified_by_id == user.pk,
         "verified_at": _iso(d.verified_at)}
        for d in (EmailDomain.objects.filter(requested_by=user) | EmailDomain.objects.filter(verified_by=user))
        .select_related("organisation").order_by("pk")
    ]


def _contact_person_rows(user, emails):
    """Actions that name one of the user's verified addresses as a contact person."""
    return [
        {"action_id": c.action_id, "action": c.action.title, "name": c.name, "job_title": c.job_title,
         "organisation": c.organisation_name, "email": c.email, "shown_publicly": c.public}
        for c in with_email_in(ContactPerson.objects, emails).select_related("action").order_by("pk")
    ]


def _maker_rows(user, emails):
    """Actions that name one of the user's verified addresses as a maker (arena/makers.py)."""
    return [
        {"action_id": m.action_id, "action": m.action.title, "name": m.name, "email": m.email,
         "language": m.language, "confirmed": m.is_confirmed, "link_sent_at": _iso(m.consent_requested_at),
         "confirmed_at": _iso(m.consent_given_at)}
        for m in with_email_in(Maker.objects, emails).select_related("action").order_by("pk")
    ]


def _admin_log(user, emails):
    return [
        {"at": _iso(e.action_time), "object": e.object_repr, "change": e.get_change_message()}
        for e in LogEntry.objects.filter(user=user).order_by("pk")
    ]


def with_email_in(queryset, emails: list[str], field: str = "email"):
    """The rows of `queryset` whose address is one of `emails` (given in lower case), ignoring case."""
    return queryset.alias(address_lower=Lower(field)).filter(address_lower__in=emails)


for _section in (
    PersonalDataSection("account", _account, ("orgs.User.email", "account.EmailAddress.user",
                                              "account.EmailAddress.email", "mfa.Authenticator.user")),
    PersonalDataSection("memberships", _memberships, ("orgs.Membership.user",)),
    PersonalDataSection("memberships_confirmed", _memberships_confirmed, ("orgs.Membership.confirmed_by",)),
    PersonalDataSection("membership_events", _membership_events, ("orgs.MembershipEvent.user",
                                                                  "orgs.MembershipEvent.actor")),
    PersonalDataSection("actions", _actions, ("arena.Action.author",)),
    PersonalDataSection("likes", _likes, ("arena.Like.user",)),
    PersonalDataSection("adoptions_marked", _adoptions, ("arena.Adoption.user",)),
    PersonalDataSection("reports", _reports, ("arena.Report.reporter", "arena.Report.closed_by")),
    PersonalDataSection("state_changes_made", _state_changes, ("arena.Transition.actor",)),
    PersonalDataSection("edits_made", _edits, ("arena.Revision.editor",)),
    PersonalDataSection("edits_decided", _proposals_decided, ("arena.Revision.decided_by",)),
    PersonalDataSection("email_domains_handled", _email_domains_handled,
                        ("orgs.EmailDomain.requested_by", "orgs.EmailDomain.verified_by")),
    PersonalDataSection("named_as_contact_person", _contact_person_rows, ("arena.ContactPerson.email",)),
    PersonalDataSection("named_as_maker", _maker_rows, ("arena.Maker.email",)),
    PersonalDataSection("admin_log", _admin_log, ("admin.LogEntry.user",)),
):
    register_personal_data(_section)
