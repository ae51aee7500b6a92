"""A person without consent is scored by the jury but never takes an award place: not on the
results preview, not in the frozen snapshot, not in the published results, not at the gala.
Staff see on the preview who still needs to answer before freezing."""

import json

import pytest
import time_machine
from django.urls import reverse

from campaigns import jury, nominations, selectors, services
from campaigns.gala import gala_slides
from campaigns.models import AwardCategory
from campaigns.ranking import NO_CONSENT, campaign_results
from tests.factories import (
    AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, campaign_manager, helsinki, nominate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DURING = helsinki(2026, 3, 15, 12, 0)
SCORING = helsinki(2026, 4, 20, 12, 0)
AFTER_GALA = helsinki(2026, 4, 20, 20, 0)


@pytest.fixture
def scored():
    """Pia (pending consent) has the best score, Anna (consent) the second, Bert (consent) the third."""
    campaign = CampaignFactory(slug="kevat-2026")
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, winners=1,
                                    name_en="Heroes of work")
    criterion = CriterionFactory(campaign=campaign)
    juror = JurorFactory(campaign=campaign)
    people = {}
    for name, score, consent in (("Pia Pending", 5, None), ("Anna Aho", 4, True), ("Bert Berg", 3, True)):
        nominee = nominate(campaign=campaign, category=category, name=name,
                           email=f"{name.split()[0].lower()}@kunta.fi").nominee
        if consent:
            nominations.nominee_consent_answer(nominee=nominee, give=True, now=DURING)
        jury.subject_review_save(juror=juror, kind="nominee", subject=nominee, scores={criterion.pk: score},
                                 comment="", now=SCORING)
        people[name] = nominee
    return campaign, category, people


def test_a_person_without_consent_is_listed_apart_and_the_next_one_wins(scored):
    campaign, _, people = scored
    result = campaign_results(campaign=campaign, as_of=SCORING)[0]
    assert [(row.person_name, row.rank) for row in result.display_rows()] == [("Anna Aho", 1), ("Bert Berg", 2)]
    assert [(row.person_name, row.reason, row.score) for row in result.unranked] == [("Pia Pending", NO_CONSENT, 5.0)]


def test_consent_given_before_freezing_brings_the_person_back(scored):
    campaign, _, people = scored
    nominations.nominee_consent_answer(nominee=people["Pia Pending"], give=True, now=SCORING)
    result = campaign_results(campaign=campaign, as_of=SCORING)[0]
    assert [row.person_name for row in result.winner_rows()] == ["Pia Pending"]


def test_freeze_publish_and_gala_agree_without_the_person_without_consent(client, scored):
    campaign, _, people = scored
    staff = campaign_manager()
    snapshot = services.results_freeze(campaign=campaign, user=staff, now=AFTER_GALA)
    frozen = snapshot.data["categories"][0]
    assert [row["person_name"] for row in frozen["rows"] if row["rank"] <= frozen["winners"]] == ["Anna Aho"]
    # Consent given after freezing changes nothing in the award record.
    nominations.nominee_consent_answer(nominee=people["Pia Pending"], give=True, now=AFTER_GALA)
    services.results_publish(campaign=campaign, user=staff, now=AFTER_GALA)
    snapshot.refresh_from_db()
    assert json.dumps(snapshot.data["categories"][0], sort_keys=True) == json.dumps(frozen, sort_keys=True)

    winners = selectors.snapshot_winners(snapshot)
    assert [row.person_name for _category, rows in winners for row in rows] == ["Anna Aho"]
    reveal = [slide for slide in gala_slides(selectors.snapshot_categories(snapshot)) if slide.kind == "reveal"]
    assert [slide.newest.person_name for slide in reveal] == ["Anna Aho"]
    public = client.get(reverse("campaigns:campaign-results", args=[campaign.slug])).content.decode()
    gala = client.get(reverse("campaigns:campaign-gala", args=[campaign.slug]) + "?step=2").content.decode()
    for text in (public, gala):
        assert "Anna Aho" in text and "Pia Pending" not in text and "Name withheld" not in text


def test_staff_preview_warns_who_needs_consent_before_freezing(client, scored):
    campaign, _, _ = scored
    client.force_login(campaign_manager())
    with time_machine.travel(SCORING):
        page = client.get(reverse("campaigns:campaign-results", args=[campaign.slug]) + "?live=1").content.decode()
        gala = client.get(reverse("campaigns:campaign-gala", args=[campaign.slug]) + "?live=1&step=2")
    assert "1 nominated person has not given consent, so they cannot take an award place" in page
    assert "Pia Pending (jury score 5.00)" in page
    assert "no consent from the person yet: cannot take an award place" in page  # the reason in the table
    assert "Pia Pending" not in gala.content.decode()


def test_withdrawal_before_freezing_takes_the_person_out(scored):
    campaign, _, people = scored
    nominations.nominee_consent_withdraw(nominee=people["Anna Aho"], now=SCORING)
    result = campaign_results(campaign=campaign, as_of=SCORING)[0]
    assert [row.person_name for row in result.winner_rows()] == ["Bert Berg"]
    assert "Anna Aho" not in [row.person_name for row in result.rows + result.unranked]
