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

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.db import connections, router
from django.utils import timezone

from orgs import signed_in

SESSION_GUESS_AGE = 60 * 60 * 24

# Session key → the user id this process last saw in it (a guess that lets the first read fetch
# that user's token too; a session key belongs to one user for its whole life).
_users_by_session = signed_in.LocalCache(size=10_000, max_age=SESSION_GUESS_AGE)


class SessionStore(cached_db.SessionStore):
    def load(self):
        key = self.cache_key
        data = signed_in.read_many([key], user_id=_users_by_session.peek(self.session_key, "")).get(key)
        signed_in.written(key, None)  # the session's own copy is in self._session from now on
        if data is None:
            row = self._get_session_from_db()
            if row is None:
                return {}
            data = self.decode(row.session_data)
            self._cache.set(key, data, self.get_expiry_age(expiry=row.expire_date))
        if data.get(SESSION_KEY) is not None:
            _users_by_session.put(self.session_key, "", data[SESSION_KEY])
        return data

    def save(self, must_create=False):
        super().save(must_create)
        if self._session.get(SESSION_KEY) is not None:  # logging in: the next request reads its user's token at once
            _users_by_session.put(self.session_key, "", self._session[SESSION_KEY])

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
