"""Names and e-mail addresses appear publicly only with consent, on every public surface.

Contact persons of an action are shown publicly only when `ContactPerson.public` is set; the
author of an action is never named publicly (the action is the organisation's); nominees of
the heroes-of-work award are named only when they have consented. Staff see everything, but
what they see must never reach the public (the shared page cache included).
"""

import pytest
import time_machine
from arena.cache import cache  # the page data's own cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from arena.models import ContactPerson
from arena.search import action_update_search_vector
from campaigns import jury, nominations, services
from campaigns.models import AwardCategory
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory,
    OrganisationFactory, UserFactory, helsinki, nominate,
)

pytestmark = pytest.mark.django_db

DURING = helsinki(2026, 3, 15, 12, 0)
SCORING = helsinki(2026, 4, 16, 12, 0)
AFTER_GALA = helsinki(2026, 4, 20, 20, 0)
LATER = helsinki(2026, 5, 4, 12, 0)

# Without consent: none of these may appear on any public surface.
SECRET = {
    "contact name": "Salla Salainen",
    "contact e-mail": "salla.salainen@kunta.fi",
    "author name": "Aapo Kirjoittaja",
    "author e-mail": "aapo.kirjoittaja@kunta.fi",
    "nominee name": "Hanna Sankari",
    "nominee e-mail": "hanna.sankari@kunta.fi",
    "nominee job title": "Kotihoidon tiiminvetäjä",
}
PUBLIC_CONTACT = ("Julia Julkinen", "julia.julkinen@kunta.fi")
CONSENTING_NOMINEE = "Ville Suostuja"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back afterwards (tests nest savepoints in it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
    organisation = OrganisationFactory(name_fi="Avoinkunta")
    author = MembershipFactory(organisation=organisation, user__full_name=SECRET["author name"],
                               user__email=SECRET["author e-mail"]).user
    campaign = CampaignFactory(slug="kevat-2026")
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.MOST_ACTIONS, position=1)
    heroes = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, winners=2, position=2)
    criterion = CriterionFactory(campaign=campaign)
    action = ActionFactory(organisation=organisation, author=author, title="Yhteinen aamupala", submitted_at=DURING,
                           summary="Aamupala kokoaa tiimin.")
    ContactPerson.objects.create(action=action, name=SECRET["contact name"], email=SECRET["contact e-mail"],
                                 job_title="Palveluesimies", public=False, position=0)
    ContactPerson.objects.create(action=action, name=PUBLIC_CONTACT[0], email=PUBLIC_CONTACT[1], public=True,
                                 position=1)
    action_update_search_vector(action)

    hidden = nominate(campaign=campaign, category=heroes, name=SECRET["nominee name"],
                      email=SECRET["nominee e-mail"], job_title=SECRET["nominee job title"],
                      organisation=organisation, actions=[action], now=DURING).nominee
    named = nominate(campaign=campaign, category=heroes, name=CONSENTING_NOMINEE, email="ville.suostuja@kunta.fi",
                     job_title="Sosiaaliohjaaja", organisation=organisation, now=DURING).nominee
    nominations.nominee_consent_answer(nominee=named, give=True, now=DURING)
    juror = JurorFactory(campaign=campaign)
    for nominee in (hidden, named):
        jury.subject_review_save(juror=juror, kind="nominee", subject=nominee, scores={criterion.pk: 5}, comment="",
                                 now=SCORING)
    staff = UserFactory(is_staff=True, is_superuser=True)
    services.results_freeze(campaign=campaign, user=staff, now=AFTER_GALA)
    services.results_publish(campaign=campaign, user=staff, now=AFTER_GALA)
    return {"action": action, "organisation": organisation, "campaign": campaign, "staff": staff}


def _campaign(name):
    return lambda w: reverse(name, args=[w["campaign"].slug])


# Every public surface: name → URL
SURFACES = {
    "home page": lambda w: reverse("home"),
    "action page (and its meta tags)": lambda w: w["action"].get_absolute_url(),
    "action list": lambda w: reverse("arena:action-list"),
    "search results": lambda w: reverse("arena:action-list") + "?q=aamupala",
    "organisation page": lambda w: w["organisation"].get_absolute_url(),
    "organisation list": lambda w: reverse("orgs:organisation-list"),
    "Atom feed": lambda w: reverse("arena:action-feed"),
    "JSON API": lambda w: reverse("api-actions-json"),
    "CSV": lambda w: reverse("api-actions-csv"),
    "statistics": lambda w: reverse("arena:statistics"),
    "open data": lambda w: reverse("arena:open-data"),
    "campaign list": lambda w: reverse("campaigns:campaign-list"),
    "campaign page": _campaign("campaigns:campaign-detail"),
    "results page": _campaign("campaigns:campaign-results"),
    "results CSV": _campaign("campaigns:campaign-results-csv"),
    "results JSON": _campaign("campaigns:campaign-results-json"),
    "gala": lambda w: reverse("campaigns:campaign-gala", args=[w["campaign"].slug]) + "?step=99",
}
# Where the people who consented are expected.
CONTACT_SHOWN_ON = {"action page (and its meta tags)", "JSON API", "CSV"}
NOMINEE_SHOWN_ON = {"results page", "results CSV", "results JSON", "gala"}


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def _gala_pages(client, world) -> str:
    """Every slide of the gala (the big screen is shown step by step)."""
    url = reverse("campaigns:campaign-gala", args=[world["campaign"].slug])
    return "\n".join(_text(client.get(f"{url}?step={step}")) for step in range(12))


def _visit(client, world, surface) -> str:
    if surface == "gala":
        return _gala_pages(client, world)
    response = client.get(SURFACES[surface](world))
    assert response.status_code == 200, surface
    return _text(response)


@pytest.fixture(params=["anonymous", "member of another organisation"])
def visitor(request):
    client = Client()
    if request.param != "anonymous":
        client.force_login(MembershipFactory().user)
    return client


@pytest.mark.parametrize("surface", SURFACES)
def test_people_without_consent_appear_on_no_public_surface(world, visitor, surface):
    with time_machine.travel(LATER):
        text = _visit(visitor, world, surface)
    leaked = [what for what, value in SECRET.items() if value.lower() in text.lower()]
    assert leaked == []


@pytest.mark.parametrize("surface", SURFACES)
def test_people_with_consent_appear_where_they_should(world, surface):
    with time_machine.travel(LATER):
        text = _visit(Client(), world, surface)
    assert (PUBLIC_CONTACT[0] in text and PUBLIC_CONTACT[1] in text) == (surface in CONTACT_SHOWN_ON)
    if surface in NOMINEE_SHOWN_ON:
        assert CONSENTING_NOMINEE in text


def test_searching_for_a_hidden_contact_finds_nothing(world):
    url, page = reverse("arena:action-list"), world["action"].get_absolute_url()
    assert page in _text(Client().get(url, {"q": "aamupala"}))
    for query in ("Salainen", SECRET["contact e-mail"], "Kirjoittaja"):
        assert page not in _text(Client().get(url, {"q": query}))


def test_staff_see_every_contact_but_the_cached_public_page_does_not(world, settings):
    settings.PUBLIC_CACHE = True
    cache.clear()
    try:
        staff = Client()
        staff.force_login(world["staff"])
        assert SECRET["contact name"] in _text(staff.get(world["action"].get_absolute_url()))
        for _twice in range(2):  # the second answer comes from the shared cache
            text = _text(Client().get(world["action"].get_absolute_url()))
            assert SECRET["contact name"] not in text and PUBLIC_CONTACT[0] in text
    finally:
        cache.clear()
