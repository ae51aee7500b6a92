"""The jury used by the jury tests: weights 2:1:1, three jurors (lenient, harsh, one with a conflict).

Entries of the jury category "Tuomariston valinta" of the spring campaign 2026:
X-teko (organisation O1), Y-teko (O2), Z-teko (O3) and W-teko (O4).
The third juror is a member of O3 (a membership still waiting for confirmation: any status
counts), so Z-teko is a conflict of interest for them.
"""

from types import SimpleNamespace

from campaigns import jury
from campaigns.models import AwardCategory
from orgs.models import Membership
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory,
    OrganisationFactory, UserFactory, helsinki,
)

DURING = helsinki(2026, 3, 15, 12, 0)  # submissions
SCORING = helsinki(2026, 4, 20, 12, 0)  # after the period, before the deadline
DEADLINE = helsinki(2026, 4, 30, 16, 0)

# Criterion scores (inspiring ×2, impact ×1, transferability ×1) → weighted mean (2a + b + c) / 4
LENIENT = {"X": (5, 5, 4), "Y": (4, 5, 5), "Z": (5, 4, 4)}  # 4.75, 4.50, 4.50
HARSH = {"X": (3, 2, 2), "Y": (1, 2, 2), "Z": (2, 2, 1)}  # 2.50, 1.50, 1.75
CONFLICTED = {"X": (4, 3, 3), "Y": (3, 4, 4)}  # 3.50, 3.50 (cannot score Z)


def make_jury(slug="kevat-2026", **campaign_fields) -> SimpleNamespace:
    campaign = CampaignFactory(slug=slug, scoring_deadline=DEADLINE, **campaign_fields)
    category = AwardCategoryFactory(
        campaign=campaign, kind=AwardCategory.Kind.JURY, name_fi="Tuomariston valinta",
        name_sv="Juryns val", name_en="Jury's choice", winners=1,
    )
    criteria = [
        CriterionFactory(campaign=campaign, name_fi="Innostavuus", name_en="Inspiring", weight=2, position=1,
                         description_fi="Innostaako teko muita?", description_en="Does it inspire others?"),
        CriterionFactory(campaign=campaign, name_fi="Vaikuttavuus", name_en="Impact", weight=1, position=2),
        CriterionFactory(campaign=campaign, name_fi="Siirrettävyys", name_en="Transferability", weight=1,
                         position=3),
    ]
    organisations = [OrganisationFactory(name_fi=f"Kunta O{n}", name_en=f"Municipality O{n}") for n in range(1, 5)]
    actions = {
        letter: ActionFactory(title=f"{letter}-teko", organisation=organisation, submitted_at=DURING)
        for letter, organisation in zip("XYZW", organisations, strict=True)
    }
    lenient = JurorFactory(campaign=campaign, user=UserFactory(full_name="Lempeä Tuomari"))
    harsh = JurorFactory(campaign=campaign, user=UserFactory(full_name="Ankara Tuomari"))
    conflicted = JurorFactory(campaign=campaign, user=UserFactory(full_name="Esteellinen Tuomari"))
    MembershipFactory(user=conflicted.user, organisation=organisations[2], status=Membership.Status.PENDING,
                      confirmed_at=None)
    return SimpleNamespace(
        campaign=campaign, category=category, criteria=criteria, organisations=organisations, actions=actions,
        lenient=lenient, harsh=harsh, conflicted=conflicted,
    )


def scores_for(criteria, values) -> dict:
    return {criterion.pk: value for criterion, value in zip(criteria, values, strict=True)}


def score_all(j, now=SCORING) -> None:
    for juror, table in ((j.lenient, LENIENT), (j.harsh, HARSH), (j.conflicted, CONFLICTED)):
        for letter, values in table.items():
            jury.review_save(juror=juror, action=j.actions[letter], scores=scores_for(j.criteria, values),
                             comment=f"{juror.user.full_name} / {letter}", now=now)
