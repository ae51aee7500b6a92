"""A logged-in request reads its session, its user and the tokens its page needs in one query.

Every logged-in page used to pay two queries before its own work (the session row, the user) and
most paid a third for the shared cache's tokens (the content generation, the jury's). Now:

- Sessions are Django's `cached_db` sessions (`arena.sessions`): the session is read from the
  shared cache, the database being the fallback that keeps it across a cleared cache.
- The user is kept in each process under the user's token (`user_token_key`), which every save
  or deletion of the user renews (a changed password, a deactivation, a new name: the next
  request loads the user again and Django checks the session against the new password hash).
  The kept user is never handed out; each request gets its own copy.
- Inside a request (between Django's `request_started` and `request_finished`) the first read
  fetches the session together with the user's token and the keys the apps registered with
  `register()` for that user, in one cache query; later reads of those keys in the same request
  cost nothing (`read_many`). Whatever the request changes goes into that memo too (`renew`,
  `written`), so the request sees its own changes. Outside a request every read is a query.

A token that is missing from the cache (cleared, culled) is read as unknown: the value is loaded
from the database and not kept, and a token is set for the next request.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

TOKEN_TIMEOUT = 60 * 60 * 24 * 30
USER_TIMEOUT = 300  # bounds what a kept user could miss (a change nobody announced)


class LocalCache:
    """key → value computed under `stamp`, for at most `max_age` seconds; the least recent go first.
    One per process: what it keeps is valid only while the stamp it was computed under is current."""

    def __init__(self, size: int, max_age: float):
        self.size, self.max_age = size, max_age
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def peek(self, key, stamp):
        """The value kept under `stamp` and young enough, or None."""
        with self.lock:
            found = self.items.get(key)
        if found is not None and found[0] == stamp and time.monotonic() - found[1] < self.max_age:
            return found[2]
        return None

    def put(self, key, stamp, value) -> None:
        with self.lock:
            self.items[key] = (stamp, time.monotonic(), value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def get(self, key, stamp, compute):
        value = self.peek(key, stamp)
        if value is None:
            value = compute()
            self.put(key, stamp, value)
        return value


# --- One request's reads -----------------------------------------------------------------------

_local = threading.local()
_ABSENT = object()
_providers: list[Callable[[int], Iterable[str]]] = []


def _request_started(**kwargs) -> None:
    _local.memo = {}


def _request_finished(**kwargs) -> None:
    _local.memo = None


request_started.connect(_request_started, dispatch_uid="signed-in-memo-start")
request_finished.connect(_request_finished, dispatch_uid="signed-in-memo-finish")


def register(provider: Callable[[int], Iterable[str]]) -> None:
    """provider(user_id) → cache keys that the pages of a logged-in user usually read: they come
    in the same query as the session and the user's token."""
    if provider not in _providers:
        _providers.append(provider)


def read_many(keys: list[str], *, user_id: int | None = None) -> dict:
    """The shared cache's values for these keys (absent keys left out), like `cache.get_many`.
    Inside a request each key is read once; with `user_id`, the keys registered for that user come
    in the same query."""
    memo = getattr(_local, "memo", None)
    if memo is None:
        return cache.get_many(keys)
    wanted = [key for key in keys if key not in memo]
    if wanted:
        if user_id is not None:
            wanted += [key for key in _user_keys(user_id) if key not in memo and key not in wanted]
        found = cache.get_many(wanted)
        for key in wanted:
            memo[key] = found.get(key, _ABSENT)
    return {key: memo[key] for key in keys if memo[key] is not _ABSENT}


def _user_keys(user_id: int) -> list[str]:
    keys = [user_token_key(user_id)]
    for provider in _providers:
        keys.extend(provider(user_id))
    return keys


def written(key: str, value=None) -> None:
    """The request wrote (or, with None, deleted) this key: later reads in it see that."""
    memo = getattr(_local, "memo", None)
    if memo is not None:
        memo[key] = _ABSENT if value is None else value


def new_token() -> str:
    return uuid.uuid4().hex


def token_for_next_request(key: str) -> None:
    """The token went missing (a cleared or culled cache): this request reads the database and
    keeps nothing; the next one finds a token to keep its reads under."""
    cache.add(key, new_token(), TOKEN_TIMEOUT)


def _set_token(key: str) -> None:
    token = new_token()
    cache.set(key, token, TOKEN_TIMEOUT)
    written(key, token)


def renew(key: str) -> None:
    """A new token now (seen inside this transaction) and again after it commits (so that a request
    that read the old data before the commit cannot keep it under the new token)."""
    _set_token(key)
    transaction.on_commit(lambda: _set_token(key))


# --- The user, kept per process ----------------------------------------------------------------


def user_token_key(user_id) -> str:
    return f"orgs:user-token:{user_id}"


_users = LocalCache(size=5000, max_age=USER_TIMEOUT)


class KeptUserMixin:
    """`get_user` of an authentication backend, answered from this process's memory while the
    user's token stays the same."""

    def get_user(self, user_id):
        key = user_token_key(user_id)
        token = read_many([key], user_id=user_id).get(key)
        if token is None:
            token_for_next_request(key)
            return super().get_user(user_id)
        kept = _users.peek(user_id, token)
        if kept is None:
            kept = super().get_user(user_id)
            if kept is None:
                return None
            _users.put(user_id, token, kept)
        return copy.copy(kept)  # the request's own: what it caches on the user stays with it


class KeptUserModelBackend(KeptUserMixin, ModelBackend):
    """Django's ModelBackend (the admin's password login)."""


class KeptUserAuthenticationBackend(KeptUserMixin, AuthenticationBackend):
    """allauth's backend (the portal's login)."""


def _on_user_change(sender, instance, **kwargs):
    renew(user_token_key(instance.pk))


post_save.connect(_on_user_change, sender=get_user_model(), dispatch_uid="signed-in-user-saved")
post_delete.connect(_on_user_change, sender=get_user_model(), dispatch_uid="signed-in-user-deleted")
