"""samverkan diff: between git revisions, since a date, between two folders; and in the report."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from samverkan.registry.diff import diff_registries, diff_since

QUOTE = "Örat mot marken är ett nätverk i Rosengård där Polisen deltar"


def git(cwd, *args, date="2026-01-10T12:00:00"):
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin"}
    subprocess.run(
        ["git", "-c", "user.name=Analytiker", "-c", "user.email=a@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env=env,
    )


@pytest.fixture
def repo(mini_copy):
    """The mini registry as a git repository with one commit (2026-01-10), inside a subfolder."""
    root = mini_copy.parent / "repo"
    shutil.move(mini_copy, root / "register")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    return root / "register"


def edit(run, registry, remove=True):
    assert run("link", "Polisen", "leder", "Örat mot marken", "--source", "protokoll", "--quote", QUOTE,
               registry=registry).exit_code == 0  # fmt: skip
    assert run("set", "SBUM", "description", "Nytt.", "--source", "protokoll", "--quote", "ett forum",
               registry=registry).exit_code == 0  # fmt: skip
    if remove:
        (registry / "structures" / "samverkansplattform.yaml").unlink()


def test_no_change_says_so(run, repo):
    result = run("diff", registry=repo)
    assert result.exit_code == 0
    assert result.stdout == "Förändringar från HEAD till arbetskopian:\n  Inga förändringar.\n"


def test_working_tree_against_last_commit(run, repo):
    edit(run, repo)
    result = run("diff", registry=repo)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  - borttagen plattform: Strategisk samverkansplattform (samverkansplattform)" in lines
    assert "  ~ ändrad samverkansforum: Samverkan barn och unga i Malmö (sbum)" in lines
    assert "      description: Forum för nämnder, polisen och Region Skåne. → Nytt." in lines
    assert "      källa: protokoll s. 1: ”ett forum”" in lines
    assert "  + ny relation: Polismyndigheten deltar i Örat mot marken (leder)" in lines
    assert lines[-1] == ("0 nya, 1 borttagna och 1 ändrade entiteter; 1 nya, 0 borttagna och 0 ändrade relationer.")
    data = json.loads(run("diff", "--json", registry=repo).stdout)
    assert data == diff_registries(repo, "HEAD", None)
    assert data["relations"]["added"][0]["evidence"] == [{"source": "protokoll", "page": 2, "quote": QUOTE}]
    assert [e["id"] for e in data["entities"]["removed"]] == ["samverkansplattform"]


def test_between_two_revisions_and_since_a_date(run, repo):
    edit(run, repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ändringar", date="2026-02-10T12:00:00")
    between = json.loads(run("diff", "HEAD~1", "HEAD", "--json", registry=repo).stdout)
    assert (between["from"], between["to"]) == ("HEAD~1", "HEAD")
    assert [e["id"] for e in between["entities"]["changed"]] == ["sbum"]
    assert json.loads(run("diff", "--json", registry=repo).stdout)["entities"]["changed"] == []
    since = diff_since(repo, "2026-02-01")
    assert since["entities"]["changed"] == between["entities"]["changed"]
    everything = diff_since(repo, "2025-01-01")
    assert len(everything["entities"]["added"]) == 19 and not everything["entities"]["removed"]


def test_two_folders_without_git(run, mini_copy, tmp_path):
    old = tmp_path / "gammalt"
    shutil.copytree(mini_copy, old)
    edit(run, mini_copy)
    result = run("diff", str(old), str(mini_copy), "--json", registry=tmp_path / "finns-inte")
    data = json.loads(result.stdout)
    assert [e["id"] for e in data["entities"]["removed"]] == ["samverkansplattform"]
    assert len(data["relations"]["added"]) == 1


def test_without_git_a_folder_is_asked_for(run, mini_copy):
    result = run("diff", registry=mini_copy)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Fel: {mini_copy} ligger inte i ett git-arkiv; jämför två registerkataloger: samverkan diff GAMMAL NY\n"
    )


def test_a_bad_revision_is_one_line(run, repo):
    result = run("diff", "ingen-sådan-revision", registry=repo)
    assert result.exit_code == 1
    assert "okänd git-revision 'ingen-sådan-revision'" in result.stderr and result.stderr.count("\n") == 1


def test_report_since_has_a_changes_section(run, repo, tmp_path):
    edit(run, repo, remove=False)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ändringar", date="2026-02-10T12:00:00")
    out = tmp_path / "rapport.html"
    result = run("report", "--since", "2026-02-01", "-o", str(out), registry=repo)
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "Förändringar sedan 2026-02-01" in page
    assert "Ändrad samverkansforum: <strong>Samverkan barn och unga i Malmö</strong>" in page
    assert "Förändringar" not in (run("report", "-o", str(out), registry=repo) and out.read_text("utf-8"))
