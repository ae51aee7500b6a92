from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import OneLineCharField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = OneLineCharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="fi"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_language__in=["fi", "sv", "en"]), name="user_language_valid"
            )
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Region(models.Model):
    """Maakunta / landskap, by Statistics Finland code ("01" … "21")."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = OneLineCharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, text: str):
        """Organisations whose name in any language (or official code) contains `text`."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name_fi__icontains=text) | Q(name_sv__icontains=text) | Q(name_en__icontains=text)
            | Q(code__iexact=text)
        )

    def order_by_name(self, language: str | None = None):
        """By the name in `language` (the active one by default), falling back to Finnish."""
        from django.db.models.functions import Coalesce, Lower, NullIf
        from django.utils.translation import get_language

        language = (language or get_language() or "fi")[:2]
        if language not in {code for code, _name in settings.LANGUAGES}:
            language = "fi"
        localised = Coalesce(NullIf(f"name_{language}", models.Value("")), "name_fi", output_field=models.CharField())
        return self.order_by(Lower(localised), "pk")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        WELFARE_AREA = "welfare_area", _("wellbeing services county")
        JOINT_AUTHORITY = "joint_authority", _("joint municipal authority")
        WELFARE_JOINT_AUTHORITY = "welfare_joint_authority", _("welfare joint authority")
        OTHER = "other", _("other organisation")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    code = models.CharField(
        _("official code"), max_length=20, blank=True,
        help_text=_("Statistics Finland code, e.g. 425 for Liminka."),
    )
    name = OneLineCharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="organisations",
    )
    welfare_area = models.ForeignKey(
        "self", verbose_name=_("wellbeing services county"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="municipalities",
        limit_choices_to={"kind": "welfare_area"},
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="children",
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    outside_welfare_reform = models.BooleanField(
        _("outside the welfare-area reform"), default=False,
        help_text=_("Åland's municipalities are not part of the wellbeing services reform."),
    )
    organises_welfare_services = models.BooleanField(
        _("organises its own welfare services"), default=False,
        help_text=_("The City of Helsinki organises social, health and rescue services itself "
                    "instead of a wellbeing services county."),
    )
    member_organisations = models.ManyToManyField(
        "self", verbose_name=_("member organisations"), symmetrical=False, blank=True,
        related_name="joint_authorities",
        help_text=_("For a joint authority: the organisations that own it (e.g. HUS: the Uusimaa "
                    "wellbeing services counties and the City of Helsinki)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["municipality", "welfare_area", "joint_authority",
                                      "welfare_joint_authority", "other"]),
                name="organisation_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~Q(code=""), name="organisation_kind_code_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("orgs:organisation-detail", kwargs={"slug": self.slug})


class EmployeeCount(models.Model):
    """Employees in a year: what the per-employee award divides by (not inhabitants)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="employee_counts",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    employees = models.PositiveIntegerField(_("employees"))

    class Meta:
        verbose_name = _("employee count")
        verbose_name_plural = _("employee counts")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="employee_count_unique_year"),
            models.CheckConstraint(condition=Q(employees__gte=0), name="employee_count_not_negative"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.employees}"


class MembershipQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Membership.Status.CONFIRMED)

    def pending(self):
        return self.filter(status=Membership.Status.PENDING)

    def admins(self):
        return self.filter(role=Membership.Role.ADMIN, status=Membership.Status.CONFIRMED)


class EmailDomain(models.Model):
    """An e-mail domain of an organisation's employees.

    Three states: a *suggestion* only preselects the organisation on the join page; a
    *pending* domain is one an organisation admin asked to have verified and waits for KT
    staff (`requested_at` set); a *verified* one confirms memberships at once (see
    `orgs.domains.address_auto_confirms`). Only KT staff or proof verify a domain
    (`orgs.domains.email_domain_add`, `email_domain_approve`).
    """

    class Verification(models.TextChoices):
        REFERENCE = "reference", _("reference data")
        STAFF = "staff", _("approved by KT staff")
        PROOF = "proof", _("proved by an admin's confirmed address")

    class PendingReason(models.TextChoices):
        NO_PROOF = "no_proof", _("no confirmed address of the admin on the domain")
        ELSEWHERE = "elsewhere", _("known to belong to another organisation")
        EARLIER = "earlier", _("verified before claims needed proof")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="email_domains",
    )
    domain = models.CharField(_("domain"), max_length=253)
    verified = models.BooleanField(_("verified"), default=False)
    verification = models.CharField(_("verified by way of"), max_length=10, choices=Verification.choices,
                                    blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verification asked by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    requested_at = models.DateTimeField(_("verification asked at"), null=True, blank=True)
    pending_reason = models.CharField(_("waits for KT staff because"), max_length=10,
                                      choices=PendingReason.choices, blank=True)

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "domain"], name="email_domain_unique"),
            models.CheckConstraint(condition=Q(domain=models.functions.Lower("domain")),
                                   name="email_domain_lowercase"),
            models.CheckConstraint(condition=Q(verification__in=["", "reference", "staff", "proof"]),
                                   name="email_domain_verification_valid"),
            models.CheckConstraint(condition=Q(pending_reason__in=["", "no_proof", "elsewhere", "earlier"]),
                                   name="email_domain_pending_reason_valid"),
            # Pending means "not verified yet": never both.
            models.CheckConstraint(condition=Q(verified=False) | Q(requested_at__isnull=True),
                                   name="email_domain_pending_not_verified"),
        ]

    def __str__(self):
        return self.domain

    @property
    def is_pending(self) -> bool:
        return not self.verified and self.requested_at is not None


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        ADMIN = "admin", _("organisation admin")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=["member", "admin"]), name="membership_role_valid"),
            models.CheckConstraint(condition=Q(status__in=["pending", "confirmed"]),
                                   name="membership_status_valid"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class MembershipEvent(models.Model):
    """Audit trail of memberships: who asked, who confirmed, changed or removed, and when.

    Kept when the membership itself is deleted (leaving or removal), so the user and
    organisation are stored directly.
    """

    class Action(models.TextChoices):
        REQUESTED = "requested", _("asked to join")
        AUTO_CONFIRMED = "auto_confirmed", _("confirmed by verified e-mail domain")
        CONFIRMED = "confirmed", _("confirmed")
        ROLE_CHANGED = "role_changed", _("role changed")
        REMOVED = "removed", _("removed")
        LEFT = "left", _("left")
        RETURNED = "returned", _("back to waiting: the e-mail domain was re-checked")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="membership_events",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="membership_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["requested", "auto_confirmed", "confirmed", "role_changed",
                                        "removed", "left", "returned"]),
                name="membership_event_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} @ {self.organisation}: {self.action}"
