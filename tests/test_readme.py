"""The README's examples are real: each console block is run and its output compared."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```console\n\$ (samverkan .*?)\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)


def test_the_readme_has_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize(("command", "expected"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_readme_example(command, expected, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert result.stdout == expected


def test_first_screen_has_exactly_two_fresh_machine_commands():
    head = (ROOT / "README.md").read_text("utf-8").split("---", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", head, re.S)
    assert len(commands) == 2
    assert "pytest" in commands[1]
    assert "samverkan" in commands[0]
    assert "./scripts/setup --dev && python3 -m pytest" in (ROOT / ".ci" / "run").read_text("utf-8")
