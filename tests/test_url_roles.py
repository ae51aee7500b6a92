"""Every URL of the project × every role: the status each role gets.

The URL patterns are read from the resolver, so a new URL without a row in `ROWS` (or, for a
model registered in the admin, without the model in `ADMIN_MODELS`) fails
`test_every_url_pattern_has_a_row` with its name. A row says how to build the URL from the
shared fixtures (`World`), which method to use, and what each role gets:

- a status code, or
- `LOGIN`: a redirect to the login page (`login_required`), or
- `ADMIN_LOGIN`: a redirect to the admin's login page (not staff).

Each role's request runs in its own savepoint that is rolled back, so a POST by one role
never changes what the next role sees.
"""

import dataclasses
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

ROLES = ("anonymous", "other_member", "member", "org_admin", "juror", "chair", "moderator", "superuser")
LOGIN = "login"
ADMIN_LOGIN = "admin-login"


def expect(default, **overrides) -> dict:
    """Expected outcome per role: `default` for every role not named."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, default) for role in ROLES}


def signed_in(status, **overrides) -> dict:
    """Anonymous visitors are sent to the login page; every signed-in role gets `status`."""
    return expect(status, anonymous=LOGIN, **overrides)


PUBLIC = expect(200)
STAFF_ONLY_ADMIN = expect(ADMIN_LOGIN, moderator=200, superuser=200)
# The jury's pages answer 404 to everyone who is not a juror of the campaign (anonymous too).
JURORS = expect(404, juror=200, chair=200)
# A draft of the member's organisation: its members and staff see it, everybody else gets 404.
OWN_DRAFT = signed_in(404, member=200, org_admin=200, moderator=200, superuser=200)


@dataclasses.dataclass(frozen=True)
class Row:
    url: Callable  # World → URL
    expected: dict
    method: str = "get"
    data: Callable | None = None  # World → POST data


def url(name, *args) -> Callable:
    """A row's URL: reverse(name, args) where each arg is an attribute path of the World."""
    def build(w):
        return reverse(name, args=[_attr(w, arg) for arg in args])
    return build


def _attr(world, path):
    value = world
    for part in path.split("."):
        value = getattr(value, part)
    return value


