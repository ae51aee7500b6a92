import pytest
from django.db import IntegrityError, transaction

from orgs.models import EmployeeCount, Membership, MembershipEvent, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def refused(update) -> bool:
    try:
        with transaction.atomic():
            update()
    except IntegrityError:
        return True
    return False


def test_database_refuses_unknown_kinds_roles_statuses_and_actions(organisation):
    membership = MembershipFactory(organisation=organisation)
    assert refused(lambda: Organisation.objects.filter(pk=organisation.pk).update(kind="castle"))
    assert refused(lambda: Membership.objects.filter(pk=membership.pk).update(role="king"))
    assert refused(lambda: Membership.objects.filter(pk=membership.pk).update(status="maybe"))
    assert refused(lambda: MembershipEvent.objects.create(
        organisation=organisation, user=membership.user, action="teleported"))


def test_kind_and_code_are_unique_together():
    OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, code="425")
    OrganisationFactory(kind=Organisation.Kind.WELFARE_AREA, code="425")  # another kind may reuse it
    assert refused(lambda: OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, code="425"))


def test_employee_counts_are_not_negative_and_one_per_year(organisation):
    EmployeeCount.objects.create(organisation=organisation, year=2025, employees=10)
    assert refused(lambda: EmployeeCount.objects.create(organisation=organisation, year=2025, employees=11))
    assert refused(lambda: EmployeeCount.objects.filter(organisation=organisation).update(employees=-1))


def test_a_user_joins_an_organisation_once(organisation):
    membership = MembershipFactory(organisation=organisation)
    assert refused(lambda: MembershipFactory(organisation=organisation, user=membership.user))
