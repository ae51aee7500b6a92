"""The statistics page's figures: actions per month, sector, theme, region and wellbeing services
county, read from the counts the services keep (arena/tallies.py): a few hundred rows, whatever
the number of actions."""

import datetime

from django.db.models import Case, CharField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from orgs.models import Organisation

from .filters import ALAND_REGION_CODE, ALAND_WELFARE_CODE, HELSINKI_MUNICIPALITY_CODE, HELSINKI_WELFARE_CODE
from .models import PublishedTally, Sector, Theme
from .tallies import published_tallies

Kind = PublishedTally.Kind


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    year, month = today.year, today.month
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def actions_per_month(*, today: datetime.date, months: int = 24) -> list[tuple[datetime.date, int]]:
    """Published actions per month of publication (Europe/Helsinki), the last `months` months."""
    span = _months_back(today, months)
    counts = dict(published_tallies(Kind.MONTH).filter(month__gte=span[0]).values_list("month", "actions"))
    return [(month, counts.get(month, 0)) for month in span]


def actions_per_sector() -> list[tuple[Sector, int]]:
    kept = PublishedTally.objects.filter(kind=Kind.SECTOR, sector=OuterRef("pk")).values("actions")[:1]
    rows = Sector.objects.annotate(n=Coalesce(Subquery(kept), 0))
    return [(sector, sector.n) for sector in rows]


def actions_per_theme() -> list[tuple[Theme, int]]:
    kept = PublishedTally.objects.filter(kind=Kind.THEME, theme=OuterRef("pk")).values("actions")[:1]
    rows = Theme.objects.annotate(n=Coalesce(Subquery(kept), 0))
    return [(theme, theme.n) for theme in rows]


def actions_per_region() -> dict[str, int]:
    """Region code → published actions of organisations in that region."""
    rows = (published_tallies(Kind.ORGANISATION).filter(organisation__region__isnull=False)
            .values("organisation__region__code").annotate(n=Sum("actions")))
    return {row["organisation__region__code"]: row["n"] for row in rows}


def actions_per_welfare_area() -> dict[str, int]:
    """Welfare-area map code (01–21, 90 Helsinki, 91 Åland) → published actions in it."""
    kind = Organisation.Kind
    area = Case(
        When(organisation__kind=kind.WELFARE_AREA, then=F("organisation__code")),
        When(organisation__welfare_area__isnull=False, then=F("organisation__welfare_area__code")),
        When(organisation__kind=kind.MUNICIPALITY, organisation__code=HELSINKI_MUNICIPALITY_CODE,
             then=Value(HELSINKI_WELFARE_CODE)),
        When(organisation__kind=kind.MUNICIPALITY, organisation__region__code=ALAND_REGION_CODE,
             then=Value(ALAND_WELFARE_CODE)),
        default=Value(""), output_field=CharField(),
    )
    rows = published_tallies(Kind.ORGANISATION).annotate(area=area).values("area").annotate(n=Sum("actions"))
    return {row["area"]: row["n"] for row in rows if row["area"]}
