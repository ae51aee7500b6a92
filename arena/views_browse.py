"""Public pages for finding and spreading actions: front page, list and search,
likes, adoptions, reports, statistics and the open-data page."""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs.models import Membership, Organisation

from . import filters, selectors
from .statistics import (
    actions_per_month, actions_per_region, actions_per_sector, actions_per_theme, actions_per_welfare_area,
)
from .cache import (
    ACTIONS, CAMPAIGNS, COUNTS_TIMEOUT, TAXONOMY, action_scope, cached, cached_html, cached_per_item,
    known_query, organisation_scope, public_page,
)
from .charts import horizontal_bars, vertical_bars
from .forms_browse import AdoptForm, ReportForm
from .limits import LimitReached
from .maps import choropleth
from .models import Action
from .search import highlight, snippet
from .services import (
    EngagementError, action_adopt, action_like, action_report, action_unadopt, action_unlike,
)


def _public_lists(request, *args, **kwargs) -> list[str]:
    return [ACTIONS, TAXONOMY]


@public_page(_public_lists, timeout=COUNTS_TIMEOUT)  # its figures and most liked actions lag that long
def home(request):
    context = {
        "figures": selectors.front_page_figures(),
        "latest": _kept_cards("arena:home-latest", selectors.latest_actions),
        "most_liked": _kept_cards("arena:home-most-liked", selectors.most_liked_actions, timeout=COUNTS_TIMEOUT),
    }
    return render(request, "arena/home.html", context)


def _page_links(page, params: dict) -> list[dict]:
    """A short run of page numbers around the current one, with gaps, as links that keep the filters."""
    numbers = sorted({1, page.paginator.num_pages, *range(page.number - 2, page.number + 3)})
    links, previous = [], 0
    for number in numbers:
        if number < 1 or number > page.paginator.num_pages:
            continue
        if number - previous > 1:
            links.append({"gap": True})
        links.append({"number": number, "url": "?" + urlencode({**params, "page": number}),
                      "current": number == page.number})
        previous = number
    return links


def _filter_fields(browse) -> str:
    """The filters' fields (thousands of options: organisations, municipalities…), rendered once per
    language and selection and kept while the published actions and the taxonomy stay the same."""
    selection = "&".join(f"{f.name}={f.selected}" for f in browse.filters if f.selected)
    return cached_html(
        f"arena:filter-fields:{hashlib.sha256(selection.encode()).hexdigest()[:24]}",
        lambda: render_to_string("arena/includes/browse_filter_fields.html", {"filters": browse.filters}),
        scopes=[ACTIONS, TAXONOMY])


def _card_html(pks: list[int], load_actions, *, variant: str = "") -> SafeString:
    """The cards of these actions, in this order (the same for everyone), each rendered once per
    language (and `variant`: the search words it marks) and kept under its action's scope: a like
    renders that one card again, not the page."""
    def render(wanted):
        return {action.pk: render_to_string("arena/includes/action_card.html", {"action": action})
                for action in load_actions(wanted)}

    cards = cached_per_item(f"arena:card:{variant}", list(pks), render, scope_of=action_scope)
    return mark_safe("".join(cards[pk] for pk in pks if pk in cards))  # noqa: S308 (our templates)


def _card_data(pks: list[int]) -> list[Action]:
    return list(selectors.with_card_data(Action.objects.published().filter(pk__in=pks)))


def _kept_cards(key: str, load_actions, *, timeout: int | None = None) -> str:
    """Cards of a list chosen by `load_actions()`: which actions, kept under the `actions` scope
    (for `timeout` seconds when the order follows likes), and each card under its own action;
    "" when there are none."""
    loaded: dict[int, Action] = {}

    def ids():
        loaded.update((action.pk, action) for action in load_actions())
        return list(loaded)

    def cards(wanted):  # those loaded for the ids a moment ago, else read by id
        return [loaded[pk] for pk in wanted] if all(pk in loaded for pk in wanted) else _card_data(wanted)

    pks = cached(key, ids, scopes=[ACTIONS], **({"timeout": timeout} if timeout else {}))
    return _card_html(pks, cards) if pks else ""


