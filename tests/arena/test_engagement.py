import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import translation

from arena.models import Action, Adoption, Like, Report
from arena.selectors import engagement_context
from arena.services import (
    EngagementError, action_adopt, action_like, action_report, action_unadopt, action_unlike,
)
from orgs.models import Membership
from tests.factories import (
    ActionFactory, AdoptionFactory, LikeFactory, MembershipFactory, OrganisationFactory, UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    return ActionFactory(title="Lukudiplomi", organisation=OrganisationFactory(name_fi="Liminka"))


@pytest.fixture
def other_member():
    """A confirmed member of another organisation than the action's."""
    return MembershipFactory(organisation=OrganisationFactory(name_fi="Oulu")).user


def _counts(action):
    action.refresh_from_db()
    return action.like_count, action.adoption_count


def test_like_once_per_user_and_undo(action, user):
    assert action_like(action=action, user=user) is True
    assert action_like(action=action, user=user) is False
    assert _counts(action) == (1, 0)
    action_like(action=action, user=UserFactory())
    assert _counts(action) == (2, 0)
    assert action_unlike(action=action, user=user) is True
    assert action_unlike(action=action, user=user) is False
    assert _counts(action) == (1, 0)
    assert Like.objects.filter(action=action).count() == 1


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "rejected", "hidden"])
def test_only_published_actions_can_be_liked_adopted_or_reported(status, user, other_member):
    action = ActionFactory(status=status)
    with pytest.raises(EngagementError):
        action_like(action=action, user=user)
    with pytest.raises(EngagementError):
        action_adopt(action=action, organisation=other_member.memberships.get().organisation, user=other_member)
    with pytest.raises(EngagementError):
        action_report(action=action, user=user, reason="spam", comment="")
    assert _counts(action) == (0, 0)


def test_adopt_once_per_organisation(action, other_member):
    organisation = other_member.memberships.get().organisation
    adoption = action_adopt(action=action, organisation=organisation, user=other_member, note=" Kokeiltu. ")
    assert adoption.note == "Kokeiltu."
    colleague = MembershipFactory(organisation=organisation).user
    with pytest.raises(EngagementError):
        action_adopt(action=action, organisation=organisation, user=colleague)
    assert _counts(action) == (0, 1)
    assert action_unadopt(action=action, organisation=organisation, user=colleague) is True
    assert _counts(action) == (0, 0)


def test_only_members_can_withdraw_an_adoption_and_are_told_why(action, other_member):
    organisation = other_member.memberships.get().organisation
    action_adopt(action=action, organisation=organisation, user=other_member)
    with translation.override("fi"), pytest.raises(EngagementError, match="vahvistetut jäsenet"):
        action_unadopt(action=action, organisation=organisation, user=UserFactory())
    assert _counts(action) == (0, 1)


def test_member_cannot_adopt_their_own_organisations_action(action):
    member = MembershipFactory(organisation=action.organisation).user
    with pytest.raises(EngagementError):
        action_adopt(action=action, organisation=action.organisation, user=member)
    assert not Adoption.objects.exists()


def test_only_confirmed_members_can_adopt(action):
    pending = MembershipFactory(status=Membership.Status.PENDING)
    with pytest.raises(EngagementError):
        action_adopt(action=action, organisation=pending.organisation, user=pending.user)
    outsider = UserFactory()
    with pytest.raises(EngagementError):
        action_adopt(action=action, organisation=pending.organisation, user=outsider)
    assert _counts(action) == (0, 0)


def test_report_mails_staff_in_finnish_and_does_not_hide(action, user, settings, django_capture_on_commit_callbacks):
    settings.STAFF_EMAILS = ["moderointi@kt.fi"]
    with django_capture_on_commit_callbacks(execute=True):
        report = action_report(action=action, user=user, reason="offensive", comment="Asiaton kuva.")
    assert report.status == Report.Status.OPEN
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["moderointi@kt.fi"]
    assert "Lukudiplomi" in message.subject
    assert "Asiaton kuva." in message.body
    with translation.override("fi"):
        assert action.get_absolute_url() in message.body
    assert "Syy: loukkaava" in message.body
    action.refresh_from_db()
    assert action.status == Action.Status.PUBLISHED


def test_like_without_login_goes_to_login_and_back(client, action):
    response = client.post(f"/fi/actions/{action.pk}/like/")
    assert response.status_code == 302
    assert response["Location"] == f"/fi/accounts/login/?next=%2Ffi%2Factions%2F{action.pk}-lukudiplomi%2F"
    response = client.post(f"/fi/actions/{action.pk}/adopt/")
    assert response["Location"].startswith("/fi/accounts/login/?next=")
    assert not Like.objects.exists()


