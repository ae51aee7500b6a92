import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from arena.consent import ConsentState
from arena.models import Action, Sector, Theme
from orgs.models import Organisation
from orgs.text import OneLineCharField

# Campaign periods are dates in Finnish time, whatever the server's time zone.
HELSINKI = ZoneInfo("Europe/Helsinki")


class DayAfterStartInHelsinki(Func):
    """SQL: the instant the day after a date begins in Europe/Helsinki (for the gala constraint)."""

    template = "((%(expressions)s + 1)::timestamp AT TIME ZONE 'Europe/Helsinki')"
    output_field = models.DateTimeField()


class StartInHelsinki(Func):
    """SQL: the instant a date begins in Europe/Helsinki."""

    template = "((%(expressions)s)::timestamp AT TIME ZONE 'Europe/Helsinki')"
    output_field = models.DateTimeField()


class CampaignQuerySet(models.QuerySet):
    """Campaigns by where `as_of` falls against their Helsinki-date periods."""

    def running(self, as_of: datetime.datetime):
        today = as_of.astimezone(HELSINKI).date()
        return self.filter(starts_on__lte=today, ends_on__gte=today)

    def upcoming(self, as_of: datetime.datetime):
        return self.filter(starts_on__gt=as_of.astimezone(HELSINKI).date())

    def past(self, as_of: datetime.datetime):
        return self.filter(ends_on__lt=as_of.astimezone(HELSINKI).date())

    def for_kind(self, kind: str):
        return self.filter(eligible_kinds__contains=[kind])


class Campaign(models.Model):
    """A campaign with a fixed period that ends in awards revealed at a gala."""

    class ResultsState(models.TextChoices):
        LIVE = "live", _("live (not frozen)")
        FROZEN = "frozen", _("frozen, not yet published")
        PUBLISHED = "published", _("published")

    name = OneLineCharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True,
        error_messages={"unique": _("Another campaign already uses this slug; choose another one.")},
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), help_text=_("First day of the period (Finnish time)."))
    ends_on = models.DateField(_("ends on"), help_text=_("Last day of the period, included (Finnish time)."))
    gala_at = models.DateTimeField(_("gala time"), help_text=_("When the results are revealed."))
    eligible_kinds = ArrayField(
        models.CharField(max_length=30, choices=Organisation.Kind.choices),
        verbose_name=_("eligible organisation kinds"), default=list,
    )
    live_ranking_public = models.BooleanField(
        _("live ranking public during the period"), default=False,
        help_text=_("Show the “most actions” ranking on the campaign page while the campaign runs."),
    )
    one_award_per_action = models.BooleanField(
        _("an action wins at most one award"), default=False,
        help_text=_("Jury categories are then filled in their order, each skipping actions already awarded."),
    )
    normalise_scores = models.BooleanField(
        _("standardise each juror's scores"), default=False,
        help_text=_("Cancel harsh or lenient jurors by standardising each juror's scores (z-scores)."),
    )
    scoring_deadline = models.DateTimeField(_("scoring deadline"), null=True, blank=True)
    results_state = models.CharField(
        _("results"), max_length=10, choices=ResultsState.choices, default=ResultsState.LIVE, editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="campaign_period_in_order",
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(gala_at__gte=DayAfterStartInHelsinki("ends_on")), name="campaign_gala_after_period",
                violation_error_message=_("The gala cannot be before the campaign period has ended."),
            ),
            models.CheckConstraint(
                condition=Q(eligible_kinds__contained_by=Organisation.Kind.values),
                name="campaign_eligible_kinds_valid",
                violation_error_message=_("Unknown organisation kind."),
            ),
            models.CheckConstraint(
                condition=Q(results_state__in=["live", "frozen", "published"]), name="campaign_results_state_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:campaign-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The campaign cannot end before it starts.")
        elif self.ends_on and self.gala_at and self.gala_at < self.period_end:
            errors["gala_at"] = _("The gala cannot be before the campaign period has ended.")
        if errors:
            raise ValidationError(errors)

    @property
    def period_start(self) -> datetime.datetime:
        """The first instant of the period (00:00 Helsinki time on `starts_on`)."""
        return datetime.datetime.combine(self.starts_on, datetime.time(), tzinfo=HELSINKI)

    @property
    def period_end(self) -> datetime.datetime:
        """The first instant after the period (00:00 Helsinki time the day after `ends_on`)."""
        return datetime.datetime.combine(self.ends_on + datetime.timedelta(days=1), datetime.time(), tzinfo=HELSINKI)

    @property
    def year(self) -> int:
        return self.ends_on.year

    def is_running(self, as_of: datetime.datetime) -> bool:
        return self.period_start <= as_of < self.period_end

    def has_ended(self, as_of: datetime.datetime) -> bool:
        return as_of >= self.period_end

    def eligible_kind_labels(self) -> list[str]:
        labels = dict(Organisation.Kind.choices)
        return [labels.get(kind, kind) for kind in self.eligible_kinds]


