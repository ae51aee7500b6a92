"""Public reads of development actions: the filtered, searched and sorted list, the
engagement block of an action, front-page figures and organisation sections (the filters are in
arena/filters.py, the statistics in arena/statistics.py).

Only published actions are ever returned. Every function here costs a constant number
of queries, whatever the number of actions, images, likes or adoptions.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchRank
from django.core.paginator import Page
from django.template.loader import render_to_string
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.models import Organisation

from .cache import ACTIONS, COUNTS_TIMEOUT, TAXONOMY, VALUE_TIMEOUT, action_scope, cached, organisation_scope
from .filters import action_filters, filter_choices
from .pagination import CountedPaginator
from .models import Action, ActionImage, Adoption, Like, PublishedTally, Report
from .permissions import user_organisations
from .tallies import published_tallies
from .search import ParsedQuery, parse_query

PAGE_SIZE = 24
Kind = PublishedTally.Kind

# Statistics Finland welfare-area codes that are not wellbeing services counties.
# --- The list ----------------------------------------------------------------------

SORTS = {
    "relevance": gettext_lazy("Best match"),
    "newest": gettext_lazy("Newest"),
    "likes": gettext_lazy("Most liked"),
    "adoptions": gettext_lazy("Most adopted"),
}
SORT_ORDER = {
    "newest": ("-published_at", "-id"),
    "likes": ("-like_count", "-published_at", "-id"),
    "adoptions": ("-adoption_count", "-published_at", "-id"),
}


@dataclass
class FilterState:
    name: str
    label: str
    choices: list[tuple[str, str]]
    selected: str = ""

    @property
    def selected_label(self) -> str:
        return dict(self.choices).get(self.selected, "")


@dataclass
class ActionBrowse:
    """The result of reading the list's parameters: what to show and what was ignored."""

    queryset: QuerySet
    query: ParsedQuery
    filters: list[FilterState]
    sort: str
    sorts: list[tuple[str, str]]
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def searching(self) -> bool:
        return bool(self.query.text)

    @property
    def active_filters(self) -> list[FilterState]:
        return [f for f in self.filters if f.selected]

    def params(self, **override) -> dict[str, str]:
        """The applied parameters (ignored ones dropped), for links that keep them."""
        values = {f.name: f.selected for f in self.filters if f.selected}
        if self.query.text:
            values["q"] = self.query.text
        if self.submitted_from:
            values["submitted_from"] = self.submitted_from.isoformat()
        if self.submitted_to:
            values["submitted_to"] = self.submitted_to.isoformat()
        if self.sort != self.default_sort:
            values["sort"] = self.sort
        values.update(override)
        return {key: value for key, value in values.items() if value}

    @property
    def default_sort(self) -> str:
        return "relevance" if self.query.terms else "newest"


