"""Makers named on an action: asked by e-mail in their own language, named publicly only after
confirming, removed on request, each link answering once."""

import csv
import io
import re

import pytest
from django.core import mail

from arena import makers
from arena.models import Maker
from tests.factories import ActionFactory, MakerFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/makers/consent/\S+/")


def form_post(action, rows, existing=()):
    """The edit form's POST with the action's own fields and the makers' rows."""
    data = {
        "title": action.title, "summary": action.summary, "need": action.need, "solution": action.solution,
        "results": action.results, "stage": action.stage, "language": action.language,
        "sectors": [s.pk for s in action.sectors.all()], "themes": [t.pk for t in action.themes.all()],
        "organisation": action.organisation_id, "consent_to_publish": "on", "intent": "draft",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0", "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "makers-TOTAL_FORMS": str(len(rows)), "makers-INITIAL_FORMS": str(len(existing)),
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"makers-{i}-{key}"] = value
    return data


@pytest.fixture
def published(member, organisation):
    return ActionFactory(author=member, organisation=organisation, title="Etävastaanotto neuvolaan")


def name_makers(client, action, rows, django_capture_on_commit_callbacks):
    client.force_login(action.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fi/actions/{action.pk}/edit/", form_post(action, rows))
    assert response.status_code == 302, response.content.decode()[:2000]


def link_for(email) -> str:
    message = next(m for m in mail.outbox if m.to == [email])
    return LINK.search(message.body).group(0)


def public_texts(client, action) -> str:
    """Everything the public sees of the action: its page, the list, JSON and CSV. Searching for the
    maker's name finds nothing (the page echoes the query, so the action's title is what is looked for)."""
    page = client.get(action.get_absolute_url()).content.decode()
    listing = client.get("/fi/actions/").content.decode()
    search = client.get("/fi/actions/", {"q": "Virtanen"}).content.decode()
    assert action.title not in search
    data = client.get("/api/actions.json").content.decode()
    table = b"".join(client.get("/api/actions.csv").streaming_content).decode("utf-8-sig")
    return "\n".join([page, listing, data, table])


def test_each_maker_is_mailed_in_their_own_language_without_the_authors_text(
        client, published, django_capture_on_commit_callbacks):
    name_makers(client, published, [
        {"name": "Matti Virtanen", "email": "matti@kunta.fi", "language": "fi"},
        {"name": "Anna Andersson", "email": "Anna@Kommun.fi", "language": "sv"},
        {"name": "Ilman Osoitetta", "email": "", "language": "fi"},
    ], django_capture_on_commit_callbacks)

    assert [m.name for m in published.makers.all()] == ["Matti Virtanen", "Anna Andersson", "Ilman Osoitetta"]
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@kommun.fi", "matti@kunta.fi"]
    finnish = next(m for m in mail.outbox if m.to == ["matti@kunta.fi"])
    swedish = next(m for m in mail.outbox if m.to == ["anna@kommun.fi"])
    assert "tekijöistä" in finnish.body and "/fi/makers/consent/" in finnish.body
    assert "upphovspersonerna" in swedish.body and "/sv/makers/consent/" in swedish.body
    for message in (finnish, swedish):  # nothing the author typed is relayed
        assert published.title not in message.body + message.subject
        assert "Virtanen" not in message.body and "Andersson" not in message.body


def test_no_name_is_public_before_consent_and_the_editor_sees_each_state(
        client, published, django_capture_on_commit_callbacks):
    name_makers(client, published, [{"name": "Matti Virtanen", "email": "matti@kunta.fi", "language": "fi"},
                                    {"name": "Ilman Osoitetta", "email": "", "language": "fi"}],
                django_capture_on_commit_callbacks)
    client.logout()

    text = public_texts(client, published)
    assert "Virtanen" not in text and "Ilman Osoitetta" not in text
    assert published.title in text  # the action itself is there
    data = client.get("/api/actions.json").json()["results"][0]
    assert data["makers"] == {"names": [], "others": 2}

    client.force_login(published.author)
    edit = client.get(f"/fi/actions/{published.pk}/edit/").content.decode()
    assert "Ei vielä vahvistettu" in edit  # Matti: link sent, no answer
    assert "lisää sähköpostiosoite" in edit  # the maker without an address


def test_a_confirmed_name_is_public_everywhere_and_the_link_answers_once(
        client, published, django_capture_on_commit_callbacks):
    name_makers(client, published, [{"name": "Matti Virtanen", "email": "matti@kunta.fi", "language": "fi"},
                                    {"name": "Maija Toinen", "email": "maija@kunta.fi", "language": "fi"}],
                django_capture_on_commit_callbacks)
    client.logout()
    assert "Virtanen" not in client.get(published.get_absolute_url()).content.decode()  # and now cached
    link = link_for("matti@kunta.fi")

    page = client.get(link)
    assert page.status_code == 200 and published.title in page.content.decode()
    assert client.post(link, {"answer": "confirm"}).status_code == 302

    detail = client.get(published.get_absolute_url()).content.decode()
    assert "Matti Virtanen" in detail and "Maija Toinen" not in detail
    assert "ja yksi muu" in detail
    data = client.get("/api/actions.json").json()["results"][0]
    assert data["makers"] == {"names": ["Matti Virtanen"], "others": 1}
    rows = list(csv.DictReader(io.StringIO(
        b"".join(client.get("/api/actions.csv").streaming_content).decode("utf-8-sig"))))
    assert rows[0]["makers"] == "Matti Virtanen"

    again = client.post(link, {"answer": "confirm"})  # the link's answer is used up
    assert again.status_code == 400
    assert Maker.objects.get(name="Matti Virtanen").consent == "given"


def test_remove_my_name_deletes_it_and_the_link_dies(client, published, django_capture_on_commit_callbacks):
    MakerFactory(action=published, name="Matti Virtanen", email="matti@kunta.fi")  # confirmed earlier
    maker = published.makers.get()
    link = makers.consent_url(maker)
    assert "Matti Virtanen" in client.get(published.get_absolute_url()).content.decode()

    response = client.post(link, {"answer": "remove"})
    assert response.status_code == 200 and "poistettu" in response.content.decode()

    assert not Maker.objects.filter(pk=maker.pk).exists()
    assert "Virtanen" not in public_texts(client, published)
    assert client.get(link).status_code == 400
    assert client.post(link, {"answer": "confirm"}).status_code == 400


def test_a_new_link_replaces_the_old_and_a_changed_name_is_asked_again(
        client, published, django_capture_on_commit_callbacks):
    name_makers(client, published, [{"name": "Matti Virtanen", "email": "matti@kunta.fi", "language": "fi"}],
                django_capture_on_commit_callbacks)
    maker = published.makers.get()
    first = link_for("matti@kunta.fi")
    client.post(first, {"answer": "confirm"})
    mail.outbox.clear()

    # The editor corrects the name: the confirmation was for another name, so it is asked again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fi/actions/{published.pk}/edit/", form_post(published, [
            {"id": maker.pk, "action": published.pk, "name": "Matti Juhani Virtanen", "email": "matti@kunta.fi",
             "language": "fi"}], existing=[maker]))
    maker.refresh_from_db()
    assert maker.consent == "pending" and maker.name == "Matti Juhani Virtanen"
    assert "Virtanen" not in client.get(published.get_absolute_url()).content.decode()
    assert client.get(first).status_code == 400  # replaced
    second = link_for("matti@kunta.fi")
    assert client.get(second).status_code == 200


def test_a_form_without_the_makers_rows_leaves_them_alone(client, published):
    MakerFactory(action=published, name="Matti Virtanen")
    client.force_login(published.author)
    data = form_post(published, [])
    for key in [key for key in data if key.startswith("makers-")]:
        del data[key]
    assert client.post(f"/fi/actions/{published.pk}/edit/", data).status_code == 302
    assert published.makers.count() == 1


def test_forged_links_are_refused(client):
    assert client.get("/fi/makers/consent/forged/").status_code == 400
    maker = MakerFactory(consent="pending", consent_given_at=None)
    nominee_style = makers.consent.consent_token(salt="campaigns.nominee-consent", pk=maker.pk, version=1)
    assert client.get(f"/fi/makers/consent/{nominee_style}/").status_code == 400
