import pytest

from arena.models import Action
from arena.search import action_update_search_vector, highlight, parse_query
from arena.selectors import action_browse
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def _indexed(**kwargs):
    action = ActionFactory(**kwargs)
    action_update_search_vector(action)
    return action


def _found(q, **params):
    return list(action_browse({"q": q, **params}).queryset.values_list("title", flat=True))


def test_finnish_inflected_query_finds_the_base_form():
    _indexed(title="Uusi pihasuunnitelma", summary="Lapset suunnittelivat päiväkoti Tähtösen pihan.")
    _indexed(title="Kirjaston kesä", summary="Lukudiplomi kaikille.")
    assert _found("päiväkodissa") == ["Uusi pihasuunnitelma"]


def test_finnish_base_form_query_finds_inflected_text():
    _indexed(title="Rekrytointi somessa", summary="Työhyvinvoinnin kysely joka kuukausi Limingassa.")
    assert _found("työhyvinvointi") == ["Rekrytointi somessa"]
    assert _found("Liminka") == ["Rekrytointi somessa"]


def test_swedish_definite_form_finds_the_base_form():
    _indexed(title="Utomhuspedagogik", summary="Varje förskola i kommunen har en skogsdag.", language="sv")
    _indexed(title="Bokbuss", summary="Biblioteket kommer till byn.", language="sv")
    assert _found("förskolan") == ["Utomhuspedagogik"]
    assert _found("bibliotek") == ["Bokbuss"]


def test_all_words_must_match():
    _indexed(title="Digitaalinen ajanvaraus", summary="Ajanvaraus neuvolaan verkossa.")
    _indexed(title="Digitaalinen kirjasto", summary="E-kirjat kaikille.")
    assert _found("digitaalinen neuvola") == ["Digitaalinen ajanvaraus"]
    assert sorted(_found("digitaalinen")) == ["Digitaalinen ajanvaraus", "Digitaalinen kirjasto"]


def test_title_match_ranks_first():
    _indexed(title="Kehittämispäivä", summary="Kerran vuodessa.", results="Ikäihmisten ruokailu parani.")
    _indexed(title="Ikäihmisten ruokailu kotona", summary="Ateriat kotiin.")
    _indexed(title="Kolmas teko", summary="Jotain ihan muuta.")
    assert _found("ikäihmisten ruokailu") == ["Ikäihmisten ruokailu kotona", "Kehittämispäivä"]


def test_sections_are_searched_too():
    _indexed(title="Teko", summary="Lyhyesti.", tips="Muistakaa varata kokoushuone ajoissa.")
    assert _found("kokoushuoneet") == ["Teko"]


def test_editing_the_text_updates_the_vector():
    action = _indexed(title="Kotihoidon reitit", summary="Reititys paperilla.")
    assert _found("mobiilisovellus") == []
    action.summary = "Reititys mobiilisovelluksella."
    action.save()
    action_update_search_vector(action)
    assert _found("mobiilisovellus") == ["Kotihoidon reitit"]
    assert _found("paperilla") == []


@pytest.mark.parametrize("q", ["!!!", "&|:*()'\"<->", "' & ! ( :* ", "—", "___"])
def test_punctuation_only_query_gives_a_clear_empty_result(client, q):
    _indexed(title="Mikä tahansa")
    response = client.get("/fi/actions/", {"q": q})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mikä tahansa" not in html
    assert parse_query(q).is_empty


def test_tsquery_syntax_inside_words_is_harmless():
    _indexed(title="Päiväkoti ja koulu")
    assert _found("päiväkoti:* & | !koulu") == ["Päiväkoti ja koulu"]


def test_very_long_query_gives_a_clear_empty_result(client):
    _indexed(title="Pitkä haku")
    response = client.get("/fi/actions/", {"q": "pitkä " * 200})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pitkä haku" not in html
    assert parse_query("a" * 1000).too_long


def test_highlight_marks_inflected_words_and_escapes_html():
    query = parse_query("päiväkodissa")
    html = highlight("<b>Päiväkodin</b> piha & päiväkoti", "fi", query.variants)
    assert html == "&lt;b&gt;<mark>Päiväkodin</mark>&lt;/b&gt; piha &amp; <mark>päiväkoti</mark>"


def test_search_results_are_highlighted_on_the_page(client):
    _indexed(title="Päiväkodin piha", summary="Piha uusittiin <script>.")
    html = client.get("/fi/actions/", {"q": "päiväkoti"}).content.decode()
    assert "<mark>Päiväkodin</mark> piha" in html
    assert "&lt;script&gt;" in html


def test_unpublished_actions_are_not_found():
    for status in ("draft", "submitted", "returned", "rejected", "hidden"):
        _indexed(title=f"Piilossa {status}", status=status)
    _indexed(title="Julkaistu teko")
    assert _found("piilossa") == []
    assert Action.objects.filter(title__startswith="Piilossa").count() == 5


def test_rebuild_search_index_command_fills_missing_vectors():
    from django.core.management import call_command

    ActionFactory(title="Uimakoulu", summary="Uimakoulut kaikille ekaluokkalaisille.")
    assert _found("uimakoulussa") == []  # saved without a vector
    call_command("rebuild_search_index")
    assert _found("uimakoulussa") == ["Uimakoulu"]


def test_map_levels_and_legend():
    from arena.maps import choropleth, legend, level

    assert [level(n, 10) for n in (0, 1, 2, 3, 10)] == [0, 1, 1, 2, 5]
    assert legend(10) == [{"level": 0, "low": 0, "high": 0}, {"level": 1, "low": 1, "high": 2},
                          {"level": 2, "low": 3, "high": 4}, {"level": 3, "low": 5, "high": 6},
                          {"level": 4, "low": 7, "high": 8}, {"level": 5, "low": 9, "high": 10}]
    data = choropleth("welfare_areas", {"19": 4, "90": 1}, language="sv", href=lambda c: f"?welfare_area={c}")
    assert len(data["areas"]) == 23
    top = data["table"][0]
    assert (top["name"], top["count"], top["level"], top["href"]) == (
        "Norra Österbottens välfärdsområde", 4, 5, "?welfare_area=19")
