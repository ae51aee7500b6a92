"""Conflicts of interest beyond a current membership: a membership the juror ended after the
campaign began, a partner organisation of the action, and a joint authority (HUS) and its member
organisations. One rule (`conflicts.conflict_organisations`) for the list, the review page, the
saves, the chair's view and the scores."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from campaigns import jury
from campaigns.conflicts import conflict_ids, conflict_organisations
from campaigns.models import Review
from campaigns.scoring import campaign_score_sets
from orgs.models import Organisation
from orgs.services import membership_remove
from tests.campaigns.jury_setup import SCORING, make_jury, scores_for
from tests.factories import MembershipFactory, OrganisationFactory, helsinki

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BEFORE_THE_CAMPAIGN = helsinki(2026, 2, 27, 12, 0)  # the campaign runs from 1 March 2026
DURING_THE_CAMPAIGN = helsinki(2026, 3, 20, 9, 0)


def list_url(campaign):
    with translation.override("en"):
        return reverse("campaigns:jury-list", args=[campaign.slug])


def review_url(campaign, action):
    with translation.override("en"):
        return reverse("campaigns:jury-review", args=[campaign.slug, action.pk])


def leave(user, organisation, *, at):
    membership = MembershipFactory(user=user, organisation=organisation)
    with time_machine.travel(at, tick=False):
        membership_remove(membership=membership, by=user)


def conflicted_titles(juror) -> set[str]:
    return {entry.action.title for entry in jury.juror_entries(juror=juror, now=SCORING) if entry.conflict}


def test_a_membership_withdrawn_during_the_campaign_is_still_a_conflict(client):
    j = make_jury()
    leave(j.lenient.user, j.organisations[0], at=DURING_THE_CAMPAIGN)  # X-teko's organisation
    assert conflicted_titles(j.lenient) == {"X-teko"}
    with pytest.raises(jury.JuryError, match="conflict of interest"):
        jury.review_save(juror=j.lenient, action=j.actions["X"], scores=scores_for(j.criteria, (5, 5, 5)),
                         comment="", now=SCORING)
    client.force_login(j.lenient.user)
    with time_machine.travel(SCORING, tick=False):
        html = client.get(list_url(j.campaign)).content.decode()
        assert "Not shown: conflict of interest" in html
        assert review_url(j.campaign, j.actions["X"]) not in html
        response = client.post(review_url(j.campaign, j.actions["X"]),
                               {f"criterion_{c.pk}": "5" for c in j.criteria})
    assert response.status_code == 403
    assert not Review.objects.filter(juror=j.lenient).exists()


def test_scores_saved_before_leaving_the_organisation_do_not_count():
    j = make_jury()
    membership = MembershipFactory(user=j.lenient.user, organisation=j.organisations[3])  # W-teko's
    Review.objects.create(juror=j.lenient, action=j.actions["W"])  # however it got in
    with time_machine.travel(DURING_THE_CAMPAIGN, tick=False):
        membership_remove(membership=membership, by=j.lenient.user)
    pairs = {(s.juror_id, s.action_id) for s in campaign_score_sets(campaign=j.campaign)}
    assert (j.lenient.pk, j.actions["W"].pk) not in pairs


def test_a_membership_that_ended_before_the_campaign_is_no_conflict():
    j = make_jury()
    leave(j.lenient.user, j.organisations[0], at=BEFORE_THE_CAMPAIGN)
    assert conflicted_titles(j.lenient) == set()


def test_a_member_of_a_partner_organisation_is_in_conflict(client):
    j = make_jury()
    partner = OrganisationFactory(name_fi="Kumppanikunta")
    j.actions["Y"].partners.add(partner)
    MembershipFactory(user=j.harsh.user, organisation=partner)
    assert conflicted_titles(j.harsh) == {"Y-teko"}
    client.force_login(j.harsh.user)
    with time_machine.travel(SCORING, tick=False):
        response = client.get(review_url(j.campaign, j.actions["Y"]))
    assert response.status_code == 403
    with pytest.raises(jury.JuryError, match="conflict of interest"):
        jury.review_save(juror=j.harsh, action=j.actions["Y"], scores=scores_for(j.criteria, (1, 1, 1)),
                         comment="", now=SCORING)


def hus_with_members():
    uusimaa = [OrganisationFactory(kind=Organisation.Kind.WELFARE_AREA, name_fi=f"Uudenmaan alue {n}")
               for n in range(2)]
    hus = OrganisationFactory(kind=Organisation.Kind.WELFARE_JOINT_AUTHORITY, name_fi="HUS-yhtymä")
    hus.member_organisations.add(*uusimaa)
    return hus, uusimaa


def test_hus_and_its_member_counties_are_in_conflict_both_ways():
    j = make_jury()
    hus, (vantaa_kerava, keski_uusimaa) = hus_with_members()
    j.actions["X"].organisation = hus
    j.actions["X"].save()
    j.actions["Y"].organisation = vantaa_kerava
    j.actions["Y"].save()
    MembershipFactory(user=j.lenient.user, organisation=vantaa_kerava)  # a county's employee: HUS's action
    MembershipFactory(user=j.harsh.user, organisation=hus)  # HUS's employee: the county's action
    assert conflicted_titles(j.lenient) == {"X-teko", "Y-teko"}
    assert conflicted_titles(j.harsh) == {"X-teko", "Y-teko"}
    other_county = MembershipFactory(organisation=keski_uusimaa).user  # a sibling county: no conflict with Y
    ids = conflict_ids(conflict_organisations(campaign=j.campaign, user_ids=[other_county.pk])[other_county.pk])
    assert ids == {keski_uusimaa.pk, hus.pk}


def test_a_juror_without_any_of_these_is_not_in_conflict():
    j = make_jury()
    hus, uusimaa = hus_with_members()
    j.actions["X"].partners.add(hus)
    leave(j.lenient.user, j.organisations[0], at=BEFORE_THE_CAMPAIGN)
    MembershipFactory(user=j.lenient.user, organisation=OrganisationFactory(name_fi="Muu kunta"))
    assert conflicted_titles(j.lenient) == set()
    assert all(not entry.conflict for entry in jury.juror_entries(juror=j.lenient, now=SCORING))
    jury.review_save(juror=j.lenient, action=j.actions["X"], scores=scores_for(j.criteria, (5, 5, 5)), comment="",
                     now=SCORING)


def test_the_chair_sees_the_juror_who_left_as_conflicted():
    j = make_jury()
    leave(j.harsh.user, j.organisations[1], at=DURING_THE_CAMPAIGN)
    overview = jury.chair_overview(campaign=j.campaign, user=j.lenient.user, now=SCORING)
    y = next(row for row in overview.rows if row.action.title == "Y-teko")
    assert j.harsh in y.conflicted
