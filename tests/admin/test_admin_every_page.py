"""Every admin page of every registered model, in Finnish, Swedish and English, for each kind of KT staff.

The models, their bulk actions and their extra URLs are read from the admin site, so a new admin
model, action or URL that `ADMINS` does not describe fails `test_the_table_knows_every_admin_model_action_and_url`.
For each model and role the table says which standard views the role may open (the others answer
403), which bulk actions the role has (and what posting one for a selected object answers: 200 for
a confirmation page, 302 when it is done) and what each extra URL answers.

Each role × language × model visits: the list (plain, searched, and with each choice of each
filter once), the add page, one object's change, delete and history pages, every extra URL, and
posts each of its bulk actions for one object (in a savepoint rolled back afterwards).
"""

import dataclasses
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.test_url_roles import _build_world

ROLES = ("moderator", "campaign_manager", "superuser")
LANGUAGES = [code for code, _name in settings.LANGUAGES]
VIEWS = ("changelist", "add", "change", "delete", "history")
ALL = frozenset(VIEWS)
VIEW_ONLY = frozenset({"changelist", "change", "history"})
NOTHING = frozenset()


@dataclasses.dataclass(frozen=True)
class Url:
    build: Callable  # world → URL
    expected: dict  # role → status


@dataclasses.dataclass(frozen=True)
class Admin:
    views: dict  # role → the standard views it may open; every other one answers 403
    actions: dict = dataclasses.field(default_factory=dict)  # action → {role: status}; roles not named lack it
    urls: dict = dataclasses.field(default_factory=dict)  # URL name → Url (or a tuple of them)
    # The list opens on its default filter when it has no parameters at all.
    default_query: str = ""


def views(moderator=NOTHING, campaign_manager=NOTHING, superuser=ALL) -> dict:
    return {"moderator": moderator, "campaign_manager": campaign_manager, "superuser": superuser}


def roles(status, *names) -> dict:
    return {name: status for name in names}


def moderate(name: str, obj: str, step: str) -> Url:
    return Url(lambda w: reverse(f"admin:{name}", args=[getattr(w, obj).pk, step]),
               {"moderator": 200, "campaign_manager": 403, "superuser": 200})


ACTION_STEPS = ("publish", "return", "reject", "hide", "unhide")
CONFIRM = 200  # a bulk action that asks first
DONE = 302  # a bulk action done at once (back to the list with a message)

