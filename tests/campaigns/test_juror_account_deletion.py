"""Deleting a juror's account keeps their scores under a pseudonym: results that are not frozen yet
do not change, the chair is told, and nothing personal of the juror remains."""

import pytest
import time_machine
from django.urls import reverse

from arena.privacy import user_delete
from campaigns.models import Juror, Review, Score
from campaigns.ranking import campaign_results
from tests.campaigns.jury_setup import SCORING, make_jury, score_all
from tests.factories import JurorFactory, score_action

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def ranking(campaign):
    return [(row.action_id, row.rank, round(row.score, 6) if row.score is not None else None, row.jurors)
            for result in campaign_results(campaign=campaign, as_of=SCORING) if result.is_jury
            for row in result.rows]


@pytest.fixture
def scored():
    j = make_jury(normalise_scores=True)
    score_all(j)
    # A score set that never counted: the conflicted juror's on their own organisation's entry
    # (however it got in). It must not start counting once their memberships are gone.
    score_action(j.conflicted, j.actions["Z"], dict(zip(j.criteria, (1, 1, 1), strict=True)), comment="Oma teko")
    return j


@pytest.mark.parametrize("who", ["harsh", "conflicted"])
def test_deleting_a_jurors_account_leaves_the_ranking_unchanged(scored, who, client):
    before = ranking(scored.campaign)
    juror = getattr(scored, who)
    user = juror.user
    client.force_login(user)

    response = client.post(reverse("arena:my-account-delete"), {"confirm_email": user.email})

    assert response.status_code == 302
    assert not type(user).objects.filter(pk=user.pk).exists()
    assert ranking(scored.campaign) == before
    juror.refresh_from_db()
    assert juror.user_id is None and juror.account_deleted_at is not None
    counted = Score.objects.filter(review__juror=juror).count()
    assert counted == 3 * (3 if who == "harsh" else 2)  # the conflicted set is gone, the others stay


def test_nothing_personal_of_the_deleted_juror_remains(scored):
    user = scored.harsh.user
    name, email = user.full_name, user.email
    user_delete(user=user)

    juror = Juror.objects.get(pk=scored.harsh.pk)
    assert str(juror) == f"Juror {juror.pk} (account deleted)"
    assert not Review.objects.filter(juror=juror).exclude(comment="").exists()  # comments were free text
    for review in Review.objects.all():
        assert name not in review.comment
    assert not type(user).objects.filter(email=email).exists()


def test_the_chair_sees_the_deleted_juror_under_the_pseudonym(scored, client):
    chair = JurorFactory(campaign=scored.campaign, is_chair=True).user
    user_delete(user=scored.harsh.user)
    pseudonym = f"Juror {scored.harsh.pk} (account deleted)"

    client.force_login(chair)
    with time_machine.travel(SCORING, tick=False):
        page = client.get(reverse("campaigns:jury-chair", args=[scored.campaign.slug])).content.decode()
        table = client.get(reverse("campaigns:jury-chair-csv", args=[scored.campaign.slug])).content.decode()

    assert "The account of a juror has been deleted." in page
    assert "still count" in page
    assert pseudonym in page and pseudonym in table
    assert "Ankara Tuomari" not in page and "Ankara Tuomari" not in table
