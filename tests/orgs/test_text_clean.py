"""Titles and names are stored without invisible characters: no right-to-left override, no
zero-width characters, one line with single spaces (`orgs.text`)."""

import pytest
from django.urls import reverse

from arena.models import Action
from orgs.text import clean_line
from tests.factories import ActionFactory, MakerFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SPOOFED = "Etä\u200bhoito \u202egnp.exe\u202c  ja\u00ad\ufeff\n kotikäynnit\u2066"
CLEAN = "Etähoito gnp.exe ja kotikäynnit"


@pytest.mark.parametrize(("typed", "stored"), [
    (SPOOFED, CLEAN),
    ("a\u0308iti\u200d", "äiti"),  # NFC, zero-width joiner
    ("  \t Oulu\u2028\u00a0kaupunki \x07", "Oulu kaupunki"),
    ("\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "\U0001F3F4\U000E0067\U000E0062"
     "\U000E0073\U000E0063\U000E0074\U000E007F"),  # a region's flag keeps its tag characters
])
def test_clean_line(typed, stored):
    assert clean_line(typed) == stored


def test_a_spoofed_title_and_names_are_stored_clean():
    action = ActionFactory(title=SPOOFED)
    maker = MakerFactory(action=action, name="Anna\u200b Ahonen\u202e")
    organisation = OrganisationFactory(name_fi="Kemi\u202en kaupunki", name_sv="Kemi\u200b stad")
    user = UserFactory(full_name="Mal\u202elory\u2069")
    action.refresh_from_db()
    maker.refresh_from_db()
    organisation.refresh_from_db()
    user.refresh_from_db()
    assert (action.title, maker.name) == (CLEAN, "Anna Ahonen")
    assert (organisation.name_fi, organisation.name_sv) == ("Kemin kaupunki", "Kemi stad")
    assert user.full_name == "Mallory"


def test_the_page_shows_the_clean_title(client):
    action = ActionFactory(title=SPOOFED, status=Action.Status.PUBLISHED)
    html = client.get(action.get_absolute_url()).content.decode()
    assert CLEAN in html
    assert "\u202e" not in html and "\u200b" not in html


def test_the_admin_stores_a_clean_organisation_name(admin_client):
    organisation = OrganisationFactory(name_fi="Kemi")
    url = reverse("admin:orgs_organisation_change", args=[organisation.pk])
    context = admin_client.get(url).context
    form = context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and not isinstance(value, list) and name != "logo"}
    data.update({f"{inline.formset.prefix}-{key}": 0 for inline in context["inline_admin_formsets"]
                 for key in ("TOTAL_FORMS", "INITIAL_FORMS")})
    data.update({"name_fi": "Kemi\u202e\u200b  kaupunki", "kind": organisation.kind, "slug": organisation.slug})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.name_fi == "Kemi kaupunki"
