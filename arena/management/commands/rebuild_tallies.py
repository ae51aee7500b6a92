"""Recompute the kept counts of published actions (after rows were written without the services)."""

from django.core.management.base import BaseCommand

from arena.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Recompute the counts of published actions per organisation, month, sector and theme from scratch."

    def handle(self, *args, **options):
        rows = tallies_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows} counts of published actions rebuilt"))
