"""Strategies and helpers for the hostile-input tests.

`hostile_text` draws what a careless or malicious client may send in a text field or a
query parameter: long strings, every kind of control character (NUL included), right-to-left
and zero-width marks, HTML and script, SQL-looking strings, template syntax, spreadsheet
formulas and numbers far outside any column's range. `hostile_value` adds the wrong type
(several values for one field), and `mutated` starts from a valid submission and replaces or
drops a few of its fields, so that a hostile value also reaches the code behind validation.
"""

import os
from collections import Counter
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

NASTY = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
    "' OR '1'='1", "'; DROP TABLE arena_action; --", "1; SELECT pg_sleep(10)--", "\\", "%", "_", "%%",
    "\x00", "a\x00b", "%00", "\u202egnp.exe", "\u200b", "\ufeff", "\r\n", "\t", "\x1b[31m", "\x7f",
    "../../../etc/passwd", "{{ 7|add:7 }}", "{% debug %}", "${7*7}", "=HYPERLINK(\"http://x\")", "+1", "-1",
    "@SUM(1+1)", "0", "-0", "1e309", "NaN", "inf", "9" * 30, "-" + "9" * 30, "2147483648",
    "9223372036854775808", "-9223372036854775809", "١٢٣", "１２", "true", "null", "[]", "{}", "𝕏" * 10,
    " ", "", "2026-02-30", "9999-12-31", "0000-00-00", "x@y", "a" * 300, "@", "http://", "//evil.example",
]
CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\x85\u202a\u202b\u202d\u202e\u2066\u2067\u2069" \
    "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\ufeff\ufffe\uffff"

short_text = st.text(max_size=40)
control_text = st.text(alphabet=CONTROL + "aä<>&\"'=", max_size=30)
long_text = st.builds(lambda piece, n: piece * n, st.sampled_from(["x", "ä", "<b>", "\x00", "9", "𝕏", " "]),
                      st.integers(100, 6_000))
numbers = st.one_of(st.integers(-(10**30), 10**30), st.floats(allow_nan=True, allow_infinity=True)).map(str)

hostile_text = st.one_of(st.sampled_from(NASTY), short_text, control_text, long_text, numbers)
# Several values for one field: the wrong type for a single-valued field.
hostile_value = st.one_of(hostile_text, hostile_text, hostile_text,
                          st.lists(hostile_text, min_size=2, max_size=3))


def hostile_params(keys) -> st.SearchStrategy:
    """Query parameters or form fields: any of `keys` (and some junk) with hostile values."""
    return st.dictionaries(st.sampled_from([*keys, "junk", "page", "csrfmiddlewaretoken"]), hostile_value,
                           max_size=len(keys) + 2)


@st.composite
def mutated(draw, base: dict, extra_keys=()):
    """A valid submission with up to four fields replaced by hostile values or left out."""
    data = dict(base)
    keys = sorted({*base, *extra_keys})
    for key in draw(st.lists(st.sampled_from(keys), max_size=4, unique=True)):
        if draw(st.integers(0, 4)) == 0:
            data.pop(key, None)
        else:
            data[key] = draw(hostile_value)
    return data


def submissions(base: dict, extra_keys=()) -> st.SearchStrategy:
    return st.one_of(mutated(base, extra_keys), mutated(base, extra_keys), hostile_params([*base, *extra_keys]))


# ---------------------------------------------------------------------------------------------
# Budgets: examples per test. The profile keeps the whole module near two minutes on two cores:
# many examples against cheap GET endpoints and form validation, fewer against heavy pages.

EXAMPLES = Counter()


SCALE = float(os.environ.get("HOSTILE_SCALE", "1"))  # e.g. 0.05 for a quick run while working on a view


def budget(examples: int):
    return hypothesis_settings(
        max_examples=max(1, round(examples * SCALE)), deadline=None, database=None, derandomize=True, print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


class Visitor:
    """A test client (logged in as `user`, or anonymous) whose every example runs in a savepoint
    that is rolled back afterwards, so examples do not see each other's writes."""

    def __init__(self, user=None):
        self.client = Client()  # raises the view's exception, so a 500 fails the test with its traceback
        if user is not None:
            self.client.force_login(user)
        self.session_key = self.client.cookies[settings.SESSION_COOKIE_NAME].value if user else None

    @contextmanager
    def example(self, name: str):
        EXAMPLES[name] += 1
        if self.session_key:  # an example that logged out or deleted the account does not leak into the next
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session_key
        else:
            self.client.cookies.clear()
        with transaction.atomic():
            yield self.client
            transaction.set_rollback(True)


def counts(*models) -> dict:
    return {model._meta.label: model._default_manager.count() for model in models}


def assert_handled(response, *, before=None, after=None, allowed=(200, 301, 302, 303, 400, 403, 404, 405, 429)):
    """Never a server error; a page re-rendered with errors (not a redirect) stored nothing."""
    assert response.status_code < 500, response.status_code
    assert response.status_code in allowed, response.status_code
    if before is not None and response.status_code not in (301, 302, 303):
        assert after == before



@contextmanager
def isolated(name: str, *, writes: bool = True):
    """One example of a test that calls forms and selectors directly, in a savepoint rolled back
    afterwards (`writes=False`: validation that never writes, without the savepoint's cost)."""
    EXAMPLES[name] += 1
    if not writes:
        yield
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
