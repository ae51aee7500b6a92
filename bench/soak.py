"""`python -m bench.soak`: the reliability soak test (issue: "Reliability"), bounded in time.

Seeds (or reuses) the benchmark dataset in a database of its own (an embedded PostgreSQL
under var/soak-postgres, because the soak restarts it and writes into it), serves it with
gunicorn as in production (bench/run.py) and checks, from client threads with real sessions
and real CSRF tokens:

1. mixed load (browsing, searching, liking, drafts, submissions with and without an image,
   moderation in the admin, jury scoring) at 64 connections for 60 s: no server error, and
   every write the site acknowledged is in the database afterwards;
2. a burst of submissions with images while a gunicorn worker is killed with SIGKILL: no
   half-saved action, no referenced file missing, orphaned files found and swept, and each
   user's retry (the same form sent again) succeeds without creating a second action;
3. PostgreSQL stopped and started again under load: meanwhile only the friendly 503 page
   (Retry-After, never a 500 or a traceback), answers again within 5 s of the database
   coming back, no acknowledged write lost;
4. Redis (the cache, with the cached_db sessions; a redis-server the soak starts, REDIS_URL)
   stopped and started again, empty, under load: meanwhile only the friendly 503 page, answers
   again within 5 s of Redis coming back, no session lost (every member is still logged in
   afterwards), no acknowledged write lost;
5. double submissions (a replayed POST, a double click, two tabs, a double like, a double
   score) store one action, one submission, one like, one score set;
6. an attacker's account floods likes, reports and nominations from several connections while
   the others work: their reads' p95 stays within 2 × of the same work without it
   (bench/soak_attack.py).

It prints a summary table, writes var/soak/report.md (and bench/soak-results.md after a full
run that passed) and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from arena.localdb import RedisServer, redis_server_binary, say

from . import __main__ as bench_main
from .soak_attack import phase_attack
from .soakclient import Answer, Browser, csrf_token, form_key

BASE_DIR = Path(__file__).resolve().parent.parent
SOAK_VAR = BASE_DIR / "var" / "soak"
DATADIR = BASE_DIR / "var" / "soak-postgres"
RESULTS = BASE_DIR / "bench" / "soak-results.md"
RECOVERY_LIMIT = 5.0  # seconds after the database is back
MODERATION_QUEUE = 250  # submitted actions per moderator
SEARCH_WORDS = ["päiväkoti", "hyvinvointi", "digitalisaatio", "förskola", "ikäihmiset", "kirjasto"]
EDIT_URL = re.compile(r"/fi/actions/(\d+)/edit/$")


def parse_args(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(env("SOAK_SCALE", "0.1")),
                        help="dataset size, 1 = 100 000 actions (default SOAK_SCALE or 0.1)")
    parser.add_argument("--seconds", type=float, default=float(env("SOAK_SECONDS", "60")),
                        help="length of the mixed load (default 60)")
    parser.add_argument("--connections", type=int, default=int(env("SOAK_CONNECTIONS", "64")))
    parser.add_argument("--workers", type=int, default=int(env("SOAK_WORKERS", "3")))
    parser.add_argument("--threads", type=int, default=int(env("SOAK_THREADS", "4")))
    parser.add_argument("--down-seconds", type=float, default=4.0, help="how long PostgreSQL and Redis stay down")
    parser.add_argument("--reset", action="store_true", help="throw the soak database away first")
    return parser.parse_args(argv)


# --- The database: an embedded PostgreSQL of the soak's own, which it can stop and start ---------


@contextlib.contextmanager
def soak_database(reset: bool):
    try:
        import pgserver  # noqa: PLC0415
        from pgserver._commands import pg_ctl  # noqa: PLC0415
    except ImportError:
        sys.exit("bench.soak needs the embedded PostgreSQL (pip install pgserver): it stops and starts it")
    if reset and DATADIR.exists():
        say(f"removing {DATADIR.relative_to(BASE_DIR)}")
        shutil.rmtree(DATADIR)
    DATADIR.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(DATADIR), cleanup_mode=None)
    try:
        from .guard import NotBenchDatabase, check_url  # noqa: PLC0415

        try:
            check_url(server.get_uri(), external=False)
        except NotBenchDatabase as error:
            sys.exit(f"bench.soak: refusing to run: {error}")
        yield server
    finally:
        with contextlib.suppress(Exception):
            pg_ctl(["-w", "stop", "-m", "fast"], pgdata=server.pgdata, user=server.system_user, timeout=60)


def database_stop(server) -> None:
    from pgserver._commands import pg_ctl  # noqa: PLC0415

    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=server.pgdata, user=server.system_user, timeout=60)


def database_start(server) -> None:
    server.ensure_postgres_running()


# --- Who takes part: sessions, forms, targets (set up directly in the database) ---------------


@dataclass
class Member:
    user_id: int
    email: str
    cookie: dict
    organisation_id: int


@dataclass
class JurorSeat:
    user_id: int
    cookie: dict
    action_ids: list[int]


@dataclass
class Cast:
    members: list[Member]
    jurors: list[JurorSeat]
    moderators: list[tuple[int, dict, list[int]]]  # user id, cookies, the submitted actions it moderates
    action_urls: list[str]
    action_ids: list[int]
    action_pages: dict  # action id → its public page
    organisation_urls: list[str]
    sector_ids: list[int]
    theme_ids: list[int]
    criteria: list[tuple[int, int, int]]  # pk, lowest, highest
    campaign_slug: str


def session_cookie(user) -> dict:
    from importlib import import_module  # noqa: PLC0415

    from django.conf import settings  # noqa: PLC0415
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: PLC0415

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {settings.SESSION_COOKIE_NAME: store.session_key}


def build_cast(*, connections: int, campaign_slug: str) -> Cast:
    from django.contrib.auth.models import Group  # noqa: PLC0415
    from django.db.models import Count  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from arena.models import Action, Sector, Theme  # noqa: PLC0415
    from campaigns.models import Campaign, Juror  # noqa: PLC0415
    from orgs.models import Membership, Organisation, User  # noqa: PLC0415

    now = timezone.now()
    campaign = Campaign.objects.get(slug=campaign_slug)
    # The seeded campaign has ended; in the soak's own database its jury scores again.
    Campaign.objects.filter(pk=campaign.pk).update(scoring_deadline=now + datetime.timedelta(days=7))
    criteria = [(c.pk, c.scale_min, c.scale_max) for c in campaign.criteria.order_by("position", "id")]
    shortlist = list(campaign.categories.filter(kind="jury").values_list("shortlist__id", "shortlist__organisation_id"))

    n_moderators = max(1, connections // 16)
    n_jurors = max(1, connections // 4)
    n_members = max(4, connections - n_moderators - n_jurors)

    jurors = []
    for juror in Juror.objects.filter(campaign=campaign).select_related("user").order_by("id")[:n_jurors]:
        own = set(Membership.objects.filter(user=juror.user).values_list("organisation_id", flat=True))
        ids = [pk for pk, organisation in shortlist if pk and organisation not in own]
        jurors.append(JurorSeat(juror.user.pk, session_cookie(juror.user), ids))

    juror_users = Juror.objects.values("user_id")
    memberships = (Membership.objects.filter(status="confirmed", user__is_staff=False)
                   .exclude(user__in=juror_users).select_related("user").order_by("user_id"))
    members = []
    seen = set()
    for membership in memberships.iterator():
        if membership.user_id in seen or membership.user.email.startswith("soak-"):
            continue
        seen.add(membership.user_id)
        members.append(Member(membership.user_id, membership.user.email, session_cookie(membership.user),
                              membership.organisation_id))
        if len(members) >= n_members + 40:  # spares for the worker-kill burst and the double submissions
            break

    group = Group.objects.get(name="Moderators")
    sectors = list(Sector.objects.values_list("id", flat=True)[:2])
    themes = list(Theme.objects.values_list("id", flat=True)[:2])
    moderators = []
    for index in range(n_moderators):
        user, _created = User.objects.get_or_create(email=f"soak-moderator-{index}@example.org",
                                                    defaults={"full_name": f"Soak Moderator {index}"})
        user.is_staff = True
        user.set_unusable_password()
        user.save()
        user.groups.add(group)
        # A queue of submitted actions of its own, so moderators never race each other.
        pool = []
        for number in range(MODERATION_QUEUE):
            member = members[(index * MODERATION_QUEUE + number) % len(members)]
            action = Action.objects.create(
                title=f"Soak moderation {index}-{number} {uuid.uuid4().hex[:8]}", summary="Tiivistelmä.",
                need="Tarve.", solution="Ratkaisu.", results="Tulokset.", stage="piloting", language="fi",
                organisation_id=member.organisation_id, author_id=member.user_id, consent_to_publish=True,
                status="submitted", submitted_at=now,
            )
            action.sectors.set(sectors[:1])
            action.themes.set(themes[:1])
            pool.append(action.pk)
        moderators.append((user.pk, session_cookie(user), pool))

    published = list(Action.objects.published().order_by("?").values_list("id", flat=True)[:2000])
    action_pages = {a.pk: a.get_absolute_url() for a in Action.objects.filter(pk__in=published).only("pk", "title")}
    action_urls = list(action_pages.values())
    organisations = (Organisation.objects.annotate(n=Count("actions")).filter(n__gt=0).order_by("?")[:100])
    return Cast(
        members=members, jurors=jurors, moderators=moderators, action_urls=action_urls, action_ids=published,
        action_pages=action_pages,
        organisation_urls=[o.get_absolute_url() for o in organisations], sector_ids=sectors, theme_ids=themes,
        criteria=criteria, campaign_slug=campaign_slug,
    )


def test_image(width: int = 1600, height: int = 1200) -> bytes:
    """A JPEG big enough that its processing takes a moment (the window for the kill)."""
    from PIL import Image  # noqa: PLC0415

    noise = Image.effect_noise((width // 4, height // 4), 80).resize((width, height))
    image = Image.merge("RGB", [noise, noise.rotate(90), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- The ledger: every answer, and every write the site acknowledged -------------------------


@dataclass
class Ledger:
    answers: Counter = field(default_factory=Counter)  # (kind, status) → n
    server_errors: list = field(default_factory=list)  # (phase, kind, status, error, body excerpt)
    likes: set = field(default_factory=set)  # (user id, action id)
    drafts: dict = field(default_factory=dict)  # action id → title
    submissions: dict = field(default_factory=dict)  # (user id, form key) → (title, with image)
    moderations: set = field(default_factory=set)  # action ids published
    scores: dict = field(default_factory=dict)  # (juror user id, action id) → {criterion: value}
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, phase: str, kind: str, answer: Answer) -> None:
        with self.lock:
            self.answers[(phase, kind, answer.status)] += 1
            if answer.status is None or answer.status >= 500:
                self.server_errors.append((phase, kind, answer.status, answer.error, answer.body[:300]))


class Actor:
    """One connection's user doing one kind of work in a loop."""

    def __init__(self, *, phase, port, ledger, cast, rng):
        self.phase, self.port, self.ledger, self.cast, self.rng = phase, port, ledger, cast, rng
        self.answers: list[tuple[float, float, int | None, str, str]] = []  # started, ended, status, kind, marker

    def record(self, kind: str, answer: Answer) -> Answer:
        self.ledger.note(self.phase, kind, answer)
        marker = ""
        if answer.status == 503:
            friendly = "data-unavailable" in answer.body and "Traceback" not in answer.body
            marker = "friendly" if friendly and answer.headers.get("retry-after") else "unfriendly"
        self.answers.append((answer.started, answer.ended, answer.status, kind, marker))
        return answer

    def browse(self, browser: Browser) -> None:
        cast, rng = self.cast, self.rng
        path = rng.choice(["/fi/", "/fi/actions/", rng.choice(cast.action_urls), rng.choice(cast.organisation_urls),
                           f"/fi/actions/?sector={rng.choice(cast.sector_ids)}", "/fi/statistics/"])
        self.record("browse", browser.get(path))

    def search(self, browser: Browser) -> None:
        self.record("search", browser.get("/fi/actions/?q=" + quote(self.rng.choice(SEARCH_WORDS))))


