"""The shared cache of public content, keyed on the versions of what each value shows.

A *scope* names a part of the content; its *version* is a random token in the shared cache that
the services renew (`changed()`) when that part changes. A cached value records the versions of
the scopes it was computed under and is current while they are unchanged. The scopes:

- ``action:<pk>``: one published action: its page, its card, its like and adoption counters,
  its adoptions. Renewed by a like, an unlike, an adoption, its withdrawal, an edit, an image
  change, a transition to or from "published".
- ``actions``: which actions are published and what the lists, filters, the front page, the
  statistics and the organisation pages show of them. Renewed by publish, hide, unhide, an edit of
  a published action (its title, sectors, organisation…). Not by likes or adoptions: values that
  show counts or a like-sorted order under this scope (the front page's figures and most liked
  actions, a list sorted by likes) lag by their short `timeout` (`COUNTS_TIMEOUT`).
- ``organisation:<pk>``: what an organisation's page shows beyond `actions`: the adoptions it made.
  Renewed by an adoption and its withdrawal (the adopting organisation), a transition or an edit of
  one of its published actions, a move of an action (both organisations).
- ``campaign:<pk>``: one campaign's counter, results, gala and awards: renewed by a freeze, a
  publication of results and a nominee's consent (given, refused, withdrawn).
- ``campaigns``: which results are published and what is shown of them beyond a campaign's own
  pages (the winners on the campaign list, the organisations' awards): renewed by a publication of
  results and a nominee's consent.
- ``taxonomy``: sectors, themes, regions, organisations and campaigns as edited in the admin
  (names, kinds, periods): renewed by `taxonomy_changed`, connected in `ArenaConfig.ready` to
  `post_save`/`post_delete` of sectors, themes, regions and organisations (Django's documented
  signals: the admin saves them without a service), and by the campaign admin's `save_model`
  (a campaign's own saves by the results services must not renew it).

`cached(key, compute, scopes=…, timeout=…)` reads the versions and the entry in one
`cache.get_many`. A current entry is returned. A stale one (older versions, or older than
`timeout`) is recomputed by the one request that wins `cache.add` of a short lock, while every
other request gets the stale value at once; only a missing entry makes a request compute without
a stale value to serve. Entries outlive their freshness by `STALE_SECONDS` for that purpose.

`public_page(...)` caches whole pages for anonymous visitors the same way, answers conditional
GETs (`ETag`) with Django's `condition`, and sends ``Cache-Control: public, max-age=…`` for
anonymous pages that a proxy may keep, ``private`` for everything else (`Vary: Cookie` always).

Nothing here lives in a process's memory: two app servers see the same versions and entries.
Everything here is kept in the page data's own cache (`settings.PAGE_CACHE`), apart from the rate
limits and sessions of the default cache, so that culling pages never drops those.
Cached fragments are the same for every audience or keyed on `audience(request)`.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import condition

VERSION_TIMEOUT = 60 * 60 * 24 * 30  # far longer than any entry keyed by a version
VALUE_TIMEOUT = 300  # bounds what nobody announces
COUNTS_TIMEOUT = 30  # values that show counts or a like-sorted order under the `actions` scope
PAGE_TIMEOUT = 120
STALE_SECONDS = 600  # how long past its freshness an entry may still be served while one request recomputes
LOCK_SECONDS = 30  # a recomputation that died leaves the lock for at most this long
PUBLIC_MAX_AGE = 10  # what a proxy may keep an anonymous page for


class _PageCache:
    """The page data's own cache (`settings.PAGE_CACHE`): never the one of rate limits and sessions."""

    def __getattr__(self, name):
        return getattr(caches[settings.PAGE_CACHE], name)


cache = _PageCache()

ACTIONS = "actions"
TAXONOMY = "taxonomy"
CAMPAIGNS = "campaigns"


def action_scope(pk) -> str:
    return f"action:{pk}"


def organisation_scope(pk) -> str:
    return f"organisation:{pk}"


def campaign_scope(pk) -> str:
    return f"campaign:{pk}"


def _version_key(scope: str) -> str:
    return f"arena:scope:{scope}"


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def _renew(scopes: Iterable[str]) -> None:
    cache.set_many({_version_key(scope): _new_token() for scope in scopes}, VERSION_TIMEOUT)


