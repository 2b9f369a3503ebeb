"""Long work speaks on a terminal and is silent everywhere else."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from samverkan.graphs.presentation.layout import LAYOUT_SHOWN_FROM, layout
from samverkan.registry.progress import Progress, stage


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_count_is_shown_on_a_terminal_only(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    progress = Progress("Läser registret", 3000)
    progress.step(1000)
    progress.step(2000)
    assert terminal.getvalue().endswith("\rLäser registret: 3000/3000\n")

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    progress = Progress("Läser registret", 3000)
    progress.step(3000)
    assert piped.getvalue() == ""


def test_small_work_stays_quiet_even_on_a_terminal(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    Progress("Läser registret", 10).step(10)
    with stage("Ritar", shown=False):
        pass
    assert terminal.getvalue() == ""


def test_a_stage_says_what_and_how_long(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with stage("Beräknar layout för 5000 noder"):
        pass
    assert terminal.getvalue().startswith("Beräknar layout för 5000 noder …")
    assert terminal.getvalue().endswith(" s\n")


def test_a_big_layout_tells_a_terminal(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    layout(nx.path_graph(LAYOUT_SHOWN_FROM))
    assert f"Beräknar layout för {LAYOUT_SHOWN_FROM} noder" in terminal.getvalue()
    layout(nx.path_graph(10))
    assert terminal.getvalue().count("Beräknar layout") == 1


def _synthetic(root: Path, structures: int) -> None:
    bench = Path(__file__).resolve().parents[1] / "bench"
    subprocess.run(
        [sys.executable, str(bench / "synth.py"), str(root), "--structures", str(structures), "--municipalities", "2"],
        check=True,
        capture_output=True,
    )


def _run(args: list[str], env: dict[str, str], terminal: bool) -> str:
    """Standard error of a command, run with a terminal (a pty) or a pipe as its standard error."""
    if not terminal:
        return subprocess.run(args, env=env, capture_output=True, text=True, check=True).stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait() == 0
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_a_cold_index_counts_up_on_a_terminal_and_not_in_a_pipe(tmp_path):
    root = tmp_path / "reg"
    _synthetic(root, 2100)
    args = [sys.executable, "-c", "from samverkan.cli.main import main; main()", "--registry", str(root), "list"]
    env = dict(os.environ, SAMVERKAN_CACHE_DIR=str(tmp_path / "a"))
    shown = _run(args, env, terminal=True)
    assert "Läser registret:" in shown and "Kontrollerar hänvisningar:" in shown
    env = dict(os.environ, SAMVERKAN_CACHE_DIR=str(tmp_path / "b"))
    assert "Läser registret" not in _run(args, env, terminal=False)
