"""Hostile input to every form and JSON endpoint (property-based, with Hypothesis).

Each test builds its data once, then runs many generated requests through a test client,
each inside a savepoint that is rolled back. Asserted for every request: no server error
(the test client re-raises the view's exception), and when a submission is refused (the
form is shown again with its errors), no row was written.

The number of examples per test is its budget (see `budget`); `test_budgets_add_up` checks
the total is at least 10 000 and the module-level fixture checks every budget was spent.
"""

import pytest
import time_machine
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from arena.models import Action, ActionImage, ActionLink, Adoption, ContactPerson, Like, Report
from orgs.models import EmailDomain, Membership
from tests.factories import (
    ActionFactory, MembershipFactory, OrganisationFactory, SectorFactory, ThemeFactory, UserFactory,
)

from .hostile import (
    EXAMPLES, Visitor, assert_handled, isolated, budget, counts, hostile_params, hostile_text, submissions,
)

pytestmark = pytest.mark.django_db

BUDGETS = {}


def spend(name: str, examples: int):
    """Register a test's budget and return its Hypothesis settings."""
    settings = budget(examples)
    BUDGETS[name] = settings.max_examples
    return settings


@pytest.fixture(autouse=True)
def _every_example_ran(request):
    yield
    name = request.node.name
    if name in BUDGETS:
        assert EXAMPLES[name] >= BUDGETS[name], f"{name}: {EXAMPLES[name]} of {BUDGETS[name]} examples ran"


@pytest.fixture
def published():
    """A few published actions to list, filter, like, adopt and report."""
    sector, theme = SectorFactory(slug="sosiaali"), ThemeFactory(slug="digi")
    return [ActionFactory(sectors=[sector], themes=[theme]) for _ in range(3)]


LIST_KEYS = ["q", "sector", "theme", "organisation", "kind", "region", "welfare_area", "campaign", "year",
             "stage", "language", "sort", "page", "page_size", "submitted_from", "submitted_to"]


# --- GET: lists, search, filters, feeds and open data -----------------------------------------

def test_action_list_and_search(published):
    visitor = Visitor()
    url = reverse("arena:action-list")

    @spend("test_action_list_and_search", 80)
    @given(params=hostile_params(LIST_KEYS))
    @example(params={"q": "koti\x00", "sector": "\x00", "page": "9" * 40, "year": "\x00"})
    @example(params={"q": "koti", "page": ["1", "2"], "year": "2026"})
    def run(params):
        with visitor.example("test_action_list_and_search") as client:
            assert_handled(client.get(url, params))

    run()


def test_action_selector_behind_list_feed_and_exports(published):
    """The list, the Atom feed and both exports read their parameters through `action_browse`."""
    from django.http import QueryDict

    from arena import selectors

    @spend("test_action_selector_behind_list_feed_and_exports", 300)
    @given(params=hostile_params(LIST_KEYS))
    def run(params):
        with isolated("test_action_selector_behind_list_feed_and_exports"):
            query = QueryDict(mutable=True)
            for key, value in params.items():
                query.setlist(key, value if isinstance(value, list) else [value])
            browse = selectors.action_browse(query, with_choices=False)
            list(browse.queryset[:3])
            browse.params()

    run()


@pytest.mark.parametrize("name", ["api-actions-json", "api-actions-csv", "arena:action-feed"])
def test_open_data_and_feed(published, name):
    visitor = Visitor()
    url = reverse(name)
    key = f"test_open_data_and_feed[{name}]"

    @spend(key, 40)
    @given(params=hostile_params(LIST_KEYS))
    def run(params):
        with visitor.example(key) as client:
            response = client.get(url, params)
            assert_handled(response)
            if response.streaming:
                b"".join(response.streaming_content)

    run()


def test_search_box_parsing():
    """What anyone types in the search box (the list, the feed and both exports parse it the same way)."""
    from arena.search import highlight, parse_query, snippet

    @spend("test_search_box_parsing", 1000)
    @given(text=hostile_text, language=st.sampled_from(["fi", "sv", "en", "xx"]))
    def run(text, language):
        with isolated("test_search_box_parsing", writes=False):
            query = parse_query(text)
            variants = query.variants
            html = highlight(text, language, variants)
            assert "<script" not in html
            snippet(text, language, variants)

    run()


