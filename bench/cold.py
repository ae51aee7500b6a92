"""Every page with every cache off (gunicorn with BENCH_CACHES=off): its own cost, kept per
dataset size in var/bench/cold-<scale>.json, and the table that compares the sizes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from . import pages

LEVELS = [1, 8]
SECONDS = 5
TARGET_RATIO = 0.1  # × baseline at c = 8 with every cache off
SCALE_TARGET = 1.5  # cost at scale 10 over the cost at scale 1


def save_costs(bench_var: Path, scale: float, runs: list) -> None:
    """Each page's cost with the caches off (p50 at c = 1, ms), kept per scale for `render_scales`;
    a run of some pages (`--pages`) replaces only theirs."""
    path = bench_var / f"cold-{scale:g}.json"
    costs = json.loads(path.read_text())["pages"] if path.exists() else {}
    costs.update({run.page.key: {"label": run.page.label, "p50_ms": run.results[1].p50_ms}
                  for run in runs if 1 in run.results})
    path.write_text(json.dumps({"scale": scale, "when": _now(), "pages": costs}))


def load_costs(bench_var: Path) -> dict:
    found = {}
    for path in sorted(bench_var.glob("cold-*.json")):
        data = json.loads(path.read_text())
        found[data["scale"]] = data
    return found


def render(runs: list) -> list[str]:
    lines = ["", "## Every page with every cache off", "",
             "Its own cost: gunicorn restarted with `BENCH_CACHES=off` (Django's DummyCache, the public page "
             f"cache off, sessions from PostgreSQL), {SECONDS} s per run; × baseline against the baseline "
             f"measured right after. Target at c = 8: ≥ {TARGET_RATIO} × baseline.", "",
             "| page | c=1 p50 ms | c=8 req/s | × baseline | p95 ms | errors | met |", "|---|---:|---:|---:|---:|---:|---|"]
    for run in runs:
        if run.page.key in pages.REFERENCES or 8 not in run.results or 1 not in run.results:
            continue
        outcome = run.results[8]
        ratio = outcome.rps / run.adjacent[8] if run.adjacent.get(8) else 0.0
        errors = sum(result.errors for result in run.results.values())
        verdict = "yes" if ratio >= TARGET_RATIO and errors == 0 else "**no**"
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
