"""Anonymous pages come from the shared cache, keyed on the versions of what they show, and every
change a visitor could see shows up at once; a like renews only its own action."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from arena.cache import COUNTS_TIMEOUT
from arena.search import action_update_search_vector
from arena.services import action_adopt, action_hide, action_like, action_publish, action_unlike
from tests.factories import ActionFactory, MembershipFactory, OrganisationFactory, SectorFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.caches, pytest.mark.usefixtures("public_cache")]


def _hit(response) -> bool:
    return response.headers.get("X-Page-Cache") == "hit"


def test_a_second_anonymous_visit_comes_from_the_cache(client, django_assert_max_num_queries):
    ActionFactory(title="Lukudiplomi")
    first = client.get("/fi/actions/")
    assert first.status_code == 200 and not _hit(first)
    with django_assert_max_num_queries(1):  # the generation and the page, read together
        second = client.get("/fi/actions/")
    assert _hit(second)
    assert second.content == first.content
    assert second["Content-Type"].startswith("text/html")


def test_a_like_shows_at_once_on_the_cached_detail_page(client, commit):
    action = ActionFactory(title="Lukudiplomi")
    url = action.get_absolute_url()
    assert b"<strong data-like-count>0</strong>" in client.get(url).content
    assert _hit(client.get(url))
    with commit():
        action_like(action=action, user=UserFactory())
    page = client.get(url)
    assert not _hit(page)
    assert b"<strong data-like-count>1</strong>" in page.content
    with commit():
        action_unlike(action=action, user=UserFactory())  # nobody's like: nothing changes, the cache stays
    assert _hit(client.get(url))


def test_a_publication_and_a_hiding_show_at_once_in_the_list_and_on_the_front_page(client, commit):
    ActionFactory(title="Lukudiplomi")
    pending = ActionFactory(title="Kirjastoauto", status="submitted", published_at=None)
    moderator = UserFactory(is_staff=True, is_superuser=True)
    for url in ("/fi/actions/", "/fi/"):
        assert "Kirjastoauto" not in client.get(url).content.decode()
        assert _hit(client.get(url))
    with commit():
        action_publish(action=pending, moderator=moderator)
    for url in ("/fi/actions/", "/fi/"):
        assert "Kirjastoauto" in client.get(url).content.decode()
    with commit():
        action_hide(action=pending, moderator=moderator, message="Väärä organisaatio.")
    assert "Kirjastoauto" not in client.get("/fi/actions/").content.decode()


def test_an_adoption_shows_at_once_on_the_action_and_in_the_front_page_figures_after_their_short_timeout(
        client, commit):
    action = ActionFactory(title="Lukudiplomi")
    member = MembershipFactory(organisation=OrganisationFactory(name_fi="Oulu")).user
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        before = client.get("/fi/").context["figures"]
        assert before["adoptions"] == 0
        assert "Oulu" not in client.get(action.get_absolute_url()).content.decode()
        with commit():
            action_adopt(action=action, organisation=member.memberships.get().organisation, user=member)
        assert "Oulu" in client.get(action.get_absolute_url()).content.decode()  # its own page at once
        assert _hit(client.get("/fi/"))  # an adoption renews its action, not every list
    with time_machine.travel(now + datetime.timedelta(seconds=COUNTS_TIMEOUT + 1), tick=False):
        response = client.get("/fi/")
    assert not _hit(response)
    assert response.context["figures"]["adoptions"] == 1


def test_languages_and_queries_are_cached_apart(client):
    ActionFactory(title="Lukudiplomi")
    client.get("/fi/actions/")
    assert not _hit(client.get("/sv/actions/"))
    assert not _hit(client.get("/fi/actions/?q=lukudiplomi"))
    assert client.get("/sv/actions/").headers["Content-Language"] == "sv"


def test_logged_in_users_never_get_a_cached_page(client):
    ActionFactory(title="Lukudiplomi")
    client.get("/fi/actions/")
    assert _hit(client.get("/fi/actions/"))
    user = UserFactory()
    client.force_login(user)
    page = client.get("/fi/actions/")
    assert not _hit(page)
    assert "Log out" in page.content.decode() or "Kirjaudu ulos" in page.content.decode()
    client.logout()


@pytest.mark.urls("tests.arena.cached_login_urls")
def test_a_page_with_a_csrf_token_is_never_cached(client):
    # Caching the login form would hand one visitor's CSRF token to the next, whose login would fail.
    first = client.get("/fi/login/")
    assert "csrfmiddlewaretoken" in first.content.decode()
    again = client.__class__().get("/fi/login/")
    assert not _hit(again)
    assert again.context["csrf_token"] != first.context["csrf_token"]
    assert "private" in again["Cache-Control"] and "public" not in again["Cache-Control"]


def test_a_page_showing_a_message_is_neither_served_from_nor_stored_in_the_cache(client):
    ActionFactory(title="Lukudiplomi")
    client.get("/fi/")
    client.force_login(UserFactory())
    client.post("/fi/accounts/logout/")  # "You have signed out." waits for the next page
    page = client.get("/fi/")
    assert not _hit(page)
    shown = [str(message) for message in page.context["messages"]]
    assert shown
    other_visitor = client.__class__()
    assert shown[0] not in other_visitor.get("/fi/").content.decode()


def test_a_cookieless_hit_keeps_the_security_headers(client):
    ActionFactory(title="Lukudiplomi")
    first = client.get("/fi/actions/")
    hit = client.__class__().get("/fi/actions/")  # no cookies: answered before the other middleware
    assert _hit(hit)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Content-Type"):
        assert hit.headers.get(header) == first.headers.get(header) and hit.headers.get(header)
    assert "Set-Cookie" not in hit.headers


def test_a_cookieless_request_over_http_is_still_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    ActionFactory(title="Lukudiplomi")
    client.get("/fi/actions/", secure=True)
    response = client.__class__().get("/fi/actions/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_a_logged_in_search_is_not_run_again_yet_a_publication_and_a_hiding_show_at_once(client, commit):
    """Logged-in users get no cached pages, but which actions a search or filter finds is kept."""
    action_update_search_vector(ActionFactory(title="Päiväkodin lukuhetki"))
    pending = ActionFactory(title="Päiväkodin kirjastoauto", status="submitted", published_at=None)
    action_update_search_vector(pending)
    moderator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(UserFactory())
    url = "/fi/actions/?q=p%C3%A4iv%C3%A4koti"
    assert "kirjastoauto" not in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert "lukuhetki" in again
    assert not [query for query in queries if "@@" in query["sql"] or "COUNT(" in query["sql"]]

    with commit():
        action_publish(action=pending, moderator=moderator)
    html = client.get(url).content.decode()
    assert "kirjastoauto" in html and "2 tekoa" in html
    with commit():
        action_hide(action=pending, moderator=moderator, message="Väärä organisaatio.")
    assert "kirjastoauto" not in client.get(url).content.decode()


def test_a_page_number_past_the_end_shows_the_last_page_to_a_logged_in_user(client):
    ActionFactory.create_batch(30)
    client.force_login(UserFactory())
    last = client.get("/fi/actions/?page=2")
    beyond = client.get("/fi/actions/?page=99")
    garbage = client.get("/fi/actions/?page=x")
    assert beyond.context["page"].number == 2 and beyond.context["cards"] == last.context["cards"]
    assert last.content.decode().count('class="card action-card"') == 6
    assert garbage.context["page"].number == 1
    assert garbage.content.decode().count('class="card action-card"') == 24


def test_the_organisation_pages_sections_are_kept_for_logged_in_users_and_a_publication_shows_at_once(
        client, commit):
    organisation = OrganisationFactory(slug="liminka")
    ActionFactory(title="Lukudiplomi", organisation=organisation)
    pending = ActionFactory(title="Kirjastoauto", organisation=organisation, status="submitted", published_at=None)
    client.force_login(UserFactory())
    url = "/fi/organisations/liminka/"
    assert "Lukudiplomi" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Lukudiplomi" in client.get(url).content.decode()
    assert not [query for query in queries if 'FROM "arena_action"' in query["sql"]]

    with commit():
        action_publish(action=pending, moderator=UserFactory(is_staff=True, is_superuser=True))
    assert "Kirjastoauto" in client.get(url).content.decode()


def test_a_logged_in_user_sees_a_publication_at_once_and_the_most_liked_after_their_short_timeout(
        client, commit):
    ActionFactory(title="Lukudiplomi")
    pending = ActionFactory(title="Kirjastoauto", status="submitted", published_at=None)
    reader = UserFactory()
    client.force_login(reader)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert "Kirjastoauto" not in client.get("/fi/").content.decode()
        with commit():
            action_publish(action=pending, moderator=UserFactory(is_staff=True, is_superuser=True))
        html = client.get("/fi/").content.decode()
        assert "Kirjastoauto" in html.split('id="latest-title"')[1]
        assert 'id="liked-title"' not in html
        with commit():
            action_like(action=pending, user=reader)
        html = client.get("/fi/").content.decode()
        assert 'id="liked-title"' not in html  # a like does not recompute the front page's lists
        assert "1 tykkäys" in html.split('id="latest-title"')[1]  # but its own card shows it at once
    with time_machine.travel(now + datetime.timedelta(seconds=COUNTS_TIMEOUT + 1), tick=False):
        assert "Kirjastoauto" in client.get("/fi/").content.decode().split('id="liked-title"')[1]


def test_a_logged_in_list_reads_its_filter_choices_from_the_cache(client):
    ActionFactory(title="Lukudiplomi", sectors=[SectorFactory(slug="opetus", name_fi="Opetus")])
    client.force_login(UserFactory())
    assert 'value="opetus"' in client.get("/fi/actions/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/fi/actions/?sector=opetus").content.decode()
    assert "Lukudiplomi" in html and 'value="opetus" selected' in html
    assert not [query for query in queries if 'FROM "arena_sector"' in query["sql"]]


# --- Scoped to what changed -----------------------------------------------------------------------

def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries]


OTHER_PAGES = ("/fi/", "/fi/actions/", "/fi/actions/?sort=likes", "/fi/organisations/oulu/", "/fi/statistics/")


def _two_organisations_with_actions():
    oulu = OrganisationFactory(slug="oulu", name_fi="Oulu")
    liked = ActionFactory(title="Lukudiplomi", organisation=OrganisationFactory(slug="liminka"))
    ActionFactory.create_batch(3, organisation=oulu)
    return liked


def test_an_anonymous_visitor_pays_nothing_on_other_pages_after_a_like(client, commit):
    liked = _two_organisations_with_actions()
    for url in OTHER_PAGES:
        client.get(url)
    with commit():
        action_like(action=liked, user=UserFactory())
    for url in OTHER_PAGES:
        sql = _queries(client, url)
        # The versions and the page, read together (and before them an organisation's id by its slug,
        # kept too): nothing but the shared cache.
        assert [text for text in sql if "arena_cache" in text] == sql, url
        assert len(sql) == (2 if "organisations" in url else 1), url
        assert not [text for text in sql if "arena_action" in text], url
    assert b"<strong data-like-count>1</strong>" in client.get(liked.get_absolute_url()).content  # at once


def _reads(sql: list[str]) -> list[str]:
    """The queries of the content itself: not the cache's own, the session's or the user's."""
    return [text for text in sql if "arena_cache" not in text and "SAVEPOINT" not in text
            and "django_session" not in text and "orgs_user" not in text]


