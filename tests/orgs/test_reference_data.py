import pytest
from django.core.management import call_command
from django.utils import translation

from orgs.models import EmailDomain, Organisation, Region

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


def test_loads_every_municipality_county_region_helsinki_and_hus(reference_organisations):
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY).count() == 308
    assert Organisation.objects.filter(kind=Kind.WELFARE_AREA).count() == 21
    assert Region.objects.count() == 19
    hus = Organisation.objects.get(kind=Kind.WELFARE_JOINT_AUTHORITY, code="HUS")
    assert hus.slug == "hus"
    assert hus.name_fi == "HUS-yhtymä" and hus.name_sv == "HUS-sammanslutningen"
    assert sorted(hus.member_organisations.values_list("code", flat=True)) == ["01", "02", "03", "04", "091"]
    # Helsinki is the municipality 091; its "welfare area" row 90 is not an organisation.
    helsinki = Organisation.objects.get(kind=Kind.MUNICIPALITY, code="091")
    assert helsinki.name_sv == "Helsingfors"
    assert helsinki.welfare_area is None and helsinki.organises_welfare_services
    assert not Organisation.objects.filter(code__in=["90", "91"]).exists()
    assert Organisation.objects.count() == 308 + 21 + 1


@pytest.mark.parametrize(("code", "finnish", "swedish", "slug"), [
    ("425", "Liminka", "Limingo", "liminka"),
    ("235", "Kauniainen", "Grankulla", "kauniainen"),
    ("499", "Mustasaari", "Korsholm", "mustasaari"),
])
def test_bilingual_names_and_slugs(reference_organisations, code, finnish, swedish, slug):
    organisation = Organisation.objects.get(kind=Kind.MUNICIPALITY, code=code)
    assert (organisation.name_fi, organisation.name_sv, organisation.slug) == (finnish, swedish, slug)
    with translation.override("sv"):
        assert organisation.name == swedish
    with translation.override("fi"):
        assert organisation.name == finnish


def test_municipality_links_to_region_and_county(reference_organisations):
    liminka = Organisation.objects.select_related("region", "welfare_area").get(slug="liminka")
    assert liminka.region.name_fi == "Pohjois-Pohjanmaa"
    assert liminka.welfare_area.name_fi == "Pohjois-Pohjanmaan hyvinvointialue"
    assert liminka.population > 10000 and liminka.population_year == 2022
    assert liminka.employee_counts.count() == 0  # employees are entered apart from the population


def test_aland_is_in_but_outside_the_reform(reference_organisations):
    aland = Organisation.objects.filter(region__code="21")
    assert aland.count() == 16
    assert all(o.outside_welfare_reform and o.welfare_area is None for o in aland)
    assert Organisation.objects.filter(outside_welfare_reform=True).count() == 16


def test_verified_and_suggested_domains(reference_organisations):
    liminka = EmailDomain.objects.get(domain="liminka.fi")
    assert liminka.verified and liminka.organisation.slug == "liminka"
    assert EmailDomain.objects.get(domain="hel.fi", verified=True).organisation.code == "091"
    assert EmailDomain.objects.get(domain="hus.fi", verified=True).organisation.slug == "hus"
    # Other municipalities get unverified suggestions from their names.
    assert not EmailDomain.objects.get(domain="alajarvi.fi").verified
    assert set(EmailDomain.objects.filter(organisation__code="499", organisation__kind=Kind.MUNICIPALITY)
               .values_list("domain", flat=True)) == {"mustasaari.fi", "korsholm.fi"}
    assert EmailDomain.objects.filter(domain="mariehamn.ax").exists()
    assert not EmailDomain.objects.filter(domain="helsinki.fi").exists()


def test_loading_twice_adds_and_changes_nothing(reference_organisations):
    counts = (Organisation.objects.count(), Region.objects.count(), EmailDomain.objects.count())
    stamps = dict(Organisation.objects.values_list("pk", "updated_at"))
    call_command("load_organisations", stdout=open("/dev/null", "w"))
    assert (Organisation.objects.count(), Region.objects.count(), EmailDomain.objects.count()) == counts
    assert dict(Organisation.objects.values_list("pk", "updated_at")) == stamps


def test_loading_again_keeps_staff_edits_and_restores_data(reference_organisations):
    liminka = Organisation.objects.get(slug="liminka")
    liminka.description_fi = "Kunta Oulun eteläpuolella."
    liminka.name_sv = "Väärin"
    liminka.save()
    call_command("load_organisations", stdout=open("/dev/null", "w"))
    liminka.refresh_from_db()
    assert liminka.description_fi == "Kunta Oulun eteläpuolella."
    assert liminka.name_sv == "Limingo"


def test_bootstrap_runs_the_loader(db):
    call_command("bootstrap", stdout=open("/dev/null", "w"))
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY).count() == 308
