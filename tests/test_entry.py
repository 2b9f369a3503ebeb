"""The console script: it looks at the registry's files from its first moment, and answers as the
command line does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from samverkan.cli.entry import registry_argument
from samverkan.registry import changes
from samverkan.registry.index import early_scan, scan_early
from samverkan.seed import SEED_DIR

from .conftest import MINI


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--registry", "reg", "who", "X"], {}, Path("reg")),
        (["--registry=reg", "who", "X"], {}, Path("reg")),
        (["--backend", "neo4j", "--registry", "reg", "who"], {}, Path("reg")),
        (["who", "--registry", "other"], {"SAMVERKAN_REGISTRY": "env"}, Path("env")),  # the command's own option
        (["who", "X"], {}, SEED_DIR),
        (["--registry", "", "who"], {}, None),
        (["--registry"], {}, None),
    ],
)
def test_the_registry_is_found_as_the_command_line_finds_it(args, env, expected):
    assert registry_argument(args, env) == expected


def test_an_early_scan_is_used_once_and_never_after_a_write(tmp_path):
    scan_early(MINI)
    scan = early_scan(MINI)
    assert scan is not None and set(scan().files) >= {"structures/sbum.yaml", "actors/polisen.yaml"}
    assert early_scan(MINI) is None  # once
    scan_early(MINI)
    changes.wrote()  # this process changed a registry: what the scan saw may be out of date
    assert early_scan(MINI) is None


def _console(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = "from samverkan.cli.entry import main; main()"
    return subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, check=False)


def test_the_console_script_answers_as_the_command_line(tmp_path, run):
    env = dict(os.environ, SAMVERKAN_CACHE_DIR=str(tmp_path / "cache"))
    for args in (["--registry", str(MINI), "who", "SBUM", "--json"], ["--registry", str(MINI), "where", "polisen"]):
        first, again = _console(*args, env=env), _console(*args, env=env)  # a new index, then a current one
        assert first.returncode == again.returncode == 0, first.stderr
        assert first.stdout == again.stdout == run(*args).output
    json.loads(_console("--registry", str(MINI), "who", "SBUM", "--json", env=env).stdout)


def test_a_folder_that_is_no_registry_is_left_to_the_command(tmp_path):
    env = dict(os.environ, SAMVERKAN_CACHE_DIR=str(tmp_path / "cache"))
    folder = tmp_path / "papper"
    folder.mkdir()
    (folder / "anteckning.txt").write_text("inget register\n", encoding="utf-8")
    done = _console("--registry", str(folder), "who", "SBUM", env=env)
    assert done.returncode == 2 and "ingen registerkatalog" in done.stderr
    assert not (tmp_path / "cache").exists()
