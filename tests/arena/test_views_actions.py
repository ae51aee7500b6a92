import re
import os

import pytest
from django.conf import settings
from django.urls import reverse

from arena import images, services
from arena.models import Action, ActionImage, ContactPerson, Revision, Transition
from tests.arena.images_util import jpeg_upload, upload
from tests.factories import (
    ActionFactory, MakerFactory, MembershipFactory, OrganisationFactory, SectorFactory, ThemeFactory, UserFactory,
)

pytestmark = pytest.mark.django_db
S = Action.Status


def form_data(intent="draft", contacts=(), links=(), **fields):
    """The POST of the action form: the fields given plus empty or given formsets."""
    data = {"title": "Etävastaanotto", "language": "fi", "intent": intent}
    data.update({k: v for k, v in fields.items() if v is not None})
    for prefix, rows in (("contacts", contacts), ("links", links)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(sum(1 for row in rows if row.get("id")))
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


def complete_fields(organisation):
    return {
        "summary": "Neuvolan etävastaanotto säästää perheiden aikaa.",
        "need": "Perheet joutuivat ajamaan pitkiä matkoja.",
        "solution": "Otimme käyttöön videovastaanoton.",
        "results": "Käyntejä 300 kuukaudessa.",
        "stage": "piloting",
        "sectors": [SectorFactory().pk],
        "themes": [ThemeFactory().pk],
        "organisation": organisation.pk,
        "consent_to_publish": "on",
    }


def media_files():
    return sorted(os.path.join(root, name) for root, _, names in os.walk(settings.MEDIA_ROOT) for name in names)


# --- who may see and do what ---------------------------------------------------------------------

@pytest.fixture
def people(organisation):
    draft = ActionFactory(organisation=organisation, status=S.DRAFT, submitted_at=None)
    return {
        "draft": draft,
        "author": draft.author,
        "colleague": MembershipFactory(organisation=organisation).user,
        "other member": MembershipFactory().user,
        "anonymous": None,
        "staff": UserFactory(is_staff=True),
    }


NON_PUBLIC = {"author": 200, "colleague": 200, "other member": 404, "anonymous": 404, "staff": 200}
EDIT_DRAFT = {"author": 200, "colleague": 200, "other member": 404, "anonymous": "login", "staff": 403}


def get_as(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("who", NON_PUBLIC)
def test_draft_detail_is_visible_to_author_organisation_and_staff_only(client, people, who):
    draft = people["draft"]
    response = get_as(client, people[who], draft.get_absolute_url())
    assert response.status_code == NON_PUBLIC[who]
    if response.status_code == 200:
        assert 'class="state-banner"' in response.content.decode()
        assert draft.title in response.content.decode()


@pytest.mark.parametrize("view", ["arena:action-edit", "arena:action-preview"])
@pytest.mark.parametrize("who", EDIT_DRAFT)
def test_draft_edit_and_preview_by_author_and_organisation_only(client, people, who, view):
    response = get_as(client, people[who], reverse(view, kwargs={"pk": people["draft"].pk}))
    expected = EDIT_DRAFT[who]
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("who", NON_PUBLIC)
def test_published_action_is_public_but_editable_only_by_its_own(client, people, who, organisation):
    action = ActionFactory(organisation=organisation, author=people["author"])
    assert get_as(client, people[who], action.get_absolute_url()).status_code == 200
    edit = client.get(reverse("arena:action-edit", kwargs={"pk": action.pk}))
    expected = {"author": 200, "colleague": 200, "other member": 403, "anonymous": 302, "staff": 403}[who]
    assert edit.status_code == expected


@pytest.mark.parametrize("status", [S.SUBMITTED, S.RETURNED, S.REJECTED, S.HIDDEN])
def test_non_public_states_are_404_for_others_and_show_the_state_to_the_author(client, status):
    action = ActionFactory(status=status)
    assert client.get(action.get_absolute_url()).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(action.get_absolute_url()).status_code == 404
    client.force_login(action.author)
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    assert str(S(status).label) in response.content.decode() or S(status).label in response.content.decode()


def test_wrong_slug_redirects_to_the_canonical_address(client):
    action = ActionFactory(title="Kotihoidon etäkäynnit")
    response = client.get(reverse("arena:action-detail", kwargs={"pk": action.pk, "slug": "vanha"}))
    assert response.status_code == 301
    assert response["Location"] == action.get_absolute_url()


def test_create_page_needs_login_and_a_membership(client, user, member):
    url = reverse("arena:action-create")
    assert client.get(url).status_code == 302
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="title"' not in response.content
    assert "organisation" in response.content.decode().lower() or "organisaatio" in response.content.decode()
    client.force_login(member)
    response = client.get(url)
    assert b'name="title"' in response.content


def test_pending_membership_is_not_enough(client):
    pending = MembershipFactory(status="pending").user
    client.force_login(pending)
    response = client.post(reverse("arena:action-create"), form_data())
    assert response.status_code == 200
    assert not Action.objects.exists()


# --- writing -------------------------------------------------------------------------------------

def test_save_draft_with_only_a_title_then_come_back(client, member, organisation):
    client.force_login(member)
    response = client.post(reverse("arena:action-create"), form_data(title="Pelkkä otsikko"))
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("arena:action-edit", kwargs={"pk": action.pk})
    assert (action.status, action.author, action.title) == (S.DRAFT, member, "Pelkkä otsikko")
    page = client.get(response["Location"]).content.decode()
    assert 'value="Pelkkä otsikko"' in page


def test_the_only_organisation_is_preselected_and_others_are_not_offered(client, member, organisation):
    stranger_org = OrganisationFactory()
    client.force_login(member)
    page = client.get(reverse("arena:action-create")).content.decode()
    assert f'<option value="{organisation.pk}" selected>' in page
    response = client.post(reverse("arena:action-create"), form_data(organisation=stranger_org.pk))
    assert response.status_code == 200
    assert 'id="id_organisation_error"' in response.content.decode()
    assert not Action.objects.exists()


def test_missing_title_shows_the_error_next_to_it_and_keeps_what_was_typed(client, member):
    client.force_login(member)
    response = client.post(reverse("arena:action-create"), form_data(title="", need="Tärkeä tarve"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in page and 'id="id_title_error"' in page
    assert "Tärkeä tarve" in page
    assert not Action.objects.exists()


def test_submit_checks_every_required_field_and_shows_errors_next_to_them(client, member, organisation):
    client.force_login(member)
    response = client.post(reverse("arena:action-create"),
                           form_data("submit", title="Keskeneräinen", solution="Ratkaisu on kirjoitettu"))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("summary", "need", "results", "stage", "sectors", "themes", "consent_to_publish"):
        assert f'id="id_{name}_error"' in page, name
    assert 'id="id_solution_error"' not in page
    assert "Ratkaisu on kirjoitettu" in page
    assert not Action.objects.exists()


def test_submit_a_complete_action_once_even_when_clicked_twice(client, member, organisation, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("arena:action-create"), form_data("submit", **complete_fields(organisation)))
    action = Action.objects.get()
    assert response["Location"] == reverse("arena:my-actions")
    assert action.status == S.SUBMITTED and action.submitted_at is not None
    first_submitted_at = action.submitted_at

    # The second click of a double click arrives at the edit address with the same data.
    second = client.post(reverse("arena:action-edit", kwargs={"pk": action.pk}),
                         form_data("submit", **complete_fields(organisation)), follow=True)
    assert second.status_code == 200
    assert "Teko odottaa jo tarkastusta." in second.content.decode()
    action.refresh_from_db()
    assert action.submitted_at == first_submitted_at
    assert Transition.objects.filter(action=action, to_status=S.SUBMITTED).count() == 1
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_returned_action_shows_the_message_and_can_be_resubmitted(client, organisation, moderator):
    action = ActionFactory(organisation=organisation, status=S.SUBMITTED)
    services.action_return(action=action, moderator=moderator, message="Lisää tulokset numeroina.")
    client.force_login(action.author)

    assert "Lisää tulokset numeroina." in client.get(reverse("arena:my-actions")).content.decode()
    edit_url = reverse("arena:action-edit", kwargs={"pk": action.pk})
    assert "Lisää tulokset numeroina." in client.get(edit_url).content.decode()

    fields = complete_fields(organisation) | {"results": "Jonot lyhenivät 40 %."}
    client.post(edit_url, form_data("submit", title=action.title, **fields))
    action.refresh_from_db()
    assert (action.status, action.results) == (S.SUBMITTED, "Jonot lyhenivät 40 %.")


def test_colleague_edit_of_a_published_action_waits_for_moderation(client, organisation):
    # Issue #19: a member who is neither the author nor an organisation admin proposes; the published
    # version stays (before: the change went live at once).
    action = ActionFactory(organisation=organisation)
    contact = ContactPerson.objects.create(action=action, name="Maija", public=True)
    colleague = MembershipFactory(organisation=organisation).user
    client.force_login(colleague)
    fields = complete_fields(organisation) | {"solution": "Uusi kuvaus ratkaisusta."}
    fields.pop("organisation")  # locked on a published action
    response = client.post(
        reverse("arena:action-edit", kwargs={"pk": action.pk}),
        form_data("draft", title=action.title, contacts=[{"id": contact.pk, "name": "Maija", "public": "on"}],
                  **fields),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == S.PUBLISHED
    assert action.solution == "Mitä tehtiin."
    revision = Revision.objects.get(action=action)
    assert (revision.editor, revision.state) == (colleague, Revision.State.PENDING)
    assert revision.proposal["solution"] == "Uusi kuvaus ratkaisusta."
    assert "contacts" not in revision.proposal


def test_author_edits_a_published_action_it_stays_published_and_is_recorded(client, organisation):
    action = ActionFactory(organisation=organisation)
    client.force_login(action.author)
    fields = complete_fields(organisation) | {"solution": "Uusi kuvaus ratkaisusta."}
    fields.pop("organisation")
    response = client.post(reverse("arena:action-edit", kwargs={"pk": action.pk}),
                           form_data("draft", title=action.title, **fields))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.solution) == (S.PUBLISHED, "Uusi kuvaus ratkaisusta.")
    revision = Revision.objects.get(action=action)
    assert (revision.editor, revision.state) == (action.author, Revision.State.APPLIED)
    assert revision.changes["solution"]["new"] == "Uusi kuvaus ratkaisusta."


def test_a_published_action_cannot_be_emptied(client, organisation):
    action = ActionFactory(organisation=organisation)
    client.force_login(action.author)
    response = client.post(reverse("arena:action-edit", kwargs={"pk": action.pk}),
                           form_data("draft", title=action.title, summary=""))
    assert response.status_code == 200
    assert 'id="id_summary_error"' in response.content.decode()
    action.refresh_from_db()
    assert action.summary


def test_contacts_and_links_are_saved_in_order_and_deleted_rows_removed(client, member, organisation):
    client.force_login(member)
    client.post(reverse("arena:action-create"), form_data(
        contacts=[{"name": "Maija", "email": "maija@kunta.fi", "public": "on"}, {"name": "", "email": ""}],
        links=[{"url": "https://example.fi/a", "title": "A", "kind": "web"},
               {"url": "https://example.fi/b", "title": "B", "kind": "video"}],
    ))
    action = Action.objects.get()
    assert [(c.name, c.public) for c in action.contacts.all()] == [("Maija", True)]
    links = list(action.links.all())
    assert [link.title for link in links] == ["A", "B"]

    client.post(reverse("arena:action-edit", kwargs={"pk": action.pk}), form_data(links=[
        {"id": links[0].pk, "url": "https://example.fi/a", "title": "A", "kind": "web", "DELETE": "on"},
        {"id": links[1].pk, "url": "https://example.fi/b", "title": "B", "kind": "video"},
    ]))
    assert [link.title for link in action.links.all()] == ["B"]


def test_invalid_contact_email_is_shown_next_to_it(client, member):
    client.force_login(member)
    response = client.post(reverse("arena:action-create"), form_data(contacts=[{"name": "M", "email": "ei-osoite"}]))
    assert 'id="id_contacts-0-email_error"' in response.content.decode()
    assert not Action.objects.exists()


# --- images through the form ---------------------------------------------------------------------

@pytest.fixture
def draft(member, organisation):
    return services.action_create(user=member, data={"title": "Kuvaluonnos", "organisation": organisation})


def post_edit(client, action, data, files=None):
    return client.post(reverse("arena:action-edit", kwargs={"pk": action.pk}), {**data, **(files or {})})


def test_upload_an_image_with_alt_text(client, member, draft):
    client.force_login(member)
    response = post_edit(client, draft, form_data("image-add", title="Kuvaluonnos", need="Kirjoitettu"),
                         {"new_image-image": jpeg_upload(), "new_image-alt_text": "Hoitaja ja tabletti"})
    assert response.status_code == 302 and response["Location"].endswith("#images")
    image = ActionImage.objects.get(action=draft)
    assert (image.alt_text, image.is_cover) == ("Hoitaja ja tabletti", True)
    draft.refresh_from_db()
    assert draft.need == "Kirjoitettu"  # uploading also saved what was typed
    page = client.get(reverse("arena:action-edit", kwargs={"pk": draft.pk})).content.decode()
    assert 'value="Hoitaja ja tabletti"' in page


NOT_AN_IMAGE_FI = "Tiedosto ei ole JPEG-, PNG- tai WebP-kuva."


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "pixel.gif", NOT_AN_IMAGE_FI),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "kuva.svg", NOT_AN_IMAGE_FI),
    (b"hello", "kuva.png", NOT_AN_IMAGE_FI),
    (b"", "tyhja.jpg", "tyhjä"),
])
def test_fake_image_is_refused_saying_why_and_the_rest_is_kept(client, member, draft, content, name, expected):
    existing = services.action_image_add(action=draft, user=member, alt_text="Vanha kuva",
                                         processed=images.process_upload(jpeg_upload()))
    files_before = media_files()
    client.force_login(member)
    response = post_edit(client, draft, form_data("image-add", title="Kuvaluonnos", results="Tulokset kirjoitettu"),
                         {"new_image-image": upload(content, name=name), "new_image-alt_text": "Kuva"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_new_image-image_error"' in page and expected in page
    assert "Tulokset kirjoitettu" in page
    assert 'value="Vanha kuva"' in page  # the image already uploaded is still there
    assert list(draft.images.all()) == [existing]
    assert media_files() == files_before  # nothing was written


def test_oversized_image_is_refused_saying_why(client, member, draft, settings):
    settings.IMAGE_MAX_BYTES = 2000
    client.force_login(member)
    response = post_edit(client, draft, form_data("image-add", title="Kuvaluonnos"),
                         {"new_image-image": upload(os.urandom(5000), name="iso.jpg"), "new_image-alt_text": "Kuva"})
    assert response.status_code == 200
    assert 'id="id_new_image-image_error"' in response.content.decode()
    assert "suurin sallittu koko on 2,0" in response.content.decode()
    assert not draft.images.exists()


def test_image_without_alt_text_is_refused(client, member, draft):
    client.force_login(member)
    response = post_edit(client, draft, form_data("image-add", title="Kuvaluonnos"),
                         {"new_image-image": jpeg_upload(), "new_image-alt_text": ""})
    assert 'id="id_new_image-alt_text_error"' in response.content.decode()
    assert not draft.images.exists()


def test_image_buttons_move_cover_and_remove_without_javascript(client, member, draft):
    first, second = (
        services.action_image_add(action=draft, user=member, alt_text=alt, processed=images.process_upload(jpeg_upload()))
        for alt in ("Eka", "Toka")
    )
    client.force_login(member)
    base = form_data(title="Kuvaluonnos", **{f"alt-{first.pk}": "Eka", f"alt-{second.pk}": "Toka"})
    base.pop("intent")
    post_edit(client, draft, {**base, "image-up": second.pk})
    assert [i.alt_text for i in draft.images.all()] == ["Toka", "Eka"]
    post_edit(client, draft, {**base, "image-cover": second.pk})
    assert draft.images.get(is_cover=True) == second
    post_edit(client, draft, {**base, "image-remove": second.pk, f"alt-{first.pk}": "Eka, korjattu"})
    assert [(i.alt_text, i.is_cover) for i in draft.images.all()] == [("Eka, korjattu", True)]
    # A second click on "remove" for the same image changes nothing and shows no error page.
    assert post_edit(client, draft, {**base, "image-remove": second.pk}).status_code == 302


def test_emptied_alt_text_is_refused_and_other_typing_kept(client, member, draft):
    image = services.action_image_add(action=draft, user=member, alt_text="Alkuperäinen",
                                      processed=images.process_upload(jpeg_upload()))
    client.force_login(member)
    response = post_edit(client, draft, form_data(title="Uusi otsikko", **{f"alt-{image.pk}": "  "}))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="alt-{image.pk}-error"' in page
    assert 'value="Uusi otsikko"' in page
    image.refresh_from_db()
    draft.refresh_from_db()
    assert (image.alt_text, draft.title) == ("Alkuperäinen", "Kuvaluonnos")


def test_at_most_six_images(client, member, draft, settings):
    settings.ACTION_MAX_IMAGES = 1
    services.action_image_add(action=draft, user=member, alt_text="Ainoa", processed=images.process_upload(jpeg_upload()))
    client.force_login(member)
    response = post_edit(client, draft, form_data("image-add", title="Kuvaluonnos"),
                         {"new_image-image": jpeg_upload(), "new_image-alt_text": "Liikaa"})
    assert response.status_code == 200
    assert draft.images.count() == 1


# --- the public page -----------------------------------------------------------------------------

def test_public_page_shows_everything_with_consent_and_social_tags(client, settings):
    settings.SITE_URL = "https://tekojentori.fi"
    action = ActionFactory(language="sv", title="Distansmottagning")
    MakerFactory(action=action, name="Bo Berg")
    cover = services.action_image_add(action=action, user=action.author, alt_text="Sjukskötare med surfplatta",
                                      processed=images.process_upload(jpeg_upload(size=(1600, 900))))
    ContactPerson.objects.create(action=action, name="Anna Andersson", email="anna@kommun.fi", public=True)
    ContactPerson.objects.create(action=action, name="Hemlig Person", email="hemlig@kommun.fi", public=False)
    action.links.create(url="https://example.fi/video", title="Videon", kind="video")

    page = client.get(action.get_absolute_url()).content.decode()

    assert '<h1 lang="sv">Distansmottagning</h1>' in page
    assert "Anna Andersson" in page and "anna@kommun.fi" in page
    assert "Hemlig Person" not in page and "hemlig@kommun.fi" not in page
    assert "Bo Berg" in page and "Videon" in page
    assert f'href="{cover.image.url}"' in page
    assert f'srcset="{cover.thumb_small.url} 400w, {cover.thumb_large.url} 1200w"' in page
    assert 'type="image/webp"' in page and 'alt="Sjukskötare med surfplatta"' in page
    assert f'<meta property="og:image" content="https://tekojentori.fi{cover.thumb_large_jpeg.url}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    sector = action.sectors.get()
    assert sector.name in page


def test_staff_see_contacts_without_consent(client, staff):
    action = ActionFactory()
    ContactPerson.objects.create(action=action, name="Hemlig Person", public=False)
    client.force_login(staff)
    assert "Hemlig Person" in client.get(action.get_absolute_url()).content.decode()


def test_preview_looks_like_the_public_page_with_a_banner(client, member, organisation):
    action = ActionFactory(organisation=organisation, status=S.DRAFT, submitted_at=None, need="Tarve kirjoitettu")
    ContactPerson.objects.create(action=action, name="Ei julkinen", public=False)
    client.force_login(member)
    page = client.get(reverse("arena:action-preview", kwargs={"pk": action.pk})).content.decode()
    assert 'class="preview-banner"' in page
    assert "Tarve kirjoitettu" in page
    assert "Ei julkinen" not in page  # exactly as the public will see it
    assert 'name="robots" content="noindex"' in page


# --- My actions ----------------------------------------------------------------------------------

def test_my_actions_lists_own_and_organisation_drafts_with_state(client, organisation):
    me = MembershipFactory(organisation=organisation).user
    mine = ActionFactory(author=me, organisation=organisation, status=S.PUBLISHED, title="Oma julkaistu")
    colleague_draft = ActionFactory(organisation=organisation, status=S.DRAFT, submitted_at=None, title="Kollegan luonnos")
    colleague_published = ActionFactory(organisation=organisation, title="Kollegan julkaistu")
    elsewhere = ActionFactory(status=S.DRAFT, submitted_at=None, title="Muiden luonnos")
    client.force_login(me)
    page = client.get(reverse("arena:my-actions")).content.decode()
    assert mine.title in page and colleague_draft.title in page
    assert colleague_published.title not in page and elsewhere.title not in page
    assert reverse("arena:action-edit", kwargs={"pk": colleague_draft.pk}) in page


def test_my_actions_needs_login(client):
    assert client.get(reverse("arena:my-actions")).status_code == 302


# --- query counts --------------------------------------------------------------------------------

def test_detail_page_query_count_does_not_grow_with_images_contacts_and_links(client, django_assert_max_content_queries):
    action = ActionFactory(sectors=[SectorFactory() for _ in range(3)], themes=[ThemeFactory() for _ in range(3)])
    action.partners.set([OrganisationFactory() for _ in range(3)])
    for i in range(5):
        services.action_image_add(action=action, user=action.author, alt_text=f"Kuva {i}",
                                  processed=images.process_upload(jpeg_upload(size=(300, 200))))
    for i in range(6):
        ContactPerson.objects.create(action=action, name=f"Henkilö {i}", public=True)
        action.links.create(url=f"https://example.fi/{i}", title=f"Linkki {i}")
    client.force_login(MembershipFactory(organisation=action.organisation).user)
    # The page includes the like / adopt / report block for a logged-in member (a few constant queries).
    with django_assert_max_content_queries(15):
        response = client.get(action.get_absolute_url())
    page = response.content.decode()
    assert page.count("Henkilö") == 6 and page.count('type="image/webp"') == 5
    # Then the action's own content and its adoptions come from the shared cache: the visitor's
    # session user, the action, their like, their organisations (twice: edit right, adoption choices).
    with django_assert_max_content_queries(5):
        again = client.get(action.get_absolute_url())
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked anew on each response
    assert unmasked.sub("", again.content.decode()) == unmasked.sub("", page)


def test_my_actions_query_count_is_constant(client, organisation, moderator, django_assert_max_num_queries):
    me = MembershipFactory(organisation=organisation).user
    for i in range(12):
        action = ActionFactory(author=me, organisation=organisation, status=S.SUBMITTED)
        if i % 2:
            services.action_return(action=action, moderator=moderator, message=f"Korjaa kohta {i}")
    client.force_login(me)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("arena:my-actions"))
    assert response.content.decode().count("Korjaa kohta") == 6


@pytest.mark.parametrize(("who", "expected"), [("other member", 404), ("anonymous", 302), ("staff", 403)])
def test_others_cannot_change_a_draft_or_its_images_by_posting(client, people, who, expected):
    draft = people["draft"]
    image = services.action_image_add(action=draft, user=people["author"], alt_text="Kuva",
                                      processed=images.process_upload(jpeg_upload()))
    if people[who]:
        client.force_login(people[who])
    url = reverse("arena:action-edit", kwargs={"pk": draft.pk})
    for data in (form_data(title="Kaapattu"), {**form_data(title="Kaapattu"), "image-remove": image.pk}):
        assert client.post(url, data).status_code == expected
    draft.refresh_from_db()
    assert draft.title != "Kaapattu"
    assert draft.images.count() == 1


def test_page_is_in_the_ui_language_and_the_text_in_its_own(client):
    action = ActionFactory(language="fi", need="Perheet ajoivat pitkiä matkoja.")
    page = client.get(action.get_absolute_url().replace("/fi/", "/sv/", 1)).content.decode()
    assert '<html lang="sv">' in page
    assert "Behov och mål" in page
    assert '<div lang="fi"><p>Perheet ajoivat pitkiä matkoja.</p></div>' in page
