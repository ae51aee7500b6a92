"""The production settings, with the benchmark's URLconf (adds the baseline view).

BENCH_CACHES=off (the benchmark's "caches off" pass) replaces the cache with Django's DummyCache
and turns the public page cache off, so every request pays the page's own cost: its queries and
its rendering. Sessions (`cached_db`) then come from PostgreSQL. Nothing else changes."""

import os

from arena.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_CACHES") == "off":
    CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in ("default", PAGE_CACHE)}  # noqa: F405
    PUBLIC_CACHE = False
