"""Staff set up the jury in the campaign admin: default criteria and inviting jurors by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Campaign, Juror
from orgs.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/campaigns/campaign/add/"


def campaign_post(client, **extra):
    """The admin's add form filled in, every inline empty unless `extra` says otherwise."""
    page = client.get(ADD_URL)
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                 f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    data |= {
        "name_fi": "Syyskampanja 2026", "name_sv": "Höstkampanjen 2026", "slug": "syksy-2026",
        "starts_on": "2026-09-01", "ends_on": "2026-10-12",
        "gala_at_0": "2026-10-20", "gala_at_1": "18:00:00",
        "scoring_deadline_0": "2026-10-18", "scoring_deadline_1": "16:00:00",
        "eligible_kinds": ["municipality"],
    }
    data |= extra
    return client.post(ADD_URL, data)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_a_new_campaign_without_criteria_gets_the_three_default_criteria(staff_client):
    response = campaign_post(staff_client)
    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = Campaign.objects.get(slug="syksy-2026")
    assert [(c.name_fi, c.name_sv, c.name_en, c.scale_min, c.scale_max) for c in campaign.criteria.all()] == [
        ("Innostavuus", "Inspirerande", "Inspiring", 1, 5),
        ("Vaikuttavuus", "Effekt", "Impact", 1, 5),
        ("Siirrettävyys", "Överförbarhet", "Transferability", 1, 5),
    ]


def test_a_new_campaign_with_its_own_criteria_keeps_them(staff_client):
    response = campaign_post(staff_client, **{
        "criteria-TOTAL_FORMS": "1", "criteria-0-position": "1", "criteria-0-name_fi": "Rohkeus",
        "criteria-0-weight": "2", "criteria-0-scale_min": "1", "criteria-0-scale_max": "10",
    })
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="syksy-2026")
    assert [(c.name_fi, c.weight, c.scale_max) for c in campaign.criteria.all()] == [("Rohkeus", 2, 10)]


def test_inviting_jurors_by_e_mail(staff_client, django_capture_on_commit_callbacks):
    existing = UserFactory(email="anna.juryssa@example.fi", preferred_language="sv")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = campaign_post(staff_client, invite_jurors="anna.juryssa@example.fi\nUusi.Tuomari@Example.fi")
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="syksy-2026")
    new_user = User.objects.get(email="uusi.tuomari@example.fi")
    assert set(Juror.objects.filter(campaign=campaign).values_list("user", flat=True)) == {existing.pk, new_user.pk}
    assert not new_user.has_usable_password()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"anna.juryssa@example.fi", "uusi.tuomari@example.fi"}
    assert "/sv/campaigns/syksy-2026/jury/" in by_recipient["anna.juryssa@example.fi"].body
    assert "/password/reset/key/" not in by_recipient["anna.juryssa@example.fi"].body
    link = re.search(r"https?://\S+/password/reset/key/\S+/", by_recipient["uusi.tuomari@example.fi"].body).group(0)

    # The new juror sets a password with the link and logs in.
    staff_client.logout()
    page = staff_client.get(link.split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1], follow=True)
    assert 'name="password1"' in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    response = staff_client.post(form_url, {"password1": "Tuomarin-salasana-2026", "password2": "Tuomarin-salasana-2026"})
    assert response.status_code == 302
    assert staff_client.login(email="uusi.tuomari@example.fi", password="Tuomarin-salasana-2026")
    assert staff_client.get(reverse("campaigns:jury-list", args=["syksy-2026"])).status_code == 200


def test_an_invalid_invitation_address_is_refused_and_nothing_is_created(staff_client):
    response = campaign_post(staff_client, invite_jurors="ei-osoite")
    assert response.status_code == 200
    assert "ei-osoite" in str(response.context["adminform"].form.errors["invite_jurors"])
    assert not Campaign.objects.filter(slug="syksy-2026").exists()


def test_the_change_form_offers_the_invitation(staff_client):
    from tests.factories import CampaignFactory, CriterionFactory

    campaign = CampaignFactory(slug="kevat-2026")
    CriterionFactory(campaign=campaign, name_fi="Oma kriteeri")
    page = staff_client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/")
    assert page.status_code == 200
    assert "Kutsu tuomareita sähköpostilla" in page.content.decode()
