"""Mixed load: readers go round the public pages at c = 8 while other signed-in users like and
unlike at a fixed rate — what a live campaign looks like to the server.

Each run: the readers (wrk or bench/loadgen.py, a second process) for `seconds`, and meanwhile a
liker in this process that sends like/unlike POSTs on a fixed schedule (open loop: a slow answer
does not slow the schedule down), each from one of `LIKERS` signed-in users, on the actions the
readers see (the detail page's action, and the most liked ones, which the front page and the list
show). Then the baseline for `ADJACENT_SECONDS`, as for the pages.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from . import load
from .loadgen import percentile
from .soakclient import Browser

READER_PAGES = ("front", "list", "search", "detail", "organisation", "statistics", "campaign", "results")
LIKE_RATES = (0, 1, 5)
LIKERS = 40
HOT_ACTIONS = 30
READERS = 8
ADJACENT_SECONDS = 5


@dataclass
class LikeOutcome:
    latencies: list = field(default_factory=list)  # seconds, of the answered POSTs
    errors: int = 0
    statuses: set = field(default_factory=set)
    sent: int = 0
    duration_s: float = 0.0

    @property
    def p95_ms(self) -> float:
        return percentile(sorted(self.latencies), 0.95) * 1000

    @property
    def rate(self) -> float:
        return self.sent / self.duration_s if self.duration_s else 0.0


@dataclass
class MixedRun:
    audience: str  # "anonymous" or "signed-in"
    rate: float  # likes per second asked for
    readers: load.LoadResult
    baseline_rps: float
    likes: LikeOutcome

    @property
    def ratio(self) -> float:
        return self.readers.rps / self.baseline_rps if self.baseline_rps else 0.0


@dataclass
class Liker:
    """The like/unlike POSTs of signed-in users; each (user, action) pair is toggled, so the counts
    stay where they were and every POST changes something (a like or an unlike)."""

    port: int
    users: list  # [(cookies, {action ids the user likes now})]
    actions: list  # action ids
    rng: random.Random = field(default_factory=lambda: random.Random(18))

    def run(self, rate: float, seconds: float) -> LikeOutcome:
        outcome = LikeOutcome()
        if rate <= 0:
            return outcome
        lock = threading.Lock()
        browsers = [Browser(self.port, cookies, timeout=30) for cookies, _liked in self.users]
        busy = [threading.Lock() for _ in browsers]

        def send(index: int, action_id: int) -> None:
            cookies, liked = self.users[index]
            with busy[index]:  # one request at a time per browser (one keep-alive connection)
                verb = "unlike" if action_id in liked else "like"
                answer = browsers[index].post(
                    f"/fi/actions/{action_id}/{verb}/", {"csrfmiddlewaretoken": cookies["csrftoken"]},
                    headers={"Accept": "application/json"})
            with lock:
                if answer.status == 200:
                    outcome.latencies.append(answer.ended - answer.started)
                    (liked.discard if verb == "unlike" else liked.add)(action_id)
                else:
                    outcome.errors += 1
                    outcome.statuses.add(answer.status)

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            while (due := started + outcome.sent / rate) < started + seconds:
                time.sleep(max(0.0, due - time.monotonic()))
                pool.submit(send, self.rng.randrange(len(browsers)), self.rng.choice(self.actions))
                outcome.sent += 1
        outcome.duration_s = time.monotonic() - started
        for browser in browsers:
            browser.close()
        return outcome


def hot_actions(detail_action_id: int | None) -> list[int]:
    from arena.models import Action  # noqa: PLC0415

    ids = list(Action.objects.published().order_by("-like_count", "id").values_list("pk", flat=True)[:HOT_ACTIONS])
    if detail_action_id and detail_action_id not in ids:
        ids.append(detail_action_id)
    return ids


def likers(actions: list[int], exclude_user_id: int | None) -> list:
    """`LIKERS` members (not the reader) with a session each, and which of `actions` they like now."""
    from arena.models import Like  # noqa: PLC0415
    from orgs.models import User  # noqa: PLC0415

    from .run import session_cookies  # noqa: PLC0415

    users = list(User.objects.filter(is_active=True, is_staff=False).exclude(pk=exclude_user_id)
                 .order_by("-id")[:LIKERS])
    liked = {}
    for user_id, action_id in Like.objects.filter(user__in=users, action_id__in=actions).values_list(
            "user_id", "action_id"):
        liked.setdefault(user_id, set()).add(action_id)
    return [(session_cookies(user), liked.get(user.pk, set())) for user in users]


def run_mixed(*, tool: str, port: int, paths: list[str], reader_cookie: str, baseline_path: str, liker: Liker,
              seconds: float, rates=LIKE_RATES, say=print) -> list[MixedRun]:
    runs = []
    for audience, headers in (("anonymous", {}), ("signed-in", {"Cookie": reader_cookie})):
        if audience == "signed-in" and not reader_cookie:
            continue
        for rate in rates:
            likes: dict = {}
            thread = threading.Thread(target=lambda rate=rate: likes.update(outcome=liker.run(rate, seconds)))
            thread.start()
            readers = load.run_load(tool, f"http://127.0.0.1:{port}{paths[0]}", concurrency=READERS,
                                    seconds=seconds, headers=headers, paths=paths)
            thread.join()
            baseline = load.run_load(tool, f"http://127.0.0.1:{port}{baseline_path}", concurrency=READERS,
                                     seconds=ADJACENT_SECONDS, headers={}).rps
            run = MixedRun(audience, rate, readers, baseline, likes["outcome"])
            runs.append(run)
            say(f"mixed {audience} at {rate:g} likes/s: {readers.rps:.0f} reads/s ({run.ratio:.2f} × baseline), "
                f"p95 {readers.p95_ms:.0f} ms, errors {readers.errors}; likes sent {run.likes.sent}, "
                f"p95 {run.likes.p95_ms:.0f} ms, errors {run.likes.errors}")
    return runs


# The targets at 5 likes/s.
TARGET_RATE = 5
TARGET_RATIO = {"anonymous": 0.5, "signed-in": 0.25}
TARGET_P95_MS = 100
TARGET_LIKE_P95_MS = 100


def met(run: MixedRun) -> bool:
    return (run.ratio >= TARGET_RATIO[run.audience] and run.readers.p95_ms <= TARGET_P95_MS
            and run.readers.errors == 0 and run.likes.errors == 0 and run.likes.p95_ms <= TARGET_LIKE_P95_MS)


def render(runs: list[MixedRun], pages: list[str], seconds: float) -> list[str]:
    if not runs:
        return []
    lines = ["", "## Mixed load: readers while others like", "",
             f"Readers at c = {READERS} go round {', '.join(pages)} ({seconds:g} s per run) while {LIKERS} other "
             f"signed-in users like and unlike (each POST toggles one of {HOT_ACTIONS} + 1 actions that the readers "
             "see) on a fixed schedule; × baseline against the baseline measured right after. Targets at "
             f"{TARGET_RATE} likes/s: anonymous ≥ {TARGET_RATIO['anonymous']} ×, signed-in ≥ "
             f"{TARGET_RATIO['signed-in']} ×, reads p95 ≤ {TARGET_P95_MS} ms, 0 errors, like POST p95 ≤ "
             f"{TARGET_LIKE_P95_MS} ms.", "",
             "| readers | likes/s (sent) | reads/s | × baseline | p50 ms | p95 ms | p99 ms | errors | "
             "like POSTs | like p95 ms | like errors | met |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in runs:
        verdict = ("yes" if met(run) else "**no**") if run.rate == TARGET_RATE else ""
        errors = str(run.readers.errors) + (f" (HTTP {run.readers.bad_status})" if run.readers.non2xx else "")
        like_errors = str(run.likes.errors) + (f" ({sorted(map(str, run.likes.statuses))})" if run.likes.errors else "")
        lines.append(
            f"| {run.audience} | {run.rate:g} ({run.likes.rate:.1f}) | {run.readers.rps:.0f} | {run.ratio:.2f} | "
            f"{run.readers.p50_ms:.1f} | {run.readers.p95_ms:.1f} | {run.readers.p99_ms:.1f} | {errors} | "
            f"{run.likes.sent} | {run.likes.p95_ms:.0f} | {like_errors} | {verdict} |")
    return lines
