import csv
import io
import xml.etree.ElementTree as ET

import pytest

from arena.models import ContactPerson
from tests.factories import ActionFactory, ActionImageFactory, MakerFactory, SectorFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HIDDEN = ["draft", "submitted", "returned", "rejected", "hidden"]


@pytest.fixture
def catalogue():
    sector = SectorFactory(slug="ecec")
    public = ActionFactory(title="Julkinen teko", sectors=[sector])
    MakerFactory(action=public, name="Maija Meikäläinen", consent="pending", consent_given_at=None)
    ContactPerson.objects.create(action=public, name="Julkinen Yhteys", email="julkinen@example.fi", public=True)
    ContactPerson.objects.create(action=public, name="Salainen Yhteys", email="salainen@example.fi", public=False)
    ActionImageFactory(action=public, is_cover=True)
    ActionFactory(title="=HYPERLINK(\"x\")", summary="-2+3")
    for status in HIDDEN:
        ActionFactory(title=f"Piilotettu {status}", status=status)
    return public


def test_json_lists_published_actions_without_personal_data(client, catalogue):
    response = client.get("/api/actions.json")
    data = response.json()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["count"] == 2
    titles = {row["title"] for row in data["results"]}
    assert titles == {"Julkinen teko", "=HYPERLINK(\"x\")"}
    public = next(row for row in data["results"] if row["title"] == "Julkinen teko")
    assert public["contacts"] == [{"name": "Julkinen Yhteys", "job_title": "", "organisation": "",
                                   "email": "julkinen@example.fi"}]
    assert public["sectors"][0]["slug"] == "ecec"
    assert public["images"][0]["alt"] == "Kuva teosta"
    text = response.content.decode()
    assert "Salainen" not in text and "Meikäläinen" not in text and "author" not in text


def test_json_is_paginated_and_filtered(client):
    ActionFactory.create_batch(5)
    data = client.get("/api/actions.json", {"page_size": 2, "page": 2}).json()
    assert data["count"] == 5 and data["pages"] == 3 and data["page"] == 2
    assert len(data["results"]) == 2
    assert "page=3" in data["next"] and "page_size=2" in data["next"]
    assert client.get("/api/actions.json", {"page_size": 2, "page": 99}).json()["page"] == 3
    filtered = client.get("/api/actions.json", {"sector": "nothing-like-this"}).json()
    assert filtered["count"] == 5 and filtered["notices"]


def test_json_costs_constant_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        action = ActionFactory()
        ActionImageFactory(action=action)
    with django_assert_max_num_queries(11):  # one per kind of related row (arena.api._attach_related)
        data = client.get("/api/actions.json").json()
    assert len(data["results"]) == 30


def test_csv_streams_published_actions_safely(client, catalogue):
    response = client.get("/api/actions.csv", {"sector": "ecec"})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["Julkinen teko"]
    assert rows[0]["contacts"] == "Julkinen Yhteys <julkinen@example.fi>"
    everything = client.get("/api/actions.csv")
    text = b"".join(everything.streaming_content).decode("utf-8-sig")
    assert "Piilotettu" not in text and "Salainen" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    formula = next(row for row in rows if "HYPERLINK" in row["title"])
    assert formula["title"].startswith("'=")
    assert formula["summary"] == "'-2+3"


def test_atom_feed_lists_latest_published(client, catalogue):
    response = client.get("/fi/actions/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert sorted(titles) == sorted(["Julkinen teko", "=HYPERLINK(\"x\")"])


def test_open_data_page_documents_the_fields(client):
    html = client.get("/fi/open-data/").content.decode()
    for field in ("like_count", "adoption_count", "contacts", "submitted_from", "/api/actions.csv"):
        assert field in html


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_appear_nowhere_public(client, status):
    from arena.search import action_update_search_vector
    from tests.factories import AdoptionFactory

    secret = ActionFactory(title=f"Salaisuus {status}", status=status, summary="Salaisuus")
    action_update_search_vector(secret)
    adoption = AdoptionFactory(action=secret)
    pages = [
        client.get("/fi/").content, client.get("/fi/actions/").content,
        client.get("/fi/actions/", {"q": "salaisuus"}).content, client.get("/fi/actions/feed/").content,
        client.get("/api/actions.json").content, b"".join(client.get("/api/actions.csv").streaming_content),
        client.get("/fi/statistics/").content,
    ]
    assert all(b"Salaisuus" not in page for page in pages)
    assert client.get(f"/fi/actions/{secret.pk}/report/").status_code in (302, 404)
    from arena.selectors import organisation_actions_section, organisation_adoptions_section

    assert organisation_actions_section(None, secret.organisation) is None
    assert organisation_adoptions_section(None, adoption.organisation) is None
    assert b'<td class="num">1</td>' not in client.get("/fi/statistics/").content