def test_organisation_directory(published):
    visitor = Visitor()
    url = reverse("orgs:organisation-list")

    @spend("test_organisation_directory", 40)
    @given(params=hostile_params(["q", "kind", "region", "page"]))
    def run(params):
        with visitor.example("test_organisation_directory") as client:
            assert_handled(client.get(url, params))

    run()


def test_organisation_directory_form(published):
    from orgs import selectors
    from orgs.forms import OrganisationFilterForm

    @spend("test_organisation_directory_form", 200)
    @given(params=hostile_params(["q", "kind", "region"]))
    def run(params):
        with isolated("test_organisation_directory_form", writes=False):
            form = OrganisationFilterForm(_query(params))
            filters = form.cleaned_data if form.is_valid() else {}
            list(selectors.organisation_list(search=filters.get("q", ""), kind=filters.get("kind", ""),
                                             region=filters.get("region"))[:3])

    run()


def _query(params):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


# --- Writing an action --------------------------------------------------------------------------

ACTION_ROWS = (ContactPerson, ActionLink, ActionImage)


def _action_post(organisation, sector, theme, **extra):
    return {
        "title": "Uusi teko", "summary": "Lyhyesti.", "need": "Tarve.", "solution": "Ratkaisu.", "results": "Tulos.",
        "tips": "", "stage": "established", "sectors": str(sector.pk), "themes": str(theme.pk),
        "organisation": str(organisation.pk), "makers": "Maija Meikäläinen", "language": "fi",
        "consent_to_publish": "on", "intent": "draft",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10", "contacts-0-name": "Maija", "contacts-0-email": "maija@kunta.fi",
        "links-TOTAL_FORMS": "1", "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "10", "links-0-url": "https://kunta.fi/", "links-0-title": "Sivu",
        **extra,
    }


ACTION_EXTRA_KEYS = ["partners", "contacts-0-job_title", "contacts-0-phone", "contacts-0-public",
                     "contacts-0-DELETE", "links-0-kind", "new_image-alt_text", "new_image-image", "image-remove",
                     "image-up", "image-cover", "contacts-1-name", "links-1-url"]


def test_action_create(member):
    organisation = member.memberships.get().organisation
    sector, theme = SectorFactory(), ThemeFactory()
    visitor = Visitor(member)
    url = reverse("arena:action-create")
    base = _action_post(organisation, sector, theme)
    intents = st.sampled_from(["draft", "preview", "submit", "image-add", "junk"])

    @spend("test_action_create", 50)
    @given(data=submissions(base, ACTION_EXTRA_KEYS), intent=intents)
    def run(data, intent):
        with visitor.example("test_action_create") as client:
            data.setdefault("intent", intent)
            before = counts(Action, *ACTION_ROWS)
            response = client.post(url, data)
            assert_handled(response, before=before, after=counts(Action, *ACTION_ROWS))

    run()


def test_action_form_validation(member):
    """The action form and its formsets, and the service that saves what they accept."""
    from arena import services
    from arena.forms import ActionForm, ContactFormSet, LinkFormSet, formset_rows

    organisation = member.memberships.get().organisation
    sector, theme = SectorFactory(), ThemeFactory()
    base = _action_post(organisation, sector, theme)

    @spend("test_action_form_validation", 250)
    @given(data=submissions(base, ACTION_EXTRA_KEYS), strict=st.booleans())
    def run(data, strict):
        with isolated("test_action_form_validation"):
            query = _query(data)
            instance = Action(author=member)
            form = ActionForm(query, instance=instance, user=member, strict=strict)
            contacts = ContactFormSet(query, instance=instance, prefix="contacts")
            links = LinkFormSet(query, instance=instance, prefix="links")
            if all([form.is_valid(), contacts.is_valid(), links.is_valid()]):
                action = services.action_create(
                    user=member, data=form.cleaned_data, contacts=formset_rows(contacts, services.CONTACT_FIELDS),
                    links=formset_rows(links, services.LINK_FIELDS))
                assert "\x00" not in action.title + action.summary

    run()


