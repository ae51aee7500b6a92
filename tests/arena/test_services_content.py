import pytest
from django.core.files.storage import default_storage

from arena import images, services
from arena.models import Action, ActionImage, Revision, Transition
from orgs.models import Membership
from tests.arena.images_util import jpeg_upload
from tests.factories import ActionFactory, MembershipFactory, OrganisationFactory, SectorFactory, ThemeFactory

pytestmark = pytest.mark.django_db
S = Action.Status


def full_data(organisation, **overrides):
    data = {
        "title": "Etävastaanotto neuvolaan", "summary": "Lyhyesti.", "need": "Tarve.", "solution": "Ratkaisu.",
        "results": "Tulokset.", "tips": "", "stage": Action.Stage.PILOTING, "language": "fi",
        "consent_to_publish": True, "organisation": organisation, "sectors": [SectorFactory()],
        "themes": [ThemeFactory()], "partners": [],
    }
    data.update(overrides)
    return data


def test_create_makes_a_draft_by_the_user_with_contacts_and_links(member, organisation):
    action = services.action_create(
        user=member, data=full_data(organisation),
        contacts=[{"name": "Maija", "email": "maija@kunta.fi", "public": True}, {"name": "Matti", "public": False}],
        links=[{"url": "https://example.fi/", "title": "Esittely", "kind": "web"}],
    )

    action.refresh_from_db()
    assert (action.status, action.author, action.organisation) == (S.DRAFT, member, organisation)
    assert action.submitted_at is None
    assert [c.name for c in action.contacts.all()] == ["Maija", "Matti"]
    assert [link.title for link in action.links.all()] == ["Esittely"]
    assert action.sectors.count() == 1
    assert not Transition.objects.filter(action=action).exists()


def test_a_draft_needs_only_a_title(member):
    action = services.action_create(user=member, data={"title": "Vain otsikko"})
    assert action.status == S.DRAFT
    assert services.action_missing_field_names(action) == [
        "summary", "need", "solution", "results", "stage", "organisation", "sectors", "themes",
        "consent_to_publish",
    ]
    with pytest.raises(services.ModerationError):
        services.action_create(user=member, data={"title": "  "})


def test_cannot_create_for_an_organisation_one_is_not_a_member_of(member, user):
    with pytest.raises(services.ModerationError):
        services.action_create(user=member, data={"title": "X", "organisation": OrganisationFactory()})
    with pytest.raises(services.ModerationError):
        services.action_create(user=user, data={"title": "Ilman jäsenyyttä"})
    assert not Action.objects.exists()


def test_update_of_a_draft_keeps_it_a_draft_and_records_no_revision(member, organisation):
    action = services.action_create(user=member, data={"title": "Luonnos", "organisation": organisation})
    services.action_update(action=action, user=member, data={"title": "Parempi otsikko", "summary": "Uusi"})

    action.refresh_from_db()
    assert (action.title, action.summary, action.status) == ("Parempi otsikko", "Uusi", S.DRAFT)
    assert not Revision.objects.exists()


def test_published_action_edited_stays_published_and_the_change_is_recorded(organisation):
    action = ActionFactory(organisation=organisation, status=S.PUBLISHED)
    # An organisation admin edits live (issue #19: another member's edit would wait for moderation).
    colleague = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    published_at = action.published_at

    services.action_update(action=action, user=colleague, data={"results": "Jonot lyhenivät puoleen."},
                           links=[{"url": "https://example.fi/video", "title": "Video", "kind": "video"}])

    action.refresh_from_db()
    assert action.status == S.PUBLISHED
    assert action.published_at == published_at
    revision = Revision.objects.get(action=action)
    assert revision.editor == colleague
    assert revision.changes["results"] == {"old": "Mitä saatiin aikaan.", "new": "Jonot lyhenivät puoleen."}
    assert revision.changes["links"]["new"] == [{"url": "https://example.fi/video", "title": "Video", "kind": "video"}]
    assert set(revision.changes) == {"results", "links"}


def test_saving_a_published_action_without_changes_records_nothing(organisation):
    action = ActionFactory(organisation=organisation)
    services.action_update(action=action, user=action.author, data={"title": action.title})
    assert not Revision.objects.exists()


