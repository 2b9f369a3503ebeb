"""Merging duplicates: relations and evidence move, the old id stays resolvable, nothing half-done."""

from __future__ import annotations

import json
import os

import pytest

from samverkan.registry.errors import RegistryError
from samverkan.registry.merge import apply_plan, plan_merge
from samverkan.registry.store import load_registry
from samverkan.registry.validate import validate_path

DUPLICATE = """id: samverkan-för-barn-och-unga
kind: samverkansforum
name: Samverkan för barn och unga
evidence:
- source: protokoll
  page: 1
  quote: ett forum där polisen och Region Skåne deltar
relations:
- type: operates_in
  target: rosengård
  evidence:
  - source: protokoll
    page: 2
    quote: Örat mot marken är ett nätverk i Rosengård
"""


@pytest.fixture
def with_duplicate(mini_copy):
    (mini_copy / "structures" / "samverkan-för-barn-och-unga.yaml").write_text(DUPLICATE, encoding="utf-8")
    polisen = mini_copy / "actors" / "polisen.yaml"
    extra = (
        "- type: participates_in\n  target: samverkan-för-barn-och-unga\n  role: leder\n  evidence:\n"
        "  - source: protokoll\n    page: 1\n    quote: där polisen och Region Skåne deltar\n"
    )
    polisen.write_text(polisen.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert validate_path(mini_copy)[1] == []
    return mini_copy


def files(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*.yaml")}


def test_merge_moves_relations_and_rewrites_references(with_duplicate, run):
    before = files(with_duplicate)
    dry = run("merge", "SBUM", "Samverkan för barn och unga", "--dry-run", "--json", registry=with_duplicate)
    assert dry.exit_code == 0
    summary = json.loads(dry.stdout)
    assert summary["applied"] is False
    assert summary["rewritten_references"] == ["polisen: relations.target"]
    assert files(with_duplicate) == before  # a dry run writes nothing

    result = run("merge", "SBUM", "Samverkan för barn och unga", registry=with_duplicate)
    assert result.exit_code == 0, result.output
    assert not (with_duplicate / "structures" / "samverkan-för-barn-och-unga.yaml").exists()
    registry, problems = validate_path(with_duplicate)
    assert problems == []
    sbum = registry.entities["sbum"]
    assert "Samverkan för barn och unga" in sbum.aliases
    assert [r.target for r in sbum.relations if r.type == "operates_in"] == ["malmö", "rosengård"]
    polisen_roles = {r.role.value for r in registry.entities["polisen"].relations if r.target == "sbum"}
    assert polisen_roles == {"deltar", "leder"}
    # the retired id still finds the kept entity
    assert (
        json.loads(run("who", "samverkan-för-barn-och-unga", "--json", registry=with_duplicate).stdout)["entity"]["id"]
        == "sbum"
    )


def test_merging_the_same_relation_keeps_one_with_both_evidence(mini_copy):
    text = DUPLICATE.replace("target: rosengård", "target: malmö")
    (mini_copy / "structures" / "samverkan-för-barn-och-unga.yaml").write_text(text, encoding="utf-8")
    plan = plan_merge(load_registry(mini_copy).registry, "sbum", "samverkan-för-barn-och-unga")
    apply_plan(plan)
    sbum = load_registry(mini_copy).registry.entities["sbum"]
    (malmo,) = [r for r in sbum.relations if r.target == "malmö"]
    assert len(malmo.evidence) == 2


def test_a_failed_merge_leaves_every_file_as_it_was(with_duplicate, monkeypatch):
    before = files(with_duplicate)
    plan = plan_merge(load_registry(with_duplicate).registry, "sbum", "samverkan-för-barn-och-unga")
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(RegistryError, match="disk full; inget ändrades"):
        apply_plan(plan)
    monkeypatch.setattr(os, "replace", real_replace)
    assert files(with_duplicate) == before
    assert not [p for p in with_duplicate.rglob(".*") if p.is_file()]


def test_only_the_same_category_can_merge(mini_copy):
    with pytest.raises(RegistryError, match="bara entiteter av samma slag"):
        plan_merge(load_registry(mini_copy).registry, "sbum", "polisen")
    with pytest.raises(RegistryError, match="kan inte slås samman med sig själv"):
        plan_merge(load_registry(mini_copy).registry, "sbum", "sbum")


def test_merge_cli_errors(run, mini_copy):
    result = run("merge", "SBUM", "Polisen", registry=mini_copy)
    assert result.exit_code == 1
    assert result.stderr.startswith("Fel: sbum är av typen samverkansforum och polisen av typen statlig_myndighet")
