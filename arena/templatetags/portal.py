from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """The current page in another language (keeps the query string)."""
    request = context["request"]
    url = translate_url(request.get_full_path(), language_code)
    return url
