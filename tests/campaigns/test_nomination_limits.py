"""The nomination form is no mail relay: limits per nominator and per recipient, no nominator's text in
the mail to the nominee, and no self-nomination through any of one's verified addresses."""

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from arena.limits import LimitReached
from campaigns import nominations
from campaigns.models import AwardCategory, Nomination
from campaigns.nominations import NominationError
from tests.factories import AwardCategoryFactory, CampaignFactory, UserFactory, helsinki, nominate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DURING = helsinki(2026, 3, 15, 12, 0)


@pytest.fixture
def heroes():
    campaign = CampaignFactory(slug="kevat-2026", name_fi="Kevät 2026", name_sv="Våren 2026")
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE,
                                    name_fi="Työn sankarit", name_sv="Arbetets hjältar", name_en="Heroes of work")
    return campaign, category


def _post(client, campaign, category, email, language="sv"):
    with translation.override(language):
        url = reverse("campaigns:nomination-create", args=[campaign.slug])
    return client.post(url, {
        "category": category.pk, "name": "Hanna Sankari", "job_title": "Lähihoitaja",
        "organisation_name": "Limingan kunta", "email": email, "justification": "Kehitti työtapoja.",
    })


def test_a_burst_of_nominations_is_stopped_with_a_message_in_the_users_language(
        client, heroes, django_capture_on_commit_callbacks):
    campaign, category = heroes
    client.force_login(UserFactory(preferred_language="sv"))
    with time_machine.travel(DURING, tick=False), django_capture_on_commit_callbacks(execute=True):
        responses = [_post(client, campaign, category, f"kollega{i}@kunta.fi") for i in range(20)]
    limit = nominations.NOMINATIONS_PER_HOUR
    assert [r.status_code for r in responses] == [302] * limit + [429] * (20 - limit)
    assert "nomineringar inom en timme" in responses[-1].content.decode()  # Swedish, as the page
    assert Nomination.objects.count() == limit
    assert len(mail.outbox) == limit  # the mails stop with the nominations
    with time_machine.travel(helsinki(2026, 3, 15, 13, 1), tick=False):  # the next hour: allowed again
        assert _post(client, campaign, category, "kollega99@kunta.fi").status_code == 302


def test_a_day_allows_no_more_than_the_daily_number(heroes):
    campaign, category = heroes
    user = UserFactory()
    for i in range(nominations.NOMINATIONS_PER_DAY):
        nominate(campaign=campaign, category=category, user=user, email=f"k{i}@kunta.fi",
                 now=helsinki(2026, 3, 15, 8 + i // 5, i))
    with pytest.raises(LimitReached):
        nominate(campaign=campaign, category=category, user=user, email="yksi@kunta.fi",
                 now=helsinki(2026, 3, 15, 20, 0))


def test_one_recipient_nominated_by_many_users_is_limited_across_plus_tags(
        heroes, django_capture_on_commit_callbacks):
    campaign, category = heroes
    limit = nominations.NOMINATIONS_PER_RECIPIENT_DAY
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(limit):
            nominate(campaign=campaign, category=category, user=UserFactory(), email=f"Uhri+{i}@Kunta.fi")
        with pytest.raises(LimitReached, match="nominated as many times today"):
            nominate(campaign=campaign, category=category, user=UserFactory(), email="uhri@kunta.fi")
        with pytest.raises(LimitReached):
            nominate(campaign=campaign, category=category, user=UserFactory(), email="uhri+uusi@kunta.fi")
    assert Nomination.objects.count() == limit
    assert len(mail.outbox) == limit
    nominate(campaign=campaign, category=category, user=UserFactory(), email="toinen.uhri@kunta.fi")  # others not
    nominate(campaign=campaign, category=category, user=UserFactory(), email="uhri@kunta.fi",
             now=helsinki(2026, 3, 16, 12, 1))  # the next day


def test_the_mail_to_the_nominee_holds_nothing_the_nominator_wrote(heroes, django_capture_on_commit_callbacks):
    campaign, category = heroes
    with django_capture_on_commit_callbacks(execute=True):
        nominate(campaign=campaign, category=category, user=UserFactory(preferred_language="fi"),
                 name="Voitit iPhonen! Lunasta http://huijaus.example", job_title="Klikkaa http://huijaus.example",
                 organisation_name="Pankkisi: http://huijaus.example", email="uhri@kunta.fi",
                 justification="Syötä pankkitunnuksesi http://huijaus.example")
    message = mail.outbox[0]
    text = message.subject + message.body
    for typed in ("huijaus", "iPhone", "Klikkaa", "Pankki", "pankkitunnuksesi"):
        assert typed not in text
    assert "Työn sankarit" in message.body and "Kevät 2026" in message.body
    assert "/fi/" in message.body  # the consent link, in the nominee's best-guess language


def test_self_nomination_is_refused_for_every_verified_address(client, heroes):
    campaign, category = heroes
    me = UserFactory(email="mina@kunta.fi", preferred_language="sv")
    EmailAddress.objects.create(user=me, email="Mina.Toinen@hyvinvointialue.fi", verified=True, primary=False)
    EmailAddress.objects.create(user=me, email="vahvistamaton@kunta.fi", verified=False, primary=False)
    for address in ("mina.toinen@hyvinvointialue.fi", "MINA@kunta.fi", "mina+sankari@kunta.fi"):
        with pytest.raises(NominationError, match="own e-mail addresses") as error:
            nominate(campaign=campaign, category=category, user=me, email=address)
        assert error.value.field == "email"
    client.force_login(me)
    with time_machine.travel(DURING, tick=False):
        response = _post(client, campaign, category, "mina.toinen@hyvinvointialue.fi")
    assert response.status_code == 400
    assert "dina egna e-postadresser" in response.content.decode()
    assert not Nomination.objects.exists()
    nominate(campaign=campaign, category=category, user=me, email="vahvistamaton@kunta.fi")  # not proven to be mine
