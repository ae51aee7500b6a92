"""The campaign rules (DESIGN.md "Campaign rules"), one test per sentence."""

import datetime

import pytest

from arena.models import Action
from campaigns.models import AwardCategory
from campaigns.ranking import (
    ALREADY_AWARDED, BELOW_MINIMUM, NO_EMPLOYEE_COUNT, NOT_SCORED, campaign_results, competition_ranks,
    eligible_actions, rank_jury, rank_most_actions, rank_per_employee,
)
from orgs.models import Organisation
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, EmployeeCountFactory, JurorFactory,
    MembershipFactory, OrganisationFactory, SectorFactory, ThemeFactory, helsinki, score_action,
)

pytestmark = pytest.mark.django_db

AFTER = helsinki(2026, 5, 1, 12, 0)  # ranking time well after the spring campaign


def most_actions(campaign, as_of=AFTER):
    category = campaign.categories.get(kind=AwardCategory.Kind.MOST_ACTIONS)
    return rank_most_actions(campaign=campaign, category=category, as_of=as_of)


def counts(result):
    return {row.name: row.actions for row in result.rows}


def test_competition_ranks_share_and_skip():
    assert competition_ranks([9, 7, 7, 3]) == [1, 2, 2, 4]
    assert competition_ranks([5, 5, 5]) == [1, 1, 1]
    assert competition_ranks([]) == []


@pytest.mark.parametrize(("submitted_at", "counts_for_campaign"), [
    (helsinki(2026, 2, 28, 23, 59, 59), False),  # the day before the start
    (helsinki(2026, 3, 1, 0, 0, 0), True),       # the first moment of the first day
    (helsinki(2026, 4, 12, 23, 59, 59), True),   # the last day at 23:59:59 counts
    (helsinki(2026, 4, 13, 0, 0, 0), False),     # the next day at 00:00 does not
])
def test_eligibility_by_helsinki_date_of_submission(campaign, submitted_at, counts_for_campaign):
    action = ActionFactory(submitted_at=submitted_at)
    assert (action in eligible_actions(campaign=campaign, as_of=AFTER)) is counts_for_campaign


def test_period_across_the_end_of_daylight_saving_time():
    # Summer time ends in Finland on Sunday 25 October 2026 at 04:00 (UTC+3 → UTC+2).
    autumn = CampaignFactory(starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 10, 25))
    utc = datetime.UTC
    late_last_day = ActionFactory(submitted_at=datetime.datetime(2026, 10, 25, 21, 30, tzinfo=utc))  # 23:30 EET
    next_day = ActionFactory(submitted_at=datetime.datetime(2026, 10, 25, 22, 0, tzinfo=utc))  # 00:00 EET on 26th
    first_day = ActionFactory(submitted_at=datetime.datetime(2026, 9, 30, 21, 0, tzinfo=utc))  # 00:00 EEST 1 Oct
    before = ActionFactory(submitted_at=datetime.datetime(2026, 9, 30, 20, 59, 59, tzinfo=utc))  # 23:59:59 EEST
    eligible = set(eligible_actions(campaign=autumn, as_of=helsinki(2026, 12, 1, 12)))
    assert late_last_day in eligible
    assert first_day in eligible
    assert next_day not in eligible
    assert before not in eligible


def test_submitted_in_period_published_after_it_counts(campaign):
    action = ActionFactory(
        status=Action.Status.SUBMITTED, submitted_at=helsinki(2026, 4, 12, 22, 0), published_at=None,
    )
    assert counts(most_actions(campaign)) == {}  # still waiting for moderation: not yet
    action.status, action.published_at = Action.Status.PUBLISHED, helsinki(2026, 4, 20, 9, 0)
    action.save()
    assert counts(most_actions(campaign)) == {action.organisation.name: 1}


@pytest.mark.parametrize("status", [Action.Status.REJECTED, Action.Status.RETURNED, Action.Status.HIDDEN,
                                    Action.Status.SUBMITTED])
def test_actions_not_published_do_not_count(campaign, status):
    organisation = OrganisationFactory()
    ActionFactory(organisation=organisation, status=status, submitted_at=helsinki(2026, 3, 10, 12))
    ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 11, 12))
    assert counts(most_actions(campaign)) == {organisation.name: 1}


def test_partner_organisations_are_not_credited(campaign):
    owner, partner = OrganisationFactory(name_fi="Omistaja"), OrganisationFactory(name_fi="Kumppani")
    action = ActionFactory(organisation=owner, submitted_at=helsinki(2026, 3, 10, 12))
    action.partners.add(partner)
    assert counts(most_actions(campaign)) == {"Omistaja": 1}


