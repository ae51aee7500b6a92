import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from arena.models import Action
from arena.search import action_update_search_vector
from arena.filters import register_action_filter, unregister_action_filter
from arena.selectors import action_browse
from orgs.models import Organisation
from tests.factories import (
    ActionFactory, ActionImageFactory, AdoptionFactory, LikeFactory, OrganisationFactory, RegionFactory,
    SectorFactory, ThemeFactory, UserFactory,
)

pytestmark = pytest.mark.django_db

HELSINKI = datetime.timezone(datetime.timedelta(hours=2))


def _titles(response):
    return re.findall(r'<h3 lang="\w\w"><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


@pytest.fixture
def known_set():
    """Six published actions with known sectors, themes, organisations and dates, plus hidden ones."""
    north = RegionFactory(code="17", name_fi="Pohjois-Pohjanmaa")
    south = RegionFactory(code="02", name_fi="Varsinais-Suomi")
    area = OrganisationFactory(kind=Organisation.Kind.WELFARE_AREA, code="17", name_fi="Pohteva", region=north)
    liminka = OrganisationFactory(name_fi="Liminka", slug="liminka", region=north, welfare_area=area)
    turku = OrganisationFactory(name_fi="Turku", slug="turku", region=south)
    ecec = SectorFactory(slug="ecec", name_fi="Varhaiskasvatus")
    hr = SectorFactory(slug="hr-test", name_fi="Henkilöstö")
    digi = ThemeFactory(slug="digi", name_fi="Digitalisaatio")
    lead = ThemeFactory(slug="lead", name_fi="Johtaminen")
    at = lambda y, m, d: datetime.datetime(y, m, d, 12, tzinfo=HELSINKI)  # noqa: E731
    rows = [
        ("A Liminka ecec digi 2024", liminka, [ecec], [digi], at(2024, 3, 1), "fi", "piloting", 5, 0),
        ("B Liminka hr lead 2025", liminka, [hr], [lead], at(2025, 2, 1), "fi", "established", 1, 3),
        ("C Turku ecec lead 2025", turku, [ecec], [lead], at(2025, 5, 1), "sv", "established", 9, 1),
        ("D Turku hr digi 2025", turku, [hr], [digi], at(2025, 6, 1), "sv", "piloting", 0, 2),
        ("E Pohteva ecec+hr 2025", area, [ecec, hr], [digi, lead], at(2025, 7, 1), "fi", "preparation", 2, 0),
        ("F Turku english 2024", turku, [hr], [lead], at(2024, 12, 31), "en", "established", 0, 0),
    ]
    for title, org, sectors, themes, when, lang, stage, likes, adoptions in rows:
        ActionFactory(title=title, organisation=org, sectors=sectors, themes=themes, submitted_at=when,
                      published_at=when, language=lang, stage=stage, like_count=likes, adoption_count=adoptions)
    for status in ("draft", "submitted", "returned", "rejected", "hidden"):
        ActionFactory(title=f"Secret {status}", organisation=liminka, sectors=[ecec], themes=[digi],
                      status=status, submitted_at=at(2025, 1, 1))
    return {"liminka": liminka, "turku": turku, "area": area}


def _browse(**params):
    return sorted(t[0] for t in action_browse(params).queryset.values_list("title", flat=True))


@pytest.mark.parametrize(("params", "expected"), [
    ({}, "ABCDEF"),
    ({"sector": "ecec"}, "ACE"),
    ({"sector": "ecec", "theme": "lead"}, "CE"),
    ({"organisation": "turku"}, "CDF"),
    ({"organisation": "turku", "sector": "hr-test", "theme": "digi"}, "D"),
    ({"kind": "welfare_area"}, "E"),
    ({"kind": "municipality", "region": "17"}, "AB"),
    ({"region": "02"}, "CDF"),
    ({"welfare_area": "17"}, "ABE"),
    ({"year": "2024"}, "AF"),
    ({"year": "2025", "language": "sv"}, "CD"),
    ({"stage": "piloting"}, "AD"),
    ({"language": "en"}, "F"),
    ({"submitted_from": "2025-02-01", "submitted_to": "2025-06-01"}, "BCD"),
    ({"submitted_to": "2024-12-31"}, "AF"),
])
def test_filter_combinations(known_set, params, expected):
    assert "".join(_browse(**params)) == expected


def test_sector_filter_with_two_sectors_keeps_each_action_once(known_set):
    assert action_browse({"theme": "digi"}).queryset.count() == 3


@pytest.mark.parametrize(("sort", "expected"), [
    ("newest", "EDCBFA"), ("likes", "CAEBDF"), ("adoptions", "BDCEFA"),
])
def test_sorting(client, known_set, sort, expected):
    response = client.get("/fi/actions/", {"sort": sort})
    assert "".join(t[0] for t in _titles(response)) == expected


@pytest.mark.parametrize(("sort", "expected"), [("newest", "ECA"), ("likes", "CAE"), ("adoptions", "CEA")])
def test_a_filtered_list_keeps_the_chosen_order(client, known_set, sort, expected):
    # Few matches are found first and then sorted (arena.selectors._few_matches_ordered).
    response = client.get("/fi/actions/", {"sector": "ecec", "sort": sort})
    assert "".join(t[0] for t in _titles(response)) == expected


def test_list_shows_count_filters_in_the_form_and_no_unpublished(client, known_set):
    response = client.get("/fi/actions/", {"sector": "ecec", "theme": "lead"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="results-title">2 tekoa</h2>' in html
    assert '<option value="ecec" selected>' in html
    assert '<option value="lead" selected>' in html
    assert sorted(_titles(response)) == ["C Turku ecec lead 2025", "E Pohteva ecec+hr 2025"]
    assert "Secret" not in client.get("/fi/actions/").content.decode()


def test_unknown_filter_values_are_ignored_with_a_notice(client, known_set):
    response = client.get("/fi/actions/", {"sector": "no-such", "year": "abc", "sort": "weird",
                                           "submitted_from": "31.12.2024", "organisation": "turku"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-such" in html and "abc" in html and "weird" in html and "31.12.2024" in html
    assert sorted(t[0] for t in _titles(response)) == ["C", "D", "F"]


def test_page_out_of_range_shows_the_last_page(client):
    ActionFactory.create_batch(30)
    first = client.get("/fi/actions/")
    last = client.get("/fi/actions/", {"page": "999"})
    junk = client.get("/fi/actions/", {"page": "x"})
    assert last.status_code == 200
    assert len(_titles(first)) == 24
    assert len(_titles(last)) == 6
    assert _titles(junk) == _titles(first)
    assert 'aria-current="page">' in last.content.decode()


def test_pagination_links_keep_the_filters(client):
    sector = SectorFactory(slug="paged")
    ActionFactory.create_batch(26, sectors=[sector])
    html = client.get("/fi/actions/", {"sector": "paged"}).content.decode()
    assert 'href="?sector=paged&amp;page=2"' in html


def test_registered_filter_narrows_the_list(client, known_set):
    # Its own name: registering "campaign" here would replace, and then remove, the campaigns app's filter.
    register_action_filter("season", "Kausi", lambda: [("spring", "Kevät 2025")],
                           lambda qs, value: qs.filter(submitted_at__year=2025))
    try:
        response = client.get("/fi/actions/", {"season": "spring"})
        assert 'name="season"' in response.content.decode()
        assert sorted(t[0] for t in _titles(response)) == ["B", "C", "D", "E"]
        assert _browse(season="autumn") == list("ABCDEF")
    finally:
        unregister_action_filter("season")


@pytest.fixture
def busy_catalogue():
    """55 published actions with 2 images each, likes and adoptions."""
    users = UserFactory.create_batch(3)
    orgs = OrganisationFactory.create_batch(3)
    sectors = [SectorFactory(), SectorFactory()]
    themes = [ThemeFactory(), ThemeFactory()]
    actions = []
    for index in range(55):
        action = ActionFactory(organisation=orgs[index % 3], sectors=sectors, themes=themes,
                               summary="Päiväkodin arki helpottui.")
        ActionImageFactory(action=action, is_cover=True)
        ActionImageFactory(action=action)
        for user in users[:2]:
            LikeFactory(action=action, user=user)
        AdoptionFactory(action=action, organisation=orgs[(index + 1) % 3])
        action_update_search_vector(action)
        actions.append(action)
    Action.objects.update(like_count=2, adoption_count=1)
    return actions


def test_list_and_search_cost_a_constant_number_of_queries(client, busy_catalogue, django_assert_max_content_queries,
                                                           django_assert_max_num_queries):
    with django_assert_max_content_queries(12):
        response = client.get("/fi/actions/")
    assert len(_titles(response)) == 24
    assert response.content.decode().count("<picture") == 24
    with django_assert_max_num_queries(1):  # the next visitor: the page's versions and the page, read together
        assert client.get("/fi/actions/").content == response.content
    with django_assert_max_content_queries(12):
        response = client.get("/fi/actions/", {"q": "päiväkoti", "sort": "likes", "page": "2"})
    assert len(_titles(response)) == 24


def test_front_page_costs_a_constant_number_of_queries(client, busy_catalogue, django_assert_max_content_queries):
    with django_assert_max_content_queries(8):
        response = client.get("/fi/")
    html = response.content.decode()
    assert "<strong>55</strong>" in html
    assert "{# running campaign #}" not in html
    assert len(_titles(response)) == 12


def test_front_page_figures_count_only_published(client, known_set):
    html = client.get("/sv/").content.decode()
    assert "<strong>6</strong>" in html  # actions
    assert "<strong>3</strong>" in html  # organisations
    assert "<strong>6</strong>" in html  # adoptions 0+3+1+2+0+0
    assert "Secret" not in html


def test_statistics_page(client, known_set, django_assert_max_content_queries):
    with time_machine.travel(datetime.datetime(2025, 8, 15, 12, tzinfo=HELSINKI)):
        # 10 for the figures, the shared cache's own statements apart
        with django_assert_max_content_queries(12):
            response = client.get("/fi/statistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/fi/actions/?region=17"' in html
    assert 'href="/fi/actions/?welfare_area=17"' in html
    # Pohjois-Pohjanmaa has 3 actions (A, B, E): the highest colour level on the region map.
    assert re.search(r'href="/fi/actions/\?region=17" aria-label="[^"]*3[^"]*"><title>[^<]*</title><path class="area level-5"', html)
    assert re.search(r'href="/fi/actions/\?region=01" [^>]*><title>[^<]*</title><path class="area level-0"', html)
    assert "Tilastokeskus" in html or "Statistics Finland" in html
    assert "style=" not in html
    assert "Secret" not in html
    assert '<th scope="row"><a href="/fi/actions/?sector=ecec">Varhaiskasvatus</a></th><td class="num">3</td>' in html


def test_statistics_with_many_actions_costs_a_constant_number_of_queries(client, busy_catalogue,
                                                                        django_assert_max_content_queries):
    with django_assert_max_content_queries(12):  # 10 for the figures, the shared cache's own statements apart
        assert client.get("/fi/statistics/").status_code == 200


def test_actions_per_month_is_in_helsinki_time(known_set):
    from arena.statistics import actions_per_month

    ActionFactory(title="New year", published_at=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=HELSINKI))
    rows = dict(actions_per_month(today=datetime.date(2025, 1, 10), months=2))
    assert rows[datetime.date(2024, 12, 1)] == 2  # F and "New year"
    assert rows[datetime.date(2025, 1, 1)] == 0


def test_list_page_marks_the_action_language(client, known_set):
    html = client.get("/fi/actions/", {"language": "sv"}).content.decode()
    assert '<h3 lang="sv">' in html
    assert timezone.now()


def test_statistics_are_cached_for_a_few_minutes(client, known_set, django_assert_max_num_queries):
    client.get("/fi/statistics/")
    with django_assert_max_num_queries(1):  # only the read from the shared database cache
        response = client.get("/fi/statistics/")
    assert "Pohjois-Pohjanmaa" in response.content.decode()
    assert client.get("/sv/statistics/").content.decode().count("Landskap") >= 1
