"""Django's PostgreSQL backend with a connection health check that costs no round trip.

With `CONN_HEALTH_CHECKS`, Django checks a kept connection before a request's first query by
sending `SELECT 1`: one round trip per request, as costly as a small query. A connection that the
server ended (a restart, an administrator's `pg_terminate_backend`, an idle timeout) has its
farewell or the end of the stream waiting on the socket: an idle connection in good health has
nothing to read. So the socket is polled without waiting, and only when something is waiting is
`SELECT 1` sent to tell (a notice left unread would make the check ask the server too).
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        return super().is_usable() if waiting(self.connection, timeout_ms=0) else True


def waiting(connection, *, timeout_ms: int) -> bool:
    """Whether the server has sent something on this connection (poll: any descriptor number)."""
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN)
    return bool(poller.poll(timeout_ms))
