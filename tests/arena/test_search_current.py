import pytest

from arena.models import Action
from arena.selectors import action_browse
from arena.services import action_create, action_update

pytestmark = pytest.mark.django_db


def found(query):
    return [a.pk for a in action_browse({"q": query}).queryset]


def test_actions_written_through_the_form_services_are_found_and_stay_current(member, organisation):
    action = action_create(user=member, data={"title": "Päiväkodin aamupiiri", "organisation": organisation,
                                              "language": "fi"})
    Action.objects.filter(pk=action.pk).update(status=Action.Status.PUBLISHED,
                                               submitted_at=action.created_at, published_at=action.created_at)
    assert found("päiväkodissa") == [action.pk]
    action_update(action=action, user=member, data={"title": "Kirjaston lukupiiri"})
    assert found("päiväkodissa") == []
    assert found("kirjastossa") == [action.pk]
