"""User text is escaped wherever it is shown: HTML pages (public, jury, admin), e-mails, every
CSV export (formula injection) and the Atom feed (valid XML)."""

import csv
import io
from xml.etree import ElementTree

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from arena import services
from arena.models import Action, ActionLink, ContactPerson
from arena.spreadsheet import FORMULA_START, PLAIN_NUMBER
from tests.factories import ActionFactory, MakerFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"


def _assert_escaped(html: str):
    assert SCRIPT not in html and "<img src=x" not in html
    assert SCRIPT_ESCAPED in html or IMG_ESCAPED in html


@pytest.fixture
def hostile_action():
    organisation = OrganisationFactory(name_fi=f"Kunta {IMG}", slug="kunta-x")
    author = UserFactory(full_name=f"Kirjoittaja {SCRIPT}")
    MembershipFactory(user=author, organisation=organisation)
    action = ActionFactory(
        title=f"Päiväkoti {SCRIPT}", summary=f"Tiivistelmä {IMG}", need=f"Tarve {SCRIPT}",
        solution=f"Ratkaisu {IMG}", results=f"Tulos {SCRIPT}", tips=f"Vinkki {IMG}",
        organisation=organisation, author=author,
    )
    MakerFactory(action=action, name=f"Tekijä {SCRIPT}")
    ContactPerson.objects.create(action=action, name=f"Yhteys {SCRIPT}", job_title=IMG, email="y@kunta.fi",
                                 public=True, position=0)
    ActionLink.objects.create(action=action, url="https://kunta.fi/", title=f"Linkki {SCRIPT}", position=0)
    action.partners.set([organisation])
    return action


