"""Faults: the database lost in the middle of a request, a save that fails halfway, files
nothing refers to, and forms sent twice."""

import datetime
import os
import re
import time

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse

from arena import services
from arena.models import Action, ActionImage, Like, Transition
from arena.views_errors import service_unavailable
from tests.arena.images_util import jpeg_upload
from tests.arena.test_views_actions import complete_fields, form_data, media_files
from tests.factories import ActionFactory, ActionImageFactory

S = Action.Status


def terminate_own_backend() -> None:
    """Kill this test's database session from another connection, as a database restart would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                break
            time.sleep(0.05)


@pytest.fixture
def lost_connection(transactional_db):
    """Run the test's requests on a database session that the server has terminated; afterwards
    reconnect as the next request would (CONN_HEALTH_CHECKS)."""
    yield terminate_own_backend
    connection.close()


def test_a_lost_database_gives_the_friendly_503_page_in_the_visitors_language(lost_connection, settings):
    # The page cache (the view's decorator, reading the shared cache in the database) meets the error first.
    ActionFactory(title="Näkyvä teko")
    lost_connection()
    response = Client(raise_request_exception=False).get("/sv/actions/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "no-store"
    assert '<html lang="sv">' in html
    assert "Tjänsten är tillfälligt otillgänglig" in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_a_logged_in_post_on_a_lost_database_gets_the_503_page_and_a_retry_works(lost_connection, member):
    action = ActionFactory()
    client = Client(raise_request_exception=False)
    client.force_login(member)
    lost_connection()
    response = client.post(f"/fi/actions/{action.pk}/like/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert "Palvelu on tilapäisesti poissa käytöstä" in response.content.decode()

    close_old_connections()  # what the next request starts with: the dead session is noticed and replaced
    again = client.post(f"/fi/actions/{action.pk}/like/", HTTP_ACCEPT="application/json")
    assert again.status_code == 200 and again.json()["liked"] is True
    assert Like.objects.filter(action=action, user=member).count() == 1


def test_the_503_page_reads_nothing_from_the_database(rf):
    """No database access is allowed in this test: a single query would raise."""
    request = rf.get("/en/actions/", HTTP_ACCEPT_LANGUAGE="en")
    response = service_unavailable(request)
    assert response.status_code == 503
    assert "Service temporarily unavailable" in response.content.decode()


def test_other_errors_still_get_the_500_page(client, monkeypatch, member):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("arena.views.get_object_or_404", broken)
    client.raise_request_exception = False
    response = client.get(reverse("arena:action-detail", kwargs={"pk": 1, "slug": "x"}))
    assert response.status_code == 500


# --- A new action is saved whole or not at all ------------------------------------------


def _new_form(client) -> str:
    page = client.get(reverse("arena:action-create")).content.decode()
    return re.search(r'name="form_key" value="([^"]+)"', page).group(1)


def test_a_submission_that_fails_halfway_leaves_no_action_and_no_image_files(client, member, organisation,
                                                                            monkeypatch):
    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client.force_login(member)
    key = _new_form(client)
    before = media_files()
    monkeypatch.setattr(services, "action_submit", database_gone)
    client.raise_request_exception = False
    data = form_data("submit", form_key=key, **complete_fields(organisation)) | {
        "new_image-image": jpeg_upload(), "new_image-alt_text": "Hoitaja videopuhelussa"}
    response = client.post(reverse("arena:action-create"), data)
    assert response.status_code == 503
    assert not Action.objects.exists() and not ActionImage.objects.exists()
    assert media_files() == before  # the five files written before the failure are gone again

    monkeypatch.undo()  # the user sends the same form again
    data["new_image-image"] = jpeg_upload()
    response = client.post(reverse("arena:action-create"), data)
    assert response["Location"] == reverse("arena:my-actions")
    action = Action.objects.get()
    assert action.status == S.SUBMITTED and action.images.count() == 1


# --- The same form twice --------------------------------------------------------------------


def test_a_replayed_new_action_form_creates_one_action(client, member, organisation):
    client.force_login(member)
    key = _new_form(client)
    data = form_data("draft", title="Kahdesti lähetetty", form_key=key)
    first = client.post(reverse("arena:action-create"), data)
    second = client.post(reverse("arena:action-create"), data, follow=True)
    action = Action.objects.get()
    assert first["Location"] == second.redirect_chain[0][0] == reverse("arena:action-edit", kwargs={"pk": action.pk})
    assert "Lomake oli jo lähetetty" in second.content.decode()


def test_a_replayed_submission_with_an_image_submits_once(client, member, organisation, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    client.force_login(member)
    key = _new_form(client)
    data = form_data("submit", form_key=key, **complete_fields(organisation)) | {
        "new_image-alt_text": "Hoitaja videopuhelussa"}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            response = client.post(reverse("arena:action-create"), data | {"new_image-image": jpeg_upload()})
            assert response["Location"] == reverse("arena:my-actions")
    action = Action.objects.get()
    assert action.images.count() == 1
    assert Transition.objects.filter(action=action, to_status=S.SUBMITTED).count() == 1
    assert len(mailoutbox) == 1
    assert "Teko odottaa jo tarkastusta." in client.get(reverse("arena:my-actions")).content.decode()


def test_two_new_action_forms_make_two_actions(client, member, organisation):
    client.force_login(member)
    for title in ("Ensimmäinen", "Toinen"):
        client.post(reverse("arena:action-create"), form_data("draft", title=title, form_key=_new_form(client)))
    assert sorted(Action.objects.values_list("title", flat=True)) == ["Ensimmäinen", "Toinen"]


def test_a_double_like_is_one_like(client, member):
    action = ActionFactory()
    client.force_login(member)
    for _ in range(2):
        assert client.post(f"/fi/actions/{action.pk}/like/", HTTP_ACCEPT="application/json").json()["liked"]
    action.refresh_from_db()
    assert Like.objects.filter(action=action).count() == action.like_count == 1


# --- Files that nothing refers to ----------------------------------------------------------


def _age(name: str, minutes: int) -> None:
    then = time.time() - minutes * 60
    os.utime(default_storage.path(name), (then, then))


def test_orphaned_image_files_are_deleted_when_old_enough(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # only this test's files
    kept = ActionImageFactory()
    old = default_storage.save("actions/killed-upload.jpg", ContentFile(b"x"))
    young = default_storage.save("actions/thumbs/still-committing.webp", ContentFile(b"x"))
    _age(old, 120)
    _age(kept.image.name, 120)
    call_command("delete_orphan_images", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not default_storage.exists(old)
    assert default_storage.exists(young) and default_storage.exists(kept.image.name)
    deleted = services.image_files_delete_orphans(older_than=datetime.timedelta(0),
                                                  now=datetime.datetime.now(datetime.UTC))
    assert deleted == [young]
