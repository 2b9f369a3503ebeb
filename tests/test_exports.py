"""Exports read back by someone else's reader: Python's csv with the same dialect, openpyxl,
networkx's GEXF and GraphML readers. Counts and a sample of values are compared with the registry."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from samverkan.graphs.presentation.exports import export_files
from samverkan.graphs.presentation.exports.selection import export_graph
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR

from .conftest import MINI
from .export_helpers import HOSTILE_NAMES, seed_registry, write_hostile_registry

EVERYTHING = Filters(include_proposed=True)


@pytest.fixture(scope="module")
def seed():
    return seed_registry()


@pytest.fixture(scope="module")
def seed_graph(seed):
    return export_graph(seed, EVERYTHING)


def _relations(registry):
    return [(e.id, r) for e in registry for r in e.relations]


def _read_csv(data: bytes, separator: str = ";") -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=separator))


# ---- csv ---------------------------------------------------------------------------------------


def test_csv_counts_and_values_match_the_seed(seed, seed_graph):
    files = export_files(seed_graph, "csv", split=True).files
    nodes, edges = _read_csv(files["noder.csv"]), _read_csv(files["kanter.csv"])
    assert len(nodes) == len(seed)
    assert len(edges) == len(_relations(seed))
    by_id = {row["id"]: row for row in nodes}
    for entity in list(seed)[::25]:
        row = by_id[entity.id]
        assert (row["name"], row["kind"], row["status"]) == (entity.name, entity.kind.value, entity.status.value)
        if entity.evidence:
            first = entity.evidence[0]
            assert (row["evidence_1_source"], row["evidence_1_quote"]) == (first.source, first.quote)
            assert row["evidence_1_page"] == (str(first.page) if first.page else "")
    per_type = {name: _read_csv(data) for name, data in files.items() if name.startswith("kanter-")}
    assert sum(len(rows) for rows in per_type.values()) == len(edges)
    assert {row["type"] for row in per_type["kanter-participates_in.csv"]} == {"participates_in"}


def test_csv_other_separator():
    graph = export_graph(load_registry(MINI).registry)
    data = export_files(graph, "csv", separator=",").files["noder.csv"]
    rows = _read_csv(data, ",")
    assert {r["name"] for r in rows} >= {"Örat mot marken", "Region Skåne"}


def test_csv_cells_are_not_formulas(tmp_path):
    registry = load_registry(write_hostile_registry(tmp_path)).registry
    rows = _read_csv(export_files(export_graph(registry), "csv").files["noder.csv"])
    names = {r["id"]: r["name"] for r in rows}
    for ident, name in HOSTILE_NAMES.items():
        assert not names[ident].startswith(("=", "+", "-", "@"))
        assert names[ident].lstrip("'") == name.lstrip("'")
    assert names["skript"] == HOSTILE_NAMES["skript"]
    assert names["apostrof"] == "''=redan skyddad"


def test_export_is_deterministic(seed):
    for fmt in ("csv", "xlsx", "gexf", "graphml", "popolo", "ftm", "kumu", "cypher"):
        first = export_files(export_graph(seed, EVERYTHING), fmt, split=True).files
        assert export_files(export_graph(seed, EVERYTHING), fmt, split=True).files == first, fmt


# ---- xlsx --------------------------------------------------------------------------------------


def test_xlsx_read_by_openpyxl(seed, seed_graph, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "malmo.xlsx"
    path.write_bytes(export_files(seed_graph, "xlsx").files[None])
    book = load_workbook(path)
    categories = {"aktörer": "actor", "strukturer": "structure", "områden": "area", "dokument": "document"}
    for sheet, category in categories.items():
        ws = book[sheet]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        assert ws.max_row - 1 == sum(1 for e in seed if e.category.value == category)
    participation = [r for _, r in _relations(seed) if r.type == "participates_in"]
    assert book["participates_in"].max_row - 1 == len(participation)
    header = [c.value for c in book["aktörer"][1]]
    sheet = book["aktörer"].iter_rows(min_row=2, values_only=True)
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in sheet}
    actor = next(e for e in seed if e.category.value == "actor" and "ö" in e.name)
    assert rows[actor.id]["name"] == actor.name
    positions = [r for _, r in _relations(seed) if r.type == "position"]
    assert book["ställningstaganden"].max_row - 1 == len(positions)
    sources = {row[0]: row for row in book["källor"].iter_rows(min_row=2, values_only=True)}
    assert set(sources) == {e.id for e in seed if e.category.value == "document"}


def test_xlsx_names_stay_text(tmp_path):
    from openpyxl import load_workbook

    registry = load_registry(write_hostile_registry(tmp_path / "reg")).registry
    path = tmp_path / "x.xlsx"
    path.write_bytes(export_files(export_graph(registry), "xlsx").files[None])
    ws = load_workbook(path)["aktörer"]
    cells = {row[0].value: row[3] for row in ws.iter_rows(min_row=2)}
    assert cells["formel"].value == HOSTILE_NAMES["formel"]
    assert cells["formel"].data_type == "s"


# ---- gexf and graphml ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_formats_read_by_networkx(fmt, seed, seed_graph, tmp_path):
    path = tmp_path / f"malmo.{fmt}"
    path.write_bytes(export_files(seed_graph, fmt).files[None])
    read = nx.read_gexf(path, version="1.3") if fmt == "gexf" else nx.read_graphml(path)
    assert read.number_of_nodes() == len(seed)
    assert read.number_of_edges() == len(_relations(seed))
    for entity in list(seed)[::20]:
        data = read.nodes[entity.id]
        assert data["label"] == entity.name
        assert (data["kind"], data["status"], data["category"]) == (
            entity.kind.value,
            entity.status.value,
            entity.category.value,
        )
        assert data["evidence_count"] == len(entity.evidence)
    entity = max(seed, key=lambda e: (sum(r.type == "participates_in" for r in e.relations), e.id))
    roles = sorted(d["role"] for u, v, d in read.edges(data=True) if d["type"] == "participates_in" and u == entity.id)
    assert len(roles) > 3
    assert roles == sorted(r.role.value for r in entity.relations if r.type == "participates_in")


def test_gexf_validity_is_a_spell(tmp_path):
    registry = load_registry(write_hostile_registry(tmp_path / "reg")).registry
    path = tmp_path / "x.gexf"
    path.write_bytes(export_files(export_graph(registry), "gexf").files[None])
    read = nx.read_gexf(path, version="1.3")
    assert read.graph["mode"] == "dynamic"
    assert read.nodes["örat-mot-marken"]["spells"][0][0] == "2024-03-01"  # open end
    (_, _, edge), *_ = read.edges("formel", data=True)
    assert edge["spells"] == [("2024-01-01", "2025-06-30")]
    assert read.nodes["skript"]["label"] == HOSTILE_NAMES["skript"]


def test_filters_select_what_views_select():
    registry = load_registry(MINI).registry
    graph = export_graph(registry, Filters(include_proposed=True), area="rosengård")
    assert "örat-mot-marken" in graph and "polisen" in graph
    assert "protokoll" in graph  # the source of what is kept
    assert "sbum" not in graph
    assert "samverkansplattform" not in export_graph(registry)  # proposed
    without = export_graph(registry, kinds=["nämnd"])
    assert {d["kind"] for _, d in without.nodes(data=True)} == {"nämnd", "dokument"}


# ---- the command ---------------------------------------------------------------------------------


def test_export_command(run, tmp_path):
    result = run("export", "csv", "-o", str(tmp_path / "ut"), "--split", "--json", "--include-proposed")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "csv" and data["nodes"] == len(load_registry(MINI).registry)
    assert sorted(p.rsplit("/", 1)[1] for p in data["files"])[-2:] == ["kanter.csv", "noder.csv"]
    result = run("export", "graphml", "-o", str(tmp_path / "g.graphml"), "--area", "Rosengard", "--include-proposed")
    assert result.exit_code == 0
    assert "noder" in result.stdout


def test_export_command_errors(run, tmp_path):
    result = run("export", "gexf", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Fel: ") and "katalog" in result.stderr
    result = run("export", "csv", "-o", str(tmp_path / "x"), "--separator", ";;")
    assert result.exit_code == 2
    result = run("export", "csv", "-o", str(tmp_path / "x"), "--area", "Atlantis")
    assert result.exit_code == 1
    assert not (tmp_path / "x").exists()


# ---- ftm, kumu, cypher ---------------------------------------------------------------------------


def test_ftm_read_by_the_followthemoney_model(seed, seed_graph):
    from followthemoney import model

    lines = export_files(seed_graph, "ftm").files[None].decode("utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities)
    for entity in entities:
        proxy = model.get_proxy(entity, cleaned=False)  # unknown schema or property: an error
        for prop in proxy.iterprops():
            for value in entity["properties"][prop.name]:
                assert prop.type.clean(value) is not None, (entity["schema"], prop.name, value)
                if prop.type.name == "entity":
                    assert model.get(by_id[value]["schema"]).is_a(prop.range), (prop.name, value)
    schemas = [e["schema"] for e in entities]
    things = len(seed)
    evidence = sum(len(e.evidence) for e in seed)
    assert len(entities) == things + evidence + len(_relations(seed))
    participation = [(s, r) for s, r in _relations(seed) if r.type == "participates_in"]
    assert schemas.count("Membership") == len(participation)
    board = next(e for e in seed if e.kind.value == "nämnd")
    proxy = model.get_proxy(next(e for e in entities if e["properties"].get("name") == [board.name]))
    assert proxy.schema.name == "PublicBody" and proxy.first("classification") == "nämnd"


def test_kumu_blueprint(seed, seed_graph):
    blueprint = json.loads(export_files(seed_graph, "kumu").files[None])
    assert len(blueprint["elements"]) == len(seed)
    assert len(blueprint["connections"]) == len(_relations(seed))
    labels = {e["label"] for e in blueprint["elements"]}
    assert len(labels) == len(seed)  # connections refer to elements by label
    assert all(c["from"] in labels and c["to"] in labels for c in blueprint["connections"])
    sbum = next(e for e in blueprint["elements"] if e["samverkan id"] == "sbum")
    assert (sbum["label"], sbum["type"]) == (seed.get("sbum").name, seed.get("sbum").kind.value)


def _run_cypher_script(driver, database: str, script: str) -> int:
    """Run a script as cypher-shell runs it (cypher-shell itself is not on Maven Central, and the
    Neo4j distribution that has it is not fetched by the tests): `:param name => expression` has
    the server evaluate the expression and keeps the value as a parameter, `//` lines are
    comments, and every statement up to its `;` is sent to the server with the parameters set so
    far. Returns how many statements ran."""
    params: dict = {}
    statement: list[str] = []
    ran = 0
    for line in script.splitlines():
        if not statement and line.startswith(":param "):
            name, expression = line.removeprefix(":param ").split(" => ", 1)
            params[name] = driver.execute_query(f"RETURN {expression} AS v", database_=database).records[0]["v"]
        elif statement or (line.strip() and not line.startswith("//")):
            statement.append(line)
            if line.rstrip().endswith(";"):
                driver.execute_query("\n".join(statement).rstrip().removesuffix(";"), params, database_=database)
                statement, ran = [], ran + 1
    assert not statement, "a statement without its ';'"
    return ran


_NODE_PROPS = ("name", "kind", "category", "status", "short_name", "aliases")
_REL_PROPS = ("role", "stance", "question", "status")


def _database_graph(driver, database: str) -> tuple[dict, dict]:
    """What a database holds of the registry: each node's labels and main properties by id, each
    relationship's type, ends and main properties by key."""
    nodes = driver.execute_query(
        "MATCH (n:Entity) RETURN n.id AS id, labels(n) AS labels, n AS n", database_=database
    ).records
    rels = driver.execute_query(
        "MATCH (a:Entity)-[r]->(b:Entity) RETURN r.key AS key, type(r) AS type, a.id AS a, b.id AS b, r AS r",
        database_=database,
    ).records
    return (
        {r["id"]: (sorted(r["labels"]), *(r["n"].get(p) for p in _NODE_PROPS)) for r in nodes},
        {r["key"]: (r["type"], r["a"], r["b"], *(r["r"].get(p) for p in _REL_PROPS)) for r in rels},
    )


