import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from arena.models import Action, ActionImage, Adoption, Like
from arena.selectors import action_browse
from orgs.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_demo_content_loads_once(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_content")
    output = capsys.readouterr().out
    published = Action.objects.published()
    assert 55 <= published.count() <= 65
    assert Action.objects.exclude(status="published").count() >= 3
    assert set(published.values_list("language", flat=True)) == {"fi", "sv", "en"}
    assert published.filter(organisation__code="425").count() >= 10
    assert ActionImage.objects.filter(is_cover=True).count() == published.count()
    assert all(i.thumb_small and i.thumb_small_jpeg for i in ActionImage.objects.all()[:5])
    assert Like.objects.exists() and Adoption.objects.exists()
    assert sum(published.values_list("like_count", flat=True)) == Like.objects.count()
    # The demo accounts and their passwords are printed for `make run`.
    assert "tyontekija@example.fi" in output and "demo-tyontekija-2026" in output
    employee = get_user_model().objects.get(email="tyontekija@example.fi")
    assert employee.check_password("demo-tyontekija-2026")
    assert Membership.objects.get(user=employee).organisation.code == "425"
    moderator = get_user_model().objects.get(email="moderaattori@example.fi")
    assert moderator.is_staff and moderator.has_perm("arena.moderate_action")
    # Searchable in both languages.
    assert action_browse({"q": "päiväkodissa"}).queryset.exists()
    assert action_browse({"q": "förskolan"}).queryset.exists()

    counts = (Action.objects.count(), Organisation.objects.count(), Like.objects.count(),
              get_user_model().objects.count())
    call_command("load_demo_content")
    assert (Action.objects.count(), Organisation.objects.count(), Like.objects.count(),
            get_user_model().objects.count()) == counts


def test_demo_content_is_not_created_with_debug_off(settings):
    settings.DEBUG = False
    call_command("load_demo_content")
    assert not Action.objects.exists()
    assert not get_user_model().objects.filter(email="tyontekija@example.fi").exists()


def test_demo_content_uses_loaded_organisations(settings):
    settings.DEBUG = True
    liminka = Organisation.objects.create(kind="municipality", code="425", name_fi="Liminka", slug="liminka-real")
    call_command("load_demo_content")
    assert Action.objects.filter(organisation=liminka).count() >= 10
    assert Organisation.objects.filter(code="425").count() == 1


def test_seed_demo_bulk_creates_searchable_actions(settings):
    settings.DEBUG = True
    call_command("seed_demo", actions=150, likes=300, users=20)
    assert Action.objects.published().count() == 150
    assert Like.objects.count() == 300
    assert sum(Action.objects.values_list("like_count", flat=True)) == 300
    assert not Action.objects.filter(search_vector__isnull=True).exists()
    assert action_browse({"q": "päiväkoti"}).queryset.exists()


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", actions=5)
    assert not Action.objects.exists()
