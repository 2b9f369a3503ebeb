"""The analysis commands on a synthetic registry written by bench/synth.py in the normal format."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    "command",
    [
        ["overlaps", "--top", "5", "--include-proposed"],
        ["duplicates"],
        ["gaps", "--include-proposed"],
        ["stats", "--top", "3", "--include-proposed"],
    ],
)
def test_analysis_commands_run(synthetic, run, command):
    root, _ = synthetic
    result = run(*command, "--json", registry=root)
    assert result.exit_code == 0, result.output[-2000:]
    data = json.loads(result.stdout)
    assert data


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
