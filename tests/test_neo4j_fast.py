"""Neo4j sync's fast paths give what the plain paths give: rows from the index equal rows from the
files, and a load into an empty database (CREATE, keys indexed afterwards) makes the same graph as
the MERGE path."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from samverkan.graphs.backends import neo4j_index
from samverkan.graphs.backends.neo4j_index import index_rows
from samverkan.graphs.backends.neo4j_sync import REL_TYPES, apply_plan, plan_rows, read_state, registry_rows
from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR

from .conftest import MINI


def synth_registry(root: Path, structures: int, seed: int) -> Path:
    spec = importlib.util.spec_from_file_location("synth", Path(__file__).parents[1] / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.generate(root, structures=structures, municipalities=2, seed=seed)
    return root


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "worker processes"])
def test_rows_from_the_index_equal_rows_from_the_files(tmp_path, monkeypatch, parallel):
    if parallel:
        monkeypatch.setattr(neo4j_index, "_PARALLEL_FROM", 1)
        monkeypatch.setattr(neo4j_index, "_CHUNK", 7)
    for root in (SEED_DIR, MINI, synth_registry(tmp_path / "random", 40, seed=3)):
        assert index_rows(root) == list(registry_rows(load_registry(root).registry)), root


def test_no_rows_from_an_index_that_is_not_clean_or_turned_off(mini_copy, monkeypatch):
    assert index_rows(mini_copy) is not None
    polisen = mini_copy / "actors" / "polisen.yaml"
    polisen.write_text(polisen.read_text(encoding="utf-8").replace("kind: ", "kind: okänd_", 1), encoding="utf-8")
    assert index_rows(mini_copy) is None  # sync then loads the files, which reports the problem
    monkeypatch.setenv("SAMVERKAN_CACHE", "0")
    assert index_rows(MINI) is None


def graph_dump(driver, database):
    nodes = driver.execute_query(
        "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props", database_=database
    ).records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props", database_=database
    ).records
    return (
        sorted((r["id"], sorted(r["labels"]), sorted(r["props"].items())) for r in nodes),
        sorted((r["a"], r["t"], r["b"], sorted(r["props"].items())) for r in rels),
    )


@pytest.mark.neo4j
def test_the_empty_database_load_makes_the_same_graph_as_merge(neo4j_driver, neo4j_settings):
    db = neo4j_settings.database
    rows = list(registry_rows(load_registry(SEED_DIR).registry))
    fast = plan_rows(rows, read_state(neo4j_driver, db))
    assert fast.into_empty
    apply_plan(neo4j_driver, db, fast, batch=97)
    created = graph_dump(neo4j_driver, db)
    indexes = neo4j_driver.execute_query(
        "SHOW INDEXES YIELD name, state WHERE name STARTS WITH 'samverkan_' RETURN name, state", database_=db
    ).records
    assert {r["name"]: r["state"] for r in indexes} == {
        "samverkan_entity_id": "ONLINE",
        **{f"samverkan_{t.lower()}_key": "ONLINE" for t in REL_TYPES.values()},
    }
    assert plan_rows(rows, read_state(neo4j_driver, db)).is_empty

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=db)
    merged = plan_rows(rows, read_state(neo4j_driver, db))
    merged.into_empty = False  # as if something had been there: MERGE, row by row against the indexes
    apply_plan(neo4j_driver, db, merged, batch=97)
    assert graph_dump(neo4j_driver, db) == created
    assert len(created[0]) == len(rows) and len(created[1]) == sum(len(r) for _, r in rows)