ADMINS: dict[str, Admin] = {
    "auth.group": Admin(views(), actions={"delete_selected": roles(CONFIRM, "superuser")}),
    "account.emailaddress": Admin(views(), actions={"delete_selected": roles(CONFIRM, "superuser"),
                                                    "make_verified": roles(DONE, "superuser")}),
    "orgs.user": Admin(
        views(), actions={"delete_selected": roles(CONFIRM, "superuser")},
        urls={"auth_user_password_change": Url(lambda w: reverse("admin:auth_user_password_change",
                                                                 args=[w.member.pk]),
                                               {"moderator": 403, "campaign_manager": 403, "superuser": 200})}),
    "orgs.region": Admin(views(), actions={"delete_selected": roles(CONFIRM, "superuser")}),
    "orgs.organisation": Admin(
        views(moderator=VIEW_ONLY, campaign_manager=VIEW_ONLY),
        actions={"delete_selected": roles(CONFIRM, "superuser")},
        urls={"orgs_organisation_import_employees": Url(
            lambda w: reverse("admin:orgs_organisation_import_employees"),
            {"moderator": 403, "campaign_manager": 403, "superuser": 200})}),
    # Confirmed and removed through the services (each leaves a row in the audit trail).
    "orgs.membership": Admin(views(moderator=VIEW_ONLY, superuser=ALL - {"add"}),
                             actions={"confirm_selected": roles(DONE, "superuser"),
                                      "delete_selected": roles(CONFIRM, "superuser")}),
    # Verified only by KT staff (or by proof on the site), through the same service.
    "orgs.emaildomain": Admin(views(), actions={"delete_selected": roles(CONFIRM, "superuser"),
                                                "approve_selected": roles(DONE, "superuser"),
                                                "decline_selected": roles(DONE, "superuser")}),
    "orgs.membershipevent": Admin(views(superuser=VIEW_ONLY)),
    "arena.action": Admin(
        views(moderator=VIEW_ONLY, campaign_manager=VIEW_ONLY, superuser=VIEW_ONLY),
        actions={f"{step}_selected": roles(CONFIRM, "moderator", "superuser") for step in ACTION_STEPS},
        urls={"arena_action_moderate": tuple(moderate("arena_action_moderate", obj, step) for obj, step in [
            ("submitted", "publish"), ("submitted", "return"), ("submitted", "reject"),
            ("published", "hide"), ("published", "unhide")]),
              # Moving an action to another organisation is for staff who may change actions.
              "arena_action_move": Url(lambda w: reverse("admin:arena_action_move", args=[w.published.pk]),
                                       {"moderator": 403, "campaign_manager": 403, "superuser": 200})},
        default_query="?status__exact=submitted"),
    "arena.report": Admin(
        views(moderator=VIEW_ONLY, superuser=VIEW_ONLY),
        actions={"close_selected": roles(CONFIRM, "moderator", "superuser"),
                 "hide_selected": roles(CONFIRM, "moderator", "superuser")},
        urls={"arena_report_moderate": (moderate("arena_report_moderate", "report", "close"),
                                        moderate("arena_report_moderate", "report", "hide"))},
        default_query="?status__exact=open"),
    # Edits after publication: recorded by the services, proposals approved or rejected by buttons.
    "arena.revision": Admin(
        views(moderator=VIEW_ONLY, superuser=VIEW_ONLY),
        actions={"approve_selected": roles(CONFIRM, "moderator", "superuser"),
                 "reject_selected": roles(CONFIRM, "moderator", "superuser")},
        urls={"arena_revision_moderate": (moderate("arena_revision_moderate", "proposal", "approve"),
                                          moderate("arena_revision_moderate", "proposal", "reject"))},
        default_query="?state__exact=pending"),
    "arena.sector": Admin(views(moderator=ALL), actions={"delete_selected": roles(CONFIRM, "moderator", "superuser")}),
    "arena.theme": Admin(views(moderator=ALL), actions={"delete_selected": roles(CONFIRM, "moderator", "superuser")}),
    "campaigns.campaign": Admin(views(campaign_manager=ALL),
                                actions={"delete_selected": roles(CONFIRM, "campaign_manager", "superuser")}),
    # A juror's review and scores are written by the juror alone: staff only read them.
    "campaigns.review": Admin(views(campaign_manager=VIEW_ONLY, superuser=VIEW_ONLY)),
    "campaigns.resultsnapshot": Admin(views(campaign_manager=ALL - {"add"}, superuser=ALL - {"add"}),
                                      actions={"delete_selected": roles(CONFIRM, "campaign_manager", "superuser")}),
    "campaigns.nominee": Admin(views(campaign_manager=ALL), actions={
        "delete_selected": roles(CONFIRM, "campaign_manager", "superuser"),
        "resend_consent": roles(DONE, "campaign_manager", "superuser"),
        "merge_duplicates": roles(DONE, "campaign_manager", "superuser"),
    }),
    "campaigns.nomination": Admin(views(campaign_manager=ALL),
                                  actions={"delete_selected": roles(CONFIRM, "campaign_manager", "superuser")}),
    "campaigns.candidateoverride": Admin(views(campaign_manager=ALL),
                                         actions={"delete_selected": roles(CONFIRM, "campaign_manager", "superuser")}),
    "mfa.authenticator": Admin(views(superuser=ALL - {"add"}),
                               actions={"delete_selected": roles(CONFIRM, "superuser")}),
}

STANDARD_URL_NAMES = {"changelist", "add", "history", "delete", "change"}


def _model_admins() -> dict:
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


def _custom_url_names(model_admin) -> set[str]:
    opts = model_admin.opts
    standard = {f"{opts.app_label}_{opts.model_name}_{view}" for view in STANDARD_URL_NAMES}
    return {pattern.name for pattern in model_admin.get_urls() if pattern.name and pattern.name not in standard}


def _has_unnamed_custom_url(model_admin) -> list[str]:
    # The only unnamed pattern Django adds is the old "<id>/" redirect to the change page.
    return [str(p.pattern) for p in model_admin.get_urls() if not p.name and str(p.pattern) != "<path:object_id>/"]


# --- The world ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The URL-role table's world plus a campaign manager, in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        from tests.factories import UserFactory

        w = _build_world()
        w.campaign_manager = UserFactory(is_staff=True)
        w.campaign_manager.groups.add(Group.objects.get(name="Campaign managers"))
        client = Client()
        client.force_login(w.campaign_manager)
        w.sessions["campaign_manager"] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield w
        transaction.set_rollback(True)


