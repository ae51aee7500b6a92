"""`python -m bench`: seed (or reuse) the benchmark database, serve it with gunicorn as in
production, load every page at several concurrencies and write var/bench/report.md.

Environment: BENCH_SCALE (1), BENCH_SECONDS (10), BENCH_CONCURRENCY (1,8,32), BENCH_WORKERS (3),
BENCH_THREADS (4), BENCH_PORT (a free one), BENCH_DATABASE_URL (else an embedded PostgreSQL
under var/bench-postgres), BENCH_LOAD_TOOL=python (skip wrk), BENCH_NO_INSTALL=1 (never apt-get).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

from arena.localdb import RedisServer, pgserver_database, redis_server_binary, say, system_database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
BENCH_VAR = VAR / "bench"


def datadir_for(scale: float) -> Path:
    """Each scale keeps its own embedded database (var/bench-postgres for scale 1, else
    var/bench-postgres-<scale>), so the 0.1, 1 and 10 datasets can be compared without reseeding."""
    return VAR / ("bench-postgres" if math.isclose(scale, 1) else f"bench-postgres-{scale:g}")
RESULTS = BASE_DIR / "bench" / "results.md"


def parse_args(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(env("BENCH_SCALE", "1")),
                        help="dataset size, 1 = 100 000 actions (default BENCH_SCALE or 1)")
    parser.add_argument("--seconds", type=float, default=float(env("BENCH_SECONDS", "10")),
                        help="length of each load run (default BENCH_SECONDS or 10)")
    parser.add_argument("--concurrency", default=env("BENCH_CONCURRENCY", "1,8,32"),
                        help="comma-separated concurrency levels (default 1,8,32)")
    parser.add_argument("--pages", default="", help="comma-separated page keys (see bench/pages.py); default all")
    parser.add_argument("--workers", type=int, default=int(env("BENCH_WORKERS", "3")))
    parser.add_argument("--threads", type=int, default=int(env("BENCH_THREADS", "4")))
    parser.add_argument("--seed-only", action="store_true", help="seed (or check) the dataset and stop")
    parser.add_argument("--cold-only", action="store_true",
                        help="only the pages with every cache off (the cost per page kept for the scale table)")
    parser.add_argument("--reset", action="store_true", help="throw the benchmark database away first")
    parser.add_argument("--no-real-organisations", action="store_true",
                        help="generate every organisation (skip load_organisations)")
    return parser.parse_args(argv)


def prepare_environment(var_dir: Path = BENCH_VAR) -> None:
    """The production settings, with only what plain http on loopback needs changed (see the report);
    files go under `var_dir`."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", f"{var_dir.name}-" + secrets.token_urlsafe(40))
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["SECURE_COOKIES"] = "false"
    os.environ.setdefault("STATIC_ROOT", str(var_dir / "static"))
    os.environ.setdefault("MEDIA_ROOT", str(var_dir / "media"))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")


@contextlib.contextmanager
def bench_database(reset: bool, scale: float = 1):
    """BENCH_DATABASE_URL as is, or an embedded PostgreSQL kept under `datadir_for(scale)`."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        _refuse_foreign(url, external=True)
        if reset:
            _drop_schema(url)
            _refuse_foreign(url, external=True)  # claims the emptied database again
        yield url, "BENCH_DATABASE_URL"
        return
    datadir = datadir_for(scale)
    if reset and datadir.exists():
        say(f"removing {datadir.relative_to(BASE_DIR)}")
        shutil.rmtree(datadir)
    try:
        import pgserver  # noqa: F401, PLC0415
    except ImportError:
        with system_database(datadir, keep=True) as url:
            _refuse_foreign(url, external=False)
            yield url, f"system PostgreSQL under {datadir.relative_to(BASE_DIR)}"
        return
    with pgserver_database(datadir, keep=True) as url:
        _refuse_foreign(url, external=False)
        yield url, f"embedded PostgreSQL (pgserver) under {datadir.relative_to(BASE_DIR)}"


@contextlib.contextmanager
def bench_redis():
    """Production's cache: REDIS_URL as given, else a throwaway redis-server (or valkey-server) on a
    Unix socket under var/bench/redis; BENCH_REDIS=off (or no server installed) measures Django's
    database cache instead, what `make run` uses."""
    if os.environ.get("REDIS_URL"):
        yield "Redis at REDIS_URL (RedisCache, cached_db sessions)"
        return
    if os.environ.get("BENCH_REDIS") == "off" or redis_server_binary() is None:
        yield "Django's database cache (no Redis: BENCH_REDIS=off or no redis-server installed)"
        return
    with RedisServer(BENCH_VAR / "redis") as server:
        os.environ["REDIS_URL"] = server.url
        try:
            yield f"{Path(server.binary).name} on a Unix socket (RedisCache, cached_db sessions), as in production"
        finally:
            del os.environ["REDIS_URL"]


def _refuse_foreign(url: str, *, external: bool) -> None:
    """Stop unless the database is the benchmark's own (bench/guard.py); claim it when empty."""
    from .guard import NotBenchDatabase, check_url  # noqa: PLC0415

    try:
        check_url(url, external=external)
    except NotBenchDatabase as error:
        sys.exit(f"bench: refusing to run: {error}")


def _drop_schema(url: str) -> None:
    import psycopg  # noqa: PLC0415

    say("emptying the database in BENCH_DATABASE_URL (DROP SCHEMA public CASCADE)")
    from arena.settings import database_from_url  # noqa: PLC0415

    db = database_from_url(url)
    params = {"dbname": db["NAME"], "user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"],
              "port": db["PORT"] or None}
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    concurrency = [int(value) for value in args.concurrency.split(",") if value.strip()]
    prepare_environment()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with bench_database(args.reset, args.scale) as (url, database_label), bench_redis() as cache_label:
        os.environ["DATABASE_URL"] = url
        database_label += f"; cache and sessions: {cache_label}"
        import django  # noqa: PLC0415

        django.setup()
        from django.core.management import call_command  # noqa: PLC0415

        from . import run, seed  # noqa: PLC0415

        say("migrating the benchmark database")
        call_command("migrate", "--no-input", verbosity=0)
        say(f"seeding at scale {args.scale:g} (reused when already there)")
        try:
            result = seed.seed(scale=args.scale, real_organisations=not args.no_real_organisations, log=say)
        except seed.DatasetMismatch as error:
            sys.exit(f"bench: {error}")
        if args.seed_only:
            say(f"dataset ready: {result.counts}")
            return 0
        report = run.benchmark(
            result=result, database_label=database_label, concurrency=concurrency, seconds=args.seconds,
            page_keys=[key.strip() for key in args.pages.split(",") if key.strip()], workers=args.workers,
            threads=args.threads, bench_var=BENCH_VAR, cold_only=args.cold_only,
        )
        path = BENCH_VAR / "report.md"
        path.write_text(report, encoding="utf-8")
        print(report)
        say(f"report written to {path.relative_to(BASE_DIR)} ({time.monotonic() - started:.0f} s in all)")
        if not args.pages and not args.cold_only and math.isclose(args.scale, 1):
            # A run of every page on the full dataset is the project's record (committed).
            RESULTS.write_text(report, encoding="utf-8")
            say(f"and to {RESULTS.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
