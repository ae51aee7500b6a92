from django.core.management.base import BaseCommand

from orgs.reference_data import load_reference_data


class Command(BaseCommand):
    help = (
        "Create or update every region, municipality, wellbeing services county and HUS "
        "from orgs/data/ (by official code). Safe to run again."
    )

    def handle(self, *args, **options):
        result = load_reference_data()
        self.stdout.write(self.style.SUCCESS(f"organisations: {result.summary()}"))
