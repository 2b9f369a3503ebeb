"""Shared fixtures: the hand-written mini registry, copies of it to break, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli.main import cli

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BROKEN = FIXTURES / "broken"


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini registry."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def run():
    """Invoke the CLI like a user would; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str, registry: Path | None = MINI):
        prefix = ["--registry", str(registry)] if registry is not None else []
        return runner.invoke(cli, [*prefix, *args], catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Each test session gets its own registry cache, never the user's."""
    monkeypatch.setenv("SAMVERKAN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


from .neo4j_server import neo4j_driver, neo4j_settings  # noqa: E402,F401 - fixtures for the Neo4j tests
