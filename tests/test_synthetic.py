"""The analysis commands on a synthetic registry written by bench/synth.py in the normal format."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a registry of 300 entities, analysed and drawn: about 15 s

SYNTH = Path(__file__).resolve().parents[1] / "bench" / "synth.py"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("synth", SYNTH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path_factory.mktemp("synthetic")
    counts = module.generate(root, structures=150, municipalities=3, seed=3)
    return root, counts


def test_synthetic_registry_is_valid(synthetic, run):
    root, counts = synthetic
    result = run("validate", registry=root)
    assert result.exit_code == 0, result.stdout[-2000:]
    assert f"{counts['entities']} entiteter" in result.stdout
    assert counts["participation_edges"] > 150 * 5


def test_same_seed_same_bytes(synthetic, tmp_path):
    root, _ = synthetic
    spec = importlib.util.spec_from_file_location("synth", SYNTH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path, structures=150, municipalities=3, seed=3)
    first = {p.relative_to(root): p.read_bytes() for p in root.rglob("*.yaml")}
    second = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.yaml")}
    assert first == second


def _overlaps(data):
    rows = data["results"]
    assert len(rows) == 5
    assert all(r["a"]["id"] != r["b"]["id"] and 0 < r["score"] <= 1 for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)  # none stated here


def _duplicates(data):
    rows = data["results"]
    # the generator gives each municipality a förskolenämnd and a grundskolenämnd: names alike
    assert {(r["a"]["id"], r["b"]["id"]) for r in rows} >= {
        (f"k00{m}-förskolenämnden", f"k00{m}-grundskolenämnden") for m in range(3)
    }
    assert all(r["confidence"] >= 0.75 for r in rows)


def _gaps(data):
    from samverkan.graphs.contract import GAP_TYPES

    types = [r["type"] for r in data["results"]]
    assert "no_owner" in types
    assert types == sorted(types, key=list(GAP_TYPES).index)  # grouped in the order of GAP_TYPES


def _stats(data):
    assert [len(data["actors"]), len(data["structures"])] == [3, 3]
    between = [r["betweenness"] for r in data["actors"]]
    assert between == sorted(between, reverse=True) and between[0] > 0


@pytest.mark.parametrize(
    ("command", "check"),
    [
        (["overlaps", "--top", "5", "--include-proposed"], _overlaps),
        (["duplicates"], _duplicates),
        (["gaps", "--include-proposed"], _gaps),
        (["stats", "--top", "3", "--include-proposed"], _stats),
    ],
    ids=["overlaps", "duplicates", "gaps", "stats"],
)
def test_analysis_commands_run(synthetic, run, command, check):
    root, _ = synthetic
    result = run(*command, "--json", registry=root)
    assert result.exit_code == 0, result.output[-2000:]
    check(json.loads(result.stdout))


def test_overlaps_on_synthetic_data_find_shared_participants(synthetic, run):
    root, _ = synthetic
    rows = json.loads(run("overlaps", "--top", "3", "--json", registry=root).stdout)["results"]
    assert len(rows) == 3
    assert all(r["signals"]["participants"]["shared"] for r in rows)


@pytest.mark.parametrize(
    "view",
    [
        ["full"],
        ["overlaps"],
        ["bipartite"],
        ["ego", "--focus", "k000-socialnämnden"],
        ["area", "--area", "k000-område-0"],
    ],
)
def test_views_render_on_synthetic_data(synthetic, run, tmp_path, view):
    root, _ = synthetic
    out = tmp_path / "v.html"
    result = run("render", *view, "--include-proposed", "-o", str(out), registry=root)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count('id="samverkan-data"') == 1


def test_report_on_synthetic_data(synthetic, run, tmp_path):
    root, _ = synthetic
    out = tmp_path / "r.html"
    result = run("report", "-o", str(out), registry=root)
    assert result.exit_code == 0, result.output
    assert 'id="parallella"' in out.read_text(encoding="utf-8")
