"""Popolo and csv round trips, imports of real-shaped Popolo files, and every way an import can be
refused without writing anything."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest

from samverkan.graphs.presentation.exports import export_files
from samverkan.graphs.presentation.exports.selection import export_graph
from samverkan.registry.importers.plan import plan_import
from samverkan.registry.importers.popolo import read_popolo
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry
from samverkan.registry.validate import validate_path

from .conftest import FIXTURES, MINI
from .export_helpers import seed_registry

EVERYTHING = Filters(include_proposed=True)
SCHEMA = json.loads((FIXTURES / "popolo" / "popolo.schema.json").read_text("utf-8"))


def _synth():
    spec = importlib.util.spec_from_file_location(
        "popolo_synth", Path(__file__).parents[1] / "bench" / "popolo_synth.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed():
    return seed_registry()


@pytest.fixture(scope="module")
def seed_popolo(seed, tmp_path_factory):
    path = tmp_path_factory.mktemp("popolo") / "malmo.json"
    path.write_bytes(export_files(export_graph(seed, EVERYTHING), "popolo").files[None])
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Real-shaped: several hundred organizations, thousands of memberships, shared names, people."""
    doc = _synth().generate(councils=20, seed=7)
    path = tmp_path_factory.mktemp("synth") / "kommuner.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path, doc


def _plain_ids(registry, categories):
    return {e.id for e in registry if e.category.value in categories}


# ---- popolo export -------------------------------------------------------------------------------