def test_action_edit_with_images(member):
    from tests.factories import ActionImageFactory

    organisation = member.memberships.get().organisation
    sector, theme = SectorFactory(), ThemeFactory()
    action = ActionFactory(author=member, organisation=organisation, status=Action.Status.DRAFT,
                           submitted_at=None, sectors=[sector], themes=[theme])
    image = ActionImageFactory(action=action)
    visitor = Visitor(member)
    url = reverse("arena:action-edit", kwargs={"pk": action.pk})
    base = _action_post(organisation, sector, theme, **{f"alt-{image.pk}": "Kuva", "image-remove": str(image.pk)})
    extra = [*ACTION_EXTRA_KEYS, f"alt-{image.pk}", "image-down"]

    @spend("test_action_edit_with_images", 40)
    @given(data=submissions(base, extra), intent=st.sampled_from(["draft", "submit", "preview", "image-add"]))
    @example(data={**base, f"alt-{image.pk}": "Kuva\x00"}, intent="draft")
    @example(data={**base, f"alt-{image.pk}": "k" * 5000}, intent="draft")
    @example(data={**base, "image-remove": "9" * 40}, intent="draft")
    def run(data, intent):
        with visitor.example("test_action_edit_with_images") as client:
            data.setdefault("intent", intent)
            before = counts(*ACTION_ROWS)
            response = client.post(url, data)
            assert_handled(response, before=before, after=counts(*ACTION_ROWS))

    run()


# --- Likes, adoptions and reports ------------------------------------------------------------------

ENGAGEMENT = ["arena:action-like", "arena:action-unlike", "arena:action-adopt", "arena:action-unadopt",
              "arena:action-report"]


def test_like_adopt_report(published, member):
    organisation = member.memberships.get().organisation
    visitor = Visitor(member)
    urls = [reverse(name, kwargs={"pk": published[0].pk}) for name in ENGAGEMENT]
    base = {"organisation": str(organisation.pk), "note": "Otimme käyttöön", "reason": "spam", "comment": "Roskaa"}

    @spend("test_like_adopt_report", 60)
    @given(url=st.sampled_from(urls), data=submissions(base), json=st.booleans())
    def run(url, data, json):
        with visitor.example("test_like_adopt_report") as client:
            before = counts(Like, Adoption, Report)
            headers = {"Accept": "application/json"} if json else {}
            response = client.post(url, data, headers=headers)
            assert_handled(response)
            if url.endswith("/report/") and response.status_code == 200:  # shown again with its errors
                assert counts(Like, Adoption, Report) == before

    run()


def test_adopt_and_report_forms():
    from arena.forms_browse import AdoptForm, ReportForm

    organisations = [OrganisationFactory(), OrganisationFactory()]

    @spend("test_adopt_and_report_forms", 1500)
    @given(data=hostile_params(["organisation", "note", "reason", "comment"]))
    def run(data):
        with isolated("test_adopt_and_report_forms", writes=False):
            query = _query(data)
            AdoptForm(query, organisations=organisations).is_valid()
            ReportForm(query).is_valid()

    run()


def test_engagement_on_hostile_paths(published, member):
    """Action ids and slugs in the URL: far out of range, or any text."""
    visitor = Visitor(member)
    ids = st.one_of(st.integers(0, 10**30), st.just(published[0].pk))

    @spend("test_engagement_on_hostile_paths", 40)
    @given(pk=ids, slug=hostile_text.filter(lambda s: s and "/" not in s), name=st.sampled_from(ENGAGEMENT))
    def run(pk, slug, name):
        with visitor.example("test_engagement_on_hostile_paths") as client:
            assert_handled(client.post(reverse(name, kwargs={"pk": pk})))
            assert_handled(client.get(f"/fi/actions/{pk}-{_quote(slug)}/"))

    run()


def _quote(text):
    from urllib.parse import quote

    return quote(text, safe="")


# --- Organisations ------------------------------------------------------------------------------------

