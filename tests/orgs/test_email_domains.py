"""Who can make an e-mail domain verified, and what a verified domain confirms (issue #19, point 3)."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from orgs import domains
from orgs.models import EmailDomain, Membership, MembershipEvent, Organisation
from orgs.services import NotAllowed, membership_request
from tests.factories import EmailDomainFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def municipality(code: str) -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.MUNICIPALITY, code=code)


def admin_of(organisation: Organisation, email: str):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN, user__email=email).user


def claim(client, organisation, domain, language="fi"):
    return client.post(f"/{language}/organisations/{organisation.slug}/domains/",
                       {"domain": domain, "verified": "on"}, follow=True)


def join(client, organisation):
    return client.post("/fi/my/organisations/join/", {"organisation": organisation.pk})


@pytest.fixture
def liminka(reference_organisations):
    return municipality("425")


@pytest.fixture
def kempele(reference_organisations):
    return municipality("244")


def test_liminka_admin_claiming_kempele_fi_does_not_let_kempele_staff_into_liminka(client, liminka, kempele):
    client.force_login(admin_of(liminka, "admin@liminka.fi"))
    claim(client, liminka, "kempele.fi")
    claimed = EmailDomain.objects.get(organisation=liminka, domain="kempele.fi")
    assert not claimed.verified and claimed.is_pending

    newcomer = UserFactory(email="uusi.tyontekija@kempele.fi")
    client.force_login(newcomer)
    join(client, liminka)
    assert Membership.objects.get(user=newcomer, organisation=liminka).status == Membership.Status.PENDING


def test_a_confirmed_address_elsewhere_does_not_prove_another_organisations_domain(client, liminka, kempele):
    admin = admin_of(liminka, "admin@liminka.fi")
    EmailAddress.objects.create(user=admin, email="admin@kempele.fi", verified=True, primary=False)
    client.force_login(admin)
    claim(client, liminka, "kempele.fi")
    claimed = EmailDomain.objects.get(organisation=liminka, domain="kempele.fi")
    assert claimed.is_pending and claimed.pending_reason == EmailDomain.PendingReason.ELSEWHERE


def test_an_admin_proves_their_own_domain_with_their_confirmed_address(client, kempele):
    admin = admin_of(kempele, "hallinto@kempele.fi")
    client.force_login(admin)
    page = claim(client, kempele, "kempele.fi").content.decode()
    domain = EmailDomain.objects.get(organisation=kempele, domain="kempele.fi")
    assert domain.verified and domain.verification == EmailDomain.Verification.PROOF
    assert domain.verified_by == admin
    assert "on varmennettu" in page

    newcomer = UserFactory(email="uusi@kempele.fi")
    assert membership_request(user=newcomer, organisation=kempele).is_confirmed


def test_an_unconfirmed_address_is_no_proof(client, kempele):
    admin = admin_of(kempele, "hallinto@kempele.fi")
    EmailAddress.objects.filter(user=admin).update(verified=False)
    client.force_login(admin)
    claim(client, kempele, "kempele.fi")
    domain = EmailDomain.objects.get(organisation=kempele, domain="kempele.fi")
    assert domain.is_pending and domain.pending_reason == EmailDomain.PendingReason.NO_PROOF


def test_another_organisations_verified_domain_waits_for_staff_even_with_proof(client):
    first, second = OrganisationFactory(), OrganisationFactory()
    EmailDomainFactory(organisation=first, domain="yhteinen.fi", verified=True)
    client.force_login(admin_of(second, "admin@yhteinen.fi"))
    claim(client, second, "yhteinen.fi")
    domain = EmailDomain.objects.get(organisation=second, domain="yhteinen.fi")
    assert domain.is_pending and domain.pending_reason == EmailDomain.PendingReason.ELSEWHERE


@pytest.mark.parametrize(("language", "reason_text", "state_text"), [
    ("fi", "kuuluu tiettävästi myös toiselle organisaatiolle", "odottaa KT:n henkilöstön varmennusta"),
    ("sv", "hör veterligen också till en annan organisation", "väntar på att KT:s personal verifierar den"),
])
def test_the_admin_is_told_in_their_language_that_the_claim_waits_for_staff(
        client, liminka, kempele, language, reason_text, state_text):
    client.force_login(admin_of(liminka, "admin@liminka.fi"))
    page = claim(client, liminka, "kempele.fi", language=language).content.decode()
    assert reason_text in page
    assert state_text in page


@pytest.mark.parametrize(("language", "text"), [
    ("fi", "yksikään omista vahvistetuista sähköpostiosoitteistasi ei ole siinä"),
    ("sv", "ingen av dina egna bekräftade e-postadresser finns på den"),
])
def test_the_admin_is_told_when_they_have_no_address_on_the_domain(client, kempele, language, text):
    client.force_login(admin_of(kempele, "kunnanjohtaja@gmail.com"))
    page = claim(client, kempele, "kempele.fi", language=language).content.decode()
    assert text in page


def test_staff_approve_a_pending_domain_in_the_admin(client, liminka, kempele, staff):
    client.force_login(admin_of(kempele, "kunnanjohtaja@gmail.com"))
    claim(client, kempele, "kempele.fi")
    pending = EmailDomain.objects.get(organisation=kempele, domain="kempele.fi")
    assert pending.is_pending

    client.force_login(staff)
    listing = client.get(reverse("admin:orgs_emaildomain_changelist"), {"state": "pending"}).content.decode()
    assert "kempele.fi" in listing and "liminka.fi" not in listing
    client.post(reverse("admin:orgs_emaildomain_changelist"),
                {"action": "approve_selected", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.verified and pending.verification == EmailDomain.Verification.STAFF
    assert pending.verified_by == staff and pending.requested_at is None

    assert membership_request(user=UserFactory(email="uusi@kempele.fi"), organisation=kempele).is_confirmed


def test_staff_decline_a_request_and_the_domain_stays_a_suggestion(client, liminka, staff):
    client.force_login(admin_of(liminka, "admin@liminka.fi"))
    claim(client, liminka, "kempele.fi")
    pending = EmailDomain.objects.get(organisation=liminka, domain="kempele.fi")
    client.force_login(staff)
    client.post(reverse("admin:orgs_emaildomain_changelist"),
                {"action": "decline_selected", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert not pending.verified and not pending.is_pending


def test_the_admin_cannot_tick_verified_by_hand(client, organisation, staff):
    client.force_login(staff)
    client.post(reverse("admin:orgs_emaildomain_add"),
                {"organisation": organisation.pk, "domain": "kasin.fi", "verified": "on"})
    assert not EmailDomain.objects.get(domain="kasin.fi").verified


def test_only_staff_who_may_change_domains_approve(organisation):
    domain = EmailDomainFactory(organisation=organisation, verified=False)
    org_admin = admin_of(organisation, "admin@testikunta.fi")
    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="view_emaildomain"))
    for user in (org_admin, moderator):
        with pytest.raises(NotAllowed):
            domains.email_domain_approve(email_domain=domain, by=user)
    domain.refresh_from_db()
    assert not domain.verified


def test_a_domain_verified_for_two_organisations_confirms_nobody_at_once(client, liminka, kempele, staff):
    EmailDomain.objects.filter(organisation=kempele, domain="kempele.fi").update(
        verified=True, verification=EmailDomain.Verification.PROOF)
    client.force_login(staff)
    claim(client, liminka, "kempele.fi")  # staff verify it for Liminka too
    assert EmailDomain.objects.filter(domain="kempele.fi", verified=True).count() == 2

    assert not domains.address_auto_confirms(address="uusi@kempele.fi", organisation=kempele)
    assert not domains.address_auto_confirms(address="uusi@kempele.fi", organisation=liminka)
    newcomer = UserFactory(email="uusi@kempele.fi")
    client.force_login(newcomer)
    join(client, kempele)
    assert Membership.objects.get(user=newcomer).status == Membership.Status.PENDING


def test_address_auto_confirms_only_on_a_domain_verified_for_that_organisation_alone(liminka, kempele):
    assert domains.address_auto_confirms(address="matti@liminka.fi", organisation=liminka)
    assert domains.address_auto_confirms(address="Matti@LIMINKA.fi", organisation=liminka)
    assert not domains.address_auto_confirms(address="matti@liminka.fi", organisation=kempele)
    assert not domains.address_auto_confirms(address="matti@kempele.fi", organisation=kempele)  # a suggestion
    assert not domains.address_auto_confirms(address="matti@sub.liminka.fi", organisation=liminka)
    assert not domains.address_auto_confirms(address="no-at-sign", organisation=liminka)


def test_domain_claim_outcome(liminka, kempele, staff):
    admin = admin_of(liminka, "admin@liminka.fi")
    outcome = domains.domain_claim_outcome
    assert outcome(organisation=liminka, domain="kempele.fi", by=admin).pending_reason == "elsewhere"
    assert outcome(organisation=liminka, domain="liminka-uusi.fi", by=admin).pending_reason == "no_proof"
    assert outcome(organisation=liminka, domain="kempele.fi", by=staff).verification == "staff"
    EmailAddress.objects.create(user=admin, email="admin@liminka-uusi.fi", verified=True)
    assert outcome(organisation=liminka, domain="liminka-uusi.fi", by=admin).verification == "proof"


def test_the_migration_sends_unproven_claims_to_staff_and_returns_who_they_let_in(liminka, kempele):
    recheck = importlib.import_module("orgs.migrations.0004_email_domain_verification").recheck_verified_domains
    attack = EmailDomainFactory(organisation=liminka, domain="kempele.fi", verified=True)
    unproven = EmailDomainFactory(organisation=liminka, domain="liminka-kunta.fi", verified=True)
    proven = EmailDomainFactory(organisation=kempele, domain="kempeleen-kunta.fi", verified=True)
    prover = admin_of(kempele, "hallinto@kempeleen-kunta.fi")
    double_a = EmailDomainFactory(organisation=OrganisationFactory(), domain="kaksi.fi", verified=True)
    double_b = EmailDomainFactory(organisation=OrganisationFactory(), domain="kaksi.fi", verified=True)
    gmail = EmailDomainFactory(organisation=kempele, domain="gmail.com", verified=True)
    EmailDomain.objects.filter(domain="liminka.fi").update(verification="")
    let_in = MembershipFactory(organisation=liminka, user__email="uusi@kempele.fi", confirmed_by=None)
    colleague = MembershipFactory(organisation=liminka, user__email="vanha@liminka.fi", confirmed_by=None)
    vouched = MembershipFactory(organisation=liminka, user__email="kumppani@kempele.fi",
                                confirmed_by=admin_of(liminka, "admin@liminka.fi"))
    for membership in (let_in, colleague):
        MembershipEvent.objects.create(organisation=liminka, user=membership.user,
                                       action=MembershipEvent.Action.AUTO_CONFIRMED)

    recheck(django_apps, None)

    let_in.refresh_from_db(), colleague.refresh_from_db(), vouched.refresh_from_db()
    assert let_in.status == Membership.Status.PENDING
    assert MembershipEvent.objects.filter(user=let_in.user, action=MembershipEvent.Action.RETURNED,
                                          detail="kempele.fi").exists()
    assert colleague.is_confirmed and vouched.is_confirmed

    for row in (attack, unproven, proven, double_a, double_b, gmail):
        row.refresh_from_db()
    assert attack.is_pending and attack.pending_reason == "elsewhere"
    assert unproven.is_pending and unproven.pending_reason == "earlier"
    assert proven.verified and proven.verification == "proof" and proven.verified_by == prover
    assert double_a.is_pending and double_b.is_pending
    assert not gmail.verified and not gmail.is_pending
    reference = EmailDomain.objects.get(organisation=liminka, domain="liminka.fi")
    assert reference.verified and reference.verification == "reference"
