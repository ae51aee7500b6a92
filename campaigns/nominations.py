"""Heroes of work (nominated people) and wonder-workers (organisations): nominations, consent,
candidates.

The rules:

- During the campaign period a logged-in employee nominates a person for a "jury on people"
  category: name, job title, organisation, e-mail, a justification (≤ 2 000 characters) and
  optionally actions. Nobody nominates themselves; nominations close at the period's end.
- Nominations of the same person (same e-mail address, compared in lower case) in a
  campaign belong to one `Nominee`, who is considered once, with every justification.
- Nobody sends more than `NOMINATIONS_PER_HOUR` / `NOMINATIONS_PER_DAY` nominations, and one
  mailbox (the address in lower case, without a "+tag") gets at most `NOMINATIONS_PER_RECIPIENT_DAY`
  a day from everyone together (`nomination_limit_check`): the form cannot be used to mail strangers.
- The nominee is asked by e-mail (in their language) for consent, in the portal's own words only
  (the campaign and the category, never what the nominator typed); the signed link in it
  expires after `CONSENT_MAX_AGE`. The answer is recorded once; the same link then only
  offers withdrawal, until the results are frozen. Without consent nothing personal is
  ever shown publicly or at the gala; a withdrawal after freezing keeps the award record
  but hides the name.
- Wonder-worker candidates: organisations with at least the category's `min_actions`
  eligible actions in the campaign, plus those staff add by hand, minus those they remove.

Time is always a parameter (`now`, `as_of`), never read here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from arena import consent as shared_consent
from arena import limits
from arena.cache import CAMPAIGNS, campaign_scope, changed
from arena.consent import CONSENT_MAX_AGE  # noqa: F401 (the nominees' links expire as the makers' do)
from arena.models import Action
from orgs.models import Organisation

from .conflicts import organisation_resolve
from .models import AwardCategory, Campaign, CandidateOverride, ConsentState, Nomination, Nominee
from .rendering import campaign_render_public

JUSTIFICATION_MAX = 2000
# Counted over the nominations themselves (exact on every server, kept across a cache restart).
NOMINATIONS_PER_HOUR = 10
NOMINATIONS_PER_DAY = 20
NOMINATIONS_PER_RECIPIENT_DAY = 10
CONSENT_SALT = "campaigns.nominee-consent"


class NominationError(Exception):
    """A nomination or consent answer that cannot be accepted; the message is for the user.

    `field` names the form field it belongs to, when there is one.
    """

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# --- Nominating --------------------------------------------------------------------------


def people_categories(*, campaign: Campaign) -> list[AwardCategory]:
    return list(campaign.categories.filter(kind=AwardCategory.Kind.JURY_PEOPLE).order_by("position", "id"))


def organisation_categories(*, campaign: Campaign) -> list[AwardCategory]:
    return list(campaign.categories.filter(kind=AwardCategory.Kind.JURY_ORGANISATIONS).order_by("position", "id"))


def nominations_open(*, campaign: Campaign, now: datetime.datetime) -> bool:
    """Nominations are accepted during the campaign period, in campaigns with a heroes category."""
    return campaign.is_running(now) and campaign.categories.filter(kind=AwardCategory.Kind.JURY_PEOPLE).exists()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def mailbox(email: str) -> str:
    """The mailbox an address reaches: lower case, without a "+tag" (name+x@ and name@ are one person)."""
    local, at, domain = normalise_email(email).rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if at else normalise_email(email)


def user_addresses(user) -> set[str]:
    """The mailboxes of the user: the account's address and every verified address (allauth)."""
    from allauth.account.models import EmailAddress

    addresses = set(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    return {mailbox(address) for address in addresses | {user.email} if address}


def nomination_limit_check(*, user, email: str, now: datetime.datetime) -> None:
    """LimitReached when the user has nominated as many people as one account may within an hour
    or a day, or when the mailbox of `email` has had as many nominations today as one person gets.
    Call inside the transaction that writes, after `arena.limits.lock_user(user)`."""
    day = now - limits.DAY
    mine = Nomination.objects.filter(nominator=user, created_at__gt=day)
    limits.limit_check(
        counts=[(mine.filter(created_at__gt=now - limits.HOUR).count(), NOMINATIONS_PER_HOUR, limits.HOUR),
                (mine.count(), NOMINATIONS_PER_DAY, limits.DAY)],
        message=_("You have sent %(limit)s nominations within %(window)s, as many as one account may. "
                  "Please send this one later."),
    )
    box = mailbox(email)
    local, _at, domain = box.rpartition("@")
    theirs = Nomination.objects.filter(created_at__gt=day).filter(
        Q(email=box) | Q(email__startswith=f"{local}+", email__endswith=f"@{domain}"))
    if theirs.count() >= NOMINATIONS_PER_RECIPIENT_DAY:
        raise limits.LimitReached(_("This person has already been nominated as many times today as we accept "
                                    "for one person. Please send your nomination tomorrow."))


def nomination_create(
    *, campaign: Campaign, category: AwardCategory, user, name: str, job_title: str, email: str,
    justification: str, organisation: Organisation | None = None, organisation_name: str = "",
    actions: list[Action] | tuple = (), now: datetime.datetime,
) -> Nomination:
    """Record a nomination; the first nomination of a person asks them for consent by e-mail.

    Everything is checked before anything is written: the period, the category, the
    address, the justification and self-nomination.

    An organisation typed instead of picked is looked up by name (`conflicts.organisation_resolve`:
    any language, ignoring case, spaces and punctuation) and stored as the organisation when
    exactly one matches, so conflicts of interest are checked against it. A nominee without a
    resolved organisation gets one from a later nomination that has it.
    """
    email = normalise_email(email)
    justification = (justification or "").strip()
    name = (name or "").strip()
    if not campaign.is_running(now):
        raise NominationError(_("Nominations for this campaign are closed: the campaign period has ended.")
                              if campaign.has_ended(now) else _("Nominations open when the campaign starts."))
    if category.campaign_id != campaign.pk or category.kind != AwardCategory.Kind.JURY_PEOPLE:
        raise NominationError(_("Choose an award category for people of this campaign."), field="category")
    if not name:
        raise NominationError(_("Give the name of the person you nominate."), field="name")
    try:
        validate_email(email)
    except ValidationError:
        raise NominationError(_("Enter a valid e-mail address, such as etunimi.sukunimi@kunta.fi."),
                              field="email") from None
    if user is not None and mailbox(email) in user_addresses(user):
        raise NominationError(_("This is one of your own e-mail addresses: you cannot nominate yourself. "
                                "Nominate a colleague instead."), field="email")
    if not justification:
        raise NominationError(_("Tell the jury why you nominate this person."), field="justification")
    if len(justification) > JUSTIFICATION_MAX:
        raise NominationError(_("The justification can be at most %(max)s characters long.")
                              % {"max": JUSTIFICATION_MAX}, field="justification")
    organisation_name = " ".join((organisation_name or "").split()) or (str(organisation) if organisation else "")
    if organisation is None and organisation_name:
        organisation = organisation_resolve(organisation_name)

    with transaction.atomic():
        if user is not None:
            limits.lock_user(user)
            nomination_limit_check(user=user, email=email, now=now)
        nominee, created = Nominee.objects.select_for_update().get_or_create(
            campaign=campaign, email=email,
            defaults={
                "name": name, "job_title": job_title.strip(), "organisation": organisation,
                "organisation_name": organisation_name,
                "language": _nominee_language(email=email, nominator=user),
                "consent_requested_at": now,
            },
        )
        if not created and nominee.organisation_id is None and organisation is not None:
            nominee.organisation = organisation
            nominee.save(update_fields=["organisation"])
        nomination = Nomination.objects.create(
            campaign=campaign, category=category, nominee=nominee, nominator=user, name=name,
            job_title=job_title.strip(), organisation=organisation, organisation_name=organisation_name,
            email=email, justification=justification, created_at=now,
        )
        if actions:
            nomination.actions.set(actions)
        if created:
            transaction.on_commit(lambda: send_consent_request(nominee=nominee))
    return nomination


def _nominee_language(*, email: str, nominator) -> str:
    """The nominee's own language when they have an account; otherwise the nominator's (a colleague
    usually shares it), otherwise the portal's default."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        Q(email__iexact=email) | Q(pk__in=EmailAddress.objects.filter(email__iexact=email, verified=True)
                                   .values("user_id")))
    own = users.values_list("preferred_language", flat=True).first()
    return (own or getattr(nominator, "preferred_language", "") or settings.LANGUAGE_CODE)[:2]


def nominees_merge(*, target: Nominee, others: list[Nominee]) -> Nominee:
    """Merge duplicate nominees (staff): their nominations and reviews move to `target`.

    A juror who reviewed both keeps the target's review. The most positive consent wins only
    if it is the target's own: consent is never assumed for someone who has not given it.
    """
    with transaction.atomic():
        for other in others:
            if other.pk == target.pk or other.campaign_id != target.campaign_id:
                continue
            Nomination.objects.filter(nominee=other).update(nominee=target)
            reviewed = set(target.reviews.values_list("juror_id", flat=True))
            other.reviews.exclude(juror_id__in=reviewed).update(nominee=target)
            other.delete()
        campaign_render_public(campaign_id=target.campaign_id)  # a merged-away nominee's name goes
    return target


# --- Consent -------------------------------------------------------------------------------


def consent_token(nominee: Nominee) -> str:
    return shared_consent.consent_token(salt=CONSENT_SALT, pk=nominee.pk, version=nominee.token_version)


def consent_url(nominee: Nominee) -> str:
    return shared_consent.consent_url(viewname="campaigns:nomination-consent", token=consent_token(nominee),
                                      language=nominee.language)


def nominee_from_token(token: str) -> Nominee:
    """The nominee of a consent link; NominationError when it is forged, expired or replaced."""
    try:
        pk, version = shared_consent.consent_token_read(token, salt=CONSENT_SALT)
        nominee = Nominee.objects.select_related("campaign", "organisation").filter(pk=pk).first()
        if nominee is None or nominee.token_version != version:
            raise shared_consent.replaced_link_error()
    except shared_consent.ConsentLinkError as error:
        raise NominationError(str(error)) from None
    return nominee


def consent_can_withdraw(nominee: Nominee) -> bool:
    return nominee.consent == ConsentState.GIVEN and not nominee.campaign.snapshots.exists()


def nominee_consent_answer(*, nominee: Nominee, give: bool, now: datetime.datetime) -> Nominee:
    """Record the nominee's answer. A link answers once: another answer is refused."""
    with transaction.atomic():
        nominee = Nominee.objects.select_for_update().select_related("campaign").get(pk=nominee.pk)
        if nominee.consent != ConsentState.PENDING:
            raise NominationError(_("You have already answered through this link (%(state)s).")
                                  % {"state": nominee.get_consent_display()})
        if give:
            nominee.consent, nominee.consent_given_at = ConsentState.GIVEN, now
            fields = ["consent", "consent_given_at"]
        else:
            nominee.consent, nominee.consent_refused_at = ConsentState.REFUSED, now
            fields = ["consent", "consent_refused_at"]
        nominee.save(update_fields=fields)
        campaign_render_public(campaign_id=nominee.campaign_id)
        changed(campaign_scope(nominee.campaign_id), CAMPAIGNS)  # results, gala and winners show names only with consent
    return nominee


def nominee_consent_withdraw(*, nominee: Nominee, now: datetime.datetime) -> Nominee:
    """Withdraw a given consent. Before freezing it takes the person out of the running; after
    it only the public name disappears (the award record stays)."""
    with transaction.atomic():
        nominee = Nominee.objects.select_for_update().select_related("campaign").get(pk=nominee.pk)
        if nominee.consent != ConsentState.GIVEN:
            raise NominationError(_("There is no consent to withdraw."))
        nominee.consent, nominee.consent_withdrawn_at = ConsentState.WITHDRAWN, now
        nominee.save(update_fields=["consent", "consent_withdrawn_at"])
        campaign_render_public(campaign_id=nominee.campaign_id)  # the stored public results drop the name
        changed(campaign_scope(nominee.campaign_id), CAMPAIGNS)  # cached public results must drop the name at once
    return nominee


def consent_resend(*, nominee: Nominee, now: datetime.datetime) -> Nominee:
    """Staff: send the consent e-mail again with a new link (the old one stops working)."""
    with transaction.atomic():
        nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
        nominee.token_version += 1
        nominee.consent_requested_at = now
        nominee.save(update_fields=["token_version", "consent_requested_at"])
        transaction.on_commit(lambda: send_consent_request(nominee=nominee))
    return nominee


def send_consent_request(*, nominee: Nominee) -> None:
    # Only the portal's words, the campaign and the category (both written by staff): nothing the
    # nominator typed (name, job title, justification) goes into a mail to a stranger's address.
    first = nominee.nominations.select_related("category").order_by("created_at", "id").first()
    shared_consent.consent_mail_send(
        to=nominee.email, language=nominee.language,
        subject_template="campaigns/nomination_consent_subject.txt",
        body_template="campaigns/nomination_consent_message.txt",
        context={"campaign": nominee.campaign, "category": first.category if first else None,
                 "consent_url": consent_url(nominee)},
    )


# --- Reads ---------------------------------------------------------------------------------


def campaign_nominees(*, campaign: Campaign):
    """Every nominee of the campaign, with their nominations (nominators, actions) in order."""
    return (
        Nominee.objects.filter(campaign=campaign)
        .select_related("organisation")
        .prefetch_related(Prefetch(
            "nominations",
            queryset=Nomination.objects.select_related("nominator", "category").prefetch_related("actions")
            .order_by("created_at", "id"),
        ))
        .order_by("name", "id")
    )


@dataclass
class Candidate:
    organisation: Organisation
    actions: int
    by_hand: bool = False
    reason: str = ""


def organisation_candidates(*, campaign: Campaign, category: AwardCategory, as_of: datetime.datetime) -> list[Candidate]:
    """Wonder-worker candidates: organisations of the campaign's eligible kinds with at least
    `min_actions` eligible actions, plus organisations added by hand, minus those removed."""
    from .ranking import eligible_actions

    counts = dict(
        eligible_actions(campaign=campaign, as_of=as_of).order_by().values("organisation_id")
        .annotate(n=Count("id")).values_list("organisation_id", "n")
    )
    overrides = {o.organisation_id: o for o in CandidateOverride.objects.filter(category=category)}
    ids = {pk for pk, n in counts.items() if n >= category.min_actions}
    ids |= {pk for pk, o in overrides.items() if o.include}
    ids -= {pk for pk, o in overrides.items() if not o.include}
    organisations = Organisation.objects.filter(pk__in=ids).order_by("name_fi", "id")
    return [
        Candidate(
            organisation=organisation, actions=counts.get(organisation.pk, 0),
            by_hand=organisation.pk in overrides, reason=overrides[organisation.pk].reason
            if organisation.pk in overrides else "",
        )
        for organisation in organisations
    ]


def candidate_ids(*, campaign: Campaign, as_of: datetime.datetime) -> dict[int, list[AwardCategory]]:
    """Organisation id → the wonder-worker categories it is a candidate in."""
    result: dict[int, list[AwardCategory]] = {}
    for category in organisation_categories(campaign=campaign):
        for candidate in organisation_candidates(campaign=campaign, category=category, as_of=as_of):
            result.setdefault(candidate.organisation.pk, []).append(category)
    return result


def nominee_ids(*, campaign: Campaign) -> dict[int, list[AwardCategory]]:
    """Nominee id → the people categories they are nominated in. Refused or withdrawn consent
    takes a person out of the running; pending consent keeps them in (private to the jury)."""
    result: dict[int, list[AwardCategory]] = {}
    rows = (
        Nomination.objects.filter(campaign=campaign)
        .exclude(nominee__consent__in=[ConsentState.REFUSED, ConsentState.WITHDRAWN])
        .select_related("category").order_by("category__position", "category_id")
    )
    for nomination in rows:
        categories = result.setdefault(nomination.nominee_id, [])
        if nomination.category not in categories:
            categories.append(nomination.category)
    return result
