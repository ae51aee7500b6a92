"""A juror never scores a person from their own organisation, also when the nominator typed the
organisation's name instead of picking it from the list."""

import pytest
import time_machine
from django.urls import reverse

from campaigns import jury
from campaigns.conflicts import (
    MemberOrganisation, conflict_organisations, distinctive_words, nominee_conflict, organisation_resolve,
    typed_name_conflict,
)
from campaigns.models import AwardCategory, Nominee
from campaigns.scoring import subject_scores
from tests.factories import (
    AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory, OrganisationFactory,
    UserFactory, helsinki, nominate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SCORING = helsinki(2026, 4, 20, 12, 0)


@pytest.fixture
def heroes():
    campaign = CampaignFactory(slug="kevat-2026")
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, winners=1)
    criterion = CriterionFactory(campaign=campaign, scale_min=1, scale_max=5)
    return campaign, category, criterion


def member(**names) -> MemberOrganisation:
    words = frozenset().union(*(distinctive_words(name) for name in names.values()))
    return MemberOrganisation(id=999, words=words)


@pytest.mark.parametrize(("typed", "organisation", "conflict"), [
    ("Espoon kaupunki, kotihoito", {"name_fi": "Espoo"}, True),  # inflected form
    ("  ESPOON   kaupunki ", {"name_fi": "Espoon kaupunki"}, True),
    ("Vasa stad", {"name_fi": "Vaasan kaupunki", "name_sv": "Vasa stad"}, True),  # the Swedish name
    ("Pohjois-Karjalan hyvinvointialue (Siun sote)", {"name_fi": "Pohjois-Karjalan hyvinvointialue"}, True),
    ("Helsingin kaupunki", {"name_fi": "Vantaan kaupunki"}, False),  # only generic words in common
    ("Länsi-Uudenmaan hyvinvointialue", {"name_fi": "Itä-Uudenmaan hyvinvointialue"}, True),  # in doubt: conflict
    ("Kuopion kaupunki", {"name_fi": "Kuortaneen kunta"}, False),
    ("", {"name_fi": "Espoo"}, False),
])
def test_typed_name_conflict_rule(typed, organisation, conflict):
    assert typed_name_conflict(typed, [member(**organisation)]) is conflict


def test_a_resolved_organisation_decides_alone():
    espoo = MemberOrganisation(id=1, words=frozenset(distinctive_words("Espoo")))
    # Picked organisation 2 although the typed text mentions Espoo: the organisation counts.
    assert not nominee_conflict(organisation_id=2, organisation_name="Espoo", organisations=[espoo])
    assert nominee_conflict(organisation_id=1, organisation_name="", organisations=[espoo])


def test_a_typed_name_resolves_to_the_organisation_in_any_language():
    vaasa = OrganisationFactory(name_fi="Vaasan kaupunki", name_sv="Vasa stad")
    OrganisationFactory(name_fi="Vaasan keskussairaala")
    assert organisation_resolve("  vasa   STAD ") == vaasa
    assert organisation_resolve("Vaasan kaupunki.") == vaasa
    assert organisation_resolve("Vaasa") is None  # not a name of exactly one organisation
    assert organisation_resolve("") is None


def test_a_nomination_with_a_typed_name_stores_the_organisation(heroes):
    campaign, category, _ = heroes
    vaasa = OrganisationFactory(name_fi="Vaasan kaupunki", name_sv="Vasa stad")
    nomination = nominate(campaign=campaign, category=category, organisation_name="vasa stad")
    assert nomination.organisation == vaasa and nomination.nominee.organisation == vaasa
    # A later nomination of the same person that names the organisation fills in an unknown one.
    other = nominate(campaign=campaign, category=category, email="olli@kunta.fi", organisation_name="Vaasan seutu")
    assert other.nominee.organisation is None
    nominate(campaign=campaign, category=category, email="olli@kunta.fi", organisation=vaasa)
    assert Nominee.objects.get(email="olli@kunta.fi").organisation == vaasa


def test_the_nomination_form_resolves_a_typed_name(client, heroes):
    campaign, category, _ = heroes
    turku = OrganisationFactory(name_fi="Turun kaupunki", name_sv="Åbo stad")
    client.force_login(UserFactory())
    with time_machine.travel(helsinki(2026, 3, 15, 12, 0)):
        response = client.post(reverse("campaigns:nomination-create", args=[campaign.slug]), {
            "category": category.pk, "name": "Kalle Kehittäjä", "job_title": "Opettaja",
            "organisation_name": "Åbo Stad", "email": "kalle@turku.fi", "justification": "Uudisti arvioinnin.",
        })
    assert response.status_code == 302
    assert Nominee.objects.get().organisation == turku


