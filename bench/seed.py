"""Seed the benchmark dataset: 100 000 published actions and everything around them (at scale 1).

Rows are generated in Python, deterministically, and written with PostgreSQL's COPY
(psycopg 3 `cursor.copy()`); the whole dataset is one transaction that ends by
writing a marker row, so a database either holds a complete dataset or none, and a
second run finds the marker and reuses the data.

Call `seed(scale=…)` with Django set up against the benchmark database.
"""

from __future__ import annotations

import datetime
import importlib
import json
import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.utils import timezone

from arena.models import Action, ActionImage, Adoption, Like, Sector, Theme
from orgs.models import EmployeeCount, Membership, Organisation, Region, User

from . import texts
from .guard import MARKER_TABLE

SEED_VERSION = 1
RANDOM_SEED = 20_261_123
CAMPAIGN_SLUG = "bench-campaign"
STAFF_EMAIL = "bench-staff@example.org"
IMAGES_DIR = "actions/bench"
IMAGE_FILES = 6
GOLDEN = 0.6180339887498949

# What the issue asks for at scale 1.
FULL_SIZE = {
    "actions": 100_000,
    "organisations": 1_000,
    "users": 20_000,
    "likes": 1_000_000,
    "adoptions": 50_000,
    "images": 300_000,
    "eligible": 30_000,
    "jurors": 50,
    "shortlist": 500,
}

# Statistics Finland regions (used only when no reference data has been loaded).
REGIONS = [
    ("01", "Uusimaa", "Nyland"), ("02", "Varsinais-Suomi", "Egentliga Finland"), ("04", "Satakunta", "Satakunta"),
    ("05", "Kanta-Häme", "Egentliga Tavastland"), ("06", "Pirkanmaa", "Birkaland"),
    ("07", "Päijät-Häme", "Päijänne-Tavastland"), ("08", "Kymenlaakso", "Kymmenedalen"),
    ("09", "Etelä-Karjala", "Södra Karelen"), ("10", "Etelä-Savo", "Södra Savolax"),
    ("11", "Pohjois-Savo", "Norra Savolax"), ("12", "Pohjois-Karjala", "Norra Karelen"),
    ("13", "Keski-Suomi", "Mellersta Finland"), ("14", "Etelä-Pohjanmaa", "Södra Österbotten"),
    ("15", "Pohjanmaa", "Österbotten"), ("16", "Keski-Pohjanmaa", "Mellersta Österbotten"),
    ("17", "Pohjois-Pohjanmaa", "Norra Österbotten"), ("18", "Kainuu", "Kajanaland"), ("19", "Lappi", "Lappland"),
    ("21", "Ahvenanmaa", "Åland"),
]

CRITERIA = [
    ("Innostava", "Inspirerande", "Inspiring", Decimal("1")),
    ("Vaikuttava", "Verkningsfull", "Impact", Decimal("1")),
    ("Siirrettävä", "Överförbar", "Transferability", Decimal("2")),
]


class DatasetMismatch(Exception):
    """The database already holds a benchmark dataset made differently (another scale or version)."""


@dataclass(frozen=True)
class Sizes:
    actions: int
    organisations: int
    users: int
    likes: int
    adoptions: int
    images_per_action: int
    eligible: int
    jurors: int
    shortlist: int

    @property
    def images(self) -> int:
        return self.actions * self.images_per_action

    @property
    def likes_per_user(self) -> tuple[int, int]:
        """(likes every user gives, number of users who give one more)."""
        return divmod(self.likes, self.users)


