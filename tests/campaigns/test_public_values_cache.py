"""What the campaign and organisation pages compute for everyone (the live counter, the published
winners, an organisation's awards) is kept in the shared cache, so logged-in users, who never get a
cached page, do not pay for it on every visit; and every change still shows at once."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arena.models import Action
from arena.services import action_publish
from campaigns.services import results_freeze, results_publish
from tests.factories import ActionFactory, OrganisationFactory, UserFactory, helsinki

pytestmark = [pytest.mark.django_db, pytest.mark.caches, pytest.mark.usefixtures("public_cache")]

DURING = helsinki(2026, 3, 20, 12, 0)
AT_GALA = helsinki(2026, 4, 19, 19, 0)


@pytest.fixture
def employee(client):
    user = UserFactory()
    client.force_login(user)
    return user


def page(client, campaign):
    return client.get(reverse("campaigns:campaign-detail", args=[campaign.slug])).content.decode()


def counting_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [query["sql"] for query in queries if "COUNT(" in query["sql"]]


def test_the_live_counter_is_counted_once_and_a_publication_shows_at_once(client, campaign, employee, commit,
                                                                          moderator):
    liminka = OrganisationFactory(name_fi="Liminka")
    for day in (2, 3):
        ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, day, 9))
    waiting = ActionFactory(organisation=OrganisationFactory(name_fi="Oulu"), submitted_at=helsinki(2026, 3, 4, 9),
                            status=Action.Status.SUBMITTED)
    url = reverse("campaigns:campaign-detail", args=[campaign.slug])
    with time_machine.travel(DURING, tick=False):
        assert "<strong>2</strong>" in page(client, campaign)
        assert counting_queries(client, url) == []  # neither the counter nor the list's pages counted again

        with commit():
            action_publish(action=waiting, moderator=moderator)
        html = page(client, campaign)
    assert "<strong>3</strong>" in html  # eligible actions
    assert "<strong>2</strong>" in html  # participating organisations


def test_published_winners_and_an_organisations_awards_show_at_once_to_a_logged_in_user(
        client, campaign, employee, staff, commit):
    liminka = OrganisationFactory(name_fi="Liminka", slug="liminka")
    ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, 2, 9))
    organisation_url = reverse("orgs:organisation-detail", args=[liminka.slug])
    with time_machine.travel(AT_GALA, tick=False):
        assert "Eniten tekoja" not in client.get(organisation_url).content.decode()
        with commit():
            results_freeze(campaign=campaign, user=staff, now=AT_GALA)
            results_publish(campaign=campaign, user=staff, now=AT_GALA)
        campaign_html = page(client, campaign)
        organisation_html = client.get(organisation_url).content.decode()
        assert counting_queries(client, organisation_url) == []  # its sections and awards come from the cache
    results_part = campaign_html.split('id="results-title"')[1].split(f"/campaigns/{campaign.slug}/results/")[0]
    assert "Liminka" in results_part
    assert "Eniten tekoja" in organisation_html


def test_winners_are_kept_per_language(client, campaign, employee, staff, commit):
    ActionFactory(organisation=OrganisationFactory(name_fi="Liminka", name_sv="Limingo"),
                  submitted_at=helsinki(2026, 3, 2, 9))
    with time_machine.travel(AT_GALA, tick=False):
        with commit():
            results_freeze(campaign=campaign, user=staff, now=AT_GALA)
            results_publish(campaign=campaign, user=staff, now=AT_GALA)
        finnish = client.get(f"/fi/campaigns/{campaign.slug}/").content.decode()
        swedish = client.get(f"/sv/campaigns/{campaign.slug}/").content.decode()
    assert "Liminka" in finnish.split('id="results-title"')[1] and "Limingo" not in finnish
    assert "Limingo" in swedish.split('id="results-title"')[1]