def test_a_like_recomputes_for_a_logged_in_reader_nothing_but_that_actions_own_card(client, commit):
    liked = _two_organisations_with_actions()
    client.force_login(UserFactory())
    for url in OTHER_PAGES:
        client.get(url)
    warm = {url: _reads(_queries(client, url)) for url in OTHER_PAGES}
    with commit():
        action_like(action=liked, user=UserFactory())
    for url in OTHER_PAGES:
        extra = [text for text in _reads(_queries(client, url)) if text not in warm[url]]
        # At most that one card again (the action, its sectors, its images), and nothing wider.
        assert len(extra) <= 3, (url, extra)
        assert all(f"IN ({liked.pk})" in text for text in extra), (url, extra)


def test_a_like_on_a_hidden_or_unknown_action_is_refused_and_changes_nothing(client):
    from arena.models import Like
    from arena.services import EngagementError

    hidden = ActionFactory(title="Piilotettu", status="hidden")
    client.force_login(user := UserFactory())
    for pk in (hidden.pk, hidden.pk + 1000):
        response = client.post(f"/fi/actions/{pk}/like/")
        assert response.status_code == 404
    with translation.override("en"), pytest.raises(EngagementError, match="Only published actions can be liked"):
        action_like(action=hidden, user=user)
    hidden.refresh_from_db()
    assert hidden.like_count == 0 and not Like.objects.exists()


