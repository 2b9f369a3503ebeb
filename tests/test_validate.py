"""Validation: every error kind has a broken registry whose exact report is pinned."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from samverkan.registry.validate import validate_path

from .conftest import BROKEN, MINI

CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def broken_registry(case: str, tmp_path: Path) -> Path:
    """The mini registry with the case's files laid over it (wrong-folder moves a file)."""
    root = tmp_path / case
    shutil.copytree(MINI, root)
    for src in (BROKEN / case).rglob("*.yaml"):
        dest = root / src.relative_to(BROKEN / case)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)
    if case == "wrong-folder":
        (root / "themes" / "trygghet.yaml").unlink()
    return root


def test_the_mini_registry_is_clean():
    registry, problems = validate_path(MINI)
    assert problems == []
    assert len(registry) == 20


def test_every_error_kind_has_a_case():
    assert set(CASES) >= {
        "unknown-field",
        "wrong-type",
        "bad-date",
        "dangling-reference",
        "duplicate-id",
        "ambiguous-alias",
        "wrong-endpoint",
        "quote-not-found",
        "duplicate-key",
        "wrong-page",
        "unknown-kind",
        "unknown-relation-type",
        "missing-evidence",
        "id-mismatch",
    }


@pytest.mark.parametrize("case", CASES)
def test_broken_registry_reports_exactly_the_expected_problems(case, tmp_path, run):
    root = broken_registry(case, tmp_path)
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8")
    _, problems = validate_path(root)
    assert [str(p) for p in problems] == expected.splitlines()
    result = run("validate", str(root), registry=None)
    assert result.exit_code == 1
    assert result.stdout == expected
    assert "Traceback" not in result.output


def test_all_problems_are_reported_at_once(tmp_path):
    root = broken_registry("wrong-endpoint", tmp_path)
    (root / "themes" / "trygghet.yaml").write_text("id: trygghet\nkind: tema\n", encoding="utf-8")
    _, problems = validate_path(root)
    fields = [(p.path, p.field) for p in problems]
    assert ("themes/trygghet.yaml", "name") in fields
    assert ("actors/region-skåne.yaml", "relations[0].target") in fields
    assert ("actors/region-skåne.yaml", "relations[1].target") in fields


def test_queries_refuse_a_broken_registry_without_traceback(tmp_path, run):
    root = broken_registry("dangling-reference", tmp_path)
    result = run("who", "SBUM", registry=root)
    assert result.exit_code == 1
    assert "registret har 1 problem" in result.stderr
    assert "Traceback" not in result.output


def test_missing_registry_directory(run, tmp_path):
    result = run("validate", str(tmp_path / "saknas"), registry=None)
    assert result.exit_code == 1
    assert result.stderr == f"Fel: registerkatalogen {tmp_path / 'saknas'} finns inte\n"


def test_a_quote_is_matched_with_whitespace_normalised(mini_copy):
    path = mini_copy / "areas" / "rosengård.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "quote: Remissvar om samverkan i Rosengård\nrelations",
        'quote: "Remissvar   om\\nsamverkan i\\tRosengård"\nrelations',
    )
    path.write_text(text, encoding="utf-8")
    assert validate_path(mini_copy)[1] == []


def test_a_source_that_is_not_utf8_is_a_problem_not_a_traceback(mini_copy, run):
    (mini_copy / "sources" / "protokoll.txt").write_bytes(b"\xff\xfe\x00 inte text")
    result = run("validate", registry=mini_copy)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout.splitlines()[0] == (
        "documents/protokoll.yaml:4: file: källfilen 'sources/protokoll.txt' går inte att läsa som UTF-8-text"
    )


def _infer_participation(root: Path, note: str | None = None) -> None:
    """Polisen takes part in SBUM, quoted by a sentence that names neither of them."""
    path = root / "actors" / "polisen.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    page: 1\n    quote: där polisen och Region Skåne deltar\n",
        "    quote: ett forum\n" + (f"  note: {note}\n" if note else ""),
        1,
    )
    path.write_text(text, encoding="utf-8")


def test_an_unmarked_inference_is_a_warning_and_an_error_when_strict(mini_copy, run):
    _infer_participation(mini_copy)
    line = (
        "actors/polisen.yaml:10: relations[0]: varning: citaten nämner varken 'polisen' eller 'sbum': "
        "säg i 'note' vad som är tolkat"
    )
    result = run("validate", registry=mini_copy)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == line
    assert "1 varningar i 1 filer." in result.stderr
    assert run("validate", "--strict", registry=mini_copy).exit_code == 1
    data = json.loads(run("validate", "--json", registry=mini_copy).stdout)
    assert data["problems"] == []
    assert [w["severity"] for w in data["warnings"]] == ["warning"]


def test_a_note_marks_the_inference(mini_copy, run):
    _infer_participation(mini_copy, note="Tolkat ur sammanhanget.")
    assert run("validate", "--strict", registry=mini_copy).exit_code == 0


def test_a_quote_in_the_answer_of_the_source_or_of_its_committee_names_it(mini_copy, run):
    """ "Nämnden", "vi" and "förvaltningen" in a nämnd's own answer speak of the nämnd and its förvaltning."""
    path = mini_copy / "actors" / "fritidsförvaltningen.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    quote: Fritidsförvaltningen deltar i arbetsgruppen för SBUM.\n", "    quote: ett forum\n")
    path.write_text(text.replace("    page: 1\n    quote: ett forum", "    quote: ett forum"), encoding="utf-8")
    assert run("validate", "--strict", registry=mini_copy).exit_code == 0  # in fritidsnämnden's answer
    _infer_participation(mini_copy)  # the same words for polisen, which did not answer: a reading
    assert run("validate", "--strict", registry=mini_copy).exit_code == 1


def test_a_position_must_name_what_it_proposes_and_concerns(mini_copy, run):
    """A body proposed or a structure concerned that no quote names is read into the answer."""
    path = mini_copy / "actors" / "fritidsnämnden.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  concerns:\n  - samverkansplattform\n  - sbum\n",
            "  concerns:\n  - samverkansplattform\n  - sbum\n  - örat-mot-marken\n",
        ),
        encoding="utf-8",
    )
    result = run("validate", registry=mini_copy)
    assert result.exit_code == 0
    assert "relations[1].concerns[2]: varning: citaten nämner inte 'örat-mot-marken'" in result.stdout
    assert run("validate", "--strict", registry=mini_copy).exit_code == 1
    text = path.read_text(encoding="utf-8")
    marked = text.replace(
        "  text: En ny plattform", "  note: Örat mot marken är läst ur sammanhanget.\n  text: En ny plattform"
    )
    path.write_text(marked, encoding="utf-8")
    assert run("validate", "--strict", registry=mini_copy).exit_code == 0


def test_a_repeated_quote_takes_the_page_in_its_speakers_section(mini_copy):
    from samverkan.registry.store import load_registry

    src = load_registry(mini_copy).registry.source_text("protokoll")
    assert src is not None
    # "Örat mot marken" stands on page 2 (Fritidsnämnden's section) and page 3 (Grundskolenämnden's)
    assert src.pages_of("Örat mot marken") == [2, 3]
    assert src.page_of("Örat mot marken") == 2
    assert src.page_of("Örat mot marken", owners=("grundskolenämnden",)) == 3


def test_a_section_start_not_in_the_text_is_a_problem(mini_copy):
    path = mini_copy / "documents" / "protokoll.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Grundskolenämnden Grundskolenämnden deltar", "Saknas"))
    _, problems = validate_path(mini_copy)
    assert [(p.path, p.field) for p in problems] == [("documents/protokoll.yaml", "sections[2].starts")]
