"""The jury's list and the chair's view do not grow in queries with the number of people and organisations."""

import pytest
import time_machine
from django.urls import reverse

from campaigns import jury
from campaigns.models import AwardCategory
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, OrganisationFactory,
    helsinki, nominate,
)

pytestmark = pytest.mark.django_db

DURING = helsinki(2026, 3, 15, 12, 0)
SCORING = helsinki(2026, 4, 20, 12, 0)


def test_jury_pages_have_a_fixed_number_of_queries(client, django_assert_max_num_queries,
                                                  django_assert_max_content_queries):
    campaign = CampaignFactory()
    people = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE)
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_ORGANISATIONS, min_actions=1)
    criterion = CriterionFactory(campaign=campaign)
    chair = JurorFactory(campaign=campaign, is_chair=True)
    for n in range(25):
        nominee = nominate(campaign=campaign, category=people, name=f"Henkilö {n}", email=f"h{n}@kunta.fi",
                           organisation=OrganisationFactory()).nominee
        jury.subject_review_save(juror=chair, kind="nominee", subject=nominee, scores={criterion.pk: 3},
                                 comment="ok", now=SCORING)
        organisation = OrganisationFactory()
        ActionFactory(organisation=organisation, submitted_at=DURING)
        jury.subject_review_save(juror=chair, kind="organisation", subject=organisation,
                                 scores={criterion.pk: 4}, comment="ok", now=SCORING)
    client.force_login(chair.user)
    with time_machine.travel(SCORING):
        with django_assert_max_content_queries(26):
            listing = client.get(reverse("campaigns:jury-list", args=[campaign.slug]))
        with django_assert_max_num_queries(38):  # one more for the conflicts' partner organisations
            chair_page = client.get(reverse("campaigns:jury-chair", args=[campaign.slug]))
    assert listing.content.decode().count("Henkilö ") >= 25
    assert "Henkilö 24" in chair_page.content.decode()
