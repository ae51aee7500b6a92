"""The juror's list shows what the authors wrote, never a per-request value in its place: a title
that spells a placeholder of the old page cache (which put the CSRF token in by replacing it) stays
that text."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tests.campaigns.jury_setup import SCORING, make_jury

pytestmark = pytest.mark.django_db

PLACEHOLDER_TITLE = "Hyvä teko jury-list-csrf-token ja csrfmiddlewaretoken"


def test_a_title_that_spells_the_placeholder_is_shown_as_written(client, settings):
    settings.PUBLIC_CACHE = True
    j = make_jury()
    j.actions["X"].title = PLACEHOLDER_TITLE
    j.actions["X"].save()
    client.force_login(j.lenient.user)
    with translation.override("en"):
        url = reverse("campaigns:jury-list", args=[j.campaign.slug])
    with time_machine.travel(SCORING, tick=False):
        for _ in range(2):  # rendered, then from what the cache keeps
            response = client.get(url)
            assert response.status_code == 200
            assert response.content.decode().count(PLACEHOLDER_TITLE) == 1