def sizes_for(scale: float) -> Sizes:
    """The dataset at `scale` (1 = what the issue asks for), never too small to be coherent."""
    if scale <= 0:
        raise ValueError("scale must be positive")

    def scaled(key: str, minimum: int) -> int:
        return max(minimum, round(FULL_SIZE[key] * scale))

    actions = scaled("actions", 20)
    users = scaled("users", 20)
    likes = min(scaled("likes", 1), users * actions // 2)  # each user likes distinct actions
    # Finland's municipalities, welfare areas and other public employers number about a thousand
    # however many actions they write: beyond scale 1 only the actions, users and likes grow.
    organisations = min(scaled("organisations", 10), FULL_SIZE["organisations"])
    eligible = min(actions, scaled("eligible", 5))
    return Sizes(
        actions=actions,
        organisations=organisations,
        users=users,
        likes=likes,
        adoptions=min(scaled("adoptions", 1), actions * (organisations - 1) // 2),
        images_per_action=max(1, round(FULL_SIZE["images"] / FULL_SIZE["actions"])),
        eligible=eligible,
        jurors=min(FULL_SIZE["jurors"], users - 1),
        # A jury reads a few hundred entries, like the jurors, whatever the size of the portal.
        shortlist=min(eligible, scaled("shortlist", 5), FULL_SIZE["shortlist"]),
    )


@dataclass
class SeedResult:
    reused: bool
    scale: float
    seconds: float
    seeded_at: str
    counts: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    lemmatised: bool = False


# --- The marker -------------------------------------------------------------------------


def _ensure_marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} ("
            "version integer NOT NULL, scale double precision NOT NULL, seeded_at timestamptz NOT NULL, "
            "seconds double precision NOT NULL, details jsonb NOT NULL)"
        )


def dataset_info() -> SeedResult | None:
    """The dataset this database holds, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT version, scale, seeded_at, seconds, details FROM {MARKER_TABLE} LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return None
    version, scale, seeded_at, seconds, details = row
    details = json.loads(details) if isinstance(details, str) else details
    if version != SEED_VERSION:
        raise DatasetMismatch(f"the benchmark database was seeded by version {version} of the seeding (now "
                              f"{SEED_VERSION}); reset it (python -m bench --reset)")
    return SeedResult(reused=True, scale=scale, seconds=seconds, seeded_at=seeded_at.isoformat(),
                      counts=details.get("counts", {}), steps=details.get("steps", []),
                      notes=details.get("notes", []), lemmatised=details.get("lemmatised", False))


def _write_marker(result: SeedResult) -> None:
    details = {"counts": result.counts, "steps": result.steps, "notes": result.notes,
               "lemmatised": result.lemmatised}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (version, scale, seeded_at, seconds, details) VALUES (%s, %s, %s, %s, %s)",
            [SEED_VERSION, result.scale, result.seeded_at, result.seconds, json.dumps(details)],
        )


# --- Writing rows -------------------------------------------------------------------------


def _constant_columns(model, given: list[str], now: datetime.datetime) -> tuple[list[str], tuple]:
    """The model's other NOT NULL columns with their default values, so that a field added
    later (with a default) does not break the COPY."""
    columns, values = [], []
    for model_field in model._meta.concrete_fields:
        if model_field.column in given or model_field.attname in given:
            continue
        if model_field.primary_key:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value = now
        elif model_field.has_default():
            value = model_field.get_default()
        elif model_field.null:
            continue
        elif model_field.empty_strings_allowed:
            value = ""
        else:
            raise RuntimeError(f"{model.__name__}.{model_field.name} needs a value: teach bench/seed.py about it")
        columns.append(model_field.column)
        values.append(model_field.get_db_prep_save(value, connection))
    return columns, tuple(values)


def copy_rows(model, columns: list[str], rows: Iterable[tuple], *, now: datetime.datetime,
              table: str | None = None, extra: list[str] | None = None) -> int:
    """COPY rows into the model's table (or `table`, e.g. a staging table). Returns the number of rows."""
    more, constants = _constant_columns(model, columns, now)
    all_columns = [*columns, *more, *(extra or [])]
    names = ", ".join(connection.ops.quote_name(name) for name in all_columns)
    target = connection.ops.quote_name(table or model._meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            if extra:
                width = len(columns)
                for row in rows:
                    copy.write_row(row[:width] + constants + row[width:])
                    count += 1
            else:
                for row in rows:
                    copy.write_row(row + constants)
                    count += 1
    return count


def allocate_ids(model, count: int) -> list[int]:
    """Take `count` ids from the table's sequence, so rows can refer to each other before they exist."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


BULK_TABLES = [Action, Like, Adoption, ActionImage, Action.sectors.through, Action.themes.through, Membership]


class BulkLoad:
    """What makes a bulk load fast, undone when it ends: the tables' plain indexes are dropped and
    built again afterwards (one sort instead of a million inserts, GIN included), and foreign keys
    are not checked row by row (when the role may: superuser) but verified set-wise at the end."""

    def __init__(self, models: list, log: Callable[[str], None]):
        self.models = models
        self.tables = [model._meta.db_table for model in models]
        self.log = log
        self.definitions: list[str] = []
        self.unchecked = False

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class t ON t.oid = i.indrelid "
                "WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [self.tables],
            )
            found = cursor.fetchall()
            for name, definition in found:
                cursor.execute(f"DROP INDEX {name}")
                self.definitions.append(definition)
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
                self.unchecked = True
            except Exception:  # noqa: BLE001 (not a superuser: rows are checked as usual)
                self.unchecked = False
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False
        started = time.monotonic()
        with connection.cursor() as cursor:
            if self.unchecked:
                cursor.execute("SET LOCAL session_replication_role = origin")
            for definition in self.definitions:
                cursor.execute(definition)
        self.log(f"    {len(self.definitions)} indexes built again in {time.monotonic() - started:.1f} s")
        if self.unchecked:
            started = time.monotonic()
            self.verify_foreign_keys()
            self.log(f"    foreign keys verified in {time.monotonic() - started:.1f} s")
        return False

    def verify_foreign_keys(self) -> None:
        """Every foreign key of the loaded tables points at a row (one anti-join per key)."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in self.models:
                for model_field in model._meta.concrete_fields:
                    if not model_field.is_relation or not model_field.db_constraint:
                        continue
                    target = model_field.target_field
                    cursor.execute(
                        f"SELECT count(*) FROM {quote(model._meta.db_table)} c "
                        f"WHERE c.{quote(model_field.column)} IS NOT NULL AND NOT EXISTS ("
                        f"SELECT 1 FROM {quote(target.model._meta.db_table)} p "
                        f"WHERE p.{quote(target.column)} = c.{quote(model_field.column)})"
                    )
                    dangling = cursor.fetchone()[0]
                    if dangling:
                        raise RuntimeError(f"{dangling} rows of {model._meta.db_table}.{model_field.column} "
                                           "point nowhere")


# --- Search vectors -------------------------------------------------------------------------


def _search_module():
    """The portal's lemmatising search (arena/search.py) when this checkout has it."""
    try:
        return importlib.import_module("arena.search")
    except ImportError:
        return None


PLAIN_VECTOR_SQL = (
    "setweight(to_tsvector('simple', {t}), 'A') || setweight(to_tsvector('simple', {s}), 'B') || "
    "setweight(to_tsvector('simple', {r}), 'C')"
)


class Lemmatiser:
    """Lemmas of a phrase, each phrase computed once (empty without arena/search.py)."""

    def __init__(self):
        self.module = _search_module()
        self.enabled = self.module is not None and hasattr(self.module, "lemma_text")
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, text: str, language: str) -> str:
        if not self.enabled or not text:
            return ""
        key = (text, language)
        if key not in self._cache:
            self._cache[key] = self.module.lemma_text(text, language)
        return self._cache[key]

    def vector_sql(self, t="s.title", tl="s.bench_tl", s="s.summary", sl="s.bench_sl", r="s.rest",
                   rl="s.bench_rl") -> str:
        """The portal's search-vector SQL over the given expressions (title, summary, rest, and lemmas)."""
        template = getattr(self.module, "VECTOR_SQL", None) if self.enabled else None
        if template:
            return template.format(t=t, tl=tl, s=s, sl=sl, r=r, rl=rl)
        return PLAIN_VECTOR_SQL.format(t=t, s=s, r=r)


# --- The steps ------------------------------------------------------------------------------


def _ensure_regions() -> list[int]:
    if not Region.objects.exists():
        Region.objects.bulk_create([
            Region(code=code, name=fi, name_fi=fi, name_sv=sv, name_en=fi) for code, fi, sv in REGIONS
        ])
    return list(Region.objects.order_by("code").values_list("id", flat=True))


def seed_organisations(sizes: Sizes, *, real: bool, now, notes: list) -> list[tuple[int, str]]:
    """The real organisations (when the loader exists) plus generated ones up to the wanted number.

    Returns (id, kind) of every organisation, in id order."""
    if real:
        if "load_organisations" in get_commands():
            call_command("load_organisations", verbosity=0)
        else:
            notes.append("no load_organisations command in this checkout: every organisation is generated")
    regions = _ensure_regions()
    existing = Organisation.objects.count()
    missing = max(0, sizes.organisations - existing)
    if missing:
        ids = allocate_ids(Organisation, missing)
        kinds = list(texts.ORGANISATION_KINDS_FI)
        rows = []
        for index, pk in enumerate(ids):
            kind = kinds[index % len(kinds)]
            name_fi = f"Testi{texts.ORGANISATION_KINDS_FI[kind]} {index + 1}"
            name_sv = f"Testorganisation {index + 1}"
            rows.append((pk, kind, "", name_fi, name_fi, name_sv, name_fi, f"bench-org-{index + 1}",
                         regions[index % len(regions)], True, now, now))
        copy_rows(Organisation, ["id", "kind", "code", "name", "name_fi", "name_sv", "name_en", "slug", "region_id",
                                 "is_active", "created_at", "updated_at"], rows, now=now)
    return list(Organisation.objects.order_by("id").values_list("id", "kind"))


def seed_users(sizes: Sizes, *, organisations: list[tuple[int, str]], now) -> list[int]:
    """User 0 is staff (freezes the results); users 1…jurors are the jurors; everyone else is a member."""
    rng = random.Random(RANDOM_SEED + 1)
    ids = allocate_ids(User, sizes.users)
    rows = []
    for index, pk in enumerate(ids):
        staff = index == 0
        email = STAFF_EMAIL if staff else f"bench-user-{index}@example.org"
        name = f"{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.LAST_NAMES)}"
        language = "sv" if index % 10 == 9 else "fi"
        joined = now - datetime.timedelta(days=rng.randrange(1, 2000))
        rows.append((pk, "!bench-unusable-password", email, name, language, staff, staff, True, joined))
    copy_rows(User, ["id", "password", "email", "full_name", "preferred_language", "is_staff", "is_superuser",
                     "is_active", "date_joined"], rows, now=now)
    memberships = [
        (pk, organisations[index % len(organisations)][0], "admin" if index % 25 == 1 else "member", "confirmed",
         now, now)
        for index, pk in enumerate(ids) if index > 0
    ]
    copy_rows(Membership, ["user_id", "organisation_id", "role", "status", "confirmed_at", "created_at"],
              memberships, now=now)
    return ids


@dataclass
class Period:
    starts_on: datetime.date
    ends_on: datetime.date
    gala_at: datetime.datetime

    @property
    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.starts_on, datetime.time()))

    @property
    def end(self) -> datetime.datetime:
        """The first instant after the period."""
        return timezone.make_aware(datetime.datetime.combine(self.ends_on + datetime.timedelta(days=1),
                                                             datetime.time()))


