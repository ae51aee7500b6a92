import pytest

from arena.models import Action
from arena.services import action_submit, action_update
from tests.factories import ActionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_edit_from_a_stale_page_keeps_the_state_and_its_times():
    membership = MembershipFactory()
    action = ActionFactory(status=Action.Status.DRAFT, submitted_at=None, author=membership.user,
                           organisation=membership.organisation)
    stale = Action.objects.get(pk=action.pk)  # the edit form was opened before the submission
    action_submit(action=action, user=membership.user)
    action.refresh_from_db()
    action_update(action=stale, user=membership.user, data={"title": "Uusi otsikko"})
    saved = Action.objects.get(pk=action.pk)
    assert saved.title == "Uusi otsikko"
    assert saved.status == Action.Status.SUBMITTED
    assert saved.submitted_at == action.submitted_at
