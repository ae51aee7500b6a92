"""Redis (the production cache, with the cached_db sessions) stops and comes back: pages answer the
friendly 503 page meanwhile, never a 500; no session and no write is lost; the site recovers by
itself at the next request after Redis is back."""

import os
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import translation

from arena.localdb import RedisServer, redis_server_binary
from arena.models import Like
from tests.conftest import redis_caches
from tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db

RECOVERY_SECONDS = 5


@pytest.fixture
def redis_server(tmp_path, settings):
    """A Redis server of this test's own (so that stopping it stops nobody else's), as the cache."""
    if redis_server_binary() is None:
        message = "no redis-server or valkey-server on PATH (apt-get install redis-server)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path / "redis").start()
    settings.CACHES = redis_caches(server.url)
    settings.PUBLIC_CACHE = True
    yield server
    server.stop()
    caches.close_all()


def account_page():
    with translation.override("en"):
        return reverse("orgs:my-organisations")


def until_answered(client, path, *, status=200, seconds=RECOVERY_SECONDS, **extra):
    """The first response with `status`, and how long it took to come; fails after `seconds`."""
    started = time.monotonic()
    while True:
        response = client.get(path, **extra)
        assert response.status_code in (status, 503), response.status_code
        if response.status_code == status:
            return response, time.monotonic() - started
        assert time.monotonic() - started < seconds, f"not recovered within {seconds} s"
        time.sleep(0.1)


def test_an_anonymous_page_is_the_friendly_503_while_redis_is_down_and_comes_back_by_itself(redis_server):
    ActionFactory(title="Näkyvä teko")
    client = Client(raise_request_exception=False)
    assert client.get("/sv/actions/").status_code == 200

    redis_server.stop()
    response = client.get("/sv/actions/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "no-store"
    assert "Tjänsten är tillfälligt otillgänglig" in response.content.decode()

    redis_server.start()  # empty: nothing was saved
    response, took = until_answered(client, "/sv/actions/")
    assert "Näkyvä teko" in response.content.decode()
    assert took < 1  # the pool reconnects at once


def test_a_logged_in_user_keeps_the_session_through_a_redis_restart(redis_server):
    user = UserFactory(email="kaisa@lempaala.fi")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    assert client.get(account_page()).wsgi_request.user == user

    redis_server.stop()
    assert client.get(account_page()).status_code == 503  # not a 500, and not logged out

    redis_server.start()  # the cached copy of the session is gone; the database has it
    response, _took = until_answered(client, account_page())
    assert response.wsgi_request.user == user


def test_a_like_sent_while_redis_is_down_is_refused_whole_and_the_retry_counts_once(redis_server):
    action = ActionFactory()
    user = UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    like = f"/fi/actions/{action.pk}/like/"

    redis_server.stop()
    refused = client.post(like, HTTP_ACCEPT="application/json")
    assert refused.status_code == 503
    assert Like.objects.filter(action=action).count() == 0  # nothing half done

    redis_server.start()
    started = time.monotonic()
    while (again := client.post(like, HTTP_ACCEPT="application/json")).status_code == 503:
        assert time.monotonic() - started < RECOVERY_SECONDS
        time.sleep(0.1)
    assert again.status_code == 200 and again.json()["liked"] is True
    assert Like.objects.filter(action=action, user=user).count() == 1


def test_a_redis_that_stops_in_the_middle_of_the_traffic_never_gives_a_500(redis_server):
    ActionFactory(title="Teko")
    user = UserFactory()
    anonymous, member = Client(raise_request_exception=False), Client(raise_request_exception=False)
    member.force_login(user)
    seen = set()
    for round_ in range(6):
        if round_ == 2:
            redis_server.stop()
        if round_ == 4:
            redis_server.start()
        for client, path in ((anonymous, "/fi/"), (anonymous, "/fi/actions/"), (member, "/fi/actions/"),
                             (member, account_page())):
            seen.add(client.get(path).status_code)
    assert seen == {200, 503}  # pages while Redis ran, the 503 page while it was down
    assert member.get(account_page()).wsgi_request.user == user
