"""A small load generator for when wrk cannot be had: threads with keep-alive http.client connections.

Run as its own process (the server must not share an interpreter with its load):
    python -m bench.loadgen http://127.0.0.1:8001/fi/ --concurrency 8 --seconds 10 [--header "Cookie: …"]
With `--path` (repeatable) each connection goes round the paths in turn instead (a mix of pages).
It prints one line `BENCH_JSON {…}` with the same keys as bench/wrk_report.lua.
Only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import math
import socket
import sys
import threading
import time
from urllib.parse import urlsplit


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    index = max(0, min(len(sorted_values) - 1, math.ceil(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def require_loopback(host: str) -> None:
    address = ipaddress.ip_address(socket.gethostbyname(host))
    if not address.is_loopback:
        raise SystemExit(f"refusing to load {host}: the benchmark only loads this machine (127.0.0.0/8)")


def run(url: str, *, concurrency: int, seconds: float, headers: dict[str, str], paths: list[str] = ()) -> dict:
    parts = urlsplit(url)
    require_loopback(parts.hostname)
    targets = list(paths) or [parts.path + (f"?{parts.query}" if parts.query else "")]
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    counters = {"non2xx": 0, "bad_status": 0, "socket_errors": 0}

    def worker(offset: int):
        mine, non2xx, bad, errors = [], 0, 0, 0
        connection = None
        turn = offset
        while time.monotonic() < deadline:
            target = targets[turn % len(targets)]
            turn += 1
            if connection is None:
                connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=120)
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = None
                continue
            mine.append(time.perf_counter() - started)
            if not 200 <= response.status <= 299:
                non2xx += 1
                bad = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)
            counters["non2xx"] += non2xx
            counters["socket_errors"] += errors
            if bad:
                counters["bad_status"] = bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    duration = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "duration_s": round(duration, 3),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
        **counters,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--header", action="append", default=[], help='"Name: value", may repeat')
    parser.add_argument("--path", action="append", default=[], help="a path to go round, may repeat")
    args = parser.parse_args(argv)
    headers = {"Host": urlsplit(args.url).netloc}
    for header in args.header:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    result = run(args.url, concurrency=args.concurrency, seconds=args.seconds, headers=headers, paths=args.path)
    print("BENCH_JSON " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
