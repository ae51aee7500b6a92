"""Heroes of work: nominating, grouping duplicates, consent, bad input and privacy on every public surface."""

import json

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from campaigns import jury, nominations, services
from campaigns.models import AwardCategory, ConsentState, Nomination, Nominee
from campaigns.nominations import NominationError
from tests.factories import (
    AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory,
    OrganisationFactory, UserFactory, campaign_manager, helsinki, nominate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


DURING = helsinki(2026, 3, 15, 12, 0)
SCORING = helsinki(2026, 4, 20, 12, 0)
AFTER_GALA = helsinki(2026, 4, 20, 20, 0)


@pytest.fixture
def heroes():
    campaign = CampaignFactory(slug="kevat-2026")
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, winners=2,
                                    name_fi="Työn sankarit", name_sv="Arbetets hjältar", name_en="Heroes of work")
    criterion = CriterionFactory(campaign=campaign, name_fi="Innostavuus", scale_min=1, scale_max=5)
    return campaign, category, criterion


def _token(nominee):
    return nominations.consent_token(nominee)


def test_nomination_groups_one_person_and_asks_consent_once_in_their_language(
        heroes, django_capture_on_commit_callbacks):
    campaign, category, _ = heroes
    organisation = OrganisationFactory(name_fi="Liminka")
    with django_capture_on_commit_callbacks(execute=True):
        first = nominate(campaign=campaign, category=category, email="Hanna.Sankari@Kunta.fi",
                         user=UserFactory(preferred_language="sv"), organisation=organisation)
        second = nominate(campaign=campaign, category=category, email=" hanna.sankari@kunta.fi ",
                          justification="Toinen perustelu: vei etätyön käytännöt koko kuntaan.")
    assert first.nominee == second.nominee
    nominee = Nominee.objects.get()
    assert [n.justification for n in nominee.nominations.order_by("id")] == [
        "Kehitti koko tiimin työtapoja.", "Toinen perustelu: vei etätyön käytännöt koko kuntaan."]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hanna.sankari@kunta.fi"]
    assert "/sv/" in message.body  # the nominator's language is the best guess of the nominee's
    assert nominee.consent == ConsentState.PENDING


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "ei-osoite", "valid e-mail"),
    ("justification", "   ", "why you nominate"),
    ("justification", "x" * 2001, "at most 2000"),
])
def test_bad_input_is_refused_and_nothing_is_saved(heroes, field, value, message,
                                                   django_capture_on_commit_callbacks):
    campaign, category, _ = heroes
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NominationError) as error:
        nominate(campaign=campaign, category=category, **{field: value})
    assert message in str(error.value)
    assert error.value.field == field
    assert not Nominee.objects.exists() and not Nomination.objects.exists()
    assert mail.outbox == []


def test_nominating_oneself_and_after_the_end_are_refused(heroes):
    campaign, category, _ = heroes
    me = UserFactory(email="mina@kunta.fi")
    with pytest.raises(NominationError, match="yourself"):
        nominate(campaign=campaign, category=category, user=me, email="MINA@kunta.fi")
    with pytest.raises(NominationError, match="closed"):
        nominate(campaign=campaign, category=category, now=helsinki(2026, 4, 13, 0, 0))
    nominate(campaign=campaign, category=category, now=helsinki(2026, 4, 12, 23, 59))  # last minute counts
    assert Nomination.objects.count() == 1


def test_consent_link_answers_once_and_expires(heroes):
    campaign, category, _ = heroes
    nominee = nominate(campaign=campaign, category=category).nominee
    with time_machine.travel(DURING):
        token = _token(nominee)
        nominee = nominations.nominee_consent_answer(nominee=nominations.nominee_from_token(token), give=True,
                                                     now=DURING)
    assert nominee.consent == ConsentState.GIVEN and nominee.consent_given_at == DURING
    with pytest.raises(NominationError, match="already answered"):
        nominations.nominee_consent_answer(nominee=nominee, give=False, now=DURING)
    assert Nominee.objects.get().consent == ConsentState.GIVEN
    with time_machine.travel(helsinki(2026, 5, 13)):
        assert nominations.nominee_from_token(token) == nominee  # 59 days later it still works
    with time_machine.travel(helsinki(2026, 5, 15)), pytest.raises(NominationError, match="expired"):
        nominations.nominee_from_token(token)
    with pytest.raises(NominationError, match="not valid"):
        nominations.nominee_from_token(token[:-3] + "abc")
    nominations.consent_resend(nominee=nominee, now=DURING)
    with time_machine.travel(DURING), pytest.raises(NominationError, match="newer one"):
        nominations.nominee_from_token(token)


