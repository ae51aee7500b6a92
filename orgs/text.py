"""Text that people type for others to read, cleaned on input.

A title or a name is shown to everyone, so nothing invisible may travel with it: a right-to-left
override (U+202E) turns "gnp.exe" into what looks like "exe.png", zero-width characters make two
names that look the same differ, and line breaks or runs of spaces in a one-line field break the
layout. `clean_line` is the one rule:

- Unicode NFC (the composed form: "ä" typed as "a" + U+0308 becomes "ä");
- format characters (Unicode category Cf) removed: the bidirectional embeddings, overrides and
  isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C), the zero-width
  space, non-joiner and joiner (U+200B–U+200D), the word joiner (U+2060), the byte-order mark
  (U+FEFF), the soft hyphen (U+00AD) and the rest of the category, except the tag characters
  (U+E0020–U+E007F) that emoji flags of regions need;
- control characters removed (tabs, line breaks and the other whitespace among them count as spaces);
- every run of whitespace (also no-break and ideographic spaces, line and paragraph separators)
  one space, none at either end.

`OneLineCharField` is the model field that applies it: in `to_python`, so
every model form (the site's and the admin's) validates and shows the clean value, and in
`pre_save`, so every save stores it whatever wrote the value (a service, a command, an import).
This module lives in `orgs`, the app every other app may import.
"""

from __future__ import annotations

import unicodedata

from django.db import models

KEPT_FORMAT = range(0xE0020, 0xE0080)  # tag characters: emoji flags of regions (England, Scotland…)


def _kept(character: str) -> bool:
    category = unicodedata.category(character)
    if category == "Cf":
        return ord(character) in KEPT_FORMAT
    if category == "Cc":
        return character.isspace()  # tab, line break…: a space; the other control characters go
    return True


def clean_line(value):
    """The text as one clean line (see the module's docstring); anything but a string as it is."""
    if not isinstance(value, str):
        return value
    visible = "".join(character for character in unicodedata.normalize("NFC", value) if _kept(character))
    return " ".join(visible.split())


def _saved_clean(field, model_instance, clean):
    """What `pre_save` stores: the clean value, also put on the instance so that what the save
    goes on to compute (a search index, a cache) reads it. Not for the original field of one that
    django-modeltranslation translates (its descriptor is not Django's `descriptor_class`): setting
    it would write into the current language's field; the per-language fields clean themselves."""
    raw = getattr(model_instance, field.attname)
    value = clean(raw)
    if value != raw and isinstance(getattr(type(model_instance), field.attname, None), field.descriptor_class):
        setattr(model_instance, field.attname, value)
    return value


class OneLineCharField(models.CharField):
    """A `CharField` for one line of text shown to others (a title, a name): stored clean (`clean_line`)."""

    def to_python(self, value):
        return clean_line(super().to_python(value))

    def pre_save(self, model_instance, add):
        return _saved_clean(self, model_instance, clean_line)
