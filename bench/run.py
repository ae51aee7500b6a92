"""Serve the seeded database with gunicorn, measure every page, and write the report."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from arena.localdb import say

from . import cold, extras, load, mixed, pages, uploads
from .report import ADJACENT_SECONDS, load_average, render_report
from .seed import CAMPAIGN_SLUG, SeedResult

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass
class PageRun:
    page: pages.Page
    url: str | None
    status: int | None = None
    client_status: int | None = None
    queries: int | None = None
    size: int | None = None
    results: dict = field(default_factory=dict)  # concurrency → LoadResult
    adjacent: dict = field(default_factory=dict)  # concurrency → the baseline's req/s measured right after
    error: str = ""

    def baseline_rps(self, level: int, baseline: PageRun | None) -> float:
        """The baseline to compare with at this concurrency: the one measured right after this page
        (the machine's load drifts during a run), else the baseline's own row."""
        if level in self.adjacent:
            return self.adjacent[level]
        if baseline is not None and level in baseline.results:
            return baseline.results[level].rps
        return 0.0

    @property
    def missing(self) -> bool:
        return self.url is None or self.status == 404


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    """The production command line (Dockerfile / docker-compose), bound to loopback."""
    return [
        sys.executable, "-m", "gunicorn", "arena.wsgi:application", "--preload", "--workers", str(workers),
        "--threads", str(threads), "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}",
        "--access-logfile", "-",
    ]


def free_port() -> int:
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str, headers: dict, timeout: float = 120) -> tuple[int, int]:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection_.request("GET", path, headers=headers)
        response = connection_.getresponse()
        return response.status, len(response.read())
    finally:
        connection_.close()


def start_server(port: int, workers: int, threads: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(gunicorn_command(port, workers, threads), cwd=BASE_DIR, env=dict(os.environ),
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (see {log_path}):\n{log_path.read_text()[-3000:]}")
        try:
            if http_get(port, "/bench/baseline", {}, timeout=5)[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(process)
    raise RuntimeError(f"gunicorn did not answer within 180 s (see {log_path})")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def session_cookies(user) -> dict[str, str]:
    """The cookies of a browser where `user` is logged in: a session made directly with Django's
    session engine, and the CSRF cookie that any page with a form (the logout button in the header)
    gives a browser."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: PLC0415
    from django.http import HttpRequest  # noqa: PLC0415
    from django.middleware.csrf import get_token  # noqa: PLC0415

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    request = HttpRequest()
    get_token(request)  # a new CSRF secret, as the browser's first page with a form set it
    return {settings.SESSION_COOKIE_NAME: store.session_key, settings.CSRF_COOKIE_NAME: request.META["CSRF_COOKIE"]}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def juror_session_cookie() -> str:
    """The Cookie header of the campaign's chair juror's browser (`session_cookies`)."""
    from campaigns.models import Juror  # noqa: PLC0415

    juror = Juror.objects.filter(campaign__slug=CAMPAIGN_SLUG).select_related("user").order_by("-is_chair", "id")
    juror = juror.first()
    return cookie_header(session_cookies(juror.user)) if juror is not None else ""


def count_queries(url: str, cookie: str) -> tuple[int, int]:
    """(status, SQL queries) of one request through Django's test client, after one warm-up request."""
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    if cookie:
        client.cookies.load(cookie)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries.captured_queries)


def database_facts() -> tuple[str, int, list[tuple[str, int]]]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 2 DESC LIMIT 8"
        )
        tables = cursor.fetchall()
    return version, size, tables


