"""Demo campaigns for development: a past one with frozen, published results and a running one.

Uses whatever published actions and organisations exist. Idempotent; refuses unless DEBUG.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from arena.models import Action
from campaigns.models import HELSINKI, AwardCategory, Campaign, Criterion, Juror, Review, Score
from campaigns.ranking import eligible_actions
from campaigns.services import results_freeze, results_publish
from orgs.models import EmployeeCount, Organisation

PAST_SLUG = "demo-kevat"
RUNNING_SLUG = "demo-syksy"


class Command(BaseCommand):
    help = "Create demo campaigns (development only): a past one with published results and a running one."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo campaigns are for development only (set DEBUG=true).")
        now = timezone.now()
        today = now.astimezone(HELSINKI).date()
        staff = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
        with transaction.atomic():
            self._running(today)
            past = self._past(today, now)
            if not past.snapshots.exists():
                self._jury(past)
                results_freeze(campaign=past, user=staff, now=now)
                results_publish(campaign=past, user=staff, now=now)
        self.stdout.write(self.style.SUCCESS("Demo campaigns ready."))

    def _categories(self, campaign, *, year):
        specs = [
            (AwardCategory.Kind.MOST_ACTIONS, "Eniten tekoja", "Flest åtgärder", "Most actions", 3),
            (AwardCategory.Kind.PER_EMPLOYEE, "Eniten tekoja henkilöstöön suhteutettuna",
             "Flest åtgärder i förhållande till personalen", "Most actions per 1 000 employees", 3),
            (AwardCategory.Kind.JURY, "Tuomariston valinta", "Juryns val", "Jury's choice", 1),
        ]
        for position, (kind, fi, sv, en, winners) in enumerate(specs, start=1):
            AwardCategory.objects.get_or_create(
                campaign=campaign, kind=kind,
                defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": position, "winners": winners,
                          "min_actions": 1, "employee_year": year},
            )

    def _running(self, today):
        campaign, _ = Campaign.objects.get_or_create(slug=RUNNING_SLUG, defaults={
            "name_fi": "Syksyn tekokampanja", "name_sv": "Höstens åtgärdskampanj", "name_en": "Autumn campaign",
            "description_fi": "Jaa organisaatiosi kehittämisteot kampanjan aikana.",
            "description_sv": "Dela er organisations utvecklingsåtgärder under kampanjen.",
            "description_en": "Share your organisation's development actions during the campaign.",
            "starts_on": today - datetime.timedelta(days=14), "ends_on": today + datetime.timedelta(days=28),
            "gala_at": datetime.datetime.combine(today + datetime.timedelta(days=35), datetime.time(18),
                                                 tzinfo=HELSINKI),
            "eligible_kinds": list(Organisation.Kind.values), "live_ranking_public": True,
        })
        self._categories(campaign, year=campaign.year)
        return campaign

    def _past(self, today, now):
        actions = Action.objects.published().filter(submitted_at__isnull=False, submitted_at__lt=now)
        first = actions.order_by("submitted_at").values_list("submitted_at", flat=True).first()
        start = first.astimezone(HELSINKI).date() if first else today - datetime.timedelta(days=120)
        end = min(max(start + datetime.timedelta(days=42), today - datetime.timedelta(days=20)),
                  today - datetime.timedelta(days=15))
        start = min(start, end)
        campaign, _ = Campaign.objects.get_or_create(slug=PAST_SLUG, defaults={
            "name_fi": "Kevään tekokampanja", "name_sv": "Vårens åtgärdskampanj", "name_en": "Spring campaign",
            "description_fi": "Päättynyt kampanja, jonka voittajat julkistettiin gaalassa.",
            "description_sv": "En avslutad kampanj vars vinnare offentliggjordes på galan.",
            "description_en": "A finished campaign whose winners were revealed at the gala.",
            "starts_on": start, "ends_on": end,
            "gala_at": datetime.datetime.combine(end + datetime.timedelta(days=7), datetime.time(18), tzinfo=HELSINKI),
            "eligible_kinds": list(Organisation.Kind.values), "one_award_per_action": True,
        })
        self._categories(campaign, year=campaign.year)
        for organisation_id in actions.values_list("organisation_id", flat=True).distinct():
            if organisation_id:
                EmployeeCount.objects.get_or_create(
                    organisation_id=organisation_id, year=campaign.year,
                    defaults={"employees": 400 + (organisation_id * 137) % 5000},
                )
        return campaign

    def _jury(self, campaign):
        staff = get_user_model().objects.filter(is_staff=True).order_by("pk")[:2]
        criteria = [
            Criterion.objects.get_or_create(campaign=campaign, position=position, defaults={
                "name_fi": fi, "name_sv": sv, "name_en": en})[0]
            for position, (fi, sv, en) in enumerate(
                [("Innostavuus", "Inspirerande", "Inspiring"), ("Vaikuttavuus", "Effekt", "Impact"),
                 ("Siirrettävyys", "Överförbarhet", "Transferability")], start=1)
        ]
        actions = list(eligible_actions(campaign=campaign, as_of=timezone.now()).order_by("pk")[:12])
        for index, user in enumerate(staff):
            juror, _ = Juror.objects.get_or_create(campaign=campaign, user=user, defaults={"is_chair": index == 0})
            for number, action in enumerate(actions):
                review, _ = Review.objects.get_or_create(juror=juror, action=action)
                for criterion in criteria:
                    Score.objects.get_or_create(review=review, criterion=criterion,
                                                defaults={"value": 1 + (number * 7 + criterion.position + index) % 5})