class MemberActor(Actor):
    def __init__(self, member: Member, image: bytes, **kwargs):
        super().__init__(**kwargs)
        self.member = member
        self.image = image
        self.browser = Browser(self.port, member.cookie)
        self.anonymous = Browser(self.port)

    def step(self) -> None:
        choice = self.rng.random()
        if choice < 0.25:
            self.browse(self.browser)
        elif choice < 0.4:
            self.browse(self.anonymous)
        elif choice < 0.55:
            self.search(self.rng.choice([self.browser, self.anonymous]))
        elif choice < 0.72:
            self.like()
        elif choice < 0.86:
            self.draft()
        else:
            self.submit(with_image=self.rng.random() < 0.5)

    def like(self) -> None:
        action_id = self.rng.choice(self.cast.action_ids)
        page = self.record("like-page", self.browser.get(self.cast.action_pages[action_id]))
        token = self.browser.cookies.get("csrftoken") or csrf_token(page.body)
        answer = self.record("like", self.browser.post(
            f"/fi/actions/{action_id}/like/", {"csrfmiddlewaretoken": token}, headers={"Accept": "application/json"}))
        if answer.status == 200 and '"liked": true' in answer.body:
            self.ledger.likes.add((self.member.user_id, action_id))

    def new_form(self, browser: Browser | None = None) -> tuple[str, str] | None:
        page = self.record("form-page", (browser or self.browser).get("/fi/actions/new/"))
        if page.status != 200:
            return None
        return csrf_token(page.body), form_key(page.body)

    def form_data(self, token: str, key: str, intent: str, title: str) -> dict:
        data = {"csrfmiddlewaretoken": token, "form_key": key, "intent": intent, "title": title, "language": "fi",
                "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0", "links-TOTAL_FORMS": "0",
                "links-INITIAL_FORMS": "0"}
        if intent == "submit":
            data.update({
                "summary": "Soak-testin teko: etävastaanotto säästää perheiden aikaa.",
                "need": "Perheet ajoivat pitkiä matkoja neuvolaan.",
                "solution": "Otimme käyttöön videovastaanoton.",
                "results": "Käyntejä 300 kuukaudessa.", "stage": "piloting", "sectors": [self.cast.sector_ids[0]],
                "themes": [self.cast.theme_ids[0]], "organisation": self.member.organisation_id,
                "consent_to_publish": "on",
            })
        return data

    def image_fields(self, data: dict) -> dict:
        data["new_image-alt_text"] = "Testikuva: kohinaa kolmessa värissä"
        return {"new_image-image": ("kuva.jpg", "image/jpeg", self.image)}

    def draft(self) -> None:
        form = self.new_form()
        if form is None:
            return
        title = f"Soak draft {uuid.uuid4().hex}"
        answer = self.record("draft", self.browser.post("/fi/actions/new/", self.form_data(*form, "draft", title)))
        match = answer.status == 302 and EDIT_URL.search(answer.location)
        if match:
            self.ledger.drafts[int(match.group(1))] = title

    def submit(self, *, with_image: bool) -> Answer | None:
        form = self.new_form()
        if form is None:
            return None
        title = f"Soak submission {uuid.uuid4().hex}"
        data = self.form_data(*form, "submit", title)
        files = self.image_fields(data) if with_image else None
        answer = self.record("submit", self.browser.post("/fi/actions/new/", data, files))
        if answer.status == 302 and answer.location.endswith("/fi/my/actions/"):
            self.ledger.submissions[(self.member.user_id, form[1])] = (title, with_image)
        return answer


