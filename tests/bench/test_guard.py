"""The benchmark refuses any database that is not its own (it must never seed or load-test a real one)."""

import pytest
from django.db import connection

from bench.guard import MARKER_TABLE, NotBenchDatabase, check_and_claim, check_name

pytestmark = pytest.mark.django_db


def _has_marker(cursor) -> bool:
    cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
    return cursor.fetchone()[0] is not None


def test_a_database_with_tables_and_no_marker_is_refused():
    # The test database holds the project's tables, like a real one would.
    with connection.cursor() as cursor:
        with pytest.raises(NotBenchDatabase, match="not the benchmark database"):
            check_and_claim(cursor)
        assert not _has_marker(cursor)


def test_a_database_holding_the_marker_is_accepted():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (version integer)")
        check_and_claim(cursor)


def test_an_empty_database_is_claimed_before_anything_is_written():
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA bench_guard_empty")
        cursor.execute("SET LOCAL search_path TO bench_guard_empty")
        check_and_claim(cursor)
        assert _has_marker(cursor)
        check_and_claim(cursor)  # and the next run accepts it


@pytest.mark.parametrize("name", ["arena", "postgres", "production_db"])
def test_an_external_database_needs_bench_in_its_name(name):
    with pytest.raises(NotBenchDatabase, match="bench"):
        check_name(name)


def test_the_command_stops_before_touching_a_foreign_database(monkeypatch, settings):
    import bench.__main__ as command

    monkeypatch.setattr(command, "prepare_environment", lambda: None)  # keep this process's settings
    db = settings.DATABASES["default"]
    url = f"postgresql://{db['USER']}@/{db['NAME']}?host={db['HOST']}"
    if db["PORT"]:
        url += f"&port={db['PORT']}"
    monkeypatch.setenv("BENCH_DATABASE_URL", url)
    with pytest.raises(SystemExit, match="refusing to run"):
        command.main(["--seed-only", "--reset"])
    with connection.cursor() as cursor:  # nothing was dropped
        cursor.execute("SELECT count(*) FROM arena_action")