class AwardCategory(models.Model):
    """Palkintosarja / priskategori."""

    class Kind(models.TextChoices):
        MOST_ACTIONS = "most_actions", _("most actions")
        PER_EMPLOYEE = "per_employee", _("most actions per 1 000 employees")
        JURY = "jury", _("jury")
        JURY_PEOPLE = "jury_people", _("jury on people (heroes of work)")
        JURY_ORGANISATIONS = "jury_organisations", _("jury on organisations (wonder-workers)")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="categories",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = OneLineCharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of the categories (also the order jury awards are filled in)."),
    )
    winners = models.PositiveSmallIntegerField(_("number of winners"), default=1)
    min_actions = models.PositiveSmallIntegerField(
        _("minimum number of actions"), default=5,
        help_text=_("Per-employee category: organisations with fewer eligible actions are not ranked. "
                    "Wonder-worker category: organisations with at least this many eligible actions are candidates."),
    )
    employee_year = models.PositiveSmallIntegerField(
        _("employee-count year"), null=True, blank=True,
        help_text=_("Per-employee category: the year of the employee counts (empty: the campaign's year)."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("limited to themes"), blank=True, related_name="award_categories",
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("limited to sectors"), blank=True, related_name="award_categories",
    )
    shortlist = models.ManyToManyField(
        Action, verbose_name=_("shortlist"), blank=True, related_name="shortlisted_in",
        help_text=_("Jury category: when given, only these actions are ranked."),
    )

    class Meta:
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["most_actions", "per_employee", "jury", "jury_people", "jury_organisations"]),
                name="award_category_kind_valid",
                violation_error_message=_("Unknown award category kind."),
            ),
            models.CheckConstraint(
                condition=Q(winners__gt=0), name="award_category_has_winners",
                violation_error_message=_("A category needs at least one winner."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def year(self) -> int:
        return self.employee_year or self.campaign.year


class Juror(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="jurors")
    # A deleted account leaves its juror role, and so its scores, under a pseudonym (campaigns/privacy.py):
    # results that are not frozen yet do not change behind the chair's back.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True,
        related_name="juror_roles",
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    account_deleted_at = models.DateTimeField(_("account deleted at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["campaign", "-is_chair", "user"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="juror_once_per_campaign")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The juror's name or address; a stable pseudonym once the account has been deleted."""
        if self.user_id is None:
            return _("Juror %(number)s (account deleted)") % {"number": self.pk}
        return str(self.user)


class Criterion(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="criteria",
    )
    name = OneLineCharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="criterion_weight_positive",
                violation_error_message=_("The weight must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")), name="criterion_scale_in_order",
                violation_error_message=_("The lowest score must be below the highest."),
            ),
        ]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One juror's scores and comment on one subject: an action, a nominated person or an organisation."""

    juror = models.ForeignKey(Juror, verbose_name=_("juror"), on_delete=models.CASCADE, related_name="reviews")
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="reviews", null=True, blank=True,
    )
    nominee = models.ForeignKey(
        "Nominee", verbose_name=_("nominee"), on_delete=models.CASCADE, related_name="reviews", null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="jury_reviews",
        null=True, blank=True,
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["juror", "action"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "action"], name="review_once_per_juror"),
            models.UniqueConstraint(fields=["juror", "nominee"], name="review_nominee_once_per_juror"),
            models.UniqueConstraint(fields=["juror", "organisation"], name="review_organisation_once_per_juror"),
            models.CheckConstraint(
                condition=(
                    Q(action__isnull=False, nominee__isnull=True, organisation__isnull=True)
                    | Q(action__isnull=True, nominee__isnull=False, organisation__isnull=True)
                    | Q(action__isnull=True, nominee__isnull=True, organisation__isnull=False)
                ),
                name="review_exactly_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.juror} → {self.action or self.nominee or self.organisation}"


class Score(models.Model):
    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores",
    )
    value = models.SmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.value}"

    def clean(self):
        criterion = self.criterion if self.criterion_id else None
        if criterion and self.value is not None and not criterion.scale_min <= self.value <= criterion.scale_max:
            raise ValidationError({"value": _("The score must be between %(low)s and %(high)s.") % {
                "low": criterion.scale_min, "high": criterion.scale_max}})