def test_a_publication_shows_at_once_on_the_list_the_front_and_the_organisation_page_and_a_hiding_removes_it(
        client, commit):
    oulu = OrganisationFactory(slug="oulu", name_fi="Oulu")
    ActionFactory(title="Lukudiplomi", organisation=oulu)
    pending = ActionFactory(title="Kirjastoauto", organisation=oulu, status="submitted", published_at=None)
    moderator = UserFactory(is_staff=True, is_superuser=True)
    pages = ("/fi/", "/fi/actions/", "/fi/organisations/oulu/")
    for url in pages:
        assert "Kirjastoauto" not in client.get(url).content.decode()
        assert _hit(client.get(url))
    with commit():
        action_publish(action=pending, moderator=moderator)
    for url in pages:
        assert "Kirjastoauto" in client.get(url).content.decode(), url
    with commit():
        action_hide(action=pending, moderator=moderator, message="Väärä organisaatio.")
    for url in pages:
        assert "Kirjastoauto" not in client.get(url).content.decode(), url
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_freezing_results_changes_only_that_campaigns_pages(client, commit):
    from django.urls import reverse

    from campaigns.services import results_freeze
    from tests.factories import AwardCategoryFactory, CampaignFactory, helsinki

    frozen, other = CampaignFactory(slug="kevat-2026"), CampaignFactory(slug="syksy-2026")
    AwardCategoryFactory(campaign=frozen)
    ActionFactory(title="Lukudiplomi")
    pages = ["/fi/", "/fi/actions/", reverse("campaigns:campaign-list"),
             reverse("campaigns:campaign-results", args=[other.slug]),
             reverse("campaigns:campaign-results", args=[frozen.slug])]
    with time_machine.travel(helsinki(2026, 4, 19, 19, 0), tick=False):
        for url in pages:
            client.get(url)
            assert _hit(client.get(url)), url
        with commit():
            results_freeze(campaign=frozen, user=UserFactory(is_staff=True, is_superuser=True),
                           now=helsinki(2026, 4, 19, 19, 0))
        assert not _hit(client.get(pages[-1]))
        for url in pages[:-1]:
            assert _hit(client.get(url)), url


