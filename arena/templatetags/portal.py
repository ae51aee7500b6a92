from django import template
from django.conf import settings
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def urls_in_languages(context) -> dict[str, str]:
    """The current page in each language (keeps the query string): `{% urls_in_languages as urls %}`,
    once per page for both the alternate links and the language switch."""
    path = context["request"].get_full_path()
    return {code: translate_url(path, code) for code, _name in settings.LANGUAGES}


@register.filter
def in_language(urls: dict, code: str) -> str:
    return urls.get(code, "")