def test_ineligible_organisation_kinds_are_not_ranked(campaign):
    campaign.eligible_kinds = [Organisation.Kind.MUNICIPALITY]
    campaign.save()
    municipality = OrganisationFactory(name_fi="Liminka", kind=Organisation.Kind.MUNICIPALITY)
    welfare_area = OrganisationFactory(name_fi="Pohteva", kind=Organisation.Kind.WELFARE_AREA)
    for organisation in (municipality, welfare_area, welfare_area):
        ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 10, 12))
    assert counts(most_actions(campaign)) == {"Liminka": 1}


def test_ties_share_a_rank_and_are_listed_by_name(campaign):
    names = {"Ylöjärvi": 2, "Oulu": 4, "Ähtäri": 2, "Alavus": 1, "Espoo": 2}
    for name, number in names.items():
        organisation = OrganisationFactory(name_fi=name)
        for day in range(number):
            ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 2 + day, 12))
    result = most_actions(campaign)
    assert [(row.rank, row.name, row.actions) for row in result.rows] == [
        (1, "Oulu", 4), (2, "Espoo", 2), (2, "Ylöjärvi", 2), (2, "Ähtäri", 2), (5, "Alavus", 1),
    ]


def test_ranking_time_is_a_parameter(campaign):
    organisation = OrganisationFactory(name_fi="Kemi")
    ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 5, 12))
    ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 20, 12))
    assert counts(most_actions(campaign, as_of=helsinki(2026, 3, 10, 0))) == {"Kemi": 1}
    assert counts(most_actions(campaign)) == {"Kemi": 2}


def test_most_actions_counts_in_one_query(campaign, django_assert_num_queries):
    for index in range(30):
        ActionFactory(organisation=OrganisationFactory(), submitted_at=helsinki(2026, 3, 2, index % 24))
    category = campaign.categories.get()
    with django_assert_num_queries(1):
        result = rank_most_actions(campaign=campaign, category=category, as_of=AFTER)
    assert len(result.rows) == 30


# --- Per 1 000 employees --------------------------------------------------------------


@pytest.fixture
def per_employee(campaign):
    return AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.PER_EMPLOYEE, min_actions=3,
                                employee_year=2025, winners=2)


def add_actions(organisation, number):
    for index in range(number):
        ActionFactory(organisation=organisation, submitted_at=helsinki(2026, 3, 2 + index, 10))


def test_per_employee_ranks_by_actions_per_thousand_employees(campaign, per_employee):
    small, big = OrganisationFactory(name_fi="Liminka"), OrganisationFactory(name_fi="Oulu")
    EmployeeCountFactory(organisation=small, year=2025, employees=500)
    EmployeeCountFactory(organisation=big, year=2025, employees=10_000)
    add_actions(small, 4)
    add_actions(big, 10)
    result = rank_per_employee(campaign=campaign, category=per_employee, as_of=AFTER)
    assert [(row.rank, row.name, row.actions, row.employees, row.per_thousand) for row in result.rows] == [
        (1, "Liminka", 4, 500, 8.0), (2, "Oulu", 10, 10_000, 1.0),
    ]
    assert result.unranked == []


def test_per_employee_lists_apart_missing_counts_and_those_below_minimum(campaign, per_employee):
    counted, no_count, other_year, too_few = (
        OrganisationFactory(name_fi=name) for name in ("Kemi", "Ii", "Muhos", "Hailuoto")
    )
    EmployeeCountFactory(organisation=counted, year=2025, employees=1000)
    EmployeeCountFactory(organisation=other_year, year=2026, employees=1000)  # not the category's year
    EmployeeCountFactory(organisation=too_few, year=2025, employees=100)
    for organisation in (counted, no_count, other_year):
        add_actions(organisation, 3)  # exactly the minimum is enough
    add_actions(too_few, 2)
    result = rank_per_employee(campaign=campaign, category=per_employee, as_of=AFTER)
    assert [row.name for row in result.rows] == ["Kemi"]
    assert {(row.name, row.reason) for row in result.unranked} == {
        ("Ii", NO_EMPLOYEE_COUNT), ("Muhos", NO_EMPLOYEE_COUNT), ("Hailuoto", BELOW_MINIMUM),
    }
    too_few_row = next(row for row in result.unranked if row.name == "Hailuoto")
    assert (too_few_row.actions, too_few_row.employees, too_few_row.per_thousand) == (2, 100, 20.0)


