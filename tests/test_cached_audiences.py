"""Every cached page and fragment, rendered first by a role who may see more, then by an anonymous
visitor: the anonymous answer never holds anything only that role may see (people without consent,
the jury's rows kept from the public, staff tools, edit links, a CSRF token), in every language.

The caches are the production ones (nothing is switched off); each test starts from the world's
cache state and the privileged role's visits fill it first, as a staff member opening the results
page before the public does.
"""

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import JurorFactory, MembershipFactory, UserFactory
from tests.test_public_privacy import LATER, SECRET, _build_world

pytestmark = [pytest.mark.django_db, pytest.mark.caches]

LANGUAGES = ("fi", "sv", "en")
PRIVILEGED = ("member", "juror", "chair", "moderator", "campaign manager", "superuser")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = _build_world()
        campaign = world["campaign"]
        moderator = UserFactory(is_staff=True, full_name="Mirja Moderaattori")
        moderator.groups.add(Group.objects.get(name="Moderators"))
        manager = UserFactory(is_staff=True, full_name="Kalle Kampanjapäällikkö")
        manager.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="campaigns", codename__in=["change_campaign", "view_campaign"]))
        world["roles"] = {
            "member": MembershipFactory(organisation=world["organisation"]).user,
            "juror": JurorFactory(campaign=campaign).user,
            "chair": JurorFactory(campaign=campaign, is_chair=True).user,
            "moderator": moderator,
            "campaign manager": manager,
            "superuser": world["staff"],
        }
        yield world
        transaction.set_rollback(True)


def _pages(world) -> dict[str, str]:
    """Every page kept in the shared cache (whole for anonymous visitors, or its fragments)."""
    campaign, organisation = world["campaign"], world["organisation"]
    return {
        "home": reverse("home"),
        "action list": reverse("arena:action-list"),
        "search": reverse("arena:action-list") + "?q=aamupala",
        "sorted by likes": reverse("arena:action-list") + "?sort=likes",
        "action page": world["action"].get_absolute_url(),
        "organisation list": reverse("orgs:organisation-list"),
        "organisation page": organisation.get_absolute_url(),
        "statistics": reverse("arena:statistics"),
        "campaign list": reverse("campaigns:campaign-list"),
        "campaign page": reverse("campaigns:campaign-detail", args=[campaign.slug]),
        "results page": reverse("campaigns:campaign-results", args=[campaign.slug]),
    }


def _only_for_roles(world, language: str) -> dict[str, str]:
    """What a privileged role may be shown and an anonymous visitor never."""
    with translation.override(language):
        action = world["action"]
        return {
            **SECRET,
            "CSRF token": "csrfmiddlewaretoken",
            "log-out form": f'action="{reverse("account_logout")}"',
            "edit link": reverse("arena:action-edit", args=[action.pk]),
            "staff tools": str(translation.gettext("Staff tools")),
            "freeze button": reverse("campaigns:campaign-results-freeze", args=[world["campaign"].slug]),
            "live preview link": "?live=1",
            "admin link": "/admin/",
        }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", PRIVILEGED)
def test_an_anonymous_visitor_after_a_privileged_role_sees_nothing_of_theirs(world, role, language):
    privileged, anonymous = Client(), Client()
    privileged.force_login(world["roles"][role])
    hidden = _only_for_roles(world, language)
    seen_by_role = set()
    with time_machine.travel(LATER), translation.override(language):
        pages = _pages(world)
        for name, url in pages.items():
            response = privileged.get(url)
            assert response.status_code == 200, (role, name)
            text = response.content.decode()
            seen_by_role |= {what for what, value in hidden.items() if value in text}
        for name, url in pages.items():
            for _twice in range(2):  # stored by the first anonymous visit, served to the second
                response = anonymous.get(url)
                assert response.status_code == 200, name
                text = response.content.decode()
                leaked = [what for what, value in hidden.items() if value in text]
                assert leaked == [], (role, language, name)
    # The role did see something the public may not (else the test proves nothing).
    assert "log-out form" in seen_by_role
    if role in ("moderator", "campaign manager", "superuser"):
        assert "nominee name" in seen_by_role  # staff preview people without consent
    if role in ("campaign manager", "superuser"):
        assert "freeze button" in seen_by_role
    if role == "superuser":
        assert "contact name" in seen_by_role  # staff see every contact person


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_staff_audience_gets_its_own_results_and_the_public_its_own(world, language):
    """The results' fragment keys on the audience: a moderator (staff, not a campaign manager) first,
    then a campaign manager, then the public: each sees its own version."""
    clients = {}
    for role in ("moderator", "campaign manager"):
        clients[role] = Client()
        clients[role].force_login(world["roles"][role])
    with time_machine.travel(LATER), translation.override(language):
        url = reverse("campaigns:campaign-results", args=[world["campaign"].slug])
        staff_tools = translation.gettext("Staff tools")
        moderator = clients["moderator"].get(url).content.decode()
        manager = clients["campaign manager"].get(url).content.decode()
        public = Client().get(url).content.decode()
    assert SECRET["nominee name"] in moderator and staff_tools not in moderator
    assert SECRET["nominee name"] in manager and staff_tools in manager
    assert SECRET["nominee name"] not in public and staff_tools not in public