def test_login_then_returns_to_the_action(client, action):
    UserFactory(email="aino@example.fi")
    next_url = action.get_absolute_url()
    response = client.post(f"/fi/accounts/login/?next={next_url}",
                           {"login": "aino@example.fi", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_like_and_unlike_through_the_page(client, action, user):
    client.force_login(user)
    response = client.post(f"/fi/actions/{action.pk}/like/", follow=True)
    html = response.content.decode()
    assert "<strong data-like-count>1</strong>" in html
    assert _counts(action) == (1, 0)
    client.post(f"/fi/actions/{action.pk}/unlike/")
    assert _counts(action) == (0, 0)


def test_like_with_javascript_answers_json(client, action, user):
    client.force_login(user)
    response = client.post(f"/fi/actions/{action.pk}/like/", HTTP_ACCEPT="application/json")
    assert response.json() == {"liked": True, "like_count": 1}


def test_adopt_through_the_page_lists_the_organisation(client, action, other_member):
    client.force_login(other_member)
    html = client.get(action.get_absolute_url()).content.decode()
    organisation = other_member.memberships.get().organisation
    assert f'<option value="{organisation.pk}">Oulu</option>' in html
    response = client.post(f"/fi/actions/{action.pk}/adopt/",
                           {"organisation": organisation.pk, "note": "Meillä myös."}, follow=True)
    html = response.content.decode()
    assert "<strong>Oulu</strong>: <span class=\"adoption-note\">Meillä myös.</span>" in html
    assert _counts(action) == (0, 1)


def test_adopt_for_an_organisation_one_is_not_a_member_of_is_refused(client, action, user):
    stranger_org = OrganisationFactory()
    client.force_login(user)
    client.post(f"/fi/actions/{action.pk}/adopt/", {"organisation": stranger_org.pk})
    assert not Adoption.objects.exists()


def test_own_organisation_is_not_offered(client, action):
    member = MembershipFactory(organisation=action.organisation).user
    client.force_login(member)
    html = client.get(action.get_absolute_url()).content.decode()
    assert 'name="organisation"' not in html
    client.post(f"/fi/actions/{action.pk}/adopt/", {"organisation": action.organisation.pk})
    assert not Adoption.objects.exists()


def test_report_through_the_page(client, action, user, settings):
    settings.STAFF_EMAILS = ["moderointi@kt.fi"]
    client.force_login(user)
    assert client.get(f"/fi/actions/{action.pk}/report/").status_code == 200
    response = client.post(f"/fi/actions/{action.pk}/report/", {"reason": "", "comment": "Kirjoitin tämän"})
    assert response.status_code == 200
    assert "Kirjoitin tämän" in response.content.decode()  # kept on error
    assert not Report.objects.exists()
    response = client.post(f"/fi/actions/{action.pk}/report/", {"reason": "spam", "comment": "Mainos"})
    assert response.status_code == 302
    assert Report.objects.get().comment == "Mainos"
    assert client.get(action.get_absolute_url()).status_code == 200


def test_engagement_context_costs_constant_queries(action, django_assert_max_content_queries):
    member = MembershipFactory().user
    MembershipFactory(user=member)
    for _ in range(8):
        AdoptionFactory(action=action)
        LikeFactory(action=action)
    request = RequestFactory().get("/")
    request.user = member
    with django_assert_max_content_queries(3):
        context = engagement_context(request, action)
    assert len(context["adoptions"]) == 8
    assert len(context["adopt_choices"]) == 2


def test_detail_page_engagement_block_costs_constant_queries(client, action, commit,
                                                             django_assert_max_content_queries):
    def adopt():
        membership = MembershipFactory()
        with commit():
            action_adopt(action=action, organisation=membership.organisation, user=membership.user)

    member = MembershipFactory().user
    adopt()
    client.force_login(member)
    client.get(action.get_absolute_url())
    # The visitor, the action, their edit right, their like, their organisations; the adoptions are kept.
    with django_assert_max_content_queries(5):
        client.get(action.get_absolute_url())
    for _ in range(9):
        adopt()
    client.get(action.get_absolute_url())  # the adoptions are read again once, then kept
    with django_assert_max_content_queries(5):
        response = client.get(action.get_absolute_url())
    assert response.content.decode().count("<li><strong>") == 10


def test_organisation_sections_list_actions_and_adoptions(action, other_member):
    from arena.selectors import organisation_actions_section, organisation_adoptions_section

    organisation = other_member.memberships.get().organisation
    action_adopt(action=action, organisation=organisation, user=other_member, note="Hyvä idea")
    adopted = organisation_adoptions_section(None, organisation)
    assert "Lukudiplomi" in adopted["html"] and "Hyvä idea" in adopted["html"]
    own = organisation_actions_section(None, action.organisation)
    assert "Lukudiplomi" in own["html"] and f"?organisation={action.organisation.slug}" in own["html"]
