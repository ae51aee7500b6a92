"""Password validators: refuse passwords that are easy to guess.

`BreachedPasswordValidator` checks a password against the lists shipped in
`orgs/data/passwords/` (common and breached passwords, and Finnish and Swedish words,
first names and place names that people pad with digits: "Salasana2024!", "Hyvinkää1").
`PersonalPasswordValidator` refuses a password built on the user's e-mail address or
on the name of one of their organisations.

The lists are read once per process, on first use, into frozensets.
"""

import gzip
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data" / "passwords"

# Digits and symbols people put before or after a word ("!Kesä2024", "salasana123?").
_PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")
# Letters people swap for look-alike digits and symbols ("s4l4s4n4", "p@ssw0rd").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_MIN_WORD = 3
# Words of organisation names too general to count as personal.
_GENERIC_NAME_WORDS = {
    "kunta", "kaupunki", "kuntayhtymä", "hyvinvointialue", "hyvinvointiyhtymä", "yhtymä",
    "kommun", "stad", "samkommun", "välfärdsområde", "sammanslutning", "sammanslutningen",
    "city", "municipality", "town", "wellbeing", "services", "county", "of", "the",
}


@cache
def _load(name: str) -> frozenset[str]:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8") as handle:
        return frozenset(line.rstrip("\n") for line in handle if line.strip())


def breached_passwords() -> frozenset[str]:
    return _load("breached.txt.gz")


def guessable_words() -> frozenset[str]:
    return _load("words.txt.gz")


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip().casefold()


def _candidates(password: str) -> set[str]:
    """The password, without its padding of digits and symbols, and with look-alikes undone."""
    plain = _normalise(password)
    stripped = _PADDING.sub("", plain)
    leet = plain.translate(_LEET)
    candidates = {stripped, leet, _PADDING.sub("", leet), stripped.translate(_LEET)}
    return {plain} | {value for value in candidates if len(value) >= _MIN_WORD}


def is_guessable(password: str) -> bool:
    """True when the password is a known common or breached one, or a common word or name
    with only digits and symbols around it (look-alike characters undone)."""
    breached, words = breached_passwords(), guessable_words()
    return any(candidate in breached or candidate in words for candidate in _candidates(password))


class BreachedPasswordValidator:
    """Refuses passwords found in the shipped lists of common and breached passwords."""

    def validate(self, password, user=None):
        if is_guessable(password):
            raise ValidationError(
                _(
                    "This password is on a list of common or leaked passwords, or it is a common word "
                    "with numbers or symbols added. Choose another: a few unrelated words in a row are "
                    "easy to remember and hard to guess."
                ),
                code="password_breached",
            )

    def get_help_text(self):
        return _("Your password can't be a common or leaked password.")


def _squash(value: str) -> str:
    """Lower case letters and digits only: "Aino.Virtanen" → "ainovirtanen"."""
    return "".join(char for char in _normalise(value) if char.isalnum())


def _personal_names(user) -> tuple[set[str], set[str]]:
    """(names a password must not contain, name parts a password must not be padded from).

    Whole names: the e-mail address's local part ("aino.virtanen" → "ainovirtanen") and each
    name of the user's organisations, also without its generic words ("Hyvinkään kaupunki"
    → "hyvinkään"). Parts: the pieces of the local part ("aino", "virtanen").
    """
    whole: set[str] = set()
    parts: set[str] = set()
    local = (getattr(user, "email", "") or "").partition("@")[0]
    if local:
        whole.add(_squash(local))
        parts.update(_squash(token) for token in re.split(r"[._+\-]+", local))
    if getattr(user, "pk", None):
        from .models import Organisation

        for organisation in Organisation.objects.filter(memberships__user=user).distinct():
            for name in {organisation.name_fi, organisation.name_sv, organisation.name_en} - {None, ""}:
                words = [word for word in re.split(r"\W+", _normalise(name)) if word]
                whole.add(_squash(name))
                whole.add("".join(_squash(word) for word in words if word not in _GENERIC_NAME_WORDS))
    return {name for name in whole if len(name) >= 4}, {part for part in parts if len(part) >= _MIN_WORD}


class PersonalPasswordValidator:
    """Refuses passwords that contain the user's e-mail name or their organisation's name."""

    def validate(self, password, user=None):
        if user is None:
            return
        whole, parts = _personal_names(user)
        squashed = _squash(password)
        stems = {_squash(candidate) for candidate in _candidates(password)}
        if any(name in squashed or name in squashed.translate(_LEET) for name in whole) or stems & parts:
            raise ValidationError(
                _(
                    "This password contains your e-mail address or the name of your organisation, "
                    "which makes it easy to guess. Choose a password that has nothing to do with you."
                ),
                code="password_personal",
            )

    def get_help_text(self):
        return _("Your password can't contain your e-mail address or your organisation's name.")
