"""The chair sees each juror's progress on actions, people and organisations alike: in the
table, in the list of jurors who have not finished, and in the CSV."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from campaigns import jury, nominations
from campaigns.models import AwardCategory
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory,
    OrganisationFactory, UserFactory, helsinki, nominate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DURING = helsinki(2026, 3, 15, 12, 0)
SCORING = helsinki(2026, 4, 20, 12, 0)


@pytest.fixture
def setup():
    """Two actions (Kemi's, Oulu's), two people (one from Oulu, typed by name) and two candidate organisations.

    Olga is a member of Oulu: the Oulu person and the Oulu organisation are conflicts for her.
    """
    campaign = CampaignFactory(slug="kevat-2026")
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY, position=1)
    people = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, position=2)
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_ORGANISATIONS, min_actions=1, position=3)
    criteria = [CriterionFactory(campaign=campaign, position=1), CriterionFactory(campaign=campaign, position=2)]
    oulu, kemi = OrganisationFactory(name_fi="Oulun kaupunki"), OrganisationFactory(name_fi="Kemin kaupunki")
    action = ActionFactory(organisation=kemi, submitted_at=DURING)
    oulu_action = ActionFactory(organisation=oulu, submitted_at=DURING)
    hanna = nominate(campaign=campaign, category=people, organisation_name="Oulun kaupunki, Tuiran koulu").nominee
    olli = nominate(campaign=campaign, category=people, name="Olli Muu", email="olli@kemi.fi",
                    organisation=kemi).nominee
    olga = JurorFactory(campaign=campaign, user=UserFactory(full_name="Olga Oulu"))
    MembershipFactory(user=olga.user, organisation=oulu)
    kalle = JurorFactory(campaign=campaign, user=UserFactory(full_name="Kalle Kemi"), is_chair=True)
    MembershipFactory(user=kalle.user, organisation=kemi)
    full = {criterion.pk: 4 for criterion in criteria}
    # Olga: everything she may score (action, Olli, Kemi) fully.
    jury.review_save(juror=olga, action=action, scores=full, comment="", now=SCORING)
    jury.subject_review_save(juror=olga, kind="nominee", subject=olli, scores=full, comment="", now=SCORING)
    jury.subject_review_save(juror=olga, kind="organisation", subject=kemi, scores=full, comment="", now=SCORING)
    # Kalle: the Oulu action fully, Hanna in part, nothing else (the Kemi action, Olli and Kemi are his own).
    jury.review_save(juror=kalle, action=oulu_action, scores=full, comment="", now=SCORING)
    jury.subject_review_save(juror=kalle, kind="nominee", subject=hanna, scores={criteria[0].pk: 3}, comment="",
                             now=SCORING)
    return campaign, olga, kalle


def parts(item):
    return [(part.kind, part.scored, part.total, part.partial) for part in item.parts]


def test_progress_per_juror_per_kind_leaves_conflicts_out(setup):
    campaign, olga, kalle = setup
    overview = jury.chair_overview(campaign=campaign, user=UserFactory(is_staff=True), now=SCORING)
    progress = {item.juror: item for item in overview.jurors}
    assert parts(progress[olga]) == [("actions", 1, 1, 0), ("people", 1, 1, 0), ("organisations", 1, 1, 0)]
    assert progress[olga].finished
    assert parts(progress[kalle]) == [("actions", 1, 1, 0), ("people", 0, 1, 1), ("organisations", 0, 1, 0)]
    assert not progress[kalle].finished
    assert [part.kind for part in progress[kalle].unfinished_parts] == ["people", "organisations"]


def test_a_juror_who_has_scored_every_action_but_no_person_has_not_finished(setup, client):
    campaign, olga, kalle = setup
    client.force_login(kalle.user)
    with time_machine.travel(SCORING):
        page = client.get(reverse("campaigns:jury-chair", args=[campaign.slug])).content.decode()
    assert "1 juror has not finished." in page
    assert "Kalle Kemi: People 0 / 1, Organisations 0 / 1" in page
    assert "Olga Oulu:" not in page


def test_chair_csv_lists_progress_per_kind(setup, client):
    campaign, olga, kalle = setup
    client.force_login(kalle.user)
    with time_machine.travel(SCORING):
        body = client.get(reverse("campaigns:jury-chair-csv", args=[campaign.slug])).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    start = rows.index(["Juror", "Kind of entry", "Scored", "Of entries to score", "Partly scored", "Status"])
    assert rows[start + 1:] == [
        ["Kalle Kemi", "Actions", "1", "1", "0", "Finished"],
        ["Kalle Kemi", "People", "0", "1", "1", "Not finished"],
        ["Kalle Kemi", "Organisations", "0", "1", "0", "Not finished"],
        ["Olga Oulu", "Actions", "1", "1", "0", "Finished"],
        ["Olga Oulu", "People", "1", "1", "0", "Finished"],
        ["Olga Oulu", "Organisations", "1", "1", "0", "Finished"],
    ]


def test_chair_view_queries_do_not_grow_with_jurors_and_people(client, django_assert_max_num_queries):
    campaign = CampaignFactory()
    people = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE)
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_ORGANISATIONS, min_actions=1)
    criterion = CriterionFactory(campaign=campaign)
    chair = JurorFactory(campaign=campaign, is_chair=True)
    jurors = [chair] + [JurorFactory(campaign=campaign) for _ in range(6)]
    for juror in jurors:
        MembershipFactory(user=juror.user, organisation=OrganisationFactory())
    for n in range(20):
        nominee = nominate(campaign=campaign, category=people, name=f"Henkilö {n}", email=f"h{n}@kunta.fi",
                           organisation_name=f"Typed Kunta {n}").nominee
        organisation = OrganisationFactory()
        ActionFactory(organisation=organisation, submitted_at=DURING)
        for juror in jurors[:3]:
            jury.subject_review_save(juror=juror, kind="nominee", subject=nominee, scores={criterion.pk: 3},
                                     comment="ok", now=SCORING)
            jury.subject_review_save(juror=juror, kind="organisation", subject=organisation,
                                     scores={criterion.pk: 4}, comment="ok", now=SCORING)
    nominations.nominee_consent_answer(nominee=nominee, give=True, now=DURING)
    client.force_login(chair.user)
    with time_machine.travel(SCORING):  # 10 of them the conflicts of interest (fixed, see conflicts.py)
        with django_assert_max_num_queries(46):
            page = client.get(reverse("campaigns:jury-chair", args=[campaign.slug]))
        with django_assert_max_num_queries(46):
            csv_response = client.get(reverse("campaigns:jury-chair-csv", args=[campaign.slug]))
    assert "4 jurors have not finished." in page.content.decode()
    assert csv_response.content.decode().count(",People,") == 7
