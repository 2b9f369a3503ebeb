"""The file store: canonical bytes, round trips, atomic writes, and `fmt`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.registry.format import format_registry
from samverkan.registry.models import validate_entity
from samverkan.registry.store import load_registry, write_entity
from samverkan.registry.yamlio import dump_entity, entity_to_data, load_yaml

from .conftest import MINI


def test_mini_registry_files_are_canonical():
    assert format_registry(MINI, write=False) == []


def test_load_dump_load_gives_the_same_bytes(mini_copy):
    before = {p: p.read_bytes() for p in mini_copy.rglob("*.yaml")}
    registry = load_registry(mini_copy).registry
    for entity in registry:
        write_entity(mini_copy, entity)
    after = {p: p.read_bytes() for p in mini_copy.rglob("*.yaml")}
    assert after == before


def test_fmt_fills_pages_sorts_relations_and_drops_defaults(mini_copy, run):
    path = mini_copy / "actors" / "polisen.yaml"
    path.write_text(
        "kind: statlig_myndighet\nid: polisen\nname: Polismyndigheten\nshort_name: Polisen\n"
        "status: befintlig\nevidence:\n- source: protokoll\n  quote: där polisen och Region Skåne deltar\n"
        "relations:\n- type: participates_in\n  target: örat-mot-marken\n  role: deltar\n  evidence:\n"
        "  - source: protokoll\n    quote: Örat mot marken är ett nätverk i Rosengård där Polisen deltar.\n"
        "- type: participates_in\n  target: sbum\n  evidence:\n  - source: protokoll\n"
        "    quote: där polisen och Region Skåne deltar\n",
        encoding="utf-8",
    )
    check = run("fmt", "--check", registry=mini_copy)
    assert check.exit_code == 1
    assert check.stdout.splitlines() == ["actors/polisen.yaml"]
    assert run("fmt", registry=mini_copy).exit_code == 0
    assert path.read_bytes() == (MINI / "actors" / "polisen.yaml").read_bytes()


def test_fmt_corrects_a_wrong_page_and_keeps_a_chosen_occurrence(mini_copy, run):
    # "Örat mot marken" stands on page 2 (Fritidsnämnden's answer) and page 3 (Grundskolenämnden's)
    path = mini_copy / "themes" / "trygghet.yaml"
    text = path.read_text(encoding="utf-8")
    wrong = text.replace("page: 3", "page: 1", 1)
    path.write_text(wrong, encoding="utf-8")
    assert run("validate", registry=mini_copy).exit_code == 1
    assert run("fmt", registry=mini_copy).exit_code == 0
    assert path.read_text(encoding="utf-8") == text
    # a hand-set page where the quote does stand is a choice, and is kept
    polisen = mini_copy / "actors" / "polisen.yaml"
    chosen = polisen.read_text(encoding="utf-8").replace(
        "  page: 1\n  quote: där polisen och Region Skåne deltar\n",
        "  page: 1\n  quote: där polisen och Region Skåne deltar\n- source: protokoll\n  page: 3\n"
        "  quote: Örat mot marken\n",
        1,
    )
    polisen.write_text(chosen, encoding="utf-8")
    assert run("fmt", registry=mini_copy).exit_code == 0
    assert polisen.read_text(encoding="utf-8") == chosen


def test_fmt_refuses_a_broken_registry_and_writes_nothing(mini_copy, run):
    (mini_copy / "themes" / "trygghet.yaml").write_text("id: trygghet\nkind: tema\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in mini_copy.rglob("*.yaml")}
    result = run("fmt", registry=mini_copy)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in mini_copy.rglob("*.yaml")} == before


def test_yaml_scalars_are_read_as_text():
    data, lines = load_yaml("name: no\nfrom: 2024\nquote: 'on'\nnote:\n")
    assert data == {"name": "no", "from": "2024", "quote": "on", "note": None}
    assert lines[("from",)] == 2


def test_atomic_write_leaves_no_temporary_files(mini_copy):
    registry = load_registry(mini_copy).registry
    write_entity(mini_copy, registry.entities["sbum"])
    assert [p.name for p in (mini_copy / "structures").iterdir() if p.name.startswith(".")] == []


# ---- property: any valid entity survives YAML unchanged --------------------------------------

text = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
ids = st.from_regex(r"[a-zåäö][a-zåäö0-9]{0,8}(-[a-zåäö0-9]{1,6}){0,2}", fullmatch=True)
evidence = st.lists(
    st.fixed_dictionaries({"source": ids, "quote": text}, optional={"page": st.integers(1, 500)}),
    max_size=2,
)
relation = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("participates_in"), "target": ids, "evidence": evidence},
        optional={"role": st.sampled_from(["deltar", "leder", "samordnar", "äger"])},
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("position"),
            "target": ids,
            "stance": st.sampled_from(["föreslår", "avstår"]),
            "evidence": evidence,
        },
        optional={
            "question": st.sampled_from(["1", "2", "4"]),
            "proposes": st.lists(ids, max_size=2),
            "text": text,
        },
    ),
    st.fixed_dictionaries(
        {"type": st.just("funds"), "target": ids},
        optional={"amount": st.integers(0, 10**9), "year": st.integers(1990, 2030)},
    ),
)


def _unique_relations(rels: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rels:
        role = r.get("role", "deltar")
        key = (r["type"], r["target"], role, r.get("question"), r.get("stance"), r.get("year"))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


entities = st.fixed_dictionaries(
    {
        "id": ids,
        "kind": st.sampled_from(["nämnd", "förvaltning", "statlig_myndighet", "civilsamhälle"]),
        "name": text,
        "evidence": evidence,
        "relations": st.lists(relation, max_size=4).map(_unique_relations),
    },
    optional={
        "short_name": text,
        "aliases": st.lists(text, max_size=3, unique=True),
        "description": text,
        "note": text,
        "status": st.sampled_from(["befintlig", "föreslagen", "avvecklad"]),
        "from": st.sampled_from(["2019", "2024-09", "2024-09-26"]),
    },
)


@settings(max_examples=150, deadline=None)
@given(entities)
def test_round_trip_property(data):
    entity = validate_entity(data)
    dumped = dump_entity(entity)
    reloaded = validate_entity(load_yaml(dumped)[0])
    # relations are written in key order, so compare the canonical forms
    assert entity_to_data(reloaded) == entity_to_data(entity)
    assert dump_entity(reloaded) == dumped


def test_written_files_use_utf8_and_unix_newlines(mini_copy):
    registry = load_registry(mini_copy).registry
    path: Path = write_entity(mini_copy, registry.entities["örat-mot-marken"])
    raw = path.read_bytes()
    assert b"\r\n" not in raw
    assert "Örat mot marken".encode() in raw