class ResultSnapshot(models.Model):
    """Results frozen at the gala; later edits to actions, scores or employee counts don't touch them."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="snapshots",
    )
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("frozen by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    data = models.JSONField(_("results"), default=dict)
    # The public's results page part (what `results_categories.html` shows anonymous visitors), language
    # code → HTML: rendered once when frozen and again when a consent changes (campaigns/rendering.py).
    public_html = models.JSONField(_("public results as HTML"), default=dict, blank=True, editable=False)
    # The same categories with only their winners' rows (`rendering.winners_data`), written when frozen:
    # the pages that show the winners read these few rows, not every organisation's.
    winners = models.JSONField(_("winners"), default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("result snapshot")
        verbose_name_plural = _("result snapshots")
        ordering = ["campaign", "-frozen_at", "-id"]
        get_latest_by = "frozen_at"

    def __str__(self):
        return f"{self.campaign} @ {self.frozen_at:%Y-%m-%d %H:%M}"


class OrganisationAward(models.Model):
    """An organisation's place among the winners of a published snapshot (organisation and jury
    categories, not people): written when the results are published, read by the organisation page."""

    snapshot = models.ForeignKey(ResultSnapshot, verbose_name=_("result snapshot"), on_delete=models.CASCADE,
                                 related_name="organisation_awards")
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="awards")
    category_kind = models.CharField(_("kind"), max_length=30)
    category_names = models.JSONField(_("award category"), default=dict)
    category_position = models.PositiveSmallIntegerField(_("position"), default=0)
    rank = models.PositiveIntegerField(_("place"))
    title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("award of an organisation")
        verbose_name_plural = _("awards of organisations")
        ordering = ["organisation", "category_position", "rank", "id"]
        indexes = [models.Index(fields=["organisation", "campaign"], name="organisation_award_lookup")]

    def __str__(self):
        return f"{self.organisation_id}: {self.rank}"

    @property
    def category_name(self) -> str:
        from .ranking import localised  # noqa: PLC0415

        return localised(self.category_names)

    @property
    def is_jury(self) -> bool:
        return self.category_kind == AwardCategory.Kind.JURY


# --- Heroes of work (people) and wonder-workers (organisations) ---------------------------


# The consent states are shared with the makers of actions (arena/consent.py).


class Nominee(models.Model):
    """One nominated person in a campaign: every nomination with the same e-mail address is theirs.

    The person's consent (to be considered and named publicly) is theirs too; without it
    nothing personal is ever shown publicly.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="nominees",
    )
    email = models.EmailField(_("e-mail"), help_text=_("Stored in lower case; one nominee per address and campaign."))
    name = OneLineCharField(_("name"), max_length=200)
    job_title = OneLineCharField(_("job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="nominees",
    )
    organisation_name = OneLineCharField(_("organisation name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, default="fi")
    consent = models.CharField(
        _("consent"), max_length=10, choices=ConsentState.choices, default=ConsentState.PENDING,
    )
    consent_requested_at = models.DateTimeField(_("consent requested at"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_refused_at = models.DateTimeField(_("consent refused at"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    token_version = models.PositiveIntegerField(_("link version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["campaign", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="nominee_once_per_campaign"),
            models.CheckConstraint(
                condition=Q(consent__in=["pending", "given", "refused", "withdrawn"]), name="nominee_consent_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_consent(self) -> bool:
        return self.consent == ConsentState.GIVEN

    @property
    def organisation_display(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_name


class Nomination(models.Model):
    """One employee's nomination of a person for "hero of work", with its justification."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="nominations",
    )
    category = models.ForeignKey(
        AwardCategory, verbose_name=_("award category"), on_delete=models.CASCADE, related_name="nominations",
    )
    nominee = models.ForeignKey(
        Nominee, verbose_name=_("nominee"), on_delete=models.CASCADE, related_name="nominations",
    )
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominator"), on_delete=models.SET_NULL, null=True,
        related_name="nominations",
    )
    name = OneLineCharField(_("name"), max_length=200)
    job_title = OneLineCharField(_("job title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="nominations",
    )
    organisation_name = OneLineCharField(_("organisation name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    justification = models.TextField(_("justification"), max_length=2000)
    actions = models.ManyToManyField(
        Action, verbose_name=_("actions"), blank=True, related_name="nominations",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["campaign", "nominee", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(justification=""), name="nomination_has_justification"),
        ]

    def __str__(self):
        return f"{self.name} ({self.campaign})"


class CandidateOverride(models.Model):
    """Staff's hand on the wonder-worker candidates: add or remove an organisation, with a reason."""

    category = models.ForeignKey(
        AwardCategory, verbose_name=_("award category"), on_delete=models.CASCADE, related_name="overrides",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="candidate_overrides",
    )
    include = models.BooleanField(
        _("include"), default=True, help_text=_("Checked: a candidate whatever its number of actions; "
                                                "unchecked: never a candidate."),
    )
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now=True)

    class Meta:
        verbose_name = _("candidate override")
        verbose_name_plural = _("candidate overrides")
        ordering = ["category", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["category", "organisation"], name="candidate_override_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="candidate_override_has_reason"),
        ]

    def __str__(self):
        return f"{self.organisation} ({'+' if self.include else '−'})"
