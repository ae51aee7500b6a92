"""The jury's work: entries, conflicts of interest, saving reviews, progress and the chair's view.

The rules (DESIGN.md "Jury"):

- A juror's entries are the eligible actions of the campaign's jury categories, exactly as
  the ranking defines them (`ranking._category_actions`: eligibility, themes, sectors,
  shortlist). An entry the juror has a conflict of interest with (`conflicts.py`: their
  organisations, also those they left since the campaign began, and those directly above or
  below them; the action's own organisation or a partner) is listed so the juror knows why,
  never shown, never scored, and left out of the juror's counts.
- Scores can be saved, a criterion at a time, until the campaign's scoring deadline; after
  it nothing changes. A partial score set is saved; the ranking leaves it out until it is
  complete.
- The scores themselves (weighted means, the mean over jurors, z-scores) are computed in
  `ranking.py` only; this module never recomputes them differently.

Time is always a parameter (`now`), never read here.
"""

from __future__ import annotations

import csv
import datetime
import io
import statistics
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arena.models import Action
from arena.spreadsheet import SafeWriter
from orgs.mail import render_subject
from .conflicts import (
    MemberOrganisation, action_conflict, action_organisation_ids, conflict_ids, conflict_organisations,
    juror_conflicts, nominee_conflict,
)
from .models import AwardCategory, Campaign, Criterion, Juror, Review, Score
from .ranking import _category_actions, campaign_results
from .scoring import campaign_score_sets, jury_scores, weighted_mean


class JuryError(Exception):
    """A review that cannot be saved; the message is for the juror."""


# --- Criteria -------------------------------------------------------------------------

DEFAULT_CRITERIA = [
    {
        "name_fi": "Innostavuus", "name_sv": "Inspirerande", "name_en": "Inspiring",
        "description_fi": "Innostaako teko muita kehittämään omaa työtään?",
        "description_sv": "Inspirerar åtgärden andra att utveckla sitt eget arbete?",
        "description_en": "Does the action inspire others to develop their own work?",
    },
    {
        "name_fi": "Vaikuttavuus", "name_sv": "Effekt", "name_en": "Impact",
        "description_fi": "Millaisia tuloksia teolla on saatu asiakkaille, henkilöstölle tai taloudelle?",
        "description_sv": "Vilka resultat har åtgärden gett för kunderna, personalen eller ekonomin?",
        "description_en": "What results has the action brought for customers, staff or finances?",
    },
    {
        "name_fi": "Siirrettävyys", "name_sv": "Överförbarhet", "name_en": "Transferability",
        "description_fi": "Voisiko teon ottaa helposti käyttöön muissa organisaatioissa?",
        "description_sv": "Kan åtgärden lätt införas i andra organisationer?",
        "description_en": "Could other organisations easily adopt the action?",
    },
]


def criteria_create_defaults(*, campaign: Campaign) -> list[Criterion]:
    """Give a campaign without criteria the three default ones (weight 1, scale 1–5)."""
    with transaction.atomic():
        if campaign.criteria.exists():
            return []
        return Criterion.objects.bulk_create([
            Criterion(campaign=campaign, position=position, weight=1, scale_min=1, scale_max=5, **names)
            for position, names in enumerate(DEFAULT_CRITERIA, start=1)
        ])


# --- Who may do what ------------------------------------------------------------------


def juror_get(*, campaign: Campaign, user) -> Juror | None:
    """The user's juror role in this campaign, or None."""
    if not user or not user.is_authenticated:
        return None
    return Juror.objects.filter(campaign=campaign, user=user).select_related("user", "campaign").first()


def juror_by_slug(*, slug: str, user) -> Juror | None:
    """The user's juror role in the campaign with this slug (with the campaign), or None (one query)."""
    if not user or not user.is_authenticated:
        return None
    juror = Juror.objects.filter(campaign__slug=slug, user=user).select_related("campaign").order_by().first()
    if juror is not None:
        juror.user = user
    return juror


def can_chair(*, user, juror: Juror | None) -> bool:
    """The chair's view: the campaign's jury chair, or staff who run campaigns (not moderators)."""
    if juror is not None and juror.is_chair:
        return True
    return bool(user and user.is_authenticated and user.is_staff and user.has_perm("campaigns.change_campaign"))


def scoring_open(*, campaign: Campaign, now: datetime.datetime) -> bool:
    """Scores can change until the scoring deadline (always, when none is set)."""
    return campaign.scoring_deadline is None or now < campaign.scoring_deadline


