"""Hooks for other parts of the portal: front-page banner, the notice on the action form,
the moderation column and the organisation page section."""

import sys
import types

import pytest
import time_machine
from django.apps import apps
from django.template import Context, Template

from arena.models import Action
from campaigns.sections import organisation_awards_section
from campaigns.selectors import campaign_for_submission, campaigns_counting_for
from campaigns.services import results_freeze, results_publish
from orgs.models import Organisation
from tests.factories import (
    ActionFactory, OrganisationFactory, helsinki,
)

pytestmark = pytest.mark.django_db

DURING = helsinki(2026, 3, 20, 12, 0)
AT_GALA = helsinki(2026, 4, 19, 19, 0)


def render(source, **context):
    return Template("{% load campaigns_tags %}" + source).render(Context(context))


def test_front_page_banner_shows_the_running_campaign_only(campaign):
    with time_machine.travel(DURING, tick=False):
        html = render("{% running_campaign_banner %}")
    assert "Kevään kampanja 2026" in html and campaign.get_absolute_url() in html
    with time_machine.travel(helsinki(2026, 4, 13, 0, 0), tick=False):
        assert render("{% running_campaign_banner %}").strip() == ""


def test_action_form_notice_for_an_eligible_organisation_during_the_campaign(campaign):
    campaign.eligible_kinds = [Organisation.Kind.MUNICIPALITY]
    campaign.save()
    municipality = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
    other = OrganisationFactory(kind=Organisation.Kind.OTHER)
    with time_machine.travel(DURING, tick=False):
        notice = render("{% campaign_notice organisation %}", organisation=municipality)
        assert "Kevään kampanja 2026" in notice and "12.4.2026" in notice
        assert render("{% campaign_notice organisation %}", organisation=other).strip() == ""
        assert render("{% campaign_notice organisation %}", organisation=None).strip() == ""
    with time_machine.travel(helsinki(2026, 2, 28, 23, 59), tick=False):
        assert render("{% campaign_notice organisation %}", organisation=municipality).strip() == ""


def test_campaigns_counting_for_is_time_parameterised(campaign):
    organisation = OrganisationFactory()
    assert campaigns_counting_for(organisation=organisation, at=helsinki(2026, 3, 1, 0, 0)) == [campaign]
    assert campaigns_counting_for(organisation=organisation, at=helsinki(2026, 4, 12, 23, 59)) == [campaign]
    assert campaigns_counting_for(organisation=organisation, at=helsinki(2026, 4, 13, 0, 0)) == []


def test_campaign_for_submission_in_the_moderation_queue(campaign):
    waiting = ActionFactory(status=Action.Status.SUBMITTED, submitted_at=helsinki(2026, 4, 12, 23, 59, 59))
    late = ActionFactory(status=Action.Status.SUBMITTED, submitted_at=helsinki(2026, 4, 13, 0, 0))
    draft = ActionFactory(status=Action.Status.DRAFT, submitted_at=None)
    ineligible = ActionFactory(organisation=OrganisationFactory(kind=Organisation.Kind.OTHER),
                               submitted_at=helsinki(2026, 3, 10, 9))
    campaign.eligible_kinds = [Organisation.Kind.MUNICIPALITY]
    campaign.save()
    assert campaign_for_submission(action=waiting) == campaign
    assert campaign_for_submission(action=late) is None
    assert campaign_for_submission(action=draft) is None
    assert campaign_for_submission(action=ineligible) is None


def test_organisation_page_section_shows_awards_only_once_published(campaign, staff, rf):
    liminka, oulu = OrganisationFactory(name_fi="Liminka"), OrganisationFactory(name_fi="Oulu")
    campaign.categories.update(winners=1)
    ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, 2, 9))
    ActionFactory(organisation=liminka, submitted_at=helsinki(2026, 3, 3, 9))
    ActionFactory(organisation=oulu, submitted_at=helsinki(2026, 3, 3, 9))
    request = rf.get("/")
    results_freeze(campaign=campaign, user=staff, now=AT_GALA)
    assert organisation_awards_section(request, liminka) is None  # frozen is not published
    results_publish(campaign=campaign, user=staff, now=AT_GALA)
    section = organisation_awards_section(request, liminka)
    assert section["template"] == "campaigns/includes/organisation_awards.html"
    html = Template('{% include template %}').render(Context({**section["context"], "template": section["template"]}))
    assert "Kevään kampanja 2026" in html and "Eniten tekoja" in html and "sija 1" in html
    assert organisation_awards_section(request, oulu) is None  # second place of one winner: no award


def test_section_is_registered_when_orgs_offers_the_registry(monkeypatch):
    registered = []
    fake = types.ModuleType("orgs.sections")
    fake.register_organisation_section = registered.append
    monkeypatch.setitem(sys.modules, "orgs.sections", fake)
    apps.get_app_config("campaigns").ready()
    assert registered == [organisation_awards_section]
