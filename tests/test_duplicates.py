"""Duplicate detection: Swedish name variants, acronyms, typos, structure, and what is not a duplicate."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from samverkan.graphs.analysis.duplicates import find_duplicates


def graph(*entities, edges=()):
    g = nx.MultiDiGraph()
    for node_id, name, *rest in entities:
        extra = rest[0] if rest else {}
        g.add_node(
            node_id,
            name=name,
            kind=extra.get("kind", "samverkansforum"),
            category=extra.get("category", "structure"),
            aliases=extra.get("aliases", []),
            short_name=extra.get("short_name"),
            evidence=[{"source": "d", "quote": name}],
        )
    for src, dst in edges:
        g.add_edge(src, dst, type="participates_in", role="deltar")
    return g


def pairs(g, threshold=0.75):
    return [(r["a"]["id"], r["b"]["id"]) for r in find_duplicates(g, threshold)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Samverkan för barn och unga Malmö", "Samverkan barn och unga i Malmö"),  # small words
        ("Strategisk samverkansplattform", "Strategiska samverkansplattformen"),  # definite form
        ("Örat mot marken", "Orat mot marken"),  # no Swedish keyboard
        ("Communities that Care", "Comunities that care"),  # typo
    ],
)
def test_name_variants_are_found(one, other):
    assert pairs(graph(("a", one), ("b", other))) == [("a", "b")]


def test_acronym_against_a_full_name():
    g = graph(("a", "SBUM"), ("b", "Samverkan barn och unga i Malmö"))
    (row,) = find_duplicates(g)
    assert row["confidence"] >= 0.75
    assert row["reasons"][0] == "”SBUM” är en förkortning av ”Samverkan barn och unga i Malmö”"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("LÖK", "SÖK"),  # short names must match exactly
        ("Budgetuppdrag 2023", "Budgetuppdrag 2024"),  # different years
        ("Fritidsnämnden", "Kulturnämnden"),
    ],
)
def test_not_duplicates(one, other):
    assert pairs(graph(("a", one), ("b", other)), 0.6) == []


def test_only_the_same_category_is_compared():
    g = graph(("a", "Trygghet", {"category": "theme", "kind": "tema"}), ("b", "Trygghet"))
    assert pairs(g) == []


def test_shared_neighbours_raise_confidence():
    names = (("a", "Lokala samverkansgrupper"), ("b", "Lokal samverkansgrupp"))
    alone = find_duplicates(graph(*names), 0)[0]["confidence"]
    linked = graph(*names, ("x", "X", {"category": "actor", "kind": "nämnd"}), edges=[("x", "a"), ("x", "b")])
    row = find_duplicates(linked, 0)[0]
    assert row["confidence"] > alone
    assert "båda är kopplade till X" in row["reasons"]
    assert row["evidence"]["a"] == [{"source": "d", "quote": "Lokala samverkansgrupper"}]


def test_cli_duplicates(run, mini_copy):
    extra = (
        "id: samverkan-för-barn-och-unga-malmö\nkind: samverkansforum\n"
        "name: Samverkan för barn och unga Malmö\nevidence:\n- source: protokoll\n  page: 1\n"
        "  quote: Samverkan barn och unga i Malmö (SBUM)\n"
    )
    (mini_copy / "structures" / "samverkan-för-barn-och-unga-malmö.yaml").write_text(extra, encoding="utf-8")
    # the alias of sbum already folds to the same words, so validation flags it first
    assert run("validate", registry=mini_copy).exit_code == 1
    sbum = mini_copy / "structures" / "sbum.yaml"
    alias = "aliases:\n- Samverkan för Barn och Unga Malmö\n"
    sbum.write_text(sbum.read_text(encoding="utf-8").replace(alias, ""), encoding="utf-8")
    result = run("duplicates", "--json", registry=mini_copy)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert [(r["a"]["id"], r["b"]["id"]) for r in rows] == [("samverkan-för-barn-och-unga-malmö", "sbum")]
    text = run("duplicates", registry=mini_copy).stdout
    assert "≈ Samverkan barn och unga i Malmö [sbum]" in text