def deadline_text(campaign: Campaign) -> str:
    return date_format(localtime(campaign.scoring_deadline), "DATETIME_FORMAT") if campaign.scoring_deadline else ""


# --- Entries ----------------------------------------------------------------------------


def jury_categories(*, campaign: Campaign) -> list[AwardCategory]:
    return list(campaign.categories.filter(kind=AwardCategory.Kind.JURY).order_by("position", "id"))


def entry_categories(*, campaign: Campaign, now: datetime.datetime,
                     categories: list[AwardCategory] | None = None) -> dict[int, list[AwardCategory]]:
    """Action id → the jury categories it is an entry of (one query per jury category)."""
    if categories is None:
        categories = jury_categories(campaign=campaign)
    entries: dict[int, list[AwardCategory]] = {}
    for category in categories:
        ids = _category_actions(campaign=campaign, category=category, as_of=now).values_list("id", flat=True)
        for action_id in ids:
            entries.setdefault(action_id, []).append(category)
    return entries


@dataclass
class Entry:
    """One entry as one juror sees it."""

    action: Action
    categories: list
    conflict: bool = False
    scored: int = 0
    criteria: int = 0

    @property
    def complete(self) -> bool:
        return not self.conflict and self.criteria > 0 and self.scored >= self.criteria

    @property
    def partial(self) -> bool:
        return not self.conflict and 0 < self.scored < self.criteria

    @property
    def status(self) -> str:
        if self.conflict:
            return "conflict"
        if self.complete:
            return "complete"
        return "partial" if self.partial else "unscored"

    @property
    def status_label(self) -> str:
        return ENTRY_STATUS_LABELS[self.status]


ENTRY_STATUS_LABELS = {
    "conflict": gettext_lazy("Not shown: conflict of interest"),
    "complete": gettext_lazy("Scored"),
    "partial": gettext_lazy("Partly scored"),
    "unscored": gettext_lazy("Not yet scored"),
}


@dataclass
class Progress:
    scored: int
    total: int

    @property
    def remaining(self) -> int:
        return self.total - self.scored

    @property
    def finished(self) -> bool:
        return self.scored >= self.total

    def as_dict(self) -> dict:
        return {"scored": self.scored, "total": self.total}


LONG_TEXT_FIELDS = ("summary", "need", "solution", "results", "tips", "search_vector")


def juror_entries(*, juror: Juror, now: datetime.datetime) -> list[Entry]:
    """The juror's entries, by title, each with its conflict flag and how far the juror has scored it.

    A fixed number of queries whatever the number of entries.
    """
    campaign = juror.campaign
    categories = entry_categories(campaign=campaign, now=now)
    actions = (
        Action.objects.filter(pk__in=list(categories))
        .defer(*LONG_TEXT_FIELDS)  # the list shows titles only; the review page loads the whole action
        .select_related("organisation")
        .prefetch_related("sectors", "partners")
        .order_by("title", "id")
    )
    conflicts = conflict_ids(juror_conflicts(juror))
    scored = dict(
        Score.objects.filter(review__juror=juror, criterion__campaign=campaign)
        .order_by()
        .values("review__action_id")
        .annotate(n=Count("id"))
        .values_list("review__action_id", "n")
    )
    criteria = campaign.criteria.count()
    entries = []
    for action in actions:
        conflict = action_conflict(organisation_ids=action_organisation_ids(action), conflicts=conflicts)
        entries.append(Entry(action=action, categories=categories[action.pk], conflict=conflict,
                             scored=0 if conflict else scored.get(action.pk, 0), criteria=criteria))
    return entries


def entries_progress(entries: list[Entry]) -> Progress:
    """Scored (complete score sets) out of the entries the juror may score (conflicts excluded)."""
    mine = [entry for entry in entries if not entry.conflict]
    return Progress(scored=sum(entry.complete for entry in mine), total=len(mine))


def entries_filter(entries: list[Entry], *, status: str = "", category_id: int | None = None,
                   sector_id: int | None = None) -> list[Entry]:
    """Filter the juror's list: by scoring status, by jury category and by sector."""
    result = entries
    if status == "todo":
        result = [entry for entry in result if not entry.conflict and not entry.complete]
    elif status:
        result = [entry for entry in result if entry.status == status]
    if category_id:
        result = [entry for entry in result if any(c.pk == category_id for c in entry.categories)]
    if sector_id:
        result = [entry for entry in result if sector_id in _sector_ids(entry.action)]
    return result


