"""The campaigns' part of a user's data (`arena.privacy`): what they did as a juror, the
nominations they wrote, the nominee records and nominations about them; and what deleting
their account does to their juror roles.

A deleted juror's scores stay, so results that are not frozen yet do not change: the juror
row loses its user (`Juror.user` is set to NULL), gets `account_deleted_at` and is shown as
"Juror N (account deleted)" (`Juror.display_name`); the chair's view says so. Before the
account goes, its score sets that do not count (conflicts of interest, decided by the
juror's memberships, which go with the account) are deleted, so that they cannot start
counting once the memberships are gone; the comments are emptied (free text that may name
the person). What stays is numbers under a pseudonym.
"""

from __future__ import annotations

import datetime

from arena.cache import CAMPAIGNS, campaign_scope, changed
from arena.privacy import PersonalDataSection, register_personal_data, with_email_in

from .models import CandidateOverride, Juror, Nomination, Nominee, ResultSnapshot, Review
from .scoring import campaign_score_sets, subject_score_sets


def _iso(value):
    return value.isoformat() if value else None


def _subject(review: Review) -> dict:
    if review.action_id:
        return {"kind": "action", "id": review.action_id, "title": review.action.title}
    if review.nominee_id:
        return {"kind": "nominee", "id": review.nominee_id}
    return {"kind": "organisation", "id": review.organisation_id, "name": str(review.organisation)}


def _jury(user, emails):
    roles = Juror.objects.filter(user=user).select_related("campaign").order_by("pk")
    reviews = (Review.objects.filter(juror__user=user).select_related("action", "organisation")
               .prefetch_related("scores__criterion").order_by("pk"))
    by_juror: dict[int, list] = {}
    for review in reviews:
        by_juror.setdefault(review.juror_id, []).append({
            "subject": _subject(review), "comment": review.comment, "updated_at": _iso(review.updated_at),
            "scores": {score.criterion.name: score.value for score in review.scores.all()},
        })
    return [
        {"campaign": role.campaign.name, "chair": role.is_chair, "reviews": by_juror.get(role.pk, [])}
        for role in roles
    ]


def _nomination(nomination: Nomination, *, written: bool) -> dict:
    data = {"campaign": nomination.campaign.name, "category": nomination.category.name,
            "justification": nomination.justification, "created_at": _iso(nomination.created_at)}
    if written:  # what the user wrote about someone else
        data |= {"name": nomination.name, "job_title": nomination.job_title, "email": nomination.email,
                 "organisation": nomination.organisation_name or str(nomination.organisation or ""),
                 "action_ids": sorted(action.pk for action in nomination.actions.all())}
    return data


def _nominations_written(user, emails):
    rows = (Nomination.objects.filter(nominator=user).select_related("campaign", "category", "organisation")
            .prefetch_related("actions").order_by("pk"))
    return [_nomination(nomination, written=True) for nomination in rows]


def _nominations_about_you(user, emails):
    """Nominations of the user's verified addresses: the justifications, not who wrote them."""
    rows = with_email_in(Nomination.objects, emails).select_related("campaign", "category").order_by("pk")
    return [_nomination(nomination, written=False) for nomination in rows]


def _nominee_records(user, emails):
    return [
        {"campaign": n.campaign.name, "name": n.name, "job_title": n.job_title, "email": n.email,
         "organisation": n.organisation_display, "language": n.language, "consent": n.consent,
         "consent_requested_at": _iso(n.consent_requested_at), "consent_given_at": _iso(n.consent_given_at),
         "consent_refused_at": _iso(n.consent_refused_at), "consent_withdrawn_at": _iso(n.consent_withdrawn_at)}
        for n in with_email_in(Nominee.objects, emails).select_related("campaign", "organisation").order_by("pk")
    ]


def _candidate_overrides(user, emails):
    return [
        {"category": o.category.name, "organisation": str(o.organisation), "include": o.include, "reason": o.reason,
         "at": _iso(o.at)}
        for o in CandidateOverride.objects.filter(by=user).select_related("category", "organisation").order_by("pk")
    ]


def _results_handled(user, emails):
    return [
        {"campaign": s.campaign.name, "frozen_by_you": s.frozen_by_id == user.pk, "frozen_at": _iso(s.frozen_at),
         "published_by_you": s.published_by_id == user.pk, "published_at": _iso(s.published_at)}
        for s in (ResultSnapshot.objects.filter(frozen_by=user) | ResultSnapshot.objects.filter(published_by=user))
        .select_related("campaign").order_by("pk")
    ]


def juror_roles_anonymise(*, user, now: datetime.datetime) -> list[Juror]:
    """Before `user`'s account is deleted: keep their juror roles' counted scores under a pseudonym.

    Score sets that do not count now are deleted (they were left out for a conflict of interest,
    which the juror's memberships decide; those go with the account), comments are emptied, and
    the role is marked with the time. Django then sets `Juror.user` to NULL.
    """
    roles = list(Juror.objects.select_for_update(of=("self",)).filter(user=user).select_related("campaign")
                 .order_by("pk"))
    for role in roles:
        counted = {"action": {s.action_id for s in campaign_score_sets(campaign=role.campaign)
                              if s.juror_id == role.pk}}
        for subject in ("nominee", "organisation"):
            counted[subject] = {s.action_id for s in subject_score_sets(campaign=role.campaign, subject=subject)
                                if s.juror_id == role.pk}
        for subject, ids in counted.items():
            role.reviews.filter(**{f"{subject}__isnull": False}).exclude(**{f"{subject}_id__in": ids}).delete()
        role.reviews.exclude(comment="").update(comment="")
        role.account_deleted_at = now
        role.save(update_fields=["account_deleted_at"])
        changed(campaign_scope(role.campaign_id), CAMPAIGNS)
    return roles


def register() -> None:
    for section in (
        PersonalDataSection("jury", _jury, ("campaigns.Juror.user",), before_delete=juror_roles_anonymise),
        PersonalDataSection("nominations_written", _nominations_written, ("campaigns.Nomination.nominator",)),
        PersonalDataSection("nominations_about_you", _nominations_about_you, ("campaigns.Nomination.email",)),
        PersonalDataSection("nominee_records", _nominee_records, ("campaigns.Nominee.email",)),
        PersonalDataSection("candidate_overrides_made", _candidate_overrides, ("campaigns.CandidateOverride.by",)),
        PersonalDataSection("results_frozen_or_published", _results_handled,
                            ("campaigns.ResultSnapshot.frozen_by", "campaigns.ResultSnapshot.published_by")),
    ):
        register_personal_data(section)