class JurorActor(Actor):
    def __init__(self, seat: JurorSeat, **kwargs):
        super().__init__(**kwargs)
        self.seat = seat
        self.browser = Browser(self.port, seat.cookie)

    def step(self) -> None:
        if self.rng.random() < 0.3 or not self.seat.action_ids:
            self.browse(self.browser)
        else:
            self.score(self.rng.choice(self.seat.action_ids))

    def score(self, action_id: int, values: dict | None = None) -> Answer:
        base = f"/fi/campaigns/{self.cast.campaign_slug}/jury/{action_id}/"
        page = self.record("jury-page", self.browser.get(base))
        values = values or {pk: self.rng.randint(low, high) for pk, low, high in self.cast.criteria}
        data = {f"criterion_{pk}": value for pk, value in values.items()}
        data["csrfmiddlewaretoken"] = csrf_token(page.body) or self.browser.cookies.get("csrftoken", "")
        data["comment"] = f"soak {uuid.uuid4().hex[:6]}"
        answer = self.record("score", self.browser.post(base, data, headers={"Accept": "application/json"}))
        if answer.status == 200 and '"saved": true' in answer.body:
            self.ledger.scores[(self.seat.user_id, action_id)] = values
        return answer


class ModeratorActor(Actor):
    def __init__(self, moderator, **kwargs):
        super().__init__(**kwargs)
        self.user_id, cookie, self.pool = moderator
        self.browser = Browser(self.port, cookie)

    def step(self) -> None:
        if self.rng.random() < 0.3 or not self.pool:
            self.record("admin-list", self.browser.get("/admin/arena/action/?status__exact=submitted"))
            return
        action_id = self.pool.pop()
        path = f"/admin/arena/action/{action_id}/moderate/publish/"
        page = self.record("moderate-page", self.browser.get(path))
        answer = self.record("moderate", self.browser.post(path, {"csrfmiddlewaretoken": csrf_token(page.body),
                                                                  "message": ""}))
        if answer.status == 302 and answer.location.endswith(f"/admin/arena/action/{action_id}/change/"):
            self.ledger.moderations.add(action_id)
        elif answer.status != 302:
            self.pool.insert(0, action_id)  # try again later (e.g. while the database was down)