def campaign_period(now: datetime.datetime) -> Period:
    """A campaign that ended a while ago (its gala is over), whenever the dataset is seeded."""
    today = timezone.localtime(now).date()
    starts_on = today - datetime.timedelta(days=120)
    ends_on = today - datetime.timedelta(days=78)
    gala_at = timezone.make_aware(datetime.datetime.combine(ends_on + datetime.timedelta(days=7),
                                                            datetime.time(18)))
    return Period(starts_on, ends_on, gala_at)


def _submitted_at(ordinal: int, sizes: Sizes, period: Period, now, rng: random.Random) -> datetime.datetime:
    """The first `eligible` ordinals fall inside the campaign period, the others before or after it."""
    if ordinal < sizes.eligible:
        span = (period.end - period.start).total_seconds() - 1
        return period.start + datetime.timedelta(seconds=rng.random() * span)
    if ordinal % 10 == 0:
        span = (now - datetime.timedelta(days=2) - period.end).total_seconds()
        return period.end + datetime.timedelta(seconds=rng.random() * span)
    earliest = period.start - datetime.timedelta(days=6 * 365)
    span = (period.start - earliest).total_seconds() - 1
    return earliest + datetime.timedelta(seconds=rng.random() * span)


def _organisation_of(ordinal: int, count: int) -> int:
    """Index of an action's organisation: skewed, so a few organisations have many actions."""
    fraction = (ordinal * GOLDEN) % 1.0
    return min(count - 1, int(count * fraction ** 1.7))


