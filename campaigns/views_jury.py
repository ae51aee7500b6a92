"""The jury pages: the juror's list and review pages, and the chair's view.

Who gets what: everyone who is not a juror of the campaign gets 404 on every jury URL,
visitors who are not logged in too (jurors come in through the login page, from their
invitation); the chair's view is for the campaign's jury chair and staff (another
juror of the campaign gets 403).
"""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from . import jury, jury_listing
from .forms_jury import EntryFilterForm, ReviewForm
from .models import Campaign


def signed_in_or_404(view):
    """Every jury URL answers 404 to anyone who is not a juror, visitors who are not logged in too.

    Jurors reach the pages from their invitation, which goes through the login page.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _campaign_or_404(slug: str) -> Campaign:
    try:
        return Campaign.objects.get(slug=slug)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _juror_or_404(request, slug, now):
    """The campaign, the juror and their list; no such campaign, or not its juror: 404."""
    listing = jury_listing.JurorList.for_user(user=request.user, slug=slug, now=now)
    if listing is None:
        raise Http404
    return listing.campaign, listing.juror, listing


def _deadline_context(campaign, now):
    return {
        "is_open": jury.scoring_open(campaign=campaign, now=now),
        "deadline": jury.deadline_text(campaign),
    }


FILTER_FIELDS = ("status", "category", "sector")


@signed_in_or_404
@require_GET
def jury_list(request, slug):
    """The juror's entries, a page at a time (the filters and the page are in the URL)."""
    now = timezone.now()
    campaign, juror, listing = _juror_or_404(request, slug, now)
    entries, shared = listing.entries()
    filtering = any(request.GET.get(name) for name in FILTER_FIELDS)
    filter_form = EntryFilterForm(request.GET if filtering else None, categories=shared.categories,
                                  sectors=shared.sectors)
    shown = jury.entries_filter(entries, **filter_form.filters()) if filtering else entries
    page = Paginator(shown, jury_listing.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "campaigns/jury_list.html", {
        "campaign": campaign,
        "juror": juror,
        "entries": page.object_list,
        "page": page,
        "query": query.urlencode(),
        "shown_count": len(shown),
        "all_count": len(entries),
        "progress": jury.entries_progress(entries),
        "next_entry": jury.next_unscored(entries),
        "filter_form": filter_form,
        "can_chair": jury.can_chair(user=request.user, juror=juror),
        **_deadline_context(campaign, now),
    })


@signed_in_or_404
@require_GET
def jury_next(request, slug):
    """Take the juror to the next entry they have not scored fully (after `?after=<id>`)."""
    campaign, _juror, listing = _juror_or_404(request, slug, timezone.now())
    entries, _shared = listing.entries()
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        after = None
    entry = jury.next_unscored(entries, after=after)
    if entry is None:
        messages.success(request, _("You have scored every entry."))
        return redirect("campaigns:jury-list", slug=campaign.slug)
    return redirect("campaigns:jury-review", slug=campaign.slug, action_id=entry.action.pk)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refuse(request, context, message, status, template="campaigns/jury_review.html"):
    """A save refused (conflict, deadline): JSON for the autosave script, the page otherwise."""
    if _wants_json(request):
        return JsonResponse({"saved": False, "message": message}, status=status)
    context["refusal"] = message
    return render(request, template, context, status=status)


def _invalid(request, context, form, template="campaigns/jury_review.html"):
    """Scores the form or the rules refused: JSON for the autosave script, the page otherwise."""
    if _wants_json(request):
        errors = form.errors.get_json_data()
        first = next(iter(errors.values()))[0]["message"]
        return JsonResponse({"saved": False, "message": first, "errors": errors}, status=400)
    return render(request, template, context, status=400)


