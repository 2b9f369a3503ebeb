"""add, link, set and retire: checked before writing, canonical, all files or none."""

from __future__ import annotations

import json

import pytest

from samverkan.registry.edit import EditSession, load_for_edit
from samverkan.registry.errors import EditRefusedError, RegistryError
from samverkan.registry.validate import validate_path
from samverkan.registry.yamlio import dump_entity, load_yaml


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_canonical_and_valid(root):
    registry, problems = validate_path(root)
    assert problems == []
    for entity in registry:
        assert (root / registry.paths[entity.id]).read_text("utf-8") == dump_entity(entity)


def test_add_writes_a_canonical_valid_entity_with_its_page(run, mini_copy):
    result = run(
        "add", "nätverk", "Trygghetsnätverket Öster", "--alias", "TNÖ",
        "--source", "protokoll", "--quote", "Örat mot marken är ett nätverk i Rosengård",
        registry=mini_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ny nätverk: Trygghetsnätverket Öster (trygghetsnätverket-öster)" in result.stdout
    path = mini_copy / "structures" / "trygghetsnätverket-öster.yaml"
    data, _ = load_yaml(path.read_text("utf-8"))
    assert data["evidence"] == [
        {"source": "protokoll", "page": "2", "quote": "Örat mot marken är ett nätverk i Rosengård"}
    ]
    assert_canonical_and_valid(mini_copy)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "nätverk", "Nytt", "--source", "protokoll", "--quote", "står inte i texten"], "citatet finns inte"),
        (
            ["add", "nätverk", "Nytt", "--source", "protokoll", "--quote", "arbetsgruppen för SBUM", "--page", "2"],
            "inte sidan 2",
        ),
        (
            ["add", "nätverk", "SBUM", "--id", "annat", "--source", "protokoll", "--quote", "SBUM"],
            "skulle kunna avse flera",
        ),
        (["add", "nätverk", "Sbum", "--id", "sbum", "--source", "protokoll", "--quote", "SBUM"], "finns redan"),
        (["add", "fordon", "Bil", "--source", "protokoll", "--quote", "SBUM"], "kind"),
        (["add", "nätverk", "Nytt", "--source", "SBUM", "--quote", "SBUM"], "inget dokument"),
        (["link", "SBUM", "deltar", "Polisen", "--source", "protokoll", "--quote", "SBUM"], "kan inte ha relationen"),
        (["link", "Polisen", "del-av", "SBUM", "--source", "protokoll", "--quote", "SBUM"], "kan bara vara del av"),
        (["link", "Polisen", "bakar", "SBUM", "--source", "protokoll", "--quote", "SBUM"], "okänd roll"),
        (["link", "Polisen", "deltar", "Okänd", "--source", "protokoll", "--quote", "SBUM"], "hittade ingen"),
        (["set", "SBUM", "from", "2030", "--source", "protokoll", "--quote", "SBUM"], None),
        (["set", "SBUM", "status", "borta"], "status"),
        (["set", "SBUM", "id", "x"], "ändras inte med set"),
        (["retire", "SBUM", "--date", "2026-13-01", "--source", "protokoll", "--quote", "SBUM"], "giltigt datum"),
        (["retire", "SBUM", "--date", "2026", "--source", "protokoll", "--quote", "inte här"], "citatet finns inte"),
    ],
)
def test_refusals_name_the_file_and_write_nothing(run, mini_copy, args, message):
    if args[:3] == ["set", "SBUM", "from"]:
        run("set", "SBUM", "until", "2025", registry=mini_copy)
        message = "ligger före 'from' 2030"
    before = snapshot(mini_copy)
    result = run(*args, registry=mini_copy)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Fel: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert snapshot(mini_copy) == before


def test_link_adds_a_relation_then_evidence_then_nothing(run, mini_copy):
    args = ["link", "Region Skåne", "samordnar", "Örat mot marken", "--source", "protokoll"]
    first = run(*args, "--quote", "Örat mot marken är ett nätverk i Rosengård", registry=mini_copy)
    assert first.exit_code == 0, first.output
    assert "ny relation: Region Skåne —participates_in/samordnar→ örat-mot-marken" in first.stdout
    second = run(*args, "--quote", "polisen och Region Skåne deltar", registry=mini_copy)
    assert "ny källa för relationen" in second.stdout
    before = snapshot(mini_copy)
    third = run(*args, "--quote", "polisen och Region Skåne deltar", "--json", registry=mini_copy)
    assert json.loads(third.stdout) == {"changes": [], "files": [], "written": False}
    assert snapshot(mini_copy) == before
    assert_canonical_and_valid(mini_copy)


