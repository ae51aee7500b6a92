from django import template

from ..makers import public_makers as public_makers_of

register = template.Library()


@register.filter
def public_makers(action):
    """The confirmed makers' names of an action and the number of the others (arena/makers.py)."""
    return public_makers_of(action.makers.all())
