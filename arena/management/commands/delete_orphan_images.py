"""Delete image files that no action image refers to (left by a killed upload); run it from cron."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from arena import services


class Command(BaseCommand):
    help = ("Delete files in the action image directories that no image refers to. An upload whose worker "
            "was killed between writing its files and committing leaves them; a failed save deletes its own.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=60, metavar="MINUTES",
                            help="leave younger files alone: their upload may still be committing (default 60)")
        parser.add_argument("--dry-run", action="store_true", help="list the files, delete nothing")

    def handle(self, *args, older_than, dry_run, **options):
        age = datetime.timedelta(minutes=older_than)
        if dry_run:
            names = services.image_files_orphaned(older_than=age, now=timezone.now())
        else:
            names = services.image_files_delete_orphans(older_than=age, now=timezone.now())
        for name in names:
            self.stdout.write(name)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(names)} orphaned image files"))