def _sector_ids(action) -> set[int] | frozenset[int]:
    """The action's sectors: a model instance's (prefetched), or the juror's list's light copy's."""
    ids = getattr(action, "sector_ids", None)
    return ids if ids is not None else {sector.pk for sector in action.sectors.all()}


def next_unscored(entries: list[Entry], *, after: int | None = None) -> Entry | None:
    """The next entry (in list order, wrapping round) the juror has not scored fully, skipping `after`."""
    todo = [entry for entry in entries if not entry.conflict and not entry.complete]
    if after is not None:
        ids = [entry.action.pk for entry in entries]
        start = ids.index(after) + 1 if after in ids else 0
        order = {pk: (index - start) % len(ids) for index, pk in enumerate(ids)}
        todo = sorted((entry for entry in todo if entry.action.pk != after), key=lambda e: order[e.action.pk])
    return todo[0] if todo else None


def entry_find(entries: list[Entry], action_id: int) -> Entry | None:
    return next((entry for entry in entries if entry.action.pk == action_id), None)


def action_for_review(action_id: int) -> Action:
    """The whole action for the review page (one query per related list)."""
    return (
        Action.objects.select_related("organisation")
        .prefetch_related("sectors", "themes", "images", "links")
        .get(pk=action_id)
    )


def review_values(*, juror: Juror, action: Action) -> tuple[dict[int, int], str]:
    """The juror's saved scores (criterion id → value) and comment on one action."""
    return subject_review_values(juror=juror, kind="action", subject=action)


# --- Saving a review --------------------------------------------------------------------


def review_save(
    *, juror: Juror, action: Action, scores: dict[int, int | None], comment: str | None,
    now: datetime.datetime,
) -> Review:
    """Save a juror's scores (criterion id → value; None clears one) and comment on one entry.

    Only the criteria given change; `comment=None` leaves the comment as it is. Everything is
    checked before anything is written: after the deadline, for a conflict of interest, for an
    action that is not an entry of the campaign, for a criterion of another campaign or a
    score outside its scale the whole save is refused with a JuryError.
    """
    campaign = juror.campaign
    _check_open(campaign=campaign, now=now)
    conflicts = conflict_ids(juror_conflicts(juror))
    if action_conflict(organisation_ids=action_organisation_ids(action), conflicts=conflicts):
        raise JuryError(conflict_message(SUBJECT_ACTION))
    if action.pk not in entry_categories(campaign=campaign, now=now):
        raise JuryError(_("This action is not an entry in this campaign's jury categories."))
    _check_scores(campaign=campaign, scores=scores)

    with transaction.atomic():
        # One save at a time per juror, so quick successive autosaves cannot collide.
        Juror.objects.select_for_update(of=("self",)).filter(pk=juror.pk).order_by("pk").first()
        review, _created = Review.objects.get_or_create(juror=juror, action=action)
        _write_scores(review=review, scores=scores, comment=comment)
    return review


def _check_open(*, campaign: Campaign, now: datetime.datetime) -> None:
    if not scoring_open(campaign=campaign, now=now):
        raise JuryError(deadline_passed_message(campaign))


def deadline_passed_message(campaign: Campaign) -> str:
    return _("The scoring deadline (%(deadline)s) has passed; scores can no longer be changed.") % {
        "deadline": deadline_text(campaign)}


def conflict_message(kind: str) -> str:
    """Why a juror may not score an action, a person or an organisation (`SUBJECT_…`)."""
    if kind == SUBJECT_NOMINEE:
        return _("You cannot score this person: they work in your organisation (conflict of interest).")
    if kind == SUBJECT_ORGANISATION:
        return _("You cannot score your own organisation (conflict of interest).")
    return _("You cannot score this action: you are a member of its organisation (conflict of interest).")


def _check_scores(*, campaign: Campaign, scores: dict) -> None:
    criteria = {criterion.pk: criterion for criterion in campaign.criteria.all()}
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise JuryError(_("A score was given for a criterion that does not belong to this campaign."))
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not (
                criterion.scale_min <= value <= criterion.scale_max):
            raise JuryError(_("The score for “%(criterion)s” must be a whole number from %(low)s to %(high)s.") % {
                "criterion": criterion.name, "low": criterion.scale_min, "high": criterion.scale_max})


def _write_scores(*, review: Review, scores: dict, comment: str | None) -> None:
    if comment is not None:
        review.comment = comment
    for criterion_id, value in scores.items():
        if value is None:
            Score.objects.filter(review=review, criterion_id=criterion_id).delete()
        else:
            Score.objects.update_or_create(review=review, criterion_id=criterion_id, defaults={"value": value})
    review.save(update_fields=["comment", "updated_at"])


