import re

import pytest
from django.urls import reverse

from orgs.models import Organisation
from tests.factories import EmployeeCountFactory, OrganisationFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def names_in(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


@pytest.mark.parametrize(("language", "query", "shown"), [
    ("fi", "Limingo", "Liminka"),
    ("fi", "liminka", "Liminka"),
    ("sv", "Liminka", "Limingo"),
    ("sv", "limingo", "Limingo"),
    ("sv", "Grankulla", "Grankulla"),
    ("fi", "Grankulla", "Kauniainen"),
])
def test_search_by_finnish_or_swedish_name(client, reference_organisations, language, query, shown):
    response = client.get(f"/{language}/organisations/", {"q": query})
    assert response.status_code == 200
    assert names_in(response) == [shown]


def test_directory_lists_all_with_attribution_and_pages(client, reference_organisations):
    response = client.get("/fi/organisations/")
    html = response.content.decode()
    assert "330 organisaatiota" in html
    assert len(names_in(response)) == 50
    assert "Lähde: Tilastokeskus" in html or "lähde: Tilastokeskus" in html
    assert "CC BY 4.0" in html
    assert 'rel="next"' in html


def test_page_out_of_range_shows_the_last_page(client, reference_organisations):
    last = client.get("/fi/organisations/", {"page": 7})
    beyond = client.get("/fi/organisations/", {"page": 999})
    assert beyond.status_code == 200
    assert names_in(beyond) == names_in(last)
    assert len(names_in(beyond)) == 330 - 6 * 50


def test_filter_by_kind_and_region(client, reference_organisations):
    counties = client.get("/fi/organisations/", {"kind": "welfare_area"})
    assert len(names_in(counties)) == 21
    assert "Pohjois-Pohjanmaan hyvinvointialue" in names_in(counties)
    uusimaa = client.get("/fi/organisations/", {"kind": "welfare_joint_authority", "region": "01"})
    assert names_in(uusimaa) == ["HUS-yhtymä"]
    aland = client.get("/sv/organisations/", {"region": "21", "kind": "municipality"})
    assert "Mariehamn" in names_in(aland) and len(names_in(aland)) == 16


def test_unknown_filter_value_is_an_error_not_a_crash(client, reference_organisations):
    response = client.get("/fi/organisations/", {"kind": "castle"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_names_in_swedish_on_sv_with_finnish_fallback(client, db):
    OrganisationFactory(name_fi="Ainoastaan suomeksi", name_sv=None, slug="ainoastaan")
    OrganisationFactory(name_fi="Limingan testi", name_sv="Limingo test", slug="limingan-testi")
    response = client.get("/sv/organisations/")
    assert names_in(response) == ["Ainoastaan suomeksi", "Limingo test"]
    assert names_in(client.get("/fi/organisations/")) == ["Ainoastaan suomeksi", "Limingan testi"]


def test_directory_queries_do_not_grow_with_rows(client, django_assert_max_content_queries, db):
    region = RegionFactory()
    county = OrganisationFactory(kind=Organisation.Kind.WELFARE_AREA, region=region)
    for _ in range(320):
        OrganisationFactory(region=region, welfare_area=county)
    with django_assert_max_content_queries(6):
        response = client.get("/fi/organisations/", {"page": 3})
    assert len(names_in(response)) == 50


def test_organisation_page_shows_facts(client, reference_organisations):
    liminka = Organisation.objects.get(slug="liminka")
    EmployeeCountFactory(organisation=liminka, year=2024, employees=700)
    EmployeeCountFactory(organisation=liminka, year=2025, employees=812)
    html = client.get("/fi/organisations/liminka/").content.decode()
    assert "<h1 id=\"organisation-name\">Liminka</h1>" in html
    assert "Pohjois-Pohjanmaa" in html
    assert "Pohjois-Pohjanmaan hyvinvointialue" in html
    assert "812 (vuonna 2025)" in html
    html_sv = client.get("/sv/organisations/liminka/").content.decode()
    assert "<h1 id=\"organisation-name\">Limingo</h1>" in html_sv
    assert "Norra Österbottens välfärdsområde" in html_sv


def test_helsinki_page_says_it_organises_services_itself(client, reference_organisations):
    html = client.get("/en/organisations/helsinki/").content.decode()
    assert "the city organises social, health and rescue services itself" in html
    assert "HUS Group" in html  # member of HUS


def test_hus_page_lists_its_members(client, reference_organisations):
    html = client.get("/fi/organisations/hus/").content.decode()
    for name in ("Helsinki", "Itä-Uudenmaan hyvinvointialue", "Vantaan ja Keravan hyvinvointialue"):
        assert name in html


def test_unknown_organisation_is_404(client, db):
    assert client.get(reverse("orgs:organisation-detail", kwargs={"slug": "nowhere"})).status_code == 404


def test_organisation_page_queries_do_not_grow_with_members(client, django_assert_max_content_queries, db):
    county = OrganisationFactory(kind=Organisation.Kind.WELFARE_AREA, slug="county")
    for _ in range(40):
        OrganisationFactory(welfare_area=county)
    with django_assert_max_content_queries(9):  # one of them: the id behind the slug, that keys the kept page
        response = client.get("/fi/organisations/county/")
    assert response.content.decode().count('<li><a href="/fi/organisations/testikunta-') == 40


def test_a_signed_in_visitor_pays_only_for_their_own_part_of_an_organisation_page(
        client, django_assert_max_content_queries, db):
    county = OrganisationFactory(kind=Organisation.Kind.WELFARE_AREA, slug="county")
    member = OrganisationFactory(welfare_area=county, name_fi="Testikunta Vanha")
    client.force_login(UserFactory())
    client.get("/fi/organisations/county/")
    # The visitor, the organisation, their membership, their admin right; the facts and the
    # member lists are kept (the sections too).
    with django_assert_max_content_queries(4):
        html = client.get("/fi/organisations/county/").content.decode()
    assert "Testikunta Vanha" in html
    member.name_fi = "Testikunta Uusi"  # renamed in the admin: the kept facts follow at once
    member.save()
    assert "Testikunta Uusi" in client.get("/fi/organisations/county/").content.decode()


def test_inactive_organisation_is_hidden(client, db):
    OrganisationFactory(slug="old", is_active=False, name_fi="Lakkautettu kunta")
    assert client.get("/fi/organisations/old/").status_code == 404
    assert "Lakkautettu kunta" not in client.get("/fi/organisations/").content.decode()
