"""Recompute the search vector of every action (after changing how text is lemmatised)."""

from django.core.management.base import BaseCommand

from arena.models import Action
from arena.search import actions_update_search_vectors

BATCH = 1000


class Command(BaseCommand):
    help = "Recompute the full-text search vectors of all actions, in batches."

    def handle(self, *args, **options):
        total = 0
        qs = Action.objects.order_by("pk").only("pk", "title", "summary", "need", "solution", "results", "tips",
                                                "language")
        last = 0
        while True:
            batch = list(qs.filter(pk__gt=last)[:BATCH])
            if not batch:
                break
            total += actions_update_search_vectors(batch)
            last = batch[-1].pk
        self.stdout.write(self.style.SUCCESS(f"search vectors rebuilt for {total} actions"))