def make_actors(*, phase, port, ledger, cast, image, connections, seed) -> list[Actor]:
    common = {"phase": phase, "port": port, "ledger": ledger, "cast": cast}
    actors: list[Actor] = []
    for index, moderator in enumerate(cast.moderators):
        actors.append(ModeratorActor(moderator, rng=random.Random(seed + index), **common))
    for index, seat in enumerate(cast.jurors):
        actors.append(JurorActor(seat, rng=random.Random(seed + 100 + index), **common))
    for index, member in enumerate(cast.members[: connections - len(actors)]):
        actors.append(MemberActor(member, image, rng=random.Random(seed + 1000 + index), **common))
    return actors[:connections]


def run_actors(actors: list[Actor], seconds: float) -> float:
    deadline = time.monotonic() + seconds

    def loop(actor: Actor) -> None:
        while time.monotonic() < deadline:
            try:
                actor.step()
            except Exception as error:  # noqa: BLE001 (a client bug is reported, not silently lost)
                actor.ledger.note(actor.phase, "client-error", Answer(None, error=f"{type(error).__name__}: {error}"))
                time.sleep(0.2)

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(actor,), daemon=True) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


# --- The checks -------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    passed: bool
    figures: str


def verify_writes(ledger: Ledger) -> tuple[dict, dict]:
    """(acknowledged, missing) per kind of write, checked in the database."""
    from arena.models import Action, ActionImage, Like  # noqa: PLC0415
    from campaigns.models import Score  # noqa: PLC0415

    acknowledged, missing = {}, {}
    users = {user for user, _ in ledger.likes}
    present = set(Like.objects.filter(user_id__in=users).values_list("user_id", "action_id"))
    acknowledged["likes"], missing["likes"] = len(ledger.likes), len(ledger.likes - present)

    drafts = dict(Action.objects.filter(pk__in=list(ledger.drafts)).values_list("pk", "title"))
    acknowledged["drafts"] = len(ledger.drafts)
    missing["drafts"] = sum(1 for pk, title in ledger.drafts.items() if drafts.get(pk) != title)

    keys = [key for _user, key in ledger.submissions]
    rows = defaultdict(list)
    for author, key, status, pk, title in Action.objects.filter(form_key__in=keys).values_list(
            "author_id", "form_key", "status", "pk", "title"):
        rows[(author, str(key))].append((status, pk, title))
    with_images = Counter(ActionImage.objects.filter(action__form_key__in=keys).values_list("action_id", flat=True))
    lost = 0
    for user_key, (title, with_image) in ledger.submissions.items():
        found = rows.get(user_key, [])
        if (len(found) != 1 or found[0][0] == "draft" or found[0][2] != title
                or (with_image and with_images.get(found[0][1], 0) != 1)):
            lost += 1
    acknowledged["submissions"], missing["submissions"] = len(ledger.submissions), lost

    published = set(Action.objects.filter(pk__in=list(ledger.moderations), status="published")
                    .values_list("pk", flat=True))
    acknowledged["moderations"], missing["moderations"] = len(ledger.moderations), len(ledger.moderations - published)

    saved = defaultdict(dict)
    jurors = {user for user, _ in ledger.scores}
    for user, action, criterion, value in Score.objects.filter(review__juror__user_id__in=jurors).values_list(
            "review__juror__user_id", "review__action_id", "criterion_id", "value"):
        saved[(user, action)][criterion] = value
    acknowledged["score sets"] = len(ledger.scores)
    missing["score sets"] = sum(1 for key, values in ledger.scores.items() if saved.get(key) != values)
    return acknowledged, missing


def like_counters_off() -> int:
    """Actions whose like counter differs from their like rows."""
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM arena_action a LEFT JOIN (SELECT action_id, count(*) n FROM arena_like "
            "GROUP BY action_id) l ON l.action_id = a.id WHERE a.like_count <> coalesce(l.n, 0)"
        )
        return cursor.fetchone()[0]


