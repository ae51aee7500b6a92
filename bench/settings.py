"""The production settings, with the benchmark's URLconf (adds the baseline view). Nothing else changes."""

from arena.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
