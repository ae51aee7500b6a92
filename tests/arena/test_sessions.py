"""Logging in with Django's `cached_db` sessions: every change that ends or alters the login is
seen at the next request, on the database cache and on Redis alike."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from orgs.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.caches]


def account_page():
    with translation.override("en"):
        return reverse("orgs:my-organisations")


def logged_in_twice(client, user):
    """The user logged in and two pages loaded (the session in the cache as well as the database)."""
    client.force_login(user)
    for _ in range(2):
        assert client.get(account_page()).status_code == 200


def test_a_logged_in_user_stays_logged_in_from_page_to_page(client):
    user = UserFactory(email="kaisa@lempaala.fi")
    logged_in_twice(client, user)
    assert client.get(account_page()).wsgi_request.user == user


def test_the_session_is_kept_in_the_cache_under_test_and_in_the_database(client, cache_backend, settings):
    user = UserFactory()
    logged_in_twice(client, user)
    key = client.cookies["sessionid"].value
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache" if cache_backend == "redis" else "DatabaseCache")
    assert cache.get(KEY_PREFIX + key)["_auth_user_id"] == str(user.pk)
    assert Session.objects.filter(session_key=key).exists()


def test_an_expired_session_logs_the_user_out(client):
    logged_in_twice(client, UserFactory())
    expiry = Session.objects.get().expire_date
    with time_machine.travel(expiry + datetime.timedelta(seconds=1)):
        response = client.get(account_page())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_logging_out_elsewhere_logs_this_browser_out_at_once(client):
    """The same session in another tab: logging out there ends it here too."""
    logged_in_twice(client, UserFactory())
    other_tab = Client()
    other_tab.cookies["sessionid"] = client.cookies["sessionid"].value
    other_tab.post(reverse("account_logout"))
    assert client.get(account_page()).status_code == 302


def test_a_session_survives_a_cleared_cache(client):
    user = UserFactory()
    logged_in_twice(client, user)
    cache.clear()
    assert client.get(account_page()).wsgi_request.user == user
    assert client.get(account_page()).wsgi_request.user == user


def test_a_password_changed_elsewhere_logs_the_other_sessions_out(client):
    user = UserFactory()
    logged_in_twice(client, user)
    user.set_password("a new long passphrase 2026")
    user.save()
    assert client.get(account_page()).status_code == 302


def test_a_deactivated_user_is_logged_out_at_the_next_request(client):
    user = UserFactory()
    logged_in_twice(client, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(account_page()).status_code == 302


def test_a_user_deactivated_with_a_queryset_update_is_logged_out_at_the_next_request(client):
    """No signal, no save(): nothing could announce it to a per-process copy of the user."""
    user = UserFactory()
    logged_in_twice(client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(account_page()).status_code == 302


def test_a_password_changed_with_a_queryset_update_logs_the_session_out(client):
    user = UserFactory()
    logged_in_twice(client, user)
    other = UserFactory.build()
    other.set_password("a different long passphrase 2026")
    User.objects.filter(pk=user.pk).update(password=other.password)
    assert client.get(account_page()).status_code == 302


def test_a_changed_name_shows_at_the_next_request(client):
    user = UserFactory(full_name="Kaisa Virtanen")
    logged_in_twice(client, user)
    user.full_name = "Kaisa Korhonen"
    user.save(update_fields=["full_name"])
    assert client.get(account_page()).wsgi_request.user.full_name == "Kaisa Korhonen"


def test_a_permission_given_shows_at_the_next_request(client):
    user = UserFactory()
    logged_in_twice(client, user)
    assert not client.get(account_page()).wsgi_request.user.has_perm("arena.change_action")
    group = Group.objects.create(name="Action editors")
    group.permissions.add(Permission.objects.get(codename="change_action"))
    user.groups.add(group)
    assert client.get(account_page()).wsgi_request.user.has_perm("arena.change_action")


def test_a_deleted_user_is_a_visitor(client):
    user = UserFactory()
    logged_in_twice(client, user)
    user.delete()
    assert client.get(account_page()).status_code == 302


def test_a_made_up_session_key_is_a_visitor(client):
    client.cookies["sessionid"] = "x" * 32
    response = client.get(account_page())
    assert response.status_code == 302
    assert not Session.objects.filter(session_key="x" * 32).exists()
