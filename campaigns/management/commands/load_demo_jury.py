"""Demo jury for development: a juror and a chair of the running campaign, with some scores.

The juror is tuomari@example.fi (password demo-tuomari-2026 when created here), the
chair puheenjohtaja@example.fi (demo-puheenjohtaja-2026). Idempotent; refuses unless DEBUG.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from campaigns import jury
from campaigns.models import Campaign, Juror, Review

PEOPLE = [
    ("tuomari@example.fi", "demo-tuomari-2026", "Tuomari Demo", False, 3),
    ("puheenjohtaja@example.fi", "demo-puheenjohtaja-2026", "Puheenjohtaja Demo", True, 5),
]


class Command(BaseCommand):
    help = "Make a demo juror and chair of the running campaign, with some scores (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo jury is for development only (set DEBUG=true).")
        now = timezone.now()
        campaign = Campaign.objects.running(now).order_by("ends_on", "slug").first()
        if campaign is None:
            self.stdout.write("No running campaign: no demo jury.")
            return
        with transaction.atomic():
            jury.criteria_create_defaults(campaign=campaign)
            if campaign.scoring_deadline is None:
                campaign.scoring_deadline = campaign.period_end + datetime.timedelta(days=5)
                campaign.save(update_fields=["scoring_deadline", "updated_at"])
            criteria = list(campaign.criteria.all())
            for index, (email, password, name, is_chair, count) in enumerate(PEOPLE):
                juror = self._juror(campaign, email, password, name, is_chair)
                entries = [entry for entry in jury.juror_entries(juror=juror, now=now) if not entry.conflict]
                for number, entry in enumerate(entries[:count]):
                    if Review.objects.filter(juror=juror, action=entry.action).exists():
                        continue
                    scores = {
                        criterion.pk: criterion.scale_min + (number * 3 + position + index) % (
                            criterion.scale_max - criterion.scale_min + 1)
                        for position, criterion in enumerate(criteria)
                    }
                    jury.review_save(juror=juror, action=entry.action, scores=scores, now=now,
                                     comment="Hyvä esimerkki muille." if number == 0 else "")
        self.stdout.write(self.style.SUCCESS(f"Demo jury ready for {campaign.slug}."))
        for email, password, _name, is_chair, _count in PEOPLE:
            role = "jury chair" if is_chair else "juror"
            self.stdout.write(f"  {role:<20} {email:<28} {password}")

    def _juror(self, campaign, email, password, name, is_chair):
        user_model = get_user_model()
        user = user_model.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_model.objects.create_user(email=email, password=password, full_name=name)
        EmailAddress.objects.update_or_create(user=user, email=user.email,
                                              defaults={"verified": True, "primary": True})
        juror, _created = Juror.objects.get_or_create(campaign=campaign, user=user, defaults={"is_chair": is_chair})
        return juror