# --- The table --------------------------------------------------------------------------------------
# Keyed by URL name (namespace included); unnamed patterns by their route (language prefix as <lang>/).
ROWS: dict[str, Row | tuple[Row, ...]] = {
    # Site-wide
    "set_language": Row(lambda w: reverse("set_language"), expect(302), method="post",
                        data=lambda w: {"language": "sv", "next": "/sv/"}),
    "healthz": Row(url("healthz"), PUBLIC),
    "home": Row(url("home"), PUBLIC),
    "accessibility": Row(url("accessibility"), PUBLIC),
    "privacy": Row(url("privacy"), PUBLIC),
    "api-actions-json": Row(url("api-actions-json"), PUBLIC),
    "api-actions-csv": Row(url("api-actions-csv"), PUBLIC),
    "media/<path:path>": Row(lambda w: w.image.image.url, PUBLIC),

    # allauth: signed-in users are sent on from the pages for signing in or up.
    "account_login": Row(url("account_login"), expect(302, anonymous=200)),
    "account_logout": Row(url("account_logout"), expect(200, anonymous=302)),
    "account_inactive": Row(url("account_inactive"), PUBLIC),
    "account_signup": Row(url("account_signup"), expect(302, anonymous=200)),
    "account_reauthenticate": Row(url("account_reauthenticate"), signed_in(200)),
    "account_email": Row(url("account_email"), signed_in(200)),
    "account_email_verification_sent": Row(url("account_email_verification_sent"), PUBLIC),
    "account_change_password": Row(url("account_change_password"), signed_in(200)),
    "account_set_password": Row(url("account_set_password"), signed_in(302)),
    "account_reset_password": Row(url("account_reset_password"), PUBLIC),
    "account_confirm_login_code": Row(url("account_confirm_login_code"), signed_in(302)),
    "account_request_login_code": Row(url("account_request_login_code"), expect(302, anonymous=200)),
    "account_confirm_email": Row(lambda w: reverse("account_confirm_email", args=["not-a-key"]), PUBLIC),
    "account_reset_password_from_key_done": Row(url("account_reset_password_from_key_done"), PUBLIC),
    "account_reset_password_from_key": Row(
        lambda w: reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "not-a-key"}), PUBLIC),
    "account_reset_password_done": Row(url("account_reset_password_done"), PUBLIC),

    # Organisations: their admins and KT staff who may change organisations in the admin (not moderators,
    # see orgs/permissions.py) manage them; being the admin of one organisation gives nothing in another.
    "orgs:organisation-list": Row(url("orgs:organisation-list"), PUBLIC),
    "orgs:organisation-detail": Row(url("orgs:organisation-detail", "org.slug"), PUBLIC),
    "orgs:organisation-edit": (Row(url("orgs:organisation-edit", "org.slug"),
                                   signed_in(403, org_admin=200, superuser=200)),
                               Row(url("orgs:organisation-edit", "other_org.slug"),
                                   signed_in(403, superuser=200))),
    "orgs:organisation-members": Row(url("orgs:organisation-members", "org.slug"),
                                     signed_in(403, org_admin=200, superuser=200)),
    "orgs:organisation-domains": Row(url("orgs:organisation-domains", "org.slug"),
                                     signed_in(403, org_admin=200, superuser=200)),
    "orgs:organisation-domain-delete": Row(url("orgs:organisation-domain-delete", "org.slug", "domain.pk"),
                                           signed_in(403, org_admin=302, superuser=302),
                                           method="post"),
    "orgs:my-organisations": Row(url("orgs:my-organisations"), signed_in(200)),
    "orgs:join": Row(url("orgs:join"), signed_in(200)),
    "orgs:membership-confirm": (Row(url("orgs:membership-confirm", "pending.pk"),
                                    signed_in(403, org_admin=302, superuser=302), method="post"),
                                Row(url("orgs:membership-confirm", "other_pending.pk"),
                                    signed_in(403, superuser=302), method="post")),
    "orgs:membership-remove": Row(url("orgs:membership-remove", "pending.pk"),
                                  signed_in(403, org_admin=302, superuser=302), method="post"),
    "orgs:membership-role": Row(url("orgs:membership-role", "pending.pk"),
                                signed_in(403, org_admin=302, superuser=302), method="post",
                                data=lambda w: {"role": "admin"}),

    # Development actions
    # Without a membership the page says to join an organisation first.
    "arena:action-create": Row(url("arena:action-create"), signed_in(200)),
    # Others' drafts do not exist for them; staff see them but edit them only through moderation.
    "arena:action-edit": (
        Row(url("arena:action-edit", "draft.pk"), OWN_DRAFT | {"moderator": 403, "superuser": 403}),
        Row(url("arena:action-edit", "published.pk"), signed_in(403, member=200, org_admin=200)),
        Row(url("arena:action-edit", "other_draft.pk"), signed_in(404, other_member=200, moderator=403,
                                                                  superuser=403)),
    ),
    "arena:action-preview": (
        Row(url("arena:action-preview", "draft.pk"), OWN_DRAFT | {"moderator": 403, "superuser": 403}),
        Row(url("arena:action-preview", "published.pk"), signed_in(403, member=200, org_admin=200)),
    ),
    "arena:action-detail": (
        Row(url("arena:action-detail", "published.pk", "published.slug"), PUBLIC),
        Row(url("arena:action-detail", "draft.pk", "draft.slug"), OWN_DRAFT | {"anonymous": 404}),
        Row(url("arena:action-detail", "submitted.pk", "submitted.slug"), OWN_DRAFT | {"anonymous": 404}),
        Row(url("arena:action-detail", "published.pk", "other_slug"), expect(301)),
    ),
    "arena:maker-consent": (Row(url("arena:maker-consent", "maker_token"), PUBLIC),
                            Row(lambda w: reverse("arena:maker-consent", args=["forged"]), expect(400))),
    "arena:my-data": Row(url("arena:my-data"), signed_in(200)),
    "arena:my-data-download": Row(url("arena:my-data-download"), signed_in(200)),
    "arena:my-account-delete": Row(url("arena:my-account-delete"), signed_in(400), method="post",
                                   data=lambda w: {"confirm_email": "someone.else@example.fi"}),
    "arena:my-actions": Row(url("arena:my-actions"), signed_in(200)),
    "arena:action-list": Row(url("arena:action-list"), PUBLIC),
    "arena:action-feed": Row(url("arena:action-feed"), PUBLIC),
    # Likes, adoptions and reports: published actions only (others are 404, even to their authors).
    "arena:action-like": (Row(url("arena:action-like", "published.pk"), signed_in(302), method="post"),
                          Row(url("arena:action-like", "draft.pk"), expect(404), method="post")),
    "arena:action-unlike": (Row(url("arena:action-unlike", "published.pk"), signed_in(302), method="post"),
                            Row(url("arena:action-unlike", "draft.pk"), expect(404), method="post")),
    "arena:action-adopt": (Row(url("arena:action-adopt", "published.pk"), signed_in(302), method="post"),
                           Row(url("arena:action-adopt", "draft.pk"), expect(404), method="post")),
    "arena:action-unadopt": (Row(url("arena:action-unadopt", "published.pk"), signed_in(302), method="post"),
                             Row(url("arena:action-unadopt", "draft.pk"), expect(404), method="post")),
    "arena:action-report": (Row(url("arena:action-report", "published.pk"), signed_in(200)),
                            Row(url("arena:action-report", "draft.pk"), expect(404))),
    "arena:statistics": Row(url("arena:statistics"), PUBLIC),
    "arena:open-data": Row(url("arena:open-data"), PUBLIC),

    # Campaigns, results and the gala (results embargoed: only staff see them before publication)
    "campaigns:campaign-list": Row(url("campaigns:campaign-list"), PUBLIC),
    "campaigns:campaign-detail": Row(url("campaigns:campaign-detail", "campaign.slug"), PUBLIC),
    "campaigns:campaign-results": Row(url("campaigns:campaign-results", "campaign.slug"), PUBLIC),
    "campaigns:campaign-results-csv": Row(url("campaigns:campaign-results-csv", "campaign.slug"),
                                          expect(403, moderator=200, superuser=200)),
    "campaigns:campaign-results-json": Row(url("campaigns:campaign-results-json", "campaign.slug"),
                                           expect(403, moderator=200, superuser=200)),
    # A snapshot exists already: staff are asked to confirm a new one.
    "campaigns:campaign-results-freeze": Row(url("campaigns:campaign-results-freeze", "campaign.slug"),
                                             expect(403, superuser=200), method="post"),
    "campaigns:campaign-results-publish": Row(url("campaigns:campaign-results-publish", "campaign.slug"),
                                              expect(403, superuser=302), method="post"),
    "campaigns:campaign-gala": Row(url("campaigns:campaign-gala", "campaign.slug"),
                                   expect(302, moderator=200, superuser=200)),

    # The jury
    "campaigns:jury-list": (Row(url("campaigns:jury-list", "campaign.slug"), JURORS),
                            Row(url("campaigns:jury-list", "other_campaign.slug"), expect(404))),
    "campaigns:jury-next": Row(url("campaigns:jury-next", "campaign.slug"), expect(404, juror=302, chair=302)),
    "campaigns:jury-chair": Row(url("campaigns:jury-chair", "campaign.slug"),
                                expect(404, juror=403, chair=200, superuser=200)),
    "campaigns:jury-chair-csv": Row(url("campaigns:jury-chair-csv", "campaign.slug"),
                                    expect(404, juror=403, chair=200, superuser=200)),
    "campaigns:jury-review": (Row(url("campaigns:jury-review", "campaign.slug", "published.pk"), JURORS),
                              Row(url("campaigns:jury-review", "campaign.slug", "draft.pk"), expect(404)),
                              Row(url("campaigns:jury-review", "other_campaign.slug", "published.pk"), expect(404))),
    "campaigns:jury-subject-review": Row(
        lambda w: reverse("campaigns:jury-subject-review", args=[w.campaign.slug, "people", w.nominee.pk]), JURORS),

    # Heroes of work
    "campaigns:nomination-create": Row(url("campaigns:nomination-create", "campaign.slug"), signed_in(200)),
    "campaigns:nomination-consent": (Row(url("campaigns:nomination-consent", "consent_token"), PUBLIC),
                                     Row(lambda w: reverse("campaigns:nomination-consent", args=["forged"]),
                                         expect(400))),

    # Two-step verification (allauth.mfa)
    "mfa_index": Row(lambda w: reverse("mfa_index"), signed_in(200)),
    # Asks for the code only halfway through a login; anyone already signed in is sent on.
    "mfa_authenticate": Row(lambda w: reverse("mfa_authenticate"), signed_in(302)),
    "mfa_reauthenticate": Row(lambda w: reverse("mfa_reauthenticate"), signed_in(302)),
    # Changing the second step asks for the password again first (no recent login here).
    "mfa_activate_totp": Row(lambda w: reverse("mfa_activate_totp"), signed_in(302)),
    # Nobody here has an authenticator app or recovery codes yet.
    "mfa_deactivate_totp": Row(lambda w: reverse("mfa_deactivate_totp"), signed_in(404)),
    "mfa_view_recovery_codes": Row(lambda w: reverse("mfa_view_recovery_codes"), signed_in(404)),
    "mfa_generate_recovery_codes": Row(lambda w: reverse("mfa_generate_recovery_codes"), signed_in(302)),
    "mfa_download_recovery_codes": Row(lambda w: reverse("mfa_download_recovery_codes"), signed_in(404)),

    # The admin beyond the models' standard views (those are in ADMIN_MODELS below)
    "admin:index": Row(url("admin:index"), STAFF_ONLY_ADMIN),
    # The admin logs in through the portal's login (two-step verification applies there too).
    "admin:login": Row(url("admin:login"), signed_in(403, moderator=302, superuser=302)),
    # Logging out of the admin logs anyone out (and sends them to the admin's index).
    "admin:logout": Row(url("admin:logout"), expect(302, moderator=200, superuser=200), method="post"),
    "admin:password_change": Row(url("admin:password_change"), STAFF_ONLY_ADMIN),
    "admin:password_change_done": Row(url("admin:password_change_done"), STAFF_ONLY_ADMIN),
    "admin:autocomplete": Row(lambda w: reverse("admin:autocomplete") + "?app_label=arena&model_name=action"
                              "&field_name=organisation&term=x",
                              expect(ADMIN_LOGIN, moderator=200, superuser=200)),
    "admin:jsi18n": Row(url("admin:jsi18n"), STAFF_ONLY_ADMIN),
    "admin:view_on_site": Row(lambda w: reverse("admin:view_on_site", args=[w.action_type.pk, w.published.pk]),
                              expect(ADMIN_LOGIN, moderator=302, superuser=302)),
    "admin:app_list": Row(lambda w: reverse("admin:app_list", args=["arena"]), STAFF_ONLY_ADMIN),
    "admin/(?P<url>.*)$": Row(lambda w: "/admin/no-such-page/", expect(ADMIN_LOGIN, moderator=404, superuser=404)),
    "admin:auth_user_password_change": Row(url("admin:auth_user_password_change", "member.pk"),
                                           expect(ADMIN_LOGIN, moderator=403, superuser=200)),
    "admin:orgs_organisation_import_employees": Row(url("admin:orgs_organisation_import_employees"),
                                                    expect(ADMIN_LOGIN, moderator=403, superuser=200)),
    "admin:arena_action_moderate": Row(
        lambda w: reverse("admin:arena_action_moderate", args=[w.submitted.pk, "publish"]),
        expect(ADMIN_LOGIN, moderator=200, superuser=200)),
    "admin:arena_report_moderate": Row(
        lambda w: reverse("admin:arena_report_moderate", args=[w.report.pk, "close"]),
        expect(ADMIN_LOGIN, moderator=200, superuser=200)),
    # A proposed change to a published action: moderators approve or reject it.
    "admin:arena_revision_moderate": Row(
        lambda w: reverse("admin:arena_revision_moderate", args=[w.proposal.pk, "approve"]),
        expect(ADMIN_LOGIN, moderator=200, superuser=200)),
    # Moving an action to another organisation: staff who may also change actions (not the Moderators group).
    "admin:arena_action_move": Row(lambda w: reverse("admin:arena_action_move", args=[w.published.pk]),
                                   expect(ADMIN_LOGIN, moderator=403, superuser=200)),
}

