"""Writes under faults: every write command is killed, interrupted or made to fail after each of
its steps, and the registry must then be exactly as before the command or exactly as after it.

The harness counts a command's steps (the journal's `fault_hook` is called after the journal is
written, after each temporary file, after each file is replaced, and when the journal is gone),
then runs the command once per step k in a subprocess that kills itself at step k, and finally
runs an ordinary command, which must find the journal, roll back and say so.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli.main import cli
from samverkan.registry import journal
from samverkan.registry.errors import RegistryError
from samverkan.registry.journal import JOURNAL, Change, apply_changes
from samverkan.registry.lock import registry_lock

from .conftest import MINI

# a command run in a child process that sends itself `signal` at the k-th step of the journal
CHILD = """
import os, signal, sys
from samverkan.registry import journal
step, sig = int(sys.argv[1]), getattr(signal, sys.argv[2])
seen = []
def hook(label):
    seen.append(label)
    if len(seen) == step:
        os.kill(os.getpid(), sig)
journal.fault_hook = hook
sys.argv = ["samverkan", *sys.argv[3:]]
from samverkan.cli.main import main
main()
"""

MERGE = ("merge", "sbum", "örat-mot-marken", "--by", "Anna", "--why", "test")
FMT = ("fmt",)
REVIEW = ("review", "overlap", "sbum", "örat-mot-marken", "--verdict", "inte", "--by", "Anna", "--date", "2025-01-01")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the registry, hidden ones too (a leftover temporary file is a difference)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def untidy(root: Path) -> Path:
    """The mini registry made non-canonical: a `.yml` file to rename and a file to rewrite."""
    polisen = root / "actors" / "polisen.yaml"
    polisen.rename(polisen.with_suffix(".yml"))
    malmo = root / "areas" / "malmö.yaml"
    malmo.write_text(malmo.read_text(encoding="utf-8").replace("id: malmö\n", "") + "id: malmö\n", encoding="utf-8")
    return root


def copy(tmp_path: Path, name: str, command: tuple[str, ...]) -> Path:
    root = tmp_path / name
    shutil.copytree(MINI, root)
    return untidy(root) if command == FMT else root


def invoke(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--registry", str(root), *args], catch_exceptions=False)


def steps_of(tmp_path: Path, command: tuple[str, ...]) -> tuple[list[str], dict[str, bytes]]:
    """The labels of a command's steps, and the registry after it ran without a fault."""
    root = copy(tmp_path, "reference", command)
    labels: list[str] = []
    journal.fault_hook = labels.append
    try:
        result = invoke(root, *command)
    finally:
        journal.fault_hook = None
    assert result.exit_code == 0, result.output
    return labels, snapshot(root)


