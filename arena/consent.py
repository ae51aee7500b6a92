"""Asking a person by e-mail whether they may be named: the part shared by makers of actions
(`arena/makers.py`) and nominated heroes of work (`campaigns/nominations.py`).

A consent link is a signed token of the row's id and its `token_version`: it expires after
`CONSENT_MAX_AGE`, and sending a new link (the version goes up) makes the old one stop working.
The mail and the page behind the link speak the person's own language (`language` of the row),
whoever triggered them. Each kind of row has its own salt, so a nominee's link can never be
read as a maker's.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.mail import render_subject

CONSENT_MAX_AGE = 60 * 60 * 24 * 60  # sixty days


class ConsentState(models.TextChoices):
    PENDING = "pending", gettext_lazy("waiting for an answer")
    GIVEN = "given", gettext_lazy("given")
    REFUSED = "refused", gettext_lazy("refused")
    WITHDRAWN = "withdrawn", gettext_lazy("withdrawn")


class ConsentLinkError(Exception):
    """A consent link that cannot be used; the message is for the person who opened it."""


def consent_token(*, salt: str, pk: int, version: int) -> str:
    return signing.dumps({"n": pk, "v": version}, salt=salt, compress=True)


def consent_token_read(token: str, *, salt: str) -> tuple[int | None, int | None]:
    """The (id, version) a link was made for; ConsentLinkError when it is forged or expired.
    The caller compares the version with the row's: a replaced link is refused there."""
    try:
        data = signing.loads(token, salt=salt, max_age=CONSENT_MAX_AGE)
    except signing.SignatureExpired:
        raise ConsentLinkError(_("This link has expired. Ask KT staff to send you a new one.")) from None
    except signing.BadSignature:
        raise ConsentLinkError(_("This link is not valid. Check that you copied the whole address.")) from None
    return data.get("n"), data.get("v")


def replaced_link_error() -> ConsentLinkError:
    return ConsentLinkError(_("This link is no longer valid: a newer one has been sent to you."))


def consent_url(*, viewname: str, token: str, language: str) -> str:
    """The link's full address, in the person's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(viewname, args=[token])


def consent_mail_send(*, to: str, language: str, subject_template: str, body_template: str, context: dict) -> None:
    """Send the question in the person's language (not the language of whoever asked)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_subject(subject_template, context)
        body = render_to_string(body_template, context)
    send_mail(subject, body, None, [to])