def _cards(browse, pks: list[int]) -> str:
    """The list page's cards, each kept per action and search words (their words are marked)."""
    def load_actions(wanted):
        actions = selectors.browse_cards(browse, wanted)
        variants = browse.query.variants
        for action in actions if variants else ():
            action.title_html = highlight(action.title, action.language, variants)
            action.summary_html = highlight(action.summary, action.language, variants)
            if "<mark>" not in action.title_html + action.summary_html:
                for name in ("need", "solution", "results", "tips"):
                    action.snippet_html = snippet(getattr(action, name), action.language, variants)
                    if action.snippet_html:
                        break
        return actions

    words = " ".join(sorted(browse.query.variants)) if browse.query.variants else ""
    return _card_html(pks, load_actions, variant=hashlib.sha256(words.encode()).hexdigest()[:24] if words else "")


def _list_query(request, *args, **kwargs):
    """The list's canonical query string: its known parameters only (`cache.known_query`)."""
    names = [action_filter.name for action_filter in filters.action_filters()]
    return known_query(*names, "q", "submitted_from", "submitted_to", "sort", "page")(request)


@public_page(_public_lists, timeout=COUNTS_TIMEOUT, query=_list_query)  # counts and a like-sorted order lag that long
def action_list(request):
    """The list and search: its form and results are the same for everyone who asks with the same
    query string, rendered once and kept as long as a cached page; only the page around is per visitor."""
    def content():
        browse = selectors.action_browse(request.GET)
        page, pks = selectors.browse_page(browse, request.GET.get("page"))
        context = _list_context(browse, page, pks)
        return {"html": render_to_string("arena/includes/action_list_content.html", context),
                "query_text": browse.query.text, "feed_url": context["feed_url"]}

    query = _list_query(request)
    if query is None:  # unknown parameters: rendered, not kept
        kept = content()
    else:
        kept = cached(f"arena:list-content:{get_language()}:{hashlib.sha256(query.encode()).hexdigest()[:32]}",
                      content, scopes=_public_lists(request), timeout=COUNTS_TIMEOUT)
    return render(request, "arena/action_list.html", {
        **kept, "content": mark_safe(kept["html"]),  # noqa: S308 (our templates)
    })


def _list_context(browse, page, pks) -> dict:
    params = browse.params()
    return {
        "browse": browse,
        "page": page,
        "cards": _cards(browse, pks),
        "count": page.paginator.total,
        "filter_fields": _filter_fields(browse),
        "page_links": _page_links(page, params),
        "previous_url": "?" + urlencode({**params, "page": page.previous_page_number()})
        if page.has_previous() else "",
        "next_url": "?" + urlencode({**params, "page": page.next_page_number()}) if page.has_next() else "",
        "feed_url": reverse("arena:action-feed") + ("?" + urlencode(params) if params else ""),
        "json_url": reverse("api-actions-json") + ("?" + urlencode(params) if params else ""),
        "csv_url": reverse("api-actions-csv") + ("?" + urlencode(params) if params else ""),
    }


def _published_action(pk) -> Action:
    return get_object_or_404(Action.objects.published().select_related("organisation"), pk=pk)


