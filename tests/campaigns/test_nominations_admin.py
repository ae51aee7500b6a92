"""Staff manage nominations in the admin: search, consent state, resend the consent e-mail, merge duplicates."""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import AwardCategory, Nominee
from tests.factories import AwardCategoryFactory, CampaignFactory, UserFactory, nominate

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    campaign = CampaignFactory()
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return campaign, category


def test_search_shows_consent_state(client, setup):
    campaign, category = setup
    nominate(campaign=campaign, category=category, name="Hanna Sankari", email="hanna@kunta.fi")
    nominate(campaign=campaign, category=category, name="Olli Muu", email="olli@kunta.fi")
    page = client.get(reverse("admin:campaigns_nominee_changelist"), {"q": "hanna"}).content.decode()
    assert "Hanna Sankari" in page and "Olli Muu" not in page
    assert "odottaa vastausta" in page or "waiting for an answer" in page


def test_resend_sends_a_new_link_in_the_nominees_language(client, setup, django_capture_on_commit_callbacks):
    campaign, category = setup
    UserFactory(email="hanna@kunta.fi", preferred_language="sv")  # has an account: her own language
    nominee = nominate(campaign=campaign, category=category, email="hanna@kunta.fi").nominee
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:campaigns_nominee_changelist"),
                    {"action": "resend_consent", "_selected_action": [nominee.pk]})
    assert [m.to for m in mail.outbox] == [["hanna@kunta.fi"]]
    assert "/sv/nominations/consent/" in mail.outbox[0].body
    nominee.refresh_from_db()
    assert nominee.token_version == 2


def test_merge_duplicates_keeps_the_oldest_with_every_nomination(client, setup):
    campaign, category = setup
    first = nominate(campaign=campaign, category=category, email="hanna@kunta.fi").nominee
    second = nominate(campaign=campaign, category=category, email="hanna.sankari@hus.fi",
                      justification="Toisella osoitteella.").nominee
    client.post(reverse("admin:campaigns_nominee_changelist"),
                {"action": "merge_duplicates", "_selected_action": [first.pk, second.pk]})
    assert list(Nominee.objects.all()) == [first]
    assert first.nominations.count() == 2


def test_staff_add_a_wonder_worker_candidate_by_hand_with_a_reason(client, setup):
    from campaigns.models import CandidateOverride
    from campaigns.nominations import organisation_candidates
    from tests.factories import OrganisationFactory, helsinki

    campaign, _ = setup
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_ORGANISATIONS, min_actions=5)
    organisation = OrganisationFactory(name_fi="Rohkea kunta")
    url = reverse("admin:campaigns_candidateoverride_add")
    data = {"category": category.pk, "organisation": organisation.pk, "include": "on"}
    refused = client.post(url, {**data, "reason": ""})
    assert refused.status_code == 200 and not CandidateOverride.objects.exists()  # a reason is required
    client.post(url, {**data, "reason": "Näytti rohkeutta ilman tekoja portaalissa"})
    override = CandidateOverride.objects.get()
    assert override.by.is_staff
    candidates = organisation_candidates(campaign=campaign, category=category, as_of=helsinki(2026, 4, 20))
    assert [c.organisation.name_fi for c in candidates] == ["Rohkea kunta"]
