"""Measurements beside the load test: each campaign category's ranking against a raw SQL
aggregate computing the same numbers, and a 12-megapixel JPEG upload to thumbnails.

`python -m bench.extras upload` runs the upload measurement on its own (the benchmark starts it in
a fresh process so that the peak memory is the upload's, not the seeding's).
"""

from __future__ import annotations

import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RUNS = 7


@dataclass
class RankingTiming:
    category: str
    kind: str
    rows: int
    ranking_ms: float
    raw_ms: float
    ratio: float  # the median of the runs' ratios


def _paired_ms(first, second) -> tuple[float, float, float, object]:
    """Run the two one after the other, `RUNS` times after a warm-up: the median time of each and the
    median of the runs' ratios (each pair shares the machine's load of its moment, so other work on
    the machine moves the ratio less than it moves the times)."""
    result = first()  # warm-up
    second()
    times = []
    for _index in range(RUNS):
        started = time.perf_counter()
        result = first()
        middle = time.perf_counter()
        second()
        times.append(((middle - started) * 1000, (time.perf_counter() - middle) * 1000))
    ratio = statistics.median(a / b for a, b in times if b)
    return (statistics.median(a for a, _b in times), statistics.median(b for _a, b in times), ratio, result)


# The same numbers as campaigns.ranking, straight from SQL (no ORM, no Python ranking).
RAW_ACTIONS = """
    SELECT a.organisation_id, count(*)
    FROM arena_action a JOIN orgs_organisation o ON o.id = a.organisation_id
    WHERE a.status = 'published' AND a.submitted_at >= %(start)s AND a.submitted_at < %(end)s
      AND a.submitted_at <= %(as_of)s AND o.kind = ANY(%(kinds)s)
    GROUP BY a.organisation_id
"""
RAW_PER_EMPLOYEE = """
    SELECT a.organisation_id, count(*), e.employees, count(*) * 1000.0 / nullif(e.employees, 0)
    FROM arena_action a JOIN orgs_organisation o ON o.id = a.organisation_id
    LEFT JOIN orgs_employeecount e ON e.organisation_id = a.organisation_id AND e.year = %(year)s
    WHERE a.status = 'published' AND a.submitted_at >= %(start)s AND a.submitted_at < %(end)s
      AND a.submitted_at <= %(as_of)s AND o.kind = ANY(%(kinds)s)
    GROUP BY a.organisation_id, e.employees
"""
RAW_JURY = """
    SELECT action_id, avg(mean), count(*) FROM (
        SELECT r.action_id, sum(s.value * c.weight)::float / sum(c.weight) AS mean
        FROM campaigns_review r
        JOIN campaigns_juror j ON j.id = r.juror_id
        JOIN campaigns_score s ON s.review_id = r.id
        JOIN campaigns_criterion c ON c.id = s.criterion_id
        WHERE j.campaign_id = %(campaign)s AND c.campaign_id = %(campaign)s
          AND NOT EXISTS (SELECT 1 FROM orgs_membership m JOIN arena_action a ON a.organisation_id = m.organisation_id
                          WHERE m.user_id = j.user_id AND a.id = r.action_id)
        GROUP BY r.juror_id, r.action_id
        HAVING count(*) = (SELECT count(*) FROM campaigns_criterion WHERE campaign_id = %(campaign)s)
    ) AS sets
    WHERE action_id IN (SELECT action_id FROM campaigns_awardcategory_shortlist WHERE awardcategory_id = %(category)s)
       OR NOT EXISTS (SELECT 1 FROM campaigns_awardcategory_shortlist WHERE awardcategory_id = %(category)s)
    GROUP BY action_id
"""


def ranking_timings(campaign_slug: str) -> list[RankingTiming]:
    """Every category of the campaign: the ranking and its raw aggregate, run in turns (`_paired_ms`)."""
    from django.db import connection  # noqa: PLC0415

    from campaigns.models import AwardCategory, Campaign  # noqa: PLC0415
    from campaigns.ranking import campaign_ranking  # noqa: PLC0415

    campaign = Campaign.objects.filter(slug=campaign_slug).first()
    if campaign is None:
        return []
    as_of = campaign.period_end
    params = {"start": campaign.period_start, "end": campaign.period_end, "as_of": as_of,
              "kinds": list(campaign.eligible_kinds), "campaign": campaign.pk}
    timings = []
    raw_sql = {AwardCategory.Kind.MOST_ACTIONS: RAW_ACTIONS, AwardCategory.Kind.PER_EMPLOYEE: RAW_PER_EMPLOYEE,
               AwardCategory.Kind.JURY: RAW_JURY}
    for category in campaign.categories.order_by("position", "id"):
        sql = raw_sql.get(category.kind)
        if sql is None:  # a kind without a raw counterpart here yet
            continue

        def raw(sql=sql, category=category):
            with connection.cursor() as cursor:
                cursor.execute(sql, {**params, "year": category.year, "category": category.pk})
                return cursor.fetchall()

        ranking_ms, raw_ms, ratio, result = _paired_ms(
            lambda category=category: campaign_ranking(campaign=campaign, category=category, as_of=as_of), raw)
        timings.append(RankingTiming(category=str(category.name), kind=category.kind,
                                     rows=len(result.rows) + len(result.unranked), ranking_ms=ranking_ms,
                                     raw_ms=raw_ms, ratio=ratio))
    return timings


# --- The upload ---------------------------------------------------------------------------


def _photo_like_jpeg(width: int = 4000, height: int = 3000) -> bytes:
    """A 12-megapixel JPEG with photo-like detail (gradients and noise), as a camera would send."""
    from PIL import Image  # noqa: PLC0415

    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    image = Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _peak_rss_mb() -> float:
    """The process's peak resident memory (VmHWM: of this process image only, unlike ru_maxrss,
    which on Linux may carry the parent's peak over the fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_upload() -> dict:
    """Time and peak memory of `arena.images.process_upload` on a 12 MP JPEG (run in a fresh process)."""
    import tracemalloc  # noqa: PLC0415

    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    from arena.images import process_upload  # noqa: PLC0415

    data = _photo_like_jpeg()
    rss_before = _peak_rss_mb()
    upload = SimpleUploadedFile("camera.jpg", data, content_type="image/jpeg")
    tracemalloc.start()
    started = time.perf_counter()
    processed = process_upload(upload)
    seconds = time.perf_counter() - started
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = _peak_rss_mb()
    return {
        "megapixels": 12.0, "input_bytes": len(data), "seconds": round(seconds, 3),
        "peak_rss_mb": round(rss_after, 1), "rss_growth_mb": round(rss_after - rss_before, 1),
        "python_peak_mb": round(traced_peak / 1024 / 1024, 1),
        "outputs": 1 + len(processed.thumbs), "full_size": f"{processed.width}×{processed.height}",
    }


def upload_in_fresh_process() -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.extras", "upload"], cwd=BASE_DIR, env=dict(os.environ),
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__" and sys.argv[1:] == ["upload"]:
    import django

    django.setup()
    print(json.dumps(measure_upload()))
