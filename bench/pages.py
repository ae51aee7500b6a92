"""The pages the benchmark measures: one table, edit it here.

`path` is a template filled from `page_context()` ({action_id}, {org_slug}, …). When
`url_names` is given, the first name that reverses (with the same placeholders as
keyword arguments) wins and `path` is only the fallback, so a page picks up its real
address once its view exists. A page that answers 404 is reported as missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import translation

LANGUAGE = "fi"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    url_names: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, placeholder names used as kwargs)
    query: dict = field(default_factory=dict)
    login: str = ""  # "juror": send the session cookie of a juror

    def url(self, context: dict) -> str | None:
        """The URL, or None when the data lacks a placeholder's value."""
        base = None
        with translation.override(LANGUAGE):
            for name, kwarg_names in self.url_names:
                try:
                    base = reverse(name, kwargs={key: context[key] for key in kwarg_names})
                    break
                except (NoReverseMatch, KeyError):
                    continue
        present = {key: value for key, value in context.items() if value is not None}
        try:
            if base is None:
                base = self.path.format(**{key: quote(str(value)) for key, value in present.items()})
            if self.query:
                base += "?" + urlencode({key: value.format(**present) for key, value in self.query.items()})
        except KeyError:
            return None
        return base


BASELINE = "baseline"
SIGNED_IN_BASELINE = "signed-in-baseline"
REFERENCES = (BASELINE, SIGNED_IN_BASELINE)  # measured in every run, not pages with a target

PAGES: list[Page] = [
    Page(BASELINE, "baseline (plain Django view, no database)", "/bench/baseline"),
    Page(SIGNED_IN_BASELINE, "signed-in baseline (plain view, logged in: session and user only)", "/bench/signed-in",
         login="juror"),
    Page("front", "front page", "/fi/", (("home", ()),)),
    Page("list", "action list", "/fi/actions/", (("arena:action-list", ()),)),
    Page("filtered", "filtered list (sector + region)", "/fi/actions/", (("arena:action-list", ()),),
         query={"sector": "{sector}", "region": "{region}"}),
    Page("search", "search “päiväkoti”", "/fi/actions/", (("arena:action-list", ()),), query={"q": "päiväkoti"}),
    Page("detail", "action detail", "/fi/actions/{action_id}-{action_slug}/",
         (("arena:action-detail", ("pk", "slug")),)),
    Page("organisation", "organisation page", "/fi/organisations/{org_slug}/",
         (("orgs:organisation-detail", ("slug",)),)),
    Page("statistics", "statistics", "/fi/statistics/", (("arena:statistics", ()),)),
    Page("campaign", "campaign page", "/fi/campaigns/{campaign_slug}/",
         (("campaigns:campaign-detail", ("slug",)),)),
    Page("results", "frozen results", "/fi/campaigns/{campaign_slug}/results/",
         (("campaigns:campaign-results", ("slug",)),)),
    Page("jury", "jury list (one juror, logged in)", "/fi/campaigns/{campaign_slug}/jury/",
         (("campaigns:jury", ("slug",)), ("campaigns:jury-list", ("slug",)), ("campaigns:campaign-jury", ("slug",))),
         login="juror"),
    # The same public pages for a logged-in employee (the juror): they never get a cached page.
    Page("list-signed-in", "action list, logged in", "/fi/actions/", (("arena:action-list", ()),), login="juror"),
    Page("search-signed-in", "search “päiväkoti”, logged in", "/fi/actions/", (("arena:action-list", ()),),
         query={"q": "päiväkoti"}, login="juror"),
    Page("detail-signed-in", "action detail, logged in", "/fi/actions/{action_id}-{action_slug}/",
         (("arena:action-detail", ("pk", "slug")),), login="juror"),
    Page("organisation-signed-in", "organisation page, logged in", "/fi/organisations/{org_slug}/",
         (("orgs:organisation-detail", ("slug",)),), login="juror"),
    Page("campaign-signed-in", "campaign page, logged in", "/fi/campaigns/{campaign_slug}/",
         (("campaigns:campaign-detail", ("slug",)),), login="juror"),
]


def page_context() -> dict:
    """Values for the placeholders, read from the seeded data: the heaviest realistic cases
    (the most liked action, the organisation with the most actions, the most common sector and region)."""
    from arena.models import Action, Sector  # noqa: PLC0415
    from orgs.models import Organisation  # noqa: PLC0415

    from .seed import CAMPAIGN_SLUG  # noqa: PLC0415

    context = {"campaign_slug": CAMPAIGN_SLUG}
    action = Action.objects.published().order_by("-like_count", "id").first()
    if action is not None:
        context.update(action_id=action.pk, action_slug=action.slug)
    organisation = (Organisation.objects.annotate(n=Count("actions")).order_by("-n", "id").first())
    if organisation is not None:
        context["org_slug"] = organisation.slug
        region = organisation.region
        if region is not None:
            context["region"] = region.code
    sector = (Sector.objects.annotate(n=Count("actions")).order_by("-n", "position").first())
    if sector is not None:
        context["sector"] = sector.slug
    return context


def resolve(page: Page, context: dict) -> str | None:
    """The page's URL (placeholders `pk`/`slug` mean the action, organisation or campaign as the page needs)."""
    values = dict(context)
    if page.key in ("detail", "detail-signed-in"):
        values.update(pk=context.get("action_id"), slug=context.get("action_slug"))
    elif page.key in ("organisation", "organisation-signed-in"):
        values["slug"] = context.get("org_slug")
    else:
        values["slug"] = context.get("campaign_slug")
    return page.url(values)


def selected(keys: list[str] | None) -> list[Page]:
    if not keys:
        return PAGES
    wanted = [key for key in keys if key not in REFERENCES]
    unknown = set(wanted) - {page.key for page in PAGES}
    if unknown:
        raise SystemExit(f"unknown page(s): {', '.join(sorted(unknown))}; known: "
                         + ", ".join(page.key for page in PAGES))
    return [page for page in PAGES if page.key in REFERENCES or page.key in wanted]
