"""Analysts' judgements: recorded with who, when and why, shown beside a pair, and remembered."""

from __future__ import annotations

import json

from samverkan.registry.reviews import load_reviews
from samverkan.registry.validate import validate_path

from .conftest import add_near_duplicate, drop_sbum_alias
from .test_merge import with_duplicate  # noqa: F401  (a fixture)


def test_a_judgement_round_trips_and_suppresses_the_pair(mini_copy, run):
    before = json.loads(run("overlaps", "--json", registry=mini_copy).stdout)["results"]
    assert [(r["a"]["id"], r["b"]["id"], r["review"]) for r in before] == [("sbum", "örat-mot-marken", None)]

    unsure = run(
        "review", "overlap", "Örat mot marken", "SBUM", "--verdict", "osäker", "--by", "Anna Analytiker",
        "--date", "2026-11-02", registry=mini_copy,
    )  # fmt: skip
    assert unsure.exit_code == 0, unsure.output
    shown = json.loads(run("overlaps", "--json", registry=mini_copy).stdout)["results"]
    assert shown[0]["review"] == {
        "subject": "överlapp",
        "pair": ["sbum", "örat-mot-marken"],
        "verdict": "osäker",
        "by": "Anna Analytiker",
        "date": "2026-11-02",
        "why": None,
        "judgements": 1,
    }
    assert "   Bedömt: osäker (Anna Analytiker, 2026-11-02)" in run("overlaps", registry=mini_copy).stdout

    run(
        "review", "overlap", "sbum", "örat-mot-marken", "--verdict", "inte", "--by", "Bo Beslutsfattare",
        "--why", "Olika uppdrag och målgrupper", "--date", "2026-11-20", registry=mini_copy,
    )  # fmt: skip
    assert json.loads(run("overlaps", "--json", registry=mini_copy).stdout)["results"] == []
    listed = json.loads(run("review", "--json", registry=mini_copy).stdout)["results"]
    assert [(r["verdict"], r["by"], r["judgements"]) for r in listed] == [("inte_parallell", "Bo Beslutsfattare", 2)]
    # the file keeps the whole history, oldest first, and is valid like everything else
    text = (mini_copy / "reviews" / "överlapp--sbum--örat-mot-marken.yaml").read_text(encoding="utf-8")
    assert text.index("osäker") < text.index("inte_parallell")
    assert validate_path(mini_copy)[1] == []


def test_a_duplicate_judged_not_the_same_is_no_longer_proposed(mini_copy, run):
    add_near_duplicate(mini_copy)
    drop_sbum_alias(mini_copy)

    def pairs():
        rows = json.loads(run("duplicates", "--json", registry=mini_copy).stdout)["results"]
        return [(r["a"]["id"], r["b"]["id"], r["review"]) for r in rows]

    assert pairs() == [("samverkan-för-barn-och-unga-malmö", "sbum", None)]
    result = run(
        "review", "duplicate", "SBUM", "Samverkan för barn och unga Malmö", "--verdict", "inte", "--by", "Anna",
        registry=mini_copy,
    )  # fmt: skip
    assert result.exit_code == 0
    assert pairs() == []


def test_merge_records_its_own_judgement_and_the_old_id_still_resolves(with_duplicate, run):  # noqa: F811
    result = run(
        "merge", "SBUM", "Samverkan för barn och unga", "--by", "Anna", "--why", "Samma forum", registry=with_duplicate
    )
    assert result.exit_code == 0, result.output
    reviews, problems = load_reviews(with_duplicate)
    assert problems == []
    (review,) = reviews.values()
    assert (review.subject, review.pair, review.latest.verdict.value, review.latest.by, review.latest.why) == (
        "dubblett",
        ["samverkan-för-barn-och-unga", "sbum"],
        "samma",
        "Anna",
        "Samma forum",
    )
    assert validate_path(with_duplicate)[1] == []
    found = json.loads(run("show", "samverkan-för-barn-och-unga", "--json", registry=with_duplicate).stdout)
    assert found["entity"]["id"] == "sbum"


def test_a_broken_review_is_a_located_problem(mini_copy, run):
    folder = mini_copy / "reviews"
    folder.mkdir()
    (folder / "överlapp--sbum--örat-mot-marken.yaml").write_text(
        "id: överlapp--sbum--örat-mot-marken\nsubject: överlapp\npair: [sbum, örat-mot-marken]\n"
        "judgements:\n- verdict: samma\n  by: Anna\n  date: '2026-11-02'\n",
        encoding="utf-8",
    )
    result = run("validate", registry=mini_copy)
    assert result.exit_code == 1
    assert result.stdout.startswith("reviews/överlapp--sbum--örat-mot-marken.yaml:1: ")
    assert "passar inte överlapp" in result.stdout
