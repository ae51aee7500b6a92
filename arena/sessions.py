"""Django's cached database sessions, read in the same cache query as the user's token.

The session lives in the shared cache with the database behind it (Django's `cached_db`
engine: written to both, read from the cache, from the database when the cache lost it). A
logged-in request reads it through `orgs.signed_in.read_many`, together with the token of the
user this process last saw on the session (a session key belongs to one user: logging in gives a
new key) and the keys the apps registered for that user: one query for all of them
(`orgs/signed_in.py`). Writing, expiry and deletion are Django's.

When the cache lost the session, its row is read with one plain SQL statement: the ORM took longer
to build `Session.objects.get(...)` than PostgreSQL to answer it.
"""

import threading
from collections import OrderedDict

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.db import connections, router
from django.utils import timezone

from orgs import signed_in

KNOWN_SESSIONS = 10_000
_users_by_session: OrderedDict[str, int] = OrderedDict()
_lock = threading.Lock()


def _remember_user(session_key: str, user_id) -> None:
    with _lock:
        _users_by_session[session_key] = user_id
        _users_by_session.move_to_end(session_key)
        while len(_users_by_session) > KNOWN_SESSIONS:
            _users_by_session.popitem(last=False)


class SessionStore(cached_db.SessionStore):
    def load(self):
        key = self.cache_key
        data = signed_in.read_many([key], user_id=_users_by_session.get(self.session_key)).get(key)
        signed_in.written(key, None)  # the session's own copy is in self._session from now on
        if data is None:
            row = self._get_session_from_db()
            if row is None:
                return {}
            data = self.decode(row.session_data)
            self._cache.set(key, data, self.get_expiry_age(expiry=row.expire_date))
        if data.get(SESSION_KEY) is not None:
            _remember_user(self.session_key, data[SESSION_KEY])
        return data

    def save(self, must_create=False):
        super().save(must_create)
        if self._session.get(SESSION_KEY) is not None:  # logging in: the next request reads its user's token at once
            _remember_user(self.session_key, self._session[SESSION_KEY])

    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                           [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
