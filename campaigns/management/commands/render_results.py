"""Render the public results of every snapshot again and rewrite the organisations' award rows."""

from django.core.management.base import BaseCommand

from campaigns.rendering import campaigns_rebuild_rendered


class Command(BaseCommand):
    help = "Render the stored public results of every snapshot and rewrite the award rows of organisations."

    def handle(self, *args, **options):
        campaigns_rebuild_rendered()
        self.stdout.write(self.style.SUCCESS("results rendered and awards written"))
