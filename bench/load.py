"""Driving load from a second process: wrk (Debian package) or, failing that, bench/loadgen.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRK_SCRIPT = HERE / "wrk_report.lua"
WRK_HINT = "install wrk for lighter, more precise load (Debian/Ubuntu: apt-get install -y wrk)"


@dataclass
class LoadResult:
    requests: int
    duration_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non2xx: int
    bad_status: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors


def _apt_install_wrk(say) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for attempt in (["apt-get", "install", "-y", "-q", "wrk"], ["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "wrk"]):
        say(" ".join(attempt))
        try:
            done = subprocess.run(attempt, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  timeout=300)
        except (OSError, subprocess.TimeoutExpired) as error:
            say(f"  failed: {error}")
            return False
        if attempt[1] == "install" and done.returncode == 0:
            return shutil.which("wrk") is not None
    return False


def find_tool(say, *, allow_install: bool = True) -> str:
    """'wrk' when it is there (installing it with apt-get when running as root), else 'python'."""
    if os.environ.get("BENCH_LOAD_TOOL") == "python":
        return "python"
    if shutil.which("wrk"):
        return "wrk"
    if allow_install and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk is missing: installing it with apt-get (BENCH_NO_INSTALL=1 skips this)")
        if _apt_install_wrk(say):
            return "wrk"
    say(f"using the Python load generator (bench/loadgen.py); {WRK_HINT}")
    return "python"


def _parse(output: str) -> LoadResult:
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON "):])
            return LoadResult(**{key: data[key] for key in LoadResult.__dataclass_fields__})
    raise RuntimeError(f"the load tool printed no result:\n{output[-2000:]}")


def run_load(tool: str, url: str, *, concurrency: int, seconds: float, headers: dict[str, str],
             paths: list[str] = ()) -> LoadResult:
    """One bounded run against `url` (loopback only) from a separate process; with `paths`, each
    connection goes round those paths of the same server in turn (a mix of pages)."""
    env = dict(os.environ)
    if tool == "wrk":
        if paths:
            env["BENCH_PATHS"] = " ".join(paths)  # read by wrk_report.lua
        command = ["wrk", "-t", str(min(2, concurrency)), "-c", str(concurrency), "-d", f"{seconds:g}s",
                   "--timeout", "30s", "-s", str(WRK_SCRIPT)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command.append(url)
    else:
        command = [sys.executable, "-m", "bench.loadgen", url, "--concurrency", str(concurrency),
                   "--seconds", f"{seconds:g}"]
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        for path in paths:
            command += ["--path", path]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, cwd=HERE.parent, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return _parse(done.stdout)