# The admin's standard views of each registered model, for staff. Non-staff roles are sent to
# the admin's login page on every one of them. "all" = changelist, add, change, delete, history.
ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history")
ALL = frozenset(ADMIN_VIEWS)
VIEW_ONLY = frozenset({"changelist", "change", "history"})
NOTHING = frozenset()
ADMIN_MODELS: dict[str, dict] = {
    # model label: {"moderator": views a moderator may open, "superuser": views a superuser may open}
    "auth.group": {"moderator": NOTHING, "superuser": ALL},
    "account.emailaddress": {"moderator": NOTHING, "superuser": ALL},
    "orgs.user": {"moderator": NOTHING, "superuser": ALL},
    "orgs.region": {"moderator": NOTHING, "superuser": ALL},
    "orgs.organisation": {"moderator": VIEW_ONLY, "superuser": ALL},
    # People ask to join on the site; staff confirm, change and remove through the services.
    "orgs.membership": {"moderator": VIEW_ONLY, "superuser": ALL - {"add"}},
    "orgs.emaildomain": {"moderator": NOTHING, "superuser": ALL},
    # The audit trail of memberships is never written or deleted by hand.
    "orgs.membershipevent": {"moderator": NOTHING, "superuser": VIEW_ONLY},
    # Actions are written in the portal; staff view and moderate them (hide, never delete).
    "arena.action": {"moderator": VIEW_ONLY, "superuser": VIEW_ONLY},
    "arena.report": {"moderator": VIEW_ONLY, "superuser": VIEW_ONLY},
    # Edits after publication are recorded by the services; proposals are decided by buttons.
    "arena.revision": {"moderator": VIEW_ONLY, "superuser": VIEW_ONLY},
    # Moderators keep the taxonomy.
    "arena.sector": {"moderator": ALL, "superuser": ALL},
    "arena.theme": {"moderator": ALL, "superuser": ALL},
    "campaigns.campaign": {"moderator": NOTHING, "superuser": ALL},
    # Only the juror writes their review and scores (on the jury page).
    "campaigns.review": {"moderator": NOTHING, "superuser": VIEW_ONLY},
    # Snapshots are made by freezing the results, never by hand.
    "campaigns.resultsnapshot": {"moderator": NOTHING, "superuser": ALL - {"add"}},
    "campaigns.nominee": {"moderator": NOTHING, "superuser": ALL},
    "campaigns.nomination": {"moderator": NOTHING, "superuser": ALL},
    "campaigns.candidateoverride": {"moderator": NOTHING, "superuser": ALL},
    # A lost phone: staff remove the user's authenticator so they can sign in with the password again.
    "mfa.authenticator": {"moderator": NOTHING, "superuser": ALL - {"add"}},
}
# Changelists that otherwise redirect to their default filter.
ADMIN_CHANGELIST_QUERY = {"arena.action": "?status__exact=submitted", "arena.report": "?status__exact=open",
                          "arena.revision": "?state__exact=pending"}


