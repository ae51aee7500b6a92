"""The "awards" section of an organisation's page (registered with orgs in CampaignsConfig.ready)."""

from django.utils.translation import gettext as _

from .selectors import organisation_awards


def organisation_awards_section(request, organisation):
    awards = organisation_awards(organisation=organisation)
    if not awards:
        return None
    return {
        "title": _("Campaign awards"),
        "template": "campaigns/includes/organisation_awards.html",
        "context": {"awards": awards},
        "order": 50,
    }
