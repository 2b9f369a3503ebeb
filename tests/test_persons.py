"""People: only in a public role, left out of queries and views unless asked, exported unless
--no-persons, and forgotten completely with `samverkan forget`."""

from __future__ import annotations

import json
import re

import pytest

from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.graphs.presentation.exports import export_files
from samverkan.graphs.presentation.exports.selection import export_graph
from samverkan.registry.diff import diff_entities
from samverkan.registry.models import validate_entity
from samverkan.registry.store import load_registry
from samverkan.registry.validate import validate_path

from .export_helpers import write_registry_with_a_person


@pytest.fixture
def with_person(tmp_path):
    return write_registry_with_a_person(tmp_path / "reg")


def _all_text(root) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(root.rglob("*.yaml")))


def test_a_person_needs_a_public_role():
    with pytest.raises(ValueError, match="public_role"):
        validate_entity({"id": "x", "kind": "person", "name": "X"})
    with pytest.raises(ValueError, match="public_role"):
        validate_entity({"id": "x", "kind": "person", "name": "X", "public_role": "privatperson"})


def test_the_registry_with_a_person_is_valid(with_person):
    _, problems = validate_path(with_person)
    assert [str(p) for p in problems if not p.warning] == []


def test_people_are_shown_only_when_asked(with_person):
    registry = load_registry(with_person).registry
    backend = EmbeddedBackend(registry)
    assert "anna-andersson" not in backend.graph
    assert "anna-andersson" not in {r.id for r in backend.who("örat-mot-marken")}
    assert "anna-andersson" in export_graph(registry)
    assert "anna-andersson" not in export_graph(registry, persons=False)


def test_naming_a_person_is_asking_for_them(run, with_person):
    result = run("show", "Anna Andersson", registry=with_person)
    assert result.exit_code == 0, result.output
    assert "offentlig roll: förtroendevald" in result.stdout and "uppdrag: ordförande" in result.stdout
    assert "är en person och visas bara när hen efterfrågas" in result.stderr
    assert "Anna Andersson" not in run("who", "Örat mot marken", registry=with_person).stdout
    assert "Anna Andersson" not in run("list", registry=with_person).stdout


def _ids(result, key: str = "results") -> set[str]:
    assert result.exit_code == 0, result.output
    return {row["id"] for row in json.loads(result.stdout)[key]}


def _view_ids(page: str) -> set[str]:
    data = re.search(r'<script type="application/json" id="samverkan-data">(.*?)</script>', page, re.S)
    assert data is not None
    return {node["id"] for node in json.loads(data.group(1))["nodes"]}


def test_include_persons_lists_and_draws_people(run, with_person, tmp_path):
    for flag, shown in (((), False), (("--include-persons",), True)):
        assert ("anna-andersson" in _ids(run("list", "--json", *flag, registry=with_person))) is shown
        assert ("anna-andersson" in _ids(run("who", "Örat mot marken", "--json", *flag, registry=with_person))) is shown
        view, report = tmp_path / f"vy{len(flag)}.html", tmp_path / f"rapport{len(flag)}.html"
        assert run("render", "full", "-o", str(view), *flag, registry=with_person).exit_code == 0
        assert ("anna-andersson" in _view_ids(view.read_text("utf-8"))) is shown
        assert run("report", "-o", str(report), *flag, registry=with_person).exit_code == 0
        page = report.read_text("utf-8")
        assert ("Personer (i en offentlig roll)" in page) is shown  # the report's counts
        assert shown or "Andersson" not in page


def test_a_person_as_a_filter_or_path_end_needs_the_flag(run, with_person):
    result = run("path", "Örat mot marken", "Anna Andersson", registry=with_person)
    assert result.exit_code == 1
    assert result.stderr == "Fel: Anna Andersson (anna-andersson) är en person och räknas bara med --include-persons\n"
    result = run("path", "Örat mot marken", "Anna Andersson", "--include-persons", "--json", registry=with_person)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["paths"][0]["steps"][0]["from"]["id"] == "anna-andersson"


