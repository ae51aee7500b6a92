"""The list and the search cost the same however many actions match: the count stops at the cap
("more than …"), the pages reach the first RESULT_CAP actions and a search ranks at most that many
candidates. A cap of 5 stands in for the real 1 000."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from arena import selectors
from arena.search import action_update_search_vector
from tests.factories import ActionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(selectors, "RESULT_CAP", 5)
    return 5


def published(title, day, **kwargs):
    action = ActionFactory(title=title, published_at=datetime.datetime(2025, 3, day, 12, tzinfo=HELSINKI), **kwargs)
    action_update_search_vector(action)
    return action


@pytest.fixture
def eight_libraries(db):
    organisation = OrganisationFactory()
    # Older actions name the library in the title too (a better match than the newer ones).
    return [published("Kirjasto kirjasto kirjasto" if day <= 3 else f"Kirjasto ja kylä {day}", day,
                      organisation=organisation, summary="Kirjaston palvelut.") for day in range(1, 9)]


def cards(html):
    return re.findall(r'<li class="card action-card">', html)


@pytest.mark.parametrize("language, heading", [("fi", "Yli 5 tekoa"), ("sv", "Över 5 åtgärder"),
                                               ("en", "More than 5 actions")])
def test_a_search_with_more_matches_than_the_cap_says_more_than(client, cap, eight_libraries, language, heading):
    html = client.get(f"/{language}/actions/", {"q": "kirjasto"}).content.decode()
    assert f'<h2 id="results-title">{heading}</h2>' in html
    assert len(cards(html)) == 5
    assert 'class="list-limit"' in html


def test_the_list_without_filters_counts_exactly_but_pages_through_the_cap(client, cap, eight_libraries):
    html = client.get("/en/actions/").content.decode()
    assert '<h2 id="results-title">8 actions</h2>' in html
    assert len(cards(html)) == 5
    assert 'class="list-limit"' in html


def test_under_the_cap_the_count_is_exact_and_nothing_is_said(client, eight_libraries):
    html = client.get("/en/actions/", {"q": "kirjasto"}).content.decode()
    assert '<h2 id="results-title">8 actions</h2>' in html
    assert 'class="list-limit"' not in html


def test_relevance_ranks_the_newest_candidates(cap, eight_libraries):
    """Without the cap the three old titles would come first; with it only the 5 newest are ranked."""
    browse = selectors.action_browse({"q": "kirjasto"})
    page, pks = selectors.browse_page(browse, 1)
    newest_five = {action.pk for action in eight_libraries[3:]}
    assert set(pks) == newest_five
    uncapped = [a.pk for a in browse.queryset]
    assert uncapped[:3] == [a.pk for a in sorted(eight_libraries[:3], key=lambda a: a.published_at, reverse=True)]


def test_out_of_range_pages_stop_at_the_cap(client, cap, eight_libraries):
    response = client.get("/en/actions/", {"q": "kirjasto", "page": "99"})
    assert response.status_code == 200
    assert len(cards(response.content.decode())) == 5


def test_every_count_of_the_list_and_search_is_bounded(client, settings, eight_libraries, django_assert_max_num_queries):
    settings.PUBLIC_CACHE = False  # the pages' own cost, with nothing cached
    for params in ({}, {"q": "kirjasto"}, {"q": "kirjasto", "sort": "newest"}, {"stage": "established"}):
        with django_assert_max_num_queries(30) as queries:
            assert client.get("/fi/actions/", params).status_code == 200
        on_actions = [q["sql"] for q in queries.captured_queries if '"arena_action"' in q["sql"]]
        counts = [sql for sql in on_actions if "COUNT(" in sql.upper()]
        assert all("LIMIT 1001" in sql for sql in counts), counts
        ranked = [sql for sql in on_actions if "TS_RANK" in sql.upper()]
        assert all("LIMIT 1000" in sql for sql in ranked), ranked
