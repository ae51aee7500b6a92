"""'Download my data' is complete: every model field that refers to a user or holds an e-mail
address is exported by some section, and the sections added for the jury, nominations, nominees,
contact persons and makers carry the user's data field by field."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from arena.models import ContactPerson
from arena.privacy import covered_fields, user_data_export
from campaigns.models import AwardCategory
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MakerFactory,
    UserFactory, helsinki, nominate, score_action,
)


def personal_fields() -> set[str]:
    """Every concrete field of every installed model that points at the user model or holds an
    e-mail address: the rows that belong to, or are about, a person with an account."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created and not field.is_relation:
                continue
            refers_to_user = field.is_relation and field.related_model is user_model and not field.auto_created
            if refers_to_user or isinstance(field, models.EmailField):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_personal_field_has_an_export_line():
    missing = personal_fields() - covered_fields()
    assert not missing, "Personal data fields not in 'Download my data' (arena/privacy.py): " + ", ".join(
        sorted(missing))


def test_the_enumeration_sees_the_fields_that_matter():
    """The check above is only as good as what it enumerates."""
    fields = personal_fields()
    for name in ("campaigns.Juror.user", "campaigns.Nomination.nominator", "campaigns.Nominee.email",
                 "arena.ContactPerson.email", "arena.Maker.email", "arena.Like.user", "orgs.Membership.user"):
        assert name in fields


@pytest.mark.django_db
def test_download_has_the_jury_nominations_nominees_contacts_and_makers(client):
    user = UserFactory(email="maija@kunta.fi", full_name="Maija Meikäläinen")
    EmailAddress.objects.create(user=user, email="Maija.Toinen@Kunta.fi", verified=True, primary=False)
    EmailAddress.objects.create(user=user, email="ei.vahvistettu@kunta.fi", verified=False, primary=False)
    campaign = CampaignFactory(name_fi="Kevät 2026")
    people = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, name_fi="Työn sankarit")
    criterion = CriterionFactory(campaign=campaign, name_fi="Innostavuus")
    action = ActionFactory(title="Etävastaanotto")
    juror = JurorFactory(campaign=campaign, user=user, is_chair=True)
    score_action(juror, action, {criterion: 4}, comment="Hyvä teko")
    during = helsinki(2026, 3, 15, 12, 0)
    nominate(campaign=campaign, category=people, user=user, name="Kalle Kollega", email="kalle@kunta.fi",
             justification="Kalle jaksaa aina", now=during)
    nominate(campaign=campaign, category=people, user=UserFactory(), name="Maija T.", email="maija.toinen@kunta.fi",
             justification="Maija auttaa kaikkia", now=during)
    ContactPerson.objects.create(action=action, name="Maija", email="MAIJA@kunta.fi", public=False)
    ContactPerson.objects.create(action=action, name="Ei vahvistettu", email="ei.vahvistettu@kunta.fi")
    MakerFactory(action=action, name="Maija Meikäläinen", email="maija@kunta.fi", language="fi", consent="pending",
                 consent_given_at=None)

    client.force_login(user)
    data = json.loads(client.get("/fi/my/data/download/").content)

    [role] = data["jury"]
    assert role["campaign"] == "Kevät 2026" and role["chair"] is True
    [review] = role["reviews"]
    assert review["subject"] == {"kind": "action", "id": action.pk, "title": "Etävastaanotto"}
    assert review["comment"] == "Hyvä teko" and review["scores"] == {"Innostavuus": 4}

    [written] = data["nominations_written"]
    assert (written["name"], written["email"], written["justification"], written["category"]) == (
        "Kalle Kollega", "kalle@kunta.fi", "Kalle jaksaa aina", "Työn sankarit")

    [about] = data["nominations_about_you"]  # through the second verified address
    assert about["justification"] == "Maija auttaa kaikkia" and "name" not in about and "nominator" not in about
    [record] = data["nominee_records"]
    assert (record["name"], record["email"], record["consent"]) == ("Maija T.", "maija.toinen@kunta.fi", "pending")

    [contact] = data["named_as_contact_person"]  # the unverified address is not the user's
    assert (contact["action_id"], contact["email"], contact["shown_publicly"]) == (action.pk, "MAIJA@kunta.fi", False)

    [maker] = data["named_as_maker"]
    assert (maker["action_id"], maker["name"], maker["email"], maker["confirmed"]) == (
        action.pk, "Maija Meikäläinen", "maija@kunta.fi", False)


@pytest.mark.django_db
def test_download_has_the_edits_decided_and_the_email_domains_handled(client):
    from arena.models import Revision
    from orgs.models import EmailDomain
    from tests.factories import OrganisationFactory

    staff = UserFactory(is_staff=True)
    action = ActionFactory()
    Revision.objects.create(action=action, editor=UserFactory(), state=Revision.State.REJECTED,
                            proposal={"tips": "x"}, decided_by=staff, decided_at=helsinki(2026, 5, 2, 9, 0),
                            message="Ei lähdettä")
    organisation = OrganisationFactory(name_fi="Liminka")
    EmailDomain.objects.create(organisation=organisation, domain="liminka.fi", verified=True, verification="staff",
                               verified_by=staff, verified_at=helsinki(2026, 5, 3, 9, 0))

    client.force_login(staff)
    data = json.loads(client.get("/fi/my/data/download/").content)

    [decided] = data["edits_decided"]
    assert (decided["action_id"], decided["state"], decided["message"]) == (action.pk, "rejected", "Ei lähdettä")
    [domain] = data["email_domains_handled"]
    assert (domain["organisation"], domain["domain"], domain["verified_by_you"], domain["asked_by_you"]) == (
        "Liminka", "liminka.fi", True, False)


@pytest.mark.django_db
def test_download_leaves_out_other_peoples_rows(client):
    user = UserFactory(email="oma@kunta.fi")
    other = JurorFactory()
    score_action(other, ActionFactory(), {CriterionFactory(campaign=other.campaign): 3}, comment="Muiden")
    ContactPerson.objects.create(action=ActionFactory(), name="Joku", email="joku@kunta.fi")
    data = user_data_export(user=user)
    assert data["jury"] == [] and data["named_as_contact_person"] == [] and data["nominations_written"] == []
    assert "Muiden" not in json.dumps(data, ensure_ascii=False)
