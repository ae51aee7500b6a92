"""Campaign rankings: one time-parameterised function per award category kind.

The rules (DESIGN.md, "Campaign rules" and "Jury"):

- An action is eligible when it is published and its `submitted_at`, in Europe/Helsinki,
  falls on a date within the campaign period (both ends included). The organisation
  credited is the action's own organisation, never a partner; only organisations of the
  campaign's eligible kinds take part.
- Ties share a rank ("1, 2, 2, 4") and are listed by name within the tie.
- Every row carries the figures that explain its rank.

Counting is done by the database: one aggregate query per category (plus, for jury
categories, one query for the campaign's score sets, shared by all its jury categories).
Nothing here reads the clock: `as_of` is always passed in.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from fractions import Fraction

from django.db import connection
from django.db.models import (
    CharField, Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

from arena.models import Action, ActionImage
from orgs.models import Organisation

from .models import AwardCategory, Campaign
from .scoring import JuryScore, campaign_score_sets, jury_scores, subject_scores

LANGUAGES = ("fi", "sv", "en")

# Reasons a row is listed apart instead of ranked.
NO_EMPLOYEE_COUNT = "no_employee_count"
BELOW_MINIMUM = "below_minimum"
NOT_SCORED = "not_scored"
ALREADY_AWARDED = "already_awarded"
NO_CONSENT = "no_consent"


def localised(names: dict, language: str | None = None) -> str:
    """The name in the given (or current) language, falling back to fi, sv, en."""
    language = (language or get_language() or "fi")[:2]
    for code in (language, *LANGUAGES):
        if names.get(code):
            return names[code]
    return ""


_NORDIC_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def name_key(name: str) -> str:
    """Sort key for names in Finnish and Swedish order (å, ä, ö after z)."""
    return name.casefold().translate(_NORDIC_ORDER)


def competition_ranks(values: list) -> list[int]:
    """Ranks for values already sorted best first: equal values share a rank ("1, 2, 2, 4")."""
    ranks = []
    for index, value in enumerate(values):
        ranks.append(ranks[-1] if index and value == values[index - 1] else index + 1)
    return ranks


# --- Rows -----------------------------------------------------------------------------


@dataclass
class OrganisationRow:
    """An organisation's line in a "most actions" or "per 1 000 employees" category."""

    organisation_id: int
    names: dict
    slug: str
    logo: str
    actions: int
    rank: int | None = None
    employees: int | None = None
    per_thousand: float | None = None
    reason: str = ""
    score: float | None = None  # wonder-worker categories: the jury's figures
    jurors: int = 0
    spread: float | None = None
    awarded_in: dict = field(default_factory=dict)
    action_titles: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return localised(self.names)

    @property
    def title(self) -> str:  # the jury's tables show every subject by "title"
        return self.name

    @property
    def organisation_name(self) -> str:
        return self.name


@dataclass
class ActionRow:
    """An action's line in a jury category."""

    action_id: int
    title: str
    organisation_id: int | None
    organisation_names: dict
    organisation_logo: str = ""
    cover: str = ""
    cover_alt: str = ""
    rank: int | None = None
    score: float | None = None
    jurors: int = 0
    spread: float | None = None
    reason: str = ""
    awarded_in: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.title

    @property
    def organisation_name(self) -> str:
        return localised(self.organisation_names)


@dataclass
class PersonRow:
    """A nominated person's line in a "heroes of work" category.

    The name, job title and organisation are personal data: public pages show them only when
    `consent` is true (see `public_person_rows`).
    """

    nominee_id: int
    person_name: str
    job_title: str
    organisation_id: int | None
    organisation_names: dict
    consent: bool = False
    nominations: int = 0
    rank: int | None = None
    score: float | None = None
    jurors: int = 0
    spread: float | None = None
    reason: str = ""
    awarded_in: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.person_name

    @property
    def title(self) -> str:
        return self.person_name

    @property
    def organisation_name(self) -> str:
        return localised(self.organisation_names)

    def withhold(self) -> None:
        """Remove everything personal (public pages and the gala, without consent)."""
        self.person_name, self.job_title, self.consent = "", "", False


