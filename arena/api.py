"""Open data: published actions as paginated JSON and streamed CSV.

No personal data without consent: authors are left out, makers appear only once they have
confirmed their name (arena/makers.py), contact persons only when they agreed to be shown
publicly. The list's filters and search apply here too.

The data are licensed CC BY 4.0, like the reference data the portal is built on: the JSON says so
in its `licence` member, the CSV in a `licence` column on every row (a consumer that reads the
header keeps it with the data; comment lines would break most CSV readers), and both answers carry
an HTTP `Link: <…>; rel="license"` header.
"""

import csv
from itertools import islice
from types import SimpleNamespace

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models.expressions import RawSQL
from django.core.files.storage import default_storage
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors
from .consent import ConsentState
from .models import Action, ActionImage, ActionLink, ContactPerson, Maker, Sector, Theme
from .spreadsheet import safe_row

LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Tekojen tori / Framstegsarenan",
}
LICENCE_CELL = f"{LICENCE['name']} {LICENCE['url']}"

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
CSV_CHUNK = 1000


EXPORT_FIELDS = [
    "pk", "title", "summary", "need", "solution", "results", "tips", "stage", "language", "submitted_at",
    "published_at", "like_count", "adoption_count", "organisation_id", "organisation__slug",
    "organisation__code", "organisation__kind", "organisation__name_fi", "organisation__name_sv",
    "organisation__name_en", "organisation__region__code", "organisation__welfare_area__code",
]


def _export_queryset(browse):
    """Plain rows, not model instances: building instances costs more than the query here."""
    return browse.queryset.values(*EXPORT_FIELDS)


def _attach_related(actions: list) -> list:
    """Sectors, themes, partners, links, public contacts, confirmed makers and images of many
    actions, in 7 queries per batch of actions (Django's prefetch costs a millisecond per action here)."""
    ids = [action["pk"] for action in actions]
    in_ids = RawSQL("SELECT unnest(%s::bigint[])", [ids])
    sectors = {s.pk: s for s in Sector.objects.all()}
    themes = {t.pk: t for t in Theme.objects.all()}
    by_action = {pk: {"sectors": [], "themes": [], "partners": [], "links": [], "contacts": [], "images": [],
                      "makers": {"names": [], "others": 0}} for pk in ids}
    for action_id, sector_id in Action.sectors.through.objects.filter(action_id__in=in_ids).values_list(
            "action_id", "sector_id"):
        by_action[action_id]["sectors"].append(sectors[sector_id])
    for action_id, theme_id in Action.themes.through.objects.filter(action_id__in=in_ids).values_list(
            "action_id", "theme_id"):
        by_action[action_id]["themes"].append(themes[theme_id])
    partner_rows = Action.partners.through.objects.filter(action_id__in=in_ids).values(
        "action_id", "organisation__slug", "organisation__code", "organisation__name_fi",
        "organisation__name_sv", "organisation__name_en")
    for row in partner_rows:
        by_action[row["action_id"]]["partners"].append({
            "name": {"fi": row["organisation__name_fi"] or "", "sv": row["organisation__name_sv"] or "",
                     "en": row["organisation__name_en"] or ""},
            "slug": row["organisation__slug"], "code": row["organisation__code"],
        })
    for row in ActionLink.objects.filter(action_id__in=in_ids).order_by("position", "id").values(
            "action_id", "url", "title", "kind"):
        by_action[row.pop("action_id")]["links"].append(row)
    for row in ContactPerson.objects.filter(action_id__in=in_ids, public=True).order_by("position", "id").values(
            "action_id", "name", "job_title", "organisation_name", "email"):
        by_action[row["action_id"]]["contacts"].append({
            "name": row["name"], "job_title": row["job_title"], "organisation": row["organisation_name"],
            "email": row["email"],
        })
    for action_id, name, consent in Maker.objects.filter(action_id__in=in_ids).order_by("position", "id").values_list(
            "action_id", "name", "consent"):
        makers = by_action[action_id]["makers"]
        if consent == ConsentState.GIVEN:  # a name only with its maker's confirmation
            makers["names"].append(name)
        else:
            makers["others"] += 1
    for row in ActionImage.objects.filter(action_id__in=in_ids).order_by("-is_cover", "position", "id").values(
            "action_id", "image", "alt_text", "is_cover", "width", "height"):
        if row["image"]:
            by_action[row["action_id"]]["images"].append({
                "url": settings.SITE_URL + default_storage.url(row["image"]), "alt": row["alt_text"],
                "cover": row["is_cover"], "width": row["width"], "height": row["height"],
            })
    for action in actions:
        action["related"] = by_action[action["pk"]]
    return actions


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _names(obj) -> dict:
    return {"fi": getattr(obj, "name_fi", "") or "", "sv": getattr(obj, "name_sv", "") or "",
            "en": getattr(obj, "name_en", "") or ""}


