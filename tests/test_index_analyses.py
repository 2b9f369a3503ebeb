"""The overlaps, paths and gaps fed from the index's rows agree with those over the whole graph.

`IndexBackend.overlaps` builds the feature matrices from relation rows and explains the pairs
over a graph of only what the explanations name, `IndexBackend.paths` reads only the
relations a path may follow, and `IndexBackend.gaps` only the participations, mandates and
positions; `EmbeddedBackend` answers over the graph of everything, built from a
from-scratch load. They must give the same JSON, on the seed and on random registries with every
kind of relation these read (proposed and dated structures and relations, leading roles, people,
mandates, part-of, overlap statements).
"""

from __future__ import annotations

import json
import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.graphs.backends.indexed import IndexBackend
from samverkan.graphs.contract import GAP_TYPES
from samverkan.registry.index import open_index
from samverkan.registry.models import validate_entity
from samverkan.registry.query import Filters
from samverkan.registry.store import write_atomic
from samverkan.registry.validate import validate_path
from samverkan.registry.vocabulary import CATEGORY_FOLDERS, Kind, category_of
from samverkan.registry.yamlio import dump_entity
from samverkan.seed import SEED_DIR

from .conftest import MINI

FILTERS = [
    Filters(),
    Filters(include_proposed=True),
    Filters(as_of=date(2021, 6, 1)),
    Filters(as_of=date(2024, 10, 1), include_proposed=True, include_persons=True),
]
EVIDENCE = [{"source": "protokoll", "page": 1, "quote": "Remissvar om samverkan i Rosengård"}]
KINDS = ["samverkansforum", "nätverk", "team", "process", "projekt", "strategi"]
DATES = [None, None, "2019", "2022-05", "2024-09-26", "2030"]


def _write(root: Path, data: dict) -> None:
    data.setdefault("evidence", EVIDENCE)
    for rel in data.get("relations", []):
        rel.setdefault("evidence", EVIDENCE)
    entity = validate_entity(data)
    folder = CATEGORY_FOLDERS[category_of(Kind(data["kind"]))]
    write_atomic(root / folder / f"{entity.id}.yaml", dump_entity(entity))


def _dated(rng: random.Random, data: dict) -> dict:
    """Sometimes proposed, sometimes valid only for a while."""
    if rng.random() < 0.15:
        data["status"] = "föreslagen"
    start, end = rng.choice(DATES), rng.choice(DATES)
    if start and end and end < start:
        start, end = end, start
    data.update({k: v for k, v in (("from", start), ("until", end)) if v})
    return data


