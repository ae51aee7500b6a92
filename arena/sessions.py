"""Django's database sessions, read with one plain SQL statement.

Every logged-in request reads its session. In the benchmark the ORM spent longer building the
query (`Session.objects.get(...)`) than PostgreSQL spent answering it; this reads the same row
with the same conditions (the key, not expired) and leaves everything else, writing included, to
Django's `db` engine.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
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
