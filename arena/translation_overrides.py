"""Corrections to third-party translations.

These msgids come from django-allauth's templates. Listing them here puts them in our
own catalogues (locale/), which take precedence over the ones shipped with allauth.
"""

from django.utils.translation import gettext_noop

OVERRIDES = [
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Email address"),
]
