"""The kept counts of published actions (arena/tallies.py) equal a count from scratch after every
kind of change the services make, and the pages read them instead of counting actions."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from arena import filters, selectors, services, statistics
from arena.models import Action, PublishedTally
from arena.tallies import tallies_from_scratch, tallies_kept, tallies_rebuild
from tests.factories import (
    ActionFactory, MembershipFactory, OrganisationFactory, RegionFactory, SectorFactory, ThemeFactory, UserFactory,
)

pytestmark = pytest.mark.django_db
S = Action.Status
HELSINKI = ZoneInfo("Europe/Helsinki")


def assert_kept_equal_scratch():
    assert tallies_kept() == tallies_from_scratch()


def submitted(organisation, **kwargs):
    return ActionFactory(organisation=organisation, status=S.SUBMITTED, **kwargs)


def test_publish_hide_unhide_change_the_figures_the_front_page_shows(moderator):
    first, second = OrganisationFactory(), OrganisationFactory()
    ActionFactory(organisation=first)
    action = submitted(second)
    assert selectors._front_page_figures_now() == {"actions": 1, "organisations": 1, "adoptions": 0}

    services.action_publish(action=action, moderator=moderator)
    assert_kept_equal_scratch()
    assert selectors._front_page_figures_now() == {"actions": 2, "organisations": 2, "adoptions": 0}

    services.action_hide(action=action, moderator=moderator, message="Ei kuulu tänne.")
    assert_kept_equal_scratch()
    assert selectors._front_page_figures_now() == {"actions": 1, "organisations": 1, "adoptions": 0}
    assert second.slug not in dict(filters._organisation_choices_now())

    services.action_unhide(action=action, moderator=moderator)
    assert_kept_equal_scratch()
    assert second.slug in dict(filters._organisation_choices_now())


def test_return_and_reject_of_a_submission_leave_the_counts_alone(moderator, organisation):
    returned, rejected = submitted(organisation), submitted(organisation)
    services.action_return(action=returned, moderator=moderator, message="Lisää tuloksia.")
    services.action_reject(action=rejected, moderator=moderator, message="Ei teko.")
    assert_kept_equal_scratch()
    assert selectors._front_page_figures_now()["actions"] == 0


def test_year_and_month_follow_the_publication_time_in_helsinki(moderator, organisation):
    ActionFactory(organisation=organisation, published_at=datetime.datetime(2023, 6, 1, 12, tzinfo=HELSINKI))
    action = submitted(organisation)
    # 31 December 2024 22:30 UTC is already 1 January 2025 in Helsinki.
    with time_machine.travel(datetime.datetime(2024, 12, 31, 22, 30, tzinfo=datetime.UTC), tick=False):
        services.action_publish(action=action, moderator=moderator)
    assert_kept_equal_scratch()
    assert filters._year_choices_now() == [("2025", "2025"), ("2023", "2023")]
    months = dict(statistics.actions_per_month(today=datetime.date(2025, 1, 15), months=2))
    assert months == {datetime.date(2024, 12, 1): 0, datetime.date(2025, 1, 1): 1}

    services.action_hide(action=action, moderator=moderator, message="Piiloon.")
    assert filters._year_choices_now() == [("2023", "2023")]


def test_an_edit_that_changes_sectors_and_themes_moves_their_counts(organisation):
    old_sector, new_sector = SectorFactory(), SectorFactory()
    old_theme, new_theme = ThemeFactory(), ThemeFactory()
    author = MembershipFactory(organisation=organisation).user
    action = ActionFactory(organisation=organisation, author=author, sectors=[old_sector], themes=[old_theme])

    services.action_update(action=action, user=author, data={"sectors": [new_sector, old_sector],
                                                             "themes": [new_theme]})
    assert_kept_equal_scratch()
    sectors = {sector.pk: n for sector, n in statistics.actions_per_sector()}
    themes = {theme.pk: n for theme, n in statistics.actions_per_theme()}
    assert (sectors[old_sector.pk], sectors[new_sector.pk]) == (1, 1)
    assert (themes[old_theme.pk], themes[new_theme.pk]) == (0, 1)


def test_moving_an_action_to_another_organisation_moves_its_counts():
    from django.contrib.auth.models import Permission

    from arena.moves import action_move

    north, south = RegionFactory(code="19"), RegionFactory(code="02")
    old, new = OrganisationFactory(region=north), OrganisationFactory(region=south)
    action = ActionFactory(organisation=old)
    # A published action is moved by staff only (issue #19), through the same edit service.
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["moderate_action", "change_action"]))

    action_move(action=action, moderator=staff, organisation=new, message="Väärä organisaatio")
    assert_kept_equal_scratch()
    assert statistics.actions_per_region() == {"02": 1}
    assert dict(filters._organisation_choices_now()) == {new.slug: new.name}


def _bound_values(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        elif value is not None:
            data[bound.html_name] = str(value)
    return data


def admin_change(client, action, **changes):
    """Post the admin's change form of the action as it stands, with `changes`."""
    url = reverse("admin:arena_action_change", args=[action.pk])
    page = client.get(url)
    data = _bound_values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= _bound_values(formset.management_form)
        for form in formset.forms:
            data |= _bound_values(form)
    data |= changes
    return client.post(url, data)