@dataclass
class CategoryResult:
    category_id: int
    kind: str
    names: dict
    position: int
    winners: int
    rows: list = field(default_factory=list)
    unranked: list = field(default_factory=list)
    min_actions: int | None = None
    employee_year: int | None = None

    @property
    def name(self) -> str:
        return localised(self.names)

    @property
    def is_jury(self) -> bool:
        return self.kind == AwardCategory.Kind.JURY

    @property
    def is_people(self) -> bool:
        return self.kind == AwardCategory.Kind.JURY_PEOPLE

    @property
    def is_wonder(self) -> bool:
        return self.kind == AwardCategory.Kind.JURY_ORGANISATIONS

    @property
    def is_judged(self) -> bool:
        """Any jury category (actions, people or organisations): the public sees only the winners."""
        return self.kind in JUDGED_KINDS

    def display_rows(self) -> list:
        """Ranked rows by rank, then by name in the current language within a tie."""
        return sorted(self.rows, key=lambda row: (row.rank, name_key(row.name)))

    def winner_rows(self) -> list:
        """The top list: every row ranked within the number of winners (ties at the edge included)."""
        winners = [row for row in self.rows if row.rank is not None and row.rank <= self.winners]
        return sorted(winners, key=lambda row: (row.rank, name_key(row.name)))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> CategoryResult:
        row_class = {AwardCategory.Kind.JURY: ActionRow, AwardCategory.Kind.JURY_PEOPLE: PersonRow}.get(
            data["kind"], OrganisationRow)
        return cls(**{
            **data,
            "rows": [row_class(**row) for row in data.get("rows", [])],
            "unranked": [row_class(**row) for row in data.get("unranked", [])],
        })


def _names(values: dict, prefix: str) -> dict:
    return {code: values.get(f"{prefix}name_{code}") or "" for code in LANGUAGES}


def _category_result(category: AwardCategory) -> CategoryResult:
    return CategoryResult(
        category_id=category.pk, kind=category.kind, position=category.position, winners=category.winners,
        names={code: getattr(category, f"name_{code}") or "" for code in LANGUAGES},
    )


# --- Eligibility ----------------------------------------------------------------------


def eligibility_window(*, campaign: Campaign, as_of: datetime.datetime) -> Q:
    """Q on Action: published, submitted within the period (Helsinki dates) and not after `as_of`."""
    return (
        Q(status=Action.Status.PUBLISHED)
        & Q(submitted_at__gte=campaign.period_start, submitted_at__lt=campaign.period_end)
        & Q(submitted_at__lte=as_of)
        & Q(organisation__kind__in=campaign.eligible_kinds)
    )


def eligible_actions(*, campaign: Campaign, as_of: datetime.datetime) -> QuerySet[Action]:
    """The campaign's eligible actions at `as_of` (each credited to its own organisation)."""
    return Action.objects.filter(eligibility_window(campaign=campaign, as_of=as_of))


# --- Organisation categories ------------------------------------------------------------


def _from_organisation(q: Q) -> Q:
    """The same condition on Action, written from the organisation's side (`actions__…`)."""
    result = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            result.children.append(_from_organisation(child))
        else:
            key, value = child
            key = key.removeprefix("organisation__") if key.startswith("organisation__") else f"actions__{key}"
            result.children.append((key, value))
    return result


