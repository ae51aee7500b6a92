"""What campaigns add to arena's pages: the list filter and the moderation queue's column and filter."""

import pytest

from arena.models import Action
from tests.factories import ActionFactory, OrganisationFactory, helsinki

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(campaign):
    inside = ActionFactory(title="Keväällä lähetetty", submitted_at=helsinki(2026, 4, 12, 23, 59, 59))
    after = ActionFactory(title="Kampanjan jälkeen", submitted_at=helsinki(2026, 4, 13, 0, 0))
    waiting = ActionFactory(title="Odottaa vielä", status=Action.Status.SUBMITTED,
                            submitted_at=helsinki(2026, 3, 2, 10))
    return inside, after, waiting


def test_action_list_filters_by_campaign(client, campaign, actions):
    html = client.get("/fi/actions/", {"campaign": campaign.slug}).content.decode()
    assert "Keväällä lähetetty" in html
    assert "Kampanjan jälkeen" not in html
    assert "Odottaa vielä" not in html  # not public


def test_moderation_queue_shows_the_campaign_it_would_count_for(client, group_moderator, campaign, actions):
    client.force_login(group_moderator)
    html = client.get("/admin/arena/action/", {"status__exact": "submitted"}).content.decode()
    assert "Odottaa vielä" in html and "Kevään kampanja 2026" in html


def test_moderation_queue_filters_by_campaign(client, group_moderator, campaign, actions):
    ineligible = OrganisationFactory(kind="other")
    ActionFactory(title="Muun organisaation", organisation=ineligible, submitted_at=helsinki(2026, 3, 5))
    campaign.eligible_kinds = ["municipality"]
    campaign.save()
    client.force_login(group_moderator)
    html = client.get("/admin/arena/action/", {"campaign": campaign.slug, "status__isnull": "False"}).content.decode()
    assert "Keväällä lähetetty" in html and "Odottaa vielä" in html
    assert "Kampanjan jälkeen" not in html and "Muun organisaation" not in html
