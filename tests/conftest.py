"""Shared fixtures: the hand-written mini registry, copies of it to break, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli.main import cli

pytest_plugins = [
    "tests.neo4j_server",  # the Neo4j fixtures: neo4j_settings, neo4j_driver
    "tests.browser",  # the browser fixture: one headless Chromium per module
]

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BROKEN = FIXTURES / "broken"


def add_near_duplicate(root: Path) -> None:
    """A second SBUM under a slightly different name, in a copy of the mini registry."""
    text = (
        "id: samverkan-för-barn-och-unga-malmö\nkind: samverkansforum\n"
        "name: Samverkan för barn och unga Malmö\nevidence:\n- source: protokoll\n  page: 1\n"
        "  quote: Samverkan barn och unga i Malmö (SBUM)\n"
    )
    (root / "structures" / "samverkan-för-barn-och-unga-malmö.yaml").write_text(text, encoding="utf-8")


def drop_sbum_alias(root: Path) -> None:
    """SBUM without the alias that names the near duplicate exactly (so validation lets both be)."""
    sbum = root / "structures" / "sbum.yaml"
    alias = "aliases:\n- Samverkan för Barn och Unga Malmö\n"
    sbum.write_text(sbum.read_text(encoding="utf-8").replace(alias, ""), encoding="utf-8")


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


NEEDS = {"neo4j_settings": "neo4j", "neo4j_driver": "neo4j", "browser": "browser"}  # fixture -> marker


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the Neo4j server's or the browser's fixture gets that marker, so that
    `-m "not neo4j and not browser"` leaves it out even where its module forgot the mark."""
    for item in items:
        for fixture, marker in NEEDS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)
