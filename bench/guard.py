"""The benchmark never seeds, empties or load-tests a database that is not its own.

A database is the benchmark's when it holds the marker table `bench_dataset` (written when
the benchmark first claims it), or when it is still empty (no tables at all): then it is
claimed at once, before migrating, so a seeding that fails halfway leaves a database the next
run still recognises. A database named with BENCH_DATABASE_URL must also have "bench" in its
name, so a URL pasted from the wrong place is refused before anything connects.
"""

from __future__ import annotations

MARKER_TABLE = "bench_dataset"  # bench.seed writes the dataset's description into it


class NotBenchDatabase(Exception):
    """The database is not the benchmark's; the message says why."""


def check_name(name: str) -> None:
    if "bench" not in (name or "").lower():
        raise NotBenchDatabase(
            f"the database “{name}” does not have “bench” in its name; the benchmark seeds and load-tests "
            "only a database of its own (create one, e.g. arena_bench, and point BENCH_DATABASE_URL at it)"
        )


def check_and_claim(cursor) -> None:
    """Raise NotBenchDatabase unless the cursor's database is empty or already the benchmark's;
    claim an empty one (create the marker table)."""
    cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
    if cursor.fetchone()[0] is not None:
        return
    cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
    tables = cursor.fetchone()[0]
    if tables:
        raise NotBenchDatabase(
            f"the database has {tables} tables but no {MARKER_TABLE} marker: it is not the benchmark database, "
            "and the benchmark never seeds, empties or load-tests any other"
        )
    cursor.execute(
        f"CREATE TABLE {MARKER_TABLE} (version integer NOT NULL, scale double precision NOT NULL, "
        "seeded_at timestamptz NOT NULL, seconds double precision NOT NULL, details jsonb NOT NULL)"
    )


def check_url(url: str, *, external: bool) -> None:
    """Check (and claim when empty) the database at `url`; `external` when it came from BENCH_DATABASE_URL."""
    from urllib.parse import unquote, urlsplit  # noqa: PLC0415

    import psycopg  # noqa: PLC0415

    if external:
        check_name(unquote(urlsplit(url).path.lstrip("/")))
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        check_and_claim(cursor)
