"""Neo4j against a real server: sync, pull, query parity with the embedded graph, and faults."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.graphs.backends.neo4j_backend import Neo4jBackend
from samverkan.graphs.backends.neo4j_sync import KIND_LABELS, REL_TYPES, apply_plan, plan_sync, read_state, sync
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR

from .conftest import MINI

pytestmark = pytest.mark.neo4j  # a real server, started by the fixtures (minutes on a fresh machine)


def env_for(settings_, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", settings_.uri)
    monkeypatch.setenv("NEO4J_USER", settings_.user)
    monkeypatch.setenv("NEO4J_PASSWORD", settings_.password)
    monkeypatch.setenv("NEO4J_DATABASE", settings_.database)


def counts(driver, database):
    nodes = driver.execute_query("MATCH (n:Entity) RETURN count(n) AS c", database_=database).records[0]["c"]
    rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c", database_=database).records[0]["c"]
    return nodes, rels


def test_labels_and_types_come_from_the_vocabulary():
    assert all(re.fullmatch(r"[A-Z][A-Za-z]+", label) for label in KIND_LABELS.values())
    assert all(re.fullmatch(r"[A-Z_]+", t) for t in REL_TYPES.values())


def test_sync_is_idempotent_and_labels_nodes(neo4j_driver, neo4j_settings):
    db = neo4j_settings.database
    registry = load_registry(SEED_DIR).registry
    plan = sync(neo4j_driver, db, registry)
    assert plan.summary()["create_nodes"] == len(registry)
    assert counts(neo4j_driver, db) == (len(registry), sum(len(e.relations) for e in registry))
    assert sync(neo4j_driver, db, registry).is_empty
    labels = neo4j_driver.execute_query(
        "MATCH (n:Entity {id: 'arbetsmarknads-och-socialnämnden'}) RETURN labels(n) AS l", database_=db
    ).records[0]["l"]
    assert sorted(labels) == ["Actor", "Entity", "Namnd"]


def test_dry_run_writes_nothing(neo4j_driver, neo4j_settings, run, monkeypatch):
    env_for(neo4j_settings, monkeypatch)
    result = run("neo4j", "sync", "--dry-run", registry=MINI)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Noder: 20 nya, 0 ändrade, 0 tas bort. Relationer: 20 nya")
    assert "Inget skrivet." in result.stdout
    assert "  ny nod: barn-och-unga\n" in result.stdout  # the plan itself, sorted by id
    assert "  … och 10 noder till\n" in result.stdout
    assert counts(neo4j_driver, neo4j_settings.database) == (0, 0)
    assert neo4j_settings.password not in result.output


def test_a_changed_registry_changes_exactly_what_differs(neo4j_driver, neo4j_settings, mini_copy, run, monkeypatch):
    env_for(neo4j_settings, monkeypatch)
    db = neo4j_settings.database
    assert run("neo4j", "sync", registry=mini_copy).exit_code == 0
    polisen = mini_copy / "actors" / "polisen.yaml"
    text = polisen.read_text(encoding="utf-8").replace("name: Polismyndigheten", "name: Polismyndigheten i Malmö")
    cut = text.index("- type: participates_in\n  target: örat-mot-marken")
    polisen.write_text(text[:cut], encoding="utf-8")
    plan = plan_sync(load_registry(mini_copy).registry, read_state(neo4j_driver, db))
    assert plan.summary() == {
        "create_nodes": 0,
        "update_nodes": 1,
        "delete_nodes": 0,
        "extra_nodes": 0,
        "create_rels": 0,
        "update_rels": 0,
        "delete_rels": 0,
        "extra_rels": 1,
    }
    assert run("neo4j", "sync", registry=mini_copy).exit_code == 0
    assert counts(neo4j_driver, db) == (20, 20)  # the extra relationship stays without --prune
    result = run("neo4j", "sync", "--prune", registry=mini_copy)
    assert "1 tas bort." in result.stdout
    assert counts(neo4j_driver, db) == (20, 19)
    name = neo4j_driver.execute_query("MATCH (n:Entity {id: 'polisen'}) RETURN n.name AS n", database_=db).records
    assert name[0]["n"] == "Polismyndigheten i Malmö"


def test_files_to_neo4j_to_files_gives_the_same_bytes(neo4j_driver, neo4j_settings, tmp_path, run, monkeypatch):
    env_for(neo4j_settings, monkeypatch)
    for source in (MINI, SEED_DIR):
        neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_settings.database)
        assert run("neo4j", "sync", registry=source).exit_code == 0
        out = tmp_path / source.name
        result = run("neo4j", "pull", "-o", str(out), registry=source)
        assert result.exit_code == 0, result.output
        files = sorted(
            p.relative_to(source)
            for p in source.rglob("*")
            if p.is_file() and (p.suffix == ".yaml" or p.parent.name == "sources") and p.name != "README.md"
        )
        assert files == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
        assert all((out / f).read_bytes() == (source / f).read_bytes() for f in files)


def test_an_interrupted_sync_converges(neo4j_driver, neo4j_settings):
    db = neo4j_settings.database
    registry = load_registry(SEED_DIR).registry
    plan = plan_sync(registry, read_state(neo4j_driver, db))

    def crash(_n, calls=[0]):  # noqa: B006 - a counter that outlives the calls
        calls[0] += 1
        if calls[0] == 3:
            raise ConnectionError("server stopped")

    with pytest.raises(ConnectionError):
        apply_plan(neo4j_driver, db, plan, batch=50, progress=crash)
    partial = counts(neo4j_driver, db)
    assert 0 < partial[0] < len(registry)
    # what was written is whole: every relationship has both ends
    assert sync(neo4j_driver, db, registry).summary()["create_nodes"] == len(registry) - partial[0]
    assert sync(neo4j_driver, db, registry).is_empty


def test_hostile_values_travel_as_parameters(neo4j_driver, neo4j_settings, mini_copy):
    db = neo4j_settings.database
    path = mini_copy / "themes" / "trygghet.yaml"
    hostile = "Trygghet'}) DETACH DELETE n // `; MATCH (x) DELETE x"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Trygghet", f'name: "{hostile}"'), encoding="utf-8")
    registry = load_registry(mini_copy).registry
    sync(neo4j_driver, db, registry)
    assert counts(neo4j_driver, db) == (20, 20)
    backend = Neo4jBackend(neo4j_settings)
    try:
        assert backend.show("trygghet")["entity"]["name"] == hostile
        assert backend.show("föreningen-script")["entity"]["name"] == "Föreningen </script><script>alert(1)</script>"
    finally:
        backend.close()


# ---- parity with the embedded graph ---------------------------------------------------------------

QUERIES = [
    ["list", "--json"],
    ["list", "--kind", "nämnd", "--json"],
    ["show", "SBUM", "--json"],
    ["show", "Arbetsmarknads- och socialnämnden", "--json"],
    ["who", "SBUM", "--json"],
    ["who", "CTC", "--include-parts", "--json"],
    ["where", "Polisen", "--json"],
    ["where", "Fritidsnämnden", "--include-parts", "--json"],
    ["path", "Polisen", "Fritidsnämnden", "--json"],
    ["path", "MKB", "Kulturnämnden", "--limit", "3", "--json"],
    ["positions", "--json"],
    ["positions", "--question", "tabell", "--json"],
    ["overlaps", "--top", "25", "--json"],
    ["overlaps", "--area", "Möllevången", "--json"],
]
FILTERS = [
    [],
    ["--include-proposed"],
    ["--as-of", "2025-06-01"],
    ["--as-of", "2026-06-01", "--include-proposed"],
    ["--include-proposed", "--include-persons"],  # people's own parity: tests/test_persons.py
]
JSON_FIELDS = {  # what each command's --json holds at the top
    "list": {"results"},
    "show": {"entity", "relations"},
    "who": {"entity", "results"},
    "where": {"entity", "results"},
    "path": {"from", "to", "paths"},
    "positions": {"results"},
    "overlaps": {"results"},
}


@pytest.fixture(scope="module")
def synced_seed(neo4j_settings):
    from samverkan.graphs.backends.neo4j_conn import connect

    driver = connect(neo4j_settings)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_settings.database)
    sync(driver, neo4j_settings.database, load_registry(SEED_DIR).registry)
    yield
    driver.close()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: " ".join(f) or "default")
@pytest.mark.parametrize("query", QUERIES, ids=" ".join)
def test_both_backends_give_the_same_json(synced_seed, neo4j_settings, run, monkeypatch, query, filters):
    env_for(neo4j_settings, monkeypatch)
    embedded = run(*query, *filters, registry=SEED_DIR)
    in_neo4j = run("--backend", "neo4j", *query, *filters, registry=SEED_DIR)
    assert in_neo4j.exit_code == embedded.exit_code
    assert in_neo4j.stdout == embedded.stdout
    if embedded.exit_code == 0:  # and it is the command's JSON, not an error or an empty page
        assert set(json.loads(embedded.stdout)) == JSON_FIELDS[query[0]]


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 10_000), proposed=st.booleans())
def test_parity_on_random_registries(neo4j_settings, tmp_path_factory, seed, proposed):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("synth", Path(__file__).parents[1] / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    root = tmp_path_factory.mktemp("random")
    synth.generate(root, structures=60, municipalities=2, seed=seed)
    registry = load_registry(root).registry
    from samverkan.graphs.backends.neo4j_conn import connect

    driver = connect(neo4j_settings)
    try:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_settings.database)
        sync(driver, neo4j_settings.database, registry)
    finally:
        driver.close()
    filters = Filters(include_proposed=proposed)
    embedded, remote = EmbeddedBackend(registry, filters), Neo4jBackend(neo4j_settings, filters)
    try:

        def same(a, b):
            dump = lambda x: json.dumps(x, default=lambda o: o.to_dict(), ensure_ascii=False)  # noqa: E731
            assert dump(a) == dump(b)

        same(embedded.list_entities(), remote.list_entities())
        for structure in ("k000-struktur-0", "k000-struktur-7", "k001-struktur-3"):
            if embedded.is_counted(structure):
                same(embedded.who(structure), remote.who(structure))
                same(embedded.show(structure), remote.show(structure))
        same(embedded.where("k000-socialnämnden"), remote.where("k000-socialnämnden"))
        same(
            embedded.paths("k000-socialnämnden", "k001-kulturnämnden").to_dict(),
            remote.paths("k000-socialnämnden", "k001-kulturnämnden").to_dict(),
        )
        same(embedded.overlaps(top=15), remote.overlaps(top=15))
    finally:
        remote.close()
    shutil.rmtree(root)


# ---- faults ---------------------------------------------------------------------------------------


def test_server_down_wrong_password_wrong_database(neo4j_settings, run, monkeypatch):
    env_for(neo4j_settings, monkeypatch)
    down = run("neo4j", "sync", "--uri", "bolt://127.0.0.1:1", registry=MINI)
    assert down.exit_code == 1 and down.stderr == "Fel: Neo4j svarar inte på bolt://127.0.0.1:1\n"
    monkeypatch.setenv("WRONG", "not-the-password")
    wrong = run("neo4j", "sync", "--password-env", "WRONG", registry=MINI)
    assert wrong.exit_code == 1 and "nekade inloggning" in wrong.stderr
    monkeypatch.setenv("NEO4J_DATABASE", "finnsinte")
    nodb = run("--backend", "neo4j", "who", "SBUM", registry=MINI)
    assert nodb.exit_code == 1 and nodb.stderr == f"Fel: databasen 'finnsinte' finns inte på {neo4j_settings.uri}\n"
    for result in (down, wrong, nodb):
        assert "Traceback" not in result.output and neo4j_settings.password not in result.output


def test_sync_refuses_an_invalid_registry(neo4j_driver, neo4j_settings, mini_copy, run, monkeypatch):
    env_for(neo4j_settings, monkeypatch)
    (mini_copy / "themes" / "trygghet.yaml").write_text("id: trygghet\nkind: tema\n", encoding="utf-8")
    result = run("neo4j", "sync", registry=mini_copy)
    assert result.exit_code == 1 and "registret har" in result.stderr
    assert counts(neo4j_driver, neo4j_settings.database) == (0, 0)


def test_pull_refuses_a_non_empty_directory(neo4j_settings, run, monkeypatch, tmp_path):
    env_for(neo4j_settings, monkeypatch)
    (tmp_path / "x").write_text("x")
    result = run("neo4j", "pull", "-o", str(tmp_path), registry=MINI)
    assert result.exit_code == 1 and "är inte tom" in result.stderr


def test_embedded_only_commands_say_so(neo4j_settings, run, monkeypatch, tmp_path):
    env_for(neo4j_settings, monkeypatch)
    result = run("--backend", "neo4j", "gaps", registry=MINI)
    assert result.exit_code == 1 and "bara för den inbyggda grafen" in result.stderr


def test_server_stopping_mid_sync_then_rerun_converges(tmp_path):
    """A real second server, stopped while a sync runs; restarted on the same data, the sync converges."""
    import os
    import secrets
    import subprocess
    import sys
    import time

    from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, connect

    from .neo4j_server import SCRIPT, _free_port

    env = dict(
        os.environ,
        NEO4J_PORT=str(_free_port()),
        NEO4J_PASSWORD=secrets.token_hex(12),
        SAMVERKAN_NEO4J_STATE=str(tmp_path / "state"),
        SAMVERKAN_NEO4J_KEEP="1",
    )
    uri = subprocess.run(
        [str(SCRIPT), "start"], env=env, check=True, capture_output=True, text=True, timeout=600
    ).stdout.split()[-1]
    settings = Neo4jSettings(uri, "neo4j", env["NEO4J_PASSWORD"])
    cli_env = dict(env, NEO4J_URI=uri, SAMVERKAN_REGISTRY=str(SEED_DIR), SAMVERKAN_CACHE="0")
    command = [sys.executable, "-c", "from samverkan.cli.main import main; main()", "neo4j", "sync", "--batch", "1"]
    try:
        running = subprocess.Popen(command, env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        driver = connect(settings)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if driver.execute_query("MATCH (n:Entity) RETURN count(n) AS c").records[0]["c"] > 20:
                break
            time.sleep(0.05)
        driver.close()
        subprocess.run([str(SCRIPT), "stop"], env=env, check=True, capture_output=True, timeout=120)
        out, err = running.communicate(timeout=120)
        assert running.returncode == 1, out + err
        lines = [line for line in err.strip().splitlines() if not line.startswith("Synkar")]  # the progress bar
        assert len(lines) == 1 and lines[0].startswith("Fel: ") and "Traceback" not in err
        assert env["NEO4J_PASSWORD"] not in out + err

        subprocess.run([str(SCRIPT), "start"], env=env, check=True, capture_output=True, timeout=600)
        driver = connect(settings)
        partial = driver.execute_query("MATCH (n:Entity) RETURN count(n) AS c, count(n.hash) AS h").records[0]
        assert partial["c"] > 0 and partial["c"] == partial["h"]  # every node written whole
        driver.close()
        again = subprocess.run(command[:-2], check=False, env=cli_env, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        final = subprocess.run(command[:-2], check=False, env=cli_env, capture_output=True, text=True, timeout=600)
        assert "Databasen är redan i takt med registret." in final.stdout
    finally:
        subprocess.run(
            [str(SCRIPT), "stop"],
            env=dict(env, SAMVERKAN_NEO4J_KEEP="0"),
            capture_output=True,
            timeout=120,
            check=False,
        )