def phase_load(*, port, ledger, cast, image, connections, seconds) -> Check:
    say(f"1. mixed load: {connections} connections for {seconds:g} s")
    actors = make_actors(phase="load", port=port, ledger=ledger, cast=cast, image=image, connections=connections,
                         seed=1)
    elapsed = run_actors(actors, seconds)
    total = sum(n for (phase, _kind, _status), n in ledger.answers.items() if phase == "load")
    errors = [e for e in ledger.server_errors if e[0] == "load"]
    kinds = Counter()
    for (phase, kind, _status), n in ledger.answers.items():
        if phase == "load":
            kinds[kind] += n
    acknowledged, missing = verify_writes(ledger)
    lost = sum(missing.values())
    durations = sorted(ended - begun for actor in actors for begun, ended, *_rest in actor.answers)
    p50, p95 = (durations[int(q * (len(durations) - 1))] if durations else 0 for q in (0.5, 0.95))
    figures = (f"{total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s, p50 {p50:.1f} s, p95 {p95:.1f} s; "
               + ", ".join(f"{kind} {n}" for kind, n in kinds.most_common()) + f"); server errors {len(errors)}; "
               "acknowledged writes " + ", ".join(f"{kind} {n}" for kind, n in acknowledged.items())
               + f"; lost {lost}")
    for error in errors[:5]:
        say(f"   server error: {error}")
    return Check(f"{seconds:g} s mixed load at {connections} connections", not errors and lost == 0, figures)


def gunicorn_workers(master: int) -> list[int]:
    done = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in done.stdout.split()]


