"""Conflicts of interest between jurors and nominated people, and resolving typed organisation names.

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

import re
from dataclasses import dataclass

from django.db.models import Q

from orgs.models import Membership, Organisation

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


def member_organisations(*, user_ids) -> dict[int, list[MemberOrganisation]]:
    """User id → the organisations they are a member of (any role, any status). One query."""
    result: dict[int, list[MemberOrganisation]] = {}
    rows = Membership.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "organisation_id", *(f"organisation__name_{code}" for code in NAME_LANGUAGES))
    for user_id, organisation_id, *names in rows:
        words = frozenset().union(*(distinctive_words(name or "") for name in names))
        result.setdefault(user_id, []).append(MemberOrganisation(id=organisation_id, words=words))
    return result


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
