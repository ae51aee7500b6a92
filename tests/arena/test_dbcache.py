"""The cache's leaner read (arena/dbcache.py) gives what Django's database cache wrote, as Django
would: values of any kind, None included, nothing expired, each version apart."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_values_written_by_django_read_back_alike():
    cache.set("portal:none", None)
    cache.set("portal:dict", {"actions": [1, 2], "at": timezone.now().date()})
    cache.add("portal:text", "päiväkoti")
    found = cache.get_many(["portal:none", "portal:dict", "portal:text", "portal:missing"])
    assert found == {"portal:none": None, "portal:dict": {"actions": [1, 2], "at": timezone.now().date()},
                     "portal:text": "päiväkoti"}
    assert cache.get("portal:text") == "päiväkoti"
    assert cache.get("portal:missing", "default") == "default"


def test_an_expired_entry_is_not_read_and_is_deleted():
    cache.set("portal:short", "soon gone", timeout=10)
    cache.set("portal:long", "stays", timeout=600)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=11)):
        assert cache.get_many(["portal:short", "portal:long"]) == {"portal:long": "stays"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM arena_cache WHERE cache_key LIKE %s", ["%portal:short"])
        assert cursor.fetchone() == (0,)


def test_versions_are_apart():
    cache.set("portal:versioned", "one", version=1)
    cache.set("portal:versioned", "two", version=2)
    assert cache.get_many(["portal:versioned"], version=2) == {"portal:versioned": "two"}
    assert cache.get("portal:versioned", version=1) == "one"
