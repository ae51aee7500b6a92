"""Limits on join requests: how many may wait at once and how many a day (issue #19, point 8)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from orgs.limits import JOIN_REQUESTS_PER_WINDOW, OPEN_JOIN_REQUESTS_MAX, join_request_refusal
from orgs.models import Membership, MembershipEvent
from orgs.services import MembershipError, membership_request
from tests.factories import EmailDomainFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def pending(user, count):
    return [MembershipFactory(user=user, status=Membership.Status.PENDING, confirmed_at=None)
            for _ in range(count)]


def requested(user, organisation, at):
    MembershipEvent.objects.create(user=user, organisation=organisation, actor=user,
                                   action=MembershipEvent.Action.REQUESTED, created_at=at)


def test_open_requests_are_limited(user):
    now = timezone.now()
    pending(user, OPEN_JOIN_REQUESTS_MAX - 1)
    MembershipFactory(user=user)  # a confirmed membership is no open request
    assert join_request_refusal(user=user, now=now) is None
    pending(user, 1)
    assert "5" in join_request_refusal(user=user, now=now)


def test_new_requests_are_limited_per_24_hours_withdrawn_ones_included(user):
    now = timezone.now()
    organisation = OrganisationFactory()
    for minutes in range(JOIN_REQUESTS_PER_WINDOW - 1):
        requested(user, organisation, now - datetime.timedelta(minutes=minutes))
    requested(user, organisation, now - datetime.timedelta(hours=25))
    assert join_request_refusal(user=user, now=now) is None
    requested(user, organisation, now - datetime.timedelta(hours=23))
    assert "10" in join_request_refusal(user=user, now=now)
    assert join_request_refusal(user=user, now=now + datetime.timedelta(hours=2)) is None
    # Someone else's requests are not this user's.
    other = UserFactory()
    assert join_request_refusal(user=other, now=now) is None


@pytest.mark.parametrize(("language", "text"), [
    ("fi", "Sinulla on jo 5 liittymispyyntöä odottamassa vahvistusta."),
    ("sv", "Du har redan 5 begäranden om medlemskap som väntar på bekräftelse."),
])
def test_the_join_page_refuses_one_more_open_request_in_the_users_language(
        client, language, text, django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language=language)
    pending(user, OPEN_JOIN_REQUESTS_MAX)
    one_more = OrganisationFactory()
    MembershipFactory(organisation=one_more, role=Membership.Role.ADMIN)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{language}/my/organisations/join/", {"organisation": one_more.pk})
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not Membership.objects.filter(user=user, organisation=one_more).exists()
    assert mail.outbox == []


def test_asking_and_withdrawing_again_and_again_stops_after_the_daily_limit(client):
    user = UserFactory()
    organisation = OrganisationFactory()
    client.force_login(user)
    for _ in range(JOIN_REQUESTS_PER_WINDOW):
        assert client.post("/fi/my/organisations/join/", {"organisation": organisation.pk}).status_code == 302
        mine = Membership.objects.get(user=user, organisation=organisation)
        client.post(f"/fi/memberships/{mine.pk}/remove/")
    response = client.post("/fi/my/organisations/join/", {"organisation": organisation.pk})
    assert response.status_code == 200
    assert "Olet pyytänyt liittymistä 10 organisaatioon vuorokauden sisällä." in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_a_verified_domain_still_joins_at_once_when_requests_are_at_the_limit():
    user = UserFactory(email="matti@limit-kunta.fi")
    pending(user, OPEN_JOIN_REQUESTS_MAX)
    home = OrganisationFactory()
    EmailDomainFactory(organisation=home, domain="limit-kunta.fi", verified=True)
    assert membership_request(user=user, organisation=home).is_confirmed
    with pytest.raises(MembershipError):
        membership_request(user=user, organisation=OrganisationFactory())
