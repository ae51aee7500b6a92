"""Four worst-case uploads processed at the same time in one process: the extra peak memory.

The worst cases are the largest images the limits still accept, each made small in bytes (a
transparent PNG at the unscaled pixel limit, a transparent WebP at its own, a baseline JPEG at the pixel limit, a progressive JPEG at
the unscaled limit), in threads at once as requests of one gunicorn worker would be.
`python -m bench.uploads` prints the figures as JSON; the benchmark runs it in a fresh process.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_MB = 300
PARALLEL = 4  # one thread per worst case


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _worst_cases() -> list[tuple[str, bytes]]:
    from django.conf import settings  # noqa: PLC0415
    from PIL import Image  # noqa: PLC0415

    def encoded(mode, pixels, fmt, **options):
        side = math.isqrt(pixels)
        buffer = io.BytesIO()
        Image.new(mode, (side, pixels // side), (200, 120, 40, 128)[:len(mode)]).save(buffer, fmt, **options)
        return buffer.getvalue()

    unscaled = min(settings.IMAGE_MAX_PIXELS, settings.IMAGE_MAX_PIXELS_UNSCALED)
    return [
        ("PNG, transparent, at the unscaled limit", encoded("RGBA", unscaled, "PNG")),
        ("JPEG, baseline, at the pixel limit", encoded("RGB", settings.IMAGE_MAX_PIXELS, "JPEG")),
        ("JPEG, progressive, at the unscaled limit", encoded("RGB", unscaled, "JPEG", progressive=True)),
        ("WebP, transparent, at the WebP limit", encoded("RGBA", settings.IMAGE_MAX_PIXELS_WEBP, "WEBP", lossless=True)),
    ]


def measure() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    from arena.images import process_upload  # noqa: PLC0415

    cases = _worst_cases()
    outcomes = [None] * len(cases)

    def work(index, data):
        try:
            process_upload(SimpleUploadedFile(f"worst{index}", data))
            outcomes[index] = "accepted"
        except Exception as error:  # noqa: BLE001 (reported, not raised)
            outcomes[index] = f"{type(error).__name__}: {error}"

    before = _peak_rss_mb()
    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(index, data)) for index, (_name, data) in enumerate(cases)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"extra_mb": round(_peak_rss_mb() - before, 1), "seconds": round(time.perf_counter() - started, 2),
            "cases": [{"name": name, "bytes": len(data), "outcome": outcome}
                      for (name, data), outcome in zip(cases, outcomes, strict=True)]}


def in_fresh_process() -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.uploads"], cwd=BASE_DIR, env=dict(os.environ),
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def render(result: dict) -> list[str]:
    if not result:
        return []
    if "error" in result:
        return ["", f"{PARALLEL} parallel worst-case uploads: failed ({result['error']})"]
    met = result["extra_mb"] <= TARGET_MB and all(case["outcome"] == "accepted" for case in result["cases"])
    cases = "; ".join(f"{case['name']} ({case['bytes']:,} bytes): {case['outcome']}" for case in result["cases"])
    return ["", f"{PARALLEL} parallel worst-case uploads: {result['extra_mb']:.0f} MB extra, target ≤ {TARGET_MB} MB: "
            f"{'met' if met else '**not met**'} ({result['seconds']:.1f} s; {cases})."]


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(measure()))