def test_per_employee_year_defaults_to_the_campaigns_year(campaign):
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.PER_EMPLOYEE, min_actions=1)
    organisation = OrganisationFactory(name_fi="Kemi")
    EmployeeCountFactory(organisation=organisation, year=2025, employees=10)
    EmployeeCountFactory(organisation=organisation, year=2026, employees=2000)
    add_actions(organisation, 1)
    result = rank_per_employee(campaign=campaign, category=category, as_of=AFTER)
    assert (result.rows[0].employees, result.rows[0].per_thousand) == (2000, 0.5)


def test_per_employee_true_ties_share_a_rank(campaign, per_employee):
    first, second, third = (OrganisationFactory(name_fi=name) for name in ("Vaala", "Utajärvi", "Pudasjärvi"))
    for organisation, employees, number in ((first, 300, 3), (second, 400, 4), (third, 301, 3)):
        EmployeeCountFactory(organisation=organisation, year=2025, employees=employees)
        add_actions(organisation, number)
    result = rank_per_employee(campaign=campaign, category=per_employee, as_of=AFTER)
    assert [(row.rank, row.name) for row in result.rows] == [(1, "Utajärvi"), (1, "Vaala"), (3, "Pudasjärvi")]


def test_per_employee_counts_in_one_query(campaign, per_employee, django_assert_num_queries):
    for index in range(20):
        organisation = OrganisationFactory()
        EmployeeCountFactory(organisation=organisation, year=2025, employees=100 + index)
        add_actions(organisation, 3)
    with django_assert_num_queries(1):
        result = rank_per_employee(campaign=campaign, category=per_employee, as_of=AFTER)
    assert len(result.rows) == 20


# --- Jury categories ------------------------------------------------------------------


@pytest.fixture
def jury(campaign):
    """Two equally weighted criteria and three jurors."""
    criteria = [CriterionFactory(campaign=campaign, name_fi="Innostavuus"),
                CriterionFactory(campaign=campaign, name_fi="Vaikuttavuus")]
    jurors = [JurorFactory(campaign=campaign) for _ in range(3)]
    return criteria, jurors


def jury_category(campaign, **kwargs):
    return AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY, **kwargs)


def in_period(**kwargs):
    return ActionFactory(submitted_at=helsinki(2026, 3, 15, 12), **kwargs)


def test_jury_ranks_actions_by_mean_of_complete_weighted_means(campaign, jury):
    (inspiring, impact), (anna, bertil, cecilia) = jury
    category = jury_category(campaign, winners=1)
    first, second, unscored = in_period(title="Aamupalaverit"), in_period(title="Bussikortti"), in_period(title="C")
    score_action(anna, first, {inspiring: 5, impact: 4})
    score_action(bertil, first, {inspiring: 4, impact: 4})
    score_action(cecilia, first, {inspiring: 1})  # incomplete: saved but not counted
    score_action(anna, second, {inspiring: 3, impact: 3})
    result = rank_jury(campaign=campaign, category=category, as_of=AFTER)
    assert [(row.rank, row.title, row.score, row.jurors) for row in result.rows] == [
        (1, "Aamupalaverit", 4.25, 2), (2, "Bussikortti", 3.0, 1),
    ]
    assert [(row.title, row.reason) for row in result.unranked] == [("C", NOT_SCORED)]


def test_jury_ties_share_a_rank_and_are_listed_by_title(campaign, jury):
    (inspiring, impact), (anna, *_) = jury
    category = jury_category(campaign)
    for title in ("Öljynvaihto", "Etätyö", "Äänestys"):
        score_action(anna, in_period(title=title), {inspiring: 4, impact: 2})
    result = rank_jury(campaign=campaign, category=category, as_of=AFTER)
    assert [(row.rank, row.title) for row in result.rows] == [(1, "Etätyö"), (1, "Äänestys"), (1, "Öljynvaihto")]


