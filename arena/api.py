"""Open data: published actions as paginated JSON and streamed CSV.

No personal data: authors and makers are left out; contact persons appear only when
they agreed to be shown publicly. The list's filters and search apply here too.
"""

import csv

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors
from .models import ActionImage, ContactPerson

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
CSV_CHUNK = 1000


def _export_queryset(browse):
    return browse.queryset.select_related(
        "organisation", "organisation__region", "organisation__welfare_area",
    ).prefetch_related(
        "sectors", "themes", "partners", "links",
        Prefetch("contacts", queryset=ContactPerson.objects.filter(public=True), to_attr="public_contacts"),
        Prefetch("images", queryset=ActionImage.objects.order_by("-is_cover", "position", "id"),
                 to_attr="ordered_images"),
    ).defer("makers", "search_vector")


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _names(obj) -> dict:
    return {"fi": getattr(obj, "name_fi", "") or "", "sv": getattr(obj, "name_sv", "") or "",
            "en": getattr(obj, "name_en", "") or ""}


def _organisation(org):
    if org is None:
        return None
    return {
        "name": _names(org), "slug": org.slug, "code": org.code, "kind": org.kind,
        "region": org.region.code if org.region_id else None,
        "welfare_area": org.welfare_area.code if org.welfare_area_id else None,
        "url": settings.SITE_URL + org.get_absolute_url() if _has_org_page() else None,
    }


def _has_org_page() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("orgs:organisation-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        return False
    return True


def action_as_dict(action) -> dict:
    return {
        "id": action.pk,
        "url": settings.SITE_URL + action.get_absolute_url(),
        "title": action.title,
        "summary": action.summary,
        "need": action.need,
        "solution": action.solution,
        "results": action.results,
        "tips": action.tips,
        "stage": action.stage,
        "language": action.language,
        "organisation": _organisation(action.organisation),
        "partners": [{"name": _names(p), "slug": p.slug, "code": p.code} for p in action.partners.all()],
        "sectors": [{"slug": s.slug, "name": _names(s)} for s in action.sectors.all()],
        "themes": [{"slug": t.slug, "name": _names(t)} for t in action.themes.all()],
        "submitted_at": _iso(action.submitted_at),
        "published_at": _iso(action.published_at),
        "like_count": action.like_count,
        "adoption_count": action.adoption_count,
        "links": [{"url": link.url, "title": link.title, "kind": link.kind} for link in action.links.all()],
        "images": [
            {"url": settings.SITE_URL + image.image.url, "alt": image.alt_text, "cover": image.is_cover,
             "width": image.width, "height": image.height}
            for image in action.ordered_images if image.image
        ],
        "contacts": [
            {"name": c.name, "job_title": c.job_title, "organisation": c.organisation_name, "email": c.email}
            for c in action.public_contacts
        ],
    }


def _open(response):
    response["Access-Control-Allow-Origin"] = "*"
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
    params = browse.params(page_size=str(page_size) if page_size != DEFAULT_PAGE_SIZE else "")

    def link(number):
        from urllib.parse import urlencode

        return settings.SITE_URL + request.path + "?" + urlencode({**params, "page": number})

    data = {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "notices": browse.notices,
        "results": [action_as_dict(action) for action in page.object_list],
    }
    return _open(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


CSV_FIELDS = [
    "id", "url", "title", "summary", "need", "solution", "results", "tips", "stage", "language",
    "organisation", "organisation_code", "organisation_kind", "region", "welfare_area", "partners",
    "sectors", "themes", "submitted_at", "published_at", "like_count", "adoption_count", "links",
    "image_url", "contacts",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def action_as_row(action) -> list:
    data = action_as_dict(action)
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
    ]
    return [_cell(value) for value in row]


class _Echo:
    def write(self, value):
        return value


@require_GET
def actions_csv(request):
    browse = selectors.action_browse(request.GET, with_choices=False)
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(CSV_FIELDS)
        for action in _export_queryset(browse).iterator(chunk_size=CSV_CHUNK):
            yield writer.writerow(action_as_row(action))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="actions.csv"'
    return _open(response)