def test_popolo_export_follows_the_specification(seed, seed_popolo):
    import jsonschema

    doc = json.loads(seed_popolo.read_text("utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert {o["id"] for o in doc["organizations"]} == _plain_ids(seed, {"actor", "structure"})
    assert {a["id"] for a in doc["areas"]} == _plain_ids(seed, {"area"})
    participation = [(e.id, r) for e in seed for r in e.relations if r.type == "participates_in"]
    assert len(doc["memberships"]) == len(participation)
    source, rel = participation[len(participation) // 2]
    sample = next(m for m in doc["memberships"] if m["member"]["id"] == source and m["organization_id"] == rel.target)
    assert sample["role"] == rel.role.value
    ev = rel.evidence[0]
    assert sample["sources"][0]["note"] == ev.quote
    decisions = [e for e in seed if e.category.value == "decision"]
    assert {ev["id"] for ev in doc["events"]} == {d.id for d in decisions} | _plain_ids(seed, {"consultation"})
    assert {t["id"] for t in doc["themes"]} == _plain_ids(seed, {"theme"})
    assert {g["id"] for g in doc["target_groups"]} == _plain_ids(seed, {"group"})


def _without_provenance(data):
    if isinstance(data, dict):
        return {k: _without_provenance(v) for k, v in data.items() if k != "provenance"}
    if isinstance(data, list):
        return [_without_provenance(v) for v in data]
    return data


def _registry_data(root: Path) -> dict[str, dict]:
    """Every entity file's data (relations included) but provenance, by path."""
    import yaml

    return {path: _without_provenance(yaml.safe_load(text)) for path, text in _yaml_files(root).items()}


@pytest.mark.parametrize("fmt", ["popolo"])
def test_round_trip_gives_the_same_registry(run, seed, fmt, tmp_path):
    """export → import on the seed: the same entities, fields, relations and evidence; the import
    adds only provenance (which file and record each fact was read from). For csv the files come
    back byte for byte (test_csv_round_trip_gives_the_same_registry[seed])."""
    from samverkan.seed import SEED_DIR

    out = tmp_path / ("malmo.json" if fmt == "popolo" else "csv")
    assert run("export", fmt, "-o", str(out), "--include-proposed", registry=SEED_DIR).exit_code == 0
    result = run("import", fmt, str(out), "-o", str(tmp_path / "back"), "--json", registry=None)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["skipped"] == []
    back, original = _registry_data(tmp_path / "back"), _registry_data(SEED_DIR)
    assert sorted(back) == sorted(original)
    for path, data in original.items():
        assert back[path] == data, path
    relations = sum(len(d.get("relations", [])) for d in back.values())
    assert relations == sum(len(e.relations) for e in seed)
    if fmt == "popolo":  # every imported fact but a document says where it was read
        imported = load_registry(tmp_path / "back").registry
        assert all(e.provenance for e in imported if e.category.value != "document")
        assert all(r.provenance for e in imported for r in e.relations)


def test_popolo_import_command_and_validate(run, seed, seed_popolo, tmp_path):
    from samverkan.seed import SEED_DIR

    target = tmp_path / "reg"
    result = run("import", "popolo", str(seed_popolo), "-o", str(target), "--json", registry=None)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["applied"] and summary["added"] and summary["changed"] == []
    _, problems = validate_path(target)
    missing = {p.path for p in problems if not p.warning}  # the source texts do not travel
    assert missing == {f"documents/{e.id}.yaml" for e in seed if e.category.value == "document"}
    assert "dokumentens källtexter följer inte med" in summary["notes"][0]
    shutil.copytree(SEED_DIR / "sources", target / "sources")
    _, problems = validate_path(target)
    assert [p for p in problems if not p.warning] == []  # every quote stands in its source
    result = run("import", "popolo", str(seed_popolo), "--into", str(target), "--json", registry=None)
    assert json.loads(result.stdout)["added"] == [] and json.loads(result.stdout)["files"] == []
    result = run("--registry", str(target), "sources", "--json", registry=None)
    rows = json.loads(result.stdout)["results"]
    imported = next(r for r in rows if r["unquoted"])
    documents = len(missing)  # a document is its own source: it has no provenance
    assert imported["file"] == seed_popolo.name and imported["entities"] == len(summary["added"]) - documents


# ---- real-shaped files ---------------------------------------------------------------------------


def test_generated_file_is_real_shaped(generated):
    import jsonschema

    _, doc = generated
    jsonschema.validate(doc, SCHEMA)
    assert len(doc["organizations"]) >= 300
    assert len(doc["memberships"]) >= 1000
    assert _synth().generate(councils=20, seed=7) == doc


def test_import_real_shaped_file(generated, tmp_path):
    path, doc = generated
    read = read_popolo(path)
    organizations = len(doc["organizations"])
    org_members = [m for m in doc["memberships"] if "member" in m]
    assert len([e for e in read.entities if e.category.value in ("actor", "structure")]) == organizations
    participations = sum(1 for e in read.entities for r in e.relations if r.type == "participates_in")
    duplicates = sum(1 for s in read.skipped if "samma roll" in s)
    assert participations + duplicates == len(doc["memberships"])
    people = [e for e in read.entities if e.category.value == "person"]
    assert len(people) == len(doc["persons"])  # every councillor sits in a council
    assert {p.public_role.value for p in people} == {"förtroendevald"}
    without = read_popolo(path, persons=False)
    assert not [e for e in without.entities if e.category.value == "person"]
    assert sum(1 for s in without.skipped if "en person" in s) == len(doc["memberships"]) - len(org_members)
    plan = plan_import(tmp_path / "reg", read.entities, "popolo", into=False)
    from samverkan.registry.importers.plan import apply_import

    apply_import(plan)
    _, problems = validate_path(tmp_path / "reg")
    assert [str(p) for p in problems if not p.warning] == []
    names = [e.name for e in load_registry(tmp_path / "reg").registry if e.name.startswith("Finance Committee")]
    assert len(names) == 20 and len(set(names)) == 20  # told apart by their council


def test_second_import_updates_instead_of_duplicating(generated, tmp_path):
    path, doc = generated
    target = tmp_path / "reg"
    from samverkan.registry.importers.plan import apply_import

    apply_import(plan_import(target, read_popolo(path).entities, "popolo", into=False))
    newer = json.loads(json.dumps(doc))
    gone = newer["organizations"].pop()
    newer["memberships"] = [
        m for m in newer["memberships"] if gone["id"] not in (m["organization_id"], m.get("member", {}).get("id"))
    ]
    newer["organizations"][0]["name"] = "Ashford Borough Council"
    newer_path = tmp_path / "kommuner-2.json"
    newer_path.write_text(json.dumps(newer), encoding="utf-8")
    plan = plan_import(target, read_popolo(newer_path).entities, "popolo", into=True)
    assert plan.added == []
    from samverkan.registry.names import slugify

    council = newer["organizations"][0]["id"]
    children = {o["id"] for o in newer["organizations"] if o.get("parent_id") == council}
    members_of_gone = {m["member"]["id"] for m in doc["memberships"] if m["organization_id"] == gone["id"]}
    expected = {slugify(i) for i in {council} | children | members_of_gone}
    assert slugify(council) in plan.changed
    assert set(plan.changed) <= expected  # renamed council, names qualified by it, members of what is gone
    assert plan.would_remove == [slugify(gone["id"])]


# ---- refused imports -----------------------------------------------------------------------------


def _popolo(tmp_path: Path, doc) -> Path:
    path = tmp_path / "in.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


ORG = {"id": "o1", "name": "Finance Committee", "classification": "committee"}
FORUM = {"id": "f1", "name": "Youth Network", "classification": "network"}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ('{"organizations": [\n  {"id": "o1",, }]}', "in.json:2: ogiltig JSON"),
        (
            {"organizations": [{**ORG, "classification": "guild"}]},
            "organizations[0] (id 'o1'): okänd klassificering 'guild'",
        ),
        (
            {
                "organizations": [FORUM],
                "memberships": [
                    {"id": "m1", "organization_id": "nope", "member": {"@type": "Organization", "id": "f1"}}
                ],
            },
            "memberships[0] (id 'm1'): organization_id 'nope' finns inte",
        ),
        (
            {"organizations": [ORG, {**ORG, "name": "Other"}]},
            "organizations[1] (id 'o1'): id står två gånger (även organizations[0])",
        ),
        ({"organizations": [{**ORG, "parent_id": "x"}]}, "parent_id 'x' finns inte i filen"),
        ({"organizations": [{**ORG, "founding_date": "2024", "dissolution_date": "2020"}]}, "ligger före"),
    ],
    ids=["malformed", "classification", "missing-organization", "duplicate", "parent", "dates"],
)
def test_bad_popolo_is_refused_and_nothing_written(run, tmp_path, doc, message):
    path = _popolo(tmp_path, doc)
    target = tmp_path / "reg"
    result = run("import", "popolo", str(path), "-o", str(target), registry=None)
    assert result.exit_code == 1
    assert result.stderr.startswith("Fel: ")
    assert message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()


def test_people_only_in_a_public_role(tmp_path):
    doc = {
        "persons": [{"id": "p1", "name": "Anna Andersson"}, {"id": "p2", "name": "Bo Berg"}],
        "organizations": [ORG, {"id": "n1", "name": "Scouterna", "classification": "ngo"}],
        "memberships": [
            {"id": "m1", "person_id": "p1", "organization_id": "o1", "role": "chair"},
            {"id": "m2", "person_id": "p2", "organization_id": "n1", "role": "member"},
        ],
    }
    doc["organizations"].append({"id": "s", "name": "Socialdemokraterna", "classification": "party"})
    doc["memberships"][0]["on_behalf_of_id"] = "s"
    doc["memberships"].append({"id": "m3", "person_id": "p1", "organization_id": "o1", "role": "vice chair"})
    doc["memberships"].append({"id": "m4", "person_id": "p1", "organization_id": "o1", "role": "secretary"})
    read = read_popolo(_popolo(tmp_path, doc))
    person = next(e for e in read.entities if e.id == "p1")
    deltar = next(r for r in person.relations if r.target == "o1" and r.role.value == "deltar")
    assert deltar.note == "Rollen i källan: vice chair, secretary"
    assert [p.record for p in deltar.provenance] == ["m3", "m4"]
    assert any(r.target == "s" for r in person.relations)  # on behalf of a party: takes part in it
    person.relations = [r for r in person.relations if r.target == "o1" and r.role.value == "leder"]
    assert (person.kind.value, person.public_role.value) == ("person", "förtroendevald")
    assert [(r.target, r.role.value) for r in person.relations] == [("o1", "leder")]
    assert "p2" not in {e.id for e in read.entities}
    assert any("ingen offentlig roll" in s for s in read.skipped)


def test_mapping_file_names_unknown_classifications(run, tmp_path):
    path = _popolo(tmp_path, {"organizations": [{**ORG, "classification": "guild"}]})
    mapping = tmp_path / "map.yaml"
    mapping.write_text("guild: civilsamhälle\n", encoding="utf-8")
    result = run("import", "popolo", str(path), "-o", str(tmp_path / "reg"), "--mapping", str(mapping), registry=None)
    assert result.exit_code == 0, result.output
    assert load_registry(tmp_path / "reg").registry.get("o1").kind.value == "civilsamhälle"


def test_a_huge_file_is_refused_before_reading(run, tmp_path):
    path = tmp_path / "stor.json"
    with path.open("wb") as fh:
        fh.truncate(1024**3)  # 1 GB, sparse: nothing is really written
    result = run("import", "popolo", str(path), "-o", str(tmp_path / "reg"), registry=None)
    assert result.exit_code == 1
    assert "gränsen" in result.stderr and "1074 MB" in result.stderr


def test_dry_run_writes_nothing(run, seed_popolo, tmp_path):
    result = run("import", "popolo", str(seed_popolo), "-o", str(tmp_path / "reg"), "--dry-run", registry=None)
    assert result.exit_code == 0
    assert "skulle skriva" in result.stdout
    assert not (tmp_path / "reg").exists()


def test_a_failed_write_leaves_the_registry_as_it_was(mini_copy, tmp_path):
    from samverkan.registry import journal
    from samverkan.registry.errors import WriteError
    from samverkan.registry.importers.plan import apply_import

    path = _popolo(
        tmp_path,
        {
            "organizations": [ORG, FORUM],
            "memberships": [{"id": "m", "organization_id": "f1", "member": {"@type": "Organization", "id": "o1"}}],
        },
    )
    before = {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()}
    plan = plan_import(mini_copy, read_popolo(path).entities, "popolo", into=True)
    assert len(plan.changes) == 2
    steps = []

    def fail(label: str) -> None:
        steps.append(label)
        if len(steps) == 2:  # after the first file is written
            raise OSError(28, "No space left on device")

    journal.fault_hook = fail
    try:
        with pytest.raises(WriteError, match="inget ändrades"):
            apply_import(plan)
    finally:
        journal.fault_hook = None
    assert {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()} == before
    new = tmp_path / "ny"
    plan = plan_import(new, read_popolo(path).entities, "popolo", into=False)
    journal.fault_hook = fail
    steps.clear()
    try:
        with pytest.raises(WriteError):
            apply_import(plan)
    finally:
        journal.fault_hook = None
    assert not new.exists()


# ---- csv -----------------------------------------------------------------------------------------


def _yaml_files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text("utf-8")
        for p in root.rglob("*.yaml")
        if p.relative_to(root).parts[0] not in ("sources", "reviews")
    }


