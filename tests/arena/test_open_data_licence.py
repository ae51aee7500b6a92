"""The open data say their licence (CC BY 4.0, as the reference data): on the page, in the JSON, in
every CSV row and in an HTTP Link header, where a program reading either file finds it."""

import csv
import io

import pytest

from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def test_json_names_the_licence_and_links_it():
    from django.test import Client

    ActionFactory()
    response = Client().get("/api/actions.json")
    assert response.json()["licence"] == {"name": "CC BY 4.0", "url": CC_BY,
                                          "attribution": "Tekojen tori / Framstegsarenan"}
    assert response["Link"] == f'<{CC_BY}>; rel="license"'


def test_every_csv_row_carries_the_licence_and_the_file_still_reads_as_csv(client):
    ActionFactory.create_batch(3)
    response = client.get("/api/actions.csv")
    assert response["Link"] == f'<{CC_BY}>; rel="license"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3  # no comment lines for readers to stumble on
    assert {row["licence"] for row in rows} == {f"CC BY 4.0 {CC_BY}"}


@pytest.mark.parametrize(("language", "text"), [
    ("fi", "Creative Commons Nimeä 4.0"), ("sv", "Creative Commons Erkännande 4.0"),
    ("en", "Creative Commons Attribution 4.0"),
])
def test_the_open_data_page_states_the_licence(client, language, text):
    html = client.get(f"/{language}/open-data/").content.decode()
    assert text in html and f'href="{CC_BY}" rel="license"' in html
    assert "Tekojen tori / Framstegsarenan" in html
