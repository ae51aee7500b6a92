import datetime as dt
import itertools

import pytest
import time_machine
from django.core import mail

from arena import services
from arena.models import Action, Transition
from tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Action.Status

MODERATOR_STEPS = {
    S.PUBLISHED: services.action_publish,
    S.RETURNED: services.action_return,
    S.REJECTED: services.action_reject,
    S.HIDDEN: services.action_hide,
}


def move(action, to_status, user):
    if to_status == S.SUBMITTED:
        return services.action_submit(action=action, user=user)
    if to_status == S.PUBLISHED and action.status == S.HIDDEN:
        return services.action_unhide(action=action, moderator=user)
    return MODERATOR_STEPS[to_status](action=action, moderator=user, message="Viesti")


def make(status):
    submitted = None if status == S.DRAFT else dt.datetime(2026, 9, 10, 12, tzinfo=dt.UTC)
    return ActionFactory(status=status, submitted_at=submitted)


ALLOWED = {(a, b) for a, targets in services.ALLOWED_TRANSITIONS.items() for b in targets}


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_allowed_transition_is_recorded_and_mailed(from_status, to_status, moderator, django_capture_on_commit_callbacks):
    action = make(from_status)
    with django_capture_on_commit_callbacks(execute=True):
        move(action, to_status, moderator)
    action.refresh_from_db()
    assert action.status == to_status
    record = Transition.objects.get(action=action)
    assert (record.from_status, record.to_status, record.actor) == (from_status, to_status, moderator)
    assert [m.to for m in mail.outbox if action.author.email in m.to]


FORBIDDEN = sorted(
    (a, b) for a, b in itertools.product(S.values, [S.SUBMITTED, S.PUBLISHED, S.RETURNED, S.REJECTED, S.HIDDEN])
    if (a, b) not in ALLOWED and a != b
)


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_forbidden_transition_raises_and_changes_nothing(from_status, to_status, moderator):
    action = make(from_status)
    with pytest.raises(services.ModerationError):
        move(action, to_status, moderator)
    action.refresh_from_db()
    assert action.status == from_status
    assert not Transition.objects.exists()


def test_submitted_at_is_set_once_at_first_submission(moderator):
    action = ActionFactory(status=S.DRAFT, submitted_at=None)
    with time_machine.travel(dt.datetime(2026, 9, 4, 9, tzinfo=dt.UTC)):
        services.action_submit(action=action, user=action.author)
    services.action_return(action=action, moderator=moderator, message="Lisää tulokset")
    with time_machine.travel(dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC)):
        services.action_submit(action=action, user=action.author)
    action.refresh_from_db()
    assert action.submitted_at == dt.datetime(2026, 9, 4, 9, tzinfo=dt.UTC)


def test_incomplete_action_cannot_be_submitted_or_published(moderator):
    action = ActionFactory(status=S.DRAFT, submitted_at=None, results="", sectors=[])
    with pytest.raises(services.ModerationError) as error:
        services.action_submit(action=action, user=action.author)
    assert str(error.value) == "Nämä pakolliset kentät puuttuvat: tulokset, toimialat."
    Action.objects.filter(pk=action.pk).update(status=S.SUBMITTED, submitted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    action.refresh_from_db()
    with pytest.raises(services.ModerationError):
        services.action_publish(action=action, moderator=moderator)
    action.refresh_from_db()
    assert action.status == S.SUBMITTED


@pytest.mark.parametrize("step", [services.action_return, services.action_reject])
def test_return_and_reject_need_a_message(step, moderator):
    action = make(S.SUBMITTED)
    with pytest.raises(services.ModerationError):
        step(action=action, moderator=moderator, message="  ")
    action.refresh_from_db()
    assert action.status == S.SUBMITTED


def test_staff_without_moderation_permission_cannot_moderate():
    action = make(S.SUBMITTED)
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.ModerationError):
        services.action_publish(action=action, moderator=staff)
    action.refresh_from_db()
    assert action.status == S.SUBMITTED


@pytest.mark.parametrize(("language", "expected"), [("fi", "palautettu"), ("sv", "returnerad")])
def test_author_is_mailed_in_their_language(language, expected, moderator, django_capture_on_commit_callbacks):
    action = make(S.SUBMITTED)
    action.author.preferred_language = language
    action.author.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.action_return(action=action, moderator=moderator, message="Lisää kuva, tack")
    (message,) = mail.outbox
    assert expected in (message.subject + message.body).lower()
    assert "Lisää kuva, tack" in message.body
    assert f"/{language}/actions/{action.pk}-" in message.body


@pytest.mark.parametrize("status", [S.SUBMITTED, S.DRAFT, S.RETURNED])
def test_show_again_only_applies_to_hidden_actions(status, moderator):
    action = make(status)
    with pytest.raises(services.ModerationError):
        services.action_unhide(action=action, moderator=moderator)
    action.refresh_from_db()
    assert action.status == status


def test_publish_does_not_show_a_hidden_action_again(moderator):
    action = make(S.HIDDEN)
    with pytest.raises(services.ModerationError):
        services.action_publish(action=action, moderator=moderator)
    action.refresh_from_db()
    assert action.status == S.HIDDEN
