import os

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself (factories, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def member(db, organisation):
    return MembershipFactory(organisation=organisation).user


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True, email="staff@kt.fi")


@pytest.fixture(scope="session")
def _browser():
    """Real headless Chromium. Without it a browser test skips; under CI=true it fails."""
    try:
        from playwright.sync_api import sync_playwright

        manager = sync_playwright().start()
        browser = manager.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 (any failure to start means "no browser")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium could not start under CI: {exc}")
        pytest.skip(f"Chromium could not start: {exc}")
    yield browser
    browser.close()
    manager.stop()


@pytest.fixture
def page(_browser, live_server, settings, transactional_db):
    from django.core.cache import caches

    # The cache lives in the database. A test in a transaction rolls its cache rows back;
    # live-server tests commit, and the flush after them leaves the cache table alone.
    for cache in caches.all():
        cache.clear()
    settings.SITE_URL = live_server.url
    context = _browser.new_context(base_url=live_server.url, locale="fi-FI")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def axe_source():
    import axe_playwright_python

    path = os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture
def axe(axe_source):
    """axe(page) → list of WCAG 2.1 A/AA violations on the page (injected CSP-safely)."""

    def run(page):
        page.evaluate(axe_source)
        violations = page.evaluate(
            "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
        )
        return [
            f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:5]}" for v in violations
        ]

    return run


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True, email="moderaattori@kt.fi")
    user.user_permissions.add(Permission.objects.get(codename="moderate_action"))
    return user

# --- orgs ---------------------------------------------------------------------------

@pytest.fixture
def reference_organisations(db):
    """Every region, municipality, wellbeing services county and HUS, from orgs/data/."""
    from orgs.reference_data import load_reference_data

    load_reference_data()


@pytest.fixture
def org_admin(db, organisation):
    """A confirmed admin of `organisation`."""
    from orgs.models import Membership

    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN,
                             user__email="admin@testikunta.fi").user
# --- Campaigns ------------------------------------------------------------------------
@pytest.fixture
def campaign(db):
    """Spring 2026 (1.3.–12.4.2026, gala 19.4.2026 18:00) with a "most actions" category."""
    from tests.factories import AwardCategoryFactory, CampaignFactory

    campaign = CampaignFactory(slug="kevat-2026", name_fi="Kevään kampanja 2026", name_sv="Vårkampanjen 2026")
    AwardCategoryFactory(campaign=campaign, name_fi="Eniten tekoja", name_sv="Flest åtgärder", position=1)
    return campaign

# --- Moderation in the admin ---------------------------------------------------------

@pytest.fixture
def moderators_group(db):
    """The "Moderators" group made by arena's data migration.

    Transactional tests flush the database between tests; the group is then made again by
    running the same migration function.
    """
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    group = Group.objects.filter(name="Moderators").first()
    if group is None:
        loader = MigrationLoader(connection)
        key = next(k for k in loader.disk_migrations if k[0] == "arena" and k[1].endswith("_moderators_group"))
        module = __import__(loader.disk_migrations[key].__module__, fromlist=["create_moderators_group"])
        module.create_moderators_group(loader.project_state(key).apps)
        group = Group.objects.get(name="Moderators")
    return group


@pytest.fixture
def group_moderator(moderators_group):
    """A KT staff member whose only permissions come from the Moderators group."""
    user = UserFactory(is_staff=True, email="moderaattori.ryhma@kt.fi", full_name="Mirja Moderaattori")
    user.groups.add(moderators_group)
    return user


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (a test that renders Swedish must not leak it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def english():
    """Messages checked in English (pages follow: reverse() gives /en/ URLs); with
    `pytest.mark.usefixtures("english")` on a module."""
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def public_cache(settings):
    """The shared cache of public content on (`arena/cache.py`), empty before and after."""
    from django.core.cache import caches

    settings.PUBLIC_CACHE = True
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


# --- Both cache backends --------------------------------------------------------------
#
# A test marked `@pytest.mark.caches` runs twice: on Django's database cache (what `make run` and a
# small site use) and on Django's RedisCache against the real Redis server that the test runner
# started (TEST_REDIS_URL; production's backend). Without that server the Redis run skips, and
# fails under CI=true.

CACHE_BACKENDS = ("database", "redis")


def redis_caches(url: str) -> dict:
    from django.conf import settings

    from arena.settings import PAGE_CACHE, redis_database

    return {alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location,
                    "OPTIONS": dict(settings.REDIS_OPTIONS)}
            for alias, location in (("default", url), (PAGE_CACHE, redis_database(url, 1)))}


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("caches") and "cache_backend" not in metafunc.fixturenames:
        metafunc.fixturenames.append("cache_backend")  # after the database fixtures (the database cache needs them)
        metafunc.parametrize("cache_backend", CACHE_BACKENDS, indirect=True)


def require_redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        message = ("TEST_REDIS_URL is not set: install redis-server (or valkey-server) and run the tests "
                   "with `make test`, which starts one")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def cache_backend(request, settings):
    """The test's cache on the backend named by the parameter, empty before and after. Changing
    `settings.CACHES` closes the old connections and resets `django.core.cache.caches` (Django's
    own `setting_changed` handler), so `cache` and the sessions use the new backend at once."""
    from django.core.cache import caches

    backend = getattr(request, "param", "database")
    if backend == "redis":
        settings.CACHES = redis_caches(require_redis_url())
    for cache in caches.all():
        cache.clear()  # Redis: FLUSHDB
    yield backend
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit(): …` runs what the services do after their transaction commits (such as
    renewing the content generation)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _cache_statement(sql: str) -> bool:
    return "arena_cache" in sql or sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))


@pytest.fixture
def django_assert_max_content_queries():
    """Like `django_assert_max_num_queries`, counting what a page asks the database for its content:
    not the shared cache's own statements (SQL with the database cache, none with Redis) or the
    savepoints around them, so the figure is the same on either cache backend."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def check(number):
        with CaptureQueriesContext(connection) as context:
            yield context
        content = [query["sql"] for query in context.captured_queries if not _cache_statement(query["sql"])]
        assert len(content) <= number, (f"{len(content)} content queries, at most {number} expected:\n"
                                        + "\n".join(content))

    return check
