"""Links to the jury pages for the people who may open them: `{% jury_links campaign %}`."""

from django import template

from campaigns import jury

register = template.Library()


@register.inclusion_tag("campaigns/includes/jury_links.html", takes_context=True)
def jury_links(context, campaign):
    """Nothing for the public; "score the entries" for a juror, "chair's view" for the chair and staff."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"campaign": campaign, "is_juror": False, "can_chair": False}
    juror = jury.juror_get(campaign=campaign, user=user)
    return {"campaign": campaign, "is_juror": juror is not None, "can_chair": jury.can_chair(user=user, juror=juror)}