def _like_targets(likes: int, actions: int, stride: int, rng: random.Random) -> set[int]:
    """Distinct action ordinals one user likes, drawn with a heavy head (x ↦ x²), so a few actions
    are liked by many users, through a fixed permutation so that popularity is not tied to dates."""
    picked: set[int] = set()
    attempts = 0
    while len(picked) < likes and attempts < 20 * likes:
        attempts += 1
        picked.add((int(actions * rng.random() ** 2) * stride) % actions)
    ordinal = 0
    while len(picked) < likes:  # a tiny dataset: fill up evenly
        picked.add((ordinal * stride) % actions)
        ordinal += 1
    return picked


def _coprime_stride(n: int) -> int:
    stride = 7919
    while math.gcd(stride, n) != 1:
        stride += 2
    return stride


@dataclass
class ActionPlan:
    """What later steps need to know about the seeded actions (by ordinal)."""

    ids: list[int]
    organisation_index: list[int]
    submitted_at: list[datetime.datetime]
    published_at: list[datetime.datetime]
    like_count: list[int]
    adoption_count: list[int]
    titles: list[str]


def plan_actions(sizes: Sizes, *, users: list[int], organisations: list[tuple[int, str]], now,
                 period: Period) -> tuple[ActionPlan, list[tuple], list[tuple]]:
    """Dates, organisations, likes and adoptions: everything but the text. Likes and adoptions
    come first so that the actions' counters are written with the actions."""
    rng = random.Random(RANDOM_SEED + 2)
    n = sizes.actions
    ids = allocate_ids(Action, n)
    organisation_index = [_organisation_of(i, len(organisations)) for i in range(n)]
    submitted_at, published_at = [], []
    for i in range(n):
        submitted = _submitted_at(i, sizes, period, now, rng)
        submitted_at.append(submitted)
        published_at.append(max(submitted, min(submitted + datetime.timedelta(hours=rng.randrange(2, 120)),
                                               now - datetime.timedelta(hours=1))))

    like_count = [0] * n
    likes = []
    per_user, extra = sizes.likes_per_user
    stride = _coprime_stride(n)
    for user_index, user_id in enumerate(users):
        count = per_user + (1 if user_index < extra else 0)
        for ordinal in sorted(_like_targets(count, n, stride, rng)):
            like_count[ordinal] += 1
            likes.append((ids[ordinal], user_id))

    adoption_count = [0] * n
    adoptions, seen = [], set()
    members = {}  # organisation index → a user who is a member of it
    for user_index, user_id in enumerate(users[1:], start=1):
        members.setdefault(user_index % len(organisations), user_id)
    while len(adoptions) < sizes.adoptions:
        ordinal = int(n * rng.random() ** 2)
        adopter = rng.randrange(len(organisations))
        if adopter == organisation_index[ordinal] or (ordinal, adopter) in seen:
            continue
        seen.add((ordinal, adopter))
        adoption_count[ordinal] += 1
        adoptions.append((ids[ordinal], organisations[adopter][0], members.get(adopter), "",
                          published_at[ordinal] + datetime.timedelta(days=rng.randrange(1, 60))))
    plan = ActionPlan(ids, organisation_index, submitted_at, published_at, like_count, adoption_count, titles=[])
    return plan, likes, adoptions


