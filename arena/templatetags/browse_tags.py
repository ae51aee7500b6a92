from django import template

from ..selectors import engagement_context

register = template.Library()


@register.inclusion_tag("arena/includes/action_engagement.html", takes_context=True)
def action_engagement(context, action):
    """The like / adopt / report block of an action page: `{% action_engagement action %}`."""
    request = context["request"]
    return {**engagement_context(request, action), "user": request.user, "request": request,
            "csrf_token": context.get("csrf_token")}
