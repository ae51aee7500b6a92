import json

import pytest

from arena.models import Action, Like
from tests.factories import ActionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_download_contains_the_users_data(client):
    membership = MembershipFactory()
    user = membership.user
    action = ActionFactory(author=user, organisation=membership.organisation, title="Aamupalaverit etänä")
    Like.objects.create(action=ActionFactory(), user=user)
    client.force_login(user)
    response = client.get("/fi/my/data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["memberships"][0]["organisation"] == membership.organisation.name
    assert [a["title"] for a in data["actions"]] == [action.title]
    assert len(data["likes"]) == 1


def test_deleting_the_account_keeps_actions_and_recounts_likes(client):
    user = UserFactory()
    own = ActionFactory(author=user)
    liked = ActionFactory()
    other = UserFactory()
    for liker in (user, other):
        Like.objects.create(action=liked, user=liker)
    Action.objects.filter(pk=liked.pk).update(like_count=2)
    client.force_login(user)
    response = client.post("/fi/my/data/delete/", {"confirm_email": user.email.upper()})
    assert response.status_code == 302
    assert not type(user).objects.filter(pk=user.pk).exists()
    own.refresh_from_db()
    assert own.author is None and own.status == Action.Status.PUBLISHED
    liked.refresh_from_db()
    assert liked.like_count == 1
    assert client.get("/fi/my/data/").status_code == 302  # logged out


def test_deleting_needs_the_right_email(client, user):
    client.force_login(user)
    response = client.post("/sv/my/data/delete/", {"confirm_email": "nagon.annan@example.fi"})
    assert response.status_code == 400
    assert "Detta är inte e-postadressen till ditt konto." in response.content.decode()
    assert type(user).objects.filter(pk=user.pk).exists()


def test_my_data_needs_login(client):
    response = client.get("/fi/my/data/")
    assert response.status_code == 302
    assert "/fi/accounts/login/" in response["Location"]