def _organisation_rows(*, campaign: Campaign, as_of: datetime.datetime,
                       employee_year: int | None = None) -> list[OrganisationRow]:
    """One grouped query: eligible actions per organisation (and, if asked, its employee count).

    Written from the organisation's side, so that PostgreSQL groups by the organisation's id alone
    (as the raw aggregate does) instead of by every column shown, and the organisation's names,
    slug and logo come with the count.
    """
    queryset = (
        Organisation.objects.filter(_from_organisation(eligibility_window(campaign=campaign, as_of=as_of)))
        .order_by()
        .annotate(eligible=Count("actions"))
    )
    fields = ["id", "name_fi", "name_sv", "name_en", "slug", "logo", "eligible"]
    if employee_year is not None:
        # A LEFT JOIN on the year's count (one row at most: unique per organisation and year).
        queryset = queryset.annotate(year_count=FilteredRelation(
            "employee_counts", condition=Q(employee_counts__year=employee_year)))
        fields.append("year_count__employees")
    # The ORM writes the query; its thousand plain rows are read straight from the cursor, which
    # costs a third of what building them through the (translation-aware) queryset costs.
    # The columns come in the compiler's order, named by their aliases.
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = {column.name: index for index, column in enumerate(cursor.description)}
        found = cursor.fetchall()
    pk, fi, sv, en, slug, logo, eligible = (columns[name] for name in fields[:7])
    employees = columns.get("year_count__employees")
    return [
        OrganisationRow(
            organisation_id=values[pk], names={"fi": values[fi] or "", "sv": values[sv] or "", "en": values[en] or ""},
            slug=values[slug], logo=values[logo] or "", actions=values[eligible],
            employees=values[employees] if employees is not None else None,
        )
        for values in found
    ]


def _fi_name(row) -> str:
    return localised(row.names, "fi") if isinstance(row, OrganisationRow) else row.title


def _rank(rows: list, value) -> list:
    """Sort best first, by name within ties, and give competition ranks."""
    rows.sort(key=lambda row: name_key(_fi_name(row)))
    rows.sort(key=value, reverse=True)  # stable: the names' order stays within a tie
    for row, rank in zip(rows, competition_ranks([value(row) for row in rows]), strict=True):
        row.rank = rank
    return rows


def rank_most_actions(*, campaign: Campaign, category: AwardCategory, as_of: datetime.datetime) -> CategoryResult:
    """Organisations by number of eligible actions."""
    result = _category_result(category)
    result.rows = _rank(_organisation_rows(campaign=campaign, as_of=as_of), lambda row: row.actions)
    return result


def rank_per_employee(*, campaign: Campaign, category: AwardCategory, as_of: datetime.datetime) -> CategoryResult:
    """Organisations by eligible actions per 1 000 employees (count of the category's year).

    Organisations without an employee count for that year, or with fewer eligible actions
    than the category's minimum, are listed apart with the reason.
    """
    result = _category_result(category)
    result.min_actions = category.min_actions
    result.employee_year = category.year
    ranked, apart = [], []
    for row in _organisation_rows(campaign=campaign, as_of=as_of, employee_year=category.year):
        if not row.employees:
            row.reason = NO_EMPLOYEE_COUNT
            apart.append(row)
            continue
        row.per_thousand = round(row.actions * 1000 / row.employees, 2)
        if row.actions < category.min_actions:
            row.reason = BELOW_MINIMUM
            apart.append(row)
        else:
            ranked.append(row)
    # Only true ties share a rank: the float orders quickly, the exact fraction settles equal floats.
    ratios = {row.organisation_id: (row.actions * 1000 / row.employees, Fraction(row.actions * 1000, row.employees))
              for row in ranked}
    result.rows = _rank(ranked, lambda row: ratios[row.organisation_id])
    apart.sort(key=lambda row: (row.reason, -row.actions, name_key(localised(row.names, "fi"))))
    result.unranked = apart
    return result


# --- Jury -----------------------------------------------------------------------------

