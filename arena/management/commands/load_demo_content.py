"""Demo content for development: ~60 published actions in Finnish and Swedish with
cover pictures, likes and adoptions, a few drafts and submitted actions, and demo
accounts. Only with DEBUG on, and only into an empty portal (a second run adds nothing).
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from arena.demo.actions import ACTIONS, ADOPTION_NOTES, UNPUBLISHED
from arena.demo.images import demo_image_files
from arena.demo.organisations import demo_organisations
from arena.models import Action, ActionImage, Adoption, Like, Sector, Theme
from arena.search import actions_update_search_vectors
from arena.services import actions_recount_engagement
from orgs.models import Membership

# Development only: these accounts exist only when DEBUG is on.
DEMO_ACCOUNTS = [
    # (e-mail, password, full name, role)
    ("tyontekija@example.fi", "demo-tyontekija-2026", "Tiina Työntekijä", "employee"),
    ("paakayttaja@example.fi", "demo-paakayttaja-2026", "Pekka Pääkäyttäjä", "organisation admin"),
    ("moderaattori@example.fi", "demo-moderaattori-2026", "Maria Moderaattori", "moderator"),
    ("tuomari@example.fi", "demo-tuomari-2026", "Tuomas Tuomari", "juror"),
]
READERS = 12
SEED = 2026


def _account(email, password, full_name, **extra):
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(email=email, password=password, full_name=full_name, **extra)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


class Command(BaseCommand):
    help = "Load demo actions and demo accounts (DEBUG only; does nothing if actions exist)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo content is created.")
            return
        if Action.objects.exists():
            self.stdout.write("Actions exist already: no demo content added.")
            self._print_accounts()
            return
        with transaction.atomic():
            created = self._load()
        self.stdout.write(self.style.SUCCESS(
            f"demo content: {created} published actions, {len(UNPUBLISHED)} unpublished"))
        self._print_accounts()

    def _print_accounts(self):
        user_model = get_user_model()
        if not user_model.objects.filter(email=DEMO_ACCOUNTS[0][0]).exists():
            return
        self.stdout.write("Demo accounts (development only):")
        for email, password, _name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<20} {email:<28} {password}")

    def _load(self) -> int:
        rng = random.Random(SEED)
        organisations = demo_organisations()
        sectors = {s.slug: s for s in Sector.objects.all()}
        themes = {t.slug: t for t in Theme.objects.all()}
        employee, admin, moderator, _juror = [
            _account(email, password, name, is_staff=(role == "moderator"))
            for email, password, name, role in DEMO_ACCOUNTS
        ]
        # KT staff with the groups made by migrations: moderating, and running campaigns
        # (freezing and publishing results, the chair's view).
        moderator.groups.add(*Group.objects.filter(name__in=["Moderators", "Campaign managers"]))
        liminka = organisations["liminka"]
        for user, role in ((employee, Membership.Role.MEMBER), (admin, Membership.Role.ADMIN)):
            Membership.objects.update_or_create(
                user=user, organisation=liminka,
                defaults={"role": role, "status": Membership.Status.CONFIRMED, "confirmed_at": timezone.now()},
            )
        readers = [_account(f"lukija{n}@example.fi", None, f"Lukija {n}") for n in range(1, READERS + 1)]
        org_list = list(organisations.values())
        for index, reader in enumerate(readers):  # readers belong to organisations, so they can adopt
            Membership.objects.get_or_create(user=reader, organisation=org_list[index % len(org_list)],
                                             defaults={"status": Membership.Status.CONFIRMED,
                                                       "confirmed_at": timezone.now()})

        now = timezone.now()
        published = []
        for index, spec in enumerate(ACTIONS):
            when = now - datetime.timedelta(days=rng.randrange(2, 600), hours=rng.randrange(0, 23))
            organisation = organisations[spec.org]
            author = employee if spec.org == "liminka" else rng.choice(readers)
            action = Action.objects.create(
                organisation=organisation, author=author, title=spec.title, summary=spec.summary,
                need=spec.need, solution=spec.solution, results=spec.results, tips=spec.tips, stage=spec.stage,
                language=spec.language, consent_to_publish=True, status=Action.Status.PUBLISHED,
                submitted_at=when - datetime.timedelta(days=2), published_at=when,
            )
            action.sectors.set([sectors[s] for s in spec.sectors if s in sectors])
            action.themes.set([themes[t] for t in spec.themes if t in themes])
            files = demo_image_files(index, f"demo-{index}")
            alt = {"fi": "Kuvituskuva: värillisiä muotoja", "sv": "Illustration: färgade former",
                   "en": "Illustration: coloured shapes"}[spec.language]
            ActionImage.objects.create(action=action, alt_text=alt, is_cover=True, position=0, **files)
            published.append(action)

            for reader in rng.sample(readers, rng.randrange(0, 9)):
                Like.objects.create(action=action, user=reader)
            candidates = [o for o in org_list if o.pk != organisation.pk]
            for adopter in rng.sample(candidates, rng.choice((0, 0, 1, 1, 2, 3))):
                Adoption.objects.create(action=action, organisation=adopter, note=rng.choice(ADOPTION_NOTES))

        for org_key, status, title, summary in UNPUBLISHED:
            Action.objects.create(
                organisation=organisations[org_key], author=employee, title=title, summary=summary,
                language="sv" if org_key == "vaasa" else "fi", status=status,
                submitted_at=now - datetime.timedelta(days=1) if status != Action.Status.DRAFT else None,
            )
        actions_update_search_vectors(Action.objects.all())
        actions_recount_engagement()
        return len(published)