def random_registry(root: Path, seed: int, n_structures: int = 45, n_actors: int = 14) -> Path:
    """The mini registry (a consultation, a decision, a source) and random structures around it."""
    rng = random.Random(seed)
    shutil.copytree(MINI, root)
    structures = [f"s{i:02d}" for i in range(n_structures)]
    names = [f"{rng.choice(['Ö', 'Å', 'A', 'ä', 'Z'])}struktur {i}" for i in rng.sample(range(1000), n_structures)]
    areas = ["rosengård", "malmö", *(f"o{i}" for i in range(4))]
    themes, groups = ["trygghet", "t1", "t2"], ["barn-och-unga", "g1"]
    for i in range(4):
        _write(
            root,
            {
                "id": f"o{i}",
                "kind": "område",
                "name": f"Område {i}",
                "relations": [{"type": "part_of", "target": "rosengård" if i < 2 else "malmö"}],
            },
        )
    _write(root, {"id": "t1", "kind": "tema", "name": "Tema ett"})
    _write(root, {"id": "t2", "kind": "tema", "name": "Tema två", "relations": [{"type": "part_of", "target": "t1"}]})
    _write(root, {"id": "g1", "kind": "målgrupp", "name": "Målgrupp ett"})
    for n, sid in enumerate(structures):
        relations = [{"type": "addresses", "target": t} for t in rng.sample(themes, rng.randint(0, 2))]
        relations += [{"type": "targets", "target": g} for g in rng.sample(groups, rng.randint(0, 1))]
        relations += [{"type": "operates_in", "target": a} for a in rng.sample(areas, rng.randint(0, 2))]
        if n and rng.random() < 0.15:
            relations.append({"type": "part_of", "target": structures[rng.randrange(n)]})
        data = {"id": sid, "kind": rng.choice(KINDS), "name": names[n], "relations": relations}
        if rng.random() < 0.3:
            data["description"] = "Bygger på civilsamhällets medverkan."
        _write(root, _dated(rng, data))
    actors = [f"a{i:02d}" for i in range(n_actors)]
    for i in range(n_actors):
        relations = []
        for sid in rng.sample(structures, rng.randint(1, 12)):
            role = rng.choice(["deltar", "deltar", "deltar", "leder", "samordnar", "finansierar"])
            relations.append(_dated(rng, {"type": "participates_in", "target": sid, "role": role}))
        for sid in rng.sample(structures, rng.randint(0, 2)):
            mandate = {"type": "mandate", "target": sid}
            if rng.random() < 0.5:
                mandate["granted_by"] = "kf-2024-09-26-189"
            relations.append(_dated(rng, mandate))
        for _ in range(rng.randint(0, 2)):
            concerns = rng.sample(structures, rng.randint(2, 3))
            position = {"type": "position", "target": "remiss-2024", "question": rng.choice("12")}
            position.update(stance="kommenterar", concerns=concerns)
            if rng.random() < 0.8:
                position.update(stance="varnar_för_överlapp", overlap=rng.choice(["överlapp", "samordning"]))
            if rng.random() < 0.5:  # words naming a person, left out unless people are shown
                position["text"] = "Som Person 0 sade: parallella strukturer."
                position["evidence"] = [*EVIDENCE, {**EVIDENCE[0], "quote": "Person 1 varnade."}]
            relations.append(_dated(rng, position))
        positions = {(r["question"], r["stance"]): r for r in relations if r["type"] == "position"}
        relations = [r for r in relations if r["type"] != "position"] + list(positions.values())  # one per key
        if rng.random() < 0.7:  # a proposed coordinator: contested when answers differ
            proposal = {"type": "position", "target": "remiss-2024", "question": "2", "stance": "föreslår"}
            proposal["proposes" if rng.random() < 0.7 else "jointly"] = rng.sample(actors, 2)
            if ("2", "föreslår") not in positions:
                relations.append(_dated(rng, proposal))
        kind = rng.choice(["nämnd", "civilsamhälle", "statlig_myndighet"])
        _write(root, _dated(rng, {"id": actors[i], "kind": kind, "name": f"Aktör {i}", "relations": relations}))
    for i in range(2):
        relations = [{"type": "participates_in", "target": sid, "role": "leder"} for sid in rng.sample(structures, 3)]
        _write(
            root,
            {
                "id": f"p{i}",
                "kind": "person",
                "name": f"Person {i}",
                "public_role": "förtroendevald",
                "relations": relations,
            },
        )
    return root


def _pairs(backend, **options) -> list[dict]:
    return json.loads(json.dumps([r.to_dict() for r in backend.overlaps(**options)], ensure_ascii=False))


OPTIONS = [
    {"top": None},
    {"top": 5, "measure": "overlap"},
    {"top": 10, "min_score": 0.1},
    {"top": None, "kinds": ["team", "strategi"]},
    {"top": None, "area": "rosengård"},
    {"top": None, "theme": "t1"},
]


def assert_index_analyses_equal_the_graphs(root: Path, path_pairs: int = 40) -> None:
    registry, problems = validate_path(root, quotes=False)
    assert [p for p in problems if not p.warning] == []
    index = open_index(root)
    assert index.clean
    rng = random.Random(1)
    for filters in FILTERS:
        from_rows, from_graph = IndexBackend(index, filters), EmbeddedBackend(registry, filters)
        for options in OPTIONS:
            assert _pairs(from_rows, **options) == _pairs(from_graph, **options), (filters, options)
        for today, types in ((date(2026, 1, 1), None), (date(2023, 1, 1), ["lapsed_mandate", "no_owner"])):
            gaps = [g.to_dict() for g in from_rows.gaps(today, types)]
            assert gaps == [g.to_dict() for g in from_graph.gaps(today, types)], (filters, today, types)
        graph = from_graph.graph
        counted = sorted(n for n in graph if graph.nodes[n]["category"] in ("actor", "structure", "person"))
        for a, b in [rng.sample(counted, 2) for _ in range(path_pairs)] + [(counted[0], counted[0])]:
            limit = rng.choice([1, 3, 10])
            assert from_rows.paths(a, b, limit).to_dict() == from_graph.paths(a, b, limit).to_dict(), (a, b)


@pytest.mark.parametrize("seed", range(4))
def test_index_analyses_equal_the_graphs_on_random_registries(tmp_path, seed):
    root = random_registry(tmp_path / "reg", seed)
    assert_index_analyses_equal_the_graphs(root)
    # the random registries do exercise what the analyses read
    backend = EmbeddedBackend(validate_path(root, quotes=False)[0], Filters(include_proposed=True))
    rows = _pairs(backend, top=None)
    assert any(r["basis"] == "stated" for r in rows) and any(r["basis"] == "inferred" for r in rows)
    assert {g.type for g in backend.gaps(date(2026, 1, 1))} == set(GAP_TYPES)


def test_index_analyses_equal_the_graphs_on_the_seed():
    assert_index_analyses_equal_the_graphs(SEED_DIR)
