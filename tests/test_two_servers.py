"""Two app servers behind one proxy: what one of them does, the other shows on the next request.

Two real gunicorn processes (production settings, DEBUG off) share the test database and the test
runner's Redis server (TEST_REDIS_URL) for the cache and the sessions, as two machines would. Nothing
that decides what a visitor sees may live in one process's memory: a like, a publication, a logout
and a deactivation done through one server are seen through the other at once.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from arena import services
from arena.models import Action
from tests.conftest import redis_caches, require_redis_url
from tests.factories import ActionFactory, MembershipFactory

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "kaksi-palvelinta-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The test database (the one this test writes to and commits), as a DATABASE_URL."""
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"]) + (":" + urllib.parse.quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    host = db["HOST"] or ""
    if host.startswith("/"):  # a Unix socket directory
        query = urllib.parse.urlencode({"host": host, **({"port": db["PORT"]} if db["PORT"] else {})})
        return f"postgresql://{credentials}@/{db['NAME']}?{query}"
    return f"postgresql://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_servers(tmp_path, settings):
    """The base URLs of two gunicorn servers on different ports; this test's own cache is the same Redis."""
    redis_url = require_redis_url()
    settings.CACHES = redis_caches(redis_url)
    from arena.cache import cache  # the page data's own cache

    cache.clear()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "arena.settings",
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
        "SECRET_KEY": "two-servers-" + "x" * 40,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",  # plain http on loopback; everything else as in production
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
                   cwd=BASE_DIR, env=env, check=True)
    processes, urls = [], []
    try:
        for name in ("a", "b"):
            port = _free_port()
            log = open(tmp_path / f"gunicorn-{name}.log", "w", encoding="utf-8")  # noqa: SIM115
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "arena.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--threads", "2"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
            urls.append(f"http://127.0.0.1:{port}")
        for process, url in zip(processes, urls):
            _wait_until_up(process, url, tmp_path)
        yield urls
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        cache.clear()


def _wait_until_up(process, url, tmp_path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = "\n".join(path.read_text() for path in tmp_path.glob("gunicorn-*.log"))
            pytest.fail(f"gunicorn stopped at start:\n{logs[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within 60 s")


class Browser:
    """One visitor's browser: its cookies go to both servers (cookies do not depend on the port)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies),
                                                  _NoRedirect())

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode()

    def post(self, url: str, page_url: str, data: dict) -> int:
        """Submit a form of `page_url` (its CSRF token) to `url`; the status (a redirect is success)."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(page_url)).group(1)
        request = urllib.request.Request(url, data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token})
                                         .encode(), headers={"Referer": page_url})
        try:
            with self.opener.open(request, timeout=30) as response:
                self.last = response.read().decode()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _logged_in(page: str) -> bool:
    return 'action="/fi/accounts/logout/"' in page or "Kirjaudu ulos" in page


def test_a_login_a_like_a_publication_a_logout_and_a_deactivation_through_one_server_show_on_the_other(
        two_servers, moderator, settings):
    a, b = two_servers
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    member = MembershipFactory().user
    member.set_password(PASSWORD)
    member.save()
    liked = ActionFactory()
    browser = Browser()
    detail = liked.get_absolute_url()
    assert "Lukudiplomi" not in browser.get(b + "/fi/actions/")  # the list, kept by server b
    assert "<strong data-like-count>0</strong>" in Browser().get(b + detail)  # the page, kept by b for anyone

    # Logged in through a: b knows the visitor.
    status = browser.post(a + "/fi/accounts/login/", a + "/fi/accounts/login/",
                          {"login": member.email, "password": PASSWORD})
    assert status == 302, browser.last[browser.last.find("<main"):][:3000]
    assert _logged_in(browser.get(b + detail))

    # A like through a: b shows it at once (the count and the visitor's own like).
    assert browser.post(a + f"/fi/actions/{liked.pk}/like/", a + detail, {}) == 302
    page = browser.get(b + detail)
    assert "<strong data-like-count>1</strong>" in page
    assert re.search(r'action="/fi/actions/%d/unlike/"[^>]*data-like-form>' % liked.pk, page)  # not hidden
    assert "<strong data-like-count>1</strong>" in Browser().get(b + detail)  # and to anyone

    # A publication (by a moderator's app server): both servers list the action on the next request.
    submitted = ActionFactory(title="Lukudiplomi", status=Action.Status.SUBMITTED)
    services.action_publish(action=submitted, moderator=moderator)
    assert "Lukudiplomi" in browser.get(b + "/fi/actions/")
    assert "Lukudiplomi" in Browser().get(a + "/fi/actions/")

    # A logout through a: b no longer knows the visitor.
    assert browser.post(a + "/fi/accounts/logout/", a + detail, {}) == 302
    assert not _logged_in(browser.get(b + detail))

    # A deactivation (QuerySet.update, as the admin's bulk action does): the next request, on either
    # server, is anonymous.
    assert browser.post(b + "/fi/accounts/login/", b + "/fi/accounts/login/",
                        {"login": member.email, "password": PASSWORD}) == 302
    assert _logged_in(browser.get(a + detail))
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    assert not _logged_in(browser.get(a + detail))
    assert not _logged_in(browser.get(b + detail))