def _client(world, role, language) -> Client:
    client = Client(headers={"accept-language": language})
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _request_as(world, role):
    request = RequestFactory().get("/admin/")
    request.user = getattr(world, role)
    return request


@pytest.mark.django_db
def test_the_table_knows_every_admin_model_action_and_url(world):
    problems = []
    model_admins = _model_admins()
    for label in sorted(set(model_admins) - set(ADMINS)):
        problems.append(f"{label}: a new admin model; describe it in ADMINS")
    for label in sorted(set(ADMINS) - set(model_admins)):
        problems.append(f"{label}: no longer in the admin; remove it from ADMINS")
    for label, model_admin in sorted(model_admins.items()):
        spec = ADMINS.get(label)
        if spec is None:
            continue
        for role in (role for role in ROLES if "changelist" in spec.views[role]):  # no list, no actions
            has = set(model_admin.get_actions(_request_as(world, role)))
            known = {name for name, expected in spec.actions.items() if role in expected}
            if has != known:
                problems.append(f"{label}: {role} has the actions {sorted(has)}, the table says {sorted(known)}")
        custom = _custom_url_names(model_admin)
        if custom != set(spec.urls):
            problems.append(f"{label}: extra URLs {sorted(custom)}, the table says {sorted(spec.urls)}")
        problems += [f"{label}: an unnamed URL {route}" for route in _has_unnamed_custom_url(model_admin)]
    assert not problems, "\n".join(problems)


# --- Visiting every page ---------------------------------------------------------------------------

def _object(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the world has no {model._meta.label}: add one"
    return obj


def _check(wrong, response, expected, what, language):
    if response.status_code != expected:
        wrong.append(f"{what} → {response.status_code}, expected {expected}")
    elif expected == 200 and response["Content-Type"].startswith("text/html"):
        if f'<html lang="{language}"' not in response.content.decode():
            wrong.append(f"{what}: the page is not in {language}")


def _filter_queries(response) -> list[str]:
    """The query string of every choice of every list filter on a changelist page."""
    changelist = response.context["cl"]
    return [choice["query_string"] for spec in changelist.filter_specs for choice in spec.choices(changelist)]


def _changelist_pages(client, model_admin, base, spec, expected, language, wrong):
    query = spec.default_query
    if query:  # opened without parameters, the list goes to its default filter first
        response = client.get(base)
        if response.status_code != 302 or not response["Location"].endswith(query):
            wrong.append(f"GET {base} → {response.status_code}, expected a redirect to {query}")
    response = client.get(base + query)
    _check(wrong, response, expected, f"GET {base + query}", language)
    if response.status_code != 200:
        return
    search = "&" if query else "?"
    if model_admin.get_search_fields(None):
        target = f"{base}{query}{search}q=x"
        _check(wrong, client.get(target), 200, f"GET {target}", language)
    for filter_query in dict.fromkeys(_filter_queries(response)):
        target = base + filter_query
        _check(wrong, client.get(target), 200, f"GET {target}", language)


def _post_action(client, base, spec, name, obj, expected, language, wrong):
    with transaction.atomic():
        response = client.post(base + spec.default_query, {
            "action": name, ACTION_CHECKBOX_NAME: [obj.pk], "index": 0,
        })
        transaction.set_rollback(True)
    _check(wrong, response, expected, f"POST {base} action={name}", language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_in_each_language(world, role, language):
    wrong = []
    client = _client(world, role, language)
    for label, model_admin in sorted(_model_admins().items()):
        spec = ADMINS.get(label)
        if spec is None:
            continue  # reported by the test above
        opts = model_admin.opts
        obj = _object(opts.model)
        allowed = spec.views[role]

        def url(view, *args, opts=opts):
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)

        _changelist_pages(client, model_admin, url("changelist"), spec,
                          200 if "changelist" in allowed else 403, language, wrong)
        for view, args in [("add", ()), ("change", (obj.pk,)), ("delete", (obj.pk,)), ("history", (obj.pk,))]:
            target = url(view, *args)
            _check(wrong, client.get(target), 200 if view in allowed else 403, f"GET {target}", language)
        for name, expected in spec.actions.items():
            if role in expected:
                _post_action(client, url("changelist"), spec, name, obj, expected[role], language, wrong)
        for name, urls in spec.urls.items():
            for extra in urls if isinstance(urls, tuple) else (urls,):
                target = extra.build(world)
                _check(wrong, client.get(target), extra.expected[role], f"GET {target}", language)
    assert not wrong, f"{role} in {language}:\n" + "\n".join(wrong)
