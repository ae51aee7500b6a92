"""Every public page costs the same number of queries whatever the number of actions (the
benchmark prints the counts on 100 000 actions; here a small catalogue grows tenfold)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arena.models import Action
from arena.search import action_update_search_vector
from tests.factories import (
    ActionFactory, ActionImageFactory, AdoptionFactory, LikeFactory, OrganisationFactory, SectorFactory,
    ThemeFactory, UserFactory,
)

pytestmark = pytest.mark.django_db


def _grow(count, *, organisations, sectors, themes, users):
    for index in range(count):
        action = ActionFactory(organisation=organisations[index % len(organisations)], sectors=sectors,
                               themes=themes, summary="Päiväkodin arki helpottui.")
        ActionImageFactory(action=action, is_cover=True)
        ActionImageFactory(action=action)
        for user in users[: 1 + index % 2]:
            LikeFactory(action=action, user=user)
        AdoptionFactory(action=action, organisation=organisations[(index + 1) % len(organisations)])
        action_update_search_vector(action)
    for action in Action.objects.all():
        action.like_count, action.adoption_count = action.likes.count(), action.adoptions.count()
        action.save(update_fields=["like_count", "adoption_count"])


def _counts(client, urls) -> dict:
    counts = {}
    for url in urls:
        client.get(url)  # the same warm-up as the benchmark
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_public_pages_cost_the_same_queries_at_5_and_at_60_actions(client):
    organisations = OrganisationFactory.create_batch(3)
    sectors, themes, users = [SectorFactory(), SectorFactory()], [ThemeFactory()], UserFactory.create_batch(2)
    _grow(5, organisations=organisations, sectors=sectors, themes=themes, users=users)
    first = Action.objects.order_by("id").first()
    urls = [
        "/fi/", "/fi/actions/", f"/fi/actions/?sector={sectors[0].slug}", "/fi/actions/?q=p%C3%A4iv%C3%A4koti",
        first.get_absolute_url(), f"/fi/organisations/{organisations[0].slug}/", "/fi/statistics/",
    ]
    small = _counts(client, urls)
    more = [*organisations, *OrganisationFactory.create_batch(7)]
    _grow(55, organisations=more, sectors=sectors, themes=themes, users=[*users, *UserFactory.create_batch(3)])
    assert _counts(client, urls) == small
