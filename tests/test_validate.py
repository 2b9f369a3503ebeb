"""Validation: every error kind has a broken registry whose exact report is pinned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from registry.validate import validate_path

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
    assert "ingen registerkatalog" in result.stdout


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