def test_join_organisation(user, published):
    visitor = Visitor(user)
    url = reverse("orgs:join")
    target = OrganisationFactory()

    @spend("test_join_organisation", 40)
    @given(data=submissions({"organisation": str(target.pk)}), get=st.booleans())
    @example(data={"organisation": "a\x00"}, get=True)
    @example(data={"organisation": "9" * 40}, get=False)
    def run(data, get):
        with visitor.example("test_join_organisation") as client:
            if get:
                assert_handled(client.get(url, data))
                return
            before = counts(Membership)
            response = client.post(url, data)
            assert_handled(response, before=before, after=counts(Membership))

    run()


def test_join_form(user, published):
    from orgs.forms import JoinForm

    target = OrganisationFactory()

    @spend("test_join_form", 150)
    @given(data=submissions({"organisation": str(target.pk)}))
    def run(data):
        with isolated("test_join_form", writes=False):
            JoinForm(_query(data), user=user).is_valid()

    run()


def test_organisation_admin_pages(organisation, org_admin):
    pending = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING, confirmed_at=None)
    visitor = Visitor(org_admin)
    slug = organisation.slug
    urls = {
        reverse("orgs:organisation-edit", kwargs={"slug": slug}): {
            "description_fi": "Kuvaus", "description_sv": "Beskrivning", "description_en": "", "logo": "",
            "clear_logo": ""},
        reverse("orgs:organisation-domains", kwargs={"slug": slug}): {"domain": "kunta.fi", "verified": "on"},
        reverse("orgs:membership-role", kwargs={"pk": pending.pk}): {"role": "admin"},
        reverse("orgs:membership-confirm", kwargs={"pk": pending.pk}): {"next": "/fi/"},
        reverse("orgs:membership-remove", kwargs={"pk": pending.pk}): {"next": "/fi/"},
    }
    posts = st.sampled_from(sorted(urls)).flatmap(lambda url: st.tuples(st.just(url), submissions(urls[url])))

    @spend("test_organisation_admin_pages", 60)
    @given(post=posts)
    def run(post):
        url, data = post
        with visitor.example("test_organisation_admin_pages") as client:
            before = counts(EmailDomain, Membership)
            response = client.post(url, data)
            assert_handled(response, before=before, after=counts(EmailDomain, Membership))

    run()


def test_organisation_admin_forms():
    from orgs.forms import EmailDomainForm, OrganisationEditForm

    @spend("test_organisation_admin_forms", 1500)
    @given(data=hostile_params(["description_fi", "description_sv", "description_en", "clear_logo", "domain",
                                "verified"]))
    def run(data):
        with isolated("test_organisation_admin_forms", writes=False):
            query = _query(data)
            OrganisationEditForm(query).is_valid()
            EmailDomainForm(query).is_valid()

    run()


# --- Campaigns: nominations, consent, the jury -----------------------------------------------------

@pytest.fixture
def heroes():
    from campaigns.models import AwardCategory
    from tests.factories import AwardCategoryFactory, CampaignFactory, CriterionFactory

    campaign = CampaignFactory(slug="kevat-2026")
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE, winners=2,
                                    name_fi="Työn sankarit")
    criterion = CriterionFactory(campaign=campaign, name_fi="Innostavuus", scale_min=1, scale_max=5)
    return campaign, category, criterion


NOMINATION_KEYS = ["category", "name", "job_title", "organisation", "organisation_name", "email", "justification",
                   "actions"]


def test_nomination_form_page(heroes, member):
    from campaigns.models import Nomination, Nominee
    from tests.factories import helsinki

    campaign, category, _ = heroes
    organisation = member.memberships.get().organisation
    visitor = Visitor(member)
    url = reverse("campaigns:nomination-create", kwargs={"slug": campaign.slug})
    base = {"category": str(category.pk), "name": "Hanna Sankari", "job_title": "Lähihoitaja",
            "organisation": str(organisation.pk), "email": "hanna@kunta.fi", "justification": "Hyvä työ."}

    @spend("test_nomination_form_page", 40)
    @given(data=submissions(base, NOMINATION_KEYS))
    def run(data):
        with visitor.example("test_nomination_form_page") as client:
            before = counts(Nomination, Nominee)
            response = client.post(url, data)
            assert_handled(response, before=before, after=counts(Nomination, Nominee))

    with time_machine.travel(helsinki(2026, 3, 15, 12, 0), tick=False):
        run()


