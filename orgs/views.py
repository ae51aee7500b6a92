from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import domains, selectors, services
from .forms import EmailDomainForm, JoinForm, OrganisationEditForm, OrganisationFilterForm
from .models import EmailDomain, Membership, Organisation
from .pages import extensible_page, kept_fragment
from .permissions import can_admin_organisation, organisations_administered_by
from .sections import render_organisation_sections

DIRECTORY_PAGE_SIZE = 50


def _admin_organisation_or_403(request, slug: str) -> Organisation:
    organisation = selectors.organisation_get(slug=slug)
    if not can_admin_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


def _back(request, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    # Only a printable path on this site; redirect() would take any other text for a view name.
    if (target.startswith("/") and target.isprintable()
            and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())):
        return HttpResponseRedirect(target)
    return redirect(default)


@require_GET
@extensible_page("organisation-list")
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_list(
        search=filters.get("q", ""), kind=filters.get("kind", ""), region=filters.get("region")
    )
    page = Paginator(organisations, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "orgs/organisation_list.html", {
        "form": form,
        "page": page,
        "organisations": page.object_list,
        "query": query.urlencode(),
        "filtered": any(filters.get(name) for name in ("q", "kind", "region")),
    })


@require_GET
@extensible_page("organisation-detail")
def organisation_detail(request, slug):
    organisation = selectors.organisation_get(slug=slug)
    if not organisation.is_active and not can_admin_organisation(request.user, organisation):
        raise Http404
    return render(request, "orgs/organisation_detail.html", {
        "organisation": organisation,
        "facts": mark_safe(kept_fragment(  # noqa: S308 (our template)
            "organisation-facts", str(organisation.pk), lambda: _organisation_facts(organisation))),
        "membership": selectors.membership_of(request.user, organisation),
        "can_admin": can_admin_organisation(request.user, organisation),
        "sections": render_organisation_sections(request, organisation),
    })


def _organisation_facts(organisation) -> str:
    """The facts, the description and the member lists: the same for every visitor."""
    is_welfare_area = organisation.kind == Organisation.Kind.WELFARE_AREA
    return render_to_string("orgs/includes/organisation_facts.html", {
        "organisation": organisation,
        "employee_count": selectors.organisation_latest_employee_count(organisation),
        "member_municipalities": (
            selectors.organisation_member_municipalities(organisation) if is_welfare_area else None
        ),
        "member_organisations": selectors.organisation_member_organisations(organisation),
        "joint_authorities": selectors.organisation_joint_authorities(organisation),
    })