def test_an_anonymous_page_answers_a_conditional_get_and_may_be_kept_by_a_proxy(client, commit):
    action = ActionFactory(title="Lukudiplomi")
    url = action.get_absolute_url()
    first = client.get(url)
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    with commit():
        action_like(action=action, user=UserFactory())
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert b"<strong data-like-count>1</strong>" in changed.content


def test_a_signed_in_page_is_private_and_never_answered_with_the_anonymous_etag(client):
    action = ActionFactory(title="Lukudiplomi")
    url = action.get_absolute_url()
    etag = client.get(url)["ETag"]
    client.force_login(UserFactory())
    page = client.get(url, headers={"If-None-Match": etag})
    assert page.status_code == 200
    assert "private" in page["Cache-Control"] and "public" not in page["Cache-Control"]
    assert "Cookie" in page["Vary"]


def test_a_stale_value_is_served_at_once_while_another_request_recomputes_it():
    from arena.cache import cache, cached, changed, lock_key  # the page data's own cache

    computed = []

    def compute(value):
        def run():
            computed.append(value)
            return value
        return run

    assert cached("test:figure", compute("old"), scopes=["action:1"]) == "old"
    changed("action:1")
    # Another server is recomputing it: it holds the lock (as `cached` takes it, with cache.add).
    assert cache.add(lock_key("test:figure"), 1, 30)
    assert cached("test:figure", compute("new"), scopes=["action:1"]) == "old"  # no wait, no second computation
    assert computed == ["old"]
    cache.delete(lock_key("test:figure"))
    assert cached("test:figure", compute("new"), scopes=["action:1"]) == "new"
    assert cached("test:figure", compute("newer"), scopes=["action:1"]) == "new"  # current: kept
    assert computed == ["old", "new"]