def _organisation(row):
    if row["organisation_id"] is None:
        return None
    return {
        "name": {"fi": row["organisation__name_fi"] or "", "sv": row["organisation__name_sv"] or "",
                 "en": row["organisation__name_en"] or ""},
        "slug": row["organisation__slug"], "code": row["organisation__code"], "kind": row["organisation__kind"],
        "region": row["organisation__region__code"], "welfare_area": row["organisation__welfare_area__code"],
    }


def _action_url_pattern() -> str:
    """The detail URL with {pk} and {slug} holes (reversing per row costs more than the rest)."""
    url = reverse("arena:action-detail", kwargs={"pk": 987654321, "slug": "SLUG"})
    return settings.SITE_URL + url.replace("987654321", "{pk}").replace("SLUG", "{slug}")


def _action_url(row, pattern=None) -> str:
    slug = Action.slug.fget(SimpleNamespace(title=row["title"]))
    return (pattern or _action_url_pattern()).format(pk=row["pk"], slug=slug)


def action_as_dict(row, url_pattern=None) -> dict:
    """One action as open data (call `_attach_related` on the rows first)."""
    related = row["related"]
    return {
        "id": row["pk"],
        "url": _action_url(row, url_pattern),
        **{name: row[name] for name in ("title", "summary", "need", "solution", "results", "tips", "stage",
                                        "language")},
        "organisation": _organisation(row),
        "partners": related["partners"],
        "sectors": [{"slug": s.slug, "name": _names(s)} for s in related["sectors"]],
        "themes": [{"slug": t.slug, "name": _names(t)} for t in related["themes"]],
        "submitted_at": _iso(row["submitted_at"]),
        "published_at": _iso(row["published_at"]),
        "like_count": row["like_count"],
        "adoption_count": row["adoption_count"],
        "links": related["links"],
        "images": related["images"],
        "contacts": related["contacts"],
        "makers": related["makers"],
    }


def _open(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    return response


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@require_GET
def actions_json(request):
    browse = selectors.action_browse(request.GET, with_choices=False)
    page_size = min(max(_int(request.GET.get("page_size"), DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    paginator = Paginator(_export_queryset(browse), page_size)
    page = paginator.get_page(request.GET.get("page"))
    url_pattern = _action_url_pattern()
    params = browse.params(page_size=str(page_size) if page_size != DEFAULT_PAGE_SIZE else "")

    def link(number):
        from urllib.parse import urlencode

        return settings.SITE_URL + request.path + "?" + urlencode({**params, "page": number})

    data = {
        "licence": LICENCE,
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "notices": browse.notices,
        "results": [action_as_dict(action, url_pattern) for action in _attach_related(list(page.object_list))],
    }
    return _open(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


CSV_FIELDS = [
    "id", "url", "title", "summary", "need", "solution", "results", "tips", "stage", "language",
    "organisation", "organisation_code", "organisation_kind", "region", "welfare_area", "partners",
    "sectors", "themes", "submitted_at", "published_at", "like_count", "adoption_count", "links",
    "image_url", "contacts", "makers", "licence",
]


def action_as_row(action, url_pattern=None) -> list:
    data = action_as_dict(action, url_pattern)
    org = data["organisation"] or {}
    row = [
        data["id"], data["url"], data["title"], data["summary"], data["need"], data["solution"],
        data["results"], data["tips"], data["stage"], data["language"],
        (org.get("name") or {}).get("fi", ""), org.get("code", ""), org.get("kind", ""),
        org.get("region") or "", org.get("welfare_area") or "",
        "; ".join(p["name"]["fi"] for p in data["partners"]),
        "; ".join(s["slug"] for s in data["sectors"]),
        "; ".join(t["slug"] for t in data["themes"]),
        data["submitted_at"] or "", data["published_at"] or "", data["like_count"], data["adoption_count"],
        " ".join(link["url"] for link in data["links"]),
        data["images"][0]["url"] if data["images"] else "",
        "; ".join(f"{c['name']} <{c['email']}>" if c["email"] else c["name"] for c in data["contacts"]),
        "; ".join(data["makers"]["names"]),
        LICENCE_CELL,
    ]
    return safe_row(row)


class _Echo:
    def write(self, value):
        return value


@require_GET
def actions_csv(request):
    browse = selectors.action_browse(request.GET, with_choices=False)
    writer = csv.writer(_Echo())
    url_pattern = _action_url_pattern()

    def rows():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(safe_row(CSV_FIELDS))
        rows = _export_queryset(browse).iterator(chunk_size=CSV_CHUNK)
        while chunk := list(islice(rows, CSV_CHUNK)):
            _attach_related(chunk)
            yield "".join(writer.writerow(action_as_row(action, url_pattern)) for action in chunk)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="actions.csv"'
    return _open(response)
