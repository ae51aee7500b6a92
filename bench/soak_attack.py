"""The soak test's attacker phase: one signed-in account floods likes and unlikes, reports and
nominations from several connections while the normal users go on working. What the others
notice is the check: their reads' p95 with the attacker stays within 2 × of the same work
without it, nobody gets a server error, and the site's limits refuse most of the flood.

The quiet run and the attacked run use the same actors, seeds and length, one after the other,
so that only the attacker differs.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import Counter
from dataclasses import dataclass

from arena.localdb import say

from .soakclient import Browser, csrf_token

ATTACK_CONNECTIONS = 4
P95_LIMIT = 2.0  # the others' reads p95 with the attacker ÷ without
READS = {"browse", "search", "like-page", "form-page"}
ATTACK_CAMPAIGN = "soak-attack-campaign"


@dataclass
class Target:
    """What the attacker aims at: a few published actions and a campaign that takes nominations."""

    action_ids: list[int]
    action_pages: dict
    nominate_url: str
    category_id: int


def attack_target(cast) -> Target:
    """A running campaign of the soak's own with a heroes-of-work category (the seeded campaign has
    ended), and the published actions the readers see."""
    from django.utils import timezone  # noqa: PLC0415

    from campaigns.models import AwardCategory, Campaign  # noqa: PLC0415

    today = timezone.localdate()
    campaign, _created = Campaign.objects.update_or_create(slug=ATTACK_CAMPAIGN, defaults={
        "name_fi": "Kuormitustestin nimityskampanja", "name_sv": "Belastningstestets nomineringskampanj",
        "name_en": "Soak test nomination campaign", "starts_on": today - datetime.timedelta(days=7),
        "ends_on": today + datetime.timedelta(days=30),
        "gala_at": timezone.now() + datetime.timedelta(days=40), "eligible_kinds": [],
    })
    category, _created = AwardCategory.objects.get_or_create(
        campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE,
        defaults={"position": 1, "winners": 3, "name_fi": "Työn sankarit", "name_sv": "Arbetets hjältar",
                  "name_en": "Heroes of work"})
    ids = cast.action_ids[:5]
    return Target(ids, {pk: cast.action_pages[pk] for pk in ids}, f"/fi/campaigns/{campaign.slug}/nominate/",
                  category.pk)


class AttackerActor:
    """One connection of the attacker's account: like/unlike, report and nominate as fast as it can."""

    def __init__(self, *, port, cookie, target: Target, rng: random.Random, phase: str, ledger):
        self.browser = Browser(port, cookie)
        self.target, self.rng, self.phase, self.ledger = target, rng, phase, ledger
        self.answers: list[tuple[float, float, int | None, str, str]] = []
        self.outcomes: Counter = Counter()  # (kind, outcome) → n
        self.token = ""

    def step(self) -> None:
        if not self.token:
            page = self.browser.get(self.target.action_pages[self.target.action_ids[0]])
            self.token = self.browser.cookies.get("csrftoken") or csrf_token(page.body)
        kind = self.rng.choice(["like", "like", "report", "nominate"])
        action_id = self.rng.choice(self.target.action_ids)
        if kind == "like":
            answer = self.browser.post(f"/fi/actions/{action_id}/like/", {"csrfmiddlewaretoken": self.token},
                                       headers={"Accept": "application/json"})
            done = answer.status == 200 and '"liked"' in answer.body
        elif kind == "report":
            answer = self.browser.post(f"/fi/actions/{action_id}/report/", {
                "csrfmiddlewaretoken": self.token, "reason": "spam", "comment": "flood " + uuid.uuid4().hex})
            done = answer.status == 302 and "messages" not in answer.location
        else:
            answer = self.browser.post(self.target.nominate_url, {
                "csrfmiddlewaretoken": self.token, "category": self.target.category_id,
                "name": "Hello, click http://attacker.example", "job_title": "Target",
                "organisation_name": "Somewhere", "email": f"victim-{self.rng.randrange(10**6)}@example.org",
                "justification": "Flood " + uuid.uuid4().hex})
            done = answer.status == 302
        self.ledger.note(self.phase, f"attack-{kind}", answer)
        self.answers.append((answer.started, answer.ended, answer.status, f"attack-{kind}", ""))
        status = answer.status if answer.status is not None else "no answer"
        self.outcomes[(kind, "accepted" if done else f"refused {status}")] += 1


def reads_p95(actors) -> tuple[float, int]:
    """The p95 (ms) and the number of the actors' reads."""
    durations = sorted((ended - begun) * 1000 for actor in actors
                       for begun, ended, _status, kind, _marker in actor.answers if kind in READS)
    if not durations:
        return 0.0, 0
    return durations[int(0.95 * (len(durations) - 1))], len(durations)


def stored_by(user_id: int, since) -> dict:
    """What the attacker's account got into the database since `since`."""
    from arena.models import Report  # noqa: PLC0415
    from campaigns.models import Nomination  # noqa: PLC0415

    return {
        "reports": Report.objects.filter(reporter_id=user_id, created_at__gte=since).count(),
        "nominations": Nomination.objects.filter(nominator_id=user_id, created_at__gte=since).count(),
    }


def phase_attack(*, port, ledger, cast, image, connections, seconds, make_actors, run_actors, check_type):
    """Normal users' work for `seconds` without, then with, an attacker flooding from one account."""
    from django.db import connection  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    say(f"6. an attacker floods likes, reports and nominations from {ATTACK_CONNECTIONS} connections while "
        f"{connections} others work ({seconds:g} s without, {seconds:g} s with)")
    attacker = cast.members[-25]  # a spare no other phase uses
    target = attack_target(cast)
    connection.close()

    quiet = make_actors(phase="attack-quiet", port=port, ledger=ledger, cast=cast, image=image,
                        connections=connections, seed=21)
    run_actors(quiet, seconds)
    quiet_p95, quiet_reads = reads_p95(quiet)

    since = timezone.now()
    normal = make_actors(phase="attack", port=port, ledger=ledger, cast=cast, image=image,
                         connections=connections, seed=21)
    floods = [AttackerActor(port=port, cookie=attacker.cookie, target=target, rng=random.Random(500 + index),
                            phase="attack", ledger=ledger) for index in range(ATTACK_CONNECTIONS)]
    run_actors([*normal, *floods], seconds)
    attacked_p95, attacked_reads = reads_p95(normal)
    stored = stored_by(attacker.user_id, since)
    connection.close()

    outcomes = Counter()
    for flood in floods:
        outcomes.update(flood.outcomes)
    errors = [e for e in ledger.server_errors if e[0] in {"attack", "attack-quiet"}]
    ratio = attacked_p95 / quiet_p95 if quiet_p95 else float("inf")
    sent = sum(outcomes.values())
    figures = (f"others' reads p95 {quiet_p95:.0f} ms without ({quiet_reads} reads), {attacked_p95:.0f} ms with "
               f"({attacked_reads} reads): {ratio:.2f} × (limit {P95_LIMIT:g} ×); attacker sent {sent}: "
               + ", ".join(f"{kind} {outcome} {n}" for (kind, outcome), n in sorted(outcomes.items()))
               + f"; stored from the attacker: reports {stored['reports']}, nominations {stored['nominations']}; "
               f"server errors {len(errors)}")
    for error in errors[:5]:
        say(f"   server error: {error}")
    return check_type("an attacker's flood slows nobody", ratio <= P95_LIMIT and not errors, figures)
