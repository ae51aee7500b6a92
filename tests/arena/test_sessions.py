"""Sessions are read with plain SQL (arena/sessions.py): the same rules as Django's own engine."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def account_page():
    with translation.override("en"):
        return reverse("orgs:my-organisations")


def test_a_logged_in_user_stays_logged_in_from_page_to_page(client):
    user = UserFactory(email="kaisa@lempaala.fi")
    client.force_login(user)
    assert client.get(account_page()).status_code == 200
    assert client.get(account_page()).wsgi_request.user == user


def test_an_expired_session_logs_the_user_out(client):
    client.force_login(UserFactory())
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(account_page())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_session_ended_elsewhere_logs_the_user_out(client):
    """Logging out in another tab or on another device deletes the session row: this one is out too."""
    client.force_login(UserFactory())
    Session.objects.all().delete()
    assert client.get(account_page()).status_code == 302


def test_a_made_up_session_key_is_a_visitor(client):
    client.cookies["sessionid"] = "x" * 32
    response = client.get(account_page())
    assert response.status_code == 302
    assert not Session.objects.filter(session_key="x" * 32).exists()
