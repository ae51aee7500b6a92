"""Moderating development actions in the Django admin, as KT staff would."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from arena.admin import TransitionInline
from arena.models import Action, Report, Transition
from tests.factories import ActionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Action.Status
CHANGELIST = "/admin/arena/action/"
NOW = dt.datetime(2026, 9, 20, 9, tzinfo=dt.UTC)


def submitted(days_ago=1, **kwargs):
    return ActionFactory(status=S.SUBMITTED, submitted_at=NOW - dt.timedelta(days=days_ago), **kwargs)


def moderate_url(action, step):
    return reverse("admin:arena_action_moderate", args=[action.pk, step])


def bulk(client, step, actions, *, apply=True, message="", query="?status__isnull=False"):
    data = {"action": f"{step}_selected", "_selected_action": [a.pk for a in actions]}
    if apply:
        data |= {"apply": "1", "message": message}
    return client.post(CHANGELIST + query, data)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def as_moderator(client, group_moderator):
    client.force_login(group_moderator)
    return client


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_moderators_group_from_the_migration_has_exactly_what_moderation_needs(moderators_group):
    codenames = set(moderators_group.permissions.values_list("content_type__app_label", "codename"))
    assert ("arena", "moderate_action") in codenames
    assert {("arena", f"view_{m}") for m in ["action", "transition", "revision", "like", "adoption", "report",
                                             "actionimage", "contactperson", "actionlink"]} <= codenames
    assert {("arena", f"{v}_{m}") for v in ["add", "change", "delete"] for m in ["sector", "theme"]} <= codenames
    assert {("orgs", "view_organisation"), ("orgs", "view_membership")} <= codenames
    # No direct edits of actions, their audit trail or the reports: those go through the buttons.
    assert not {c for c in codenames if c[1].startswith(("change_", "delete_", "add_"))
                and c[1].split("_", 1)[1] not in {"sector", "theme"}}
    assert len(codenames) == 20


def test_bulk_publish_of_three_writes_three_audit_rows_and_mails_each_author_in_their_language(
    as_moderator, group_moderator, django_capture_on_commit_callbacks,
):
    swede = UserFactory(preferred_language="sv", email="anna@korsholm.fi")
    actions = [submitted(3), submitted(2, author=swede, title="Lärande i skolan"), submitted(1)]

    confirm = bulk(as_moderator, "publish", actions, apply=False)
    assert confirm.status_code == 200
    assert "Publish development actions" in confirm.text or "Julkaise" in confirm.text
    assert all(a.title in confirm.text for a in actions)
    assert not Transition.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = bulk(as_moderator, "publish", actions)
    assert response.status_code == 302

    assert Transition.objects.filter(to_status=S.PUBLISHED, actor=group_moderator).count() == 3
    assert set(Action.objects.values_list("status", flat=True)) == {S.PUBLISHED}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.author.email for a in actions)
    swedish = next(m for m in mail.outbox if m.to == [swede.email])
    assert "publicerad" in swedish.subject
    assert "Framstegsarenan" in swedish.body


def test_bulk_on_mixed_states_moves_only_those_it_may_and_says_why_for_the_others(
    as_moderator, django_capture_on_commit_callbacks,
):
    ready = submitted(title="Valmis teko")
    incomplete = submitted(title="Puutteellinen teko", results="")
    already = ActionFactory(status=S.PUBLISHED, title="Jo julkaistu teko")

    confirm = bulk(as_moderator, "publish", [ready, incomplete, already], apply=False)
    assert confirm.text.count("arena-skip") == 2  # the page says beforehand which will be skipped

    with django_capture_on_commit_callbacks(execute=True):
        response = bulk(as_moderator, "publish", [ready, incomplete, already])
    for action in (ready, incomplete, already):
        action.refresh_from_db()
    assert (ready.status, incomplete.status, already.status) == (S.PUBLISHED, S.SUBMITTED, S.PUBLISHED)
    assert Transition.objects.count() == 1
    assert len(mail.outbox) == 1
    notes = texts(response)
    assert any("Puutteellinen teko" in n and "tulokset" in n.lower() for n in notes)
    assert any("Jo julkaistu teko" in n and "odottaa tarkastusta" in n for n in notes)
    assert any("1" in n and "julkaistu" in n.lower() for n in notes if "Valmis" not in n)


@pytest.mark.parametrize("step", ["return", "reject"])
def test_return_or_reject_without_a_message_is_refused(as_moderator, step):
    action = submitted()

    response = bulk(as_moderator, step, [action], message="   ")
    assert response.status_code == 200  # the confirmation page again, with the error
    assert "errorlist" in response.text

    response = as_moderator.post(moderate_url(action, step), {"message": ""})
    assert response.status_code == 200
    assert "errorlist" in response.text

    action.refresh_from_db()
    assert action.status == S.SUBMITTED
    assert not Transition.objects.exists()


def test_return_from_the_action_page_stores_the_message_for_the_author(
    as_moderator, group_moderator, django_capture_on_commit_callbacks,
):
    action = submitted()
    page = as_moderator.get(reverse("admin:arena_action_change", args=[action.pk]))
    assert moderate_url(action, "return") in page.text
    assert moderate_url(action, "publish") in page.text
    assert moderate_url(action, "hide") not in page.text  # only what the state allows
    assert moderate_url(action, "unhide") not in page.text

    form = as_moderator.get(moderate_url(action, "return"))
    assert form.status_code == 200 and 'name="message"' in form.text
    with django_capture_on_commit_callbacks(execute=True):
        response = as_moderator.post(moderate_url(action, "return"), {"message": "Lisää tulokset numeroina."})
    assert response.status_code == 302
    assert response.url == reverse("admin:arena_action_change", args=[action.pk])
    record = Transition.objects.get(action=action)
    assert (record.to_status, record.message, record.actor) == (S.RETURNED, "Lisää tulokset numeroina.",
                                                                group_moderator)
    assert "Lisää tulokset numeroina." in mail.outbox[0].body


def test_publishing_an_incomplete_action_is_refused_with_the_reason(as_moderator):
    action = submitted(stage="")
    response = as_moderator.post(moderate_url(action, "publish"), {"message": ""})
    assert response.status_code == 200
    assert "vaihe" in response.text.lower()  # the missing field is named
    action.refresh_from_db()
    assert action.status == S.SUBMITTED


def test_hide_with_a_reason_and_show_again(as_moderator, django_capture_on_commit_callbacks):
    action = ActionFactory(status=S.PUBLISHED)
    page = as_moderator.get(reverse("admin:arena_action_change", args=[action.pk]))
    assert moderate_url(action, "hide") in page.text
    assert moderate_url(action, "publish") not in page.text

    as_moderator.post(moderate_url(action, "hide"), {"message": "Sisältää henkilötietoja."})
    action.refresh_from_db()
    assert action.status == S.HIDDEN
    page = as_moderator.get(reverse("admin:arena_action_change", args=[action.pk]))
    assert moderate_url(action, "unhide") in page.text
    assert moderate_url(action, "publish") not in page.text
    with django_capture_on_commit_callbacks(execute=True):
        as_moderator.post(moderate_url(action, "unhide"), {"message": ""})
    action.refresh_from_db()
    assert action.status == S.PUBLISHED
    assert list(Transition.objects.filter(action=action).values_list("to_status", "message")) == [
        (S.PUBLISHED, ""), (S.HIDDEN, "Sisältää henkilötietoja."),
    ]


def test_staff_without_the_moderation_permission_gets_403_and_changes_nothing(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_action"))
    client.force_login(viewer)
    action = submitted()

    queue = client.get(CHANGELIST + "?status__exact=submitted")
    assert queue.status_code == 200
    assert "publish_selected" not in queue.text  # no moderation actions offered
    assert client.get(moderate_url(action, "publish")).status_code == 403
    assert client.post(moderate_url(action, "publish"), {"message": ""}).status_code == 403
    assert bulk(client, "publish", [action]).status_code == 403
    action.refresh_from_db()
    assert action.status == S.SUBMITTED
    assert not Transition.objects.exists()


def test_queue_opens_on_waiting_actions_oldest_first_with_the_count_in_the_title(as_moderator):
    newest, oldest, middle = submitted(1), submitted(9), submitted(4)
    ActionFactory(status=S.PUBLISHED)
    ActionFactory(status=S.DRAFT, submitted_at=None)

    response = as_moderator.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url == CHANGELIST + "?status__exact=submitted"

    queue = as_moderator.get(response.url)
    assert list(queue.context["cl"].result_list) == [oldest, middle, newest]
    assert "3" in queue.context["title"]
    assert "<h1>" in queue.text and "3" in queue.text.split("<h1>")[1].split("</h1>")[0]
    waiting = [cell.split("<")[0] for cell in queue.text.split('<td class="field-waiting_time">')[1:]]
    assert waiting == ["1\xa0viikko, 2\xa0päivää", "4\xa0päivää", "1\xa0päivä"]  # humanised

    everything = as_moderator.get(CHANGELIST + "?status__isnull=False")
    assert everything.status_code == 200
    assert len(everything.context["cl"].result_list) == 5


def test_queue_columns_without_n_plus_one(as_moderator, django_assert_max_num_queries):
    actions = [submitted(days_ago=n % 20 + 1) for n in range(35)]
    reporter = UserFactory()
    for action in actions[:10]:
        Report.objects.create(action=action, reporter=reporter, reason=Report.Reason.SPAM)
        Report.objects.create(action=action, reporter=reporter, reason=Report.Reason.OFFENSIVE,
                              status=Report.Status.CLOSED)
    with django_assert_max_num_queries(20):
        response = as_moderator.get(CHANGELIST + "?status__exact=submitted")
    rows = list(response.context["cl"].result_list)
    assert len(rows) == 35
    counts = {a.pk: a.open_report_count for a in rows}
    assert sum(counts.values()) == 10
    assert all(counts[a.pk] == 1 for a in actions[:10])


def test_queue_filters_and_search(as_moderator):
    welfare = OrganisationFactory(kind="welfare_area", name_fi="Pohjanmaan hyvinvointialue")
    in_welfare = submitted(organisation=welfare, title="Hyte-teko")
    by_email = submitted(author=UserFactory(email="pekka@liminka.fi"), title="Limingan teko")
    other = submitted(title="Muu teko")

    def result(query):
        return set(as_moderator.get(CHANGELIST + query).context["cl"].result_list)

    assert result("?status__exact=submitted&organisation_kind=welfare_area") == {in_welfare}
    assert result("?status__exact=submitted&q=pohjanmaan") == {in_welfare}
    assert result("?status__exact=submitted&q=pekka@liminka") == {by_email}
    assert result("?status__exact=submitted&language__exact=fi") == {in_welfare, by_email, other}
    sector = other.sectors.get()
    assert result(f"?status__exact=submitted&sectors__id__exact={sector.pk}") == {other}


def test_action_page_shows_the_audit_trail_read_only_newest_first(client, staff, moderator):
    action = submitted()
    Transition.objects.create(action=action, actor=moderator, from_status=S.DRAFT, to_status=S.SUBMITTED,
                              message="Ensimmäinen")
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        Transition.objects.create(action=action, actor=moderator, from_status=S.SUBMITTED,
                                  to_status=S.RETURNED, message="Toinen viesti")
    client.force_login(staff)  # a superuser: still read-only
    page = client.get(reverse("admin:arena_action_change", args=[action.pk]))
    assert page.status_code == 200
    assert page.text.index("Toinen viesti") < page.text.index("Ensimmäinen")
    assert 'name="transitions-0-message"' not in page.text
    assert 'name="transitions-TOTAL_FORMS"' in page.text
    assert 'name="transitions-0-DELETE"' not in page.text
    inline = TransitionInline(Action, admin.site)
    request = page.wsgi_request
    assert not inline.has_add_permission(request, action)
    assert not inline.has_change_permission(request, action)
    assert not inline.has_delete_permission(request, action)


def jpeg(name):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


def test_action_page_shows_everything_staff_need(as_moderator):
    from arena.models import ActionImage, Adoption, Like, Revision

    action = ActionFactory(status=S.PUBLISHED, title="Kuvallinen teko")
    ActionImage.objects.create(action=action, image=jpeg("kuva.jpg"), thumb_small_jpeg=jpeg("pieni.jpg"),
                               alt_text="Lapset leikkivät pihalla")
    fan = UserFactory(full_name="Tykkääjä Teppo")
    Like.objects.create(action=action, user=fan)
    Adoption.objects.create(action=action, organisation=OrganisationFactory(name_fi="Kempeleen kunta"),
                            note="Otettu käyttöön")
    Revision.objects.create(action=action, changes={"summary": ["vanha", "uusi"]})
    Report.objects.create(action=action, reason=Report.Reason.SPAM, comment="Mainos")

    page = as_moderator.get(reverse("admin:arena_action_change", args=[action.pk]))
    assert page.status_code == 200
    assert 'alt="Lapset leikkivät pihalla"' in page.text
    assert 'class="arena-admin-thumb"' in page.text
    assert "pieni" in page.text.split('class="arena-admin-thumb"')[0].rsplit("<img", 1)[1]
    for shown in ["Tykkääjä Teppo", "Kempeleen kunta", "summary", "Mainos"]:
        assert shown in page.text


def test_admin_is_at_admin_and_speaks_the_staff_members_language(as_moderator):
    as_moderator.cookies["django_language"] = "sv"
    swedish = as_moderator.get("/admin/")
    assert swedish.status_code == 200
    assert "Logga ut" in swedish.text
    assert "Framstegsarenan" in swedish.text
    assert "Behöver uppmärksamhet i dag" in swedish.text

    as_moderator.cookies["django_language"] = "fi"
    finnish = as_moderator.get("/admin/")
    assert "Kirjaudu ulos" in finnish.text
    assert "Tekojen tori" in finnish.text

    del as_moderator.cookies["django_language"]
    by_header = as_moderator.get("/admin/", HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9")
    assert "Logga ut" in by_header.text
    assert as_moderator.get("/fi/admin/").status_code == 404


def test_index_shows_what_needs_attention_today(as_moderator):
    from tests.factories import MembershipFactory

    submitted(5), submitted(2)
    Report.objects.create(action=ActionFactory(), reason=Report.Reason.SPAM)
    MembershipFactory(status="pending", confirmed_at=None)
    page = as_moderator.get("/admin/")
    panel = page.text.split('class="arena-attention"')[1].split("</section>")[0]
    counts = [int(part.split("</span>")[0]) for part in panel.split('arena-attention-count">')[1:]]
    assert counts == [2, 1, 1]
    assert "/admin/arena/action/?status__exact=submitted" in panel
    assert "/admin/arena/report/?status__exact=open" in panel


def test_staff_language_buttons_switch_the_admin(as_moderator):
    response = as_moderator.post("/i18n/setlang/", {"language": "sv", "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert "Logga ut" in as_moderator.get("/admin/").text


def test_show_again_is_only_for_hidden_actions(as_moderator):
    """"Show again" on a waiting action must not publish it past the moderation."""
    action = submitted(results="")
    response = bulk(as_moderator, "unhide", [action])
    assert any("piilotettu" in note for note in texts(response))
    assert as_moderator.post(moderate_url(action, "unhide"), {"message": ""}).status_code == 200
    action.refresh_from_db()
    assert action.status == S.SUBMITTED
    assert not Transition.objects.exists()


def test_action_page_shows_the_submitter_and_stays_within_a_query_budget(
    as_moderator, moderator, django_assert_max_num_queries,
):
    from arena.models import Adoption, Like

    action = ActionFactory(status=S.PUBLISHED, author=UserFactory(full_name="Liisa Laatija", email="liisa@oulu.fi"))
    for n in range(15):
        Transition.objects.create(action=action, actor=moderator, from_status=S.PUBLISHED, to_status=S.HIDDEN,
                                  message=f"Viesti {n}")
        Report.objects.create(action=action, reporter=UserFactory(), reason=Report.Reason.SPAM)
        Adoption.objects.create(action=action, organisation=OrganisationFactory(), user=UserFactory())
        Like.objects.create(action=action, user=UserFactory())
    with django_assert_max_num_queries(45):
        page = as_moderator.get(reverse("admin:arena_action_change", args=[action.pk]))
    assert "Liisa Laatija" in page.text and "mailto:liisa@oulu.fi" in page.text
    assert page.text.count("Viesti ") == 15


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_moderators_action_pages_answer_in_every_admin_language(as_moderator, language):
    # The moderation queue annotates each action with its campaign's name in the admin's language:
    # in sv and en that once answered 500.
    action = submitted()
    as_moderator.cookies["django_language"] = language
    for url in ["/admin/arena/action/?status__exact=submitted", "/admin/arena/action/?status__isnull=False",
                reverse("admin:arena_action_change", args=[action.pk]), moderate_url(action, "publish")]:
        page = as_moderator.get(url)
        assert page.status_code == 200, (language, url)
        assert action.title in page.text, (language, url)
