import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from arena.cache import (
    ACTIONS, CAMPAIGNS, TAXONOMY, audience, cached, cached_html, campaign_scope, known_query, public_page,
)
from arena.pagination import CountedPaginator

from . import selectors, services
from .export import results_csv, results_json
from .gala import gala_slides
from .models import Campaign
from .permissions import can_manage_results, can_preview_results, can_view_gala

ACTIONS_PER_PAGE = 50


def _campaign_or_404(slug):
    try:
        return selectors.campaign_get(slug=slug)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _embargo_message(campaign):
    return _("The results will be published at the gala on %(gala)s.") % {
        "gala": date_format(localtime(campaign.gala_at), "DATETIME_FORMAT")
    }


def _campaign_scopes(request, slug) -> list[str]:
    """The campaign's own scope (its id kept per slug while the campaigns stay as edited) and the taxonomy's."""
    pk = cached(f"campaigns:pk:{slug}", lambda: Campaign.objects.filter(slug=slug).values_list("pk", flat=True).first(),
                scopes=[TAXONOMY])
    return [campaign_scope(pk), TAXONOMY]


@public_page(lambda request: [CAMPAIGNS, TAXONOMY])
def campaign_list(request):
    listing = selectors.campaign_list(as_of=timezone.now())
    return render(request, "campaigns/campaign_list.html", {"listing": listing})


# Its live counter is kept for the minute: the page at most that long.
@public_page(lambda request, slug: [*_campaign_scopes(request, slug), ACTIONS, CAMPAIGNS], timeout=60,
             query=known_query("page"))
def campaign_detail(request, slug):
    campaign = _campaign_or_404(slug)
    now = timezone.now()
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign,
        "is_running": campaign.is_running(now),
        "has_ended": campaign.has_ended(now),
        "days_left": (campaign.ends_on - localtime(now).date()).days,
        "days_to_start": (campaign.starts_on - localtime(now).date()).days,
        "body": _campaign_body(request, campaign, now),
    })


def _campaign_body(request, campaign, now) -> str:
    """The page's figures, live ranking, winners and a page of eligible actions: the same for every
    visitor but staff (a link to the results preview), rendered at most once a minute per page,
    language and audience, and under the same scopes as the whole page."""
    counter = selectors.campaign_counter(campaign=campaign, as_of=now)
    page = CountedPaginator(selectors.campaign_eligible_actions(campaign=campaign, as_of=now), ACTIONS_PER_PAGE,
                            count=counter["actions"]).get_page(request.GET.get("page"))
    can_preview = can_preview_results(request.user)

    def render_body():
        published = selectors.published_snapshot(campaign, with_data=False)
        return render_to_string("campaigns/includes/campaign_body.html", {
            "campaign": campaign,
            "counter": counter,
            "page_obj": page,
            "live_ranking": selectors.campaign_live_ranking(campaign=campaign, as_of=now),
            "winners": selectors.snapshot_winners(published) if published else None,
            "embargo_message": _embargo_message(campaign),
            "can_preview": can_preview,
        })

    return cached_html(f"campaigns:detail-body:{campaign.pk}:{page.number}:{int(can_preview)}", render_body,
                       scopes=[campaign_scope(campaign.pk), TAXONOMY, ACTIONS, CAMPAIGNS], timeout=60)


def _results_view(request, campaign):
    return selectors.results_for_viewer(
        campaign=campaign, user=request.user, as_of=timezone.now(), live=request.GET.get("live") == "1",
    )


@public_page(_campaign_scopes, query=known_query("live"))
def campaign_results(request, slug):
    campaign = _campaign_or_404(slug)
    view = selectors.results_for_viewer(campaign=campaign, user=request.user, as_of=timezone.now(),
                                        live=request.GET.get("live") == "1", rendered=True)
    return render(request, "campaigns/campaign_results.html", {
        "campaign": campaign,
        "view": view,
        "embargo_message": _embargo_message(campaign),
        "can_manage": can_manage_results(request.user),
        "has_ended": campaign.has_ended(timezone.now()),
        "live_requested": request.GET.get("live") == "1",
        "categories_html": _snapshot_categories_html(request, campaign, view),
    })


SNAPSHOT_CACHE_SECONDS = 60 * 60 * 24


def _snapshot_categories_html(request, campaign, view) -> str:
    """A snapshot's categories (a snapshot never changes), rendered once per snapshot, language and
    audience: staff see names without consent and the jury's rows, the public does not. Kept under
    the campaign's scope (a withdrawn consent hides a name at once). "" for the live preview, which
    is rendered on each request."""
    if view.snapshot is None or view.mode == "live":
        return ""
    who = audience(request)

    def render():
        return render_to_string("campaigns/includes/results_categories.html",
                                {"view": view, "campaign": campaign, "can_manage": who == "manager"})

    return cached_html(f"campaigns:results-categories:{view.snapshot.pk}:{who}", render,
                       scopes=[campaign_scope(campaign.pk)], timeout=SNAPSHOT_CACHE_SECONDS)


def campaign_results_csv(request, slug):
    campaign = _campaign_or_404(slug)
    view = _results_view(request, campaign)
    if not view.visible:
        return HttpResponse(_embargo_message(campaign), status=403, content_type="text/plain; charset=utf-8")
    response = HttpResponse(results_csv(view.categories), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-results-{view.mode}.csv"'
    return response


def campaign_results_json(request, slug):
    campaign = _campaign_or_404(slug)
    view = _results_view(request, campaign)
    if not view.visible:
        return JsonResponse(
            {"campaign": campaign.slug, "results": "embargo", "detail": _embargo_message(campaign),
             "gala_at": campaign.gala_at.isoformat()},
            status=403,
        )
    data = results_json(campaign=campaign, mode=view.mode, snapshot=view.snapshot, categories=view.categories)
    return HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")


def _require_manager(request):
    if not can_manage_results(request.user):
        raise PermissionDenied


@require_POST
def campaign_results_freeze(request, slug):
    _require_manager(request)
    campaign = _campaign_or_404(slug)
    try:
        services.results_freeze(
            campaign=campaign, user=request.user, now=timezone.now(), confirm=request.POST.get("confirm") == "1",
        )
    except services.ConfirmationRequired as error:
        return render(request, "campaigns/campaign_freeze_confirm.html", {
            "campaign": campaign, "message": str(error), "latest": selectors.latest_snapshot(campaign),
        })
    except services.ResultsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The results have been frozen. Check them, then publish them."))
    return redirect("campaigns:campaign-results", slug=campaign.slug)


@require_POST
def campaign_results_publish(request, slug):
    _require_manager(request)
    campaign = _campaign_or_404(slug)
    try:
        services.results_publish(campaign=campaign, user=request.user, now=timezone.now())
    except services.ResultsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The results have been published."))
    return redirect("campaigns:campaign-results", slug=campaign.slug)


def campaign_gala(request, slug):
    campaign = _campaign_or_404(slug)
    if not can_view_gala(request.user, campaign):
        return redirect("campaigns:campaign-results", slug=campaign.slug)
    view = _results_view(request, campaign)
    slides = gala_slides(view.categories)
    try:
        step = min(max(int(request.GET.get("step", 0)), 0), len(slides) - 1)
    except ValueError:
        step = 0
    return render(request, "campaigns/campaign_gala.html", {
        "campaign": campaign,
        "view": view,
        "slides": slides,
        "step": step,
        "last_step": len(slides) - 1,
    })