@pytest.mark.parametrize("registry_dir", [MINI, None], ids=["mini", "seed"])
def test_csv_round_trip_gives_the_same_registry(run, tmp_path, registry_dir):
    from samverkan.seed import SEED_DIR

    root = registry_dir or SEED_DIR
    exported = tmp_path / "csv"
    graph = export_graph(load_registry(root).registry, EVERYTHING)
    for name, data in export_files(graph, "csv").files.items():
        exported.mkdir(exist_ok=True)
        (exported / name).write_bytes(data)
    result = run("import", "csv", str(exported), "-o", str(tmp_path / "back"), registry=None)
    assert result.exit_code == 0, result.output
    assert _yaml_files(tmp_path / "back") == _yaml_files(root)


def test_csv_edited_in_a_spreadsheet_comes_back_with_provenance(run, mini_copy, tmp_path):
    exported = tmp_path / "csv"
    run("export", "csv", "-o", str(exported), "--include-proposed", "--separator", ",", registry=mini_copy)
    nodes = (exported / "noder.csv").read_text("utf-8-sig")
    nodes += (
        "ny-grupp,structure,arbetsgrupp,Ny arbetsgrupp för Ö-staden"
        + "," * (nodes.split("\n")[0].count(",") - 3)
        + "\r\n"
    )
    (exported / "noder.csv").write_text("\ufeff" + nodes, encoding="utf-8")
    result = run("import", "csv", str(exported), "--into", str(mini_copy), "--json", registry=None)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == ["ny-grupp"]
    entity = load_registry(mini_copy).registry.get("ny-grupp")
    assert entity.provenance[0].file == "noder.csv" and not entity.evidence
    _, problems = validate_path(mini_copy)
    assert [p for p in problems if not p.warning] == []


