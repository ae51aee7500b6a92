"""Makers: the people named on an action, each asked for consent before their name is public.

The rules:

- The author or an editor names each maker on the action form: name, e-mail address and the
  language to write to them in. A maker with an address gets a link by e-mail (in that
  language) to confirm or remove their name; one without an address waits until an editor adds
  one. Changing a maker's name or address asks again (a new link; the old one stops working).
- Until a maker confirms, no page, list, feed, open-data file or search result shows their name:
  the action's page names the confirmed makers and says how many others there are
  (`public_makers`). Confirming is answered once; afterwards the same link only offers removal.
  "Remove my name" deletes the row, and the link with it.
- The first mail carries no text the author typed (neither the maker's name nor the action's
  title): only the organisation the action belongs to and the link. The page behind the link
  shows the action's title.
- Makers moved over from the old free-text field have no address: they stay hidden until an
  editor adds one and a link is sent.

The consent link itself (signed token, expiry, replacement) is `arena/consent.py`, shared
with the nominated heroes of work.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from . import consent
from .cache import action_scope, changed
from .consent import ConsentState
from .models import Action, Maker
from .permissions import can_edit_action

MAKER_FIELDS = ("name", "email", "language")
MAKERS_MAX = 20
CONSENT_SALT = "arena.maker-consent"


class MakerError(Exception):
    """A maker change or answer that cannot be accepted; the message is for the user."""


@dataclass(frozen=True)
class PublicMakers:
    names: list[str]
    others: int


def public_makers(makers) -> PublicMakers:
    """What the public may know of an action's makers: the confirmed names and how many others."""
    makers = list(makers)
    names = [maker.name for maker in makers if maker.consent == ConsentState.GIVEN]
    return PublicMakers(names=names, others=len(makers) - len(names))


def _clean(row: dict) -> dict:
    return {"name": " ".join((row.get("name") or "").split()), "email": (row.get("email") or "").strip().lower(),
            "language": row.get("language") or "fi"}


def makers_save(*, action: Action, user, rows: list[dict], now: datetime.datetime) -> list[Maker]:
    """Make the action's makers what the form says. `rows` are the form's rows in order, each with
    the maker's fields, `id` (the existing maker's id, or None) and `resend`. Returns the makers
    whose link is (re)sent when the transaction commits."""
    if not can_edit_action(user, action):
        raise MakerError(_("You cannot edit this action."))
    if len(rows) > MAKERS_MAX:
        raise MakerError(_("An action can name at most %(max)d makers.") % {"max": MAKERS_MAX})
    to_ask = []
    with transaction.atomic():
        existing = {maker.pk: maker for maker in Maker.objects.select_for_update().filter(action=action)}
        kept = set()
        for position, row in enumerate(rows):
            data = _clean(row)
            if not data["name"]:
                continue
            maker = existing.get(row.get("id"))
            if maker is None:
                maker = Maker.objects.create(action=action, position=position, **data)
                ask = bool(maker.email)
            else:
                changed_person = (maker.name, maker.email) != (data["name"], data["email"])
                ask = bool(data["email"]) and (changed_person or bool(row.get("resend")))
                for name, value in data.items():
                    setattr(maker, name, value)
                maker.position = position
                fields = [*MAKER_FIELDS, "position"]
                if changed_person:  # a confirmation was for another name or address
                    maker.consent, maker.consent_given_at = ConsentState.PENDING, None
                    fields += ["consent", "consent_given_at"]
                if ask:
                    maker.token_version += 1
                    fields.append("token_version")
                maker.save(update_fields=fields)
            kept.add(maker.pk)
            if ask:
                maker.consent_requested_at = now
                maker.save(update_fields=["consent_requested_at"])
                to_ask.append(maker)
        Maker.objects.filter(action=action).exclude(pk__in=kept).delete()
        changed(action_scope(action.pk))
        for maker in to_ask:
            transaction.on_commit(lambda maker=maker: send_consent_request(maker=maker))
    return to_ask


# --- The link ------------------------------------------------------------------------------


def consent_token(maker: Maker) -> str:
    return consent.consent_token(salt=CONSENT_SALT, pk=maker.pk, version=maker.token_version)


def consent_url(maker: Maker) -> str:
    return consent.consent_url(viewname="arena:maker-consent", token=consent_token(maker), language=maker.language)


def maker_from_token(token: str) -> Maker:
    """The maker of a link; MakerError when it is forged, expired, replaced or the name removed."""
    try:
        pk, version = consent.consent_token_read(token, salt=CONSENT_SALT)
    except consent.ConsentLinkError as error:
        raise MakerError(str(error)) from None
    maker = Maker.objects.select_related("action", "action__organisation").filter(pk=pk).first()
    if maker is None:
        raise MakerError(_("This link is no longer valid: the name has been removed from the action."))
    if maker.token_version != version:
        raise MakerError(str(consent.replaced_link_error()))
    return maker


def maker_confirm(*, maker: Maker, now: datetime.datetime) -> Maker:
    """The maker agrees to be named. A link answers once: a second answer is refused."""
    with transaction.atomic():
        maker = Maker.objects.select_for_update().get(pk=maker.pk)
        if maker.consent != ConsentState.PENDING:
            raise MakerError(_("You have already confirmed your name through this link."))
        maker.consent, maker.consent_given_at = ConsentState.GIVEN, now
        maker.save(update_fields=["consent", "consent_given_at"])
        changed(action_scope(maker.action_id))
    return maker


def maker_remove(*, maker: Maker) -> None:
    """"Remove my name": the maker's row goes, before or after a confirmation."""
    with transaction.atomic():
        deleted, _rows = Maker.objects.filter(pk=maker.pk, token_version=maker.token_version).delete()
        if not deleted:
            raise MakerError(_("This link is no longer valid: the name has been removed from the action."))
        changed(action_scope(maker.action_id))


def send_consent_request(*, maker: Maker) -> None:
    action = Action.objects.select_related("organisation").get(pk=maker.action_id)
    consent.consent_mail_send(
        to=maker.email, language=maker.language,
        subject_template="arena/email/maker_consent_subject.txt",
        body_template="arena/email/maker_consent_body.txt",
        context={"organisation": action.organisation, "consent_url": consent_url(maker)},
    )