def _category_actions(*, campaign: Campaign, category: AwardCategory, as_of: datetime.datetime):
    """Eligible actions limited by the category's themes, sectors and shortlist (each when given)."""
    themes = AwardCategory.themes.through.objects.filter(awardcategory_id=category.pk)
    sectors = AwardCategory.sectors.through.objects.filter(awardcategory_id=category.pk)
    shortlist = AwardCategory.shortlist.through.objects.filter(awardcategory_id=category.pk)
    cover = ActionImage.objects.filter(action_id=OuterRef("pk")).order_by("-is_cover", "position", "id")
    return (
        eligible_actions(campaign=campaign, as_of=as_of)
        .filter(
            ~Exists(themes) | Exists(Action.themes.through.objects.filter(
                action_id=OuterRef("pk"), theme_id__in=themes.values("theme_id"))),
            ~Exists(sectors) | Exists(Action.sectors.through.objects.filter(
                action_id=OuterRef("pk"), sector_id__in=sectors.values("sector_id"))),
            ~Exists(shortlist) | Q(pk__in=shortlist.values("action_id")),
        )
        .order_by()
        .values(
            "id", "title", "organisation_id", "organisation__name_fi", "organisation__name_sv",
            "organisation__name_en", "organisation__logo",
        )
        .annotate(
            cover=Subquery(cover.annotate(
                path=Coalesce(NullIf(F("thumb_large_jpeg"), Value("")), F("image"), output_field=CharField()),
            ).values("path")[:1]),
            cover_alt=Subquery(cover.values("alt_text")[:1]),
        )
    )


def rank_jury(
    *, campaign: Campaign, category: AwardCategory, as_of: datetime.datetime,
    scores: dict[int, JuryScore] | None = None, already_awarded: dict[int, dict] | None = None,
) -> CategoryResult:
    """Actions by jury score. Actions without a complete score set, or (with one award per action)
    already awarded in an earlier jury category, are listed apart with the reason."""
    if scores is None:
        scores = jury_scores(campaign_score_sets(campaign=campaign), normalise=campaign.normalise_scores)
    already_awarded = already_awarded or {}
    result = _category_result(category)
    ranked, apart = [], []
    for values in _category_actions(campaign=campaign, category=category, as_of=as_of):
        jury = scores.get(values["id"])
        row = ActionRow(
            action_id=values["id"], title=values["title"], organisation_id=values["organisation_id"],
            organisation_names=_names(values, "organisation__"), organisation_logo=values["organisation__logo"] or "",
            cover=values["cover"] or "", cover_alt=values["cover_alt"] or "",
        )
        if jury is not None:
            row.score, row.jurors, row.spread = round(jury.score, 4), jury.jurors, round(jury.spread, 4)
        if values["id"] in already_awarded:
            row.reason, row.awarded_in = ALREADY_AWARDED, already_awarded[values["id"]]
            apart.append(row)
        elif jury is None:
            row.reason = NOT_SCORED
            apart.append(row)
        else:
            ranked.append(row)
    result.rows = _rank(ranked, lambda row: round(scores[row.action_id].score, 9))
    apart.sort(key=lambda row: (row.reason, name_key(row.title)))
    result.unranked = apart
    return result


# --- Jury on people and on organisations ---------------------------------------------------

JUDGED_KINDS = (AwardCategory.Kind.JURY, AwardCategory.Kind.JURY_PEOPLE, AwardCategory.Kind.JURY_ORGANISATIONS)


def _with_jury(row, jury: JuryScore | None, key, awarded: dict, ranked: list, apart: list, *,
               held_back: str = "") -> None:
    """The row with its jury score, in `ranked` or in `apart` with the reason; `held_back` is a
    reason that keeps it out of the places whatever its score."""
    if jury is not None:
        row.score, row.jurors, row.spread = round(jury.score, 4), jury.jurors, round(jury.spread, 4)
    if held_back:
        row.reason = held_back
        apart.append(row)
    elif key in awarded:
        row.reason, row.awarded_in = ALREADY_AWARDED, awarded[key]
        apart.append(row)
    elif jury is None:
        row.reason = NOT_SCORED
        apart.append(row)
    else:
        ranked.append(row)