def test_set_changes_one_field_and_can_remove_it(run, mini_copy):
    result = run("set", "SBUM", "description", "Ett forum för barn och unga.", "--json", registry=mini_copy)
    assert json.loads(result.stdout) == {
        "changes": ["Samverkan barn och unga i Malmö: description = Ett forum för barn och unga."],
        "files": ["structures/sbum.yaml"],
        "written": True,
    }
    run("set", "SBUM", "aliases", "Barn och unga-forumet; SBUM-forumet", registry=mini_copy)
    data, _ = load_yaml((mini_copy / "structures" / "sbum.yaml").read_text("utf-8"))
    assert data["aliases"] == ["Barn och unga-forumet", "SBUM-forumet"]
    run("set", "SBUM", "description", "", registry=mini_copy)
    assert "description" not in load_yaml((mini_copy / "structures" / "sbum.yaml").read_text("utf-8"))[0]
    assert_canonical_and_valid(mini_copy)


def test_retire_carries_the_lapse_to_the_parts(run, mini_copy):
    result = run(
        "retire", "SBUM", "--date", "2026-06-30", "--source", "protokoll", "--quote", "arbetsgruppen för SBUM",
        registry=mini_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    registry = load_for_edit(mini_copy)
    for entity_id in ("sbum", "sbum-arbetsgrupp"):
        entity = registry.get(entity_id)
        assert (entity.status.value, entity.valid_until) == ("avvecklad", "2026-06-30")
        assert any(ev.quote == "arbetsgruppen för SBUM" for ev in entity.evidence)
    participation = [r for r in registry.get("fritidsförvaltningen").relations if r.target == "sbum-arbetsgrupp"]
    assert participation[0].valid_until == "2026-06-30"
    assert_canonical_and_valid(mini_copy)
    before = snapshot(mini_copy)
    again = run("retire", "SBUM", "--date", "2026-06-30", "--source", "protokoll", "--quote", "arbetsgruppen för SBUM",
                registry=mini_copy)  # fmt: skip
    assert "Inget att ändra" in again.stdout
    assert snapshot(mini_copy) == before


def test_dry_run_writes_nothing(run, mini_copy):
    before = snapshot(mini_copy)
    result = run("set", "SBUM", "description", "x", "--dry-run", registry=mini_copy)
    assert "skulle skriva 1 filer" in result.stdout
    assert snapshot(mini_copy) == before


def test_a_failed_write_puts_every_file_back(mini_copy, monkeypatch):
    from samverkan.registry import journal

    session = EditSession(load_for_edit(mini_copy))
    session.retire("sbum", "2026", session.evidence("protokoll", "SBUM"))
    plan = session.plan()
    assert len(plan.changes) > 2
    before = snapshot(mini_copy)
    applied = []

    def fail_on_the_third(label):
        if label.startswith("applied"):
            applied.append(label)
            if len(applied) == 3:
                raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "fault_hook", fail_on_the_third)
    with pytest.raises(RegistryError, match="inget ändrades"):
        plan.write()
    assert snapshot(mini_copy) == before


def test_an_edit_is_refused_while_another_writer_holds_the_lock(run, mini_copy):
    """The lock is re-entrant within one process, so another process holds it here."""
    before = snapshot(mini_copy)
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from samverkan.registry.lock import registry_lock\n"
         "with registry_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(30)", str(mini_copy)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run("set", "SBUM", "description", "Ny.", registry=mini_copy)
        assert result.exit_code == 1
        assert result.stderr.startswith("Fel: ") and result.stderr.count("\n") == 1
    finally:
        holder.kill()
        holder.wait()
    assert snapshot(mini_copy) == before


def test_library_refusal_carries_every_problem(mini_copy):
    session = EditSession(load_for_edit(mini_copy))
    evidence = session.evidence("protokoll", "ingenstans")
    session.add_evidence("sbum", evidence)
    session.add_evidence("polisen", evidence)
    with pytest.raises(EditRefusedError) as caught:
        session.plan()
    assert len(caught.value.problems) == 2
    with pytest.raises(RegistryError, match="okänt id"):
        session.entity("finns-inte")


def test_add_with_other_fields(run, mini_copy):
    result = run(
        "add", "beslut", "Kommunfullmäktiges beslut om samordning", "--field", "body=kommunfullmäktige",
        "--field", "date=2024-09-26", "--field", "paragraph=§ 189", "--source", "protokoll",
        "--quote", "Kommunfullmäktige beslutade den 26 september 2024 § 189", registry=mini_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    registry = load_for_edit(mini_copy)
    decision = registry.get("kommunfullmäktiges-beslut-om-samordning")
    assert (decision.body, decision.date, decision.paragraph) == ("kommunfullmäktige", "2024-09-26", "§ 189")
    refused = run("add", "beslut", "Annat", "--field", "body=sbum", "--field", "date=2024",
                  "--source", "protokoll", "--quote", "SBUM", registry=mini_copy)  # fmt: skip
    assert refused.exit_code == 1 and "body: 'sbum' är av typen samverkansforum" in refused.stderr
