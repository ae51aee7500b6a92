"""The juror's list a page at a time, its fixed number of queries, and every change seen at the next request."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from campaigns import jury
from campaigns.models import AwardCategory
from tests.campaigns.jury_setup import SCORING, make_jury, scores_for
from tests.factories import ActionFactory, AwardCategoryFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def at_scoring_time():
    with time_machine.travel(SCORING, tick=False):
        yield


def url(name, campaign, *args):
    with translation.override("en"):
        return reverse(f"campaigns:{name}", args=[campaign.slug, *args])


def add_entries(j, count):
    return [ActionFactory(title=f"Teko {number:03d}", submitted_at=SCORING - datetime.timedelta(days=40))
            for number in range(count)]


def titles(response):
    return [entry.action.title for entry in response.context["entries"]]


def test_a_long_list_comes_a_page_at_a_time_with_the_filters_kept(client):
    j = make_jury()
    extra = add_entries(j, 60)  # 64 entries: two pages of 50
    jury.review_save(juror=j.lenient, action=extra[0], scores=scores_for(j.criteria, (3, 3, 3)), comment="",
                     now=SCORING)
    client.force_login(j.lenient.user)

    first = client.get(url("jury-list", j.campaign))
    html = first.content.decode()
    assert len(titles(first)) == 50
    assert "Showing 64 entries of 64." in html
    assert '<nav class="pagination" aria-label="Pages">' in html
    assert 'href="?page=1" aria-current="page"' in html
    assert 'href="?page=2" rel="next"' in html
    assert "1 of 64 entries scored" in html  # progress counts every entry, not only this page's

    second = client.get(url("jury-list", j.campaign), {"page": 2})
    assert len(titles(second)) == 14
    assert titles(second)[-4:] == ["W-teko", "X-teko", "Y-teko", "Z-teko"]

    todo = client.get(url("jury-list", j.campaign), {"status": "todo"})
    todo_html = todo.content.decode()
    assert "Showing 63 entries of 64." in todo_html
    assert 'href="?status=todo&amp;page=2"' in todo_html  # the pages keep the filter
    assert "Teko 000" not in titles(todo)
    last = client.get(url("jury-list", j.campaign), {"status": "todo", "page": 2})
    assert len(titles(last)) == 13


def count_queries(client, path):
    """The content queries of a request (not the shared cache's own statements)."""
    from tests.conftest import _cache_statement

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len([query for query in queries.captured_queries if not _cache_statement(query["sql"])])


def test_the_number_of_queries_does_not_grow_with_the_entries(client):
    small = make_jury()
    client.force_login(small.lenient.user)
    small_first = count_queries(client, url("jury-list", small.campaign))
    small_again = count_queries(client, url("jury-list", small.campaign))

    add_entries(small, 80)
    large = make_jury(slug="kevat-2026-b")  # the same period: every one of the 88 actions is its entry
    client.force_login(large.lenient.user)
    large_first = count_queries(client, url("jury-list", large.campaign))
    large_again = count_queries(client, url("jury-list", large.campaign))

    assert len(jury.juror_entries(juror=large.lenient, now=SCORING)) == 88
    # Nothing grows with the entries. Once the campaign's part (its entries, criteria and filter
    # choices) is kept, a request reads only the juror's own part: the session, the user, the
    # juror role, their scores and conflicts.
    assert large_first == small_first <= 14
    assert large_again == small_again <= large_first - 4


def test_a_saved_score_shows_in_the_list_at_once(client):
    j = make_jury()
    client.force_login(j.lenient.user)
    assert "0 of 4 entries scored" in client.get(url("jury-list", j.campaign)).content.decode()

    response = client.post(url("jury-review", j.campaign, j.actions["X"].pk),
                           {f"criterion_{c.pk}": "4" for c in j.criteria})
    assert response.status_code == 302

    html = client.get(url("jury-list", j.campaign)).content.decode()
    assert "1 of 4 entries scored" in html


def test_a_new_membership_hides_the_entry_at_once(client):
    j = make_jury()
    client.force_login(j.lenient.user)
    review_x = url("jury-review", j.campaign, j.actions["X"].pk)
    assert review_x in client.get(url("jury-list", j.campaign)).content.decode()

    MembershipFactory(user=j.lenient.user, organisation=j.organisations[0])

    html = client.get(url("jury-list", j.campaign)).content.decode()
    assert review_x not in html
    assert "Not shown: conflict of interest" in html
    assert "0 of 3 entries scored" in html


def test_a_juror_removed_from_the_jury_loses_the_pages_at_their_next_request(client):
    j = make_jury()
    client.force_login(j.lenient.user)
    review_x = url("jury-review", j.campaign, j.actions["X"].pk)
    assert client.get(url("jury-list", j.campaign)).status_code == 200
    assert client.get(review_x).status_code == 200

    j.lenient.delete()

    assert client.get(url("jury-list", j.campaign)).status_code == 404
    assert client.get(review_x).status_code == 404
    assert client.post(review_x, {f"criterion_{c.pk}": "4" for c in j.criteria}).status_code == 404


def test_a_juror_made_chair_gets_the_chairs_view_link_at_once(client):
    j = make_jury()
    client.force_login(j.lenient.user)
    chair_url = url("jury-chair", j.campaign)
    assert chair_url not in client.get(url("jury-list", j.campaign)).content.decode()

    j.lenient.is_chair = True
    j.lenient.save()

    assert chair_url in client.get(url("jury-list", j.campaign)).content.decode()
    assert client.get(chair_url).status_code == 200


def test_a_changed_shortlist_changes_the_list_at_once(client):
    j = make_jury()
    client.force_login(j.lenient.user)
    assert len(titles(client.get(url("jury-list", j.campaign)))) == 4

    j.category.shortlist.set([j.actions["X"]])

    assert titles(client.get(url("jury-list", j.campaign))) == ["X-teko"]


def test_the_logout_form_carries_a_csrf_token_that_logs_out(client):
    j = make_jury()
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(j.lenient.user)
    html = csrf_client.get(url("jury-list", j.campaign)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert csrf_client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert csrf_client.get(url("jury-list", j.campaign)).status_code == 404  # logged out


def test_a_chair_and_a_juror_each_see_their_own_page(client):
    """The same URL, the same entries, the same moment: only the chair gets the chair's view."""
    j = make_jury()
    j.lenient.is_chair = True
    j.lenient.save()
    chair_url = url("jury-chair", j.campaign)
    chair, juror = type(client)(), type(client)()
    chair.force_login(j.lenient.user)
    juror.force_login(j.harsh.user)
    for _ in range(2):  # alternately, so that neither could be served the other's page
        assert chair_url in chair.get(url("jury-list", j.campaign)).content.decode()
        assert chair_url not in juror.get(url("jury-list", j.campaign)).content.decode()
    assert juror.get(chair_url).status_code == 403


def test_another_jury_category_is_a_filter_choice_at_once(client):
    j = make_jury()
    client.force_login(j.lenient.user)
    client.get(url("jury-list", j.campaign))
    second = AwardCategoryFactory(campaign=j.campaign, kind=AwardCategory.Kind.JURY, name_en="Best small action")
    second.shortlist.set([j.actions["W"]])
    with translation.override("en"):
        response = client.get(url("jury-list", j.campaign), {"category": second.pk})
    assert titles(response) == ["W-teko"]


def test_an_action_shortlisted_from_its_own_side_changes_the_list_at_once(client):
    j = make_jury()
    client.force_login(j.lenient.user)
    j.category.shortlist.set([j.actions["X"]])
    assert titles(client.get(url("jury-list", j.campaign))) == ["X-teko"]  # now kept

    j.actions["W"].shortlisted_in.add(j.category)  # as an action's admin would

    assert titles(client.get(url("jury-list", j.campaign))) == ["W-teko", "X-teko"]
