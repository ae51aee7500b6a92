"""Serve the seeded database with gunicorn, measure every page, and write the report."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import platform
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

from . import extras, load, mixed, pages
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

    load_before = _load_average()
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
    cold = [PageRun(run.page, run.url) for run in runs]
    os.environ["BENCH_CACHES"] = "off"
    server = start_server(port, workers, threads, bench_var / "gunicorn-cold.log")
    try:
        measure_pages(cold, tool=tool, port=port, cookie=cookie, concurrency=COLD_LEVELS, seconds=COLD_SECONDS,
                      baseline_url=baseline_url, warm_concurrency=workers * threads, warm_seconds=1)
    finally:
        stop_server(server)
        del os.environ["BENCH_CACHES"]
    save_cold_costs(bench_var, result.scale, cold)
    version, size, tables = database_facts()
    say("timing every campaign category's ranking against a raw SQL aggregate")
    rankings = extras.ranking_timings(CAMPAIGN_SLUG)
    say("processing a 12-megapixel JPEG upload in a fresh process")
    upload = extras.upload_in_fresh_process()
    report = render_report(result=result, runs=runs, tool=tool, concurrency=concurrency, seconds=seconds,
                           workers=workers, threads=threads, database_label=database_label, version=version,
                           size=size, tables=tables, load_before=load_before, rankings=rankings, upload=upload)
    return (report + "\n".join(mixed.render(mixed_runs, list(mixed.READER_PAGES), seconds * 2)
                                + render_cold(cold) + render_scales(load_cold_costs(bench_var))) + "\n")


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


# --- Caches off, and the cost per page at each scale -------------------------------------------

COLD_LEVELS = [1, 8]
COLD_SECONDS = 5
COLD_TARGET_RATIO = 0.1  # × baseline at c = 8 with every cache off
SCALE_TARGET = 1.5  # cost at scale 10 over the cost at scale 1


def save_cold_costs(bench_var: Path, scale: float, cold: list[PageRun]) -> None:
    """Each page's cost with the caches off (p50 at c = 1, ms), kept per scale for `render_scales`."""
    costs = {run.page.key: {"label": run.page.label, "p50_ms": run.results[1].p50_ms}
             for run in cold if 1 in run.results}
    (bench_var / f"cold-{scale:g}.json").write_text(json.dumps({"scale": scale, "when": _now(), "pages": costs}))


def load_cold_costs(bench_var: Path) -> dict:
    found = {}
    for path in sorted(bench_var.glob("cold-*.json")):
        data = json.loads(path.read_text())
        found[data["scale"]] = data
    return found


def render_cold(cold: list[PageRun]) -> list[str]:
    lines = ["", "## Every page with every cache off", "",
             "Its own cost: gunicorn restarted with `BENCH_CACHES=off` (Django's DummyCache, the public page "
             f"cache off, sessions from PostgreSQL), {COLD_SECONDS} s per run; × baseline against the baseline "
             f"measured right after. Target at c = 8: ≥ {COLD_TARGET_RATIO} × baseline.", "",
             "| page | c=1 p50 ms | c=8 req/s | × baseline | p95 ms | errors | met |", "|---|---:|---:|---:|---:|---:|---|"]
    for run in cold:
        if run.page.key in pages.REFERENCES or 8 not in run.results or 1 not in run.results:
            continue
        outcome = run.results[8]
        ratio = outcome.rps / run.adjacent[8] if run.adjacent.get(8) else 0.0
        errors = sum(result.errors for result in run.results.values())
        verdict = "yes" if ratio >= COLD_TARGET_RATIO and errors == 0 else "**no**"
        lines.append(f"| {run.page.label} | {run.results[1].p50_ms:.1f} | {outcome.rps:.0f} | {ratio:.2f} | "
                     f"{outcome.p95_ms:.0f} | {errors} | {verdict} |")
    return lines