def run_child(root: Path, step: int, sig: str, command: tuple[str, ...]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(step), sig, "--registry", str(root), *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow  # a process killed at every step of each write: seconds each
@pytest.mark.parametrize("command", [MERGE, FMT, REVIEW], ids=["merge", "fmt", "review"])
def test_killed_at_every_step_the_registry_is_before_or_after(tmp_path, command):
    labels, after = steps_of(tmp_path, command)
    assert labels[0] == "journal" and labels[-1] == "done"
    if command == FMT:  # the rename is one change of two files
        assert "applied actors/polisen.yaml" in labels and "applied actors/polisen.yml" in labels
    for k in range(1, len(labels) + 1):
        root = copy(tmp_path, f"killed-{k}", command)
        before = snapshot(root)
        child = run_child(root, k, "SIGKILL", command)
        assert child.returncode == -signal.SIGKILL, child.stderr
        interrupted = (root / JOURNAL).exists()
        assert interrupted == (labels[k - 1] != "done")
        reader = invoke(root, "list")  # any later command repairs first
        assert reader.exit_code == 0, reader.output
        state = snapshot(root)
        if interrupted:
            assert "Obs: en avbruten skrivning" in reader.stderr
            assert "rullades tillbaka" in reader.stderr
            assert state == before, f"killed after step {k} ({labels[k - 1]})"
        else:
            assert state == after
        assert invoke(root, "validate").exit_code == 0


@pytest.mark.slow  # processes signalled mid-merge
def test_ctrl_c_or_sigterm_during_a_merge_waits_for_a_whole_registry(tmp_path):
    labels, after = steps_of(tmp_path, MERGE)
    # the signals are held back from the journal to its removal: the first, a middle and the last
    # file replaced stand for every step
    applied = [k for k, label in enumerate(labels, 1) if label.startswith("applied")]
    for sig, k in [("SIGINT", 1), ("SIGINT", applied[len(applied) // 2]), ("SIGTERM", applied[-1])]:
        root = copy(tmp_path, f"{sig}-{k}", MERGE)
        child = run_child(root, k, sig, MERGE)
        assert child.returncode != 0
        assert "Traceback" not in child.stderr
        assert "ändringen är gjord" in child.stderr  # said before click's "Aborted!"
        assert snapshot(root) == after, f"{sig} after step {k} ({labels[k - 1]})"


@pytest.mark.parametrize("command", [MERGE, FMT, REVIEW], ids=["merge", "fmt", "review"])
def test_a_failure_at_every_step_puts_every_file_back(tmp_path, command):
    labels, _ = steps_of(tmp_path, command)
    for k in range(1, len(labels)):  # the last step is after the write is done
        root = copy(tmp_path, f"failed-{k}", command)
        before = snapshot(root)
        count = []

        def fail(label: str, k: int = k, count: list = count) -> None:
            count.append(label)
            if len(count) == k:
                raise OSError(28, "No space left on device")

        journal.fault_hook = fail
        try:
            result = invoke(root, *command)
        finally:
            journal.fault_hook = None
        assert result.exit_code == 1
        assert result.stderr == "Fel: enheten är full; inget ändrades\n"
        assert snapshot(root) == before, f"failed after step {k} ({labels[k - 1]})"


def test_a_second_writer_is_refused_while_the_lock_is_held(tmp_path):
    root = copy(tmp_path, "locked", MERGE)
    before = snapshot(root)
    with registry_lock(root):
        for command in (MERGE, FMT, REVIEW):
            child = run_child(root, 0, "SIGKILL", command)
            assert child.returncode == 1
            assert child.stderr.startswith(f"Fel: registret {root} är låst: ett annat kommando")
            assert child.stderr.count("\n") == 1
    assert snapshot(root) == before
    assert invoke(root, *MERGE).exit_code == 0  # released


@pytest.mark.slow  # concurrent processes
def test_two_merges_at_once_never_corrupt_the_registry(tmp_path):
    for attempt in range(2):
        root = copy(tmp_path, f"race-{attempt}", MERGE)
        args = [sys.executable, "-c", CHILD, "0", "SIGKILL", "--registry", str(root)]
        first = subprocess.Popen([*args, *MERGE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        second = subprocess.Popen(
            [*args, "merge", "kommunstyrelsen", "kommunfullmäktige"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for proc in (first, second):
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0 or "är låst" in err, err
            assert "Traceback" not in err
        assert invoke(root, "validate").exit_code == 0


def test_a_plan_made_from_files_that_changed_since_is_not_applied(mini_copy):
    path = mini_copy / "actors" / "polisen.yaml"
    old = path.read_text(encoding="utf-8")
    path.write_text(old + "description: ändrad under tiden\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="har ändrats sedan ändringen planerades; inget ändrades"):
        apply_changes(mini_copy, [Change("actors/polisen.yaml", old, "id: polisen\n")], "test")
    assert "ändrad under tiden" in path.read_text(encoding="utf-8")


def test_a_journal_cannot_reach_outside_the_registry(mini_copy, tmp_path):
    with pytest.raises(RegistryError, match="utanför registret"):
        apply_changes(mini_copy, [Change("../elsewhere.yaml", None, "x")], "test")
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_fmt_killed_mid_rename_leaves_no_duplicate_id(tmp_path):
    labels, after = steps_of(tmp_path, FMT)
    k = labels.index("applied actors/polisen.yaml") + 1  # the new file is there, the old one too
    root = copy(tmp_path, "mid-rename", FMT)
    run_child(root, k, "SIGKILL", FMT)
    assert (root / "actors" / "polisen.yaml").exists() and (root / "actors" / "polisen.yml").exists()
    result = invoke(root, "fmt")  # repairs, then formats
    assert result.exit_code == 0, result.output
    assert "rullades tillbaka" in result.stderr
    assert snapshot(root) == after


def test_an_unreadable_journal_is_reported_not_trusted(run, mini_copy):
    (mini_copy / JOURNAL).write_text('{"changes": [{"path": 1}]}', encoding="utf-8")
    result = run("list", registry=mini_copy)
    assert result.exit_code == 1
    assert result.stderr.startswith("Fel: ") and result.stderr.count("\n") == 1
    assert "journalen från en avbruten skrivning kan inte läsas" in result.stderr


def test_fmt_leaves_a_read_only_file_and_everything_else_alone(tmp_path):
    root = copy(tmp_path, "read-only", FMT)
    (root / "areas" / "malmö.yaml").chmod(0o444)
    before = snapshot(root)
    result = invoke(root, "fmt")
    assert result.exit_code == 1
    assert result.stderr == "Fel: areas/malmö.yaml är skrivskyddad; inget ändrades\n"
    assert snapshot(root) == before