def wait_for_workers(master: int, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(gunicorn_workers(master)) < count:
        time.sleep(0.2)


def phase_kill(*, port, ledger, cast, image, server, workers) -> Check:
    from arena import services  # noqa: PLC0415
    from arena.models import Action  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    say("2. submissions with images while a gunicorn worker is killed with SIGKILL")
    burst_members = cast.members[-24:]
    sent, cut, retried, retried_ok, rounds, killed = [], [], 0, 0, 0, []
    while rounds < 4 and not cut:
        rounds += 1
        actors = [MemberActor(member, image, phase="kill", port=port, ledger=ledger, cast=cast,
                              rng=random.Random(500 + rounds * 100 + i)) for i, member in enumerate(burst_members)]
        prepared = []
        for actor in actors:
            form = actor.new_form()
            if form is None:
                continue
            title = f"Soak kill {uuid.uuid4().hex}"
            data = actor.form_data(*form, "submit", title)
            prepared.append((actor, data, actor.image_fields(data), title, form[1]))
        barrier = threading.Barrier(len(prepared) + 1)
        answers: dict[int, Answer] = {}

        def send(index, actor, data, files):
            actor.browser.close()  # a new connection each: a cut one then means the kill, never a stale one
            barrier.wait()
            answers[index] = actor.browser.post("/fi/actions/new/", data, files)

        threads = [threading.Thread(target=send, args=(i, p[0], p[1], p[2])) for i, p in enumerate(prepared)]
        for thread in threads:
            thread.start()
        barrier.wait()
        time.sleep(0.6 + 0.2 * rounds)  # the workers are busy re-encoding images by now
        victims = gunicorn_workers(server.pid)
        if victims:
            victim = random.Random(rounds).choice(victims)
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        for thread in threads:
            thread.join()
        for index, (actor, data, files, title, key) in enumerate(prepared):
            answer = answers[index]
            ledger.note("kill", "submit", answer)
            sent.append((actor, data, files, title, key, answer))
            if answer.status == 302:
                ledger.submissions[(actor.member.user_id, key)] = (title, True)
            elif answer.status is None:
                cut.append(index)
        wait_for_workers(server.pid, workers)
    # The users whose page never answered send the same form again.
    for actor, data, files, title, key, answer in sent:
        if answer.status == 302:
            continue
        retried += 1
        actor.browser.close()
        again = actor.browser.post("/fi/actions/new/", data, files)
        ledger.note("kill", "retry", again)
        if again.status == 302 and again.location.endswith("/fi/my/actions/"):
            retried_ok += 1
            ledger.submissions[(actor.member.user_id, key)] = (title, True)
    # Every form of the burst: one action or none, each complete with its image and files.
    connection.close()
    keys = [key for *_rest, key, _answer in sent]
    per_key = Counter(str(k) for k in Action.objects.filter(form_key__in=keys).values_list("form_key", flat=True))
    duplicates = sum(1 for n in per_key.values() if n > 1)
    half_saved, missing_files = 0, 0
    for action in Action.objects.filter(form_key__in=keys).prefetch_related("images"):
        images = list(action.images.all())
        if action.status != "submitted" or len(images) != 1:
            half_saved += 1
        for image in images:
            for file in (image.image, image.thumb_small, image.thumb_small_jpeg, image.thumb_large,
                         image.thumb_large_jpeg):
                if not file or not (Path(settings.MEDIA_ROOT) / file.name).exists():
                    missing_files += 1
    unanswered = sum(1 for key in keys if per_key.get(str(key), 0) == 0)
    orphans = services.image_files_orphaned(older_than=datetime.timedelta(0), now=timezone.now())
    swept = services.image_files_delete_orphans(older_than=datetime.timedelta(0), now=timezone.now())
    left = services.image_files_orphaned(older_than=datetime.timedelta(0), now=timezone.now())
    errors = [e for e in ledger.server_errors if e[0] == "kill" and e[2] is not None]
    passed = (bool(cut) and retried_ok == retried and duplicates == 0 and half_saved == 0 and missing_files == 0
              and unanswered == 0 and not left and not errors)
    figures = (f"{len(sent)} submissions with a 1600×1200 JPEG in {rounds} burst(s), worker(s) {killed} killed; "
               f"{len(cut)} requests cut off; retries {retried_ok}/{retried} succeeded; actions per form: "
               f"{dict(Counter(per_key.values()))}, forms without an action {unanswered}; half-saved {half_saved}; "
               f"referenced files missing {missing_files}; orphaned files {len(orphans)} (swept {len(swept)}, "
               f"left {len(left)}); 5xx {len(errors)}")
    return Check("worker killed (SIGKILL) during submissions with images", passed, figures)


@dataclass
class Outage:
    """What the readers and writers saw while a service was stopped and started under load."""

    down: float
    answers: list
    unavailable: list
    unfriendly: list
    other_errors: list
    recovery: float
    healthy_after: int
    passed: bool

    def figures(self, name: str) -> str:
        return (f"{name} down {self.down:.1f} s; {len(self.answers)} requests, {len(self.unavailable)} answered "
                f"503 ({len(self.unfriendly)} without the friendly page or Retry-After), other 5xx or no answer "
                f"{len(self.other_errors)}; last 503 {self.recovery:.1f} s after {name} was back (limit "
                f"{RECOVERY_LIMIT:g} s); {self.healthy_after} good answers after that")


def outage_under_load(actors, *, stop, start, down_seconds) -> Outage:
    """Run the actors while `stop()` and, `down_seconds` later, `start()` are called from another thread.
    Passed: some 503s, all friendly, no other 5xx, none later than RECOVERY_LIMIT after the start."""
    times = {}

    def restart():
        time.sleep(6)
        stop()
        times["stopped"] = time.monotonic()
        time.sleep(down_seconds)
        times["start"] = time.monotonic()
        start()
        times["up"] = time.monotonic()

    controller = threading.Thread(target=restart)
    controller.start()
    run_actors(actors, 6 + down_seconds + 14)
    controller.join()
    answers = [answer for actor in actors for answer in actor.answers]
    unavailable = [a for a in answers if a[2] == 503]
    unfriendly = [a for a in unavailable if a[4] != "friendly"]
    other_errors = [a for a in answers if a[2] is None or (a[2] >= 500 and a[2] != 503)]
    up = times["up"]
    recovery = max((a[1] - up for a in unavailable if a[1] > up), default=0.0)
    after = [a for a in answers if a[0] > up + RECOVERY_LIMIT]
    healthy_after = sum(1 for a in after if a[2] is not None and a[2] < 500)
    passed = (bool(unavailable) and not unfriendly and not other_errors and recovery <= RECOVERY_LIMIT
              and healthy_after > 0 and not [a for a in after if a[2] == 503])
    return Outage(times["start"] - times["stopped"], answers, unavailable, unfriendly, other_errors, recovery,
                  healthy_after, passed)


def phase_restart(*, port, ledger, cast, image, connections, server, down_seconds) -> Check:
    from django.db import connection  # noqa: PLC0415

    say(f"3. PostgreSQL stopped for {down_seconds:g} s and started again, under load")
    connection.close()
    actors = make_actors(phase="restart", port=port, ledger=ledger, cast=cast, image=image,
                         connections=connections, seed=7)
    outage = outage_under_load(actors, stop=lambda: database_stop(server), start=lambda: database_start(server),
                               down_seconds=down_seconds)
    return Check("PostgreSQL restarted under load", outage.passed, outage.figures("the database"))


def sessions_lost(*, port, cast) -> int:
    """Members whose session no longer logs them in (the new-action form sends them to the login)."""
    lost = 0
    for member in cast.members:
        browser = Browser(port, member.cookie)
        try:
            answer = browser.get("/fi/actions/new/")
        finally:
            browser.close()
        if answer.status != 200:
            lost += 1
    return lost


def phase_redis(*, port, ledger, cast, image, connections, redis_server, down_seconds) -> Check:
    say(f"4. Redis stopped for {down_seconds:g} s and started again (empty), under load")
    actors = make_actors(phase="redis", port=port, ledger=ledger, cast=cast, image=image,
                         connections=connections, seed=11)
    outage = outage_under_load(actors, stop=redis_server.stop, start=redis_server.start, down_seconds=down_seconds)
    lost = sessions_lost(port=port, cast=cast)
    return Check("Redis restarted under load", outage.passed and lost == 0,
                 f"{outage.figures('Redis')}; sessions lost {lost} of {len(cast.members)}")


def phase_doubles(*, port, ledger, cast, image) -> Check:
    """Double submissions over HTTP: a replayed POST, a double click, two tabs, a double like and score."""
    from django.db import connection  # noqa: PLC0415

    from arena.models import Action, Like, Transition  # noqa: PLC0415
    from campaigns.models import Review, Score  # noqa: PLC0415

    say("5. double submissions")
    connection.close()
    common = {"phase": "double", "port": port, "ledger": ledger, "cast": cast}
    members = cast.members[-40:-24]
    results = {}

    def twice(send):
        """Send the same request from two threads at once."""
        barrier = threading.Barrier(2)
        out = [None, None]

        def one(index):
            barrier.wait()
            out[index] = send(index)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return out

    # A replayed POST (the browser's "resend", or a retry after a lost answer): draft, then the same again.
    actor = MemberActor(members[0], image, rng=random.Random(1), **common)
    token, key = actor.new_form()
    data = actor.form_data(token, key, "draft", f"Soak replay {uuid.uuid4().hex}")
    first, second = (actor.browser.post("/fi/actions/new/", data) for _ in range(2))
    results["replayed POST"] = (Action.objects.filter(form_key=key).count(), [first.status, second.status])

    # A double click on "send for moderation" of a new action with an image: two POSTs at once.
    actor = MemberActor(members[1], image, rng=random.Random(2), **common)
    token, key = actor.new_form()
    data = actor.form_data(token, key, "submit", f"Soak double click {uuid.uuid4().hex}")
    files = actor.image_fields(data)
    browsers = [Browser(port, actor.browser.cookies), Browser(port, actor.browser.cookies)]
    answers = twice(lambda i: browsers[i].post("/fi/actions/new/", data, files))
    created = list(Action.objects.filter(form_key=key))
    transitions = Transition.objects.filter(action__in=created, to_status="submitted").count()
    images = sum(a.images.count() for a in created)
    results["double click"] = (len(created), transitions, images, [a.status for a in answers])

    # Two tabs with the same draft's edit page, both sending it for moderation.
    actor = MemberActor(members[2], image, rng=random.Random(3), **common)
    token, key = actor.new_form()
    draft = actor.browser.post("/fi/actions/new/",
                               actor.form_data(token, key, "draft", f"Soak tabs {uuid.uuid4().hex}"))
    pk = int(EDIT_URL.search(draft.location).group(1))
    tabs = [Browser(port, actor.browser.cookies), Browser(port, actor.browser.cookies)]
    pages = [tab.get(f"/fi/actions/{pk}/edit/") for tab in tabs]
    forms = []
    for page in pages:
        form = actor.form_data(csrf_token(page.body), "", "submit", f"Soak tabs {pk}")
        del form["form_key"]
        forms.append(form)
    answers = twice(lambda i: tabs[i].post(f"/fi/actions/{pk}/edit/", forms[i]))
    results["two tabs"] = (Transition.objects.filter(action_id=pk, to_status="submitted").count(),
                           [a.status for a in answers])

    # A double like.
    liker = MemberActor(members[3], image, rng=random.Random(4), **common)
    liked = Like.objects.values_list("action_id", flat=True).filter(user_id=members[3].user_id)
    action_id = next(pk for pk in cast.action_ids if pk not in set(liked))
    before = Action.objects.get(pk=action_id).like_count
    liker.browser.get(cast.action_pages[action_id])
    token = liker.browser.cookies.get("csrftoken", "")
    double = [Browser(port, liker.browser.cookies), Browser(port, liker.browser.cookies)]
    answers = twice(lambda i: double[i].post(f"/fi/actions/{action_id}/like/", {"csrfmiddlewaretoken": token},
                                             headers={"Accept": "application/json"}))
    likes = Like.objects.filter(user_id=members[3].user_id, action_id=action_id).count()
    counter = Action.objects.get(pk=action_id).like_count - before
    if all(a.status == 200 for a in answers):
        ledger.likes.add((members[3].user_id, action_id))
    results["double like"] = (likes, counter, [a.status for a in answers])

    # A double score: the same score set posted twice at once.
    seat = cast.jurors[0]
    juror = JurorActor(seat, rng=random.Random(5), **common)
    action_id = seat.action_ids[-1]
    values = {pk: high for pk, _low, high in cast.criteria}
    page = juror.browser.get(f"/fi/campaigns/{cast.campaign_slug}/jury/{action_id}/")
    data = {f"criterion_{pk}": v for pk, v in values.items()} | {"comment": "kahdesti",
                                                                 "csrfmiddlewaretoken": csrf_token(page.body)}
    pair = [Browser(port, juror.browser.cookies), Browser(port, juror.browser.cookies)]
    base = f"/fi/campaigns/{cast.campaign_slug}/jury/{action_id}/"
    answers = twice(lambda i: pair[i].post(base, data, headers={"Accept": "application/json"}))
    reviews = Review.objects.filter(juror__user_id=seat.user_id, action_id=action_id).count()
    scores = Score.objects.filter(review__juror__user_id=seat.user_id, review__action_id=action_id).count()
    if all(a.status == 200 for a in answers):
        ledger.scores[(seat.user_id, action_id)] = values
    results["double score"] = (reviews, scores, [a.status for a in answers])

    passed = (results["replayed POST"][0] == 1 and results["double click"][:3] == (1, 1, 1)
              and results["two tabs"][0] == 1 and results["double like"][:2] == (1, 1)
              and results["double score"][:2] == (1, len(cast.criteria))
              and all(status in (200, 302) for value in results.values() for status in value[-1]))
    figures = (f"replayed POST: {results['replayed POST'][0]} action; double click on send (with image): "
               f"{results['double click'][0]} action, {results['double click'][1]} submission, "
               f"{results['double click'][2]} image; two tabs sending one draft: {results['two tabs'][0]} submission; "
               f"double like: {results['double like'][0]} like, counter +{results['double like'][1]}; double score: "
               f"{results['double score'][0]} review, {results['double score'][1]} scores "
               f"({len(cast.criteria)} criteria); answers " + ", ".join(
                   f"{name} {value[-1]}" for name, value in results.items()))
    return Check("double submissions", passed, figures)


# --- The report -------------------------------------------------------------------------------


def render(checks: list[Check], *, args, counts: dict, started: float, reused: bool, workers: int,
           threads: int) -> str:
    from .report import COUNT_ORDER, _git_commit, _machine, load_average  # noqa: PLC0415

    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Soak test",
        "",
        f"- When: {now}; commit {_git_commit()}; took {time.monotonic() - started:.0f} s",
        f"- Machine: {os.cpu_count()} cores; {_machine()}; load average {load_average()} at the end",
        f"- Dataset (scale {args.scale:g}, {'reused' if reused else 'seeded now'}): "
        + ", ".join(f"{counts[key]} {key}" for key in COUNT_ORDER if key in counts)
        + " (plus what earlier soak runs wrote)",
        f"- Server: gunicorn `arena.wsgi:application --preload --workers {workers} --worker-class gthread "
        f"--threads {threads}` on 127.0.0.1, settings `bench.settings`, DEBUG off; PostgreSQL 16 (pgserver) "
        "under var/soak-postgres; the cache and sessions on a redis-server of the soak's own (RedisCache, "
        "cached_db)",
        f"- Load: {args.connections} client threads (keep-alive connections) with real sessions and CSRF "
        "tokens; moderators publish in the admin, jurors score, members browse, search, like, save drafts "
        "and submit (half of them with an image)",
        "",
        "| check | result | figures |",
        "|---|---|---|",
    ]
    for check in checks:
        lines.append(f"| {check.name} | {'PASS' if check.passed else '**FAIL**'} | {check.figures} |")
    return "\n".join(lines) + "\n"