def _parse_date(value: str):
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def action_browse(params, *, with_choices: bool = True) -> ActionBrowse:
    """Published actions narrowed by the request's parameters (a QueryDict or dict).

    Unknown filter values, bad dates and unknown sorts are ignored, each with a notice.
    """
    get = params.get
    notices: list[str] = []
    qs = Action.objects.published()
    states = []
    filters = action_filters()
    raws = {action_filter.name: (get(action_filter.name) or "").strip() for action_filter in filters}
    all_choices = filter_choices() if (with_choices or any(raws.values())) else {}
    for action_filter in filters:
        raw = raws[action_filter.name]
        state = FilterState(action_filter.name, str(action_filter.label), all_choices.get(action_filter.name, []))
        if raw:
            if raw in dict(state.choices):
                state.selected = raw
                qs = action_filter.apply(qs, raw)
            else:
                notices.append(_("The value “%(value)s” of the filter “%(filter)s” is unknown and was ignored.")
                               % {"value": raw[:80], "filter": action_filter.label})
        states.append(state)

    dates = {}
    for name in ("submitted_from", "submitted_to"):
        raw = (get(name) or "").strip()
        dates[name] = _parse_date(raw) if raw else None
        if raw and dates[name] is None:
            notices.append(_("“%(value)s” is not a date (use YYYY-MM-DD) and was ignored.") % {"value": raw[:40]})
    if dates["submitted_from"]:
        qs = qs.filter(submitted_at__gte=_day_start(dates["submitted_from"]))
    if dates["submitted_to"]:
        qs = qs.filter(submitted_at__lt=_day_start(dates["submitted_to"] + datetime.timedelta(days=1)))

    query = parse_query(get("q") or "")
    if query.too_long:
        notices.append(_("The search is too long: use at most %(max)d characters.") % {"max": 200})
        qs = qs.none()
    elif query.text and query.is_empty:
        notices.append(_("The search has no words to look for. Try letters or numbers."))
        qs = qs.none()
    elif query.terms:
        search_query = query.search_query
        qs = qs.filter(search_vector=search_query).annotate(rank=SearchRank(F("search_vector"), search_query))

    sorts = [(key, str(label)) for key, label in SORTS.items() if key != "relevance" or query.terms]
    default_sort = "relevance" if query.terms else "newest"
    sort = (get("sort") or "").strip() or default_sort
    if sort not in dict(sorts):
        notices.append(_("The sort order “%(value)s” is unknown; the default was used.") % {"value": sort[:40]})
        sort = default_sort
    if sort == "relevance":
        qs = qs.order_by("-rank", "-published_at", "-id")
    else:
        qs = qs.order_by(*SORT_ORDER[sort])
    return ActionBrowse(queryset=qs, query=query, filters=states, sort=sort, sorts=sorts,
                        submitted_from=dates["submitted_from"], submitted_to=dates["submitted_to"],
                        notices=notices)


# A list pages through at most its first RESULT_CAP actions and counts its matches up to there ("more
# than 1 000"): what a page costs stays bounded however many actions match. A search ranks the
# RESULT_CAP newest matches by relevance (all of them while there are fewer).
RESULT_CAP = 1000


def _published_total() -> int:
    """Every published action, from the kept counts (arena/tallies.py)."""
    return _front_page_figures_now()["actions"]


