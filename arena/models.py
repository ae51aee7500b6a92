from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from orgs.models import Organisation
from orgs.text import OneLineCharField

from .consent import ConsentState


class Sector(models.Model):
    """Toimiala / sektor."""

    name = OneLineCharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """Teema / tema."""

    name = OneLineCharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ActionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Action.Status.PUBLISHED)


class Action(models.Model):
    """A development action (kehittämisteko / utvecklingsåtgärd)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("waiting for moderation")
        PUBLISHED = "published", _("published")
        RETURNED = "returned", _("returned for changes")
        REJECTED = "rejected", _("rejected")
        HIDDEN = "hidden", _("hidden")

    class Stage(models.TextChoices):
        PREPARATION = "preparation", _("in preparation")
        PILOTING = "piloting", _("piloting")
        ESTABLISHED = "established", _("established practice")

    class Language(models.TextChoices):
        FI = "fi", _("Finnish")
        SV = "sv", _("Swedish")
        EN = "en", _("English")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="actions", null=True, blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="actions",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partner organisations"), blank=True, related_name="partner_actions",
    )
    title = OneLineCharField(_("title"), max_length=200)
    summary = models.CharField(_("short summary"), max_length=300, blank=True)
    need = models.TextField(_("need and goals"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    results = models.TextField(_("results"), blank=True)
    tips = models.TextField(_("tips for others"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="actions")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="actions")
    # The makers (people named on the action) are rows of their own, each with their consent: `Maker`.
    language = models.CharField(_("language of the text"), max_length=2, choices=Language.choices, default="fi")
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)

    status = models.CharField(_("state"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Kept current by the services; never computed per request.
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    adoption_count = models.PositiveIntegerField(_("adoptions"), default=0)
    search_vector = SearchVectorField(null=True, editable=False)
    # The one-time key of the "new action" form it was created from: a replayed or doubled POST
    # of the same form finds this action instead of creating another (services.action_create).
    form_key = models.UUIDField(_("form key"), null=True, blank=True, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("development action")
        verbose_name_plural = _("development actions")
        ordering = ["-published_at", "-created_at"]
        permissions = [("moderate_action", _("Can moderate development actions"))]
        indexes = [
            GinIndex(fields=["search_vector"], name="action_search_gin"),
            # Lists, newest first: walked from the index alone, the organisation at hand for a region's
            # filter (no visit to the table's rows for the actions that do not match).
            models.Index(fields=["-published_at", "-id"], include=["organisation"], condition=Q(status="published"),
                         name="action_published_newest"),
            models.Index(fields=["status", "-like_count"], name="action_status_likes"),
            models.Index(fields=["status", "-adoption_count"], name="action_status_adoptions"),
            # Campaign counters and rankings: published actions by first submission, read from the index
            # alone (no visit to the table's rows).
            models.Index(fields=["submitted_at", "organisation"], include=["id"], condition=Q(status="published"),
                         name="action_published_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "published", "returned", "rejected", "hidden"]),
                name="action_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["", "preparation", "piloting", "established"]), name="action_stage_valid",
            ),
            models.CheckConstraint(condition=Q(language__in=["fi", "sv", "en"]), name="action_language_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="action_submitted_has_time",
            ),
            models.UniqueConstraint(fields=["author", "form_key"], name="action_form_key_once_per_author"),
        ]

    def __str__(self):
        return self.title

    @property
    def slug(self):
        return slugify(self.title)[:80] or "action"

    def get_absolute_url(self):
        return reverse("arena:action-detail", kwargs={"pk": self.pk, "slug": self.slug})


class ContactPerson(models.Model):
    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="contacts")
    name = OneLineCharField(_("name"), max_length=200)
    job_title = OneLineCharField(_("job title"), max_length=200, blank=True)
    organisation_name = OneLineCharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    public = models.BooleanField(_("may be shown publicly"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Maker(models.Model):
    """A person named as one of the makers of an action. The name is public only once they have
    confirmed it through the link mailed to them (arena/makers.py); "remove my name" deletes the row."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="makers")
    name = OneLineCharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Action.Language.choices, default="fi")
    consent = models.CharField(_("consent"), max_length=10, choices=ConsentState.choices,
                               default=ConsentState.PENDING)
    consent_requested_at = models.DateTimeField(_("link sent at"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    token_version = models.PositiveIntegerField(_("link version"), default=1, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("maker")
        verbose_name_plural = _("makers")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(consent__in=["pending", "given"]), name="maker_consent_valid"),
            models.CheckConstraint(condition=Q(language__in=["fi", "sv", "en"]), name="maker_language_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_confirmed(self) -> bool:
        return self.consent == ConsentState.GIVEN


class ActionImage(models.Model):
    """A re-encoded image with thumbnails made once at upload (see arena/images.py)."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="actions/", width_field="width", height_field="height")
    thumb_small = models.ImageField(_("small thumbnail (WebP)"), upload_to="actions/thumbs/", blank=True)
    thumb_small_jpeg = models.ImageField(_("small thumbnail (JPEG)"), upload_to="actions/thumbs/", blank=True)
    thumb_large = models.ImageField(_("large thumbnail (WebP)"), upload_to="actions/thumbs/", blank=True)
    thumb_large_jpeg = models.ImageField(_("large thumbnail (JPEG)"), upload_to="actions/thumbs/", blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    alt_text = OneLineCharField(_("alternative text"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_cover = models.BooleanField(_("cover image"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["action"], condition=Q(is_cover=True), name="action_one_cover"),
        ]

    def __str__(self):
        return self.alt_text


class ActionLink(models.Model):
    class Kind(models.TextChoices):
        WEB = "web", _("web page")
        VIDEO = "video", _("video")

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    title = OneLineCharField(_("link text"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WEB)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["web", "video"]), name="action_link_kind_valid")]

    def __str__(self):
        return self.title or self.url


class Transition(models.Model):
    """The audit trail: every change of state, who made it and why."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Action.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Action.Status.choices)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class Revision(models.Model):
    """An edit of an action after it was published (what changed, by whom), or one proposed.

    Edits by the author or an organisation admin are applied at once (`applied`). Another
    member's edit waits (`pending`, with the proposed content in `proposal`) until a moderator
    approves it (then applied: `approved`) or rejects it (`rejected`); see arena/proposals.py.
    A move to another organisation is an applied revision whose `message` gives the reason.
    """

    class State(models.TextChoices):
        APPLIED = "applied", _("applied")
        PENDING = "pending", _("waiting for moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("edited by"), on_delete=models.SET_NULL, null=True, related_name="+",
    )
    changes = models.JSONField(_("changes"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.APPLIED)
    proposal = models.JSONField(_("proposed content"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("edit after publication")
        verbose_name_plural = _("edits after publication")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="revision_state_created")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["applied", "pending", "approved", "rejected"]),
                                   name="revision_state_valid"),
            models.UniqueConstraint(fields=["action", "editor"], condition=Q(state="pending"),
                                    name="revision_one_pending_per_editor"),
        ]

    def __str__(self):
        return f"{self.action} @ {self.created_at:%Y-%m-%d %H:%M}"


class Like(models.Model):
    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="likes",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["action", "user"], name="like_once_per_user")]