def test_public_pages_escape_user_text(client, hostile_action):
    pages = [
        hostile_action.get_absolute_url(),
        reverse("arena:action-list"),
        reverse("arena:action-list") + "?q=" + "päiväkoti",  # highlighted titles are built as HTML
        reverse("arena:action-list") + "?q=" + "%3Cscript%3E",
        reverse("orgs:organisation-detail", kwargs={"slug": "kunta-x"}),
        reverse("orgs:organisation-list") + "?q=Kunta",
        reverse("home"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert SCRIPT not in html and "<img src=x" not in html, url
    detail = client.get(pages[0]).content.decode()
    assert SCRIPT_ESCAPED in detail and IMG_ESCAPED in detail


def test_admin_pages_escape_user_text(client, staff, hostile_action):
    from arena.models import Report

    hostile_action.status = Action.Status.SUBMITTED
    hostile_action.save()
    Report.objects.create(action=hostile_action, reporter=UserFactory(), reason="spam", comment=SCRIPT)
    client.force_login(staff)
    for url in [
        reverse("admin:arena_action_changelist"),
        reverse("admin:arena_action_changelist") + "?q=P%C3%A4iv%C3%A4koti",
        reverse("admin:arena_action_change", args=[hostile_action.pk]),
        reverse("admin:arena_action_moderate", args=[hostile_action.pk, "return"]),
        reverse("admin:arena_report_changelist"),
        reverse("admin:orgs_organisation_changelist"),
        reverse("admin:orgs_user_changelist"),
    ]:
        response = client.get(url, follow=True)  # the action list first applies its default filter
        assert response.status_code == 200, url
        html = response.content.decode()
        assert SCRIPT not in html and "<img src=x" not in html, url


def test_jury_pages_escape_user_text(client, hostile_action):
    from campaigns import jury
    from tests.campaigns.jury_setup import SCORING, make_jury

    j = make_jury()
    j.actions["X"].title = f"X {SCRIPT}"
    j.actions["X"].save()
    j.lenient.is_chair = True
    j.lenient.save()
    j.lenient.user.full_name = f"Tuomari {IMG}"
    j.lenient.user.save()
    with time_machine.travel(SCORING, tick=False):
        jury.review_save(juror=j.harsh, action=j.actions["X"], scores={c.pk: 3 for c in j.criteria},
                         comment=f"Kommentti {SCRIPT}", now=SCORING)
        client.force_login(j.lenient.user)
        slug = j.campaign.slug
        for url in [reverse("campaigns:jury-list", kwargs={"slug": slug}),
                    reverse("campaigns:jury-review", kwargs={"slug": slug, "action_id": j.actions["X"].pk}),
                    reverse("campaigns:jury-chair", kwargs={"slug": slug})]:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert SCRIPT not in html and "<img src=x" not in html, url
            assert SCRIPT_ESCAPED in html, url


def test_moderation_mail_keeps_text_plain_and_on_one_subject_line(hostile_action, moderator,
                                                                   django_capture_on_commit_callbacks):
    hostile_action.status = Action.Status.SUBMITTED
    hostile_action.title = f"Otsikko {SCRIPT}\nBcc: kaikki@example.com"
    hostile_action.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.action_return(action=hostile_action, moderator=moderator, message=f"Korjaa {IMG}")
    [message] = mail.outbox
    assert "\n" not in message.subject and "Bcc" not in message.extra_headers
    assert "&lt;" not in message.subject and SCRIPT in message.subject  # plain text: shown as typed
    assert f"Korjaa {IMG}" in message.body and "&quot;" not in message.body
    assert not getattr(message, "alternatives", None)  # no HTML part that could run anything
    assert message.message().as_bytes()  # the whole message serialises (no header injection)


def test_consent_mail_keeps_text_plain(django_capture_on_commit_callbacks):
    from campaigns.models import AwardCategory
    from tests.factories import AwardCategoryFactory, CampaignFactory, nominate

    campaign = CampaignFactory(slug="kevat-2026", name_fi=f"Kampanja {SCRIPT}\nX-Evil: 1")
    category = AwardCategoryFactory(campaign=campaign, kind=AwardCategory.Kind.JURY_PEOPLE)
    with django_capture_on_commit_callbacks(execute=True):
        nominate(campaign=campaign, category=category, name=f"Hanna {IMG}",
                 user=UserFactory(full_name=f"Ehdottaja {SCRIPT}"))
    [message] = mail.outbox
    assert "\n" not in message.subject and "&lt;" not in message.subject
    assert "&lt;" not in message.body and "&quot;" not in message.body
    assert not getattr(message, "alternatives", None)
    assert message.message().as_bytes()


def _csv_cells(text: str):
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def _assert_no_formula(cells):
    for cell in cells:
        assert not cell.startswith(FORMULA_START) or PLAIN_NUMBER.match(cell), cell


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(1+1)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def test_open_data_csv_neutralises_formulas_in_every_text_cell(client):
    organisation = OrganisationFactory(name_fi=FORMULAS[0], name_sv=FORMULAS[1])
    partner = OrganisationFactory(name_fi=FORMULAS[3])
    action = ActionFactory(title=FORMULAS[0], summary=FORMULAS[1], need=FORMULAS[2], solution=FORMULAS[3],
                           results=FORMULAS[4], tips=FORMULAS[5], organisation=organisation)
    action.partners.set([partner])
    ContactPerson.objects.create(action=action, name=FORMULAS[2], email="", public=True, position=0)
    response = client.get(reverse("api-actions-csv"))
    cells = _csv_cells(b"".join(response.streaming_content).decode())
    _assert_no_formula(cells)
    assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[4] in cells


def test_chair_and_results_csv_neutralise_formulas(client, staff):
    from tests.campaigns.jury_setup import SCORING, make_jury, score_all

    j = make_jury()
    j.actions["X"].title = FORMULAS[0]
    j.actions["X"].save()
    j.organisations[0].name_fi = FORMULAS[3]
    j.organisations[0].save()
    j.category.name_fi = FORMULAS[1]
    j.category.save()
    j.lenient.user.full_name = FORMULAS[2]
    j.lenient.user.save()
    with time_machine.travel(SCORING, tick=False):
        score_all(j)
        from campaigns import jury
        jury.review_save(juror=j.lenient, action=j.actions["Y"], scores={}, comment=FORMULAS[3], now=SCORING)
        client.force_login(staff)
        chair = client.get(reverse("campaigns:jury-chair-csv", kwargs={"slug": j.campaign.slug}))
        assert chair.status_code == 200
        cells = _csv_cells(chair.content.decode())
        _assert_no_formula(cells)
        assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[3] in cells
        results = client.get(reverse("campaigns:campaign-results-csv", kwargs={"slug": j.campaign.slug}))
    assert results.status_code == 200
    cells = _csv_cells(results.content.decode())
    _assert_no_formula(cells)
    assert "'" + FORMULAS[1] in cells


def test_atom_feed_is_valid_xml_with_escaped_text(client):
    ActionFactory(title=f"Teko {SCRIPT} \x01\x08\x0b\x1f & loppu", summary=f"{IMG} \x1b",
                  organisation=OrganisationFactory(name_fi=f"Kunta {SCRIPT}\x02"))
    response = client.get(reverse("arena:action-feed"))
    assert response.status_code == 200
    body = response.content.decode()
    assert SCRIPT not in body and "<img" not in body
    root = ElementTree.fromstring(response.content)  # raises on invalid XML
    atom = "{http://www.w3.org/2005/Atom}"
    [entry] = root.findall(f"{atom}entry")
    assert entry.find(f"{atom}title").text == f"Teko {SCRIPT} & loppu"  # stored as one clean line (orgs.text)
    assert entry.find(f"{atom}summary").text == f"{IMG} "
