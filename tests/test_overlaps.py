"""Overlap analysis: each signal, the classification, the explanations, the JSON, and the seed."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from samverkan.graphs.analysis.overlaps import SIGNAL_WEIGHTS, overlaps
from samverkan.graphs.backends.build import build_graph
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR

BYSTANDERS = 60


def graph(structures, actors=(), edges=(), areas=(), themes=(), groups=()):
    """A tiny graph: structures as (id, kind[, attrs]) and edges as (src, dst, type, extra)."""
    g = nx.MultiDiGraph()
    for item in structures:
        sid, kind, *rest = item
        g.add_node(
            sid,
            kind=kind,
            category="structure",
            name=sid.title(),
            status="befintlig",
            **(rest[0] if rest else {}),
        )
    for aid in actors:
        g.add_node(aid, kind="nämnd", category="actor", name=aid.upper(), status="befintlig")
    # the rest of the municipality: actors that take part in none of these structures, so that
    # shared membership is measured against a realistic population, as in a real registry
    for k in range(BYSTANDERS):
        g.add_node(f"zz{k}", kind="nämnd", category="actor", name=f"Zz{k}", status="befintlig")
    for nid in areas:
        g.add_node(nid, kind="område", category="area", name=nid.title(), status="befintlig")
    for nid in themes:
        g.add_node(nid, kind="tema", category="theme", name=nid.title(), status="befintlig")
    for nid in groups:
        g.add_node(nid, kind="målgrupp", category="group", name=nid.title(), status="befintlig")
    for src, dst, rtype, *extra in edges:
        g.add_edge(src, dst, type=rtype, **(extra[0] if extra else {}))
    return g


def part(actor, forum, role="deltar"):
    return (actor, forum, "participates_in", {"role": role})


def only(results):
    assert len(results) == 1
    return results[0]


def test_shared_participants_score_and_confidence():
    one = graph([("a", "team"), ("b", "team")], ["x"], [part("x", "a"), part("x", "b")])
    two = graph(
        [("a", "team"), ("b", "team")],
        ["x", "y"],
        [part("x", "a"), part("x", "b"), part("y", "a"), part("y", "b")],
    )
    # identical participant sets: Jaccard 1, damped by the number shared (1 -> 1/2, 2 -> 2/3)
    assert only(overlaps(one))["signals"]["participants"]["score"] == 0.5
    assert only(overlaps(two))["signals"]["participants"]["score"] == pytest.approx(2 / 3, abs=1e-4)


def test_rare_participants_weigh_more_than_ubiquitous_ones():
    forums = [(f"f{i}", "nätverk") for i in range(6)]
    edges = [part("civ", f"f{i}") for i in range(6)]  # civilsamhället everywhere
    edges += [part("rare", "f0"), part("rare", "f1")]
    g = graph(forums, ["civ", "rare"], edges)
    rows = {(r["a"]["id"], r["b"]["id"]): r for r in overlaps(g, top=None)}
    assert rows[("f0", "f1")]["score"] > rows[("f2", "f3")]["score"]
    assert rows[("f0", "f1")]["signals"]["participants"]["shared"] == ["rare", "civ"]  # rarest first


def test_leading_roles_count_more():
    edges = [part("x", "a", "leder"), part("x", "b", "leder"), part("y", "a"), part("y", "b", "deltar")]
    base = [part("x", "a"), part("x", "b"), part("y", "a"), part("y", "b")]
    led = only(overlaps(graph([("a", "team"), ("b", "team")], ["x", "y"], edges)))
    plain = only(overlaps(graph([("a", "team"), ("b", "team")], ["x", "y"], base)))
    assert led["signals"]["owners"]["shared"] == ["x"] and plain["signals"]["owners"]["shared"] == []
    assert led["score"] > plain["score"]


def test_jaccard_and_overlap_coefficient_reveal_a_subset():
    big = [part(x, "big") for x in "abcdef"]
    g = graph(
        [("big", "samverkansforum"), ("small", "team")],
        list("abcdef"),
        [*big, part("a", "small"), part("b", "small")],
    )
    jac = only(overlaps(g, measure="jaccard"))
    ovl = only(overlaps(g, measure="overlap"))
    assert jac["signals"]["participants"]["overlap_coefficient"] == 1.0
    assert ovl["signals"]["participants"]["score"] > jac["signals"]["participants"]["score"]
    assert "alla deltagare i Small finns också i Big" in jac["reasons"]


@pytest.mark.parametrize(
    ("relation", "signal", "phrase"),
    [
        ("targets", "groups", "båda riktar sig till barn"),
        ("addresses", "themes", "båda arbetar med trygghet"),
        ("operates_in", "areas", "båda verkar i Rosengård"),
    ],
)
def test_set_signals(relation, signal, phrase):
    target = {"targets": "barn", "addresses": "trygghet", "operates_in": "rosengård"}[relation]
    g = graph(
        [("a", "team"), ("b", "projekt")],
        edges=[("a", target, relation), ("b", target, relation)],
        areas=["rosengård"],
        themes=["trygghet"],
        groups=["barn"],
    )
    row = only(overlaps(g))
    assert row["signals"][signal] == {"score": 1.0, "shared": [target]}
    assert row["score"] == SIGNAL_WEIGHTS[signal]
    assert phrase in row["reasons"]


def test_disjoint_validity_is_no_overlap():
    edges = [part("x", "a"), part("x", "b"), part("y", "a"), part("y", "b")]
    then = graph([("a", "team", {"until": "2019"}), ("b", "team", {"from": "2020"})], ["x", "y"], edges)
    assert overlaps(then) == []
    same = graph([("a", "team", {"until": "2020-06"}), ("b", "team", {"from": "2020"})], ["x", "y"], edges)
    assert len(overlaps(same)) == 1


def test_respondents_warnings_are_a_signal_and_a_reason():
    g = graph(
        [("a", "plattform"), ("b", "samverkansforum")],
        ["resp"],
        [("resp", "remiss", "position", {"stance": "varnar_för_överlapp", "concerns": ["a", "b"]})],
    )
    g.add_node("remiss", kind="remiss", category="consultation", name="R", status="befintlig")
    row = only(overlaps(g))
    assert row["signals"]["warnings"] == ["resp"]
    assert row["score"] == SIGNAL_WEIGHTS["warnings"]
    assert "RESP varnar för överlapp mellan dem" in row["reasons"]


def test_classification():
    four = "wxyz"
    dup = graph(
        [("a", "team"), ("b", "team")],
        list(four),
        [part(x, f) for x in four for f in "ab"] + [("a", "t", "addresses"), ("b", "t", "addresses")],
        themes=["t"],
    )
    assert only(overlaps(dup))["class"] == "duplication"
    frag = graph(
        [("a", "team"), ("b", "nätverk")],
        ["x", "y", "z"],
        [part("x", "a"), part("y", "b"), part("z", "a"), ("a", "t", "addresses"), ("b", "t", "addresses")],
        themes=["t"],
    )
    row = only(overlaps(frag))
    assert row["class"] == "fragmentation"
    assert "ingen av dem har ett beslutat mandat" in row["reasons"]
    mandated = frag.copy()
    mandated.add_edge("x", "a", type="mandate", granted_by="kf-1")
    row = only(overlaps(mandated))
    assert row["class"] == "overlap"
    assert "bara A har ett beslutat mandat" in row["reasons"]


def test_proposed_against_existing_is_said():
    g = graph(
        [("ny", "plattform", {}), ("gammal", "samverkansforum")],
        ["x"],
        [part("x", "ny"), part("x", "gammal")],
    )
    g.nodes["ny"]["status"] = "föreslagen"
    assert "Ny är föreslagen och överlappar den befintliga Gammal" in only(overlaps(g))["reasons"]


def test_min_score_top_and_kind_filters():
    forums = [(f"f{i}", "team" if i % 2 else "projekt") for i in range(5)]
    g = graph(forums, ["x"], [part("x", f"f{i}") for i in range(5)])
    assert len(overlaps(g, top=None)) == 10
    assert len(overlaps(g, top=3)) == 3
    assert overlaps(g, min_score=0.99) == []
    assert {r["a"]["kind"] for r in overlaps(g, kinds=["team"], top=None)} == {"team"}


def test_results_are_sorted_and_deterministic():
    forums = [(f"f{i}", "team") for i in range(6)]
    g = graph(forums, ["x", "y"], [part("x", f"f{i}") for i in range(6)] + [part("y", "f1"), part("y", "f2")])
    first = overlaps(g, top=None)
    assert first == overlaps(g, top=None)
    scores = [r["score"] for r in first]
    assert scores == sorted(scores, reverse=True)
    assert (first[0]["a"]["id"], first[0]["b"]["id"]) == ("f1", "f2")


# ---- the Malmö seed ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_overlaps():
    g = build_graph(load_registry(SEED_DIR).registry, Filters(include_proposed=True))
    return overlaps(g, top=None)


def _rank(rows, a, b):
    for n, r in enumerate(rows):
        if {r["a"]["id"], r["b"]["id"]} == {a, b}:
            return n
    raise AssertionError(f"{a} ~ {b} not found")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ctc", "lokal-utveckling"),  # FSN, FSKN
        ("kraftsamlande-insatser", "universell-prevention"),  # stadskontoret, M + C
        ("kraftsamlande-insatser", "strategisk-samverkansplattform"),  # FRN, SN
        ("sbum", "styrgrupp-för-kraftsamlande-insatser"),  # the 2025 majority: SBUM instead of a new styrgrupp
        ("lokal-utveckling", "strategisk-samverkansplattform"),  # FRN, the 2025 summary
    ],
)
def test_pairs_the_respondents_warn_about_rank_near_the_top(seed_overlaps, a, b):
    assert _rank(seed_overlaps, a, b) < 0.05 * len(seed_overlaps)


def test_seed_top_pairs_are_those_most_voices_warn_about(seed_overlaps):
    # kraftsamlande insatser beside lokal utveckling: five distinct voices (respondents, stadskontoret,
    # M + C and the 2025 summary); every pair after it has at most two
    top = seed_overlaps[0]
    assert {top["a"]["id"], top["b"]["id"]} == {"kraftsamlande-insatser", "lokal-utveckling"}
    assert top["stated"]["voice_count"] == 5
    assert all(r["stated"]["voice_count"] <= 2 for r in seed_overlaps[1:])
    stated = [r["stated"]["voice_count"] for r in seed_overlaps if r["basis"] == "stated"]
    assert stated == sorted(stated, reverse=True)  # the more voices, the higher
    speakers = {v["speaker"]["id"] for v in top["stated"]["voices"]}
    assert {"stadskontoret", "remissinstanserna-2025", "moderaterna-och-centerpartiet"} <= speakers
    assert top["basis"] == "stated" and all(v["evidence"] for v in top["stated"]["voices"])
    assert any("varnar för överlapp" in reason for reason in top["reasons"])


def test_the_first_pair_only_the_network_suggests_explains_itself(seed_overlaps):
    first = next(r for r in seed_overlaps if r["basis"] == "inferred")
    assert first["stated"] == {"voice_count": 0, "voices": []}
    assert first["inferred"]["summary"][0].startswith("delar ")
    assert "väntat vid slump" in first["inferred"]["summary"][0]


def test_cli_overlaps_json_equals_the_library(run, monkeypatch):
    monkeypatch.delenv("SAMVERKAN_REGISTRY", raising=False)
    result = run("overlaps", "--include-proposed", "--top", "5", "--json", registry=None)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    g = build_graph(load_registry(SEED_DIR).registry, Filters(include_proposed=True))
    assert data == {"results": [{**r, "review": None} for r in overlaps(g, top=5)]}
    row = data["results"][0]
    # the fields scripts read stay; new ones are added beside them
    assert set(row) == {
        *("a", "b", "score", "signals", "class", "reasons"),
        *("basis", "stated", "inferred", "proposed_vs_existing", "review"),
    }
    assert set(row["signals"]) == {"participants", "groups", "themes", "areas", "owners", "time", "warnings"}


def test_cli_overlaps_human_and_filters(run):
    text = run("overlaps", "--include-proposed", "--top", "1", registry=SEED_DIR).stdout
    lines = text.splitlines()
    assert lines[0].startswith("1. Kraftsamlande insatser ↔ Lokal utveckling  (")
    assert lines[1].startswith("   Sagt i dokumenten (") and lines[1].endswith(" röster):")
    assert "   Nätverket visar:" in lines
    area = run("overlaps", "--area", "Möllevången", "--include-proposed", "--json", registry=SEED_DIR)
    for row in json.loads(area.stdout)["results"]:
        assert row["a"]["id"] != "ctc"
    assert run("overlaps", "--kind", "landsting", registry=SEED_DIR).exit_code == 2
    assert run("overlaps", "--area", "Atlantis", registry=SEED_DIR).exit_code == 1


# ---- the fast implementation against the straightforward reference --------------------------------


def _random_graph(seed: int, n_structures: int = 40, n_actors: int = 15):
    import random

    rng = random.Random(seed)
    structures = [
        (
            f"s{i:02d}",
            rng.choice(["team", "nätverk", "projekt"]),
            {
                "from": rng.choice([None, "2019", "2023-05"]) or "2018",
                "until": rng.choice([None, "2022", "2030"]),
            },
        )
        for i in range(n_structures)
    ]
    for _, _, attrs in structures:
        if attrs["until"] is None:
            del attrs["until"]
        elif attrs["until"] < attrs["from"]:
            attrs["until"] = "2031"
    actors = [f"a{i:02d}" for i in range(n_actors)]
    edges = []
    for sid, _, _ in structures:
        for actor in rng.sample(actors, rng.randint(1, 6)):
            edges.append(part(actor, sid, rng.choice(["deltar", "deltar", "leder", "samordnar"])))
        edges += [(sid, t, "addresses") for t in rng.sample(["t1", "t2", "t3"], rng.randint(0, 2))]
        edges += [(sid, a, "operates_in") for a in rng.sample(["o1", "o2", "o3", "o4"], rng.randint(0, 2))]
        edges += [(sid, gr, "targets") for gr in rng.sample(["g1", "g2"], rng.randint(0, 1))]
    g = graph(
        structures,
        actors,
        edges,
        areas=["o1", "o2", "o3", "o4"],
        themes=["t1", "t2", "t3"],
        groups=["g1", "g2"],
    )
    g.add_node("r", kind="remiss", category="consultation", name="R", status="befintlig")
    g.add_edge(actors[0], "r", type="position", stance="varnar_för_överlapp", concerns=["s01", "s02", "s03"])
    return g


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("max_df", [3, 8, 1000])
def test_sparse_scores_equal_the_reference(seed, max_df):
    from samverkan.graphs.analysis.features import structure_features
    from samverkan.graphs.analysis.overlaps import score_pairs

    from .overlap_reference import reference_scores

    g = _random_graph(seed)
    features = structure_features(g)
    fast = score_pairs(features, max_df=max_df)
    got = {
        (features.ids[a], features.ids[b]): round(float(s), 6)
        for a, b, s in zip(fast.i, fast.j, fast.score, strict=True)
    }
    assert got == reference_scores(g, features.ids, max_df)


@pytest.mark.parametrize("seed", range(5))
def test_pruned_top_k_equals_the_full_ranking(seed):
    g = _random_graph(seed, n_structures=60)
    full = overlaps(g, top=None, max_df=3)
    for k in (1, 5, 20):
        assert overlaps(g, top=k, max_df=3) == full[:k]
    assert overlaps(g, top=None, min_score=0.2, max_df=3) == [r for r in full if r["score"] >= 0.2]


# ---- stated overlaps first, and surprise against chance ------------------------------------------


def warn(speaker, *structures, kind="parallella_strukturer"):
    return (
        speaker,
        "r",
        "position",
        {"stance": "varnar_för_överlapp", "concerns": list(structures), "overlap": kind, "evidence": []},
    )


def test_a_warned_pair_ranks_above_every_pair_only_the_network_suggests():
    many = [part(x, f) for x in "abcd" for f in ("f1", "f2")]  # f1, f2 share four participants
    g = graph(
        [("f1", "team"), ("f2", "team"), ("w1", "process"), ("w2", "plattform")],
        [*list("abcd"), "frn"],
        [*many, warn("frn", "w1", "w2")],
    )
    g.add_node("r", kind="remiss", category="consultation", name="R", status="befintlig")
    rows = overlaps(g, top=None)
    assert [(r["a"]["id"], r["b"]["id"], r["basis"]) for r in rows] == [
        ("w1", "w2", "stated"),
        ("f1", "f2", "inferred"),
    ]
    assert rows[0]["score"] < rows[1]["score"]  # ranked first although the network says less
    assert rows[0]["stated"]["voice_count"] == 1
    assert rows[0]["stated"]["voices"][0]["speaker"] == {"id": "frn", "name": "FRN"}


def test_more_distinct_voices_rank_higher_and_a_repeated_voice_counts_once():
    g = graph(
        [("a", "team"), ("b", "team"), ("c", "team"), ("d", "team")],
        ["x", "y", "z"],
        [
            warn("x", "a", "b"),
            warn("x", "a", "b", "d"),  # the same speaker again: still one voice for a–b
            warn("y", "c", "d"),
            warn("z", "c", "d", kind="samordning"),
        ],
    )
    g.add_node("r", kind="remiss", category="consultation", name="R", status="befintlig")
    rows = overlaps(g, top=2)
    assert [(r["a"]["id"], r["b"]["id"], r["stated"]["voice_count"]) for r in rows] == [
        ("c", "d", 2),
        ("a", "b", 1),
    ]


def test_a_warned_pair_survives_pruning_for_the_top_k():
    forums = [(f"f{i}", "nätverk") for i in range(8)]
    edges = [part(x, f"f{i}") for i in range(8) for x in ("p", "q") if i < 6]
    g = graph([*forums, ("lone1", "team"), ("lone2", "team")], ["p", "q", "s"], [*edges, warn("s", "lone1", "lone2")])
    g.add_node("r", kind="remiss", category="consultation", name="R", status="befintlig")
    top = overlaps(g, top=3)
    assert (top[0]["a"]["id"], top[0]["b"]["id"]) == ("lone1", "lone2")
    assert len(top) == 3


@pytest.mark.parametrize(
    ("shared", "size_a", "size_b", "population"),
    [(1, 1, 1, 5), (2, 3, 4, 10), (4, 5, 5, 50), (3, 30, 30, 70), (0, 3, 3, 9), (5, 5, 6, 6)],
)
def test_the_hypergeometric_tail_equals_a_direct_count(shared, size_a, size_b, population):
    import math

    import numpy as np

    from samverkan.graphs.analysis.surprise import expected_shared, shared_tail

    def direct(k, a, b, n):
        if k <= 0:
            return 1.0
        return sum(math.comb(a, x) * math.comb(n - a, b - x) for x in range(k, min(a, b) + 1)) / math.comb(n, b)

    got = shared_tail(np.array([shared]), np.array([size_a]), np.array([size_b]), population)[0]
    assert got == pytest.approx(direct(shared, size_a, size_b, population), rel=1e-9, abs=1e-12)
    assert float(expected_shared(size_a, size_b, population)) == pytest.approx(size_a * size_b / population)


def test_big_bodies_that_sit_on_everything_weigh_less_than_a_surprising_few():
    # two big forums of 40 share 13: about what chance gives among the 129 actors of the graph
    bigs = [part(f"a{k}", "big1") for k in range(40)] + [part(f"a{k}", "big2") for k in range(27, 67)]
    smalls = [part("s1", "small1"), part("s2", "small1"), part("s1", "small2"), part("s2", "small2")]
    actors = [f"a{k}" for k in range(67)] + ["s1", "s2"]
    g = graph([("big1", "råd"), ("big2", "råd"), ("small1", "team"), ("small2", "team")], actors, bigs + smalls)
    rows = {(r["a"]["id"], r["b"]["id"]): r for r in overlaps(g, top=None)}
    big, small = rows[("big1", "big2")], rows[("small1", "small2")]
    assert big["signals"]["participants"]["p_value"] > 0.01 > small["signals"]["participants"]["p_value"]
    assert small["score"] > big["score"]
    assert small["inferred"]["summary"][0] == "delar 2 av 2 deltagare; väntat vid slump 0,0"