def render_scales(found: dict) -> list[str]:
    """The cold cost per page at each scale measured so far (var/bench/cold-<scale>.json)."""
    if len(found) < 2:
        return []
    scales = sorted(found)
    lines = ["", "## Cold cost per page by dataset size", "",
             "p50 at c = 1 with every cache off, in ms, from the last run at each scale (`make bench "
             "BENCH_ARGS=\"--scale 10 --cold-only\"`; scale 1 = 100 000 actions). Target: at 1 000 000 actions "
             f"≤ {SCALE_TARGET} × the cost at 100 000.", "",
             "| page | " + " | ".join(f"scale {scale:g}" for scale in scales) + " | scale 10 ÷ scale 1 | met |",
             "|---|" + "---:|" * len(scales) + "---:|---|"]
    keys = list(dict.fromkeys(key for scale in scales for key in found[scale]["pages"]))
    for key in keys:
        if key in pages.REFERENCES:
            continue
        costs = [found[scale]["pages"].get(key, {}).get("p50_ms") for scale in scales]
        label = next(found[scale]["pages"][key]["label"] for scale in scales if key in found[scale]["pages"])
        one, ten = found.get(1.0, {}).get("pages", {}).get(key), found.get(10.0, {}).get("pages", {}).get(key)
        ratio, verdict = "", ""
        if one and ten and one["p50_ms"]:
            value = ten["p50_ms"] / one["p50_ms"]
            ratio, verdict = f"{value:.2f}", "yes" if value <= SCALE_TARGET else "**no**"
        lines.append(f"| {label} | " + " | ".join("" if cost is None else f"{cost:.1f}" for cost in costs)
                     + f" | {ratio} | {verdict} |")
    lines.append("")
    lines.append("Measured: " + "; ".join(f"scale {scale:g} at {found[scale]['when']}" for scale in scales) + ".")
    return lines


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- The report ------------------------------------------------------------------------------


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB".replace(",", " ")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _git_commit() -> str:
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=BASE_DIR, capture_output=True,
                              text=True, timeout=10)
        return done.stdout.strip()[:80]
    except OSError:
        return "unknown"


def _tool_label(tool: str) -> str:
    if tool == "wrk":
        try:
            done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
            return (done.stdout or done.stderr).splitlines()[0].split(" [")[0]
        except (OSError, IndexError):
            return "wrk"
    return "bench/loadgen.py (Python threads, http.client keep-alive)"


COUNT_ORDER = ["actions", "organisations", "users", "likes", "adoptions", "images", "jurors", "reviews", "scores"]


def _load_average() -> str:
    try:
        return " / ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def _machine() -> str:
    """CPU model and memory, from /proc where there is one."""
    model, memory = "", ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
                break
    except OSError:
        pass
    return ", ".join(part for part in (model, memory) if part)


TARGET_RATIO = 0.5
ADJACENT_SECONDS = 5  # the baseline measured again right after each page and concurrency
TARGET_P95_MS = 50
TARGET_LEVEL = 8
SIGNED_IN_TARGET_RATIO = 0.25
SIGNED_IN_TARGET_P95_MS = 100


