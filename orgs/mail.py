"""What every e-mail of the portal shares."""

from django.template.loader import render_to_string


def render_subject(template_name: str, context: dict) -> str:
    """The subject from its template, always one line: a line break in a title or a name would
    otherwise end the mail's header (Django refuses it)."""
    return " ".join(render_to_string(template_name, context).split())