def changed(*scopes: str) -> None:
    """New versions for these scopes: now, so that the rest of this transaction reads what it wrote,
    and again after it commits, so that whatever another request computed meanwhile from the
    data before the commit is not kept."""
    scopes = tuple(dict.fromkeys(scope for scope in scopes if scope))
    if not scopes:
        return
    _renew(scopes)
    transaction.on_commit(lambda: _renew(scopes))


def taxonomy_changed(**kwargs) -> None:
    """Receiver of `post_save`/`post_delete` for sectors, themes, regions and organisations."""
    changed(TAXONOMY)


def _versions(found: dict, scopes: tuple[str, ...]) -> tuple[str, ...]:
    """The current versions of the scopes, from a `get_many` answer. A scope never renewed has no
    token (most actions are never liked) and reads as "0"; so does one whose token the cache
    dropped, in which case a value computed before its last change may be served, for at most its
    `timeout`."""
    return tuple(found.get(_version_key(scope), "0") for scope in scopes)


def _entry_key(key: str) -> str:
    return f"arena:value:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


NOT_STORED = object()  # what a compute function returns for a value that must not be kept


def _store(entry_key: str, versions, value, timeout: int) -> None:
    if value is NOT_STORED:
        return
    cache.set(entry_key, (versions, time.time() + timeout, value), timeout + STALE_SECONDS)


def lock_key(key: str) -> str:
    """The lock that the one request recomputing `key` holds (taken with `cache.add`)."""
    return _entry_key(key) + ":lock"


def _refresh_or_stale(key: str, versions, stale, compute: Callable, timeout: int):
    """The stale value, unless this request wins the lock: then compute, store and return."""
    if not cache.add(lock_key(key), 1, LOCK_SECONDS):
        return stale
    try:
        value = compute()
        _store(_entry_key(key), versions, value, timeout)
    finally:
        cache.delete(lock_key(key))
    return value


def cached(key: str, compute: Callable, *, scopes: Iterable[str], timeout: int = VALUE_TIMEOUT):
    """compute(), kept while the scopes' versions stay the same and for `timeout` seconds; stale
    values are served while one request recomputes (see the module's docstring). None is a value
    like any other."""
    if not settings.PUBLIC_CACHE:
        return compute()
    scopes = tuple(scopes)
    entry_key = _entry_key(key)
    found = cache.get_many([*(_version_key(scope) for scope in scopes), entry_key])
    versions = _versions(found, scopes)
    entry = found.get(entry_key)
    if entry is None:
        value = compute()
        _store(entry_key, versions, value, timeout)
        return value
    stored_versions, fresh_until, value = entry
    if stored_versions == versions and time.time() < fresh_until:
        return value
    return _refresh_or_stale(key, versions, value, compute, timeout)


def cached_html(key: str, render: Callable[[], str], *, scopes: Iterable[str], timeout: int = VALUE_TIMEOUT
                ) -> SafeString:
    """render() (HTML from our own templates), cached per language like `cached`."""
    return mark_safe(cached(f"{key}:{get_language()}", render, scopes=scopes, timeout=timeout))  # noqa: S308


def cached_per_item(key: str, items: list, compute: Callable[[list], dict], *, scope_of: Callable,
                    timeout: int = VALUE_TIMEOUT) -> dict:
    """{item: value} for many items, each kept under its own scope (an action's card under
    `action:<pk>`): one `cache.get_many` for every version and entry; the missing items, and the
    stale ones whose lock this request wins, are computed together by `compute(items)` → {item: value}."""
    if not settings.PUBLIC_CACHE or not items:
        return compute(list(items)) if items else {}
    language = get_language()
    entry_keys = {item: _entry_key(f"{key}:{language}:{item}") for item in items}
    scope_keys = {item: _version_key(scope_of(item)) for item in items}
    found = cache.get_many([*scope_keys.values(), *entry_keys.values()])
    values, wanted, versions = {}, [], {}
    now = time.time()
    for item in items:
        versions[item] = _versions(found, (scope_of(item),))
        entry = found.get(entry_keys[item])
        if entry is not None:
            stored_versions, fresh_until, value = entry
            if stored_versions == versions[item] and now < fresh_until:
                values[item] = value
                continue
            if not cache.add(lock_key(f"{key}:{language}:{item}"), 1, LOCK_SECONDS):
                values[item] = value  # another request is rendering it
                continue
        wanted.append(item)
    if wanted:
        try:
            computed = compute(wanted)
            cache.set_many({entry_keys[item]: (versions[item], now + timeout, computed[item])
                            for item in wanted if item in computed}, timeout + STALE_SECONDS)
            values.update(computed)
        finally:
            cache.delete_many([lock_key(f"{key}:{language}:{item}") for item in wanted])
    return values