# --- The chair's view -------------------------------------------------------------------


@dataclass
class JurorReview:
    """One juror's review of one entry, as the chair sees it."""

    juror: Juror
    scores: dict
    comment: str
    weighted_mean: float | None
    cells: list = field(default_factory=list)  # the scores in the criteria's order (None: not scored)

    @property
    def complete(self) -> bool:
        return self.weighted_mean is not None


@dataclass
class ChairRow:
    action: Action
    categories: list
    score: float | None = None
    normalised: float | None = None
    jurors: int = 0
    minimum: float | None = None
    maximum: float | None = None
    stdev: float | None = None
    reviews: list = field(default_factory=list)
    conflicted: list = field(default_factory=list)
    hidden: bool = False  # the viewing chair has a conflict: individual scores and comments not shown


@dataclass
class KindProgress:
    """How far one juror has come with one kind of entry: actions, people or organisations."""

    kind: str  # "actions", "people" or "organisations"
    scored: int
    total: int
    partial: int

    @property
    def label(self) -> str:
        return str(PROGRESS_KIND_LABELS[self.kind])

    @property
    def finished(self) -> bool:
        return self.scored >= self.total


PROGRESS_KIND_LABELS = {
    "actions": gettext_lazy("Actions"),
    "people": gettext_lazy("People"),
    "organisations": gettext_lazy("Organisations"),
}


@dataclass
class JurorProgress:
    """One juror's progress over every kind of entry of the campaign (`parts`, in a fixed order)
    and in total. Entries the juror has a conflict with are counted in none of them."""

    juror: Juror
    scored: int
    total: int
    partial: int
    parts: list = field(default_factory=list)  # KindProgress

    @property
    def finished(self) -> bool:
        return self.scored >= self.total

    @property
    def unfinished_parts(self) -> list:
        return [part for part in self.parts if not part.finished]


def juror_progress(*, juror: Juror, parts: list[KindProgress]) -> JurorProgress:
    return JurorProgress(juror=juror, parts=parts, scored=sum(part.scored for part in parts),
                         total=sum(part.total for part in parts), partial=sum(part.partial for part in parts))


def kind_progress(*, kind: str, juror: Juror, rows: list) -> KindProgress:
    """A juror's progress over chair rows (`ChairRow` or `SubjectChairRow`): the rows the juror
    has no conflict with, how many of them they scored fully and how many in part."""
    mine = [row for row in rows if juror not in row.conflicted]
    reviews = [next((review for review in row.reviews if review.juror.pk == juror.pk), None) for row in mine]
    return KindProgress(
        kind=kind, total=len(mine),
        scored=sum(1 for review in reviews if review is not None and review.complete),
        partial=sum(1 for review in reviews if review is not None and review.scores and not review.complete),
    )


@dataclass
class ChairOverview:
    campaign: Campaign
    criteria: list
    jurors: list
    rows: list
    rankings: list
    normalise: bool
    people: list = field(default_factory=list)  # SubjectChairRow: nominated people
    organisations: list = field(default_factory=list)  # SubjectChairRow: wonder-worker candidates
    progress_kinds: list = field(default_factory=list)  # the kinds in each juror's progress parts

    @property
    def deleted_jurors(self) -> list[Juror]:
        """Jurors whose account has been deleted: their scores still count, under a pseudonym."""
        return [item.juror for item in self.jurors if item.juror.user_id is None]

    @property
    def progress_labels(self) -> list[str]:
        return [str(PROGRESS_KIND_LABELS[kind]) for kind in self.progress_kinds]

    @property
    def subject_parts(self) -> list:
        return [("people", self.people), ("organisations", self.organisations)]


CHAIR_SORTS = {
    "title": (lambda row: row.action.title.casefold(), False),
    "organisation": (lambda row: str(row.action.organisation or "").casefold(), False),
    "score": (lambda row: row.score, True),
    "normalised": (lambda row: row.normalised, True),
    "jurors": (lambda row: row.jurors, True),
    "spread": (lambda row: row.stdev, True),
}


def _sorted_rows(rows: list[ChairRow], sort: str) -> list[ChairRow]:
    key, descending = CHAIR_SORTS.get(sort, CHAIR_SORTS["score"])
    rows = sorted(rows, key=lambda row: row.action.title.casefold())
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]  # unscored last, whichever the direction
    return sorted(present, key=key, reverse=descending) + missing