def _ranked_candidates(browse: ActionBrowse) -> QuerySet:
    """The RESULT_CAP newest matches of the search, ordered by relevance."""
    search_query = browse.query.search_query
    candidates = browse.queryset.order_by("-published_at", "-id").values("pk")[:RESULT_CAP]
    return (Action.objects.filter(pk__in=candidates)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-published_at", "-id"))


def _few_matches_ordered(browse: ActionBrowse) -> QuerySet:
    """At most RESULT_CAP matches, found first (by the filters' own indexes) and then sorted.

    Asked for in the list's order directly, PostgreSQL may walk every published action newest
    first until it has found a page of rare matches (a sector in a small region: 70 000 rows read
    at 1 000 000 actions); the LIMIT keeps the matches' subquery from being merged into that walk.
    """
    matches = browse.queryset.order_by().values("pk")[:RESULT_CAP]
    return Action.objects.filter(pk__in=matches).order_by(*SORT_ORDER[browse.sort])


def browse_page(browse: ActionBrowse, page_param) -> tuple[Page, list[int]]:
    """The page (number, count, links) of the browsed actions and the ids of its actions.

    Kept in the shared cache under the `actions` scope (one cache read). Bounded whatever the
    number of matches: the count stops at RESULT_CAP + 1 (the list without filters is counted
    exactly from the kept counts), pages reach the first RESULT_CAP actions, and a search ranks at
    most RESULT_CAP candidates. Likes and adoptions do not renew it, so a list sorted by them lags
    by `COUNTS_TIMEOUT`; the cards themselves are per action (`arena.views_browse`), loaded by id
    (`browse_cards`).
    """
    def page_ids():
        unfiltered = not browse.query.text and not any(
            key != "sort" for key in browse.params())
        if unfiltered:
            total = _published_total()
            capped = False
        else:
            total = browse.queryset.order_by().values("pk")[:RESULT_CAP + 1].count()
            capped = total > RESULT_CAP
            total = min(total, RESULT_CAP)
        if browse.sort == "relevance":
            ordered = _ranked_candidates(browse)
        elif unfiltered or capped:
            ordered = browse.queryset  # many matches: the list's order finds a page of them at once
        else:
            ordered = _few_matches_ordered(browse)
        reachable = min(total, RESULT_CAP)
        paginator = CountedPaginator(ordered.values_list("pk", flat=True), PAGE_SIZE, count=reachable)
        page = paginator.get_page(page_param)  # not a number → 1, out of range → the last page
        return page.number, reachable, total, capped, list(page.object_list)

    key = "arena:browse-page:" + hashlib.sha256(
        urlencode(sorted(browse.params().items())).encode() + b"&page=" + str(page_param).encode()).hexdigest()
    timeout = COUNTS_TIMEOUT if browse.sort in ("likes", "adoptions") else VALUE_TIMEOUT
    number, reachable, total, capped, pks = cached(key, page_ids, scopes=[ACTIONS], timeout=timeout)
    paginator = CountedPaginator(range(reachable), PAGE_SIZE, count=reachable, total=total, capped=capped)
    return paginator.get_page(number), pks


def browse_cards(browse: ActionBrowse, pks: list[int]) -> list[Action]:
    """The actions with these ids, in this order, with what a card shows (3 queries)."""
    cards = with_card_data(Action.objects.published().filter(pk__in=pks), with_text=bool(browse.query.terms))
    by_pk = {action.pk: action for action in cards}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def images_prefetch() -> Prefetch:
    """The images of each action, cover first: `action.ordered_images[0]` is the card's picture."""
    return Prefetch(
        "images",
        queryset=ActionImage.objects.order_by("-is_cover", "position", "id").only(
            "id", "action_id", "thumb_small", "thumb_small_jpeg", "alt_text", "is_cover", "position"),
        to_attr="ordered_images",
    )


def with_card_data(qs: QuerySet, *, with_text: bool = False) -> QuerySet:
    """What an action card shows: organisation, sectors, cover image (3 queries per page)."""
    qs = qs.select_related("organisation").prefetch_related("sectors", images_prefetch())
    if not with_text:
        qs = qs.defer("need", "solution", "results", "tips", "search_vector")
    else:
        qs = qs.defer("search_vector")
    return qs


# --- Engagement block of the detail page -------------------------------------------

@dataclass
class Adoptions:
    """Who adopted an action: their list as HTML (the same for everyone) and {organisation id: name}."""

    html: str
    organisations: dict[int, str]

    def __len__(self) -> int:
        return len(self.organisations)


def action_adoptions(action: Action) -> Adoptions:
    """Who adopted the action, newest first, in the current language, rendered once and kept under
    the action's scope (an adoption or its withdrawal renews it) and the taxonomy's."""
    def compute():
        adoptions = [
            {"organisation_id": adoption.organisation_id, "organisation": str(adoption.organisation.name),
             "note": adoption.note}
            for adoption in Adoption.objects.filter(action=action).select_related("organisation").order_by("-created_at")
        ]
        return Adoptions(
            html=render_to_string("arena/includes/action_adoptions.html", {"adoptions": adoptions}),
            organisations={a["organisation_id"]: a["organisation"] for a in adoptions})

    return cached(f"arena:adoptions:{action.pk}:{get_language()}", compute, scopes=[action_scope(action.pk), TAXONOMY])


def engagement_context(request, action: Action) -> dict:
    """What `arena/includes/action_engagement.html` needs: at most 3 queries (the adoptions, kept
    under the action's scope; the visitor's like and organisations)."""
    user = request.user
    adoptions = action_adoptions(action)
    liked = False
    adopt_choices: list[Organisation] = []
    adopted_by_user_orgs: list[dict] = []
    if user.is_authenticated:
        liked = Like.objects.filter(action=action, user=user).exists()
        member_of = list(user_organisations(user).only("pk", "name").order_by("name"))
        adopt_choices = [o for o in member_of
                         if o.pk != action.organisation_id and o.pk not in adoptions.organisations]
        adopted_by_user_orgs = [{"organisation_id": o.pk, "organisation": adoptions.organisations[o.pk]}
                                for o in member_of if o.pk in adoptions.organisations]
    return {
        "action": action,
        "like_count": action.like_count,
        "adoption_count": action.adoption_count,
        "liked": liked,
        "adoptions": adoptions,
        "adopt_choices": adopt_choices,
        "withdrawable_adoptions": adopted_by_user_orgs,
        "report_reasons": Report.Reason.choices,
        "next_url": action.get_absolute_url(),
    }


# --- Front page --------------------------------------------------------------------

def front_page_figures() -> dict:
    """Published actions, organisations with published actions, adoptions of them: one query over the
    kept counts (arena/tallies.py), kept under the `actions` scope; the adoptions lag by
    `COUNTS_TIMEOUT` (an adoption renews only its action)."""
    return cached("arena:front-page-figures", _front_page_figures_now, scopes=[ACTIONS], timeout=COUNTS_TIMEOUT)


def _front_page_figures_now() -> dict:
    figures = PublishedTally.objects.filter(kind=Kind.ORGANISATION).aggregate(
        published=Coalesce(Sum("actions"), 0),
        organisations=Count("id", filter=Q(actions__gt=0, organisation__isnull=False)),
        adopted=Coalesce(Sum("adoptions"), 0),
    )
    return {"actions": figures["published"], "organisations": figures["organisations"],
            "adoptions": figures["adopted"]}


def latest_actions(limit: int = 6) -> list[Action]:
    return list(with_card_data(Action.objects.published().order_by("-published_at", "-id"))[:limit])


def most_liked_actions(limit: int = 6) -> list[Action]:
    qs = Action.objects.published().filter(like_count__gt=0).order_by("-like_count", "-published_at", "-id")
    return list(with_card_data(qs)[:limit])


# --- Organisation page sections (registered in ArenaConfig.ready) ------------------

def _kept_section(key: str, build, *, organisation) -> dict | None:
    """An organisation page section that is the same for everyone: rendered once per language and
    kept while the published actions and the organisation's own scope stay the same; the counts on
    its cards lag by `COUNTS_TIMEOUT` (a like renews only its action)."""
    def render():
        spec = build()
        if spec is None:
            return None
        return {"title": str(spec["title"]), "order": spec["order"],
                "html": render_to_string(spec["template"], spec["context"])}

    return cached(f"{key}:{get_language()}", render, scopes=[ACTIONS, TAXONOMY, organisation_scope(organisation.pk)],
                  timeout=COUNTS_TIMEOUT)


def organisation_actions_section(request, organisation):
    """The organisation's published actions (latest first)."""
    def build():
        qs = Action.objects.published().filter(organisation=organisation).order_by("-published_at", "-id")
        actions = list(with_card_data(qs)[:12])
        if not actions:
            return None
        total = len(actions) if len(actions) < 12 else (
            published_tallies(Kind.ORGANISATION).filter(organisation=organisation).values_list("actions", flat=True).first()
            or len(actions))
        return {
            "title": _("Actions"),
            "template": "arena/includes/organisation_actions.html",
            "context": {"organisation": organisation, "actions": actions, "total": total},
            "order": 10,
        }

    return _kept_section(f"arena:organisation-actions:{organisation.pk}", build, organisation=organisation)


def organisation_adoptions_section(request, organisation):
    """The published actions the organisation has adopted."""
    def build():
        adoptions = list(
            Adoption.objects.filter(organisation=organisation, action__status=Action.Status.PUBLISHED)
            .select_related("action", "action__organisation").order_by("-created_at")[:50]
        )
        if not adoptions:
            return None
        return {
            "title": _("Adopted from others"),
            "template": "arena/includes/organisation_adoptions.html",
            "context": {"organisation": organisation, "adoptions": adoptions},
            "order": 20,
        }

    return _kept_section(f"arena:organisation-adoptions:{organisation.pk}", build, organisation=organisation)