def test_consent_page_records_the_answer_and_refuses_a_second_one(client, heroes):
    campaign, category, _ = heroes
    nominee = nominate(campaign=campaign, category=category).nominee
    url = reverse("campaigns:nomination-consent", args=[_token(nominee)])
    page = client.get(url)
    assert "Hanna Sankari" in page.content.decode()
    client.post(url, {"answer": "refuse"})
    assert Nominee.objects.get().consent == ConsentState.REFUSED
    again = client.post(url, {"answer": "give"})
    assert again.status_code == 400
    assert Nominee.objects.get().consent == ConsentState.REFUSED
    expired = client.get(reverse("campaigns:nomination-consent", args=[signing.dumps({"n": 1}, salt="x")]))
    assert expired.status_code == 400


def test_nomination_form_saves_and_shows_errors_next_to_fields(client, heroes):
    campaign, category, _ = heroes
    user = UserFactory()
    client.force_login(user)
    url = reverse("campaigns:nomination-create", args=[campaign.slug])
    data = {"category": category.pk, "name": "Kalle Kehittäjä", "job_title": "Rehtori",
            "organisation_name": "Limingan kunta", "email": "kalle@kunta.fi", "justification": ""}
    with time_machine.travel(DURING):
        bad = client.post(url, data)
        assert bad.status_code == 400
        assert "Tell the jury why" in bad.content.decode() or "Kerro" in bad.content.decode()
        assert "Kalle Kehittäjä" in bad.content.decode()  # what was typed is kept
        assert not Nomination.objects.exists()
        ok = client.post(url, {**data, "justification": "Uudisti koulun arvioinnin."})
    assert ok.status_code == 302
    assert Nomination.objects.get().nominator == user
    with time_machine.travel(helsinki(2026, 4, 13, 9, 0)):
        closed = client.post(url, {**data, "email": "toinen@kunta.fi", "justification": "Myöhässä."})
    assert closed.status_code == 400 and Nomination.objects.count() == 1


def _scored_and_frozen(campaign, category, criterion, consent: bool):
    nominee = nominate(campaign=campaign, category=category, organisation=OrganisationFactory()).nominee
    if consent:
        nominations.nominee_consent_answer(nominee=nominee, give=True, now=DURING)
    juror = JurorFactory(campaign=campaign)
    jury.subject_review_save(juror=juror, kind="nominee", subject=nominee, scores={criterion.pk: 5}, comment="",
                             now=SCORING)
    staff = campaign_manager()
    services.results_freeze(campaign=campaign, user=staff, now=AFTER_GALA)
    services.results_publish(campaign=campaign, user=staff, now=AFTER_GALA)
    return nominee


def _public_surfaces(client, campaign) -> str:
    pages = [
        client.get(reverse("campaigns:campaign-results", args=[campaign.slug])),
        client.get(reverse("campaigns:campaign-results-csv", args=[campaign.slug])),
        client.get(reverse("campaigns:campaign-results-json", args=[campaign.slug])),
        client.get(reverse("campaigns:campaign-gala", args=[campaign.slug]) + "?step=3"),
        client.get(reverse("campaigns:campaign-detail", args=[campaign.slug])),
        client.get(reverse("campaigns:campaign-list")),
    ]
    assert all(page.status_code == 200 for page in pages)
    return "\n".join(page.content.decode() for page in pages)


def test_without_consent_the_person_is_never_public(client, heroes):
    campaign, category, criterion = heroes
    _scored_and_frozen(campaign, category, criterion, consent=False)
    text = _public_surfaces(client, campaign)
    assert "Hanna Sankari" not in text and "Lähihoitaja" not in text and "hanna.sankari" not in text
    # Without consent the person takes no award place at all (not even an anonymous one).
    assert "Name withheld" not in text and "No winner in this category." in text


def test_with_consent_the_hero_is_named_everywhere_and_withdrawal_hides_only_the_name(client, heroes):
    campaign, category, criterion = heroes
    nominee = _scored_and_frozen(campaign, category, criterion, consent=True)
    assert "Hanna Sankari" in _public_surfaces(client, campaign)
    snapshot = campaign.snapshots.get()
    frozen = json.dumps(snapshot.data)

    nominations.nominee_consent_withdraw(nominee=nominee, now=AFTER_GALA)
    snapshot.refresh_from_db()
    assert json.dumps(snapshot.data) == frozen  # the award record is unchanged
    assert "Hanna Sankari" not in _public_surfaces(client, campaign)
    staff = campaign_manager()
    client.force_login(staff)
    page = client.get(reverse("campaigns:campaign-results", args=[campaign.slug])).content.decode()
    assert "Hanna Sankari" in page and ("no consent" in page or "ei suostumusta" in page)  # staff see why
    gala = client.get(reverse("campaigns:campaign-gala", args=[campaign.slug]) + "?step=3").content.decode()
    assert "Hanna Sankari" not in gala  # the big screen never names them