# --- The URL patterns, from the resolver -------------------------------------------------------------

def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            route = "<lang>/" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, prefix + route, inner)
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name


def url_patterns() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern of the project."""
    return list(_walk(get_resolver().url_patterns))


def _admin_model_pattern(route: str, name: str) -> str | None:
    """The model label when the pattern is one of a registered model's standard admin views."""
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin/{opts.app_label}/{opts.model_name}/"
        standard = {f"admin:{opts.app_label}_{opts.model_name}_{view}" for view in ADMIN_VIEWS}
        if name in standard or (not name and route == base + "<path:object_id>/"):
            return opts.label_lower
    return None


def test_every_url_pattern_has_a_row():
    missing = []
    for route, name in url_patterns():
        if _admin_model_pattern(route, name):
            continue
        if (name or route) not in ROWS:
            missing.append(f"{name or '(unnamed)'}  ({route})")
    registered = {model._meta.label_lower for model in admin.site._registry}
    missing += [f"admin model {label}: add it to ADMIN_MODELS" for label in sorted(registered - set(ADMIN_MODELS))]
    assert not missing, "URL patterns without a row in tests/test_url_roles.py:\n" + "\n".join(missing)


def test_no_row_for_a_url_that_is_gone():
    known = {name or route for route, name in url_patterns()}
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert set(ROWS) - known == set()
    assert set(ADMIN_MODELS) - registered == set()