@signed_in_or_404
@require_http_methods(["GET", "POST"])
def jury_review(request, slug, action_id):
    now = timezone.now()
    campaign, juror, listing = _juror_or_404(request, slug, now)
    entries, _shared = listing.entries()
    entry = jury.entry_find(entries, action_id)
    if entry is None:  # not an entry of this campaign: as if it did not exist
        raise Http404
    context = {
        "campaign": campaign,
        "juror": juror,
        "entry": entry,
        "progress": jury.entries_progress(entries),
        "next_entry": jury.next_unscored(entries, after=action_id),
        "can_chair": jury.can_chair(user=request.user, juror=juror),
        **_deadline_context(campaign, now),
    }
    if entry.conflict:
        return _refuse(request, context, jury.conflict_message(jury.SUBJECT_ACTION), status=403)

    action = jury.action_for_review(action_id)
    criteria = list(campaign.criteria.all())
    saved, comment = jury.review_values(juror=juror, action=action)
    context.update({"action": action, "criteria": criteria, "saved_scores": [
        (criterion, saved.get(criterion.pk)) for criterion in criteria], "saved_comment": comment})

    if request.method == "GET":
        initial = {f"criterion_{pk}": value for pk, value in saved.items()} | {"comment": comment}
        context["form"] = ReviewForm(initial=initial, criteria=criteria)
        return render(request, "campaigns/jury_review.html", context)

    form = ReviewForm(request.POST, criteria=criteria)
    context["form"] = form
    if not context["is_open"]:
        return _refuse(request, context, jury.deadline_passed_message(campaign), status=403)
    if form.is_valid():
        try:
            jury.review_save(juror=juror, action=action, scores=form.scores(), comment=form.comment_value(),
                             now=now)
        except jury.JuryError as error:
            form.add_error(None, str(error))
    if not form.is_valid():
        return _invalid(request, context, form)

    entries, _shared = jury_listing.JurorList(juror=juror, now=now).entries()  # with the new scores
    progress = jury.entries_progress(entries)
    if _wants_json(request):
        entry = jury.entry_find(entries, action_id)
        return JsonResponse({
            "saved": True, "message": _("Saved"), "complete": entry.complete, "status": entry.status_label,
            "progress": progress.as_dict(), "progress_text": progress_text(progress),
        })
    messages.success(request, _("Your scores have been saved."))
    if request.POST.get("go") == "next":
        following = jury.next_unscored(entries, after=action_id)
        if following is None:
            messages.info(request, _("You have scored every entry."))
            return redirect("campaigns:jury-list", slug=campaign.slug)
        return redirect("campaigns:jury-review", slug=campaign.slug, action_id=following.action.pk)
    return redirect("campaigns:jury-review", slug=campaign.slug, action_id=action_id)


def progress_text(progress) -> str:
    return _("%(scored)s of %(total)s entries scored") % progress.as_dict()


def _chair_or_deny(request, slug):
    campaign = _campaign_or_404(slug)
    juror = jury.juror_get(campaign=campaign, user=request.user)
    if jury.can_chair(user=request.user, juror=juror):
        return campaign
    if juror is None:
        raise Http404
    raise PermissionDenied


CHAIR_SORT_LABELS = {
    "score": gettext_lazy("jury score"), "normalised": gettext_lazy("normalised score"),
    "title": gettext_lazy("action"), "organisation": gettext_lazy("organisation"),
    "jurors": gettext_lazy("number of jurors"), "spread": gettext_lazy("spread"),
}


@signed_in_or_404
@require_GET
def jury_chair(request, slug):
    campaign = _chair_or_deny(request, slug)
    now = timezone.now()
    sort = request.GET.get("sort", "score")
    if sort not in jury.CHAIR_SORTS:
        sort = "score"
    overview = jury.chair_overview(campaign=campaign, user=request.user, now=now, sort=sort)
    return render(request, "campaigns/jury_chair.html", {
        "campaign": campaign,
        "overview": overview,
        "sort": sort,
        "sorts": [(key, str(label)) for key, label in CHAIR_SORT_LABELS.items()
                  if key != "normalised" or overview.normalise],
        "unfinished": [item for item in overview.jurors if not item.finished],
        **_deadline_context(campaign, now),
    })


@signed_in_or_404
@require_GET
def jury_chair_csv(request, slug):
    campaign = _chair_or_deny(request, slug)
    sort = request.GET.get("sort", "score")
    overview = jury.chair_overview(campaign=campaign, user=request.user, now=timezone.now(), sort=sort)
    response = HttpResponse(jury.chair_csv(overview), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-jury.csv"'
    return response

