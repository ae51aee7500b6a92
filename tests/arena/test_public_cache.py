"""Anonymous pages come from the shared cache, and every change a visitor could see shows up at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arena.search import action_update_search_vector
from arena.services import action_adopt, action_hide, action_like, action_publish, action_unlike
from tests.factories import ActionFactory, MembershipFactory, OrganisationFactory, SectorFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_cache"), pytest.mark.caches]


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


def test_an_adoption_updates_the_front_page_figures(client, commit):
    action = ActionFactory(title="Lukudiplomi")
    member = MembershipFactory(organisation=OrganisationFactory(name_fi="Oulu")).user
    before = client.get("/fi/").context["figures"]
    assert before["adoptions"] == 0
    with commit():
        action_adopt(action=action, organisation=member.memberships.get().organisation, user=member)
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


def test_a_page_with_a_csrf_token_is_never_cached(client, settings):
    # Caching the login form would hand one visitor's CSRF token to the next, whose login would fail.
    settings.PUBLIC_PAGE_CACHE_VIEWS = {*settings.PUBLIC_PAGE_CACHE_VIEWS, "account_login"}
    client.get("/fi/accounts/login/")
    assert not _hit(client.get("/fi/accounts/login/"))


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


def test_a_logged_in_user_sees_a_publication_and_a_like_on_the_front_page_at_once(client, commit):
    ActionFactory(title="Lukudiplomi")
    pending = ActionFactory(title="Kirjastoauto", status="submitted", published_at=None)
    reader = UserFactory()
    client.force_login(reader)
    assert "Kirjastoauto" not in client.get("/fi/").content.decode()
    with commit():
        action_publish(action=pending, moderator=UserFactory(is_staff=True, is_superuser=True))
    html = client.get("/fi/").content.decode()
    assert "Kirjastoauto" in html.split('id="latest-title"')[1]
    assert 'id="liked-title"' not in html
    with commit():
        action_like(action=pending, user=reader)
    assert "Kirjastoauto" in client.get("/fi/").content.decode().split('id="liked-title"')[1]


def test_a_logged_in_list_reads_its_filter_choices_from_the_cache(client):
    ActionFactory(title="Lukudiplomi", sectors=[SectorFactory(slug="opetus", name_fi="Opetus")])
    client.force_login(UserFactory())
    assert 'value="opetus"' in client.get("/fi/actions/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/fi/actions/?sector=opetus").content.decode()
    assert "Lukudiplomi" in html and 'value="opetus" selected' in html
    assert not [query for query in queries if 'FROM "arena_sector"' in query["sql"]]
