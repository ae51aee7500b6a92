"""Nominating heroes of work, the nominee's consent page, and the jury's review of people and
organisations (the same review form and rules as for actions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from arena.limits import LimitReached

from . import jury, nominations
from .forms_jury import ReviewForm
from .models import AwardCategory
from .ranking import eligible_actions
from .views_jury import _deadline_context, _invalid, _juror_or_404, _refuse, _wants_json, signed_in_or_404

REVIEW_TEMPLATE = "campaigns/nomination_review.html"


def _campaign_or_404(slug):
    from .views import _campaign_or_404 as campaign_or_404

    return campaign_or_404(slug)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request, slug):
    campaign = _campaign_or_404(slug)
    now = timezone.now()
    categories = campaign.categories.filter(kind=AwardCategory.Kind.JURY_PEOPLE).order_by("position", "id")
    if not categories.exists():
        raise Http404
    actions = eligible_actions(campaign=campaign, as_of=now).select_related("organisation").order_by("title")
    context = {"campaign": campaign, "is_open": campaign.is_running(now), "has_ended": campaign.has_ended(now)}
    if request.method == "POST":
        form, status = _form(request.POST, categories, actions), 400
        if not context["is_open"]:
            form.add_error(None, _("Nominations for this campaign are closed: the campaign period has ended.")
                           if context["has_ended"] else _("Nominations open when the campaign starts."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                nominations.nomination_create(
                    campaign=campaign, category=data["category"], user=request.user, name=data["name"],
                    job_title=data["job_title"], email=data["email"], justification=data["justification"],
                    organisation=data.get("organisation"), organisation_name=data.get("organisation_name", ""),
                    actions=list(data.get("actions") or []), now=now,
                )
            except nominations.NominationError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            except LimitReached as error:
                form.add_error(None, str(error))
                status = 429
            else:
                messages.success(request, _("Thank you! Your nomination has been saved. We have asked the person "
                                            "for their consent by e-mail."))
                return redirect(campaign.get_absolute_url())
        context["form"] = form
        return render(request, "campaigns/nomination_form.html", context, status=status)
    context["form"] = _form(None, categories, actions)
    return render(request, "campaigns/nomination_form.html", context)


def _form(data, categories, actions):
    from .forms_nominations import NominationForm

    return NominationForm(data, categories=categories, actions=actions)


@require_http_methods(["GET", "POST"])
def nomination_consent(request, token):
    """The page behind the link in the consent e-mail: give or refuse consent, or withdraw it."""
    try:
        nominee = nominations.nominee_from_token(token)
    except nominations.NominationError as error:
        return render(request, "campaigns/nomination_consent.html", {"error": str(error)}, status=400)
    status = 200
    if request.method == "POST":
        answer = request.POST.get("answer")
        now = timezone.now()
        try:
            if answer == "withdraw":
                nominee = nominations.nominee_consent_withdraw(nominee=nominee, now=now)
                messages.success(request, _("Your consent has been withdrawn. Your name will not be shown "
                                            "publicly."))
            elif answer in ("give", "refuse"):
                nominee = nominations.nominee_consent_answer(nominee=nominee, give=answer == "give", now=now)
                messages.success(request, _("Thank you! Your consent has been recorded.") if answer == "give"
                                 else _("Your answer has been recorded: you will not be considered."))
            else:
                raise nominations.NominationError(_("Choose one of the answers."))
        except nominations.NominationError as error:
            messages.error(request, str(error))
            status = 400
        else:
            return redirect("campaigns:nomination-consent", token=token)
    return render(request, "campaigns/nomination_consent.html", {
        "nominee": nominee, "campaign": nominee.campaign,
        "justifications": nominee.nominations.count(),
        "can_withdraw": nominee.consent == "given",
        "frozen": nominee.campaign.snapshots.exists(),
    }, status=status)


# --- The jury on people and organisations ------------------------------------------------------

SUBJECTS = {"people": jury.SUBJECT_NOMINEE, "organisations": jury.SUBJECT_ORGANISATION}


def _subject_progress(entries) -> jury.Progress:
    return jury.Progress(scored=sum(e.complete for e in entries if not e.conflict),
                         total=sum(not e.conflict for e in entries))


def subject_progress_text(progress) -> str:
    return _("%(scored)s of %(total)s scored.") % progress.as_dict()


@signed_in_or_404
@require_http_methods(["GET", "POST"])
def jury_subject_review(request, slug, subjects, pk):
    """The review page of a person or an organisation. Like the action review page it answers the
    autosave script (`Accept: application/json`) with JSON, and the plain form without it."""
    kind = SUBJECTS.get(subjects)
    if kind is None:
        raise Http404
    now = timezone.now()
    campaign, juror, _listing = _juror_or_404(request, slug, now)
    entries = jury.subject_entries(juror=juror, kind=kind, now=now)
    entry = jury.subject_find(entries, pk)
    if entry is None:
        raise Http404
    todo = [e for e in entries if not e.conflict and not e.complete and e.pk != pk]
    context = {
        "campaign": campaign, "juror": juror, "entry": entry, "kind": kind, "subjects": subjects,
        "next_subject": todo[0] if todo else None,
        "progress": _subject_progress(entries),
        "can_chair": jury.can_chair(user=request.user, juror=juror), **_deadline_context(campaign, now),
    }
    if entry.conflict:
        return _refuse(request, context, jury.conflict_message(kind), status=403, template=REVIEW_TEMPLATE)
    subject = entry.subject
    if kind == jury.SUBJECT_NOMINEE:
        context["nominations"] = list(
            subject.nominations.select_related("nominator", "category").prefetch_related("actions")
            .order_by("created_at", "id"))
    else:
        context["actions"] = list(eligible_actions(campaign=campaign, as_of=now).filter(organisation=subject)
                                  .order_by("-submitted_at", "id")[:50])
    criteria = list(campaign.criteria.all())
    saved, comment = jury.subject_review_values(juror=juror, kind=kind, subject=subject)
    context.update({"criteria": criteria, "saved_scores": [(c, saved.get(c.pk)) for c in criteria],
                    "saved_comment": comment})
    if request.method == "GET":
        initial = {f"criterion_{key}": value for key, value in saved.items()} | {"comment": comment}
        context["form"] = ReviewForm(initial=initial, criteria=criteria)
        return render(request, REVIEW_TEMPLATE, context)
    form = ReviewForm(request.POST, criteria=criteria)
    context["form"] = form
    if not context["is_open"]:
        return _refuse(request, context, jury.deadline_passed_message(campaign), status=403,
                       template=REVIEW_TEMPLATE)
    if form.is_valid():
        try:
            jury.subject_review_save(juror=juror, kind=kind, subject=subject, scores=form.scores(),
                                     comment=form.comment_value(), now=now)
        except jury.JuryError as error:
            form.add_error(None, str(error))
    if not form.is_valid():
        return _invalid(request, context, form, template=REVIEW_TEMPLATE)
    if _wants_json(request):
        entries = jury.subject_entries(juror=juror, kind=kind, now=now)
        entry, progress = jury.subject_find(entries, pk), _subject_progress(entries)
        return JsonResponse({
            "saved": True, "message": _("Saved"), "complete": entry.complete, "status": entry.status_label,
            "progress": progress.as_dict(), "progress_text": subject_progress_text(progress),
        })
    messages.success(request, _("Your scores have been saved."))
    return redirect("campaigns:jury-subject-review", slug=campaign.slug, subjects=subjects, pk=pk)

