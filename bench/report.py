"""The benchmark's report: the machine, the dataset, each page's figures and the targets."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from pathlib import Path

from . import pages

BASE_DIR = Path(__file__).resolve().parent.parent


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


def load_average() -> str:
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
    from .run import gunicorn_command  # noqa: PLC0415 (run.py imports this module)

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
        f"{load_average()} after (other work on the machine shares the cores)",
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
        "read in one cache query, the user from the database: what every logged-in page pays before its "
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