def test_staff_preview_shows_the_name_with_a_no_consent_badge(client, heroes):
    campaign, category, criterion = heroes
    nominee = nominate(campaign=campaign, category=category).nominee
    jury.subject_review_save(juror=JurorFactory(campaign=campaign), kind="nominee", subject=nominee,
                             scores={criterion.pk: 4}, comment="", now=SCORING)
    client.force_login(campaign_manager())
    with time_machine.travel(SCORING):
        page = client.get(reverse("campaigns:campaign-results", args=[campaign.slug]) + "?live=1").content.decode()
    assert "Hanna Sankari" in page
    assert "no consent" in page or "ei suostumusta" in page


def test_a_juror_never_scores_a_person_from_their_own_organisation(client, heroes):
    campaign, category, criterion = heroes
    organisation = OrganisationFactory()
    nominee = nominate(campaign=campaign, category=category, organisation=organisation).nominee
    juror = JurorFactory(campaign=campaign)
    MembershipFactory(user=juror.user, organisation=organisation)
    with pytest.raises(jury.JuryError, match="conflict of interest"):
        jury.subject_review_save(juror=juror, kind="nominee", subject=nominee, scores={criterion.pk: 5},
                                 comment="", now=SCORING)
    assert not nominee.reviews.exists()
    client.force_login(juror.user)
    with time_machine.travel(SCORING):
        page = client.get(reverse("campaigns:jury-subject-review", args=[campaign.slug, "people", nominee.pk]))
    assert page.status_code == 403 and "Kehitti koko tiimin" not in page.content.decode()


def test_juror_scores_a_nominee_on_the_review_page_with_every_justification(client, heroes):
    campaign, category, criterion = heroes
    nominee = nominate(campaign=campaign, category=category).nominee
    nominate(campaign=campaign, category=category, justification="Toinen perustelu.")
    juror = JurorFactory(campaign=campaign)
    client.force_login(juror.user)
    url = reverse("campaigns:jury-subject-review", args=[campaign.slug, "people", nominee.pk])
    with time_machine.travel(SCORING):
        listing = client.get(reverse("campaigns:jury-list", args=[campaign.slug])).content.decode()
        assert url in listing
        page = client.get(url).content.decode()
        assert "Kehitti koko tiimin työtapoja." in page and "Toinen perustelu." in page
        assert "0 of 1 scored." in page
        client.post(url, {f"criterion_{criterion.pk}": "4", "comment": "Hyvä"})
        out_of_scale = client.post(url, {f"criterion_{criterion.pk}": "9"})
    assert out_of_scale.status_code == 400
    assert nominee.reviews.get().scores.get().value == 4


def test_refused_consent_takes_the_person_out_of_the_running(heroes):
    campaign, category, criterion = heroes
    nominee = nominate(campaign=campaign, category=category).nominee
    nominations.nominee_consent_answer(nominee=nominee, give=False, now=DURING)
    with pytest.raises(jury.JuryError, match="not an entry"):
        jury.subject_review_save(juror=JurorFactory(campaign=campaign), kind="nominee", subject=nominee,
                                 scores={criterion.pk: 5}, comment="", now=SCORING)


def test_merging_duplicates_keeps_every_justification(heroes):
    campaign, category, _ = heroes
    one = nominate(campaign=campaign, category=category, email="hanna@kunta.fi").nominee
    two = nominate(campaign=campaign, category=category, email="hanna.sankari@hyvinvointialue.fi",
                   justification="Eri osoitteella.").nominee
    nominations.nominees_merge(target=one, others=[two])
    assert Nominee.objects.count() == 1
    assert one.nominations.count() == 2


def test_withdrawal_drops_the_name_from_cached_public_pages_at_once(client, heroes, settings,
                                                                    django_capture_on_commit_callbacks):
    from arena.cache import cache  # the page data's own cache

    settings.PUBLIC_CACHE = True
    cache.clear()
    campaign, category, criterion = heroes
    nominee = _scored_and_frozen(campaign, category, criterion, consent=True)
    assert "Hanna Sankari" in _public_surfaces(client, campaign)
    assert "Hanna Sankari" in _public_surfaces(client, campaign)  # now served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        nominations.nominee_consent_withdraw(nominee=nominee, now=AFTER_GALA)
    assert "Hanna Sankari" not in _public_surfaces(client, campaign)
    cache.clear()


def test_cached_results_never_give_the_public_what_staff_see(client, heroes, settings):
    from arena.cache import cache  # the page data's own cache

    settings.PUBLIC_CACHE = True
    cache.clear()
    campaign, category, criterion = heroes
    _scored_and_frozen(campaign, category, criterion, consent=False)
    url = reverse("campaigns:campaign-results", args=[campaign.slug])
    client.force_login(campaign_manager())
    assert "Hanna Sankari" in client.get(url).content.decode()  # staff first: the name, with a badge
    client.logout()
    assert "Hanna Sankari" not in client.get(url).content.decode()
    cache.clear()
