"""manage.py campaign_results and load_demo_campaigns."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from campaigns.models import AwardCategory, Campaign
from campaigns.services import results_freeze
from tests.factories import (
    ActionFactory, AwardCategoryFactory, EmployeeCountFactory, OrganisationFactory, UserFactory, helsinki,
)

pytestmark = pytest.mark.django_db

AT_GALA = helsinki(2026, 4, 19, 19, 0)


@pytest.fixture
def ranked(campaign):
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.PER_EMPLOYEE, position=2,
                         name_fi="Suhteutettu", min_actions=2)
    liminka, oulu = OrganisationFactory(name_fi="Liminka"), OrganisationFactory(name_fi="Oulu")
    EmployeeCountFactory(organisation=liminka, employees=500)
    for day in (2, 3):
        ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, day, 9))
    ActionFactory(organisation=oulu, submitted_at=helsinki(2026, 3, 4, 9))
    return campaign


def run(*args):
    out = io.StringIO()
    with time_machine.travel(AT_GALA, tick=False):
        call_command("campaign_results", *args, stdout=out)
    return out.getvalue()


def test_table_format(ranked):
    lines = run("kevat-2026").splitlines()
    assert len(lines) == 2 + 2 + 2  # header, rule, 2 rows per category (Oulu listed apart in the second)
    assert lines[0].split()[:2] == ["sarja", "sija"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split() == ["Eniten", "tekoja", "1", "kyllä", "Liminka", "Liminka", "2"]
    assert lines[3].split() == ["Eniten", "tekoja", "2", "kyllä", "Oulu", "Oulu", "1"]
    assert lines[4].split() == ["Suhteutettu", "1", "kyllä", "Liminka", "Liminka", "2", "500", "4.0"]
    assert lines[5].split()[:4] == ["Suhteutettu", "Oulu", "Oulu", "1"]
    assert lines[5].endswith("vuoden henkilöstömäärä puuttuu")


def test_csv_format_and_category_filter(ranked):
    rows = list(csv.reader(io.StringIO(run("kevat-2026", "--format", "csv", "--category", "Suhteutettu"))))
    assert [row[0] for row in rows[1:]] == ["Suhteutettu", "Suhteutettu"]
    liminka, oulu = rows[1], rows[2]
    assert (liminka[1], liminka[3], liminka[5], liminka[6], liminka[7]) == ("1", "Liminka", "2", "500", "4.0")
    assert (oulu[1], oulu[3], oulu[6]) == ("", "Oulu", "")
    assert oulu[-1]  # the reason it is not ranked


def test_json_format_live_and_frozen(ranked):
    live = json.loads(run("kevat-2026", "--format", "json"))
    assert live["results"] == "live"
    assert [(row["name"] if "name" in row else row["names"]["fi"], row["actions"])
            for row in live["categories"][0]["rows"]] == [("Liminka", 2), ("Oulu", 1)]
    results_freeze(campaign=ranked, user=UserFactory(is_staff=True), now=AT_GALA)
    ActionFactory(organisation=OrganisationFactory(name_fi="Ii"), submitted_at=helsinki(2026, 3, 4, 9))
    frozen = json.loads(run("kevat-2026", "--format", "json"))
    assert frozen["results"] == "frozen"
    assert datetime.datetime.fromisoformat(frozen["frozen_at"]) == AT_GALA
    assert len(frozen["categories"][0]["rows"]) == 2
    assert len(json.loads(run("kevat-2026", "--format", "json", "--live"))["categories"][0]["rows"]) == 3


def test_unknown_campaign_or_category(ranked):
    with pytest.raises(CommandError):
        run("ei-ole")
    with pytest.raises(CommandError):
        run("kevat-2026", "--category", "ei-ole")


def test_demo_campaigns_only_in_debug_and_idempotent(settings):
    UserFactory(is_staff=True)
    for day in range(5):
        ActionFactory(submitted_at=helsinki(2026, 1, 10 + day, 9))
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_campaigns", stdout=io.StringIO())
    settings.DEBUG = True
    with time_machine.travel(helsinki(2026, 11, 23, 12), tick=False):
        call_command("load_demo_campaigns", stdout=io.StringIO())
        call_command("load_demo_campaigns", stdout=io.StringIO())
    assert Campaign.objects.count() == 2
    past = Campaign.objects.get(slug="demo-kevat")
    running = Campaign.objects.get(slug="demo-syksy")
    assert past.results_state == Campaign.ResultsState.PUBLISHED
    assert past.snapshots.count() == 1
    first = past.snapshots.get().data["categories"][0]
    assert sum(row["actions"] for row in first["rows"]) == 5
    assert running.is_running(helsinki(2026, 11, 23, 12))