def _targets(runs, concurrency) -> list[str]:
    """The issue's page targets at concurrency 8: ≥ 50 % of the baseline's requests/s, p95 ≤ 50 ms, no errors.

    A logged-in page is also compared with the signed-in baseline (a plain view behind the login),
    which tells what the page itself costs beyond Django's authentication."""
    baseline = _reference(runs, pages.BASELINE)
    if baseline is None:
        return []
    signed_in = _reference(runs, pages.SIGNED_IN_BASELINE)
    floor = _ratio(signed_in, baseline) if signed_in is not None else 0.0
    lines = ["", f"Targets at concurrency {TARGET_LEVEL}: ≥ {TARGET_RATIO:.0%} of the baseline's requests/s "
             f"(measured right after the page), p95 ≤ {TARGET_P95_MS} ms, no errors at any concurrency; for a "
             f"logged-in page ≥ {SIGNED_IN_TARGET_RATIO:.0%} and p95 ≤ {SIGNED_IN_TARGET_P95_MS} ms (the issue's "
             "signed-in targets):", "",
             "| page | req/s | × baseline | × signed-in baseline | p95 ms | errors | met |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for run in runs:
        if run.page.key in pages.REFERENCES or TARGET_LEVEL not in run.results:
            continue
        outcome = run.results[TARGET_LEVEL]
        errors = sum(result.errors for result in run.results.values())
        ratio = _ratio(run, baseline)
        signed_in_ratio = f"{ratio / floor:.2f}" if run.page.login and floor else ""
        wanted, p95 = ((SIGNED_IN_TARGET_RATIO, SIGNED_IN_TARGET_P95_MS) if run.page.login
                       else (TARGET_RATIO, TARGET_P95_MS))
        met = ratio >= wanted and outcome.p95_ms <= p95 and errors == 0
        verdict = "yes" if met else "**no**"
        lines.append(f"| {run.page.label} | {outcome.rps:.0f} | {ratio:.2f} | {signed_in_ratio} | "
                     f"{outcome.p95_ms:.0f} | {errors} | {verdict} |")
    if floor:
        lines += ["", f"The signed-in baseline itself reaches {floor:.2f} × the baseline: what any page that has "
                  "to know who is logged in pays first (one cache query for the session and the user's "
                  "token). × signed-in baseline: the page's ratio to the baseline divided by that one."]
    return lines


def _ratio(run, baseline) -> float:
    """The run's requests/s at the target concurrency over the baseline's (`PageRun.baseline_rps`)."""
    base = run.baseline_rps(TARGET_LEVEL, baseline)
    return run.results[TARGET_LEVEL].rps / base if base else 0.0


def _reference(runs, key):
    """The run of a reference page, when it was measured at the target concurrency."""
    run = next((run for run in runs if run.page.key == key), None)
    return run if run is not None and TARGET_LEVEL in run.results else None


def _extras(rankings, upload) -> list[str]:
    lines = []
    if rankings:
        lines += ["", "Campaign rankings against a raw SQL aggregate computing the same numbers (target ≤ 1.5 ×): "
                  "the two run in turns 7 times after a warm-up; median times, and the median of the 7 runs' "
                  "ratios:", "",
                  "| category | kind | rows | ranking ms | raw SQL ms | ratio | met |", "|---|---|---:|---:|---:|---:|---|"]
        for timing in rankings:
            lines.append(f"| {timing.category} | {timing.kind} | {timing.rows} | {timing.ranking_ms:.1f} | "
                         f"{timing.raw_ms:.1f} | {timing.ratio:.2f} | {'yes' if timing.ratio <= 1.5 else '**no**'} |")
    if upload:
        if "error" in upload:
            lines += ["", f"12-megapixel upload: failed ({upload['error']})"]
        else:
            met = upload["seconds"] <= 1 and upload["peak_rss_mb"] <= 300
            lines += ["", f"12-megapixel JPEG upload (4000×3000, {_n(upload['input_bytes'])} bytes) through "
                      f"`arena.images.process_upload` to {upload['outputs']} files (full size "
                      f"{upload['full_size']}): {upload['seconds']:.2f} s; peak memory of the whole process "
                      f"{upload['peak_rss_mb']:.0f} MB (it grew by {upload['rss_growth_mb']:.0f} MB; Python "
                      f"allocations at most {upload['python_peak_mb']:.0f} MB). Target ≤ 1 s and ≤ 300 MB: "
                      f"{'met' if met else '**not met**'}."]
    return lines


def render_report(*, result, runs, tool, concurrency, seconds, workers, threads, database_label, version, size,
                  tables, load_before, rankings=(), upload=None) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    counts = result.counts
    seeding = (f"reused (seeded {result.seeded_at[:16].replace('T', ' ')} in {result.seconds:.1f} s)"
               if result.reused else f"seeded now in {result.seconds:.1f} s")
    lines = [
        "# Benchmark",
        "",
        f"- When: {now}; commit {_git_commit()}",
        f"- Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {_machine()}; load average {load_before} before the runs, "
        f"{_load_average()} after (other work on the machine shares the cores)",
        f"- Dataset (scale {result.scale:g}): " + ", ".join(
            f"{_n(counts[key])} {key}" for key in COUNT_ORDER if key in counts)
        + f"; {seeding}",
        f"- Database: PostgreSQL {version.split()[0]}, {database_label}; size {_mb(size)} "
        "(largest tables: " + ", ".join(f"{name} {_mb(table_size)}" for name, table_size in tables) + ")",
        f"- Server: `{' '.join(gunicorn_command(0, workers, threads)[2:-4])}` on 127.0.0.1 (access log to "
        "var/bench/gunicorn.log), settings "
        "`bench.settings` (= `arena.settings` plus the baseline URL), DEBUG off, WhiteNoise serving the "
        "collected static files, SECRET_KEY set. **SECURE_SSL_REDIRECT=false and SECURE_COOKIES=false only "
        "because the load is plain http on loopback**; everything else as in production.",
        f"- Load: {_tool_label(tool)} from a second process, {seconds:g} s per run, concurrency "
        + ", ".join(str(level) for level in concurrency) + "; after a short warm-up of every worker.",
        "- Queries: SQL queries of one request (Django test client with CaptureQueriesContext, warm, no load).",
        f"- × baseline: requests/s of the page divided by those of the baseline measured right after it "
        f"({ADJACENT_SECONDS} s, same concurrency), so that the machine's load, which drifts during a run, "
        "moves both alike; the baseline's own row is its first measurement.",
        "- Signed-in baseline: the same plain view for a logged-in juror (the session and the user's token "
        "read in one cache query, the user kept per process: what every logged-in page pays before its "
        "own work).",
    ]
    for note in result.notes:
        lines.append(f"- Note: {note}")
    lines += ["", "| page | queries | c | req/s | p50 ms | p95 ms | p99 ms | errors | × baseline |",
              "|---|---:|---:|---:|---:|---:|---:|---|---:|"]
    baseline = next((run for run in runs if run.page.key == pages.BASELINE), None)
    for run in runs:
        queries = "–" if run.queries is None or run.missing else str(run.queries)
        if run.client_status and run.client_status != 200 and not run.missing:
            queries += f" (HTTP {run.client_status})"
        if run.url is None:
            lines.append(f"| {run.page.label} | – | | | | | | no data for its URL | |")
            continue
        if run.missing:
            lines.append(f"| {run.page.label} | {queries} | | | | | | missing (404) | |")
            continue
        if not run.results:
            lines.append(f"| {run.page.label} | {queries} | | | | | | {run.error or 'not measured'} | |")
            continue
        for index, level in enumerate(concurrency):
            outcome = run.results[level]
            errors = str(outcome.errors)
            if outcome.non2xx:
                errors += f" (HTTP {outcome.bad_status})"
            ratio = ""
            if run.baseline_rps(level, baseline):
                ratio = f"{outcome.rps / run.baseline_rps(level, baseline):.3f}"
            label = run.page.label if index == 0 else ""
            lines.append(f"| {label} | {queries if index == 0 else ''} | {level} | {outcome.rps:.1f} | "
                         f"{outcome.p50_ms:.1f} | {outcome.p95_ms:.1f} | {outcome.p99_ms:.1f} | {errors} | "
                         f"{ratio} |")
    lines += _targets(runs, concurrency)
    lines += _extras(rankings, upload)
    lines += ["", "Pages and their URLs (edit the table in `bench/pages.py`):", ""]
    for run in runs:
        status = f"HTTP {run.status}" if run.status else (run.error or "not requested")
        size = f", {_n(run.size)} bytes" if run.size else ""
        lines.append(f"- {run.page.label}: `{run.url or run.page.path}` — {status}{size}")
    if result.steps:
        lines += ["", "Seeding steps: " + ", ".join(f"{name} {secs:.1f} s" for name, secs in result.steps)]
    return "\n".join(lines) + "\n"
