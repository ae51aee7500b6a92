"""The review page of a person or an organisation answers the autosave script with JSON, like the
action review page, and keeps working as a plain form."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from campaigns.models import AwardCategory
from tests.factories import (
    AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory, OrganisationFactory,
    helsinki, nominate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SCORING = helsinki(2026, 4, 20, 12, 0)
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def review(client):
    campaign = CampaignFactory(slug="kevat-2026", scoring_deadline=SCORING + datetime.timedelta(days=5))
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE)
    criteria = [CriterionFactory(campaign=campaign, position=1), CriterionFactory(campaign=campaign, position=2)]
    nominee = nominate(campaign=campaign, category=category).nominee
    nominate(campaign=campaign, category=category, name="Olli Muu", email="olli@kunta.fi")
    juror = JurorFactory(campaign=campaign)
    client.force_login(juror.user)
    url = reverse("campaigns:jury-subject-review", args=[campaign.slug, "people", nominee.pk])
    return campaign, criteria, nominee, juror, url


def test_autosave_answers_json_with_the_progress(client, review):
    campaign, criteria, nominee, juror, url = review
    with time_machine.travel(SCORING):
        page = client.get(url).content.decode()
        assert "data-jury-autosave" in page and "js/jury.js" in page
        partly = client.post(url, {f"criterion_{criteria[0].pk}": "4"}, **JSON)
        assert partly.json() == {"saved": True, "message": "Saved", "complete": False, "status": "Partly scored",
                                 "progress": {"scored": 0, "total": 2}, "progress_text": "0 of 2 scored."}
        whole = client.post(url, {f"criterion_{criteria[0].pk}": "4", f"criterion_{criteria[1].pk}": "2",
                                  "comment": "Innostava"}, **JSON)
        assert whole.json()["complete"] and whole.json()["progress_text"] == "1 of 2 scored."
        bad = client.post(url, {f"criterion_{criteria[0].pk}": "9"}, **JSON)
    assert bad.status_code == 400 and bad.json()["saved"] is False
    review_row = nominee.reviews.get(juror=juror)
    assert sorted(review_row.scores.values_list("value", flat=True)) == [2, 4] and review_row.comment == "Innostava"


def test_autosave_is_refused_after_the_deadline_and_for_a_conflict(client, review):
    campaign, criteria, nominee, juror, url = review
    with time_machine.travel(SCORING + datetime.timedelta(days=6)):
        late = client.post(url, {f"criterion_{criteria[0].pk}": "4"}, **JSON)
        plain_late = client.post(url, {f"criterion_{criteria[0].pk}": "4"})
    assert late.status_code == 403 and "deadline" in late.json()["message"]
    assert plain_late.status_code == 403 and "deadline" in plain_late.content.decode()
    organisation = OrganisationFactory()
    nominee.organisation = organisation
    nominee.save()
    MembershipFactory(user=juror.user, organisation=organisation)
    with time_machine.travel(SCORING):
        conflict = client.post(url, {f"criterion_{criteria[0].pk}": "4"}, **JSON)
    assert conflict.status_code == 403 and "conflict of interest" in conflict.json()["message"]
    assert not nominee.reviews.exists()


def test_without_javascript_the_plain_form_saves_and_redirects(client, review):
    campaign, criteria, nominee, juror, url = review
    with time_machine.travel(SCORING):
        response = client.post(url, {f"criterion_{criteria[0].pk}": "5", f"criterion_{criteria[1].pk}": "5"})
        page = client.get(url).content.decode()
    assert response.status_code == 302 and response["Location"] == url
    assert "1 of 2 scored." in page