# --- Who sees what ----------------------------------------------------------------------------------

PUBLIC = "public"


def audience(request) -> str:
    """The one decision about which version of a cached fragment a request gets: "public" for
    everyone who sees only public content (anonymous visitors, members, jurors), "staff" for staff
    who preview results (names without consent, the jury's rows), "manager" for those who also
    freeze and publish them. Every cached fragment that differs by viewer keys on this."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return PUBLIC
    return "manager" if user.has_perm("campaigns.change_campaign") else "staff"


# --- Whole pages for anonymous visitors ---------------------------------------------------------------


def _anonymous_without_messages(request) -> bool:
    user = getattr(request, "user", None)
    return (request.method in ("GET", "HEAD") and not (user is not None and user.is_authenticated)
            and len(get_messages(request)) == 0)  # counting does not mark the messages as shown


def _storable(request, response) -> bool:
    """What the old page cache got right: nothing for one visitor only is ever stored."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    if b' nonce="' in response.content:  # a nonce is for one response only
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return _anonymous_without_messages(request)  # the view may have added a message


def known_query(*names: str) -> Callable:
    """The canonical query string of a page that reads only these parameters: theirs, sorted, empty
    ones dropped; None (the page is rendered but not kept) when the request has any other parameter
    or one twice, so that a query string varied freely adds no entry to the cache."""
    def canonical(request, *args, **kwargs) -> str | None:
        if any(name not in names or len(request.GET.getlist(name)) > 1 for name in request.GET):
            return None
        return urlencode(sorted((name, value) for name, value in request.GET.items() if value))
    return canonical


def _page_key(request, query: str) -> str:
    return f"arena:page:{get_language()}:{request.get_host()}{request.path}?{query}"


def _etag(content: bytes) -> str:
    """The validator of a stored page: the page itself (stored under the versions of its scopes)."""
    return hashlib.sha256(content).hexdigest()[:32]


def _replay(stored) -> HttpResponse:
    etag, content, content_type = stored
    response = HttpResponse(content, content_type=content_type)
    response["ETag"] = f'"{etag}"'
    response["X-Page-Cache"] = "hit"
    return response


def public_page(scopes: Callable[..., Iterable[str]], *, timeout: int = PAGE_TIMEOUT,
                query: Callable[..., str | None] = known_query()):
    """Cache a view's page for anonymous visitors, keyed on the versions of `scopes(request, *args,
    **kwargs)` (plus language, host, path and the canonical query string `query(request, …)`: by
    default none, any query string renders the page without keeping it), served stale under a lock like `cached`;
    conditional GETs answered (`ETag`); `Cache-Control` public for anonymous pages that were
    stored, private otherwise."""
    def decorator(view):
        def lookup(request, *args, **kwargs):
            """(ETag, response) for this anonymous request: the stored page (rendered now when it was
            missing, or stale and this request won the lock), or this request's own response when it
            must not be stored; None when the view must run as for anyone else."""
            if not settings.PUBLIC_CACHE or not _anonymous_without_messages(request):
                return None
            page_query = query(request, *args, **kwargs)
            if page_query is None:
                return None
            page_scopes = tuple(scopes(request, *args, **kwargs))
            rendered = {}

            def render():
                response = rendered["response"] = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:  # a TemplateResponse
                    response.render()
                if not _storable(request, response):
                    return NOT_STORED
                return (_etag(response.content), response.content, response["Content-Type"])

            stored = cached(_page_key(request, page_query), render, scopes=page_scopes, timeout=timeout)
            if stored is NOT_STORED:
                return None, rendered["response"]  # for this visitor only: served, not kept
            if "response" in rendered:  # rendered by this request
                rendered["response"]["ETag"] = f'"{stored[0]}"'
                return stored[0], rendered["response"]
            return stored[0], _replay(stored)

        def etag_of(request, *args, **kwargs):
            found = request._public_page = lookup(request, *args, **kwargs)  # one lookup per request
            return found[0] if found else None

        @condition(etag_func=etag_of)
        def serve(request, *args, **kwargs):
            found = request._public_page
            return found[1] if found else view(request, *args, **kwargs)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = serve(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            found = getattr(request, "_public_page", None)
            if response.status_code in (200, 304) and found and found[0]:  # a stored page: the same for anyone
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            else:
                patch_cache_control(response, private=True)
            return response

        return wrapper

    return decorator
