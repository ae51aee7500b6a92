"""A colleague is nominated as a hero of work, consents from the e-mail, a juror scores the
nomination, staff freeze and publish the results, and the gala reveals the hero."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from campaigns.models import AwardCategory, Campaign, ConsentState, Nominee
from tests.factories import (
    AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory,
    OrganisationFactory, UserFactory, campaign_manager,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])


def test_nominate_consent_score_freeze_and_reveal_the_hero(page, live_server, axe):
    today = timezone.localdate()
    campaign = CampaignFactory(slug="sankarit", name_fi="Syksyn tekokampanja",
                               starts_on=today - datetime.timedelta(days=10),
                               ends_on=today + datetime.timedelta(days=5))
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, name_fi="Työn sankarit",
                         winners=1, position=1)
    CriterionFactory(campaign=campaign, name_fi="Innostavuus", scale_min=1, scale_max=5)
    liminka = OrganisationFactory(name_fi="Limingan kunta")
    nominator = MembershipFactory(organisation=liminka, user=UserFactory(full_name="Noora Nimeäjä")).user
    juror = JurorFactory(campaign=campaign, user=UserFactory(full_name="Tuula Tuomari"))
    staff = campaign_manager(full_name="Kaisa KT")

    # A colleague nominates Hanna on the campaign page.
    log_in(page, live_server, nominator)
    page.goto("/fi/campaigns/sankarit/")
    page.get_by_role("link", name="Ehdota henkilöä").click()
    page.get_by_label("Henkilön nimi").fill("Hanna Sankari")
    page.get_by_label("Tehtävänimike").fill("Lähihoitaja")
    page.get_by_label(re.compile(r"^Organisaatio:?$")).select_option(label="Limingan kunta")
    page.get_by_label("Henkilön sähköpostiosoite").fill("ei-osoite")
    page.get_by_label("Perustelu").fill("Hanna uudisti kotihoidon aamut koko tiimin kanssa.")
    page.get_by_role("button", name="Lähetä ehdotus").click()
    assert page.get_by_text("Anna kelvollinen sähköpostiosoite").first.is_visible()
    assert page.get_by_label("Henkilön nimi").input_value() == "Hanna Sankari"  # kept
    assert axe(page) == []
    page.console_errors.clear()  # the refused form answers 400, which the browser logs
    page.get_by_label("Henkilön sähköpostiosoite").fill("hanna.sankari@liminka.fi")
    page.get_by_role("button", name="Lähetä ehdotus").click()
    assert page.get_by_text("Kiitos! Ehdotuksesi on tallennettu.").is_visible()

    # Hanna answers from the e-mail.
    assert [message.to for message in mail.outbox] == [["hanna.sankari@liminka.fi"]]
    link = re.search(r"http\S+/fi/nominations/consent/\S+/", mail.outbox[0].body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    assert page.get_by_text("Hanna Sankari, sinua on ehdotettu työn sankariksi").is_visible()
    assert axe(page) == []
    page.get_by_role("button", name="Kyllä, suostun").click()
    assert page.get_by_text("Kiitos! Suostumuksesi on tallennettu.").is_visible()
    assert Nominee.objects.get().consent == ConsentState.GIVEN

    # The juror scores the nomination.
    log_in(page, live_server, juror.user)
    page.goto("/fi/campaigns/sankarit/jury/")
    page.get_by_role("link", name="Hanna Sankari").click()
    assert page.get_by_text("Hanna uudisti kotihoidon aamut").is_visible()
    page.get_by_role("radio", name="5").check()
    page.get_by_role("button", name="Tallenna").click()
    assert page.get_by_role("radio", name="5").is_checked()
    assert axe(page) == []

    # The period ends (moved into the past: the browser lives in real time); staff freeze and publish.
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=today - datetime.timedelta(days=20), ends_on=today - datetime.timedelta(days=1),
        gala_at=timezone.now())
    log_in(page, live_server, staff)
    page.goto("/fi/campaigns/sankarit/results/")
    page.get_by_role("button", name="Lukitse tulokset").click()
    page.get_by_role("button", name="Julkaise lukitut tulokset").click()
    assert page.get_by_text("Tulokset on julkaistu.").is_visible()

    # The gala reveals the hero by name, job title and organisation.
    page.goto("/fi/campaigns/sankarit/gala/")
    page.keyboard.press("ArrowRight")
    assert page.locator("section.slide:not([hidden]) h1").inner_text() == "Työn sankarit"
    page.keyboard.press("ArrowRight")
    hero = page.locator("section.slide:not([hidden]) .place.newest").inner_text()
    assert "Hanna Sankari" in hero and "Lähihoitaja" in hero and "Limingan kunta" in hero
    assert axe(page) == []
    assert page.console_errors == []


def test_a_score_typed_on_a_person_review_page_is_saved_without_the_button(page, live_server, axe):
    today = timezone.localdate()
    campaign = CampaignFactory(slug="sankarit", starts_on=today - datetime.timedelta(days=20),
                               ends_on=today - datetime.timedelta(days=1),
                               scoring_deadline=timezone.now() + datetime.timedelta(days=10))
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, name_fi="Työn sankarit")
    CriterionFactory(campaign=campaign, name_fi="Innostavuus", scale_min=1, scale_max=5, position=1)
    CriterionFactory(campaign=campaign, name_fi="Vaikuttavuus", scale_min=1, scale_max=5, position=2)
    Nominee.objects.create(campaign=campaign, email="hanna@kunta.fi", name="Hanna Sankari", job_title="Lähihoitaja",
                           organisation_name="Limingan kunta")
    nominee = Nominee.objects.get()
    nominee.nominations.create(campaign=campaign, category=category, name="Hanna Sankari", job_title="Lähihoitaja",
                               organisation_name="Limingan kunta", email="hanna@kunta.fi",
                               justification="Uudisti kotihoidon aamut.", created_at=timezone.now())
    juror = JurorFactory(campaign=campaign, user=UserFactory(full_name="Tuula Tuomari"), is_chair=True)

    log_in(page, live_server, juror.user)
    page.goto(f"/fi/campaigns/sankarit/jury/people/{nominee.pk}/")
    innostavuus = page.get_by_role("group", name="Innostavuus")
    innostavuus.get_by_role("radio", name="4").check()
    page.get_by_role("status").filter(has_text="Tallennettu").wait_for()
    page.get_by_role("group", name="Vaikuttavuus").get_by_role("radio", name="3").check()
    page.get_by_label("Kommentti").fill("Innostava esimerkki")
    page.get_by_label("Kommentti").blur()
    page.get_by_role("status").filter(has_text="Tallennettu").wait_for()
    page.locator("[data-jury-progress-text]").filter(has_text="1/1 pisteytetty.").wait_for()
    assert axe(page) == []

    # Nothing was pressed: a fresh load shows what was saved.
    page.reload()
    assert page.get_by_role("group", name="Innostavuus").get_by_role("radio", name="4").is_checked()
    assert page.get_by_role("group", name="Vaikuttavuus").get_by_role("radio", name="3").is_checked()
    assert page.get_by_label("Kommentti").input_value() == "Innostava esimerkki"
    review = nominee.reviews.get()
    assert sorted(review.scores.values_list("value", flat=True)) == [3, 4]

    # The chair's view counts the person in the juror's progress.
    page.goto("/fi/campaigns/sankarit/jury/chair/")
    jurors = page.get_by_role("table", name="Tuomareita", exact=True)
    assert jurors.get_by_role("columnheader", name="Henkilöt").is_visible()
    assert jurors.get_by_role("row", name=re.compile("Tuula Tuomari")).get_by_role("cell", name="1 / 1").is_visible()
    assert axe(page) == []
    assert page.console_errors == []
