import re

import pytest
from playwright.sync_api import expect

from arena.models import Adoption, Like
from arena.search import action_update_search_vector
from tests.factories import ActionFactory, MembershipFactory, OrganisationFactory, SectorFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def actions():
    ecec = SectorFactory(slug="early-childhood-education", name_fi="Varhaiskasvatus", name_sv="Småbarnspedagogik")
    meals = SectorFactory(slug="meal-cleaning", name_fi="Ruoka- ja puhtauspalvelut")
    liminka = OrganisationFactory(name_fi="Liminka", slug="liminka")
    made = [
        ActionFactory(title="Pihapäivät vanhempien kanssa", summary="Päiväkoti kutsuu vanhemmat pihalle.",
                      sectors=[ecec], organisation=liminka),
        ActionFactory(title="Päiväkodin kasvisruokapäivät", summary="Kasvisruokaa kahdesti viikossa.",
                      sectors=[meals], organisation=liminka),
        ActionFactory(title="Kirjaston lukukoira", summary="Lapset lukevat koiralle.", sectors=[ecec]),
    ]
    for action in made:
        action_update_search_vector(action)
    return made


def test_search_filter_open_like_and_adopt(page, actions):
    oulu = OrganisationFactory(name_fi="Oulu", slug="oulu")
    user = UserFactory(email="olli@ouka.fi")
    MembershipFactory(user=user, organisation=oulu)

    page.goto("/fi/")
    page.get_by_role("searchbox", name="Hae tekoja").fill("päiväkodissa")
    page.get_by_role("button", name="Hae", exact=True).click()
    results = page.get_by_role("heading", level=3)
    expect(page.get_by_role("heading", name="2 tekoa")).to_be_visible()
    assert sorted(results.all_inner_texts()) == ["Pihapäivät vanhempien kanssa", "Päiväkodin kasvisruokapäivät"]
    assert page.locator("mark").first.inner_text().lower().startswith("päiväko")

    page.get_by_label("Toimiala").select_option(label="Varhaiskasvatus")
    page.get_by_role("button", name="Näytä teot").click()
    expect(page.get_by_role("heading", name="1 teko")).to_be_visible()
    assert "sector=early-childhood-education" in page.url and "q=p%C3%A4iv%C3%A4kodissa" in page.url
    assert page.get_by_label("Hae", exact=True).input_value() == "päiväkodissa"

    page.get_by_role("link", name="Pihapäivät vanhempien kanssa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pihapäivät vanhempien kanssa")
    # Not logged in: liking leads to the login page and back to the action.
    assert page.get_by_role("button", name="Peru tykkäys").is_hidden()
    page.get_by_role("button", name="Tykkää", exact=True).click()
    page.wait_for_url(re.compile(r"/fi/accounts/login/"))
    page.get_by_label("Sähköposti").fill("olli@ouka.fi")
    page.get_by_label(re.compile(r"^Salasana:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(re.compile(r"/fi/actions/\d+-pihapaivat"))

    like = page.get_by_role("button", name="Tykkää", exact=True)
    like.click()
    page.get_by_role("button", name="Peru tykkäys").wait_for()
    assert like.is_hidden()
    expect(page.locator("[data-like-count]")).to_have_text("1")
    assert Like.objects.filter(user=user, action=actions[0]).exists()

    page.get_by_label("Organisaatio, joka otti sen käyttöön").select_option(label="Oulu")
    page.get_by_label("Mitä teitte? (vapaaehtoinen)").fill("Kokeilimme syksyllä kolmessa päiväkodissa.")
    page.get_by_role("button", name="Mekin teimme tämän").click()
    expect(page.get_by_text("Kiitos, että levität hyviä käytäntöjä")).to_be_visible()
    expect(page.get_by_role("heading", name="Otettu käyttöön 1 organisaatiossa")).to_be_visible()
    expect(page.get_by_text("Kokeilimme syksyllä kolmessa päiväkodissa.")).to_be_visible()
    assert Adoption.objects.filter(action=actions[0], organisation=oulu).exists()
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("path", ["", "actions/", "actions/?q=päiväkoti&sector=early-childhood-education",
                                  "statistics/", "open-data/"])
def test_browse_pages_have_no_accessibility_violations(page, axe, actions, language, path):
    page.goto(f"/{language}/{path}")
    assert axe(page) == []
    assert page.console_errors == []


def test_action_page_with_engagement_block_is_accessible(page, axe, actions):
    user = UserFactory(email="olli@ouka.fi")
    MembershipFactory(user=user)
    page.goto("/fi/accounts/login/")
    page.get_by_label("Sähköposti").fill("olli@ouka.fi")
    page.get_by_label(re.compile(r"^Salasana:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.goto(actions[0].get_absolute_url())
    assert axe(page) == []
