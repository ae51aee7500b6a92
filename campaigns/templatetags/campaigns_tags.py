"""Campaign pieces for other pages: the front-page banner and the notice on the action form."""

from django import template
from django.core.files.storage import default_storage
from django.urls import NoReverseMatch
from django.utils import timezone

from campaigns.export import reason_label as _reason_label
from campaigns.selectors import campaigns_counting_for, running_campaigns

register = template.Library()


@register.inclusion_tag("campaigns/includes/running_campaign_banner.html")
def running_campaign_banner():
    """The running campaign(s), or nothing at all."""
    now = timezone.now()
    return {"campaigns": list(running_campaigns(as_of=now)), "today": timezone.localdate(now)}


@register.inclusion_tag("campaigns/includes/campaign_notice.html")
def campaign_notice(organisation):
    """"This action will count for the campaign …" for an employee posting during a campaign."""
    return {"campaigns": campaigns_counting_for(organisation=organisation, at=timezone.now())}


@register.filter
def reason_label(code):
    return _reason_label(code)


@register.filter
def media_url(path):
    """URL of a stored file path kept in a results snapshot ("" stays "")."""
    return default_storage.url(path) if path else ""


@register.filter
def action_url(action):
    """The action's page, or "" while the action pages are not installed."""
    try:
        return action.get_absolute_url()
    except NoReverseMatch:
        return ""
