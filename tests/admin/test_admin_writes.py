"""What the admin writes goes through the site's services, and what it must not write it refuses.

- a juror's review and scores: read-only for everyone (a campaign manager or superuser cannot
  score in a juror's name);
- memberships: confirmed, given another role and removed through `orgs.services`, so each change
  is in the membership audit trail; a moderator's bulk "confirm" does not fail;
- development actions and reports are never deleted in the admin (hidden or closed instead).
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.test import Client
from django.urls import reverse

from arena.models import Action, Report
from campaigns.models import Review, Score
from orgs.models import Membership, MembershipEvent
from tests.factories import (
    ActionFactory, CriterionFactory, JurorFactory, MembershipFactory, OrganisationFactory, UserFactory,
    campaign_manager, score_action,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True, email="paakayttaja@kt.fi")


# --- Reviews and scores -----------------------------------------------------------------------------

@pytest.fixture
def review():
    juror = JurorFactory()
    criterion = CriterionFactory(campaign=juror.campaign)
    return score_action(juror, ActionFactory(), {criterion: 3}, comment="Juror's own words")


@pytest.mark.parametrize("who", ["campaign_manager", "superuser"])
def test_nobody_writes_a_jury_review_or_scores_in_the_admin(review, superuser, who):
    staff = superuser if who == "superuser" else campaign_manager(email="kampanjat@kt.fi")
    client = client_for(staff)
    score = review.scores.get()
    change = client.post(reverse("admin:campaigns_review_change", args=[review.pk]), {
        "juror": review.juror_id, "action": review.action_id, "comment": "Written by staff",
        "scores-TOTAL_FORMS": "1", "scores-INITIAL_FORMS": "1", "scores-MIN_NUM_FORMS": "0",
        "scores-MAX_NUM_FORMS": "1000", "scores-0-id": score.pk, "scores-0-review": review.pk,
        "scores-0-criterion": score.criterion_id, "scores-0-value": "5", "_save": "Save",
    })
    add = client.post(reverse("admin:campaigns_review_add"), {
        "juror": review.juror_id, "action": ActionFactory().pk, "comment": "In the juror's name", "_save": "Save",
    })
    delete = client.post(reverse("admin:campaigns_review_delete", args=[review.pk]), {"post": "yes"})

    assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    review.refresh_from_db()
    assert review.comment == "Juror's own words"
    assert list(Score.objects.values_list("value", flat=True)) == [3]
    assert Review.objects.count() == 1
    # They still read it.
    page = client.get(reverse("admin:campaigns_review_change", args=[review.pk]))
    assert page.status_code == 200 and "Juror&#x27;s own words" in page.content.decode()


# --- Memberships ---------------------------------------------------------------------------------------

@pytest.fixture
def pending():
    return MembershipFactory(organisation=OrganisationFactory(), status=Membership.Status.PENDING, confirmed_at=None)


def confirm_selected(client, *memberships):
    return client.post(reverse("admin:orgs_membership_changelist"), {
        "action": "confirm_selected", ACTION_CHECKBOX_NAME: [m.pk for m in memberships], "index": 0,
    })


def test_a_moderators_bulk_confirm_of_memberships_does_not_fail_and_confirms_nothing(pending, group_moderator):
    response = confirm_selected(client_for(group_moderator), pending)

    assert response.status_code == 200  # the list again: moderators only view memberships
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING
    assert not MembershipEvent.objects.filter(action=MembershipEvent.Action.CONFIRMED).exists()


def test_a_membership_confirmed_in_the_admin_is_in_the_audit_trail_and_the_member_is_told(
        pending, superuser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_selected(client_for(superuser), pending)

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Membership.Status.CONFIRMED and pending.confirmed_by == superuser
    event = MembershipEvent.objects.get(action=MembershipEvent.Action.CONFIRMED)
    assert (event.user, event.organisation, event.actor) == (pending.user, pending.organisation, superuser)
    assert [message.to for message in mail.outbox] == [[pending.user.email]]


def test_a_role_changed_in_the_admin_is_in_the_audit_trail(superuser):
    membership = MembershipFactory()
    response = client_for(superuser).post(reverse("admin:orgs_membership_change", args=[membership.pk]),
                                          {"role": Membership.Role.ADMIN, "_save": "Save"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    event = MembershipEvent.objects.get()
    assert (event.action, event.actor, event.detail) == (MembershipEvent.Action.ROLE_CHANGED, superuser, "admin")


def test_memberships_removed_in_the_admin_one_or_many_are_in_the_audit_trail(superuser):
    one, two, three = MembershipFactory(), MembershipFactory(), MembershipFactory()
    client = client_for(superuser)

    single = client.post(reverse("admin:orgs_membership_delete", args=[one.pk]), {"post": "yes"})
    bulk = client.post(reverse("admin:orgs_membership_changelist"), {
        "action": "delete_selected", ACTION_CHECKBOX_NAME: [two.pk, three.pk], "post": "yes",
    })

    assert (single.status_code, bulk.status_code) == (302, 302)
    assert not Membership.objects.exists()
    removed = MembershipEvent.objects.filter(action=MembershipEvent.Action.REMOVED, actor=superuser)
    assert sorted(removed.values_list("user_id", flat=True)) == sorted(m.user_id for m in (one, two, three))


def test_memberships_are_only_shown_on_the_user_and_organisation_pages(superuser):
    membership = MembershipFactory()
    client = client_for(superuser)
    for page in (reverse("admin:orgs_user_change", args=[membership.user_id]),
                 reverse("admin:orgs_organisation_change", args=[membership.organisation_id])):
        html = client.get(page).content.decode()
        assert "name=\"memberships-0-role\"" not in html and "name=\"memberships-0-status\"" not in html
        assert reverse("admin:orgs_membership_change", args=[membership.pk]) in html  # changed there


# --- Actions and reports -----------------------------------------------------------------------------

def test_a_published_action_is_not_deleted_in_the_admin_and_stays_listed(superuser):
    action = ActionFactory(title="Kotihoidon iltakierros")
    report = Report.objects.create(action=action, reporter=UserFactory(), reason=Report.Reason.SPAM)
    client = client_for(superuser)

    refused = [
        client.post(reverse("admin:arena_action_delete", args=[action.pk]), {"post": "yes"}).status_code,
        client.post(reverse("admin:arena_report_delete", args=[report.pk]), {"post": "yes"}).status_code,
    ]
    bulk = client.post(reverse("admin:arena_action_changelist") + "?status__exact=published", {
        "action": "delete_selected", ACTION_CHECKBOX_NAME: [action.pk], "post": "yes"})

    assert refused == [403, 403]
    assert bulk.status_code == 302  # no such action here
    assert Action.objects.filter(pk=action.pk).exists() and Report.objects.filter(pk=report.pk).exists()
    assert "Kotihoidon iltakierros" in client.get(reverse("arena:action-list")).content.decode()