def test_jury_category_limited_to_themes_sectors_or_shortlist(campaign, jury):
    (inspiring, impact), (anna, *_) = jury
    theme, sector = ThemeFactory(), SectorFactory()
    themed, sectored, both, neither = (in_period(title=t) for t in ("teema", "toimiala", "molemmat", "ei"))
    themed.themes.add(theme)
    sectored.sectors.add(sector)
    both.themes.add(theme)
    both.sectors.add(sector)
    for action in (themed, sectored, both, neither):
        score_action(anna, action, {inspiring: 3, impact: 3})

    def titles(category):
        result = rank_jury(campaign=campaign, category=category, as_of=AFTER)
        return sorted(row.title for row in [*result.rows, *result.unranked])

    by_theme = jury_category(campaign)
    by_theme.themes.add(theme)
    by_sector = jury_category(campaign)
    by_sector.sectors.add(sector)
    by_both = jury_category(campaign)
    by_both.themes.add(theme)
    by_both.sectors.add(sector)
    shortlisted = jury_category(campaign)
    shortlisted.shortlist.add(neither, sectored)
    assert titles(jury_category(campaign)) == ["ei", "molemmat", "teema", "toimiala"]
    assert titles(by_theme) == ["molemmat", "teema"]
    assert titles(by_sector) == ["molemmat", "toimiala"]
    assert titles(by_both) == ["molemmat"]
    assert titles(shortlisted) == ["ei", "toimiala"]


def test_one_award_per_action_fills_jury_categories_in_staff_order(campaign, jury):
    (inspiring, impact), (anna, *_) = jury
    campaign.one_award_per_action = True
    campaign.save()
    # Created first but placed second by staff: must be filled after "Pääpalkinto".
    second = jury_category(campaign, name_fi="Kannustuspalkinto", position=20, winners=1)
    first = jury_category(campaign, name_fi="Pääpalkinto", position=10, winners=1)
    best, runner_up, third = in_period(title="Paras"), in_period(title="Toinen"), in_period(title="Kolmas")
    for action, value in ((best, 5), (runner_up, 4), (third, 3)):
        score_action(anna, action, {inspiring: value, impact: value})
    results = {result.category_id: result for result in campaign_results(campaign=campaign, as_of=AFTER)}
    assert [row.title for row in results[first.pk].winner_rows()] == ["Paras"]
    assert [row.title for row in results[second.pk].winner_rows()] == ["Toinen"]
    skipped = results[second.pk].unranked
    assert [(row.title, row.reason, row.awarded_in["fi"]) for row in skipped] == [
        ("Paras", ALREADY_AWARDED, "Pääpalkinto")]

    campaign.one_award_per_action = False
    campaign.save()
    results = {result.category_id: result for result in campaign_results(campaign=campaign, as_of=AFTER)}
    assert [row.title for row in results[second.pk].winner_rows()] == ["Paras"]


def test_normalised_jury_scores_cancel_a_harsh_juror(campaign, jury):
    (inspiring, impact), (harsh, lenient, _) = jury
    campaign.normalise_scores = True
    campaign.save()
    category = jury_category(campaign)
    a, b = in_period(title="A"), in_period(title="B")
    # Raw means: A = (1 + 5) / 2 = 3, B = (2 + 3) / 2 = 2.5 → A wins raw.
    # Standardised: harsh gives A z=-1, B z=+1; lenient gives A z=+1, B z=-1 → tie at 0.
    score_action(harsh, a, {inspiring: 1, impact: 1})
    score_action(harsh, b, {inspiring: 2, impact: 2})
    score_action(lenient, a, {inspiring: 5, impact: 5})
    score_action(lenient, b, {inspiring: 3, impact: 3})
    result = rank_jury(campaign=campaign, category=category, as_of=AFTER)
    assert [(row.rank, row.title, row.score) for row in result.rows] == [(1, "A", 0.0), (1, "B", 0.0)]


def test_jury_ranking_takes_constant_queries(campaign, jury, django_assert_max_num_queries):
    (inspiring, impact), jurors = jury
    category = jury_category(campaign)
    for index in range(25):
        action = in_period()
        for juror in jurors:
            score_action(juror, action, {inspiring: 1 + index % 5, impact: 3})
    # 4: the score sets, the actions, and the jurors' conflicts of interest with the entries' partners.
    with django_assert_max_num_queries(4):
        result = rank_jury(campaign=campaign, category=category, as_of=AFTER)
    assert len(result.rows) == 25


def test_scores_by_a_juror_from_the_actions_own_organisation_are_left_out(campaign, jury):
    (inspiring, impact), (anna, bertil, _) = jury
    category = jury_category(campaign)
    action = in_period(title="Oma teko")
    MembershipFactory(user=anna.user, organisation=action.organisation)
    score_action(anna, action, {inspiring: 5, impact: 5})
    score_action(bertil, action, {inspiring: 2, impact: 2})
    result = rank_jury(campaign=campaign, category=category, as_of=AFTER)
    assert [(row.title, row.score, row.jurors) for row in result.rows] == [("Oma teko", 2.0, 1)]
