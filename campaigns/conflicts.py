"""Conflicts of interest of jurors, and resolving typed organisation names.

`conflict_organisations` is the one rule of which organisations a juror is in conflict with in a
campaign (DESIGN.md "Jury"): every organisation they are a member of (any role, any status), every
one they were a member of when the campaign began or joined since (a membership left or removed
on or after the campaign's first day, from the membership's audit trail), and the organisations
directly above or below those: a joint authority and its member organisations (HUS and the Uusimaa
wellbeing services counties and the City of Helsinki), a parent organisation and its units. An
action is a conflict when its organisation or one of its partner organisations is among them
(`action_conflict`); a person when their organisation is (`nominee_conflict`); an organisation
when it is itself. The jury's list, review page, saves, the chair's view and the scores all ask
these functions.

A juror never scores a person from their own organisation. A nominee's organisation is known
for certain when it is an `Organisation` (picked from the list, matched from the typed name
by `organisation_resolve`, or set by staff in the admin). Until then only the name the
nominator typed is known, and the check is conservative (`typed_name_conflict`): a juror is
in conflict when the typed text and the name of an organisation the juror is a member of
(in Finnish, Swedish or English) share a distinctive word. Words are compared on their
first four letters, so inflected forms match ("Espoon kaupunki, kotihoito" and "Espoo");
generic words (city, municipality, welfare area, and, …) are ignored, so "Vantaan kaupunki"
does not match "Helsingin kaupunki". Wrongly excluding a juror only costs one juror's score;
wrongly including one would let them score a colleague, so doubt counts as a conflict.

Everything here is a plain function: the loaders read the database in one query each.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from orgs.models import Membership, MembershipEvent, Organisation

NAME_LANGUAGES = ("fi", "sv", "en")
PREFIX = 4

# Words that say what kind of body it is, not which one: never enough for a conflict alone.
# Compared on a word's first four letters; short words as whole words.
GENERIC_PREFIXES = frozenset({
    "kaup", "kunt", "kunn", "hyvi", "alue", "yhty", "sote", "stad", "komm", "välf", "områ", "city", "muni",
    "welf", "well", "area", "coun", "regi", "serv", "palv", "pohj", "etel", "läns", "länn", "kesk", "norr",
    "södr", "östr", "väst", "mell", "nort", "sout", "east", "west", "cent", "samk",
})
GENERIC_WORDS = frozenset({"itä", "öst", "the", "and", "och", "ja", "of", "oy", "ab", "ry", "rf", "sr"})


def normalise_name(text: str) -> str:
    """Lower case, punctuation and hyphens as spaces, runs of whitespace as one space."""
    return " ".join(word for word in re.split(r"[\W_]+", (text or "").casefold()) if word)


def distinctive_words(text: str) -> set[str]:
    """The words of a name that identify the organisation, cut to their first four letters."""
    words = set()
    for word in normalise_name(text).split():
        if word.isdigit() or word in GENERIC_WORDS or (len(word) >= PREFIX and word[:PREFIX] in GENERIC_PREFIXES):
            continue
        words.add(word[:PREFIX])
    return words


def organisation_resolve(name: str) -> Organisation | None:
    """The organisation whose name (in any language) is the typed name, ignoring case, spaces
    and punctuation; None when none or several match."""
    wanted = normalise_name(name)
    if not wanted:
        return None
    first = wanted.split()[0]
    candidates = Organisation.objects.filter(
        Q(**{"name_fi__icontains": first}) | Q(**{"name_sv__icontains": first}) | Q(**{"name_en__icontains": first})
    )
    matches = [
        organisation for organisation in candidates
        if any(normalise_name(getattr(organisation, f"name_{code}") or "") == wanted for code in NAME_LANGUAGES)
    ]
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True)
class MemberOrganisation:
    """An organisation a juror is a member of: its id and its distinctive name words (all languages)."""

    id: int
    words: frozenset


ENDED = (MembershipEvent.Action.LEFT, MembershipEvent.Action.REMOVED)


def campaign_began(campaign) -> datetime.datetime:
    """The first moment of the campaign's first day, in Europe/Helsinki (the site's time zone)."""
    return timezone.make_aware(datetime.datetime.combine(campaign.starts_on, datetime.time.min))


def conflict_organisations(*, campaign, user_ids: Iterable[int]) -> dict[int, list[MemberOrganisation]]:
    """User id → the organisations that user, as a juror of `campaign`, is in conflict with (see the
    module's docstring), each with its distinctive name words (all languages). Three queries
    whatever the number of users."""
    user_ids = list(user_ids)
    if not user_ids:
        return {}
    current = Membership.objects.filter(user_id__in=user_ids).order_by().values_list("user_id", "organisation_id")
    ended = (MembershipEvent.objects.filter(user_id__in=user_ids, action__in=ENDED,
                                            created_at__gte=campaign_began(campaign))
             .order_by().values_list("user_id", "organisation_id"))
    own: dict[int, set[int]] = {}
    for user_id, organisation_id in current.union(ended):
        own.setdefault(user_id, set()).add(organisation_id)
    ids = set().union(*own.values()) if own else set()
    names = [f"name_{code}" for code in NAME_LANGUAGES]
    # Each row an organisation and one directly above or below it (or none), with both names.
    units = (Organisation.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids)).order_by()
             .values_list("pk", "parent_id", *names, *(f"parent__{name}" for name in names)))
    members = (Organisation.member_organisations.through.objects
               .filter(Q(from_organisation_id__in=ids) | Q(to_organisation_id__in=ids)).order_by()
               .values_list("from_organisation_id", "to_organisation_id",
                            *(f"from_organisation__{name}" for name in names),
                            *(f"to_organisation__{name}" for name in names)))
    related: dict[int, set[int]] = {}
    words: dict[int, frozenset] = {}
    count = len(names)
    for one, other, *both in [*units, *members] if ids else ():
        words[one] = frozenset().union(*(distinctive_words(name or "") for name in both[:count]))
        if other is not None:
            words[other] = frozenset().union(*(distinctive_words(name or "") for name in both[count:]))
            related.setdefault(one, set()).add(other)
            related.setdefault(other, set()).add(one)
    conflicted = {
        user_id: organisation_ids | set().union(*(related.get(pk, set()) for pk in organisation_ids))
        for user_id, organisation_ids in own.items()
    }
    return {user_id: [MemberOrganisation(id=pk, words=words.get(pk, frozenset())) for pk in sorted(organisation_ids)]
            for user_id, organisation_ids in conflicted.items()}


def juror_conflicts(juror) -> list[MemberOrganisation]:
    """The organisations this juror is in conflict with (`conflict_organisations` for one juror)."""
    return conflict_organisations(campaign=juror.campaign, user_ids=[juror.user_id]).get(juror.user_id, [])


def conflict_ids(organisations: Iterable[MemberOrganisation]) -> frozenset[int]:
    return frozenset(organisation.id for organisation in organisations)


def action_organisation_ids(action) -> frozenset[int]:
    """The organisations an action belongs to for conflicts: its own and its partners (a model
    instance, best with its partners prefetched, or the jury list's light copy with `partner_ids`)."""
    partners = getattr(action, "partner_ids", None)
    if partners is None:
        partners = [organisation.pk for organisation in action.partners.all()]
    return frozenset({action.organisation_id, *partners} - {None})


def action_conflict(*, organisation_ids: Iterable[int], conflicts: frozenset[int]) -> bool:
    """Is a juror in conflict with `conflicts` (`conflict_ids`) in conflict with an action of these
    organisations (`action_organisation_ids`)?"""
    return not conflicts.isdisjoint(organisation_ids)


def typed_name_conflict(typed_name: str, organisations: list[MemberOrganisation]) -> bool:
    """Does the typed organisation text share a distinctive word with one of these organisations?"""
    typed = distinctive_words(typed_name)
    return bool(typed) and any(typed & organisation.words for organisation in organisations)


def nominee_conflict(*, organisation_id: int | None, organisation_name: str,
                     organisations: list[MemberOrganisation]) -> bool:
    """Is a juror who is a member of `organisations` in conflict with this nominee?

    A resolved organisation decides alone; an unresolved one is judged by the typed text.
    """
    if organisation_id is not None:
        return any(organisation.id == organisation_id for organisation in organisations)
    return typed_name_conflict(organisation_name, organisations)
