"""The README's Neo4j sequence works as written, and the password can come from a file."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from samverkan.graphs.backends.neo4j_conn import Neo4jSettings
from samverkan.registry.errors import BackendUnavailableError

from .neo4j_server import SCRIPT, SERVER_ENV, _free_port

ROOT = Path(__file__).resolve().parents[1]


def _readme_neo4j_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Neo4j\n", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def test_the_readme_sequence_runs_as_written(neo4j_settings, tmp_path):
    """Run against the tests' server: `start` finds it running; the last line, `stop`, is left to
    the fixture that started it (a second server would double the time and prove nothing more)."""
    if not SERVER_ENV:
        pytest.skip("the tests use a server given by NEO4J_URI, not one scripts/neo4j-server started")
    lines = _readme_neo4j_block().strip().splitlines()
    assert lines[0].startswith("scripts/neo4j-server start") and lines[-1] == "scripts/neo4j-server stop"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "SAMVERKAN_REGISTRY"))}
    env.update(SERVER_ENV)
    block = "\n".join(lines[:-1]).replace("kopia/", f"{tmp_path}/kopia/")
    done = subprocess.run(
        ["bash", "-c", f"set -euo pipefail\ncd {ROOT}\n{block}"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Samverkan barn och unga i Malmö" in done.stdout  # `who SBUM` answered by Cypher
    assert any((tmp_path / "kopia").rglob("*.yaml"))
    assert neo4j_settings.password not in done.stdout + done.stderr


def test_env_prints_nothing_when_no_server_runs(tmp_path):
    env = dict(os.environ, NEO4J_PORT=str(_free_port()), SAMVERKAN_NEO4J_STATE=str(tmp_path / "none"))
    done = subprocess.run([str(SCRIPT), "env"], check=False, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""


def test_the_password_can_come_from_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    secret = tmp_path / "password"
    secret.write_text("hemligt\n", encoding="utf-8")
    monkeypatch.setenv("NEO4J_PASSWORD_FILE", str(secret))
    assert Neo4jSettings.resolve().password == "hemligt"
    assert "hemligt" not in repr(Neo4jSettings.resolve())
    monkeypatch.setenv("NEO4J_PASSWORD", "från-miljön")  # the variable wins over the file
    assert Neo4jSettings.resolve().password == "från-miljön"


def test_a_missing_password_file_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD_FILE", str(tmp_path / "saknas"))
    with pytest.raises(BackendUnavailableError, match="NEO4J_PASSWORD_FILE"):
        Neo4jSettings.resolve()
    monkeypatch.delenv("NEO4J_PASSWORD_FILE")
    with pytest.raises(BackendUnavailableError, match="lösenordet saknas"):
        Neo4jSettings.resolve()
