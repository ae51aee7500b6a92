import pytest
from django.urls import reverse
from django.utils import translation

from orgs.models import EmployeeCount, Organisation
from orgs.services import employee_counts_import, employee_counts_parse
from tests.factories import EmployeeCountFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in English here; their translations are checked in test_messages_translated."""
    with translation.override("en"):
        yield


def test_messages_translated(municipalities):
    with translation.override("sv"):
        parsed = employee_counts_parse(b"999,2025,-1\n")
    assert parsed.problems[0].message == (
        "Okänd organisationskod ”999”. Personalantalet kan inte vara negativt.")


@pytest.fixture
def municipalities(db):
    return {
        "liminka": OrganisationFactory(code="425", name_fi="Liminka", slug="liminka"),
        "helsinki": OrganisationFactory(code="091", name_fi="Helsinki", slug="helsinki"),
        "aura": OrganisationFactory(code="019", name_fi="Aura", slug="aura"),
        "county": OrganisationFactory(kind=Organisation.Kind.WELFARE_AREA, code="19", name_fi="Pohde",
                                      slug="pohde"),
        "hus": OrganisationFactory(kind=Organisation.Kind.WELFARE_JOINT_AUTHORITY, code="HUS",
                                   name_fi="HUS", slug="hus"),
    }


def test_valid_file_with_header_semicolons_bom_and_lost_zeros(municipalities):
    EmployeeCountFactory(organisation=municipalities["liminka"], year=2025, employees=700)
    data = "\ufeffkoodi;vuosi;henkilöstö\n425;2025;812\n91;2025;38 000\nHUS;2025;27000\n\n".encode()
    parsed = employee_counts_parse(data)
    assert parsed.problems == []
    assert [(r.organisation.slug, r.year, r.employees, r.previous) for r in parsed.rows] == [
        ("liminka", 2025, 812, 700), ("helsinki", 2025, 38000, None), ("hus", 2025, 27000, None)]
    assert employee_counts_import(data=data) == 3
    assert EmployeeCount.objects.get(organisation=municipalities["liminka"], year=2025).employees == 812
    assert EmployeeCount.objects.count() == 3


@pytest.mark.parametrize(("line", "message"), [
    ("999,2025,10", "Unknown organisation code"),
    ("425,2025,-5", "cannot be negative"),
    ("425,2025,lots", "not a whole number"),
    ("425,2025,12.5", "not a whole number"),
    ("425,20x5,10", "is not a year"),
    ("425,2025", "Expected three values"),
    ("19,2025,10", "matches several organisations"),
])
def test_each_kind_of_bad_line_is_reported(municipalities, line, message):
    parsed = employee_counts_parse(f"code,year,employees\n425,2024,800\n{line}\n".encode())
    assert not parsed.is_valid
    assert [(p.line, p.text) for p in parsed.problems] == [(3, line)]
    assert message in parsed.problems[0].message


def test_duplicate_rows_point_at_the_first(municipalities):
    parsed = employee_counts_parse(b"425,2025,800\n091,2025,1\n425,2025,810\n")
    assert [(p.line, p.message) for p in parsed.problems] == [
        (3, "The same organisation and year are already on line 1.")]


def test_wrong_encoding_names_the_line(municipalities):
    data = "425,2025,800\nHUS,2025,1\n091,2025,10 # Helsingfors stad, Åbo\n".encode("latin-1")
    parsed = employee_counts_parse(data)
    assert not parsed.is_valid
    assert parsed.problems[0].line == 3
    assert "UTF-8" in parsed.problems[0].message


def test_empty_file_is_refused(municipalities):
    assert not employee_counts_parse(b"code,year,employees\n\n").is_valid


def test_invalid_file_saves_nothing(municipalities):
    with pytest.raises(ValueError):
        employee_counts_import(data=b"425,2025,800\n999,2025,1\n")
    assert EmployeeCount.objects.count() == 0


def test_admin_upload_preview_confirm(client, staff, municipalities):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the admin speaks the browser's language
    client.force_login(staff)
    url = reverse("admin:orgs_organisation_import_employees")
    assert "import-employees" in client.get(reverse("admin:orgs_organisation_changelist")).content.decode()
    bad = client.post(url, {"file": _upload(b"425,2025,800\n999,2025,1\n425,2025,-3\n")})
    html = bad.content.decode()
    assert "999,2025,1" in html and "425,2025,-3" in html and "Nothing was saved" in html
    assert EmployeeCount.objects.count() == 0

    preview = client.post(url, {"file": _upload(b"425,2025,800\n091,2024,37000\n")})
    html = preview.content.decode()
    assert "Liminka" in html and "Helsinki" in html and "Confirm and save" in html
    assert EmployeeCount.objects.count() == 0

    confirm = client.post(url, {"confirm": "1", "csv_text": "425,2025,800\r\n091,2024,37000\r\n"})
    assert confirm.status_code == 302
    assert set(EmployeeCount.objects.values_list("organisation__code", "year", "employees")) == {
        ("425", 2025, 800), ("091", 2024, 37000)}


def test_admin_import_needs_permission(client, municipalities):
    from tests.factories import UserFactory

    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:orgs_organisation_import_employees")).status_code == 403


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("counts.csv", content, content_type="text/csv")
