import io
import re

import pytest
from playwright.sync_api import expect
from PIL import Image

from arena import services
from arena.models import Action, Transition
from tests.factories import MembershipFactory, OrganisationFactory, SectorFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(color):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), color).save(buffer, "JPEG")
    return {"name": "kuva.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def log_in(page, email):
    page.goto("/fi/accounts/login/")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label(re.compile(r"^Salasana:?$")).fill("correct horse battery")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("button", name="Kirjaudu ulos").wait_for()


def test_member_writes_a_draft_adds_images_previews_and_submits(page, axe, moderator):
    organisation = OrganisationFactory(name_fi="Limingan kunta")
    member = MembershipFactory(organisation=organisation, user__email="aino@liminka.fi").user
    SectorFactory(name_fi="Testitoimiala", slug="testitoimiala")
    ThemeFactory(name_fi="Testiteema", slug="testiteema")
    log_in(page, member.email)

    # A draft with a title and a summary; the counter follows the typing.
    page.get_by_role("link", name="Jaa teko").click()
    assert axe(page) == []
    page.get_by_label("Otsikko").fill("Neuvolan etävastaanotto")
    page.get_by_label("Lyhyt kuvaus").fill("Perheet tapaavat terveydenhoitajan videolla.")
    expect(page.get_by_text("44 / 300")).to_be_visible()
    page.get_by_role("button", name="Tallenna luonnos").click()
    expect(page.get_by_text("Luonnos tallennettiin.")).to_be_visible()

    # Leave, then come back from "My actions".
    page.get_by_role("link", name="Etusivu").click()
    page.get_by_role("link", name="Omat teot").click()
    row = page.get_by_role("row", name=re.compile("Neuvolan etävastaanotto"))
    assert "luonnos" in row.inner_text()
    row.get_by_role("link", name=re.compile("^Muokkaa")).click()
    assert page.get_by_label("Otsikko").input_value() == "Neuvolan etävastaanotto"

    # Two images, each with its alternative text.
    page.get_by_label("Kuvatiedosto").set_input_files(jpeg((200, 60, 60)))
    page.get_by_label("Tekstivastine", exact=True).fill("Terveydenhoitaja videopuhelussa")
    page.get_by_role("button", name="Lataa kuva").click()
    page.get_by_label("Kuvatiedosto").set_input_files(jpeg((60, 60, 200)))
    page.get_by_label("Tekstivastine", exact=True).fill("Perhe kotona tabletin ääressä")
    page.get_by_role("button", name="Lataa kuva").click()
    expect(page.get_by_text("Kansikuva", exact=True)).to_be_visible()
    assert page.get_by_label("Tekstivastine (kuva 2)").input_value() == "Perhe kotona tabletin ääressä"

    # The rest of the required fields.
    page.get_by_label("Tarve ja tavoitteet").fill("Pitkät matkat neuvolaan.")
    page.get_by_label("Ratkaisu").fill("Videovastaanotto kerran kuukaudessa.")
    page.get_by_label(re.compile(r"^Tulokset")).fill("300 käyntiä kuukaudessa.")
    page.get_by_label("kokeilussa").check()
    page.get_by_label("Testitoimiala").check()
    page.get_by_label("Testiteema").check()
    page.get_by_label("Suostumus julkaisuun").check()
    assert axe(page) == []

    # Preview: the public page with a banner.
    page.get_by_role("button", name="Esikatselu").click()
    page.wait_for_url(re.compile(r"/fi/actions/\d+/preview/$"))
    expect(page.get_by_role("heading", name="Esikatselu")).to_be_visible()
    expect(page.get_by_role("heading", name="Neuvolan etävastaanotto")).to_be_visible()
    expect(page.get_by_role("img", name="Perhe kotona tabletin ääressä")).to_be_visible()
    assert axe(page) == []

    # Submit for moderation; "My actions" shows it waiting.
    page.get_by_role("link", name="Takaisin muokkaamaan").click()
    page.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    page.wait_for_url(re.compile(r"/fi/my/actions/$"))
    row = page.get_by_role("row", name=re.compile("Neuvolan etävastaanotto"))
    assert "odottaa tarkastusta" in row.inner_text()
    action = Action.objects.get()
    assert action.status == Action.Status.SUBMITTED
    assert Transition.objects.filter(action=action).count() == 1
    assert action.images.count() == 2

    # Once published, the public page has the images and no accessibility violations.
    services.action_publish(action=action, moderator=moderator)
    page.goto(action.get_absolute_url())
    expect(page.get_by_role("link", name="Terveydenhoitaja videopuhelussa")).to_be_visible()
    assert page.locator('meta[property="og:image"]').get_attribute("content").endswith(".jpg")
    assert axe(page) == []
    assert page.console_errors == []


def test_double_click_on_send_submits_once(page):
    """The browser sends the form once; the server would also ignore a second submission (see the view tests)."""
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation, user__email="eero@kunta.fi").user
    action = services.action_create(user=member, data={
        "title": "Kaksoisklikkaus", "summary": "S", "need": "N", "solution": "R", "results": "T", "stage": "piloting",
        "language": "fi", "organisation": organisation, "sectors": [SectorFactory()], "themes": [ThemeFactory()],
        "consent_to_publish": True,
    })
    log_in(page, member.email)
    page.goto(f"/fi/actions/{action.pk}/edit/")
    page.get_by_role("button", name="Lähetä tarkastettavaksi").dblclick()
    page.wait_for_url(re.compile(r"/fi/my/actions/$"))
    assert Transition.objects.filter(action=action, to_status="submitted").count() == 1


def test_incomplete_submission_shows_errors_next_to_the_fields(page, axe):
    member = MembershipFactory(user__email="liisa@kunta.fi").user
    log_in(page, member.email)
    page.goto("/fi/actions/new/")
    page.get_by_label("Otsikko").fill("Puolivalmis teko")
    page.get_by_label("Ratkaisu").fill("Tämä on jo kirjoitettu.")
    page.get_by_role("button", name="Lähetä tarkastettavaksi").click()

    expect(page.get_by_text("Tekoa ei tallennettu. Korjaa alla merkityt virheet.")).to_be_visible()
    need = page.get_by_label("Tarve ja tavoitteet")
    assert need.get_attribute("aria-invalid") == "true"
    assert "Tämä kenttä on täytettävä" in page.locator(f"#{need.get_attribute('id')}_error").inner_text()
    assert page.get_by_label("Ratkaisu").input_value() == "Tämä on jo kirjoitettu."
    assert axe(page) == []
    assert not Action.objects.exists()