def test_nomination_form(heroes, member):
    from campaigns import nominations
    from campaigns.forms_nominations import NominationForm
    from tests.factories import helsinki

    campaign, category, _ = heroes
    organisation = member.memberships.get().organisation
    categories = campaign.categories.all()
    base = {"category": str(category.pk), "name": "Hanna Sankari", "job_title": "Lähihoitaja",
            "organisation": str(organisation.pk), "email": "hanna@kunta.fi", "justification": "Hyvä työ."}

    @spend("test_nomination_form", 250)
    @given(data=submissions(base, NOMINATION_KEYS))
    def run(data):
        with isolated("test_nomination_form"):
            form = NominationForm(_query(data), categories=categories, actions=Action.objects.none())
            if form.is_valid():
                values = form.cleaned_data
                try:
                    nominations.nomination_create(
                        campaign=campaign, category=values["category"], user=member, name=values["name"],
                        job_title=values["job_title"], email=values["email"],
                        justification=values["justification"], organisation=values.get("organisation"),
                        organisation_name=values.get("organisation_name", ""), actions=[],
                        now=helsinki(2026, 3, 15, 12, 0))
                except nominations.NominationError:
                    pass

    run()


def test_consent_page(heroes):
    from campaigns import nominations
    from tests.factories import helsinki, nominate

    campaign, category, _ = heroes
    nominee = nominate(campaign=campaign, category=category).nominee
    token = nominations.consent_token(nominee)
    visitor = Visitor()
    tokens = st.one_of(st.just(token), hostile_text.filter(lambda s: s and "/" not in s),
                       st.builds(lambda t, s: t + s, st.just(token), hostile_text))

    @spend("test_consent_page", 50)
    @given(token=tokens, data=hostile_params(["answer"]), post=st.booleans())
    @example(token=token + "\x00", data={"answer": "give\x00"}, post=True)
    def run(token, data, post):
        with visitor.example("test_consent_page") as client:
            url = f"/fi/nominations/consent/{_quote(token)}/"
            response = client.post(url, data) if post else client.get(url)
            assert_handled(response)

    with time_machine.travel(helsinki(2026, 3, 16, 12, 0), tick=False):
        run()


@pytest.fixture
def jury_setup():
    from tests.campaigns.jury_setup import make_jury

    return make_jury()


REVIEW_KEYS = ["comment", "go", "criterion_999999", "criterion_-1", "criterion_99999999999999999999"]


def test_jury_review_of_actions(jury_setup):
    from campaigns.models import Review, Score
    from tests.campaigns.jury_setup import SCORING

    j = jury_setup
    visitor = Visitor(j.lenient.user)
    base = {f"criterion_{c.pk}": "3" for c in j.criteria} | {"comment": "Hyvä"}
    action_ids = st.one_of(st.sampled_from([a.pk for a in j.actions.values()]), st.integers(0, 10**30))

    @spend("test_jury_review_of_actions", 60)
    @given(action_id=action_ids, data=submissions(base, REVIEW_KEYS), json=st.booleans())
    def run(action_id, data, json):
        with visitor.example("test_jury_review_of_actions") as client:
            url = reverse("campaigns:jury-review", kwargs={"slug": j.campaign.slug, "action_id": action_id})
            before = counts(Review, Score)
            response = client.post(url, data, headers={"Accept": "application/json"} if json else {})
            # 200 is a saved JSON answer; 400, 403 and 404 are refusals
            assert_handled(response, before=before if response.status_code in (400, 403, 404) else None,
                           after=counts(Review, Score))

    with time_machine.travel(SCORING, tick=False):
        run()


