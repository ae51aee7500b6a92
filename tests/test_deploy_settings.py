import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-production-secret-key-that-is-random-enough-1234567890-abcdefgh",
    "ALLOWED_HOSTS": "tekojentori.fi",
    "SITE_URL": "https://tekojentori.fi",
}


# Set by the test settings and conftest; a production environment has none of them.
TEST_ONLY_VARIABLES = {"SECURE_COOKIES", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY"}


def run_manage(*args, env_overrides):
    inherited = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env = {**inherited, **env_overrides, "DJANGO_SETTINGS_MODULE": "arena.settings"}
    return subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, capture_output=True,
                          text=True, cwd=BASE_DIR)


def test_check_deploy_passes_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_manage("check", env_overrides={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_cache_table_exists_for_the_shared_cache():
    from django.db import connection

    assert "arena_cache" in connection.introspection.table_names()