def test_changes_leave_people_out_unless_asked(with_person):
    entities = load_registry(with_person).registry.entities
    for persons, shown in ((False, False), (True, True)):
        changes = diff_entities({}, dict(entities), persons=persons)
        added = {e["id"] for e in changes["entities"]["added"]}
        ends = {r[end]["id"] for r in changes["relations"]["added"] for end in ("source", "target")}
        assert ("anna-andersson" in added) is shown and ("anna-andersson" in ends) is shown
        plus = next(e for e in changes["entities"]["added"] if e["id"] == "plus")  # report --since shows it
        assert len(plus["evidence"]) == (2 if shown else 1)
        assert ("Anna Andersson" in json.dumps(changes, ensure_ascii=False)) is shown


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "gexf", "graphml", "popolo", "ftm", "kumu", "cypher"])
def test_no_persons_on_every_export(run, with_person, tmp_path, fmt):
    out = tmp_path / f"ut.{fmt}"
    result = run("export", fmt, "-o", str(out), "--no-persons", registry=with_person)
    assert result.exit_code == 0, result.output
    data = b"".join(p.read_bytes() for p in ([out] if out.is_file() else sorted(out.iterdir())))
    if fmt != "xlsx":
        assert b"Anna Andersson" not in data and b"anna-andersson" not in data
    run("export", fmt, "-o", str(tmp_path / f"med.{fmt}"), registry=with_person)
    assert (tmp_path / f"med.{fmt}").exists()


def test_popolo_export_has_the_person(with_person):
    doc = json.loads(export_files(export_graph(load_registry(with_person).registry), "popolo").files[None])
    assert [p["name"] for p in doc["persons"]] == ["Anna Andersson"]
    membership = next(m for m in doc["memberships"] if m.get("person_id") == "anna-andersson")
    assert membership["role"] == "leder"


def test_forget_removes_every_mention_in_one_write(run, with_person):
    result = run("forget", "Anna Andersson", "--json", registry=with_person)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["removed"][0] == "anna-andersson: personen"
    assert "plus: 1 citat" in summary["removed"]
    assert any("skript: relationen reports_to till minus" in r for r in summary["removed"])
    assert summary["sources_naming"] == ["protokoll"]
    text = _all_text(with_person)
    assert "Anna Andersson" not in text and "anna-andersson" not in text
    assert not (with_person / "persons" / "anna-andersson.yaml").exists()
    _, problems = validate_path(with_person)
    assert [str(p) for p in problems if not p.warning] == []
    assert load_registry(with_person).registry.get("plus").evidence  # its other quote stays


def test_forget_dry_run_and_refusals(run, with_person):
    before = _all_text(with_person)
    result = run("forget", "anna-andersson", "--dry-run", registry=with_person)
    assert result.exit_code == 0 and "skulle glömmas" in result.stdout
    assert _all_text(with_person) == before
    result = run("forget", "Örat mot marken", registry=with_person)
    assert result.exit_code == 1 and "ingen person" in result.stderr
    assert _all_text(with_person) == before


