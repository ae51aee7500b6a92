"""Full-text search over lemmatised text.

PostgreSQL's Finnish and Swedish Snowball stemmers do not bring inflected forms
together (päiväkodissa/päiväkoti, förskolan/förskola), so the portal lemmatises with
simplemma in Python instead:

* when an action's text is saved, `action_update_search_vector()` stores, in one
  UPDATE, a weighted `tsvector` (title A, summary B, the sections C) made of the
  lemmas of the text in the action's language plus the original words, both with
  the `simple` configuration (no stemming, no stop words);
* a query word is lemmatised in Finnish, Swedish and English (the searcher's
  language is unknown); the variants of one word are OR-ed, the words AND-ed.

The dictionaries are loaded lazily, once per process (Finnish takes seconds and
hundreds of megabytes), on the first save or search. Under gunicorn use `--preload`
and call `warm_up()` so the workers share them.
"""

import functools
import re
import threading
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LANGUAGES = ("fi", "sv", "en")
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
MAX_WORD_LENGTH = 60

# Letters and digits only: tsquery operators, quotes, underscores and punctuation
# can never reach PostgreSQL from a query.
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Very common words dropped from queries when other words remain (the `simple`
# configuration keeps every word in the documents).
STOP_WORDS = frozenset(
    "ja tai sekä on ei se että kun jos myös "
    "och eller att en ett är som på i av för med till "
    "the and or a an of in on for to with is are".split()
)

_lock = threading.Lock()
_lemmatizer = None


def _get_lemmatizer():
    global _lemmatizer
    if _lemmatizer is None:
        with _lock:
            if _lemmatizer is None:
                import simplemma  # noqa: PLC0415 (loaded only when first needed)

                _lemmatizer = simplemma.Lemmatizer(cache_max_size=262_144)
    return _lemmatizer


@functools.lru_cache(maxsize=262_144)
def lemma(word: str, language: str) -> str:
    """The lowercased lemma of one word (the word itself when it is unknown)."""
    if language not in LANGUAGES:
        return word.lower()
    try:
        result = _get_lemmatizer().lemmatize(word, lang=language)
    except (ValueError, KeyError):  # pragma: no cover (unsupported language)
        result = word
    return result.lower()


def warm_up(languages=LANGUAGES) -> None:
    """Load the dictionaries now (e.g. in a gunicorn master with --preload)."""
    for language in languages:
        lemma("a", language)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


def lemma_text(text: str, language: str) -> str:
    """The text as space-separated lemmas: what goes into the tsvector beside the words."""
    parts = []
    for word in words(text):
        for part in words(lemma(word, language)):  # a lemma may contain a hyphen or space
            parts.append(part)
    return " ".join(parts)


def _section_texts(action) -> tuple[str, str, str]:
    rest = "\n".join(getattr(action, name) or "" for name in ("need", "solution", "results", "tips"))
    return action.title or "", action.summary or "", rest


def action_search_texts(action) -> tuple[str, str, str, str, str, str]:
    """(title, title lemmas, summary, summary lemmas, rest, rest lemmas) for one action."""
    language = action.language or "fi"
    title, summary, rest = _section_texts(action)
    return (title, lemma_text(title, language), summary, lemma_text(summary, language),
            rest, lemma_text(rest, language))


VECTOR_SQL = (
    "setweight(to_tsvector('simple', {t}) || to_tsvector('simple', {tl}), 'A') || "
    "setweight(to_tsvector('simple', {s}) || to_tsvector('simple', {sl}), 'B') || "
    "setweight(to_tsvector('simple', {r}) || to_tsvector('simple', {rl}), 'C')"
)


def action_update_search_vector(action) -> None:
    """Store the action's search vector (call after its text has been saved)."""
    sql = "UPDATE arena_action SET search_vector = " + VECTOR_SQL.format(
        t="%s", tl="%s", s="%s", sl="%s", r="%s", rl="%s") + " WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*action_search_texts(action), action.pk])


def actions_update_search_vectors(actions) -> int:
    """Store the search vectors of many actions in one UPDATE (seeding, rebuilding)."""
    actions = list(actions)
    if not actions:
        return 0
    columns = list(zip(*[(a.pk, *action_search_texts(a)) for a in actions]))
    sql = (
        "UPDATE arena_action AS a SET search_vector = "
        + VECTOR_SQL.format(t="v.t", tl="v.tl", s="v.s", sl="v.sl", r="v.r", rl="v.rl")
        + " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])"
        " AS v(id, t, tl, s, sl, r, rl) WHERE a.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in columns])
        return cursor.rowcount


@dataclass
class ParsedQuery:
    """A user's search, cleaned. `search_query` is None when nothing can be searched."""

    text: str
    terms: list[set[str]]
    too_long: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def variants(self) -> set[str]:
        return set().union(*self.terms) if self.terms else set()

    @property
    def search_query(self):
        if not self.terms:
            return None
        raw = " & ".join(
            "(" + " | ".join(f"'{variant}'" for variant in sorted(term)) + ")" for term in self.terms
        )
        return SearchQuery(raw, search_type="raw", config="simple")


def parse_query(text: str) -> ParsedQuery:
    """Words → lemma variants in every language. Never raises, whatever the input."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        return ParsedQuery(text=text, terms=[], too_long=True)
    found = [word.lower() for word in words(text) if len(word) <= MAX_WORD_LENGTH]
    kept = [word for word in found if word not in STOP_WORDS] or found
    terms: list[set[str]] = []
    for word in dict.fromkeys(kept):  # unique, in order
        variants = {word}
        for language in LANGUAGES:
            for part in words(lemma(word, language)):
                variants.add(part.lower())
        terms.append(variants)
        if len(terms) == MAX_QUERY_WORDS:
            break
    return ParsedQuery(text=text, terms=terms)


def highlight(text: str, language: str, variants: set[str]) -> SafeString:
    """Escape the text and wrap the words matching the query in <mark> (the only HTML)."""
    if not text:
        return mark_safe("")
    if not variants:
        return escape(text)
    out = []
    position = 0
    for match in WORD_RE.finditer(text):
        word = match.group(0)
        lowered = word.lower()
        if lowered in variants or lemma(word, language) in variants:
            out.append(escape(text[position:match.start()]))
            out.append("<mark>" + escape(word) + "</mark>")
            position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def snippet(text: str, language: str, variants: set[str], radius: int = 12) -> SafeString | None:
    """A highlighted excerpt (±radius words) around the first match in a longer text, or None."""
    if not text or not variants:
        return None
    matches = list(WORD_RE.finditer(text))
    for index, match in enumerate(matches):
        word = match.group(0)
        if word.lower() in variants or lemma(word, language) in variants:
            start = matches[max(0, index - radius)].start()
            end = matches[min(len(matches) - 1, index + radius)].end()
            excerpt = text[start:end]
            prefix = "… " if start > 0 else ""
            suffix = " …" if end < len(text) else ""
            return mark_safe(escape(prefix) + highlight(excerpt, language, variants) + escape(suffix))
    return None
