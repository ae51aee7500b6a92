"""The connection health check (arena/postgresql): no round trip for a healthy connection, and a
connection the server ended is replaced before the next query instead of failing a request."""

import pytest
from django.db import connection

from arena.postgresql.base import DatabaseWrapper, waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def other():
    """A second connection to the test database, as a worker's kept connection would be."""
    wrapper = DatabaseWrapper(connection.settings_dict.copy(), alias=connection.alias)  # a separate wrapper, its own connection
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def last_query(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_a_healthy_connection_is_checked_without_asking_the_server(other):
    with other.cursor() as cursor:
        cursor.execute("SELECT 'the last request'")
    assert other.is_usable()
    assert last_query(other.connection.info.backend_pid) == "SELECT 'the last request'"


def test_a_connection_the_server_ended_is_replaced_before_the_next_query(other):
    assert other.settings_dict["CONN_HEALTH_CHECKS"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [other.connection.info.backend_pid])
    assert waiting(other.connection, timeout_ms=5000)  # the server's farewell arrives
    assert not other.is_usable()

    other.close_if_unusable_or_obsolete()  # what Django does when a request starts
    with other.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
