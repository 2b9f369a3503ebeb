"""Neo4j sync's fast paths give what the plain paths give: rows from the index equal rows from the
files, and a load into an empty database (CREATE, keys indexed afterwards) makes the same graph as
the MERGE path."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from samverkan.graphs.backends.neo4j_index import index_rows
from samverkan.graphs.backends.neo4j_sync import REL_TYPES, apply_plan, plan_rows, read_state, registry_rows
from samverkan.registry import parallel as parallel_module
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
        monkeypatch.setattr(parallel_module, "PARALLEL_FROM", 1)
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


def test_the_import_files_quote_every_value_and_refuse_what_they_cannot_hold(run, mini_copy, tmp_path):
    out = tmp_path / "csv"
    result = run("neo4j", "csv", "-o", str(out), registry=mini_copy)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}: 20 noder och 20 relationer skrivna.\n"
    header, first = (out / "nodes.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("id:ID,:LABEL,aliases:string[],attrs,")
    assert first.startswith('"barn-och-unga","Entity\x1fGroup\x1fMalgrupp",,"{""kind"":""målgrupp"",')
    assert run("neo4j", "csv", "-o", str(out), registry=mini_copy).exit_code == 1  # not over files it wrote

    polisen = mini_copy / "actors" / "polisen.yaml"
    text = polisen.read_text(encoding="utf-8")
    alias = 'aliases: ["Pol\\x1fis"]'  # YAML's escape for the unit separator, which the import format uses
    polisen.write_text(text.replace("name: Polismyndigheten", "name: Polismyndigheten\n" + alias), "utf-8")
    refused = run("neo4j", "csv", "-o", str(tmp_path / "other"), registry=mini_copy)
    assert refused.exit_code == 1 and refused.stderr.startswith("Fel: polisen: en lista som importformatet inte")
    assert not any((tmp_path / "other").glob("*.csv"))


@pytest.mark.neo4j
def test_the_bulk_import_makes_the_same_graph_as_sync(neo4j_driver, neo4j_settings, tmp_path, run, monkeypatch):
    import os
    import secrets
    import subprocess

    from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, connect

    from .neo4j_server import SCRIPT, _free_port

    db = neo4j_settings.database
    for name, value in (("URI", neo4j_settings.uri), ("PASSWORD", neo4j_settings.password), ("DATABASE", db)):
        monkeypatch.setenv(f"NEO4J_{name}", value)
    assert run("neo4j", "sync", registry=SEED_DIR).exit_code == 0
    synced = graph_dump(neo4j_driver, db)

    assert run("neo4j", "csv", "-o", str(tmp_path / "csv"), registry=SEED_DIR).exit_code == 0
    env = dict(
        os.environ,
        NEO4J_PORT=str(_free_port()),
        NEO4J_PASSWORD=secrets.token_hex(12),
        SAMVERKAN_NEO4J_STATE=str(tmp_path / "state"),
    )
    try:
        imported = subprocess.run(
            [str(SCRIPT), "import", str(tmp_path / "csv")],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert imported.returncode == 0, imported.stderr[-2000:]
        own = Neo4jSettings(imported.stdout.split()[-1], "neo4j", env["NEO4J_PASSWORD"])
        monkeypatch.setenv("NEO4J_URI", own.uri)
        monkeypatch.setenv("NEO4J_PASSWORD", own.password)
        after = run("neo4j", "sync", registry=SEED_DIR)  # nothing to write; adds the indexes and the reviews
        assert after.exit_code == 0 and "Databasen är redan i takt med registret." in after.stdout
        driver = connect(own)
        try:
            assert graph_dump(driver, own.database) == synced
            indexes = driver.execute_query(
                "SHOW INDEXES YIELD name, state WHERE name STARTS WITH 'samverkan_' RETURN state", database_=db
            ).records
            assert len(indexes) == 1 + len(REL_TYPES) and all(r["state"] == "ONLINE" for r in indexes)
        finally:
            driver.close()
    finally:
        subprocess.run([str(SCRIPT), "stop"], check=False, env=env, capture_output=True, timeout=120)
