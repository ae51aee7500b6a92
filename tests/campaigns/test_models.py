"""Bad input: refused by the admin form and by the database, with clear messages."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from django.contrib import admin
from django.test import RequestFactory

from campaigns.models import AwardCategory, Campaign
from orgs.models import Organisation
from tests.factories import AwardCategoryFactory, CampaignFactory, UserFactory, helsinki

pytestmark = pytest.mark.django_db


def CampaignAdminForm(data):  # noqa: N802 (stands for the admin's form class)
    """The form the admin really shows (modeltranslation replaces `name` by name_fi/sv/en)."""
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return admin.site._registry[Campaign].get_form(request)(data=data)


def form_data(**overrides):
    data = {
        "name_fi": "Kevät 2027", "name_sv": "Våren 2027", "name_en": "", "slug": "kevat-2027",
        "description_fi": "", "description_sv": "", "description_en": "",
        "starts_on": "2027-03-01", "ends_on": "2027-04-11", "gala_at": "2027-04-20 18:00",
        "eligible_kinds": ["municipality", "welfare_area"],
    }
    data = {**data, **overrides}
    # The admin shows a date and a time field for a datetime.
    data["gala_at_0"], data["gala_at_1"] = data.pop("gala_at").split(" ")
    return data


def test_admin_form_accepts_a_good_campaign():
    form = CampaignAdminForm(form_data())
    assert form.is_valid(), form.errors
    campaign = form.save()
    assert campaign.eligible_kinds == ["municipality", "welfare_area"]
    assert campaign.gala_at == helsinki(2027, 4, 20, 18)


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"ends_on": "2027-02-28"}, "ends_on", "Kampanja ei voi päättyä ennen kuin se alkaa."),
    ({"gala_at": "2027-04-11 20:00"}, "gala_at", "Gaala ei voi olla ennen kuin kampanjakausi on päättynyt."),
    ({"gala_at": "2027-03-20 18:00"}, "gala_at", "Gaala ei voi olla ennen kuin kampanjakausi on päättynyt."),
])
def test_admin_form_refuses_bad_periods_with_clear_messages(overrides, field, message):
    with translation.override("fi"):
        form = CampaignAdminForm(form_data(**overrides))
        assert not form.is_valid()
        assert form.errors[field] == [message]
    assert not Campaign.objects.exists()


def test_admin_form_refuses_a_second_campaign_with_the_same_slug():
    CampaignFactory(slug="kevat-2027")
    with translation.override("fi"):
        form = CampaignAdminForm(form_data(starts_on="2027-03-05"))
        assert not form.is_valid()
        assert form.errors["slug"] == ["Toisella kampanjalla on jo tämä osoitetunniste. Valitse toinen."]


def test_gala_at_midnight_after_the_last_day_is_accepted():
    form = CampaignAdminForm(form_data(gala_at="2027-04-12 00:00"))
    assert form.is_valid(), form.errors


def create(**kwargs):
    with transaction.atomic():
        return CampaignFactory(**kwargs)


def test_database_refuses_end_before_start():
    with pytest.raises(IntegrityError, match="campaign_period_in_order"):
        create(starts_on=datetime.date(2026, 5, 2), ends_on=datetime.date(2026, 5, 1),
               gala_at=helsinki(2026, 6, 1, 18))


def test_database_refuses_gala_before_the_end_of_the_last_day():
    with pytest.raises(IntegrityError, match="campaign_gala_after_period"):
        create(ends_on=datetime.date(2026, 4, 12), gala_at=helsinki(2026, 4, 12, 23, 59))
    create(ends_on=datetime.date(2026, 4, 12), gala_at=helsinki(2026, 4, 13, 0, 0))


def test_database_refuses_unknown_organisation_kind():
    with pytest.raises(IntegrityError, match="campaign_eligible_kinds_valid"):
        create(eligible_kinds=[Organisation.Kind.MUNICIPALITY, "parish"])


def test_database_refuses_duplicate_slug_even_for_overlapping_campaigns():
    create(slug="kevat")
    with pytest.raises(IntegrityError):
        create(slug="kevat", starts_on=datetime.date(2026, 3, 5))


def test_database_refuses_a_category_with_no_winners(campaign):
    with pytest.raises(IntegrityError, match="award_category_has_winners"), transaction.atomic():
        AwardCategoryFactory(campaign=campaign, winners=0)


def test_database_refuses_unknown_category_kind(campaign):
    with pytest.raises(IntegrityError, match="award_category_kind_valid"), transaction.atomic():
        AwardCategoryFactory(campaign=campaign, kind="most_likes")


def test_category_form_refuses_zero_winners_with_a_clear_message(campaign):
    from django.forms import modelform_factory

    form_class = modelform_factory(AwardCategory, fields=["campaign", "kind", "name_fi", "position", "winners",
                                                          "min_actions"])
    with translation.override("fi"):
        form = form_class(data={"campaign": campaign.pk, "kind": "jury", "name_fi": "Tuomaristo", "position": 1,
                                "winners": 0, "min_actions": 5})
        assert not form.is_valid()
        assert "Sarjassa on oltava vähintään yksi voittaja." in str(form.errors)


def test_running_upcoming_past_by_helsinki_date(campaign):
    assert list(Campaign.objects.running(helsinki(2026, 4, 12, 23, 59))) == [campaign]
    assert list(Campaign.objects.running(helsinki(2026, 4, 13, 0, 0))) == []
    assert list(Campaign.objects.past(helsinki(2026, 4, 13, 0, 0))) == [campaign]
    assert list(Campaign.objects.upcoming(helsinki(2026, 2, 28, 23, 59))) == [campaign]


def test_score_outside_the_criterion_scale_is_refused(campaign):
    from django.core.exceptions import ValidationError

    from campaigns.models import Score
    from tests.factories import ActionFactory, CriterionFactory, JurorFactory, score_action

    criterion = CriterionFactory(campaign=campaign, scale_min=1, scale_max=5)
    review = score_action(JurorFactory(campaign=campaign), ActionFactory(), {})
    Score(review=review, criterion=criterion, value=5).full_clean()
    with translation.override("fi"), pytest.raises(ValidationError, match="välillä 1–5"):
        Score(review=review, criterion=criterion, value=6).full_clean()