def test_someone_from_another_organisation_cannot_update(organisation):
    action = ActionFactory(organisation=organisation, status=S.DRAFT, submitted_at=None)
    outsider = MembershipFactory().user
    with pytest.raises(services.ModerationError):
        services.action_update(action=action, user=outsider, data={"title": "Kaapattu"})
    action.refresh_from_db()
    assert action.title != "Kaapattu"


def test_rejected_action_cannot_be_edited(organisation):
    action = ActionFactory(organisation=organisation, status=S.REJECTED)
    with pytest.raises(services.ModerationError):
        services.action_update(action=action, user=action.author, data={"title": "Uudestaan"})


def test_submit_after_create_sets_submitted_at_once(member, organisation):
    action = services.action_create(user=member, data=full_data(organisation))
    services.action_submit(action=action, user=member)
    first = Action.objects.get(pk=action.pk).submitted_at
    with pytest.raises(services.ModerationError):
        services.action_submit(action=action, user=member)
    assert Action.objects.get(pk=action.pk).submitted_at == first
    assert Transition.objects.filter(action=action, to_status=S.SUBMITTED).count() == 1


def add_image(action, user, alt="Kuva", **kwargs):
    return services.action_image_add(action=action, user=user, processed=images.process_upload(jpeg_upload(**kwargs)),
                                     alt_text=alt)


def test_first_image_is_the_cover_and_files_are_stored(member, organisation):
    action = services.action_create(user=member, data={"title": "Kuvallinen", "organisation": organisation})
    first = add_image(action, member, alt="Ensimmäinen")
    second = add_image(action, member, alt="Toinen")

    assert [i.alt_text for i in action.images.all()] == ["Ensimmäinen", "Toinen"]
    assert (first.is_cover, second.is_cover) == (True, False)
    for field in ("image", "thumb_small", "thumb_small_jpeg", "thumb_large", "thumb_large_jpeg"):
        assert default_storage.exists(getattr(first, field).name)
    assert first.width == 800


def test_image_needs_alt_text_and_at_most_six(member, organisation, settings):
    settings.ACTION_MAX_IMAGES = 2
    action = services.action_create(user=member, data={"title": "Kuvat", "organisation": organisation})
    with pytest.raises(services.ModerationError):
        add_image(action, member, alt="  ")
    add_image(action, member)
    add_image(action, member)
    with pytest.raises(services.ModerationError):
        add_image(action, member)
    assert action.images.count() == 2


def test_move_cover_and_remove(member, organisation, django_capture_on_commit_callbacks):
    action = services.action_create(user=member, data={"title": "Kuvat", "organisation": organisation})
    a, b, c = (add_image(action, member, alt=alt) for alt in "abc")

    services.action_image_move(image=c, user=member, offset=-1)
    assert [i.alt_text for i in action.images.all()] == ["a", "c", "b"]
    services.action_image_move(image=a, user=member, offset=-1)  # already first: nothing happens
    assert [i.alt_text for i in action.images.all()] == ["a", "c", "b"]

    services.action_image_set_cover(image=b, user=member)
    assert [i.alt_text for i in action.images.filter(is_cover=True)] == ["b"]

    names = [b.image.name, b.thumb_small.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.action_image_remove(image=b, user=member)
    assert [i.alt_text for i in action.images.all()] == ["a", "c"]
    assert [i.alt_text for i in action.images.filter(is_cover=True)] == ["a"]  # the next one became the cover
    assert [i.position for i in action.images.all()] == [0, 1]
    assert not any(default_storage.exists(name) for name in names)


def test_image_change_on_a_published_action_is_recorded(organisation):
    action = ActionFactory(organisation=organisation)
    add_image(action, action.author, alt="Tiimi työssä")
    revision = Revision.objects.get(action=action)
    assert revision.changes["images"]["new"] == [{"alt_text": "Tiimi työssä", "cover": True}]
    action.refresh_from_db()
    assert action.status == S.PUBLISHED


def test_outsider_cannot_touch_images(organisation):
    action = ActionFactory(organisation=organisation, status=S.DRAFT, submitted_at=None)
    image = add_image(action, action.author)
    outsider = MembershipFactory().user
    with pytest.raises(services.ModerationError):
        services.action_image_remove(image=image, user=outsider)
    with pytest.raises(services.ModerationError):
        add_image(action, outsider)
    assert ActionImage.objects.filter(action=action).count() == 1
