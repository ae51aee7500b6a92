"""A kept database connection that the server ended (a restart, an administrator's
`pg_terminate_backend`, an idle timeout) is replaced before the next request's first query
(Django's `CONN_HEALTH_CHECKS`) instead of failing that request."""

import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def other():
    """A second connection to the test database, as a worker's kept connection would be."""
    wrapper = type(connections["default"])(connection.settings_dict.copy(), alias=connection.alias)
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_a_connection_the_server_ended_is_replaced_before_the_next_query(other):
    assert other.settings_dict["CONN_HEALTH_CHECKS"]
    with connection.cursor() as cursor:
        pid = other.connection.info.backend_pid
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):  # the server ends the session a moment later
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                break
            time.sleep(0.05)
    assert not other.is_usable()

    other.close_if_unusable_or_obsolete()  # what Django does when a request starts
    with other.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
