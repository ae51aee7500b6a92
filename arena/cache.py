"""The shared cache of public content: one "generation" number and the things keyed by it.

Anything an anonymous visitor can see (published actions, their likes and adoptions, the
campaigns' published results) may be cached under the current generation. The services call
`content_changed()` whenever such content changes (publish, hide, unhide, edit of a published
action, like, unlike, adopt, unadopt, a campaign's freeze or publication); that starts a new
generation, so every entry of the old one is ignored from then on and expires by itself.

`PublicPageCacheMiddleware` caches whole pages for anonymous GET requests (views named in
`settings.PUBLIC_PAGE_CACHE_VIEWS`); `generation_cached()` caches computed values (front-page
figures, filter choices). A page hit costs one small cache query (the generation; the page itself
comes from the process's own memory when it served it before, else from the shared cache).
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

GENERATION_KEY = "arena:content-generation"
GENERATION_TIMEOUT = 60 * 60 * 24 * 30  # far longer than any entry keyed by it
VALUE_TIMEOUT = 300
PAGE_TIMEOUT = 120  # bounds the staleness of what the services do not announce (e.g. organisation edits)


def _new_generation() -> str:
    # The time for reading, a random part so that two generations never coincide (a stopped
    # clock in tests, two servers in the same nanosecond).
    return f"{time.time_ns():x}-{uuid.uuid4().hex[:12]}"


def _start_generation() -> None:
    generation = _new_generation()
    cache.set(GENERATION_KEY, generation, GENERATION_TIMEOUT)


def content_changed() -> None:
    """Start a new generation of public content (after the transaction commits, if inside one)."""
    transaction.on_commit(_start_generation)


def current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = _new_generation()
        cache.add(GENERATION_KEY, generation, GENERATION_TIMEOUT)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


_MISSING = object()


def _read(key: str):
    """(generation, stored value or `_MISSING`); one cache query. None is a value like any other
    (an organisation page section with nothing to show is kept as None)."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or current_generation()
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return generation, entry[1]
    return generation, _MISSING


def generation_cached(key: str, compute, timeout: int = VALUE_TIMEOUT):
    """compute(), cached until the content changes (or `timeout` seconds pass)."""
    if not settings.PUBLIC_CACHE:
        return compute()
    generation, value = _read(key)
    if value is _MISSING:
        value = compute()
        cache.set(key, (generation, value), timeout)
    return value


def generation_cached_html(key: str, render) -> SafeString:
    """render() (HTML from our own templates, the same for everyone), cached per language like
    `generation_cached`."""
    return mark_safe(generation_cached(f"{key}:{get_language()}", render))  # noqa: S308 (our templates)


# --- Whole pages for anonymous visitors -------------------------------------------------------


def _page_key(request) -> str:
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()[:32]
    return f"arena:page:{get_language()}:{digest}"


def _cacheable_request(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if not settings.PUBLIC_CACHE or request.method not in ("GET", "HEAD") or match is None:
        return False
    if match.view_name not in settings.PUBLIC_PAGE_CACHE_VIEWS:
        return False
    if request.user.is_authenticated:  # their pages show their own state and CSRF tokens
        return False
    return len(get_messages(request)) == 0  # counting does not mark the messages as shown


# Each process keeps the pages it served last, so that a hit reads only the (tiny) generation from
# the shared cache instead of the whole page. Entries of an older generation are never served.
LOCAL_PAGES = 200
_local_pages: OrderedDict[str, tuple[str, tuple]] = OrderedDict()
_local_lock = threading.Lock()


def _remember(key: str, generation: str, stored: tuple) -> None:
    with _local_lock:
        _local_pages[key] = (generation, stored)
        _local_pages.move_to_end(key)
        while len(_local_pages) > LOCAL_PAGES:
            _local_pages.popitem(last=False)


def _lookup(key: str):
    """(generation, stored page or None): the page from this process's memory or the shared cache."""
    generation = cache.get(GENERATION_KEY) or current_generation()
    local = _local_pages.get(key)
    if local is not None and local[0] == generation:
        return generation, local[1]
    entry = cache.get(key)
    if entry is not None and entry[0] == generation:
        _remember(key, generation, entry[1])
        return generation, entry[1]
    return generation, None


def _replay(stored, *, all_headers: bool) -> HttpResponse:
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        if all_headers or name.lower() in ("content-type", "content-language", "vary"):
            response.headers[name] = value
    response.headers["X-Page-Cache"] = "hit"
    return response


def _cookieless_key(request) -> str | None:
    """The page's key when the request can be answered before any other middleware runs: a GET
    without any cookie (so no session, no user, no messages) over the scheme the site requires,
    for a listed view. None otherwise (the normal path in process_view still serves the cache)."""
    if not settings.PUBLIC_CACHE or request.method not in ("GET", "HEAD") or request.COOKIES:
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    language = translation.get_language_from_path(request.path_info)
    if language is None:
        return None
    with translation.override(language):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name not in settings.PUBLIC_PAGE_CACHE_VIEWS:
            return None
        request.get_host()  # DisallowedHost for a host not in ALLOWED_HOSTS, as CommonMiddleware would
        return _page_key(request)


class PublicPageCacheMiddleware:
    """Serves anonymous GETs of the listed views from the shared cache, keyed by path, query,
    language and content generation. Sits at the top of MIDDLEWARE so that it sees the final
    response (Set-Cookie and security headers included). A request without cookies is answered
    at once, with the stored response's headers; any other anonymous one in process_view, when the
    user and the messages are known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _cookieless_key(request)
        if key is not None:
            generation, stored = _lookup(key)
            if stored is not None:
                return _replay(stored, all_headers=True)
        response = self.get_response(request)
        state = getattr(request, "_public_page_cache", None)
        if state is not None and _storable(request, response):
            key, generation = state
            headers = {name: value for name, value in response.headers.items() if name.lower() != "set-cookie"}
            cache.set(key, (generation, (response.content, headers)), PAGE_TIMEOUT)
            _remember(key, generation, (response.content, headers))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _cacheable_request(request):
            return None
        key = _page_key(request)
        generation, stored = _lookup(key)
        if stored is None:
            request._public_page_cache = (key, generation)
            return None
        return _replay(stored, all_headers=False)  # the other middleware add their headers on the way out


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    if "nonce-" in response.headers.get("Content-Security-Policy", ""):  # a nonce is for one response only
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return not getattr(request, "user", None) or not request.user.is_authenticated