def test_jury_lists_and_chair(jury_setup):
    from tests.campaigns.jury_setup import SCORING

    j = jury_setup
    visitor = Visitor(UserFactory(is_staff=True, is_superuser=True))
    juror = Visitor(j.lenient.user)
    slug = j.campaign.slug
    urls = [reverse(f"campaigns:{name}", kwargs={"slug": slug}) for name in
            ("jury-list", "jury-next", "jury-chair", "jury-chair-csv")]

    @spend("test_jury_lists_and_chair", 50)
    @given(url=st.sampled_from(urls), params=hostile_params(["status", "category", "sector", "after", "sort"]),
           as_juror=st.booleans())
    def run(url, params, as_juror):
        with (juror if as_juror else visitor).example("test_jury_lists_and_chair") as client:
            assert_handled(client.get(url, params))

    with time_machine.travel(SCORING, tick=False):
        run()


def test_jury_forms(jury_setup):
    from arena.models import Sector
    from campaigns.forms_jury import EntryFilterForm, ReviewForm

    j = jury_setup
    base = {f"criterion_{c.pk}": "3" for c in j.criteria} | {"comment": "Hyvä"}
    sectors = list(Sector.objects.all())

    @spend("test_jury_forms", 1500)
    @given(data=submissions(base, [*REVIEW_KEYS, "status", "category", "sector"]))
    def run(data):
        with isolated("test_jury_forms", writes=False):
            query = _query(data)
            form = ReviewForm(query, criteria=j.criteria)
            if form.is_valid():
                form.scores()
                form.comment_value()
            EntryFilterForm(query, categories=[j.category], sectors=sectors).filters()

    run()


def test_jury_review_of_people_and_organisations(heroes):
    from campaigns.models import AwardCategory, Review
    from tests.factories import AwardCategoryFactory, JurorFactory, helsinki, nominate

    campaign, category, criterion = heroes
    AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_ORGANISATIONS, name_fi="Ihmeidentekijät")
    nominee = nominate(campaign=campaign, category=category).nominee
    nominee.consent = "given"
    nominee.save()
    juror = JurorFactory(campaign=campaign)
    visitor = Visitor(juror.user)
    base = {f"criterion_{criterion.pk}": "4", "comment": "Hyvä"}
    targets = st.tuples(st.sampled_from(["people", "organisations", "junk"]),
                        st.one_of(st.just(nominee.pk), st.integers(0, 10**30)))

    @spend("test_jury_review_of_people_and_organisations", 40)
    @given(target=targets, data=submissions(base, REVIEW_KEYS), post=st.booleans())
    def run(target, data, post):
        subjects, pk = target
        url = f"/fi/campaigns/{campaign.slug}/jury/{subjects}/{pk}/"
        with visitor.example("test_jury_review_of_people_and_organisations") as client:
            before = counts(Review)
            response = client.post(url, data) if post else client.get(url)
            assert_handled(response, before=before if response.status_code in (400, 403, 404) else None,
                           after=counts(Review))

    with time_machine.travel(helsinki(2026, 4, 20, 12, 0), tick=False):
        run()


# --- Accounts: sign-up, login, password reset, my data, deleting the account ---------------------

def test_signup_login_and_password_reset(user):
    from orgs.models import User

    visitor = Visitor()
    forms = {
        reverse("account_signup"): {"email": "uusi@kunta.fi", "password1": "Pitkä salasana 123",
                                    "password2": "Pitkä salasana 123", "full_name": "Uusi Käyttäjä"},
        reverse("account_login"): {"login": user.email, "password": "correct horse battery", "remember": "on"},
        reverse("account_reset_password"): {"email": user.email},
    }
    posts = st.sampled_from(sorted(forms)).flatmap(lambda url: st.tuples(st.just(url), submissions(forms[url])))

    @spend("test_signup_login_and_password_reset", 80)
    @given(post=posts)
    def run(post):
        url, data = post
        with visitor.example("test_signup_login_and_password_reset") as client:
            before = counts(User)
            response = client.post(url, data)
            assert_handled(response, before=before, after=counts(User))

    run()


def test_signup_and_reset_forms(user):
    from allauth.account.forms import ResetPasswordForm, SignupForm

    base = {"email": "uusi@kunta.fi", "password1": "Pitkä salasana 123", "password2": "Pitkä salasana 123",
            "full_name": "Uusi Käyttäjä"}

    @spend("test_signup_and_reset_forms", 250)
    @given(data=submissions(base))
    def run(data):
        with isolated("test_signup_and_reset_forms", writes=False):
            query = _query(data)
            SignupForm(query).is_valid()
            ResetPasswordForm(query).is_valid()

    run()


