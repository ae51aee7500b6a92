"""Volume limits (arena/limits.py): reports and drafts per user, and staff e-mailed in batches."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from arena import limits, services
from arena.limits import LimitReached, report_alert_due
from arena.models import Action, Report
from tests.arena.test_views_actions import form_data
from tests.factories import ActionFactory, UserFactory, helsinki

pytestmark = pytest.mark.django_db

NOON = helsinki(2026, 3, 15, 12, 0)


@pytest.fixture
def staff_emails(settings):
    settings.STAFF_EMAILS = ["moderointi@kt.fi"]


def _report_url(action, language="fi"):
    with translation.override(language):
        return reverse("arena:action-report", kwargs={"pk": action.pk})


def test_a_burst_of_50_reports_from_one_user_is_stopped_with_a_message(
        client, staff_emails, django_capture_on_commit_callbacks):
    actions = ActionFactory.create_batch(5)
    client.force_login(UserFactory(preferred_language="sv"))
    with time_machine.travel(NOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(_report_url(actions[i % 5], "sv"), {"reason": "spam", "comment": f"Skräp {i}"})
                     for i in range(50)]
    limit = limits.REPORTS_PER_HOUR
    assert [r.status_code for r in responses] == [302] * limit + [429] * (50 - limit)
    refused = responses[-1].content.decode()
    assert "anmälningar inom en timme" in refused  # in Swedish, the language of the page
    assert "Skräp 49" in refused  # the comment typed is still in the form
    assert Report.objects.count() == limit
    assert len(mail.outbox) == 1  # staff got the first report at once, the others wait in the admin


def test_the_daily_report_limit_holds_across_hours(staff_emails):
    action, user = ActionFactory(), UserFactory()
    for hour in range(limits.REPORTS_PER_DAY // limits.REPORTS_PER_HOUR):
        with time_machine.travel(NOON + datetime.timedelta(hours=hour), tick=False):
            for _ in range(limits.REPORTS_PER_HOUR):
                services.action_report(action=action, user=user, reason="spam")
    with time_machine.travel(NOON + datetime.timedelta(hours=5), tick=False), pytest.raises(LimitReached):
        services.action_report(action=action, user=user, reason="spam")
    with time_machine.travel(NOON + datetime.timedelta(days=1, hours=3), tick=False):
        services.action_report(action=action, user=user, reason="spam")


def test_report_alert_is_due_only_after_a_quiet_window():
    assert report_alert_due(last_alert_at=None, now=NOON)
    assert not report_alert_due(last_alert_at=NOON - datetime.timedelta(minutes=29), now=NOON)
    assert report_alert_due(last_alert_at=NOON - limits.REPORT_ALERT_WINDOW, now=NOON)


def test_staff_get_one_mail_for_a_burst_from_many_users_then_a_summary(
        staff_emails, django_capture_on_commit_callbacks):
    action = ActionFactory(title="Lukudiplomi")
    with time_machine.travel(NOON, tick=False):
        for i in range(40):  # each report commits on its own, as requests do
            with django_capture_on_commit_callbacks(execute=True):
                services.action_report(action=action, user=UserFactory(), reason="offensive", comment=f"Huono {i}")
    assert len(mail.outbox) == 1
    assert "Huono 0" in mail.outbox[0].body and "Lukudiplomi" in mail.outbox[0].subject
    later = NOON + datetime.timedelta(minutes=20)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(later, tick=False):
        services.action_report(action=action, user=UserFactory(), reason="spam")
    assert len(mail.outbox) == 1  # still within the window
    after = NOON + limits.REPORT_ALERT_WINDOW + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(after, tick=False):
        services.action_report(action=action, user=UserFactory(), reason="spam")
    assert len(mail.outbox) == 2
    summary = mail.outbox[1]
    assert "41" in summary.subject  # the 40 that waited and the new one
    assert summary.body.count("Lukudiplomi") == 41
    assert not Report.objects.filter(staff_alerted_at__isnull=True).exists()


def test_a_waiting_report_is_sent_by_the_sender_once_the_window_has_passed(
        staff_emails, django_capture_on_commit_callbacks):
    action = ActionFactory()
    with time_machine.travel(NOON, tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                services.action_report(action=action, user=UserFactory(), reason="spam")
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert limits.report_alerts_send(now=NOON + datetime.timedelta(minutes=5)) == 0
        assert limits.report_alerts_send(now=NOON + limits.REPORT_ALERT_WINDOW) == 1  # what a periodic task calls
    assert len(mail.outbox) == 2


def _drafts(user, organisation, count):
    Action.objects.bulk_create([Action(author=user, organisation=organisation, title=f"Luonnos {i}",
                                       status=Action.Status.DRAFT) for i in range(count)])


def test_the_draft_limit_keeps_what_was_typed_in_the_form(client, member, organisation):
    _drafts(member, organisation, limits.DRAFTS_PER_USER)
    client.force_login(member)
    with translation.override("fi"):
        url = reverse("arena:action-create")
    response = client.post(url, form_data(title="Sadas ensimmäinen luonnos", organisation=organisation.pk,
                                          need="Tämä teksti ei saa kadota."))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sinulla on jo 100 luonnosta" in page
    assert "Sadas ensimmäinen luonnos" in page and "Tämä teksti ei saa kadota." in page
    assert Action.objects.filter(author=member).count() == limits.DRAFTS_PER_USER


def test_new_actions_a_day_are_limited_even_when_sent_on(member, organisation):
    now = datetime.datetime.now(tz=datetime.UTC)
    Action.objects.bulk_create([Action(author=member, organisation=organisation, title=f"Teko {i}",
                                       status=Action.Status.SUBMITTED, submitted_at=now)
                                for i in range(limits.ACTIONS_PER_DAY)])
    with pytest.raises(LimitReached):
        services.action_create(user=member, data={"title": "Yksi liikaa", "organisation": organisation})
    with time_machine.travel(now + datetime.timedelta(days=1, minutes=1)):
        services.action_create(user=member, data={"title": "Huomenna", "organisation": organisation})