def test_csv_problems_name_file_line_and_column(run, tmp_path):
    exported = tmp_path / "csv"
    exported.mkdir()
    (exported / "noder.csv").write_text("\ufeffid;kind;name\na;nämnd;A\na;nämnd;B\nb;flygplan;C\n", encoding="utf-8")
    (exported / "kanter.csv").write_text("\ufeffsource;target;type\nzz;a;part_of\n", encoding="utf-8")
    result = run("import", "csv", str(exported), "-o", str(tmp_path / "reg"), registry=None)
    assert result.exit_code == 1
    assert "noder.csv:3: id: 'a' står två gånger (även rad 2)" in result.stderr
    assert "(och 2 problem till)" in result.stderr
    assert not (tmp_path / "reg").exists()
    shutil.rmtree(exported)
    os.makedirs(exported)
    result = run("import", "csv", str(exported), "-o", str(tmp_path / "reg"), registry=None)
    assert result.exit_code == 1 and "noder.csv" in result.stderr


# ---- a real file ---------------------------------------------------------------------------------


def test_a_real_popolo_file_of_local_councillors(run, tmp_path):
    """OpenAustralia's Tasmanian local councillors, trimmed to three councils (CC BY-SA 4.0, see
    tests/fixtures/popolo/README.md): councils and parties become actors, councillors
    förtroendevalda in their council and party, the file's two Greens (`party/_greens`,
    `party/greens`) two parties, and a second import changes nothing."""
    path = FIXTURES / "popolo" / "tas-local-councillors.json"
    doc = json.loads(path.read_text("utf-8"))
    target = tmp_path / "tas"
    result = run("import", "popolo", str(path), "-o", str(target), "--json", registry=None)
    assert result.exit_code == 0, result.output
    _, problems = validate_path(target)
    assert [str(p) for p in problems if not p.warning] == []
    registry = load_registry(target).registry
    kinds = sorted(e.kind.value for e in registry if e.category.value == "actor")
    assert kinds == ["kommunfullmäktige"] * 3 + ["politiskt_parti"] * 4
    people = [e for e in registry if e.category.value == "person"]
    assert len(people) == len(doc["persons"]) == 31
    assert {p.public_role.value for p in people} == {"förtroendevald"}
    greens = sorted(e.id for e in registry if e.name.startswith("Greens"))
    assert len(greens) == 2 and all(g.startswith("party-greens-") for g in greens)
    hobart = "legislature-hobart-city-council"
    roles = sorted(r.role.value for p in people for r in p.relations if r.target == hobart)
    councillors = sum(
        m == {**m, "organization_id": "legislature/hobart_city_council", "role": "councillor"}
        for m in doc["memberships"]
    )
    # the Lord Mayor leads; the Deputy Mayor's second membership is merged into the councillor one
    assert roles == ["deltar"] * councillors + ["leder"]
    deputy = [r.note for p in people for r in p.relations if r.note and "Deputy Mayor" in r.note]
    assert len(deputy) == sum(m["role"] == "Deputy Mayor" for m in doc["memberships"])
    again = run("import", "popolo", str(path), "--into", str(target), "--json", registry=None)
    assert json.loads(again.stdout)["added"] == [] and json.loads(again.stdout)["changed"] == []
