"""Heroes of work and wonder-workers on other pages: the "nominate" link on the campaign page
and the juror's list of people and organisations to score."""

from django import template
from django.utils import timezone

from campaigns import jury, nominations
from campaigns.models import AwardCategory

register = template.Library()


@register.inclusion_tag("campaigns/includes/nomination_link.html", takes_context=True)
def nomination_link(context, campaign):
    """"Nominate a hero of work" while the campaign runs (logged-in users go to the form)."""
    return {"campaign": campaign, "open": nominations.nominations_open(campaign=campaign, now=timezone.now())}


@register.inclusion_tag("campaigns/includes/jury_subjects.html")
def jury_subjects(juror):
    """The juror's nominated people and wonder-worker candidates, with their scoring status."""
    now = timezone.now()
    campaign = juror.campaign
    sections = []
    kinds = set(campaign.categories.values_list("kind", flat=True))  # one query when there is nothing more
    if AwardCategory.Kind.JURY_PEOPLE in kinds:
        sections.append(("people", jury.subject_entries(juror=juror, kind=jury.SUBJECT_NOMINEE, now=now)))
    if AwardCategory.Kind.JURY_ORGANISATIONS in kinds:
        sections.append(("organisations", jury.subject_entries(juror=juror, kind=jury.SUBJECT_ORGANISATION,
                                                               now=now)))
    return {"campaign": campaign, "sections": [
        (part, entries, jury.Progress(scored=sum(e.complete for e in entries if not e.conflict),
                                      total=sum(not e.conflict for e in entries)))
        for part, entries in sections]}