@login_required
@require_GET
def my_organisations(request):
    return render(request, "orgs/membership_list.html", {
        "memberships": selectors.membership_list_for_user(request.user),
        "pending": selectors.membership_list_pending_for_admin(request.user)[:200],
        "administered": organisations_administered_by(request.user).filter(
            memberships__user=request.user).distinct().order_by_name(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    if request.method == "POST":
        form = JoinForm(request.POST, user=request.user)
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            try:
                membership = services.membership_request(user=request.user, organisation=organisation)
            except services.MembershipError as error:
                form.add_error("organisation", str(error))
            else:
                if membership.is_confirmed:
                    messages.success(request, _("You are now a member of %(name)s.") % {"name": organisation.name})
                else:
                    messages.info(request, _(
                        "Your request to join %(name)s was sent. An admin of the organisation "
                        "or KT staff will confirm it; we will e-mail you."
                    ) % {"name": organisation.name})
                return redirect("orgs:my-organisations")
        suggestion = None
    else:
        suggestion = selectors.organisation_suggested_for(request.user)
        slug = request.GET.get("organisation", "")
        # Only a slug is looked up: other text (a NUL byte, say) is no organisation, not a server error.
        chosen = Organisation.objects.active().filter(slug=slug).first() if slug_re.match(slug) else None
        initial = chosen or suggestion
        form = JoinForm(user=request.user, initial={"organisation": initial.pk} if initial else {})
    return render(request, "orgs/membership_join.html", {
        "form": form,
        "suggestion": suggestion,
        "has_memberships": Membership.objects.filter(user=request.user).exists(),
    })


@login_required
@require_POST
def membership_confirm(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    if not can_admin_organisation(request.user, membership.organisation):
        raise PermissionDenied
    services.membership_confirm(membership=membership, by=request.user)
    messages.success(request, _("%(person)s is now a confirmed member of %(name)s.") % {
        "person": membership.user, "name": membership.organisation.name})
    return _back(request, reverse("orgs:organisation-members", kwargs={"slug": membership.organisation.slug}))


@login_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    leaving = membership.user_id == request.user.pk
    if not leaving and not can_admin_organisation(request.user, membership.organisation):
        raise PermissionDenied
    services.membership_remove(membership=membership, by=request.user)
    if leaving:
        messages.success(request, _("You left %(name)s.") % {"name": membership.organisation.name})
        return _back(request, reverse("orgs:my-organisations"))
    messages.success(request, _("%(person)s was removed from %(name)s.") % {
        "person": membership.user, "name": membership.organisation.name})
    return _back(request, reverse("orgs:organisation-members", kwargs={"slug": membership.organisation.slug}))


@login_required
@require_POST
def membership_role(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    if not can_admin_organisation(request.user, membership.organisation):
        raise PermissionDenied
    try:
        services.membership_set_role(membership=membership, role=request.POST.get("role", ""), by=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role of %(person)s is now: %(role)s.") % {
            "person": membership.user, "role": membership.get_role_display()})
    return redirect("orgs:organisation-members", slug=membership.organisation.slug)


@login_required
@require_GET
def organisation_members(request, slug):
    organisation = _admin_organisation_or_403(request, slug)
    memberships = list(selectors.membership_list_for_organisation(organisation))
    return render(request, "orgs/organisation_members.html", {
        "organisation": organisation,
        "pending": [m for m in memberships if not m.is_confirmed],
        "confirmed": [m for m in memberships if m.is_confirmed],
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = _admin_organisation_or_403(request, slug)
    if request.method == "POST":
        form = OrganisationEditForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.organisation_update(
                    organisation=organisation, by=request.user,
                    data={name: data[name] for name in ("description_fi", "description_sv", "description_en")},
                    logo=data["logo"], clear_logo=data["clear_logo"],
                )
            except ValueError:
                form.add_error("logo", _("The image could not be read. Upload a PNG, JPEG or WebP image."))
            else:
                messages.success(request, _("The organisation page was saved."))
                return redirect(organisation)
    else:
        form = OrganisationEditForm(initial={
            "description_fi": organisation.description_fi or "",
            "description_sv": organisation.description_sv or "",
            "description_en": organisation.description_en or "",
        })
    return render(request, "orgs/organisation_form.html", {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_domains(request, slug):
    organisation = _admin_organisation_or_403(request, slug)
    if request.method == "POST":
        form = EmailDomainForm(request.POST)
        if form.is_valid():
            try:
                email_domain = domains.email_domain_add(
                    organisation=organisation, domain=form.cleaned_data["domain"],
                    verified=form.cleaned_data["verified"], by=request.user)
            except services.MembershipError as error:
                form.add_error("verified", str(error))
            else:
                messages.add_message(request, *_domain_saved_message(email_domain))
                return redirect("orgs:organisation-domains", slug=organisation.slug)
    else:
        form = EmailDomainForm()
    return render(request, "orgs/emaildomain_list.html", {
        "organisation": organisation,
        "domains": organisation.email_domains.order_by("-verified", "domain"),
        "form": form,
    })


def _domain_saved_message(email_domain: EmailDomain) -> tuple[int, str]:
    names = {"domain": email_domain.domain}
    if email_domain.pending_reason == EmailDomain.PendingReason.ELSEWHERE:
        return messages.WARNING, _(
            "The e-mail domain %(domain)s is also known to belong to another organisation, so KT staff "
            "check it before it is verified. Until then, people with this domain wait for an admin's "
            "confirmation.") % names
    if email_domain.is_pending:
        return messages.WARNING, _(
            "The e-mail domain %(domain)s waits for KT staff to verify it: none of your own confirmed "
            "e-mail addresses is on it. Until then, people with this domain wait for an admin's "
            "confirmation.") % names
    if email_domain.verified:
        return messages.SUCCESS, _(
            "The e-mail domain %(domain)s is verified: people whose confirmed address is on it "
            "become members at once.") % names
    return messages.SUCCESS, _("The e-mail domain %(domain)s was saved.") % names


@login_required
@require_POST
def organisation_domain_delete(request, slug, pk):
    organisation = _admin_organisation_or_403(request, slug)
    email_domain = get_object_or_404(EmailDomain, pk=pk, organisation=organisation)
    domains.email_domain_remove(email_domain=email_domain, by=request.user)
    messages.success(request, _("The e-mail domain %(domain)s was removed.") % {"domain": email_domain.domain})
    return redirect("orgs:organisation-domains", slug=organisation.slug)
