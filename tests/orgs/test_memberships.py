import re

import pytest
from django.core import mail
from django.urls import reverse

from orgs import permissions
from orgs.models import Membership, MembershipEvent, Organisation
from orgs.services import MembershipError, NotAllowed, membership_confirm, membership_request
from tests.factories import EmailDomainFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def liminka(db):
    organisation = OrganisationFactory(name_fi="Liminka", name_sv="Limingo", slug="liminka", code="425")
    EmailDomainFactory(organisation=organisation, domain="liminka.fi", verified=True)
    return organisation


def join(client, organisation):
    return client.post("/fi/my/organisations/join/", {"organisation": organisation.pk})


def test_verified_domain_confirms_at_once(client, liminka):
    matti = UserFactory(email="matti@liminka.fi")
    client.force_login(matti)
    response = join(client, liminka)
    assert response.status_code == 302 and response["Location"] == "/fi/my/organisations/"
    membership = Membership.objects.get(user=matti)
    assert membership.is_confirmed and membership.organisation == liminka
    assert permissions.is_confirmed_member(matti, liminka)
    assert list(permissions.confirmed_organisations(matti)) == [liminka]
    assert MembershipEvent.objects.get(user=matti).action == MembershipEvent.Action.AUTO_CONFIRMED
    assert mail.outbox == []


def test_unconfirmed_email_address_does_not_count(liminka):
    matti = UserFactory(email="matti@liminka.fi", verified=False)
    membership = membership_request(user=matti, organisation=liminka)
    assert membership.status == Membership.Status.PENDING


def test_other_domain_waits_and_admins_and_staff_get_mail_in_their_language(
        client, liminka, settings, django_capture_on_commit_callbacks):
    settings.STAFF_EMAILS = ["tuki@kt.fi", "hjalp@kt.fi"]
    UserFactory(email="hjalp@kt.fi", preferred_language="sv")
    MembershipFactory(organisation=liminka, role=Membership.Role.ADMIN,
                      user=UserFactory(email="admin@liminka.fi", preferred_language="sv"))
    MembershipFactory(organisation=liminka, role=Membership.Role.MEMBER, user__email="member@liminka.fi")
    outsider = UserFactory(email="maija@gmail.com", full_name="Maija Meikäläinen")
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, liminka)
    assert response.status_code == 302
    membership = Membership.objects.get(user=outsider)
    assert membership.status == Membership.Status.PENDING
    assert not permissions.is_confirmed_member(outsider, liminka)
    assert not permissions.confirmed_organisations(outsider).exists()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"admin@liminka.fi", "tuki@kt.fi", "hjalp@kt.fi"}
    assert "Maija Meikäläinen" in by_address["admin@liminka.fi"].body
    assert "/sv/organisations/liminka/members/" in by_address["admin@liminka.fi"].body
    assert "Limingo" in by_address["admin@liminka.fi"].subject
    assert "/fi/organisations/liminka/members/" in by_address["tuki@kt.fi"].body
    page = client.get("/fi/my/organisations/").content.decode()
    assert "Liminka" in page


def test_admin_confirms_and_member_is_told(client, liminka, django_capture_on_commit_callbacks):
    admin = MembershipFactory(organisation=liminka, role=Membership.Role.ADMIN).user
    pending = MembershipFactory(organisation=liminka, status=Membership.Status.PENDING, confirmed_at=None,
                                user__preferred_language="sv")
    client.force_login(admin)
    members_page = client.get(reverse("orgs:organisation-members", kwargs={"slug": "liminka"}))
    assert pending.user.email in members_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:membership-confirm", kwargs={"pk": pending.pk}))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.is_confirmed and pending.confirmed_by == admin
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [pending.user.email]
    assert "Limingo" in mail.outbox[0].subject


def test_admin_of_another_organisation_cannot_confirm(client, liminka):
    other_admin = MembershipFactory(role=Membership.Role.ADMIN).user
    pending = MembershipFactory(organisation=liminka, status=Membership.Status.PENDING, confirmed_at=None)
    client.force_login(other_admin)
    assert client.post(reverse("orgs:membership-confirm", kwargs={"pk": pending.pk})).status_code == 403
    assert client.post(reverse("orgs:membership-remove", kwargs={"pk": pending.pk})).status_code == 403
    assert client.get(reverse("orgs:organisation-members", kwargs={"slug": "liminka"})).status_code == 403
    assert client.get(reverse("orgs:organisation-edit", kwargs={"slug": "liminka"})).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING
    with pytest.raises(NotAllowed):
        membership_confirm(membership=pending, by=other_admin)


