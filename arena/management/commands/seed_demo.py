"""Many realistic actions, fast, for benchmarks: `seed_demo --actions 100000`.

Texts are recombined from the demo actions; rows go in with bulk inserts in batches,
and each batch's search vectors are written in one UPDATE (lemmas computed in Python,
memoised per word). Refuses to run with DEBUG off unless --force is given.
"""

import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from arena.demo.actions import ACTIONS
from arena.demo.organisations import demo_organisations
from arena.models import Action, Adoption, Like, Sector, Theme
from arena.search import actions_update_search_vectors
from arena.services import actions_recount_engagement
from orgs.models import Organisation

BATCH = 2000
PLACES_FI = ["kirjastossa", "päiväkodissa", "koulussa", "kotihoidossa", "terveysasemalla", "nuorisotalolla",
             "virastossa", "keittiössä"]
PLACES_SV = ["på biblioteket", "i förskolan", "i skolan", "i hemvården", "på hälsostationen", "i köket"]


class Command(BaseCommand):
    help = "Create N realistic published actions with bulk inserts (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=1000)
        parser.add_argument("--likes", type=int, default=0, help="like rows to spread over the new actions")
        parser.add_argument("--users", type=int, default=200, help="size of the user pool for likes")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off (not in production!)")

    def handle(self, *args, actions, likes, users, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: seed_demo only runs in development (or with --force).")
        rng = random.Random(seed)
        organisations = list(Organisation.objects.filter(kind__in=["municipality", "welfare_area"]).only("pk"))
        if not organisations:
            organisations = list(demo_organisations().values())
        sector_ids = list(Sector.objects.values_list("pk", flat=True))
        theme_ids = list(Theme.objects.values_list("pk", flat=True))
        now = timezone.now()
        created_ids = []
        for start in range(0, actions, BATCH):
            size = min(BATCH, actions - start)
            with transaction.atomic():
                batch = [self._action(rng, organisations, now, start + i) for i in range(size)]
                Action.objects.bulk_create(batch, batch_size=BATCH)
                Action.sectors.through.objects.bulk_create(
                    [Action.sectors.through(action_id=a.pk, sector_id=s)
                     for a in batch for s in rng.sample(sector_ids, rng.choice((1, 1, 2)))], batch_size=5000)
                Action.themes.through.objects.bulk_create(
                    [Action.themes.through(action_id=a.pk, theme_id=t)
                     for a in batch for t in rng.sample(theme_ids, rng.choice((1, 2, 2, 3)))], batch_size=5000)
                adoptions = []
                for action in batch:
                    for adopter in rng.sample(organisations, rng.choice((0, 0, 0, 1, 1, 2))):
                        if adopter.pk != action.organisation_id:
                            adoptions.append(Adoption(action_id=action.pk, organisation_id=adopter.pk))
                Adoption.objects.bulk_create(adoptions, batch_size=5000, ignore_conflicts=True)
                actions_update_search_vectors(batch)
            created_ids.extend(a.pk for a in batch)
            self.stdout.write(f"  {start + size} / {actions}")
        if likes and created_ids:
            self._likes(rng, created_ids, likes, users)
        if created_ids:
            actions_recount_engagement(Action.objects.filter(pk__gte=min(created_ids), pk__lte=max(created_ids)))
        self.stdout.write(self.style.SUCCESS(f"seeded {actions} actions"))

    def _action(self, rng, organisations, now, number):
        spec = rng.choice(ACTIONS)
        place = rng.choice(PLACES_SV if spec.language == "sv" else PLACES_FI)
        when = now - datetime.timedelta(minutes=rng.randrange(60, 60 * 24 * 365 * 6))
        return Action(
            organisation_id=rng.choice(organisations).pk,
            title=f"{spec.title} {place}"[:200],
            summary=spec.summary, need=spec.need, solution=f"{spec.solution} ({place}, #{number})",
            results=spec.results, tips=spec.tips, stage=spec.stage, language=spec.language,
            consent_to_publish=True, status=Action.Status.PUBLISHED,
            submitted_at=when - datetime.timedelta(days=1), published_at=when,
        )

    def _likes(self, rng, action_ids, likes, users):
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        existing = user_model.objects.filter(email__startswith="seed-user-").count()
        user_model.objects.bulk_create(
            [user_model(email=f"seed-user-{n}@example.invalid", password="!") for n in range(existing, users)],
            batch_size=5000)
        user_ids = list(user_model.objects.filter(email__startswith="seed-user-").values_list("pk", flat=True))
        rows = set()
        while len(rows) < min(likes, len(action_ids) * len(user_ids)):
            rows.add((rng.choice(action_ids), rng.choice(user_ids)))
        rows = list(rows)
        for start in range(0, len(rows), 20000):
            Like.objects.bulk_create([Like(action_id=a, user_id=u) for a, u in rows[start:start + 20000]],
                                     batch_size=5000, ignore_conflicts=True)
