"""The filters of the action list, the feeds and the exports: each filter's choices and how it
narrows the published actions. Other apps add theirs with `register_action_filter` (campaigns adds
the campaign filter). Choices are read from the kept counts (arena/tallies.py) and the taxonomy, and
kept in the shared cache until the published actions or the taxonomy change (likes do not).
"""

from dataclasses import dataclass
from typing import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.models import Organisation, Region

from .cache import ACTIONS, TAXONOMY, cached
from .models import Action, PublishedTally, Sector, Theme
from .tallies import published_tallies

Kind = PublishedTally.Kind

HELSINKI_WELFARE_CODE = "90"
HELSINKI_MUNICIPALITY_CODE = "091"
ALAND_WELFARE_CODE = "91"
ALAND_REGION_CODE = "21"


@dataclass
class ActionFilter:
    """One filter of the list: `choices()` → [(value, label)], `apply(qs, value)` → qs."""

    name: str
    label: str
    choices: Callable[[], list[tuple[str, str]]]
    apply: Callable[[QuerySet, str], QuerySet]


_registered_filters: dict[str, ActionFilter] = {}


def register_action_filter(name: str, label, choices_callable: Callable, apply_callable: Callable) -> None:
    """Let another app (e.g. campaigns) add a filter to the list, the feeds and the exports.

    `choices_callable()` returns [(value, label)]; `apply_callable(queryset, value)`
    returns the queryset narrowed to the value, without duplicating rows (use Exists()
    rather than a join to a many-valued relation). Registering a name again replaces it.
    """
    _registered_filters[name] = ActionFilter(name, label, choices_callable, apply_callable)


def unregister_action_filter(name: str) -> None:
    _registered_filters.pop(name, None)


def _sector_choices():
    return [(s.slug, s.name) for s in Sector.objects.all()]


def _theme_choices():
    return [(t.slug, t.name) for t in Theme.objects.all()]


def _organisation_choices():
    """Organisations with published actions (about a thousand): kept until the published actions or the
    organisations change (not by likes)."""
    return cached(f"arena:choices:organisation:{get_language()}", _organisation_choices_now,
                  scopes=[ACTIONS, TAXONOMY])


def _organisation_choices_now():
    organisations = (Organisation.objects.filter(pk__in=published_tallies(Kind.ORGANISATION).values("organisation_id"))
                     .only("slug", "name", "name_fi", "name_sv", "name_en"))
    return sorted(((o.slug, o.name) for o in organisations), key=lambda pair: pair[1].lower())


def _region_choices():
    return [(r.code, r.name) for r in Region.objects.all()]


def _welfare_area_choices():
    areas = Organisation.objects.filter(kind=Organisation.Kind.WELFARE_AREA).exclude(code="")
    choices = [(o.code, o.name) for o in areas.only("code", "name", "name_fi", "name_sv", "name_en")]
    choices += [(HELSINKI_WELFARE_CODE, _("City of Helsinki")), (ALAND_WELFARE_CODE, _("Åland"))]
    return sorted(choices, key=lambda pair: pair[1].lower())


def welfare_area_q(code: str) -> Q:
    """Actions of a welfare area: its own and those of its municipalities."""
    if code == HELSINKI_WELFARE_CODE:
        return Q(organisation__kind=Organisation.Kind.MUNICIPALITY, organisation__code=HELSINKI_MUNICIPALITY_CODE)
    if code == ALAND_WELFARE_CODE:
        return Q(organisation__kind=Organisation.Kind.MUNICIPALITY,
                 organisation__region__code=ALAND_REGION_CODE)
    return (Q(organisation__kind=Organisation.Kind.WELFARE_AREA, organisation__code=code)
            | Q(organisation__welfare_area__code=code))


def _year_choices():
    return cached("arena:choices:year", _year_choices_now, scopes=[ACTIONS])


def _year_choices_now():
    years = sorted({month.year for month in published_tallies(Kind.MONTH).values_list("month", flat=True)}, reverse=True)
    return [(str(year), str(year)) for year in years]


def _static(choices):
    return lambda: [(str(value), str(label)) for value, label in choices]


def core_filters() -> list[ActionFilter]:
    return [
        ActionFilter("sector", gettext_lazy("Sector"), _sector_choices,
                     lambda qs, v: qs.filter(Exists(Action.sectors.through.objects.filter(
                         action_id=OuterRef("pk"), sector__slug=v)))),
        ActionFilter("theme", gettext_lazy("Theme"), _theme_choices,
                     lambda qs, v: qs.filter(Exists(Action.themes.through.objects.filter(
                         action_id=OuterRef("pk"), theme__slug=v)))),
        ActionFilter("organisation", gettext_lazy("Organisation"), _organisation_choices,
                     lambda qs, v: qs.filter(organisation__slug=v)),
        ActionFilter("kind", gettext_lazy("Kind of organisation"), _static(Organisation.Kind.choices),
                     lambda qs, v: qs.filter(organisation__kind=v)),
        ActionFilter("region", gettext_lazy("Region"), _region_choices,
                     lambda qs, v: qs.filter(organisation__region__code=v)),
        ActionFilter("welfare_area", gettext_lazy("Wellbeing services county"), _welfare_area_choices,
                     lambda qs, v: qs.filter(welfare_area_q(v))),
    ]


def core_filters_after() -> list[ActionFilter]:
    return [
        ActionFilter("year", gettext_lazy("Year published"), _year_choices,
                     lambda qs, v: qs.filter(published_at__year=int(v))),
        ActionFilter("stage", gettext_lazy("Stage"), _static(Action.Stage.choices),
                     lambda qs, v: qs.filter(stage=v)),
        ActionFilter("language", gettext_lazy("Language of the text"), _static(Action.Language.choices),
                     lambda qs, v: qs.filter(language=v)),
    ]


def action_filters() -> list[ActionFilter]:
    """Every filter, in the order the list shows them (registered ones after the area filters)."""
    return core_filters() + list(_registered_filters.values()) + core_filters_after()


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Every filter's choices as (value, label) strings: read once per language and kept in the
    shared cache until the published actions or the taxonomy change (likes do not touch them)."""
    return cached(f"arena:filter-choices:{get_language()}", lambda: {
        action_filter.name: [(str(value), str(label)) for value, label in action_filter.choices()]
        for action_filter in action_filters()
    }, scopes=[ACTIONS, TAXONOMY])