def test_plain_member_cannot_confirm(client, liminka):
    member = MembershipFactory(organisation=liminka).user
    pending = MembershipFactory(organisation=liminka, status=Membership.Status.PENDING, confirmed_at=None)
    client.force_login(member)
    assert client.post(reverse("orgs:membership-confirm", kwargs={"pk": pending.pk})).status_code == 403


def test_pending_admin_is_not_an_admin(liminka):
    would_be = MembershipFactory(organisation=liminka, role=Membership.Role.ADMIN,
                                 status=Membership.Status.PENDING, confirmed_at=None).user
    assert not permissions.can_admin_organisation(would_be, liminka)
    assert not permissions.organisations_administered_by(would_be).exists()


def test_staff_confirms_any_organisation(client, liminka, staff):
    pending = MembershipFactory(organisation=liminka, status=Membership.Status.PENDING, confirmed_at=None)
    client.force_login(staff)
    assert pending.user.email in client.get("/fi/my/organisations/").content.decode()
    client.post(reverse("orgs:membership-confirm", kwargs={"pk": pending.pk}))
    pending.refresh_from_db()
    assert pending.is_confirmed


def test_user_belongs_to_several_and_leaves_one(client, liminka):
    joint = OrganisationFactory(kind=Organisation.Kind.JOINT_AUTHORITY, name_fi="Kuntayhtymä X", slug="ky-x")
    user = UserFactory(email="anna@liminka.fi")
    client.force_login(user)
    join(client, liminka)
    join(client, joint)
    assert set(Membership.objects.filter(user=user).values_list("organisation__slug", flat=True)) == {
        "liminka", "ky-x"}
    mine = Membership.objects.get(user=user, organisation=joint)
    assert client.post(reverse("orgs:membership-remove", kwargs={"pk": mine.pk})).status_code == 302
    assert list(Membership.objects.filter(user=user).values_list("organisation__slug", flat=True)) == ["liminka"]
    assert MembershipEvent.objects.filter(user=user, action=MembershipEvent.Action.LEFT).count() == 1


def test_joining_twice_is_a_form_error(client, liminka):
    user = UserFactory(email="anna@liminka.fi")
    client.force_login(user)
    join(client, liminka)
    response = join(client, liminka)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert re.search(r'class="errorlist"[^>]*>\s*<li>[^<]+', html)
    with pytest.raises(MembershipError):
        membership_request(user=user, organisation=liminka)


def test_join_page_preselects_the_suggestion_from_the_domain(client, reference_organisations):
    user = UserFactory(email="matti@liminka.fi")
    client.force_login(user)
    html = client.get("/fi/my/organisations/join/").content.decode()
    liminka = Organisation.objects.get(slug="liminka")
    assert f'<option value="{liminka.pk}" selected>Liminka</option>' in html


def test_unverified_domain_suggests_too(client, reference_organisations):
    user = UserFactory(email="anna@korsholm.fi")
    client.force_login(user)
    html = client.get("/sv/my/organisations/join/").content.decode()
    korsholm = Organisation.objects.get(kind="municipality", code="499")
    assert f'<option value="{korsholm.pk}" selected>Korsholm</option>' in html


def test_login_without_membership_goes_to_join_page(client, liminka):
    user = UserFactory(email="matti@liminka.fi")
    response = client.post("/fi/accounts/login/", {"login": user.email, "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == "/fi/my/organisations/join/"
    MembershipFactory(user=user, organisation=liminka)
    client.logout()
    response = client.post("/fi/accounts/login/", {"login": user.email, "password": "correct horse battery"})
    assert response["Location"] == "/fi/"


def test_pages_need_login(client, liminka):
    for url in ("/fi/my/organisations/", "/fi/my/organisations/join/", "/fi/organisations/liminka/members/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_admin_changes_roles_and_removes(client, liminka):
    admin = MembershipFactory(organisation=liminka, role=Membership.Role.ADMIN).user
    other = MembershipFactory(organisation=liminka)
    client.force_login(admin)
    client.post(reverse("orgs:membership-role", kwargs={"pk": other.pk}), {"role": "admin"})
    assert permissions.can_admin_organisation(other.user, liminka)
    client.post(reverse("orgs:membership-remove", kwargs={"pk": other.pk}))
    assert not Membership.objects.filter(pk=other.pk).exists()
    assert MembershipEvent.objects.filter(user=other.user, action=MembershipEvent.Action.REMOVED).exists()


def test_administered_querysets_pair_with_predicates(liminka, staff):
    admin = MembershipFactory(organisation=liminka, role=Membership.Role.ADMIN).user
    other = OrganisationFactory()
    assert list(permissions.organisations_administered_by(admin)) == [liminka]
    assert permissions.can_admin_organisation(admin, liminka)
    assert not permissions.can_admin_organisation(admin, other)
    assert permissions.organisations_administered_by(staff).count() == 2
    assert permissions.can_admin_organisation(staff, other)