def chair_overview(*, campaign: Campaign, user, now: datetime.datetime, sort: str = "score") -> ChairOverview:
    """Every entry with its jury score (raw and, if the campaign says so, normalised), the number
    of jurors who scored it fully, the spread of their weighted means (min–max, population
    standard deviation), each juror's scores and comments; each juror's progress; and the
    ranking per jury category as the results page computes it. A fixed number of queries.
    """
    criteria = list(campaign.criteria.all())
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    categories = entry_categories(campaign=campaign, now=now)
    actions = list(
        Action.objects.filter(pk__in=list(categories)).select_related("organisation").prefetch_related("partners")
        .order_by("title", "id")
    )
    jurors = list(campaign.jurors.select_related("user").order_by("-is_chair", "user__full_name", "user__email"))
    members = conflict_organisations(campaign=campaign, user_ids={juror.user_id for juror in jurors} | (
        set() if user.is_staff else {user.pk}))
    memberships = {user_id: conflict_ids(items) for user_id, items in members.items()}
    viewer_conflicts = frozenset() if user.is_staff else memberships.get(user.pk, frozenset())

    reviews: dict[tuple[int, int], JurorReview] = {}
    juror_by_id = {juror.pk: juror for juror in jurors}
    for review in Review.objects.filter(juror__campaign=campaign, action_id__in=categories).prefetch_related(
            "scores"):
        scores = {score.criterion_id: score.value for score in review.scores.all() if score.criterion_id in weights}
        reviews[(review.juror_id, review.action_id)] = JurorReview(
            juror=juror_by_id[review.juror_id], scores=scores, comment=review.comment,
            weighted_mean=weighted_mean(scores, weights), cells=[scores.get(c.pk) for c in criteria],
        )

    score_sets = campaign_score_sets(campaign=campaign)
    raw = jury_scores(score_sets, normalise=False)
    normalised = jury_scores(score_sets, normalise=True) if campaign.normalise_scores else {}

    rows = []
    for action in actions:
        row = ChairRow(action=action, categories=categories[action.pk])
        organisation_ids = action_organisation_ids(action)
        row.hidden = action_conflict(organisation_ids=organisation_ids, conflicts=viewer_conflicts)
        means = []
        for juror in jurors:
            if action_conflict(organisation_ids=organisation_ids,
                               conflicts=memberships.get(juror.user_id, frozenset())):
                row.conflicted.append(juror)
            review = reviews.get((juror.pk, action.pk))
            if review is not None:
                row.reviews.append(review)
                if review.complete:
                    means.append(review.weighted_mean)
        if action.pk in raw:
            row.score, row.jurors = raw[action.pk].score, raw[action.pk].jurors
        if action.pk in normalised:
            row.normalised = normalised[action.pk].score
        if means:
            row.minimum, row.maximum, row.stdev = min(means), max(means), statistics.pstdev(means)
        rows.append(row)

    rankings = [result for result in campaign_results(campaign=campaign, as_of=now) if result.is_judged]
    people = chair_subject_rows(campaign=campaign, user=user, kind=SUBJECT_NOMINEE, now=now, jurors=jurors,
                                members=members) if any(r.is_people for r in rankings) else []
    organisations = chair_subject_rows(campaign=campaign, user=user, kind=SUBJECT_ORGANISATION, now=now,
                                       jurors=jurors, members=members) if any(r.is_wonder for r in rankings) else []
    kinds = [("actions", rows) if any(r.is_jury for r in rankings) or rows else None,
             ("people", people) if any(r.is_people for r in rankings) else None,
             ("organisations", organisations) if any(r.is_wonder for r in rankings) else None]
    kinds = [item for item in kinds if item is not None]
    progress = [
        juror_progress(juror=juror, parts=[kind_progress(kind=kind, juror=juror, rows=kind_rows)
                                           for kind, kind_rows in kinds])
        for juror in jurors
    ]
    return ChairOverview(
        campaign=campaign, criteria=criteria, jurors=progress, rows=_sorted_rows(rows, sort),
        rankings=rankings, normalise=campaign.normalise_scores, people=people, organisations=organisations,
        progress_kinds=[kind for kind, _rows in kinds],
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def chair_csv(overview: ChairOverview) -> str:
    """The chair's view as CSV: one line per entry, then each juror's criterion scores, weighted
    mean and comment (entries the viewing chair has a conflict with carry no individual scores)."""
    buffer = io.StringIO()
    writer = SafeWriter(csv.writer(buffer))
    header = [_("Action ID"), _("Action"), _("Organisation"), _("Jury categories"), _("Jury score")]
    if overview.normalise:
        header.append(_("Normalised score"))
    header += [_("Jurors"), _("Lowest"), _("Highest"), _("Standard deviation")]
    for item in overview.jurors:
        name = item.juror.display_name
        header += [f"{name}: {criterion.name}" for criterion in overview.criteria]
        header += [f"{name}: {_('weighted mean')}", f"{name}: {_('comment')}"]
    writer.writerow(header)
    for row in overview.rows:
        line = [row.action.pk, row.action.title, str(row.action.organisation or ""),
                "; ".join(category.name for category in row.categories), _number(row.score)]
        if overview.normalise:
            line.append(_number(row.normalised))
        line += [row.jurors, _number(row.minimum), _number(row.maximum), _number(row.stdev)]
        by_juror = {review.juror.pk: review for review in row.reviews}
        for item in overview.jurors:
            review = None if row.hidden else by_juror.get(item.juror.pk)
            scores = review.scores if review else {}
            line += [scores.get(criterion.pk, "") for criterion in overview.criteria]
            line += [_number(review.weighted_mean) if review else "", review.comment if review else ""]
        writer.writerow(line)
    if overview.people or overview.organisations:
        writer.writerow([])
        writer.writerow([_("ID"), _("Name"), _("Organisation"), _("Jury categories"), _("Jury score"),
                         _("Normalised score"), _("Jurors"), _("Standard deviation"),
                         _("Jurors' weighted means and comments")])
        writer.writerows(chair_subject_csv(overview.people + overview.organisations))
    writer.writerow([])
    writer.writerow([_("Juror"), _("Kind of entry"), _("Scored"), _("Of entries to score"), _("Partly scored"),
                     _("Status")])
    for item in overview.jurors:
        name = item.juror.display_name
        for part in item.parts:
            writer.writerow([name, part.label, part.scored, part.total, part.partial,
                             _("Finished") if part.finished else _("Not finished")])
    return buffer.getvalue()


# --- Appointing jurors ------------------------------------------------------------------


def juror_invite(*, campaign: Campaign, email: str, is_chair: bool = False) -> tuple[Juror, bool]:
    """Appoint the user with this e-mail address as a juror of the campaign, creating the user
    when there is none (with a verified address and no usable password).

    Everyone invited gets an e-mail with the link to the jury page, in their language; a new
    user's mail also carries a link to set a password (allauth's password reset). Returns the
    juror and whether the user was created.
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    email = email.strip().lower()
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = user_model.objects.create_user(email=email, password=None)
            EmailAddress.objects.update_or_create(user=user, email=email,
                                                  defaults={"verified": True, "primary": True})
        juror, new_juror = Juror.objects.get_or_create(campaign=campaign, user=user, defaults={"is_chair": is_chair})
        if not new_juror and is_chair and not juror.is_chair:
            juror.is_chair = True
            juror.save(update_fields=["is_chair"])
        transaction.on_commit(lambda: _send_invitation(juror=juror, new_user=created))
    return juror, created


def _send_invitation(*, juror: Juror, new_user: bool) -> None:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    user = juror.user
    with translation.override(getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE):
        context = {
            "campaign": juror.campaign, "juror": juror, "site_url": settings.SITE_URL,
            # Through the login page: the jury pages answer 404 to visitors who are not logged in.
            "jury_url": settings.SITE_URL + reverse("account_login") + "?next="
            + reverse("campaigns:jury-list", args=[juror.campaign.slug]),
            "password_url": settings.SITE_URL + reverse("account_reset_password_from_key", kwargs={
                "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user),
            }) if new_user else "",
        }
        subject = render_subject("campaigns/jury_invitation_subject.txt", context)
        body = render_to_string("campaigns/jury_invitation_message.txt", context)
    send_mail(subject, body, None, [user.email])


# --- People (heroes of work) and organisations (wonder-workers) --------------------------------
#
# The same machinery for the other two subjects: the same criteria, deadline and scale checks,
# conflicts (a juror never scores a person from, or an organisation of, their own
# organisation), progress and the chair's figures. Scores come from `scoring.subject_scores`.

SUBJECT_ACTION = "action"
SUBJECT_NOMINEE = "nominee"
SUBJECT_ORGANISATION = "organisation"


@dataclass
class SubjectEntry:
    """A nominated person or a wonder-worker candidate as one juror sees it."""

    kind: str  # "nominee" or "organisation"
    subject: object
    categories: list
    conflict: bool = False
    scored: int = 0
    criteria: int = 0

    @property
    def pk(self) -> int:
        return self.subject.pk

    @property
    def organisation_id(self) -> int | None:
        return self.subject.organisation_id if self.kind == SUBJECT_NOMINEE else self.subject.pk

    @property
    def complete(self) -> bool:
        return not self.conflict and self.criteria > 0 and self.scored >= self.criteria

    @property
    def status(self) -> str:
        if self.conflict:
            return "conflict"
        if self.complete:
            return "complete"
        return "partial" if 0 < self.scored < self.criteria else "unscored"

    @property
    def status_label(self) -> str:
        return ENTRY_STATUS_LABELS[self.status]


def subject_entries(*, juror: Juror, kind: str, now: datetime.datetime) -> list[SubjectEntry]:
    """The juror's people or organisations, by name, with conflicts and scoring progress.

    Conflicts follow `subject_conflict`: a person whose organisation is known only by the typed
    name is a conflict for a juror whose organisation that name seems to mean."""
    from orgs.models import Organisation

    from .models import Nominee
    from .nominations import candidate_ids, nominee_ids

    campaign = juror.campaign
    if kind == SUBJECT_NOMINEE:
        categories = nominee_ids(campaign=campaign)
        subjects = list(Nominee.objects.filter(pk__in=list(categories)).select_related("organisation")
                        .order_by("name", "id"))
    else:
        categories = candidate_ids(campaign=campaign, as_of=now)
        subjects = list(Organisation.objects.filter(pk__in=list(categories)).order_by("name_fi", "id"))
    members = juror_conflicts(juror)
    scored = dict(
        Score.objects.filter(review__juror=juror, criterion__campaign=campaign, **{f"review__{kind}__isnull": False})
        .order_by().values(f"review__{kind}_id").annotate(n=Count("id")).values_list(f"review__{kind}_id", "n")
    )
    criteria = campaign.criteria.count()
    entries = []
    for subject in subjects:
        entry = SubjectEntry(kind=kind, subject=subject, categories=categories[subject.pk], criteria=criteria)
        entry.conflict = subject_conflict(kind=kind, subject=subject, organisations=members)
        entry.scored = 0 if entry.conflict else scored.get(subject.pk, 0)
        entries.append(entry)
    return entries


def subject_conflict(*, kind: str, subject, organisations: list[MemberOrganisation]) -> bool:
    """Is a juror in conflict with `organisations` (`conflicts.conflict_organisations`) in conflict
    with this person or organisation?

    A person's organisation may be known only by the name the nominator typed: then the
    conservative rule of `conflicts.typed_name_conflict` applies until staff set it.
    """
    if kind == SUBJECT_NOMINEE:
        return nominee_conflict(organisation_id=subject.organisation_id,
                                organisation_name=subject.organisation_name, organisations=organisations)
    return any(organisation.id == subject.pk for organisation in organisations)


def subject_find(entries: list[SubjectEntry], pk: int) -> SubjectEntry | None:
    return next((entry for entry in entries if entry.pk == pk), None)


def subject_review_values(*, juror: Juror, kind: str, subject) -> tuple[dict[int, int], str]:
    """The juror's saved scores (criterion id → value) and comment on an action, person or organisation."""
    review = Review.objects.filter(juror=juror, **{kind: subject}).first()
    if review is None:
        return {}, ""
    return dict(review.scores.values_list("criterion_id", "value")), review.comment


def subject_review_save(
    *, juror: Juror, kind: str, subject, scores: dict[int, int | None], comment: str | None,
    now: datetime.datetime,
) -> Review:
    """`review_save` for a nominated person or a wonder-worker candidate: the same checks."""
    from .nominations import candidate_ids, nominee_ids

    campaign = juror.campaign
    _check_open(campaign=campaign, now=now)
    members = juror_conflicts(juror)
    if subject_conflict(kind=kind, subject=subject, organisations=members):
        raise JuryError(conflict_message(kind))
    entries = nominee_ids(campaign=campaign) if kind == SUBJECT_NOMINEE else candidate_ids(campaign=campaign,
                                                                                           as_of=now)
    if subject.pk not in entries:
        raise JuryError(_("This is not an entry in this campaign's jury categories."))
    _check_scores(campaign=campaign, scores=scores)
    with transaction.atomic():
        Juror.objects.select_for_update(of=("self",)).filter(pk=juror.pk).order_by("pk").first()
        review, _created = Review.objects.get_or_create(juror=juror, **{kind: subject})
        _write_scores(review=review, scores=scores, comment=comment)
    return review


@dataclass
class SubjectChairRow:
    kind: str
    subject: object
    categories: list
    score: float | None = None
    normalised: float | None = None
    jurors: int = 0
    stdev: float | None = None
    reviews: list = field(default_factory=list)
    conflicted: list = field(default_factory=list)  # jurors in conflict with this person or organisation
    hidden: bool = False


def chair_subject_rows(*, campaign: Campaign, user, kind: str, now: datetime.datetime, jurors: list | None = None,
                       members: dict | None = None) -> list[SubjectChairRow]:
    """The chair's rows for people or organisations: jury score (raw and normalised), jurors,
    spread, each juror's weighted mean and comment, and the jurors in conflict with each
    (`jurors` and their `members` organisations can be passed in when already loaded).
    A fixed number of queries."""
    from orgs.models import Organisation

    from .models import Nominee
    from .nominations import candidate_ids, nominee_ids
    from .scoring import subject_score_sets

    criteria = list(campaign.criteria.all())
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    if kind == SUBJECT_NOMINEE:
        categories = nominee_ids(campaign=campaign)
        subjects = list(Nominee.objects.filter(pk__in=list(categories)).select_related("organisation")
                        .order_by("name", "id"))
    else:
        categories = candidate_ids(campaign=campaign, as_of=now)
        subjects = list(Organisation.objects.filter(pk__in=list(categories)).order_by("name_fi", "id"))
    if jurors is None:
        jurors = list(campaign.jurors.select_related("user"))
    if members is None:
        members = conflict_organisations(campaign=campaign, user_ids={juror.user_id for juror in jurors} | (
            set() if user.is_staff else {user.pk}))
    viewer = [] if user.is_staff else (members[user.pk] if user.pk in members else conflict_organisations(
        campaign=campaign, user_ids=[user.pk]).get(user.pk, []))
    reviews: dict[int, list] = {}
    for review in (Review.objects.filter(juror__campaign=campaign, **{f"{kind}_id__in": list(categories)})
                   .select_related("juror__user").prefetch_related("scores")):
        scores = {score.criterion_id: score.value for score in review.scores.all() if score.criterion_id in weights}
        reviews.setdefault(getattr(review, f"{kind}_id"), []).append(JurorReview(
            juror=review.juror, scores=scores, comment=review.comment,
            weighted_mean=weighted_mean(scores, weights), cells=[scores.get(c.pk) for c in criteria],
        ))
    score_sets = subject_score_sets(campaign=campaign, subject=kind)
    raw = jury_scores(score_sets, normalise=False)
    normalised = jury_scores(score_sets, normalise=True) if campaign.normalise_scores else {}
    rows = []
    for subject in subjects:
        row = SubjectChairRow(kind=kind, subject=subject, categories=categories[subject.pk],
                              reviews=reviews.get(subject.pk, []),
                              hidden=subject_conflict(kind=kind, subject=subject, organisations=viewer))
        row.conflicted = [juror for juror in jurors if subject_conflict(
            kind=kind, subject=subject, organisations=members.get(juror.user_id, []))]
        if subject.pk in raw:
            row.score, row.jurors = raw[subject.pk].score, raw[subject.pk].jurors
            means = [review.weighted_mean for review in row.reviews if review.complete]
            row.stdev = statistics.pstdev(means) if means else None
        if subject.pk in normalised:
            row.normalised = normalised[subject.pk].score
        rows.append(row)
    rows.sort(key=lambda row: (row.score is None, -(row.score or 0)))
    return rows


def chair_subject_csv(rows: list[SubjectChairRow]) -> list[list]:
    """Lines for the chair's CSV: one per person or organisation (after the actions)."""
    lines = []
    for row in rows:
        label = _("Person") if row.kind == SUBJECT_NOMINEE else _("Organisation")
        name = str(row.subject)
        organisation = row.subject.organisation_display if row.kind == SUBJECT_NOMINEE else ""
        comments = "" if row.hidden else " | ".join(
            f"{review.juror.display_name}: {_number(review.weighted_mean)} {review.comment}"
            .strip() for review in row.reviews)
        lines.append([f"{label} {row.subject.pk}", name, organisation,
                      "; ".join(category.name for category in row.categories), _number(row.score),
                      _number(row.normalised), row.jurors, _number(row.stdev), comments])
    return lines
