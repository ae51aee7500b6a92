"""The jury pages: who may open them, the review form (plain and autosave), the deadline lock,
refusals of bad input, the chair's view and its CSV, and query counts."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from campaigns import jury
from campaigns.models import Review, Score
from tests.campaigns.jury_setup import DEADLINE, SCORING, make_jury, score_all, scores_for
from tests.factories import (
    ActionFactory, AwardCategoryFactory, CampaignFactory, CriterionFactory, JurorFactory, MembershipFactory,
    SectorFactory, campaign_manager,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def at_scoring_time():
    with time_machine.travel(SCORING, tick=False):
        yield


@pytest.fixture
def j():
    return make_jury()


def url(name, campaign, *args):
    with translation.override("en"):
        return reverse(f"campaigns:{name}", args=[campaign.slug, *args])


def jury_urls(j):
    x = j.actions["X"].pk
    return {
        "list": url("jury-list", j.campaign),
        "review": url("jury-review", j.campaign, x),
        "next": url("jury-next", j.campaign),
        "chair": url("jury-chair", j.campaign),
        "csv": url("jury-chair-csv", j.campaign),
    }


JUROR_PAGES = {"list": 200, "review": 200, "next": 302}
CHAIR_PAGES = {"chair": 200, "csv": 200}


def viewer(j, who):
    if who == "anonymous":
        return None
    if who == "member":
        return MembershipFactory(organisation=j.organisations[0]).user
    if who == "juror of another campaign":
        return JurorFactory(campaign=CampaignFactory(slug="toinen")).user
    if who == "juror":
        return j.lenient.user
    if who == "chair":
        j.harsh.is_chair = True
        j.harsh.save()
        return j.harsh.user
    if who == "staff":
        return campaign_manager()
    raise AssertionError(who)


EXPECTED = {
    "member": {"list": 404, "review": 404, "next": 404, "chair": 404, "csv": 404},
    "juror of another campaign": {"list": 404, "review": 404, "next": 404, "chair": 404, "csv": 404},
    "juror": {**JUROR_PAGES, "chair": 403, "csv": 403},
    "chair": {**JUROR_PAGES, **CHAIR_PAGES},
    "staff": {"list": 404, "review": 404, "next": 404, **CHAIR_PAGES},
}


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("page", ["list", "review", "next", "chair", "csv"])
def test_who_may_open_each_jury_url(client, j, who, page):
    client.force_login(viewer(j, who))
    response = client.get(jury_urls(j)[page])
    assert response.status_code == EXPECTED[who][page]


@pytest.mark.parametrize("page", ["list", "review", "next", "chair", "csv"])
def test_anonymous_visitors_get_404(client, j, page):
    response = client.get(jury_urls(j)[page])
    assert response.status_code == 404


def test_anonymous_answer_says_nothing_about_the_campaign(client):
    response = client.get(url("jury-list", CampaignFactory.build(slug="ei-ole-olemassa")))
    assert response.status_code == 404  # same answer as for a real campaign


def test_a_juror_of_another_campaign_cannot_post_scores(client, j):
    client.force_login(JurorFactory(campaign=CampaignFactory(slug="toinen")).user)
    response = client.post(url("jury-review", j.campaign, j.actions["X"].pk), {"criterion_%d" % j.criteria[0].pk: 5})
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_list_shows_entries_progress_and_the_conflict(client, j):
    jury.review_save(juror=j.conflicted, action=j.actions["X"], scores=scores_for(j.criteria, (4, 3, 3)),
                     comment="", now=SCORING)
    client.force_login(j.conflicted.user)
    response = client.get(url("jury-list", j.campaign))
    html = response.content.decode()
    assert '<progress id="jury-progress-bar" max="3" value="1"' in html
    assert "1 of 3 entries scored" in html
    assert "Not shown: conflict of interest" in html
    assert html.count(url("jury-review", j.campaign, j.actions["Z"].pk)) == 0  # no link to the conflicted entry
    assert url("jury-review", j.campaign, j.actions["W"].pk) in html  # the next unscored entry


def test_list_filters_by_status_category_and_sector(client, j):
    sector = SectorFactory(name_en="Rescue services")
    j.actions["Y"].sectors.add(sector)
    second = AwardCategoryFactory(campaign=j.campaign, kind="jury", name_en="Best small action")
    second.shortlist.set([j.actions["W"]])
    jury.review_save(juror=j.lenient, action=j.actions["X"], scores=scores_for(j.criteria, (5, 5, 4)), comment="",
                     now=SCORING)
    client.force_login(j.lenient.user)

    def titles(**params):
        response = client.get(url("jury-list", j.campaign), params)
        return [entry.action.title for entry in response.context["entries"]]

    assert titles() == ["W-teko", "X-teko", "Y-teko", "Z-teko"]
    assert titles(status="todo") == ["W-teko", "Y-teko", "Z-teko"]
    assert titles(status="complete") == ["X-teko"]
    assert titles(category=second.pk) == ["W-teko"]
    assert titles(sector=sector.pk) == ["Y-teko"]


def test_review_page_shows_the_whole_action_and_the_criteria(client, j):
    client.force_login(j.lenient.user)
    action = j.actions["X"]
    action.need, action.solution = "Asiakkaat jonottivat.", "Otettiin käyttöön ajanvaraus."
    action.save()
    response = client.get(url("jury-review", j.campaign, action.pk))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("X-teko", "Asiakkaat jonottivat.", "Otettiin käyttöön ajanvaraus.", "Inspiring",
                 "Does it inspire others?", "Transferability", 'name="comment"'):
        assert text in html
    assert html.count('type="radio"') == 15  # three criteria, 1–5


def test_plain_form_saves_and_goes_to_the_next_unscored_entry(client, j):
    client.force_login(j.lenient.user)
    x = j.actions["X"]
    data = {f"criterion_{c.pk}": v for c, v in zip(j.criteria, (5, 5, 4), strict=True)} | {
        "comment": "Erinomainen", "go": "next"}
    response = client.post(url("jury-review", j.campaign, x.pk), data)
    assert response.status_code == 302
    assert response["Location"] == url("jury-review", j.campaign, j.actions["Y"].pk)
    review = Review.objects.get(juror=j.lenient, action=x)
    assert review.comment == "Erinomainen"
    assert sorted(review.scores.values_list("value", flat=True)) == [4, 5, 5]
    page = client.get(url("jury-review", j.campaign, x.pk)).content.decode()
    assert f'value="4" id="id_criterion_{j.criteria[2].pk}_3" checked' in page  # the saved scores come back


def test_autosave_returns_json_and_saves_a_partial_set(client, j):
    client.force_login(j.lenient.user)
    response = client.post(url("jury-review", j.campaign, j.actions["X"].pk),
                           {f"criterion_{j.criteria[0].pk}": "3"}, HTTP_ACCEPT="application/json")
    body = response.json()
    assert response.status_code == 200
    assert body["saved"] is True and body["message"] == "Saved"
    assert body["complete"] is False
    assert body["progress"] == {"scored": 0, "total": 4}
    response = client.post(url("jury-review", j.campaign, j.actions["X"].pk),
                           {f"criterion_{j.criteria[1].pk}": "3", f"criterion_{j.criteria[2].pk}": "2"},
                           HTTP_ACCEPT="application/json")
    assert response.json()["complete"] is True
    assert response.json()["progress"] == {"scored": 1, "total": 4}
    assert response.json()["progress_text"] == "1 of 4 entries scored"


def test_after_the_deadline_the_page_is_read_only_and_posts_are_refused(client, j):
    x = j.actions["X"]
    jury.review_save(juror=j.lenient, action=x, scores=scores_for(j.criteria, (5, 5, 4)), comment="Hyvä",
                     now=SCORING)
    client.force_login(j.lenient.user)
    with time_machine.travel(DEADLINE + datetime.timedelta(minutes=1), tick=False):
        page = client.get(url("jury-review", j.campaign, x.pk)).content.decode()
        assert "Scoring has closed." in page
        assert 'type="radio"' not in page and "<textarea" not in page
        crafted = {f"criterion_{j.criteria[0].pk}": "1", "comment": "Muutettu"}
        response = client.post(url("jury-review", j.campaign, x.pk), crafted)
        assert response.status_code == 403
        assert "scores can no longer be changed" in response.content.decode()
        response = client.post(url("jury-review", j.campaign, x.pk), crafted, HTTP_ACCEPT="application/json")
        assert response.status_code == 403 and response.json()["saved"] is False
    review = Review.objects.get(juror=j.lenient, action=x)
    assert review.comment == "Hyvä"
    assert sorted(review.scores.values_list("value", flat=True)) == [4, 5, 5]


def test_a_score_outside_the_scale_is_refused_with_a_message(client, j):
    client.force_login(j.lenient.user)
    data = {f"criterion_{j.criteria[0].pk}": "5", f"criterion_{j.criteria[1].pk}": "6", "comment": "Hyvä"}
    response = client.post(url("jury-review", j.campaign, j.actions["X"].pk), data)
    assert response.status_code == 400
    assert "Choose a score from 1 to 5." in response.content.decode()
    assert 'value="5" id="id_criterion_%d_4" checked' % j.criteria[0].pk in response.content.decode()  # kept
    response = client.post(url("jury-review", j.campaign, j.actions["X"].pk), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["message"] == "Choose a score from 1 to 5."
    assert not Review.objects.exists() and not Score.objects.exists()


def test_a_criterion_of_another_campaign_is_refused_with_a_message(client, j):
    client.force_login(j.lenient.user)
    foreign = CriterionFactory()
    data = {f"criterion_{j.criteria[0].pk}": "5", f"criterion_{foreign.pk}": "3"}
    response = client.post(url("jury-review", j.campaign, j.actions["X"].pk), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "does not belong to this campaign" in response.json()["message"]
    assert not Score.objects.exists()


def test_the_conflicted_entry_is_not_shown_and_a_crafted_post_is_refused(client, j):
    client.force_login(j.conflicted.user)
    z = j.actions["Z"]
    z.solution = "Salainen ratkaisu"
    z.save()
    response = client.get(url("jury-review", j.campaign, z.pk))
    assert response.status_code == 403
    assert "conflict of interest" in response.content.decode()
    assert "Salainen ratkaisu" not in response.content.decode()
    response = client.post(url("jury-review", j.campaign, z.pk), scores_post(j, (5, 5, 5)))
    assert response.status_code == 403
    assert "conflict of interest" in response.content.decode()
    assert not Review.objects.exists()


def scores_post(j, values):
    return {f"criterion_{c.pk}": str(v) for c, v in zip(j.criteria, values, strict=True)}


def test_an_action_outside_the_campaign_is_404_for_a_juror(client, j):
    outside = ActionFactory(submitted_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    client.force_login(j.lenient.user)
    assert client.get(url("jury-review", j.campaign, outside.pk)).status_code == 404
    assert client.post(url("jury-review", j.campaign, outside.pk), scores_post(j, (3, 3, 3))).status_code == 404
    assert not Review.objects.exists()


def test_next_takes_the_juror_on_and_says_when_everything_is_scored(client, j):
    client.force_login(j.lenient.user)
    response = client.get(url("jury-next", j.campaign), {"after": j.actions["Y"].pk})
    assert response["Location"] == url("jury-review", j.campaign, j.actions["Z"].pk)
    for letter in "WXYZ":
        jury.review_save(juror=j.lenient, action=j.actions[letter], scores=scores_for(j.criteria, (3, 3, 3)),
                         comment="", now=SCORING)
    response = client.get(url("jury-next", j.campaign), follow=True)
    assert response.redirect_chain[-1][0] == url("jury-list", j.campaign)
    assert "You have scored every entry." in response.content.decode()


def test_chair_view_lists_scores_spread_comments_and_unfinished_jurors(client, j):
    score_all(j)
    j.lenient.is_chair = True
    j.lenient.save()
    client.force_login(j.lenient.user)
    response = client.get(url("jury-chair", j.campaign))
    html = response.content.decode()
    rows = response.context["overview"].rows
    assert [row.action.title for row in rows] == ["X-teko", "Y-teko", "Z-teko", "W-teko"]
    assert "3.58" in html and "2.50–4.75" in html and "0.92" in html
    assert "Ankara Tuomari / Y" in html  # a comment
    assert "3 jurors have not finished." in html  # nobody has scored W-teko
    assert "Jury&#x27;s choice" in html  # the ranking per jury category


def test_a_chair_does_not_see_other_jurors_scores_on_their_own_organisations_entry(client, j):
    score_all(j)
    j.conflicted.is_chair = True
    j.conflicted.save()
    client.force_login(j.conflicted.user)
    html = client.get(url("jury-chair", j.campaign)).content.decode()
    assert "Lempeä Tuomari / Z" not in html
    assert "Lempeä Tuomari / X" in html
    rows = list(csv.reader(io.StringIO(client.get(url("jury-chair-csv", j.campaign)).content.decode())))
    assert not any("Lempeä Tuomari / Z" in cell for row in rows for cell in row)


def test_chair_csv(client, j):
    score_all(j)
    client.force_login(campaign_manager())
    response = client.get(url("jury-chair-csv", j.campaign))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="kevat-2026-jury.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:9] == ["Action ID", "Action", "Organisation", "Jury categories", "Jury score", "Jurors",
                          "Lowest", "Highest", "Standard deviation"]
    assert first["Action"] == "X-teko" and first["Jury score"] == "3.5833" and first["Jurors"] == "3"
    assert first["Ankara Tuomari: Inspiring"] == "3"
    assert first["Ankara Tuomari: weighted mean"] == "2.5000"
    assert first["Esteellinen Tuomari: comment"] == "Esteellinen Tuomari / X"
    assert len(rows[1:5]) == 4 and rows[5] == []
    # Then each juror's progress per kind of entry (the conflicted juror has one entry fewer).
    assert rows[6] == ["Juror", "Kind of entry", "Scored", "Of entries to score", "Partly scored", "Status"]
    progress = {row[0]: row[1:] for row in rows[7:]}
    assert progress["Esteellinen Tuomari"] == ["Actions", "2", "3", "0", "Not finished"]
    assert progress["Lempeä Tuomari"] == ["Actions", "3", "4", "0", "Not finished"]


def test_chair_csv_has_the_normalised_score_when_the_campaign_normalises(client):
    j = make_jury(normalise_scores=True)
    score_all(j)
    client.force_login(campaign_manager())
    rows = list(csv.reader(io.StringIO(client.get(url("jury-chair-csv", j.campaign)).content.decode())))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Normalised score"] == "0.9290"


def test_results_page_jury_category_comes_from_the_jury_scores(client, j):
    score_all(j)
    client.force_login(campaign_manager())
    with translation.override("en"):
        response = client.get(reverse("campaigns:campaign-results", args=[j.campaign.slug]) + "?live=1")
    jury_category = next(category for category in response.context["view"].categories if category.is_jury)
    assert [(row.title, row.rank) for row in jury_category.display_rows()] == [
        ("X-teko", 1), ("Y-teko", 2), ("Z-teko", 3)]


def many_entries(j, count):
    for number in range(count):
        action = ActionFactory(title=f"Teko {number:02d}", submitted_at=SCORING - datetime.timedelta(days=40))
        if number % 3 == 0:
            jury.review_save(juror=j.lenient, action=action, scores=scores_for(j.criteria, (4, 3, 2)),
                             comment="ok", now=SCORING)
            jury.review_save(juror=j.harsh, action=action, scores={j.criteria[0].pk: 2}, comment="", now=SCORING)


def test_jury_list_query_count_does_not_grow_with_entries(client, j, django_assert_max_num_queries,
                                                         django_assert_max_content_queries):
    many_entries(j, 32)
    client.force_login(j.lenient.user)
    with django_assert_max_content_queries(14):
        response = client.get(url("jury-list", j.campaign))
    assert len(response.context["entries"]) == 36
    with django_assert_max_num_queries(20):
        assert client.get(url("jury-review", j.campaign, j.actions["X"].pk)).status_code == 200


def test_chair_view_query_count_does_not_grow_with_entries(client, j, django_assert_max_num_queries):
    many_entries(j, 32)
    score_all(j)
    client.force_login(campaign_manager())
    # 16 for the page, 2 for the staff member's permissions (read once per request), 11 for the
    # conflicts of interest (the jurors' organisations, the partners: for the view and each score set).
    with django_assert_max_num_queries(29):
        response = client.get(url("jury-chair", j.campaign))
    assert len(response.context["overview"].rows) == 36
    with django_assert_max_num_queries(29):
        client.get(url("jury-chair-csv", j.campaign))


def test_json_error_body_is_json(client, j):
    client.force_login(j.lenient.user)
    response = client.post(url("jury-review", j.campaign, j.actions["X"].pk),
                           {f"criterion_{j.criteria[0].pk}": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["saved"] is False


@pytest.mark.parametrize(("who", "links"), [
    ("anonymous", []), ("member", []), ("juror", ["Score the entries"]),
    ("chair", ["Score the entries", "Chair's view"]), ("staff", ["Chair's view"]),
])
def test_jury_links_tag_shows_only_what_the_viewer_may_open(rf, j, who, links):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    request = rf.get("/")
    request.user = viewer(j, who) or AnonymousUser()
    with translation.override("en"):
        html = Template("{% load jury_tags %}{% jury_links campaign %}").render(
            Context({"request": request, "campaign": j.campaign}))
    assert [text for text in ("Score the entries", "Chair's view") if text in html.replace("&#x27;", "'")] == links


def test_chair_view_shows_raw_and_normalised_scores_when_the_campaign_normalises(client):
    j = make_jury(normalise_scores=True)
    score_all(j)
    client.force_login(campaign_manager())
    response = client.get(url("jury-chair", j.campaign), {"sort": "normalised"})
    html = response.content.decode()
    assert "Normalised score" in html and "standardises each juror" in html
    assert "3.58" in html and "0.93" in html and "-0.55" in html
    assert [row.action.title for row in response.context["overview"].rows][:3] == ["X-teko", "Z-teko", "Y-teko"]