def rank_jury_people(
    *, campaign: Campaign, category: AwardCategory, as_of: datetime.datetime,
    scores: dict[int, JuryScore] | None = None, already_awarded: dict | None = None,
) -> CategoryResult:
    """Nominated people by jury score (everyone nominated in the category whose consent is not
    refused or withdrawn). Each row records whether the person consented to being named.

    Only a person who has given consent takes a place: "without consent the nomination stays
    private to staff and jury and is never shown publicly or at the gala", so an award place
    that could never be announced would be an empty slot at the gala. A person whose consent
    is still pending is scored by the jury as usual but listed apart (`NO_CONSENT`), which tells
    staff on the results preview to get the answer before freezing; the next person takes the
    place. Consent is read as it stands when this runs, so the frozen snapshot records it as
    it was at freezing. A consent withdrawn *after* freezing does not change the snapshot: the
    award record stays and public pages hide the name (`public_person_rows`)."""
    from .models import ConsentState, Nominee

    if scores is None:
        scores = subject_scores(campaign=campaign, subject="nominee")
    already_awarded = already_awarded or {}
    result = _category_result(category)
    nominees = (
        Nominee.objects.filter(nominations__category=category)
        .exclude(consent__in=[ConsentState.REFUSED, ConsentState.WITHDRAWN])
        .annotate(n=Count("nominations", filter=Q(nominations__category=category)))
        .select_related("organisation").order_by("name", "id")
    )
    ranked, apart = [], []
    for nominee in nominees:
        organisation = nominee.organisation
        names = ({code: getattr(organisation, f"name_{code}") or "" for code in LANGUAGES} if organisation
                 else {code: nominee.organisation_name for code in LANGUAGES})
        row = PersonRow(
            nominee_id=nominee.pk, person_name=nominee.name, job_title=nominee.job_title,
            organisation_id=nominee.organisation_id, organisation_names=names,
            consent=nominee.consent == ConsentState.GIVEN, nominations=nominee.n,
        )
        _with_jury(row, scores.get(nominee.pk), nominee.pk, already_awarded, ranked, apart,
                   held_back="" if row.consent else NO_CONSENT)
    result.rows = _rank(ranked, lambda row: round(scores[row.nominee_id].score, 9))
    apart.sort(key=lambda row: (row.reason, name_key(row.person_name)))
    result.unranked = apart
    return result


def rank_jury_organisations(
    *, campaign: Campaign, category: AwardCategory, as_of: datetime.datetime,
    scores: dict[int, JuryScore] | None = None, already_awarded: dict | None = None,
) -> CategoryResult:
    """Wonder-worker candidates by jury score, each with its number of eligible actions."""
    from .nominations import organisation_candidates

    if scores is None:
        scores = subject_scores(campaign=campaign, subject="organisation")
    already_awarded = already_awarded or {}
    result = _category_result(category)
    result.min_actions = category.min_actions
    ranked, apart = [], []
    candidates = organisation_candidates(campaign=campaign, category=category, as_of=as_of)
    titles: dict[int, list[str]] = {}
    for organisation_id, title in (
            eligible_actions(campaign=campaign, as_of=as_of)
            .filter(organisation_id__in=[candidate.organisation.pk for candidate in candidates])
            .order_by("organisation_id", "-submitted_at", "id").values_list("organisation_id", "title")):
        titles.setdefault(organisation_id, []).append(title)
    for candidate in candidates:
        organisation = candidate.organisation
        row = OrganisationRow(
            organisation_id=organisation.pk, names={code: getattr(organisation, f"name_{code}") or ""
                                                    for code in LANGUAGES},
            slug=organisation.slug, logo=organisation.logo.name if organisation.logo else "",
            actions=candidate.actions, action_titles=titles.get(organisation.pk, []),
        )
        _with_jury(row, scores.get(organisation.pk), organisation.pk, already_awarded, ranked, apart)
    result.rows = _rank(ranked, lambda row: round(scores[row.organisation_id].score, 9))
    apart.sort(key=lambda row: (row.reason, name_key(localised(row.names, "fi"))))
    result.unranked = apart
    return result


