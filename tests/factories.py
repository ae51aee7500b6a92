import factory
from django.utils import timezone

from arena.models import Action, Sector, Theme
from orgs.models import Membership, Organisation, Region


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orgs.User"
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fi")
    full_name = factory.Faker("name", locale="fi_FI")
    preferred_language = "fi"
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Users made by the factory have a confirmed e-mail address, as allauth requires."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 90) + 10:02d}")
    name_fi = factory.Sequence(lambda n: f"Maakunta {n}")
    name_sv = factory.Sequence(lambda n: f"Landskap {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.MUNICIPALITY
    code = factory.Sequence(lambda n: f"T{n:04d}")
    name_fi = factory.Sequence(lambda n: f"Testikunta {n}")
    name_sv = factory.Sequence(lambda n: f"Testkommun {n}")
    slug = factory.Sequence(lambda n: f"testikunta-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name_fi = factory.Sequence(lambda n: f"Toimiala {n}")
    name_sv = factory.Sequence(lambda n: f"Sektor {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name_fi = factory.Sequence(lambda n: f"Teema {n}")
    name_sv = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ActionFactory(factory.django.DjangoModelFactory):
    """A complete action (every field a submission requires), published unless told otherwise."""

    class Meta:
        model = Action
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Kehittämisteko {n}")
    summary = "Lyhyt kuvaus teosta."
    need = "Tarve ja tavoitteet."
    solution = "Mitä tehtiin."
    results = "Mitä saatiin aikaan."
    stage = Action.Stage.ESTABLISHED
    language = "fi"
    consent_to_publish = True
    status = Action.Status.PUBLISHED
    submitted_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyAttribute(
        lambda o: o.submitted_at if o.status in (Action.Status.PUBLISHED, Action.Status.HIDDEN) else None
    )

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create:
            obj.sectors.set(extracted if extracted is not None else [SectorFactory()])

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create:
            obj.themes.set(extracted if extracted is not None else [ThemeFactory()])

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Rows written here bypass the services, which keep the published counts: count afresh,
        # as `manage.py rebuild_tallies` does after a bulk import.
        super()._after_postgeneration(instance, create, results)
        if create:
            from arena.tallies import tallies_rebuild  # noqa: PLC0415

            tallies_rebuild()


# --- orgs ---------------------------------------------------------------------------

class EmailDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orgs.EmailDomain"

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"kunta{n}.fi")
    verified = True
# --- Campaigns ------------------------------------------------------------------------
import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from campaigns.models import (  # noqa: E402
    AwardCategory, Campaign, Criterion, Juror, Review, Score,
)
from orgs.models import EmployeeCount  # noqa: E402

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(*args) -> datetime.datetime:
    """An aware datetime in Finnish time: helsinki(2026, 3, 31, 23, 59, 59)."""
    return datetime.datetime(*args, tzinfo=HELSINKI)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A six-week spring campaign 2026 open to every organisation kind, gala a week after the end."""

    class Meta:
        model = Campaign

    name_fi = factory.Sequence(lambda n: f"Kampanja {n}")
    name_sv = factory.Sequence(lambda n: f"Kampanj {n}")
    name_en = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"kampanja-{n}")
    description_fi = "Kampanjan kuvaus."
    starts_on = datetime.date(2026, 3, 1)
    ends_on = datetime.date(2026, 4, 12)
    gala_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(o.ends_on + datetime.timedelta(days=7), datetime.time(18), tzinfo=HELSINKI)
    )
    eligible_kinds = factory.LazyFunction(lambda: list(Organisation.Kind.values))


class AwardCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardCategory
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    kind = AwardCategory.Kind.MOST_ACTIONS
    name_fi = factory.Sequence(lambda n: f"Palkintosarja {n}")
    name_sv = factory.Sequence(lambda n: f"Priskategori {n}")
    name_en = factory.Sequence(lambda n: f"Award category {n}")
    position = factory.Sequence(lambda n: n)
    winners = 3


class EmployeeCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orgs.EmployeeCount"

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2026
    employees = 1000


class JurorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Juror

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    campaign = factory.SubFactory(CampaignFactory)
    name_fi = factory.Sequence(lambda n: f"Kriteeri {n}")
    weight = 1
    position = factory.Sequence(lambda n: n)


def score_action(juror, action, values: dict, comment: str = "") -> Review:
    """Record a juror's scores: values maps Criterion → score."""
    review = Review.objects.create(juror=juror, action=action, comment=comment)
    Score.objects.bulk_create([Score(review=review, criterion=c, value=v) for c, v in values.items()])
    return review
# --- browse: images, likes, adoptions ------------------------------------------------

from django.core.files.base import ContentFile  # noqa: E402

def _tiny_image_bytes(fmt="JPEG", color=(40, 110, 160)):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, format=fmt)
    return buffer.getvalue()


class ActionImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "arena.ActionImage"

    action = factory.SubFactory(ActionFactory)
    image = factory.LazyFunction(lambda: ContentFile(_tiny_image_bytes(), name="kuva.jpg"))
    thumb_small = factory.LazyFunction(lambda: ContentFile(_tiny_image_bytes("WEBP"), name="kuva.webp"))
    thumb_small_jpeg = factory.LazyFunction(lambda: ContentFile(_tiny_image_bytes(), name="kuva-small.jpg"))
    alt_text = "Kuva teosta"
    is_cover = False
    position = factory.Sequence(lambda n: n)


class LikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "arena.Like"

    action = factory.SubFactory(ActionFactory)
    user = factory.SubFactory(UserFactory)


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "arena.Adoption"

    action = factory.SubFactory(ActionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    note = "Otimme käyttöön."


# --- heroes of work and wonder-workers ------------------------------------------------------

from campaigns.models import CandidateOverride  # noqa: E402


def nominate(*, campaign, category, user=None, name="Hanna Sankari", email="hanna.sankari@kunta.fi",
             job_title="Lähihoitaja", organisation=None, justification="Kehitti koko tiimin työtapoja.",
             now=None, **extra):
    """A nomination through the service (so the nominee grouping and the consent e-mail happen)."""
    from campaigns.nominations import nomination_create

    return nomination_create(
        campaign=campaign, category=category, user=user or UserFactory(), name=name, email=email,
        job_title=job_title, organisation=organisation, justification=justification,
        now=now or helsinki(2026, 3, 15, 12, 0), **extra,
    )


class CandidateOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateOverride

    category = factory.SubFactory(AwardCategoryFactory, kind=AwardCategory.Kind.JURY_ORGANISATIONS)
    organisation = factory.SubFactory(OrganisationFactory)
    include = True
    reason = "Rohkea kehittäjä"


# --- campaign managers ---------------------------------------------------------------

def campaign_manager(**kwargs):
    """A KT staff member in the "Campaign managers" group (made by a migration; made again here
    after a transactional test has emptied the tables)."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name="Campaign managers")
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label="campaigns"))
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(group)
    return user


from arena.models import Maker  # noqa: E402


class MakerFactory(factory.django.DjangoModelFactory):
    """A maker who has confirmed their name, unless `consent="pending"` is given."""

    class Meta:
        model = Maker

    action = factory.SubFactory(ActionFactory)
    name = factory.Sequence(lambda n: f"Tekijä {n}")
    email = factory.Sequence(lambda n: f"tekija{n}@kunta.fi")
    language = "fi"
    consent = "given"
    consent_given_at = factory.LazyFunction(timezone.now)