class Adoption(models.Model):
    """"We did this too": an organisation adopted the action."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="adoptions")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="adoptions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.SET_NULL, null=True, related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation"], name="adoption_once_per_organisation"),
        ]


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("spam")
        OFFENSIVE = "offensive", _("offensive")
        OFF_TOPIC = "off_topic", _("does not belong here")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    staff_alerted_at = models.DateTimeField(
        _("staff e-mailed at"), null=True, blank=True, db_index=True,
        help_text=_("Empty while the report waits for the next e-mail to KT staff."),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=["spam", "offensive", "off_topic"]),
                                   name="report_reason_valid"),
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="report_status_valid"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.action}"


class PublishedTally(models.Model):
    """Published actions counted per organisation, month of publication, sector and theme.

    Kept by the services in the same transaction as every change that makes an action public or
    not, moves it or changes its adoptions (`arena/tallies.py`), so that the front-page figures,
    the year and organisation choices and the statistics read a few hundred small rows instead of
    counting every action. `python manage.py rebuild_tallies` recomputes them from scratch.
    Exactly one of organisation / month / sector / theme is set, as `kind` says; the
    organisation row with no organisation counts the published actions that have none.
    """

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        MONTH = "month", _("month")
        SECTOR = "sector", _("sector")
        THEME = "theme", _("theme")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     null=True, blank=True, related_name="+")
    month = models.DateField(_("month"), null=True, blank=True)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.CASCADE, null=True, blank=True,
                               related_name="tallies")
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.CASCADE, null=True, blank=True,
                              related_name="tallies")
    actions = models.IntegerField(_("published actions"), default=0)
    adoptions = models.IntegerField(_("adoptions of published actions"), default=0)

    class Meta:
        verbose_name = _("count of published actions")
        verbose_name_plural = _("counts of published actions")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["organisation", "month", "sector", "theme"]),
                                   name="published_tally_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind="organisation", month__isnull=True, sector__isnull=True, theme__isnull=True)
                           | Q(kind="month", month__isnull=False, organisation__isnull=True, sector__isnull=True,
                               theme__isnull=True)
                           | Q(kind="sector", sector__isnull=False, organisation__isnull=True, month__isnull=True,
                               theme__isnull=True)
                           | Q(kind="theme", theme__isnull=False, organisation__isnull=True, month__isnull=True,
                               sector__isnull=True)),
                name="published_tally_one_key"),
            models.UniqueConstraint(fields=["kind", "organisation", "month", "sector", "theme"],
                                    nulls_distinct=False, name="published_tally_once"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.actions}"
