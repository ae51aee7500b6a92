"""Issue #19, point 4: published actions change only through their author, an organisation admin or a
moderator's approval; moving one to another organisation is staff-only, recorded, and its campaign
credit follows the rule for the new organisation."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from arena import moves, proposals, services
from arena.models import Action, Revision
from arena.permissions import EditRight, action_edit_right, can_edit_action, can_move_action
from campaigns.ranking import eligible_actions
from orgs.models import Membership, Organisation
from tests.arena.test_views_actions import form_data
from tests.factories import ActionFactory, MembershipFactory, OrganisationFactory, UserFactory, helsinki

pytestmark = pytest.mark.django_db
S = Action.Status


def edit_url(action):
    return reverse("arena:action-edit", kwargs={"pk": action.pk})


def post_edit(client, action, **fields):
    """The edit form as the browser sends it: the action's own values, with `fields` changed (the
    disabled organisation field is not sent)."""
    data = {name: getattr(action, name) for name in ("summary", "need", "solution", "results", "tips", "stage",
                                                       "makers")}
    data |= {"consent_to_publish": "on", "sectors": list(action.sectors.values_list("pk", flat=True)),
             "themes": list(action.themes.values_list("pk", flat=True))}
    return client.post(edit_url(action), form_data("draft", title=action.title, **(data | fields)))


@pytest.fixture
def colleague(organisation):
    return MembershipFactory(organisation=organisation).user


# --- the permission function's table ---------------------------------------------------------

ROLES = ["author", "org admin", "colleague", "pending member", "other member", "staff", "anonymous"]
TABLE = {
    # state: right per role, in the order of ROLES
    S.DRAFT: ["live", "live", "live", "none", "none", "none", "none"],
    S.SUBMITTED: ["live", "live", "live", "none", "none", "none", "none"],
    S.RETURNED: ["live", "live", "live", "none", "none", "none", "none"],
    S.PUBLISHED: ["live", "live", "propose", "none", "none", "none", "none"],
    S.HIDDEN: ["live", "live", "propose", "none", "none", "none", "none"],
    S.REJECTED: ["none", "none", "none", "none", "none", "none", "none"],
}


@pytest.mark.parametrize("status", TABLE)
def test_edit_right_table(status, organisation):
    from django.contrib.auth.models import AnonymousUser

    action = ActionFactory(organisation=organisation, status=status,
                           submitted_at=None if status == S.DRAFT else helsinki(2026, 3, 15, 12, 0))
    people = {
        "author": action.author,
        "org admin": MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user,
        "colleague": MembershipFactory(organisation=organisation).user,
        "pending member": MembershipFactory(organisation=organisation, status=Membership.Status.PENDING,
                                            confirmed_at=None).user,
        "other member": MembershipFactory().user,
        "staff": UserFactory(is_staff=True, is_superuser=True),
        "anonymous": AnonymousUser(),
    }
    got = [str(action_edit_right(people[role], action)) for role in ROLES]
    assert got == TABLE[status]
    assert [can_edit_action(people[role], action) for role in ROLES] == [right != "none" for right in got]


def test_only_staff_who_moderate_and_may_change_actions_move_them(moderator):
    assert not can_move_action(moderator)  # moderates, but may not change actions
    moderator.user_permissions.add(Permission.objects.get(codename="change_action"))
    moderator = type(moderator).objects.get(pk=moderator.pk)  # fresh permission cache
    assert can_move_action(moderator)
    assert not can_move_action(UserFactory(is_staff=False))


# --- the attacks -----------------------------------------------------------------------------

def test_a_colleague_cannot_change_a_published_action_live(client, organisation, colleague):
    action = ActionFactory(organisation=organisation, author=UserFactory())
    client.force_login(colleague)
    response = post_edit(client, action, solution="Vandalism.")
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.solution == "Mitä tehtiin."
    assert "Vandalism." not in client.get(action.get_absolute_url()).text
    with pytest.raises(services.ModerationError):
        services.action_update(action=action, user=colleague, data={"solution": "Vandalism."})


def test_a_colleague_cannot_remove_the_images_of_a_published_action(client, organisation, colleague):
    from tests.factories import ActionImageFactory

    action = ActionFactory(organisation=organisation)
    image = ActionImageFactory(action=action)
    client.force_login(colleague)
    post_edit(client, action, **{"image-remove": str(image.pk)})
    assert action.images.filter(pk=image.pk).exists()
    with pytest.raises(services.ModerationError):
        services.action_image_remove(image=image, user=colleague)


def test_a_member_of_two_organisations_cannot_move_a_colleagues_published_action(client, organisation, campaign):
    other = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    MembershipFactory(organisation=other, user=member, role=Membership.Role.ADMIN)
    action = ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 15, 12, 0))
    client.force_login(member)
    response = post_edit(client, action, organisation=other.pk)  # forged: the field is locked
    assert response.status_code == 200
    assert "Vain KT:n henkilöstö voi siirtää julkaistun teon toiselle organisaatiolle." in response.text
    action.refresh_from_db()
    assert action.organisation == organisation
    assert not Revision.objects.exists()


def test_even_the_author_cannot_move_a_published_action_by_a_forged_post(client, organisation):
    other = OrganisationFactory()
    action = ActionFactory(organisation=organisation)
    MembershipFactory(organisation=organisation, user=action.author)
    MembershipFactory(organisation=other, user=action.author)
    client.force_login(action.author)
    assert 'disabled' in client.get(edit_url(action)).text.split('name="organisation"')[1].split(">")[0]
    response = post_edit(client, action, organisation=other.pk, solution="Uusi.")
    assert "Vain KT:n henkilöstö voi siirtää julkaistun teon toiselle organisaatiolle." in response.text
    action.refresh_from_db()
    assert (action.organisation, action.solution) == (organisation, "Mitä tehtiin.")
    with pytest.raises(services.ModerationError):
        services.action_update(action=action, user=action.author, data={"organisation": other})


# --- author and organisation admins still edit live ---------------------------------------------

def test_an_organisation_admin_edits_a_published_action_live(client, organisation, org_admin):
    action = ActionFactory(organisation=organisation)
    client.force_login(org_admin)
    post_edit(client, action, solution="Korjattu kuvaus.")
    action.refresh_from_db()
    assert action.solution == "Korjattu kuvaus."
    assert Revision.objects.get(action=action).state == Revision.State.APPLIED


# --- the proposal, end to end through HTTP --------------------------------------------------

def test_proposal_waits_then_a_moderator_approves_it(client, organisation, colleague, group_moderator,
                                                      django_capture_on_commit_callbacks):
    action = ActionFactory(organisation=organisation)
    client.force_login(colleague)
    response = post_edit(client, action, solution="Parempi kuvaus ratkaisusta.")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "waiting for moderation" in page.text or "odottavat moderointia" in page.text
    assert "Parempi kuvaus ratkaisusta." in page.text  # the proposer sees and continues their text
    assert "Parempi kuvaus ratkaisusta." not in client.get(action.get_absolute_url()).text
    action.refresh_from_db()
    assert action.solution == "Mitä tehtiin."
    # saving again continues the same proposal
    post_edit(client, action, solution="Parempi kuvaus ratkaisusta, täydennetty.")
    pending = Revision.objects.get(action=action, state=Revision.State.PENDING)
    assert pending.proposal == {"solution": "Parempi kuvaus ratkaisusta, täydennetty."}

    client.force_login(group_moderator)
    listing = client.get("/admin/arena/revision/")
    assert listing.status_code == 302
    listing = client.get(listing["Location"])
    assert action.title in listing.text
    change = client.get(reverse("admin:arena_revision_change", args=[pending.pk]))
    assert change.status_code == 200
    assert "<ins>" in change.text and "<del>" in change.text and "täydennetty." in change.text
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("admin:arena_revision_moderate", args=[pending.pk, "approve"]), {"message": ""})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.solution == "Parempi kuvaus ratkaisusta, täydennetty."
    assert action.status == S.PUBLISHED
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by) == (Revision.State.APPROVED, group_moderator)
    assert pending.changes["solution"] == {"old": "Mitä tehtiin.", "new": "Parempi kuvaus ratkaisusta, täydennetty."}
    client.logout()
    assert "Parempi kuvaus ratkaisusta, täydennetty." in client.get(action.get_absolute_url()).text
    assert mail.outbox[-1].to == [colleague.email]
    # the search finds the approved text (the same edit service renews the search vector)
    assert Action.objects.filter(pk=action.pk, search_vector__isnull=False).exists()


def test_rejected_proposal_keeps_the_live_text_and_tells_the_proposer(client, organisation, colleague,
                                                                       group_moderator,
                                                                       django_capture_on_commit_callbacks):
    colleague.preferred_language = "sv"
    colleague.save()
    action = ActionFactory(organisation=organisation)
    client.force_login(colleague)
    post_edit(client, action, results="Ei tuloksia.")
    pending = Revision.objects.get(state=Revision.State.PENDING)
    client.force_login(group_moderator)
    refused = client.post(reverse("admin:arena_revision_moderate", args=[pending.pk, "reject"]), {"message": ""})
    assert refused.status_code == 200  # the reason is required
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:arena_revision_moderate", args=[pending.pk, "reject"]),
                    {"message": "Tulokset poistuisivat."})
    action.refresh_from_db()
    assert action.results == "Mitä saatiin aikaan."
    assert mail.outbox[-1].to == [colleague.email]
    assert "Tulokset poistuisivat." in mail.outbox[-1].body
    assert "godkändes inte" in mail.outbox[-1].subject or "godkändes inte" in mail.outbox[-1].body
    client.force_login(colleague)
    page = client.get(edit_url(action))
    assert "Tulokset poistuisivat." in page.text
    with pytest.raises(services.ModerationError):
        proposals.proposal_approve(revision=pending, moderator=group_moderator)


def test_proposal_in_finnish_and_swedish(client, organisation, colleague):
    action = ActionFactory(organisation=organisation)
    client.force_login(colleague)
    post_edit(client, action, tips="Uusi vinkki.")
    fi = client.get(edit_url(action), HTTP_ACCEPT_LANGUAGE="fi").text
    assert "odottavat moderointia" in fi
    from django.utils import translation

    with translation.override("sv"):
        sv_url = edit_url(action)
    sv = client.get(sv_url, HTTP_ACCEPT_LANGUAGE="sv").text
    assert "väntar på moderering" in sv


def test_only_moderators_approve(organisation, colleague):
    action = ActionFactory(organisation=organisation)
    pending = proposals.action_propose_edit(action=action, user=colleague, data={"title": "Kaapattu otsikko"})
    with pytest.raises(services.ModerationError):
        proposals.proposal_approve(revision=pending, moderator=colleague)
    action.refresh_from_db()
    assert action.title != "Kaapattu otsikko"


# --- moving: staff only, recorded, campaign credit re-checked ----------------------------------

@pytest.fixture
def mover(moderator):
    moderator.user_permissions.add(Permission.objects.get(codename="change_action"))
    return type(moderator).objects.get(pk=moderator.pk)


def test_staff_move_is_recorded_and_campaign_credit_follows_the_new_organisation(client, organisation, campaign,
                                                                                 mover):
    ineligible = OrganisationFactory(kind=Organisation.Kind.WELFARE_AREA)
    campaign.eligible_kinds = [Organisation.Kind.MUNICIPALITY]
    campaign.save()
    action = ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 15, 12, 0))
    as_of = helsinki(2026, 4, 13, 0, 0)
    assert list(eligible_actions(campaign=campaign, as_of=as_of)) == [action]

    client.force_login(mover)
    page = client.get(reverse("admin:arena_action_change", args=[action.pk]))
    assert reverse("admin:arena_action_move", args=[action.pk]) in page.text
    response = client.post(reverse("admin:arena_action_move", args=[action.pk]),
                           {"organisation": ineligible.pk, "message": "Väärä organisaatio."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.organisation == ineligible
    assert list(eligible_actions(campaign=campaign, as_of=as_of)) == []
    revision = Revision.objects.get(action=action)
    assert revision.editor == mover and revision.message == "Väärä organisaatio."
    assert revision.changes["organisation"] == {"old": str(organisation), "new": str(ineligible)}
    assert revision.changes["campaigns"]["old"] and revision.changes["campaigns"]["new"] == []


def test_a_moderator_without_the_change_permission_cannot_move(client, organisation, group_moderator):
    action = ActionFactory(organisation=organisation)
    other = OrganisationFactory()
    client.force_login(group_moderator)
    response = client.post(reverse("admin:arena_action_move", args=[action.pk]),
                           {"organisation": other.pk, "message": "x"})
    assert response.status_code == 403
    with pytest.raises(services.ModerationError):
        moves.action_move(action=action, moderator=group_moderator, organisation=other, message="x")
    action.refresh_from_db()
    assert action.organisation == organisation


def test_staff_edit_right_on_the_site_is_unchanged(organisation, mover):
    assert action_edit_right(mover, ActionFactory(organisation=organisation)) == EditRight.NONE


def test_a_proposed_link_is_shown_again_to_the_proposer_and_applied_on_approval(client, organisation, colleague,
                                                                                 moderator):
    action = ActionFactory(organisation=organisation)
    client.force_login(colleague)
    post_edit(client, action, links=[{"url": "https://example.fi/video", "title": "Video", "kind": "video"}])
    pending = Revision.objects.get(state=Revision.State.PENDING)
    assert pending.proposal == {"links": [{"url": "https://example.fi/video", "title": "Video", "kind": "video"}]}
    assert not action.links.exists()
    assert 'value="https://example.fi/video"' in client.get(edit_url(action)).text
    proposals.proposal_approve(revision=pending, moderator=moderator)
    assert list(action.links.values_list("url", flat=True)) == ["https://example.fi/video"]


def test_saving_the_published_text_unchanged_withdraws_the_proposal(client, organisation, colleague):
    action = ActionFactory(organisation=organisation)
    client.force_login(colleague)
    post_edit(client, action, tips="Vinkki.")
    assert Revision.objects.filter(state=Revision.State.PENDING).exists()
    post_edit(client, action)
    assert not Revision.objects.exists()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_proposal_and_move_pages_answer_in_every_language(client, organisation, colleague, mover, language):
    from django.utils import translation

    action = ActionFactory(organisation=organisation)
    pending = proposals.action_propose_edit(action=action, user=colleague, data={"tips": "Uusi vinkki."})
    client.force_login(mover)
    with translation.override(language):
        urls = [reverse("admin:arena_revision_changelist") + "?state__exact=pending",
                reverse("admin:arena_revision_change", args=[pending.pk]),
                reverse("admin:arena_revision_moderate", args=[pending.pk, "reject"]),
                reverse("admin:arena_action_move", args=[action.pk]),
                reverse("admin:arena_action_change", args=[action.pk])]
    for url in urls:
        assert client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200, url
