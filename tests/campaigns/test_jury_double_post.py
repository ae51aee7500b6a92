import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from campaigns.models import Review, Score
from tests.campaigns.jury_setup import SCORING, make_jury

pytestmark = pytest.mark.django_db


def test_the_same_scores_posted_twice_are_one_review_with_one_score_per_criterion(client):
    with time_machine.travel(SCORING, tick=False):
        j = make_jury()
        client.force_login(j.lenient.user)
        with translation.override("en"):
            url = reverse("campaigns:jury-review", args=[j.campaign.slug, j.actions["X"].pk])
        data = {f"criterion_{c.pk}": v for c, v in zip(j.criteria, (5, 4, 3), strict=True)} | {"comment": "Hyvä"}
        answers = [client.post(url, data, HTTP_ACCEPT="application/json") for _ in range(2)]
    assert [a.json()["saved"] for a in answers] == [True, True]
    review = Review.objects.get(juror=j.lenient, action=j.actions["X"])
    assert Score.objects.filter(review=review).count() == len(j.criteria) == 3
    assert sorted(review.scores.values_list("value", flat=True)) == [3, 4, 5]