def public_person_rows(categories: list[CategoryResult], *, withhold: bool = True) -> list[CategoryResult]:
    """Withhold the personal data of every person without consent (checked again now, so a
    consent withdrawn after freezing hides the name from a frozen snapshot too). With
    `withhold=False` (staff) only the rows' consent flags are brought up to date."""
    from .models import ConsentState, Nominee

    ids = {row.nominee_id for category in categories if category.is_people
           for row in [*category.rows, *category.unranked]}
    consenting = set(Nominee.objects.filter(pk__in=ids, consent=ConsentState.GIVEN).values_list("pk", flat=True)) \
        if ids else set()
    for category in categories:
        if category.is_people:
            for row in [*category.rows, *category.unranked]:
                if row.nominee_id not in consenting or not row.consent:
                    if withhold:
                        row.withhold()
                    else:
                        row.consent = False
    return categories


# --- Whole campaign -------------------------------------------------------------------

RANKERS = {
    AwardCategory.Kind.MOST_ACTIONS: rank_most_actions,
    AwardCategory.Kind.PER_EMPLOYEE: rank_per_employee,
}


def campaign_ranking(*, campaign: Campaign, category: AwardCategory, as_of: datetime.datetime) -> CategoryResult:
    """One category on its own (jury categories without the one-award-per-action rule)."""
    if category.kind == AwardCategory.Kind.JURY:
        return rank_jury(campaign=campaign, category=category, as_of=as_of)
    if category.kind == AwardCategory.Kind.JURY_PEOPLE:
        return rank_jury_people(campaign=campaign, category=category, as_of=as_of)
    if category.kind == AwardCategory.Kind.JURY_ORGANISATIONS:
        return rank_jury_organisations(campaign=campaign, category=category, as_of=as_of)
    return RANKERS[category.kind](campaign=campaign, category=category, as_of=as_of)


def campaign_results(*, campaign: Campaign, as_of: datetime.datetime) -> list[CategoryResult]:
    """Every category in the staff-given order.

    With "one award per action", jury categories are filled in that order, each skipping
    the actions that won in an earlier one. The rule applies within each kind: people and
    wonder-worker categories are filled the same way among themselves.
    """
    categories = list(campaign.categories.order_by("position", "id"))
    scores = None
    awarded: dict[int, dict] = {}
    subject_awarded: dict[str, dict] = {"nominee": {}, "organisation": {}}
    subject_cache: dict[str, dict] = {}
    results = []
    for category in categories:
        if category.kind in (AwardCategory.Kind.JURY_PEOPLE, AwardCategory.Kind.JURY_ORGANISATIONS):
            people = category.kind == AwardCategory.Kind.JURY_PEOPLE
            subject = "nominee" if people else "organisation"
            if subject not in subject_cache:
                subject_cache[subject] = subject_scores(campaign=campaign, subject=subject)
            ranker = rank_jury_people if people else rank_jury_organisations
            result = ranker(campaign=campaign, category=category, as_of=as_of, scores=subject_cache[subject],
                            already_awarded=subject_awarded[subject] if campaign.one_award_per_action else None)
            for row in result.winner_rows():
                subject_awarded[subject].setdefault(row.nominee_id if people else row.organisation_id, result.names)
            results.append(result)
            continue
        if category.kind != AwardCategory.Kind.JURY:
            results.append(RANKERS[category.kind](campaign=campaign, category=category, as_of=as_of))
            continue
        if scores is None:
            scores = jury_scores(campaign_score_sets(campaign=campaign), normalise=campaign.normalise_scores)
        result = rank_jury(
            campaign=campaign, category=category, as_of=as_of, scores=scores,
            already_awarded=awarded if campaign.one_award_per_action else None,
        )
        for row in result.winner_rows():
            awarded.setdefault(row.action_id, result.names)
        results.append(result)
    return results
