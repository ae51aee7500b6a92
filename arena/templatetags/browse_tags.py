from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from ..selectors import engagement_context

register = template.Library()


@register.inclusion_tag("arena/includes/action_engagement.html", takes_context=True)
def action_engagement(context, action):
    """The like / adopt / report block of an action page: `{% action_engagement action %}`."""
    request = context["request"]
    return {**engagement_context(request, action), "user": request.user, "request": request,
            "csrf_token": context.get("csrf_token")}


@register.simple_tag
def select_options(choices, selected) -> str:
    """`<option>`s of (value, label) pairs, `selected` marked: joined in Python, not a template loop,
    since a filter may have a thousand of them (the organisations)."""
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (value, mark_safe(" selected") if value == selected else "", label) for value, label in choices))  # noqa: S308