def login_to_action(view):
    """Anonymous users go to the login page and come back to the action afterwards."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            action = _published_action(pk)
            return redirect(reverse("account_login") + "?" + urlencode({"next": action.get_absolute_url()}))
        return view(request, pk, *args, **kwargs)

    return wrapper


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _back(action: Action):
    return redirect(action.get_absolute_url() + "#engagement")


@require_POST
@login_to_action
def action_like_view(request, pk):
    action = _published_action(pk)
    try:
        action_like(action=action, user=request.user)
    except EngagementError as error:
        messages.error(request, str(error))
        return _back(action)
    if _wants_json(request):
        return JsonResponse({"liked": True, "like_count": action.like_count})
    messages.success(request, _("You like this action."))
    return _back(action)


@require_POST
@login_to_action
def action_unlike_view(request, pk):
    action = _published_action(pk)
    action_unlike(action=action, user=request.user)
    if _wants_json(request):
        return JsonResponse({"liked": False, "like_count": action.like_count})
    messages.success(request, _("Your like was removed."))
    return _back(action)


def _member_organisations(user):
    return [m.organisation for m in Membership.objects.filter(
        user=user, status=Membership.Status.CONFIRMED).select_related("organisation")]


@require_POST
@login_to_action
def action_adopt_view(request, pk):
    action = _published_action(pk)
    form = AdoptForm(request.POST, organisations=_member_organisations(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations to mark the adoption."))
        return _back(action)
    organisation = form.organisations[form.cleaned_data["organisation"]]
    try:
        action_adopt(action=action, organisation=organisation, user=request.user, note=form.cleaned_data["note"])
    except EngagementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as adopted by %(organisation)s. Thank you for spreading good practice!")
                         % {"organisation": organisation})
    return _back(action)


@require_POST
@login_to_action
def action_unadopt_view(request, pk):
    action = _published_action(pk)
    form = AdoptForm(request.POST, organisations=_member_organisations(request.user))
    if form.is_valid():
        organisation = form.organisations[form.cleaned_data["organisation"]]
        try:
            if action_unadopt(action=action, organisation=organisation, user=request.user):
                messages.success(request, _("The adoption by %(organisation)s was withdrawn.")
                                 % {"organisation": organisation})
        except EngagementError as error:
            messages.error(request, str(error))
    return _back(action)


@login_to_action
def action_report_view(request, pk):
    action = _published_action(pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action_report(action=action, user=request.user, **form.cleaned_data)
        except LimitReached as error:  # shown on the form, with the comment kept
            form.add_error(None, str(error))
            return render(request, "arena/action_report.html", {"action": action, "form": form}, status=429)
        except EngagementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you. The moderators will look at your report."))
        return redirect(action)
    return render(request, "arena/action_report.html", {"action": action, "form": form})


@public_page(_public_lists)
def statistics(request):
    """Charts and maps, rendered once and kept while the published actions and the taxonomy stay
    the same: they aggregate every published action. Only the page around them is per visitor."""
    language = get_language() or "fi"
    today = timezone.localdate()
    content = cached_html(f"arena:statistics:{today.isoformat()}", lambda: render_to_string(
        "arena/includes/statistics_content.html", _statistics_context(language, today)), scopes=[ACTIONS, TAXONOMY])
    return render(request, "arena/statistics.html", {"content": content})


def _statistics_context(language: str, today) -> dict:
    list_url = reverse("arena:action-list")
    months = actions_per_month(today=today)
    month_chart = vertical_bars([
        (date_format(month, "YEAR_MONTH_FORMAT"), count, f"{month.month}/{month.year % 100:02d}")
        for month, count in months
    ])
    sector_chart = horizontal_bars([
        (sector.name, count, f"{list_url}?sector={sector.slug}") for sector, count in actions_per_sector()
    ])
    theme_chart = horizontal_bars([
        (theme.name, count, f"{list_url}?theme={theme.slug}") for theme, count in actions_per_theme()
    ])
    regions = choropleth("regions", actions_per_region(), language=language,
                         href=lambda code: f"{list_url}?region={code}")
    welfare_areas = choropleth("welfare_areas", actions_per_welfare_area(), language=language,
                               href=lambda code: f"{list_url}?welfare_area={code}")
    return {
        "month_chart": month_chart,
        "sector_chart": sector_chart,
        "theme_chart": theme_chart,
        "maps": [
            {"id": "regions", "title": _("Actions by region"), "data": regions, "area_label": _("Region")},
            {"id": "welfare-areas", "title": _("Actions by wellbeing services county"), "data": welfare_areas,
             "area_label": _("Wellbeing services county")},
        ],
        "figures": selectors.front_page_figures(),
    }


def _organisation_page_scopes(request, slug) -> list[str]:
    pk = cached(f"arena:organisation-pk:{slug}",
                lambda: Organisation.objects.filter(slug=slug).values_list("pk", flat=True).first(), scopes=[TAXONOMY])
    return [organisation_scope(pk), ACTIONS, TAXONOMY, CAMPAIGNS]  # its sections and its awards


# The organisation pages (orgs.views), wrapped through orgs.pages in ArenaConfig.ready.
organisation_list_page = public_page(_public_lists, query=known_query("q", "kind", "region", "page"))
organisation_page = public_page(_organisation_page_scopes, timeout=COUNTS_TIMEOUT)


def open_data(request):
    from .api import LICENCE

    return render(request, "arena/open_data.html", {
        "licence": LICENCE,
        "filters": filters.action_filters(),
    })
