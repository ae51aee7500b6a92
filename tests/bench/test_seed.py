"""The benchmark's seeding, at a tiny scale: consistent data, and a second run reuses it."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, F, Q
from django.urls import resolve
from django.utils import timezone, translation

from arena.models import Action, ActionImage, Adoption, Like
from bench import pages
from bench import seed as bench_seed
from campaigns.models import Campaign, Criterion, Juror, Review, Score
from campaigns.ranking import eligible_actions
from orgs.models import Membership, Organisation, User

SCALE = 0.001


@pytest.fixture
def seeded(db):
    return bench_seed.seed(scale=SCALE, real_organisations=False)


def test_sizes_scale_down_but_stay_coherent():
    full = bench_seed.sizes_for(1)
    assert (full.actions, full.organisations, full.users, full.likes, full.adoptions, full.images, full.eligible,
            full.jurors) == (100_000, 1_000, 20_000, 1_000_000, 50_000, 300_000, 30_000, 50)
    large = bench_seed.sizes_for(10)
    assert (large.actions, large.organisations, large.users, large.jurors, large.shortlist) == (
        1_000_000, 1_000, 200_000, 50, 500)
    tiny = bench_seed.sizes_for(SCALE)
    assert tiny.actions == 100 and tiny.likes == 1000 and tiny.eligible == 30
    assert tiny.jurors < tiny.users and tiny.shortlist <= tiny.eligible


def test_likes_are_distinct_per_user_and_some_actions_are_popular():
    import random
    from collections import Counter

    rng = random.Random(1)
    stride = bench_seed._coprime_stride(10_000)
    likes = Counter()
    for _user in range(400):
        picked = bench_seed._like_targets(50, 10_000, stride, rng)
        assert len(picked) == 50 and all(0 <= ordinal < 10_000 for ordinal in picked)
        likes.update(picked)
    counts = sorted(likes.values(), reverse=True)
    assert counts[0] > 10 * counts[len(counts) // 2]
    # Even a dataset with barely more actions than a user likes gets distinct likes.
    assert len(bench_seed._like_targets(50, 100, bench_seed._coprime_stride(100), rng)) == 50


def test_seeding_writes_the_asked_numbers_of_rows(seeded):
    sizes = bench_seed.sizes_for(SCALE)
    assert not seeded.reused
    assert Action.objects.count() == Action.objects.published().count() == sizes.actions
    assert Organisation.objects.count() == sizes.organisations
    assert User.objects.count() == sizes.users
    assert Like.objects.count() == sizes.likes
    assert Adoption.objects.count() == sizes.adoptions
    assert ActionImage.objects.count() == sizes.images
    assert seeded.counts["likes"] == sizes.likes and seeded.counts["actions"] == sizes.actions
    # Every user but the staff user belongs to an organisation.
    assert Membership.objects.count() == sizes.users - 1
    # The counters shown on the pages match the rows.
    rows = Action.objects.annotate(likes_n=Count("likes", distinct=True),
                                   adoptions_n=Count("adoptions", distinct=True))
    mismatched = [(a.pk, a.like_count, a.likes_n, a.adoption_count, a.adoptions_n) for a in rows
                  if a.like_count != a.likes_n or a.adoption_count != a.adoptions_n]
    assert mismatched == []
    # Nobody adopts their own organisation's action.
    assert not Adoption.objects.filter(organisation=F("action__organisation")).exists()


def test_every_action_is_searchable_has_images_and_one_cover(seeded):
    assert not Action.objects.filter(search_vector__isnull=True).exists()
    assert Action.objects.filter(search_vector=SearchQuery("päiväkoti", config="simple")).exists()
    per_action = ActionImage.objects.values("action").annotate(
        n=Count("id"), covers=Count("id", filter=Q(is_cover=True)))
    assert {(row["n"], row["covers"]) for row in per_action} == {(bench_seed.sizes_for(SCALE).images_per_action, 1)}
    # The vectors are exactly what the portal computes for the action's text (lemmas when it lemmatises).
    lemmatiser = bench_seed.Lemmatiser()
    with connection.cursor() as cursor:
        for action in Action.objects.order_by("?")[:20]:
            if lemmatiser.enabled:
                t, tl, s, sl, r, rl = lemmatiser.module.action_search_texts(action)
            else:
                t, s, r = action.title, action.summary, "\n".join(
                    [action.need, action.solution, action.results, action.tips])
                tl = sl = rl = ""
            sql = lemmatiser.vector_sql(*(f"%({name})s" for name in ("t", "tl", "s", "sl", "r", "rl")))
            cursor.execute(f"SELECT ({sql})::text = (SELECT search_vector::text FROM arena_action WHERE id = %(id)s)",
                           {"t": t, "tl": tl, "s": s, "sl": sl, "r": r, "rl": rl, "id": action.pk})
            assert cursor.fetchone()[0], action.pk
    # Every page of the run list gets a URL from the seeded data.
    context = pages.page_context()
    urls = {page.key: pages.resolve(page, context) for page in pages.PAGES}
    assert None not in urls.values()
    assert urls["results"] == f"/fi/campaigns/{bench_seed.CAMPAIGN_SLUG}/results/"
    assert "sector=" in urls["filtered"] and "region=" in urls["filtered"]


def test_the_campaign_has_its_eligible_actions_within_the_period(seeded):
    sizes = bench_seed.sizes_for(SCALE)
    campaign = Campaign.objects.get(slug=bench_seed.CAMPAIGN_SLUG)
    now = timezone.now()
    assert campaign.has_ended(now)
    eligible = eligible_actions(campaign=campaign, as_of=now)
    assert eligible.count() == sizes.eligible
    for submitted in eligible.values_list("submitted_at", flat=True):
        assert campaign.starts_on <= timezone.localtime(submitted).date() <= campaign.ends_on
    outside = Action.objects.exclude(pk__in=eligible.values("pk"))
    for submitted in outside.values_list("submitted_at", flat=True):
        assert not campaign.starts_on <= timezone.localtime(submitted).date() <= campaign.ends_on
    # Results were frozen and published at the (past) gala.
    assert campaign.results_state == Campaign.ResultsState.PUBLISHED
    assert campaign.snapshots.filter(published_at__isnull=False).count() == 1


def test_jurors_have_full_score_sets_and_no_conflicts(seeded):
    sizes = bench_seed.sizes_for(SCALE)
    campaign = Campaign.objects.get(slug=bench_seed.CAMPAIGN_SLUG)
    criteria = set(Criterion.objects.filter(campaign=campaign).values_list("pk", flat=True))
    assert len(criteria) == len(bench_seed.CRITERIA)
    shortlist = set(campaign.categories.get(kind="jury").shortlist.values_list("pk", flat=True))
    assert len(shortlist) == sizes.shortlist
    jurors = Juror.objects.filter(campaign=campaign).select_related("user")
    assert jurors.count() == sizes.jurors
    for juror in jurors:
        own = set(Membership.objects.filter(user=juror.user).values_list("organisation", flat=True))
        expected = set(Action.objects.filter(pk__in=shortlist).exclude(organisation__in=own)
                       .values_list("pk", flat=True))
        reviewed = set(Review.objects.filter(juror=juror).values_list("action", flat=True))
        assert reviewed == expected
    for review in Review.objects.filter(juror__campaign=campaign).prefetch_related("scores"):
        assert {score.criterion_id for score in review.scores.all()} == criteria
    assert not Score.objects.filter(value__lt=1).exists() and not Score.objects.filter(value__gt=5).exists()


def test_seeding_twice_reuses_the_data(seeded):
    before = (Action.objects.count(), Like.objects.count(), Review.objects.count(), User.objects.count())
    again = bench_seed.seed(scale=SCALE, real_organisations=False)
    assert again.reused
    assert again.counts == seeded.counts
    assert (Action.objects.count(), Like.objects.count(), Review.objects.count(), User.objects.count()) == before
    # A dataset of another scale is not mixed in.
    with pytest.raises(bench_seed.DatasetMismatch):
        bench_seed.seed(scale=SCALE * 2, real_organisations=False)
    assert Action.objects.count() == bench_seed.sizes_for(SCALE).actions


def test_baseline_view_answers_without_the_database(client, settings):
    """No `db` fixture here: any query would fail the test."""
    settings.ROOT_URLCONF = "bench.urls"
    response = client.get("/bench/baseline")
    assert response.status_code == 200 and response.content == b"ok"
    with translation.override("fi"):
        assert resolve("/fi/", urlconf="bench.urls").url_name == "home"  # the portal's own URLs are all there
