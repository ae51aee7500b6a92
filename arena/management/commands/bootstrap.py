"""One idempotent command that `make run` calls after migrating.

Each step creates or updates by a natural key, so a second run adds nothing twice.
Later parts of the portal add their steps to BOOTSTRAP_STEPS.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

BOOTSTRAP_STEPS = [
    # (command, only when DEBUG)
    ("load_organisations", False),
    ("load_demo_content", True),
    ("load_demo_campaigns", True),
    ("load_demo_jury", True),
]


class Command(BaseCommand):
    help = "Load reference data (and demo content in development). Safe to run again."

    def handle(self, *args, **options):
        from django.core.management import get_commands

        available = get_commands()
        for command, debug_only in BOOTSTRAP_STEPS:
            if debug_only and not settings.DEBUG:
                continue
            if command in available:
                call_command(command)
        self.stdout.write(self.style.SUCCESS("bootstrap done"))