def benchmark(*, result: SeedResult, database_label: str, concurrency: list[int], seconds: float,
              page_keys: list[str], workers: int, threads: int, bench_var: Path, cold_only: bool = False) -> str:
    say("refreshing the planner's statistics (ANALYZE), as autovacuum would have by now")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say("compiling translations and collecting static files")
    call_command("compile_translations", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)

    tool = load.find_tool(say, allow_install=not os.environ.get("BENCH_NO_INSTALL"))
    context = pages.page_context()
    cookie = juror_session_cookie()
    runs = [PageRun(page, pages.resolve(page, context)) for page in pages.selected(page_keys)]

    say("counting SQL queries per page (Django test client, no load)")
    for run in runs:
        if run.url is None:
            continue
        try:
            run.client_status, run.queries = count_queries(run.url, cookie if run.page.login else "")
        except Exception as error:  # noqa: BLE001 (a broken page is reported, not fatal)
            run.error = f"{type(error).__name__}: {error}"
    connection.close()

    load_before = load_average()
    port = free_port()
    log_path = bench_var / "gunicorn.log"
    baseline_url = next((run.url for run in runs if run.page.key == pages.BASELINE), None)
    mixed_runs = []
    if not cold_only:
        say(f"starting gunicorn on 127.0.0.1:{port} ({workers} workers × {threads} threads)")
        server = start_server(port, workers, threads, log_path)
        try:
            measure_pages(runs, tool=tool, port=port, cookie=cookie, concurrency=concurrency, seconds=seconds,
                          baseline_url=baseline_url, warm_concurrency=workers * threads)
            if not page_keys:
                mixed_runs = measure_mixed(runs, tool=tool, port=port, cookie=cookie, seconds=seconds * 2,
                                           baseline_url=baseline_url, context=context)
        finally:
            stop_server(server)
    say("the same pages with every cache off (BENCH_CACHES=off: DummyCache, no public page cache)")
    cold_runs = [PageRun(run.page, run.url) for run in runs]
    os.environ["BENCH_CACHES"] = "off"
    server = start_server(port, workers, threads, bench_var / "gunicorn-cold.log")
    try:
        measure_pages(cold_runs, tool=tool, port=port, cookie=cookie, concurrency=cold.LEVELS, seconds=cold.SECONDS,
                      baseline_url=baseline_url, warm_concurrency=workers * threads, warm_seconds=1)
    finally:
        stop_server(server)
        del os.environ["BENCH_CACHES"]
    cold.save_costs(bench_var, result.scale, cold_runs)
    version, size, tables = database_facts()
    say("timing every campaign category's ranking against a raw SQL aggregate")
    rankings = extras.ranking_timings(CAMPAIGN_SLUG)
    say("processing a 12-megapixel JPEG upload in a fresh process")
    upload = extras.upload_in_fresh_process()
    say("processing 4 worst-case uploads at once in a fresh process")
    parallel_uploads = uploads.in_fresh_process()
    report = render_report(result=result, runs=runs, tool=tool, concurrency=concurrency, seconds=seconds,
                           workers=workers, threads=threads, database_label=database_label, version=version,
                           size=size, tables=tables, load_before=load_before, rankings=rankings, upload=upload)
    report += "\n".join(uploads.render(parallel_uploads)) + "\n"
    return (report + "\n".join(mixed.render(mixed_runs, list(mixed.READER_PAGES), seconds * 2)
                                + cold.render(cold_runs) + cold.render_scales(cold.load_costs(bench_var))) + "\n")


def measure_pages(runs: list[PageRun], *, tool, port, cookie, concurrency, seconds, baseline_url, warm_concurrency,
                  warm_seconds=2) -> None:
    """Each page at each concurrency, and the baseline right after it (`PageRun.adjacent`)."""
    for run in runs:
        if run.url is None:
            continue
        headers = {"Cookie": cookie} if run.page.login and cookie else {}
        try:
            run.status, run.size = http_get(port, run.url, headers)
        except OSError as error:
            run.error = f"{type(error).__name__}: {error}"
            continue
        if run.missing:
            say(f"{run.page.key}: {run.url} answers 404, reported as missing")
            continue
        # Warm every worker (lazy imports, lemmatiser dictionaries) before measuring.
        load.run_load("python", f"http://127.0.0.1:{port}{run.url}", concurrency=warm_concurrency,
                      seconds=warm_seconds, headers=headers)
        for level in concurrency:
            outcome = load.run_load(tool, f"http://127.0.0.1:{port}{run.url}", concurrency=level,
                                    seconds=seconds, headers=headers)
            run.results[level] = outcome
            if baseline_url and run.page.key != pages.BASELINE:
                run.adjacent[level] = load.run_load(tool, f"http://127.0.0.1:{port}{baseline_url}",
                                                    concurrency=level, seconds=ADJACENT_SECONDS, headers={}).rps
            say(f"{run.page.key} c={level}: {outcome.rps:.1f} req/s, p95 {outcome.p95_ms:.0f} ms, "
                f"errors {outcome.errors}" + (f"; baseline right after {run.adjacent[level]:.1f} req/s"
                                              if level in run.adjacent else ""))


def measure_mixed(runs, *, tool, port, cookie, seconds, baseline_url, context) -> list:
    """Readers over the issue's pages while other signed-in users like and unlike (bench/mixed.py)."""
    by_key = {run.page.key: run.url for run in runs if run.url and not run.missing}
    paths = [by_key[key] for key in mixed.READER_PAGES if key in by_key]
    if not paths or not baseline_url:
        return []
    from orgs.models import User  # noqa: PLC0415

    actions = mixed.hot_actions(context.get("action_id"))
    reader = User.objects.filter(juror_roles__campaign__slug=CAMPAIGN_SLUG).order_by("id").values_list("pk", flat=True)
    liker = mixed.Liker(port, mixed.likers(actions, exclude_user_id=reader.first()), actions)
    connection.close()
    return mixed.run_mixed(tool=tool, port=port, paths=paths, reader_cookie=cookie, baseline_path=baseline_url,
                           liker=liker, seconds=seconds, rates=mixed.LIKE_RATES, say=say)
