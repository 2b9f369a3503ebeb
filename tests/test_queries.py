"""The query API on the embedded backend, over the mini registry, with expected results spelled out."""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.graphs.backends.build import build_graph
from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry

from .conftest import MINI


@pytest.fixture(scope="module")
def registry():
    return load_registry(MINI).registry


@pytest.fixture(scope="module")
def backend(registry):
    return EmbeddedBackend(registry)


def test_graph_has_every_counted_entity_and_relation(registry):
    graph = build_graph(registry)
    assert graph.number_of_nodes() == 19  # the proposed plattform is left out
    assert "samverkansplattform" not in graph
    with_proposed = build_graph(registry, Filters(include_proposed=True))
    assert with_proposed.number_of_nodes() == 20
    assert with_proposed.number_of_edges() == 20


def test_building_does_not_change_the_registry(registry):
    before = {e.id: e.model_dump() for e in registry}
    build_graph(registry, Filters(as_of=date(2020, 1, 1)))
    assert {e.id: e.model_dump() for e in registry} == before


def test_as_of_drops_what_was_not_yet_valid(registry):
    before = build_graph(registry, Filters(as_of=date(2024, 9, 25)))
    after = build_graph(registry, Filters(as_of=date(2024, 9, 26)))
    assert "kraftsamlande-insatser" not in before
    assert "kraftsamlande-insatser" in after
    assert after.has_edge("kommunstyrelsen", "kraftsamlande-insatser")


def test_who(backend):
    rows = backend.who("sbum")
    assert [(r.id, r.role) for r in rows] == [
        ("fritidsnämnden", "leder"),
        ("grundskolenämnden", "deltar"),
        ("polisen", "deltar"),
        ("region-skåne", "deltar"),
    ]
    assert rows[0].evidence == [
        {
            "source": "protokoll",
            "page": 1,
            "quote": "Fritidsnämnden leder Samverkan barn och unga i Malmö (SBUM), ett forum",
            "note": None,
        }
    ]


def test_who_with_parts_includes_the_subforum(backend):
    rows = backend.who("sbum", include_parts=True)
    via = [(r.id, r.via.id) for r in rows if r.via]
    assert via == [("fritidsförvaltningen", "sbum-arbetsgrupp")]


def test_who_sorts_the_swedish_way(backend):
    names = [r.name for r in backend.who("örat-mot-marken")]
    assert names == ["Föreningen </script><script>alert(1)</script>", "Grundskolenämnden", "Polismyndigheten"]


def test_where(backend):
    assert [(r.id, r.role) for r in backend.where("grundskolenämnden")] == [
        ("sbum", "deltar"),
        ("örat-mot-marken", "deltar"),
    ]


def test_where_with_parts_includes_the_forvaltning(backend):
    assert backend.where("fritidsnämnden") and [r.id for r in backend.where("fritidsnämnden")] == ["sbum"]
    rows = backend.where("fritidsnämnden", include_parts=True)
    assert [(r.id, r.via.id if r.via else None) for r in rows] == [
        ("sbum-arbetsgrupp", "fritidsförvaltningen"),
        ("sbum", None),
    ]


def test_paths(backend):
    result = backend.paths("polisen", "fritidsförvaltningen")
    chains = [[(s.source.id, s.relation, s.target.id) for s in p] for p in result.paths]
    assert chains == [
        [
            ("polisen", "participates_in", "sbum"),
            ("sbum-arbetsgrupp", "part_of", "sbum"),
            ("fritidsförvaltningen", "participates_in", "sbum-arbetsgrupp"),
        ],
        [
            ("polisen", "participates_in", "sbum"),
            ("fritidsnämnden", "participates_in", "sbum"),
            ("fritidsförvaltningen", "part_of", "fritidsnämnden"),
        ],
    ]
    assert backend.paths("polisen", "fritidsförvaltningen", limit=1).paths == result.paths[:1]


def test_no_path(backend):
    assert backend.paths("polisen", "trygghet").paths == []


def test_list_and_show(backend):
    kinds = {r["kind"] for r in backend.list_entities()}
    assert "plattform" not in kinds
    assert [r["id"] for r in backend.list_entities("nämnd")] == ["fritidsnämnden", "grundskolenämnden"]
    shown = backend.show("sbum")
    assert shown["entity"]["short_name"] == "SBUM"
    assert [(r["direction"], r["type"], r["other"]["id"]) for r in shown["relations"]][:2] == [
        ("out", "operates_in", "malmö"),
        ("out", "targets", "barn-och-unga"),
    ]


def test_filtered_entity_still_resolves(backend):
    ref = backend.resolve("Strategisk samverkansplattform")
    assert ref.id == "samverkansplattform"
    assert not backend.is_counted(ref.id)


def test_typed_results_give_the_analyses_rows_key_for_key(registry):
    from samverkan.graphs.analysis.duplicates import find_duplicates
    from samverkan.graphs.analysis.gaps import find_gaps
    from samverkan.graphs.analysis.overlaps import overlaps
    from samverkan.graphs.analysis.stats import broker_stats

    backend = EmbeddedBackend(registry, Filters(include_proposed=True))
    graph = backend.graph
    pairs = backend.overlaps(top=5)
    assert pairs, "the mini registry has overlapping structures"
    assert [p.to_dict() for p in pairs] == [{**row, "review": None} for row in overlaps(graph, top=5)]
    assert list(pairs[0].to_dict())[:5] == ["a", "b", "score", "signals", "class"]
    assert [d.to_dict() for d in backend.duplicates(0.0)] == [
        {**row, "review": None} for row in find_duplicates(graph, 0.0)
    ]
    gaps = backend.gaps()
    assert gaps and [g.to_dict() for g in gaps] == find_gaps(graph)
    assert backend.stats(top=3).to_dict() == broker_stats(graph, top=3)
    position = backend.positions()[0]
    assert list(position.to_dict()) == [
        "respondent", "consultation", "question", "stance", "proposes", "jointly", "concerns",
        "overlap", "existing_structures", "text", "evidence",
    ]  # fmt: skip