@pytest.mark.parametrize(
    "registry_dir",
    [MINI, "hostile", pytest.param(SEED_DIR, marks=pytest.mark.slow)],
    ids=["mini", "hostile", "seed"],
)
def test_cypher_script_recreates_what_neo4j_sync_writes(registry_dir, neo4j_driver, neo4j_settings, tmp_path):
    """The script, run statement by statement against the real test server, gives the graph
    `samverkan neo4j sync` writes: the same nodes with the same labels and properties, the same
    relationships with the same types, ends and properties; a second run changes nothing. (On the
    seed the server takes tens of seconds to parse the parameter literals.)"""
    from samverkan.graphs.backends.neo4j_sync import sync

    if registry_dir == "hostile":
        registry_dir = write_hostile_registry(tmp_path / "reg")
    seed = load_registry(registry_dir).registry
    db = neo4j_settings.database
    script = export_files(export_graph(seed, EVERYTHING), "cypher").files[None].decode("utf-8")
    assert all(line.startswith((":param", "UNWIND", "CREATE CONSTRAINT", "//")) for line in script.splitlines())
    statements = _run_cypher_script(neo4j_driver, db, script)
    assert statements == script.count("\nUNWIND ") + 1
    from_script = _database_graph(neo4j_driver, db)
    _run_cypher_script(neo4j_driver, db, script)  # MERGE: a second run changes nothing
    assert _database_graph(neo4j_driver, db) == from_script
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=db)
    sync(neo4j_driver, db, seed)
    from_sync = _database_graph(neo4j_driver, db)
    nodes, rels = from_script
    assert len(nodes) == len(seed) and len(rels) == len(_relations(seed))
    assert (len(from_sync[0]), len(from_sync[1])) == (len(nodes), len(rels))
    assert nodes == from_sync[0]
    assert rels == from_sync[1]
    some = sorted(nodes)[len(nodes) // 2]
    assert nodes[some][1:3] == (seed.get(some).name, seed.get(some).kind.value)


def test_cypher_values_are_parameters(tmp_path, neo4j_driver, neo4j_settings):
    registry = load_registry(write_hostile_registry(tmp_path / "reg")).registry
    script = export_files(export_graph(registry), "cypher").files[None].decode("utf-8")
    for name in HOSTILE_NAMES.values():
        for line in script.splitlines():
            if not line.startswith(":param"):
                assert name not in line
    _run_cypher_script(neo4j_driver, neo4j_settings.database, script)
    names = neo4j_driver.execute_query("MATCH (n:Actor) RETURN n.name AS name", database_=neo4j_settings.database)
    assert {r["name"] for r in names.records} == set(HOSTILE_NAMES.values())