# --- The world: one of everything, built once for the module -------------------------------------------

def _build_world() -> SimpleNamespace:
    from django.contrib.contenttypes.models import ContentType

    from arena.models import Action, ContactPerson, Report, Revision
    from campaigns import nominations
    from campaigns.models import AwardCategory, Review, ResultSnapshot
    from orgs.models import Membership, MembershipEvent
    from tests.factories import (
        ActionFactory, ActionImageFactory, AwardCategoryFactory, CampaignFactory, CandidateOverrideFactory,
        CriterionFactory, EmailDomainFactory, JurorFactory, MembershipFactory, OrganisationFactory, UserFactory,
        RegionFactory, helsinki, nominate,
    )

    w = SimpleNamespace()
    w.org, w.other_org = OrganisationFactory(), OrganisationFactory()
    w.member = MembershipFactory(organisation=w.org).user
    w.org_admin = MembershipFactory(organisation=w.org, role=Membership.Role.ADMIN).user
    w.other_member = MembershipFactory(organisation=w.other_org).user
    w.pending = MembershipFactory(organisation=w.org, status=Membership.Status.PENDING, confirmed_at=None)
    MembershipEvent.objects.create(organisation=w.org, user=w.pending.user, action=MembershipEvent.Action.REQUESTED)
    w.other_pending = MembershipFactory(organisation=w.other_org, status=Membership.Status.PENDING,
                                        confirmed_at=None)
    w.domain = EmailDomainFactory(organisation=w.org)

    during = helsinki(2026, 3, 15, 12, 0)
    w.published = ActionFactory(organisation=w.org, author=w.member, submitted_at=during)
    w.draft = ActionFactory(organisation=w.org, author=w.member, status=Action.Status.DRAFT, submitted_at=None)
    w.submitted = ActionFactory(organisation=w.org, author=w.member, status=Action.Status.SUBMITTED)
    w.other_draft = ActionFactory(organisation=w.other_org, author=w.other_member, status=Action.Status.DRAFT,
                                  submitted_at=None)
    ContactPerson.objects.create(action=w.published, name="Kaisa Kontakti", public=True)
    w.image = ActionImageFactory(action=w.published)
    w.report = Report.objects.create(action=w.published, reporter=w.other_member, reason=Report.Reason.SPAM)
    w.proposal = Revision.objects.create(action=w.published, editor=MembershipFactory(organisation=w.org).user,
                                         state=Revision.State.PENDING, proposal={"tips": "Ehdotettu vinkki."},
                                         changes={"tips": {"old": "", "new": "Ehdotettu vinkki."}})
    w.action_type = ContentType.objects.get_for_model(Action)

    RegionFactory()
    w.campaign, w.other_campaign = CampaignFactory(), CampaignFactory()
    JurorFactory(campaign=w.other_campaign)
    w.other_slug = "not-its-slug"
    AwardCategoryFactory(campaign=w.campaign, kind=AwardCategory.Kind.JURY)
    heroes = AwardCategoryFactory(campaign=w.campaign, kind=AwardCategory.Kind.JURY_PEOPLE)
    CandidateOverrideFactory(category=AwardCategoryFactory(campaign=w.campaign,
                                                           kind=AwardCategory.Kind.JURY_ORGANISATIONS),
                             organisation=w.other_org)
    CriterionFactory(campaign=w.campaign)
    w.juror_entry = JurorFactory(campaign=w.campaign)
    w.juror = w.juror_entry.user
    w.chair = JurorFactory(campaign=w.campaign, is_chair=True).user
    Review.objects.create(juror=w.juror_entry, action=w.published)
    ResultSnapshot.objects.create(campaign=w.campaign, frozen_at=helsinki(2026, 4, 19, 17, 0))
    w.nominee = nominate(campaign=w.campaign, category=heroes, user=w.other_member, now=during).nominee
    w.consent_token = nominations.consent_token(w.nominee)
    from arena import makers
    from tests.factories import MakerFactory

    w.maker_token = makers.consent_token(MakerFactory(action=w.published, consent="pending", consent_given_at=None))

    w.moderator = UserFactory(is_staff=True)
    w.moderator.groups.add(Group.objects.get(name="Moderators"))
    w.superuser = UserFactory(is_staff=True, is_superuser=True)
    w.anonymous = None
    # Someone else's authenticator app (for the admin's views; the roles above have none).
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    Authenticator.objects.create(user=UserFactory(), type=Authenticator.Type.TOTP,
                                 data={"secret": generate_totp_secret()})
    # One session per role, made once; each visit starts from it again.
    w.sessions = {}
    for role in ROLES:
        if getattr(w, role) is not None:
            client = Client()
            client.force_login(getattr(w, role))
            w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The shared data, in a transaction rolled back after the module (tests nest savepoints in it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _outcome(response, language: str = "fi") -> str | int:
    if response.status_code == 302:
        with translation.override(language):
            return _redirect_outcome(response["Location"])
    return response.status_code


def _redirect_outcome(location: str) -> str | int:
    if location.startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    if location.startswith(reverse("account_login")):
        return LOGIN
    return 302


def visit(world, row: Row, role: str, language: str = "fi"):
    """What `role` gets from the row's URL in `language` (in a savepoint rolled back afterwards)."""
    with transaction.atomic(), translation.override(language):
        client = Client(headers={"accept-language": language})
        if role in world.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        target = row.url(world)
        data = row.data(world) if row.data else {}
        response = client.post(target, data) if row.method == "post" else client.get(target)
        transaction.set_rollback(True)
    return target, response


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("key", sorted(ROWS))
def test_url_gives_each_role_its_status(world, key, language):
    rows = ROWS[key] if isinstance(ROWS[key], tuple) else (ROWS[key],)
    wrong = []
    for row in rows:
        for role in ROLES:
            target, response = visit(world, row, role, language)
            got = _outcome(response, language)
            if got != row.expected[role]:
                wrong.append(f"{role}: {row.method.upper()} {target} → {got}, expected {row.expected[role]}")
    assert not wrong, "\n".join(wrong)


def _admin_object(world, model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the world has no {model._meta.label}: add one to _build_world"
    return obj


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(ADMIN_MODELS))
def test_admin_model_views_for_each_role(world, label):
    from django.apps import apps

    model = apps.get_model(label)
    opts = model._meta
    obj = _admin_object(world, model)
    wrong = []
    for view in ADMIN_VIEWS:
        name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
        args = [] if view in ("changelist", "add") else [obj.pk]
        query = ADMIN_CHANGELIST_QUERY.get(label, "") if view == "changelist" else ""
        row = Row(lambda w, name=name, args=args, query=query: reverse(name, args=args) + query, expect(
            ADMIN_LOGIN,
            moderator=200 if view in ADMIN_MODELS[label]["moderator"] else 403,
            superuser=200 if view in ADMIN_MODELS[label]["superuser"] else 403,
        ))
        for role in ROLES:
            target, response = visit(world, row, role)
            got = _outcome(response)
            if got != row.expected[role]:
                wrong.append(f"{role}: GET {target} → {got}, expected {row.expected[role]}")
    assert not wrong, "\n".join(wrong)
