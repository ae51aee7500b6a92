"""The benchmark's verdicts: each page against the baseline measured right after it, and logged-in
pages against the signed-in baseline too."""

from bench import pages
from bench.load import LoadResult
from bench.report import _targets
from bench.run import PageRun


def outcome(rps, p95=10.0, errors=0):
    return LoadResult(requests=int(rps * 10), duration_s=10, p50_ms=p95 / 2, p95_ms=p95, p99_ms=p95, non2xx=errors,
                      bad_status=500 if errors else 0, socket_errors=0)


def page(key):
    return next(page for page in pages.PAGES if page.key == key)


def run(key, rps, adjacent=None, p95=10.0):
    measured = PageRun(page(key), "/x")
    measured.results = {1: outcome(rps, p95), 8: outcome(rps, p95), 32: outcome(rps, p95)}
    measured.adjacent = {8: adjacent} if adjacent else {}
    return measured


def verdicts(runs) -> dict[str, list[str]]:
    rows = [line.split(" | ") for line in _targets(runs, [1, 8, 32]) if line.startswith("| ") and "---" not in line]
    return {cells[0].removeprefix("| "): cells for cells in rows[1:]}


def test_a_page_is_judged_against_the_baseline_measured_right_after_it():
    # The machine got busier after the baseline's own row: 1 000 req/s is half of what the
    # baseline did right after the page (2 000 → met), though only 0.4 of its first row.
    runs = [run(pages.BASELINE, 2500), run("front", 1000, adjacent=2000), run("list", 900, adjacent=2000)]
    found = verdicts(runs)
    assert found["front page"][2] == "0.50" and found["front page"][-1].startswith("yes")
    assert found["action list"][2] == "0.45" and found["action list"][-1].startswith("**no**")


def test_a_slow_p95_or_an_error_fails_the_target():
    slow = run("front", 1500, adjacent=2000, p95=60)
    failing = run("list", 1500, adjacent=2000)
    failing.results[32] = outcome(1500, errors=3)
    found = verdicts([run(pages.BASELINE, 2000), slow, failing])
    assert found["front page"][-1].startswith("**no**")
    assert found["action list"][-1].startswith("**no**")


def test_logged_in_pages_are_compared_with_the_signed_in_baseline_and_held_to_the_signed_in_target():
    runs = [run(pages.BASELINE, 2000), run(pages.SIGNED_IN_BASELINE, 800, adjacent=2000),
            run("jury", 600, adjacent=2000), run("list-signed-in", 200, adjacent=2000)]
    found = verdicts(runs)
    assert found["jury list (one juror, logged in)"][3] == "0.75"  # 0.30 of the baseline, 0.40 for the floor
    assert found["jury list (one juror, logged in)"][-1].startswith("yes")  # ≥ 0.25 × the baseline
    assert found["action list, logged in"][-1].startswith("**no**")  # 0.10 ×
    assert any("reaches 0.40 × the baseline" in line for line in _targets(runs, [1, 8, 32]))


def test_mixed_load_meets_its_target_only_when_reads_and_like_posts_all_do():
    from bench import mixed
    from bench.load import LoadResult

    def mixed_run(audience, rps, *, p95=40.0, like_ms=(0.03,) * 20, like_errors=0):
        readers = LoadResult(requests=int(rps * 10), duration_s=10, p50_ms=10, p95_ms=p95, p99_ms=p95, non2xx=0,
                             bad_status=0, socket_errors=0)
        likes = mixed.LikeOutcome(latencies=list(like_ms), errors=like_errors, sent=50, duration_s=10)
        return mixed.MixedRun(audience, 5, readers, 2000, likes)

    assert mixed.met(mixed_run("anonymous", 1000))
    assert not mixed.met(mixed_run("anonymous", 900))  # 0.45 × baseline
    assert mixed.met(mixed_run("signed-in", 500))
    assert not mixed.met(mixed_run("signed-in", 500, p95=120))
    assert not mixed.met(mixed_run("signed-in", 500, like_ms=(0.03,) * 18 + (0.2, 0.2)))  # like p95 200 ms
    assert not mixed.met(mixed_run("anonymous", 1000, like_errors=1))
    table = "\n".join(mixed.render([mixed_run("anonymous", 1000)], list(mixed.READER_PAGES), 10))
    assert "| anonymous | 5 (5.0) | 1000 | 0.50 |" in table and table.rstrip().endswith("| yes |")


def test_the_scale_table_compares_the_cost_at_a_million_actions_with_a_hundred_thousand():
    from bench.cold import render_scales

    found = {scale: {"scale": scale, "when": "now", "pages": {"front": {"label": "front page", "p50_ms": cost}}}
             for scale, cost in ((0.1, 5.0), (1.0, 10.0), (10.0, 16.0))}
    assert render_scales(found)[-3].endswith("| 5.0 | 10.0 | 16.0 | 1.60 | **no** |")
    found[10.0]["pages"]["front"]["p50_ms"] = 14.0
    assert render_scales(found)[-3].endswith("| 1.40 | yes |")


def test_a_run_of_some_pages_keeps_the_other_pages_cost_at_that_scale(tmp_path):
    from bench import cold, pages
    from bench.load import LoadResult
    from bench.run import PageRun

    def measured(key, p50):
        page = next(page for page in pages.PAGES if page.key == key)
        run = PageRun(page, page.path)
        run.results[1] = LoadResult(requests=10, duration_s=1, p50_ms=p50, p95_ms=p50, p99_ms=p50, non2xx=0,
                                    bad_status=0, socket_errors=0)
        return run

    cold.save_costs(tmp_path, 1.0, [measured("front", 30.0), measured("list", 80.0)])
    cold.save_costs(tmp_path, 1.0, [measured("front", 25.0)])
    kept = cold.load_costs(tmp_path)[1.0]["pages"]
    assert kept["front"]["p50_ms"] == 25.0 and kept["list"]["p50_ms"] == 80.0