def test_my_data_and_account_deletion(member):
    from orgs.models import User

    visitor = Visitor(member)
    delete_url = reverse("arena:my-account-delete")
    urls = [reverse("arena:my-data"), reverse("arena:my-data-download")]

    @spend("test_my_data_and_account_deletion", 40)
    @given(data=submissions({"confirm_email": member.email}), get=st.sampled_from([None, *urls]))
    def run(data, get):
        with visitor.example("test_my_data_and_account_deletion") as client:
            if get:
                assert_handled(client.get(get, data))
                return
            before = counts(User)
            response = client.post(delete_url, data)
            assert_handled(response, before=before, after=counts(User))

    run()


def test_account_deletion_form(member):
    from arena.views_account import DeleteAccountForm

    @spend("test_account_deletion_form", 1000)
    @given(data=submissions({"confirm_email": member.email}))
    def run(data):
        with isolated("test_account_deletion_form", writes=False):
            DeleteAccountForm(_query(data), user=member).is_valid()

    run()


# --- The admin: moderation forms and lists ----------------------------------------------------------

def test_admin_moderation(group_moderator):
    from arena.models import Transition

    action = ActionFactory(status=Action.Status.SUBMITTED, published_at=None)
    report = Report.objects.create(action=ActionFactory(), reporter=UserFactory(), reason="spam")
    visitor = Visitor(group_moderator)
    steps = [("action", action.pk, name) for name in ("publish", "return", "reject", "hide", "unhide", "junk")]
    steps += [("report", report.pk, name) for name in ("close", "hide")]
    urls = [reverse(f"admin:arena_{model}_moderate", args=[pk, name]) for model, pk, name in steps]
    urls += [reverse("admin:arena_action_changelist"), reverse("admin:arena_report_changelist")]
    base = {"message": "Korjaa otsikko.", "action": "return_selected", "_selected_action": str(action.pk),
            "apply": "1"}

    @spend("test_admin_moderation", 60)
    @given(url=st.sampled_from(urls), data=submissions(base), get=st.booleans())
    def run(url, data, get):
        with visitor.example("test_admin_moderation") as client:
            if get:
                assert_handled(client.get(url, data))
                return
            before = counts(Transition)
            response = client.post(url, data)
            assert_handled(response, before=before, after=counts(Transition))

    run()


def test_admin_search_and_filters(staff, published):
    visitor = Visitor(staff)
    urls = [reverse(f"admin:{name}_changelist") for name in (
        "arena_action", "arena_report", "orgs_organisation", "orgs_user", "orgs_membership",
        "campaigns_nominee", "campaigns_nomination", "campaigns_campaign")]

    @spend("test_admin_search_and_filters", 50)
    @given(url=st.sampled_from(urls), params=hostile_params(["q", "status__exact", "kind", "o", "p", "e"]))
    @example(url=urls[0], params={"q": "a\x00b"})
    @example(url=urls[2], params={"q": "a\x00b", "region__id__exact": "9" * 30})
    def run(url, params):
        with visitor.example("test_admin_search_and_filters") as client:
            assert_handled(client.get(url, params))

    run()


def test_moderation_form():
    from arena.admin_moderation import ACTION_STEPS, REPORT_STEPS, ModerationForm

    steps = [*ACTION_STEPS.values(), *REPORT_STEPS.values()]

    @spend("test_moderation_form", 1200)
    @given(step=st.sampled_from(steps), data=hostile_params(["message"]))
    def run(step, data):
        with isolated("test_moderation_form", writes=False):
            ModerationForm(_query(data), step=step).is_valid()

    run()


def test_budgets_add_up():
    """At least 10 000 generated inputs across the module (each test checks it spent its own budget)."""
    import inspect
    import re
    import sys

    source = inspect.getsource(sys.modules[__name__])
    declared = [int(n) for n in re.findall(r'@spend\([^,]+, (\d+)\)', source)]
    # test_open_data_and_feed runs once per endpoint
    assert sum(declared) + 2 * 40 >= 10_000, sum(declared)
