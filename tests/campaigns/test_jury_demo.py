"""The demo jury command the development bootstrap runs."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from campaigns.models import AwardCategory, Juror, Review
from orgs.models import User
from tests.factories import ActionFactory, AwardCategoryFactory, CampaignFactory

pytestmark = pytest.mark.django_db


def running_campaign():
    today = timezone.localdate()
    campaign = CampaignFactory(slug="demo-syksy", starts_on=today - datetime.timedelta(days=14),
                               ends_on=today + datetime.timedelta(days=28))
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY)
    for _number in range(6):
        ActionFactory(submitted_at=timezone.now() - datetime.timedelta(days=1))
    return campaign


def test_demo_jury_makes_a_juror_and_a_chair_with_scores_once(settings):
    settings.DEBUG = True
    campaign = running_campaign()
    call_command("load_demo_jury")
    call_command("load_demo_jury")  # idempotent
    juror = Juror.objects.get(campaign=campaign, user__email="tuomari@example.fi")
    chair = Juror.objects.get(campaign=campaign, user__email="puheenjohtaja@example.fi")
    assert (juror.is_chair, chair.is_chair) == (False, True)
    assert User.objects.get(email="tuomari@example.fi").check_password("demo-tuomari-2026")
    assert Review.objects.filter(juror=juror).count() == 3
    assert Review.objects.filter(juror=chair).count() == 5
    assert campaign.criteria.count() == 3
    campaign.refresh_from_db()
    assert campaign.scoring_deadline is not None


def test_demo_jury_keeps_an_existing_demo_jurors_password(settings):
    settings.DEBUG = True
    running_campaign()
    user = User.objects.create_user(email="tuomari@example.fi", password="oma-salasana-123")
    call_command("load_demo_jury")
    user.refresh_from_db()
    assert user.check_password("oma-salasana-123")


def test_demo_jury_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_jury")
