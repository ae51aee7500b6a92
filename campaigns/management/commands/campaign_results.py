import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.export import results_csv, results_json, results_table
from campaigns.models import Campaign
from campaigns.ranking import campaign_results
from campaigns.selectors import latest_snapshot, snapshot_categories


class Command(BaseCommand):
    help = ("Print a campaign's results: the latest frozen snapshot when there is one, otherwise the live "
            "results (--live always computes them now).")

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--category", action="append", default=[],
                            help="Only this category (its id or name in any language); may be repeated.")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--live", action="store_true", help="Compute the results now, ignoring snapshots.")

    def handle(self, *args, slug, category, format, live, **options):
        try:
            campaign = Campaign.objects.get(slug=slug)
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign with the slug {slug!r}.") from None
        snapshot = None if live else latest_snapshot(campaign)
        if snapshot:
            categories, mode = snapshot_categories(snapshot), "published" if snapshot.published_at else "frozen"
        else:
            categories, mode = campaign_results(campaign=campaign, as_of=timezone.now()), "live"
        if category:
            wanted = {value.casefold() for value in category}
            categories = [item for item in categories
                          if str(item.category_id) in wanted or any(n.casefold() in wanted for n in item.names.values() if n)]
            if not categories:
                raise CommandError("No such category in this campaign.")
        if format == "csv":
            self.stdout.write(results_csv(categories), ending="")
        elif format == "json":
            data = results_json(campaign=campaign, mode=mode, snapshot=snapshot, categories=categories)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(results_table(categories), ending="")