def test_a_staff_edit_in_the_admin_moves_the_counts(client, staff):
    old_org, new_org = OrganisationFactory(), OrganisationFactory()
    old_sector, new_sector = SectorFactory(), SectorFactory()
    action = ActionFactory(organisation=old_org, author=None, sectors=[old_sector])
    client.force_login(staff)

    response = admin_change(client, action, organisation=str(new_org.pk), sectors=[str(new_sector.pk)])
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.organisation, list(action.sectors.all())) == (new_org, [new_sector])
    assert_kept_equal_scratch()
    assert dict(filters._organisation_choices_now()) == {new_org.slug: new_org.name}


def test_adopt_and_unadopt_count_only_for_published_actions(moderator, organisation):
    adopter = OrganisationFactory()
    user = MembershipFactory(organisation=adopter).user
    action = ActionFactory(organisation=organisation)

    services.action_adopt(action=action, organisation=adopter, user=user)
    assert_kept_equal_scratch()
    assert selectors._front_page_figures_now()["adoptions"] == 1

    services.action_hide(action=action, moderator=moderator, message="Piiloon.")
    assert_kept_equal_scratch()
    assert selectors._front_page_figures_now()["adoptions"] == 0
    services.action_unadopt(action=action, organisation=adopter, user=user)  # withdrawn while hidden
    assert_kept_equal_scratch()

    services.action_unhide(action=action, moderator=moderator)
    assert_kept_equal_scratch()
    assert selectors._front_page_figures_now() == {"actions": 1, "organisations": 1, "adoptions": 0}


def test_deleting_an_organisation_without_actions_keeps_the_counts_right(organisation):
    adopter = OrganisationFactory()
    action = ActionFactory(organisation=organisation)
    services.action_adopt(action=action, organisation=adopter, user=MembershipFactory(organisation=adopter).user)
    empty = OrganisationFactory()
    PublishedTally.objects.create(kind=PublishedTally.Kind.ORGANISATION, organisation=empty)

    empty.delete()
    adopter.delete()  # its adoption goes with it
    services.actions_recount_engagement()
    assert_kept_equal_scratch()
    assert selectors._front_page_figures_now() == {"actions": 1, "organisations": 1, "adoptions": 0}


def test_rebuild_command_repairs_counts_written_around_the_services(organisation):
    ActionFactory.create_batch(3, organisation=organisation)
    Action.objects.update(status=S.HIDDEN)  # a bulk change that bypasses the services
    assert tallies_kept() != tallies_from_scratch()

    call_command("rebuild_tallies", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_kept_equal_scratch()
    assert selectors._front_page_figures_now()["actions"] == 0


def test_the_migration_fill_matches_a_count_from_scratch(organisation):
    """The SQL of migration 0008 counts the way `tallies_from_scratch` does."""
    from importlib import import_module

    from django.db import connection

    fill = import_module("arena.migrations.0008_published_tally").FILL
    ActionFactory(organisation=organisation, adoption_count=2,
                  published_at=datetime.datetime(2025, 1, 1, 0, 30, tzinfo=HELSINKI))
    ActionFactory(organisation=None, sectors=[], themes=[])
    ActionFactory(organisation=organisation, status=S.HIDDEN)
    PublishedTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert_kept_equal_scratch()
    tallies_rebuild()
    assert_kept_equal_scratch()


def test_front_and_statistics_pages_read_the_kept_counts(client, settings, django_assert_max_num_queries):
    settings.PUBLIC_CACHE = False  # the pages' own cost, with nothing cached
    for _index in range(3):
        ActionFactory.create_batch(4, organisation=OrganisationFactory())
    with django_assert_max_num_queries(12) as front:
        response = client.get("/fi/")
    assert response.status_code == 200
    with django_assert_max_num_queries(16) as statistics:
        response = client.get("/fi/statistics/")
    assert response.status_code == 200
    for queries in (front, statistics):
        counting = [q["sql"] for q in queries.captured_queries
                    if "COUNT(" in q["sql"].upper() and '"arena_action"' in q["sql"]]
        assert counting == []


@pytest.mark.usefixtures("english")
def test_the_organisation_page_counts_its_actions_from_the_kept_counts(client, moderator):
    organisation = OrganisationFactory()
    actions = ActionFactory.create_batch(14, organisation=organisation)
    services.action_hide(action=actions[0], moderator=moderator, message="Piiloon.")
    with django_queries() as queries:
        html = client.get(f"/en/organisations/{organisation.slug}/").content.decode()
    assert "See all 13 actions in the list" in html
    assert not [sql for sql in queries() if "COUNT(" in sql.upper() and '"arena_action"' in sql]


def django_queries():
    import contextlib

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextlib.contextmanager
    def capture():
        with CaptureQueriesContext(connection) as context:
            yield lambda: [q["sql"] for q in context.captured_queries]
    return capture()