def prepare_environment() -> None:
    bench_main.prepare_environment(SOAK_VAR)
    os.environ.setdefault("CONN_MAX_AGE", "60")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    prepare_environment()
    SOAK_VAR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if redis_server_binary() is None:
        sys.exit("bench.soak needs redis-server or valkey-server (apt-get install redis-server): it stops and "
                 "starts it")
    with soak_database(args.reset) as server, RedisServer(SOAK_VAR / "redis") as redis_server:
        os.environ["DATABASE_URL"] = server.get_uri()
        os.environ["REDIS_URL"] = redis_server.url
        import django  # noqa: PLC0415

        django.setup()
        logging.getLogger("pgserver").setLevel(logging.WARNING)  # its pg_ctl calls are logged at INFO
        from django.core.management import call_command  # noqa: PLC0415
        from django.db import connection  # noqa: PLC0415

        from . import run, seed  # noqa: PLC0415

        say("migrating the soak database")
        call_command("migrate", "--no-input", verbosity=0)
        say(f"seeding at scale {args.scale:g} (reused when already there)")
        try:
            result = seed.seed(scale=args.scale, real_organisations=False, log=say)
        except seed.DatasetMismatch as error:
            sys.exit(f"bench.soak: {error} (python -m bench.soak --reset)")
        call_command("compile_translations", verbosity=0)
        call_command("collectstatic", "--no-input", verbosity=0)
        say("preparing sessions, moderation queues and an open jury")
        cast = build_cast(connections=args.connections, campaign_slug=seed.CAMPAIGN_SLUG)
        image = test_image()
        connection.close()

        port = run.free_port()
        log_path = SOAK_VAR / "gunicorn.log"
        say(f"starting gunicorn on 127.0.0.1:{port} ({args.workers} workers × {args.threads} threads)")
        gunicorn = run.start_server(port, args.workers, args.threads, log_path)
        ledger = Ledger()
        checks = []
        try:
            warm = make_actors(phase="warm-up", port=port, ledger=Ledger(), cast=cast, image=image,
                               connections=args.workers * args.threads, seed=99)
            run_actors(warm, 5)
            checks.append(phase_load(port=port, ledger=ledger, cast=cast, image=image,
                                     connections=args.connections, seconds=args.seconds))
            checks.append(phase_attack(port=port, ledger=ledger, cast=cast, image=image,
                                       connections=min(args.connections, 16), seconds=min(args.seconds, 30),
                                       make_actors=make_actors, run_actors=run_actors, check_type=Check))
            checks.append(phase_kill(port=port, ledger=ledger, cast=cast, image=image, server=gunicorn,
                                     workers=args.workers))
            checks.append(phase_restart(port=port, ledger=ledger, cast=cast, image=image,
                                        connections=args.connections, server=server,
                                        down_seconds=args.down_seconds))
            checks.append(phase_redis(port=port, ledger=ledger, cast=cast, image=image,
                                      connections=args.connections, redis_server=redis_server,
                                      down_seconds=args.down_seconds))
            checks.append(phase_doubles(port=port, ledger=ledger, cast=cast, image=image))
        finally:
            run.stop_server(gunicorn)
        connection.close()
        acknowledged, missing = verify_writes(ledger)
        off = like_counters_off()
        checks.append(Check(
            "no acknowledged write lost (all phases)", sum(missing.values()) == 0 and off == 0,
            ", ".join(f"{kind} {acknowledged[kind]} acknowledged / {missing[kind]} missing" for kind in acknowledged)
            + f"; like counters that differ from the like rows: {off}",
        ))
        report = render(checks, args=args, counts=result.counts, started=started, reused=result.reused,
                        workers=args.workers, threads=args.threads)
    print(report)
    (SOAK_VAR / "report.md").write_text(report, encoding="utf-8")
    passed = all(check.passed for check in checks)
    if passed and args.seconds >= 60 and args.connections >= 64:
        RESULTS.write_text(report, encoding="utf-8")
        say(f"written to {RESULTS.relative_to(BASE_DIR)} and var/soak/report.md")
    if not passed:
        for phase in ("load", "attack", "kill", "restart", "redis", "double"):
            for error in [e for e in ledger.server_errors if e[0] == phase][:5]:
                say(f"server error: {error}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
