"""Page data has a cache of its own: junk query strings add no entries, and culling page data never
drops a rate-limit counter (allauth's, in the default cache)."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from tests.factories import ActionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.caches]


def entries(alias: str) -> int:
    cache = caches[alias]
    if settings.CACHES[alias]["BACKEND"].endswith("RedisCache"):
        return cache._cache.get_client().dbsize()  # the server's own count of its keys
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{settings.CACHES[alias]["LOCATION"]}"')
        return cursor.fetchone()[0]


def test_junk_query_strings_on_the_list_add_no_page_entries(client, settings):
    settings.PUBLIC_CACHE = True
    ActionFactory.create_batch(3)
    url = reverse("arena:action-list")
    assert client.get(url).status_code == 200
    client.get(url, {"sort": "likes"})
    before = entries(settings.PAGE_CACHE), entries("default")
    for n in range(1000):
        response = client.get(f"{url}?utm_source=x{n}")
        assert response.status_code == 200
    assert (entries(settings.PAGE_CACHE), entries("default")) == before


def test_rate_limit_counters_survive_a_page_cache_cull(client, settings):
    settings.PUBLIC_CACHE = True
    limits = caches["default"]
    limits.set("allauth:rl:login_failed:counter", [1, 2, 3], 300)
    if settings.CACHES[settings.PAGE_CACHE]["BACKEND"].endswith("DatabaseCache"):
        # A small cap, the whole table dropped when it is reached (Django's CULL_FREQUENCY 0).
        settings.CACHES = {**settings.CACHES, settings.PAGE_CACHE: {
            **settings.CACHES[settings.PAGE_CACHE], "OPTIONS": {"MAX_ENTRIES": 100, "CULL_FREQUENCY": 0}}}
        limits = caches["default"]
        assert limits.get("allauth:rl:login_failed:counter") == [1, 2, 3]
        pages = caches[settings.PAGE_CACHE]
        for n in range(150):
            pages.set(f"arena:value:{n}", n, 300)
        assert entries(settings.PAGE_CACHE) < 100  # culled
    else:
        caches[settings.PAGE_CACHE].clear()  # FLUSHDB of the page data's database
    assert limits.get("allauth:rl:login_failed:counter") == [1, 2, 3]