def test_forget_is_all_or_nothing(with_person):
    from samverkan.registry import journal
    from samverkan.registry.errors import WriteError
    from samverkan.registry.forget import apply_forget, plan_forget

    before = {p: p.read_bytes() for p in with_person.rglob("*") if p.is_file()}
    plan = plan_forget(load_registry(with_person).registry, "anna-andersson")
    steps = []

    def fail(label: str) -> None:
        steps.append(label)
        if len(steps) == 3:  # after two files are written
            raise OSError(28, "No space left on device")

    journal.fault_hook = fail
    try:
        with pytest.raises(WriteError, match="inget ändrades"):
            apply_forget(plan)
    finally:
        journal.fault_hook = None
    assert {p: p.read_bytes() for p in with_person.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("fmt", ["csv", "popolo"])
def test_round_trip_keeps_the_person(run, with_person, tmp_path, fmt):
    import yaml

    assert run("export", fmt, "-o", str(tmp_path / "ut"), registry=with_person).exit_code == 0
    result = run("import", fmt, str(tmp_path / "ut"), "-o", str(tmp_path / "back"), registry=None)
    assert result.exit_code == 0, result.output
    back = yaml.safe_load((tmp_path / "back" / "persons" / "anna-andersson.yaml").read_text("utf-8"))
    if fmt == "popolo":  # the import records where it read each fact
        assert back.pop("provenance")[0]["record"] == "anna-andersson"
        assert back["relations"][0].pop("provenance")
    assert back == yaml.safe_load((with_person / "persons" / "anna-andersson.yaml").read_text("utf-8"))


def test_neo4j_leaves_people_out_as_the_embedded_graph_does(
    run, with_person, neo4j_driver, neo4j_settings, monkeypatch
):
    for name, value in (
        ("NEO4J_URI", neo4j_settings.uri),
        ("NEO4J_USER", neo4j_settings.user),
        ("NEO4J_PASSWORD", neo4j_settings.password),
        ("NEO4J_DATABASE", neo4j_settings.database),
    ):
        monkeypatch.setenv(name, value)
    assert run("neo4j", "sync", registry=with_person).exit_code == 0
    queries = [
        ("who", "Örat mot marken", "--json"),
        ("show", "Anna Andersson", "--json"),
        ("show", "Plus", "--json"),  # a quote naming her: left out on both backends unless asked
        ("where", "Anna Andersson", "--json"),
        ("list", "--json"),
        ("path", "Örat mot marken", "Anna Andersson", "--json"),
    ]
    for flag in ((), ("--include-persons",)):
        for args in queries:
            embedded = run(*args, *flag, registry=with_person)
            neo4j = run("--backend", "neo4j", *args, *flag, registry=with_person)
            assert neo4j.exit_code == embedded.exit_code, neo4j.output
            assert (neo4j.stdout, neo4j.stderr) == (embedded.stdout, embedded.stderr), (args, flag)
        listed = run("--backend", "neo4j", "list", "--json", *flag, registry=with_person).stdout
        assert ("anna-andersson" in listed) is bool(flag)


def _site_text(root) -> str:
    pages = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".js"))
    return "\n".join(p.read_text("utf-8") for p in pages)


def test_quotes_naming_a_person_show_only_with_the_flag(run, with_person, tmp_path):
    """Plus's second quote and the only quote of skript's reports-to name Anna Andersson: without
    --include-persons they are left out of every listing, view, report and website (the fact stays)."""
    for flag, shown in (((), False), (("--include-persons",), True)):
        for args in (("show", "Plus"), ("show", "Plus", "--json"), ("show", "skript", "--json")):
            result = run(*args, *flag, registry=with_person)
            assert result.exit_code == 0, result.output
            assert ("Anna Andersson" in result.stdout) is shown, (args, flag)
        skript = json.loads(run("show", "skript", "--json", *flag, registry=with_person).stdout)
        assert any(r["type"] == "reports_to" for r in skript["relations"])  # the fact stays
        view, report = tmp_path / f"vy{len(flag)}.html", tmp_path / f"rapport{len(flag)}.html"
        assert run("render", "full", "-o", str(view), *flag, registry=with_person).exit_code == 0
        assert run("report", "-o", str(report), *flag, registry=with_person).exit_code == 0
        site = tmp_path / f"site{len(flag)}"
        assert run("site", "-o", str(site), *flag, registry=with_person).exit_code == 0, site
        assert ("Föreningen Plus leds av Anna" in view.read_text("utf-8")) is shown  # in the node's tooltip
        assert shown or "Andersson" not in report.read_text("utf-8")  # the report reads the same graph
        pages = _site_text(site)
        assert ("Föreningen Plus leds av Anna" in pages) is shown
        # the source text is shown whole, with the name blacked out letter for letter
        assert ("Föreningen Plus leds av ████ █████████." in pages) is not shown
    registry = load_registry(with_person).registry
    assert len(EmbeddedBackend(registry).graph.nodes["plus"]["evidence"]) == 1  # the library, not only the CLI


def test_diff_leaves_people_out_unless_asked(run, with_person, tmp_path):
    empty = tmp_path / "tom"
    (empty / "actors").mkdir(parents=True)
    for flags, shown in (([], False), (["--include-persons"], True)):
        result = run("diff", str(empty), str(with_person), "--json", *flags)
        assert result.exit_code == 0, result.output
        assert ("Anna Andersson" in result.output) is shown