def test_a_juror_whose_organisation_was_typed_cannot_score_the_person(client, heroes):
    campaign, category, criterion = heroes
    espoo = OrganisationFactory(name_fi="Espoon kaupunki", name_sv="Esbo stad")
    nominee = nominate(campaign=campaign, category=category, organisation_name="Espoon kotihoito").nominee
    assert nominee.organisation is None  # typed, not resolvable
    colleague = JurorFactory(campaign=campaign)
    MembershipFactory(user=colleague.user, organisation=espoo)
    outsider = JurorFactory(campaign=campaign)
    MembershipFactory(user=outsider.user, organisation=OrganisationFactory(name_fi="Vantaan kaupunki"))

    with pytest.raises(jury.JuryError, match="conflict of interest"):
        jury.subject_review_save(juror=colleague, kind="nominee", subject=nominee, scores={criterion.pk: 5},
                                 comment="", now=SCORING)
    jury.subject_review_save(juror=outsider, kind="nominee", subject=nominee, scores={criterion.pk: 4},
                             comment="", now=SCORING)
    assert [e.conflict for e in jury.subject_entries(juror=colleague, kind="nominee", now=SCORING)] == [True]
    assert [e.conflict for e in jury.subject_entries(juror=outsider, kind="nominee", now=SCORING)] == [False]
    client.force_login(colleague.user)
    with time_machine.travel(SCORING):
        page = client.get(reverse("campaigns:jury-subject-review", args=[campaign.slug, "people", nominee.pk]))
    assert page.status_code == 403 and "Kehitti koko tiimin" not in page.content.decode()


def test_staff_setting_the_organisation_in_the_admin_settles_the_conflict(client, heroes):
    campaign, category, criterion = heroes
    espoo = OrganisationFactory(name_fi="Espoon kaupunki")
    elsewhere = OrganisationFactory(name_fi="Kauniaisten kaupunki")
    nominee = nominate(campaign=campaign, category=category, organisation_name="Espoon seudun kotihoito").nominee
    juror = JurorFactory(campaign=campaign)
    MembershipFactory(user=juror.user, organisation=espoo)
    assert jury.subject_entries(juror=juror, kind="nominee", now=SCORING)[0].conflict

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    unresolved = client.get(reverse("admin:campaigns_nominee_changelist"), {"organisation_known": "no"})
    assert "Hanna Sankari" in unresolved.content.decode()
    change = client.get(reverse("admin:campaigns_nominee_change", args=[nominee.pk]))
    data = {key: value for key, value in change.context["adminform"].form.initial.items() if value is not None}
    data.update({"campaign": campaign.pk, "organisation": elsewhere.pk, "language": "fi",
                 "nominations-TOTAL_FORMS": "0", "nominations-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:campaigns_nominee_change", args=[nominee.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    nominee.refresh_from_db()
    assert nominee.organisation == elsewhere
    assert not jury.subject_entries(juror=juror, kind="nominee", now=SCORING)[0].conflict


def test_scores_from_a_juror_in_conflict_by_typed_name_do_not_count(heroes):
    """A juror who scored before joining the organisation named in the nomination no longer counts."""
    campaign, category, criterion = heroes
    nominee = nominate(campaign=campaign, category=category, organisation_name="Oulun kaupunki, Tuira").nominee
    joined, other = JurorFactory(campaign=campaign), JurorFactory(campaign=campaign)
    for juror, value in ((joined, 1), (other, 5)):
        jury.subject_review_save(juror=juror, kind="nominee", subject=nominee, scores={criterion.pk: value},
                                 comment="", now=SCORING)
    assert subject_scores(campaign=campaign, subject="nominee")[nominee.pk].score == 3.0
    MembershipFactory(user=joined.user, organisation=OrganisationFactory(name_fi="Oulu"))
    scores = subject_scores(campaign=campaign, subject="nominee")
    assert (scores[nominee.pk].score, scores[nominee.pk].jurors) == (5.0, 1)


def test_conflict_organisations_reads_every_juror_in_three_queries(django_assert_num_queries):
    campaign = CampaignFactory()
    users = [UserFactory() for _ in range(5)]
    for user in users:
        MembershipFactory(user=user, organisation=OrganisationFactory(name_fi="Porin kaupunki", name_sv="Björneborg"))
    with django_assert_num_queries(3):
        members = conflict_organisations(campaign=campaign, user_ids=[user.pk for user in users])
    assert all(typed_name_conflict("Porin kaupunki", members[user.pk]) for user in users)