def seed_likes(likes: list[tuple[int, int]], *, now) -> None:
    """COPY the (action, user) pairs, in index order, then date each like after its action's publication."""
    likes.sort()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_like_stage")
        cursor.execute("CREATE TEMP TABLE bench_like_stage (action_id bigint, user_id bigint)")
        with cursor.cursor.copy("COPY bench_like_stage (action_id, user_id) FROM STDIN") as copy:
            for row in likes:
                copy.write_row(row)
        more, constants = _constant_columns(Like, ["action_id", "user_id", "created_at"], now)
        if more:
            raise RuntimeError(f"Like has new columns {more}: teach bench/seed.py about them")
        cursor.execute(
            "INSERT INTO arena_like (action_id, user_id, created_at) "
            "SELECT l.action_id, l.user_id, a.published_at + (1 + l.user_id % 97) * interval '1 hour' "
            "FROM bench_like_stage l JOIN arena_action a ON a.id = l.action_id ORDER BY l.action_id, l.user_id"
        )
        cursor.execute("DROP TABLE bench_like_stage")


def _pick(pool: list[str], ordinal: int, slot: int) -> str:
    return pool[(ordinal * (2 * slot + 3) + slot * 7 + ordinal // len(pool)) % len(pool)]


def _sentences(pool: list[str], ordinal: int, slot: int, count: int) -> list[str]:
    return [_pick(pool, ordinal, slot * 5 + k) for k in range(count)]


SUMMARY_VARIANTS = 997  # distinct summaries per language
REST_VARIANTS = 1999  # distinct need/solution/results/tips texts per language


class TextParts:
    """The three weighted parts of an action's text (title A, summary B, the sections C), each
    made once per distinct value with its lemmas, so its search-vector part is computed once."""

    def __init__(self, lemmatise: Lemmatiser):
        self.lemmatise = lemmatise
        self.parts: dict[str, tuple] = {}  # key → (weight, texts, lemmas)

    def _join(self, parts: list[str], language: str) -> tuple[str, str]:
        text = " ".join(part for part in parts if part)
        lemmas = " ".join(lemma for lemma in (self.lemmatise(part, language) for part in parts) if lemma)
        return text, lemmas

    def title(self, ordinal: int, language: str) -> tuple[str, str]:
        subjects, topics = texts.SUBJECTS[language], texts.TOPICS[language]
        subject = subjects[ordinal % len(subjects)]
        topic = topics[(ordinal * 7 + ordinal // len(subjects)) % len(topics)]
        key = f"A:{language}:{subject}:{topic}"
        if key not in self.parts:
            text, lemmas = self._join([subject, topic], language)
            self.parts[key] = ("A", text[:200], lemmas)
        return key, self.parts[key][1]

    def summary(self, ordinal: int, language: str) -> tuple[str, str]:
        variant = ordinal % SUMMARY_VARIANTS
        key = f"B:{language}:{variant}"
        if key not in self.parts:
            text, lemmas = self._join(_sentences(texts.SUMMARIES[language], variant, 0, 2), language)
            self.parts[key] = ("B", text[:300], lemmas)
        return key, self.parts[key][1]

    def sections(self, ordinal: int, language: str) -> tuple[str, dict]:
        variant = ordinal % REST_VARIANTS
        key = f"C:{language}:{variant}"
        if key not in self.parts:
            sections, lemmas = {}, []
            for name, pool, slot, count in (("need", texts.NEEDS, 1, 3), ("solution", texts.SOLUTIONS, 2, 4),
                                             ("results", texts.RESULTS, 3, 3), ("tips", texts.TIPS, 4, 1)):
                sections[name], part_lemmas = self._join(_sentences(pool[language], variant, slot, count), language)
                lemmas.append(part_lemmas)
            self.parts[key] = ("C", sections, " ".join(lemma for lemma in lemmas if lemma))
        return key, self.parts[key][1]

    def vector_rows(self):
        """(key, title, title lemmas, summary, summary lemmas, rest, rest lemmas) with only the part's
        own text filled: the portal's vector SQL then gives exactly that weighted part, and the
        parts concatenated (||) give the vector of the whole action."""
        for key, (weight, text, lemmas) in self.parts.items():
            if weight == "A":
                yield key, text, lemmas, "", "", "", ""
            elif weight == "B":
                yield key, "", "", text, lemmas, "", ""
            else:
                rest = "\n".join(text[name] for name in ("need", "solution", "results", "tips"))
                yield key, "", "", "", "", rest, lemmas


ACTION_COLUMNS = [
    "id", "organisation_id", "author_id", "title", "summary", "need", "solution", "results", "tips", "stage",
    "language", "consent_to_publish", "status", "submitted_at", "published_at", "created_at",
    "updated_at", "like_count", "adoption_count",
]
STAGES = ["established", "piloting", "preparation", "established"]


def seed_actions(sizes: Sizes, plan: ActionPlan, *, users: list[int], organisations: list[tuple[int, str]], now,
                 period: Period, lemmatise: Lemmatiser, step: Callable[[str], None] = lambda name: None) -> None:
    """COPY the actions into a staging table, compute the search-vector part of each distinct
    title, summary and body once, then INSERT … SELECT the actions with their parts concatenated."""
    rng = random.Random(RANDOM_SEED + 3)
    parts = TextParts(lemmatise)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_action_stage")
        cursor.execute("CREATE TEMP TABLE bench_action_stage AS SELECT * FROM arena_action WITH NO DATA")
        cursor.execute("ALTER TABLE bench_action_stage ADD COLUMN bench_a text, ADD COLUMN bench_b text, "
                       "ADD COLUMN bench_c text")

    def rows():
        for i, pk in enumerate(plan.ids):
            language = "sv" if i % 10 == 7 else "fi"
            title_key, title = parts.title(i, language)
            summary_key, summary = parts.summary(i, language)
            rest_key, sections = parts.sections(i, language)
            plan.titles.append(title)
            published = plan.published_at[i]
            submitted = plan.submitted_at[i]
            author = users[1 + (i % (len(users) - 1))]
            for _ in range(1 + i % 3):  # makers' names were drawn here; drawn still, so the rest stays the same
                rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
            yield (pk, organisations[plan.organisation_index[i]][0], author, title, summary, sections["need"],
                   sections["solution"], sections["results"], sections["tips"], STAGES[i % len(STAGES)],
                   language, True, "published", submitted, published, submitted - datetime.timedelta(days=1),
                   published, plan.like_count[i], plan.adoption_count[i], title_key, summary_key, rest_key)

    columns_written = copy_rows(Action, ACTION_COLUMNS, rows(), now=now, table="bench_action_stage",
                                extra=["bench_a", "bench_b", "bench_c"])
    assert columns_written == sizes.actions
    step("actions: text and COPY")
    more, _constants = _constant_columns(Action, ACTION_COLUMNS, now)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*ACTION_COLUMNS, *more])
    selected = ", ".join(f"s.{connection.ops.quote_name(c)}" for c in [*ACTION_COLUMNS, *more])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_vector_part")
        cursor.execute("CREATE TEMP TABLE bench_vector_part (key text PRIMARY KEY, title text, bench_tl text, "
                       "summary text, bench_sl text, rest text, bench_rl text, vector tsvector)")
        with cursor.cursor.copy("COPY bench_vector_part (key, title, bench_tl, summary, bench_sl, rest, bench_rl) "
                                "FROM STDIN") as copy:
            for row in parts.vector_rows():
                copy.write_row(row)
        cursor.execute(f"UPDATE bench_vector_part s SET vector = {lemmatise.vector_sql()}")
        cursor.execute(
            f"INSERT INTO arena_action ({columns}, search_vector) "
            f"SELECT {selected}, a.vector || b.vector || c.vector FROM bench_action_stage s "
            "JOIN bench_vector_part a ON a.key = s.bench_a JOIN bench_vector_part b ON b.key = s.bench_b "
            "JOIN bench_vector_part c ON c.key = s.bench_c"
        )
        cursor.execute("DROP TABLE bench_action_stage")
        cursor.execute("DROP TABLE bench_vector_part")
    step("actions: INSERT with search vectors")

    sectors = list(Sector.objects.order_by("position", "id").values_list("id", flat=True))
    themes = list(Theme.objects.order_by("position", "id").values_list("id", flat=True))
    if sectors:
        copy_rows(Action.sectors.through, ["action_id", "sector_id"], (
            (pk, sectors[(i + k * 3) % len(sectors)]) for i, pk in enumerate(plan.ids)
            for k in range(1 + (i % 4 == 0)) if k < len(sectors)
        ), now=now)
    if themes:
        copy_rows(Action.themes.through, ["action_id", "theme_id"], (
            (pk, themes[(i * 5 + k * 4) % len(themes)]) for i, pk in enumerate(plan.ids)
            for k in range(1 + i % 3) if k < len(themes)
        ), now=now)
    step("actions: sectors and themes")


def _image_files() -> list[tuple[str, str, str, str, str]]:
    """A few real image files shared by every seeded image row (made once with Pillow)."""
    from PIL import Image, ImageDraw  # noqa: PLC0415

    media = Path(settings.MEDIA_ROOT)
    names = []
    for index in range(IMAGE_FILES):
        stem = f"{IMAGES_DIR}/bench-{index}"
        paths = (f"{stem}.jpg", f"{stem}-small.webp", f"{stem}-small.jpg", f"{stem}-large.webp", f"{stem}-large.jpg")
        sizes = ((1600, 1067), (400, 267), (400, 267), (1200, 800), (1200, 800))
        for path, size in zip(paths, sizes, strict=True):
            target = media / path
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            colour = ((index * 40) % 256, (120 + index * 25) % 256, (200 - index * 30) % 256)
            image = Image.new("RGB", size, colour)
            ImageDraw.Draw(image).rectangle((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2),
                                            fill=(250, 250, 250))
            image.save(target, format="WEBP" if path.endswith(".webp") else "JPEG", quality=80)
        names.append(paths)
    return names


def seed_images(sizes: Sizes, plan: ActionPlan, *, now) -> int:
    files = _image_files()
    columns = ["action_id", "image", "thumb_small", "thumb_small_jpeg", "thumb_large", "thumb_large_jpeg", "width",
               "height", "alt_text", "position", "is_cover", "created_at"]

    def rows():
        for i, pk in enumerate(plan.ids):
            for k in range(sizes.images_per_action):
                paths = files[(i + k) % len(files)]
                alt = f"Kuva {k + 1}: {plan.titles[i]}"[:250]
                yield (pk, *paths, 1600, 1067, alt, k, k == 0, plan.published_at[i])

    return copy_rows(ActionImage, columns, rows(), now=now)


def seed_campaign(sizes: Sizes, plan: ActionPlan, *, users: list[int], organisations: list[tuple[int, str]], now,
                  period: Period, notes: list):
    """One ended campaign: its eligible actions, three categories, jurors with complete score sets,
    results frozen and published."""
    from campaigns.models import AwardCategory, Campaign, Criterion, Juror, Review, Score  # noqa: PLC0415

    campaign = Campaign.objects.create(
        slug=CAMPAIGN_SLUG, name_fi="Suorituskykytestin kampanja", name_sv="Prestandatestets kampanj",
        name_en="Benchmark campaign", description_fi="Kampanja suorituskykytestin aineistossa.",
        starts_on=period.starts_on, ends_on=period.ends_on, gala_at=period.gala_at,
        eligible_kinds=list(Organisation.Kind.values), live_ranking_public=True,
        scoring_deadline=period.gala_at - datetime.timedelta(days=2),
    )
    AwardCategory.objects.create(campaign=campaign, kind=AwardCategory.Kind.MOST_ACTIONS, position=1, winners=3,
                                 name_fi="Eniten tekoja", name_sv="Flest åtgärder", name_en="Most actions")
    AwardCategory.objects.create(campaign=campaign, kind=AwardCategory.Kind.PER_EMPLOYEE, position=2, winners=3,
                                 name_fi="Eniten tekoja tuhatta työntekijää kohden",
                                 name_sv="Flest åtgärder per tusen anställda", name_en="Most actions per employee")
    jury = AwardCategory.objects.create(campaign=campaign, kind=AwardCategory.Kind.JURY, position=3, winners=3,
                                        name_fi="Tuomariston valinta", name_sv="Juryns val", name_en="Jury's choice")
    rng = random.Random(RANDOM_SEED + 4)
    EmployeeCount.objects.bulk_create(
        [EmployeeCount(organisation_id=pk, year=campaign.year, employees=rng.randrange(150, 40_000))
         for pk, _kind in organisations],
        ignore_conflicts=True,
    )
    shortlist = [sizes.eligible * k // sizes.shortlist for k in range(sizes.shortlist)]
    jury.shortlist.set([plan.ids[i] for i in shortlist])
    criteria = [
        Criterion.objects.create(campaign=campaign, name=fi, name_fi=fi, name_sv=sv, name_en=en, weight=weight,
                                 position=index)
        for index, (fi, sv, en, weight) in enumerate(CRITERIA)
    ]
    jurors = Juror.objects.bulk_create([
        Juror(campaign=campaign, user_id=users[index], is_chair=index == 1) for index in range(1, sizes.jurors + 1)
    ])
    # A juror never reviews an action of their own organisation (user index i is a member of organisation i % n).
    reviews = []
    for juror_index, juror in enumerate(jurors, start=1):
        own = juror_index % len(organisations)
        reviews.extend((juror.pk, plan.ids[i]) for i in shortlist if plan.organisation_index[i] != own)
    review_ids = allocate_ids(Review, len(reviews))
    copy_rows(Review, ["id", "juror_id", "action_id", "comment", "updated_at"], (
        (pk, juror, action, "", now) for pk, (juror, action) in zip(review_ids, reviews, strict=True)
    ), now=now)
    copy_rows(Score, ["review_id", "criterion_id", "value"], (
        (pk, criterion.pk, 1 + (pk * 7 + criterion.pk * 3 + action) % 5)
        for pk, (_juror, action) in zip(review_ids, reviews, strict=True) for criterion in criteria
    ), now=now)

    try:
        from campaigns import services  # noqa: PLC0415

        staff = User.objects.get(pk=users[0])
        services.results_freeze(campaign=campaign, user=staff, now=now, confirm=True)
        services.results_publish(campaign=campaign, user=staff, now=now)
    except (ImportError, AttributeError, TypeError) as error:
        notes.append(f"results not frozen ({error}): the frozen results page shows the live state")
    return campaign


def _counts() -> dict:
    from campaigns.models import Juror, Review, Score  # noqa: PLC0415

    return {
        "actions": Action.objects.published().count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "likes": Like.objects.count(),
        "adoptions": Adoption.objects.count(),
        "images": ActionImage.objects.count(),
        "jurors": Juror.objects.filter(campaign__slug=CAMPAIGN_SLUG).count(),
        "reviews": Review.objects.filter(juror__campaign__slug=CAMPAIGN_SLUG).count(),
        "scores": Score.objects.filter(review__juror__campaign__slug=CAMPAIGN_SLUG).count(),
    }


def seed(*, scale: float = 1.0, real_organisations: bool = True,
         log: Callable[[str], None] = lambda text: None) -> SeedResult:
    """Seed the dataset at `scale`, or reuse the one that is already there."""
    _ensure_marker_table()
    existing = dataset_info()
    if existing is not None:
        if not math.isclose(existing.scale, scale):
            raise DatasetMismatch(f"the benchmark database holds a dataset at scale {existing.scale:g}, not "
                                  f"{scale:g}; reset it (python -m bench --reset) or ask for that scale")
        if Lemmatiser().enabled and not existing.lemmatised:
            raise DatasetMismatch("the benchmark database was seeded before arena/search.py existed (search "
                                  "vectors without lemmas); reset it (python -m bench --reset)")
        log(f"reusing the dataset seeded at {existing.seeded_at} (scale {existing.scale:g})")
        return existing

    sizes = sizes_for(scale)
    now = timezone.now()
    period = campaign_period(now)
    steps: list[tuple[str, float]] = []
    notes: list[str] = []
    started = last = time.monotonic()

    def step(name: str) -> None:
        nonlocal last
        elapsed = time.monotonic() - last
        steps.append((name, round(elapsed, 2)))
        log(f"  {name}: {elapsed:.1f} s")
        last = time.monotonic()

    log(f"seeding at scale {scale:g}: {sizes.actions} actions, {sizes.users} users, {sizes.likes} likes")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO off")
            cursor.execute("SET LOCAL maintenance_work_mem TO '256MB'")
            cursor.execute("SET LOCAL work_mem TO '64MB'")
        organisations = seed_organisations(sizes, real=real_organisations, now=now, notes=notes)
        step("organisations")
        lemmatise = Lemmatiser()
        if lemmatise.enabled:
            for language in ("fi", "sv"):
                lemmatise("päiväkoti", language)  # loads the dictionaries before the timed steps
            step("loading the lemmatiser")
        else:
            notes.append("no arena/search.py lemmatiser: search vectors are plain to_tsvector('simple', …)")
        with BulkLoad(BULK_TABLES, log) as bulk:
            users = seed_users(sizes, organisations=organisations, now=now)
            step("users and memberships")
            plan, likes, adoptions = plan_actions(sizes, users=users, organisations=organisations, now=now,
                                                  period=period)
            step("planning likes and adoptions")
            seed_actions(sizes, plan, users=users, organisations=organisations, now=now, period=period,
                         lemmatise=lemmatise, step=step)
            seed_likes(likes, now=now)
            del likes
            step("likes")
            copy_rows(Adoption, ["action_id", "organisation_id", "user_id", "note", "created_at"], adoptions,
                      now=now)
            step("adoptions")
            seed_images(sizes, plan, now=now)
            step("images")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in [*bulk.tables, "orgs_user"]))
        step("indexes built, " + ("foreign keys verified, " if bulk.unchecked else "") + "ANALYZE")
        seed_campaign(sizes, plan, users=users, organisations=organisations, now=now, period=period, notes=notes)
        with connection.cursor() as cursor:  # the campaign's tables too: without statistics the planner
            cursor.execute("ANALYZE")        # picks nested loops for the jury's 25 000 score sets
        step("campaign, jury scores, frozen results, ANALYZE")
        from arena.tallies import tallies_rebuild  # noqa: PLC0415  (the rows above bypassed the services)

        tallies_rebuild()
        step("counts of published actions")
        result = SeedResult(reused=False, scale=scale, seconds=0.0, seeded_at=now.isoformat(), counts=_counts(),
                            steps=steps, notes=notes, lemmatised=lemmatise.enabled)
        result.seconds = round(time.monotonic() - started, 1)
        _write_marker(result)
    step("commit")
    result.seconds = round(time.monotonic() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
    _write_marker(result)
    log(f"seeded in {result.seconds:.1f} s")
    return result
