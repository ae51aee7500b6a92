from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.forms import Media
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.settings import JQUERY_UI_URL

from . import domains, services
from .forms import EmployeeCountUploadForm
from .models import EmailDomain, EmployeeCount, Membership, MembershipEvent, Organisation, Region, User


def _local_tabs_media(self):
    """modeltranslation's tabs without the jQuery UI it loads from a CDN (our CSP allows
    only our own scripts): a small local replacement provides the `tabs()` it calls.

    Set as `media = property(_local_tabs_media)` in the class body: Django's media
    metaclass would otherwise add modeltranslation's `Media` (with the CDN) back."""
    media = super(type(self), self).media
    scripts = ["orgs/js/translation_tabs.js" if script == JQUERY_UI_URL else script for script in media._js]
    return Media(js=scripts, css=media._css)


class ReadOnlyAdminMixin:
    """Shown to whoever may view it; nobody (superusers included) adds, changes or deletes it here:
    what it shows is written by the services (the other apps' admins use it too)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Shown on the user's page; memberships are confirmed, changed and removed on their own page,
    through the services (each change leaves a row in the audit trail)."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["organisation", "role", "status", "confirmed_at", "confirmed_by"]
    readonly_fields = fields
    show_change_link = True
    verbose_name = _("membership")


class OrganisationMembershipInline(MembershipInline):
    fk_name = "organisation"
    fields = ["user", "role", "status", "confirmed_at", "confirmed_by"]
    readonly_fields = fields


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "preferred_language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    inlines = [MembershipInline]


@admin.register(Region)
class RegionAdmin(TabbedTranslationAdmin):
    media = property(_local_tabs_media)
    list_display = ["code", "name"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


class EmployeeCountInline(admin.TabularInline):
    model = EmployeeCount
    extra = 1
    fields = ["year", "employees"]


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 1
    fields = ["domain", "verified"]
    readonly_fields = ["verified"]  # verified only through the approve action (orgs.domains)

    def has_change_permission(self, request, obj=None):
        return False  # a verified row renamed here would stay verified: add and remove only


class WelfareAreaFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [
            (o.pk, str(o))
            for o in Organisation.objects.filter(kind=Organisation.Kind.WELFARE_AREA).order_by("name_fi")
        ]


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    media = property(_local_tabs_media)
    list_display = ["name", "kind", "code", "region", "welfare_area", "population", "is_active"]
    list_filter = ["kind", "region", ("welfare_area", WelfareAreaFilter), "outside_welfare_reform", "is_active"]
    list_select_related = ["region", "welfare_area"]
    search_fields = ["name_fi", "name_sv", "name_en", "code", "slug"]
    autocomplete_fields = ["welfare_area", "parent", "member_organisations"]
    prepopulated_fields = {"slug": ["name_fi"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [EmployeeCountInline, EmailDomainInline, OrganisationMembershipInline]
    change_list_template = "orgs/admin/organisation_change_list.html"
    fieldsets = [
        (None, {"fields": ["kind", "code", "name", "slug", "description", "logo", "is_active"]}),
        (_("Place"), {"fields": ["region", "welfare_area", "organises_welfare_services",
                                 "outside_welfare_reform", "parent", "member_organisations"]}),
        (_("Population"), {"fields": ["population", "population_year"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_urls(self):
        return [
            path("import-employees/", self.admin_site.admin_view(self.import_employee_counts),
                 name="orgs_organisation_import_employees"),
            *super().get_urls(),
        ]

    def import_employee_counts(self, request):
        """Upload a CSV → see every row (or every bad line) → confirm. All or nothing."""
        if not request.user.has_perm("orgs.add_employeecount") or not request.user.has_perm(
                "orgs.change_employeecount"):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": _("Import employee counts")}
        if request.method == "POST" and "confirm" in request.POST:
            data = request.POST.get("csv_text", "").encode("utf-8")
            parsed = services.employee_counts_parse(data)
            if parsed.is_valid:
                saved = services.employee_counts_import(data=data)
                self.message_user(request, _("Saved %(count)d employee counts.") % {"count": saved},
                                  messages.SUCCESS)
                return redirect(reverse("admin:orgs_organisation_changelist"))
            form = EmployeeCountUploadForm()
            context.update(form=form, parsed=parsed)
        elif request.method == "POST":
            form = EmployeeCountUploadForm(request.POST, request.FILES)
            if form.is_valid():
                parsed = services.employee_counts_parse(form.cleaned_data["file"].read())
                context.update(parsed=parsed)
                if parsed.is_valid:
                    form = None
            context.update(form=form)
        else:
            context.update(form=EmployeeCountUploadForm())
        return TemplateResponse(request, "orgs/admin/employee_count_import.html", context)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Every write calls the service the site uses (orgs/services.py): confirming, changing the role
    and removing are recorded in the audit trail and mailed as on the site. People ask to join on
    the site, so memberships are not added here."""

    list_display = ["user", "organisation", "role", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "role", "organisation__kind"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name_fi", "organisation__name_sv"]
    fields = ["user", "organisation", "role", "status", "created_at", "confirmed_at", "confirmed_by"]
    readonly_fields = ["user", "organisation", "status", "created_at", "confirmed_at", "confirmed_by"]
    actions = ["confirm_selected"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_confirmed:
            return [*self.readonly_fields, "role"]  # confirmed first (the action), then the role
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if "role" in form.changed_data:
            stored = Membership.objects.select_related("organisation").get(pk=obj.pk)
            try:
                services.membership_set_role(membership=stored, role=obj.role, by=request.user)
            except services.MembershipError as error:
                self.message_user(request, str(error), messages.ERROR)

    def delete_model(self, request, obj):
        self._remove(request, obj)

    def delete_queryset(self, request, queryset):  # the bulk "delete selected"
        for membership in queryset.select_related("organisation", "user"):
            self._remove(request, membership)

    def _remove(self, request, membership):
        try:
            services.membership_remove(membership=membership, by=request.user)
        except services.MembershipError as error:
            self.message_user(request, f"{membership}: {error}", messages.ERROR)

    @admin.action(description=_("Confirm the selected memberships"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        count = 0
        for membership in queryset.filter(status=Membership.Status.PENDING).select_related("organisation", "user"):
            try:
                services.membership_confirm(membership=membership, by=request.user)
            except services.MembershipError as error:
                self.message_user(request, f"{membership}: {error}", messages.ERROR)
            else:
                count += 1
        self.message_user(request, _("Confirmed %(count)d memberships.") % {"count": count}, messages.SUCCESS)


class EmailDomainStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("waiting for KT staff")), ("verified", _("verified")),
                ("suggestion", _("suggestion only"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(verified=False, requested_at__isnull=False)
        if self.value() == "verified":
            return queryset.filter(verified=True)
        if self.value() == "suggestion":
            return queryset.filter(verified=False, requested_at__isnull=True)
        return queryset


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    """Domains organisation admins asked to verify wait here for KT staff (filter "waiting")."""

    list_display = ["domain", "organisation", "verified", "pending_reason", "requested_by", "requested_at",
                    "verification", "verified_by"]
    list_filter = [EmailDomainStateFilter, "pending_reason", "verification"]
    list_select_related = ["organisation", "requested_by", "verified_by"]
    search_fields = ["domain", "organisation__name_fi", "organisation__name_sv"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["verified", "verification", "verified_by", "verified_at", "requested_by", "requested_at",
                       "pending_reason"]
    actions = ["approve_selected", "decline_selected"]

    def get_readonly_fields(self, request, obj=None):
        # A verified domain renamed or moved here would stay verified: only new rows take these.
        return [*self.readonly_fields, "domain", "organisation"] if obj else self.readonly_fields

    @admin.action(description=_("Verify the selected e-mail domains"), permissions=["change"])
    def approve_selected(self, request, queryset):
        count = 0
        for email_domain in queryset.filter(verified=False):
            try:
                domains.email_domain_approve(email_domain=email_domain, by=request.user)
            except services.MembershipError as error:
                self.message_user(request, f"{email_domain.domain}: {error}", messages.ERROR)
            else:
                count += 1
        self.message_user(request, _("Verified %(count)d e-mail domains.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Decline verifying the selected e-mail domains"), permissions=["change"])
    def decline_selected(self, request, queryset):
        count = 0
        for email_domain in queryset.filter(verified=False, requested_at__isnull=False):
            domains.email_domain_decline(email_domain=email_domain, by=request.user)
            count += 1
        self.message_user(request, _("Declined %(count)d requests; the domains stay suggestions only.") % {
            "count": count}, messages.SUCCESS)


@admin.register(MembershipEvent)
class MembershipEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "organisation", "action", "actor", "detail"]
    list_filter = ["action"]
    list_select_related = ["user", "organisation", "actor"]
    search_fields = ["user__email", "organisation__name_fi", "organisation__name_sv"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Two-step verification (allauth.mfa) ------------------------------------------------

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Staff see who has two-step verification and can remove it (a lost phone), but never
    the secret key or the recovery codes, and cannot add or change one."""

    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    search_fields = ("user__email",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
