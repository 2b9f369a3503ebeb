"""A registry path that is not a registry is a one-line usage error, never a scan of it."""

from __future__ import annotations

import pytest


@pytest.fixture
def not_registries(tmp_path):
    (tmp_path / "a-file.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "deep").mkdir()
    (tmp_path / "plain" / "deep" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "--registry är tom"),
        ("a-file.yaml", "är en fil, inte en registerkatalog"),
        ("plain", "är ingen registerkatalog"),
    ],
)
def test_a_registry_that_is_not_one_is_a_usage_error(run, not_registries, monkeypatch, path, message):
    monkeypatch.chdir(not_registries)
    result = run("--registry", path, "who", "SBUM", registry=None)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Fel: ")
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["validate", "fmt"])
def test_an_empty_directory_argument_is_a_usage_error(run, not_registries, monkeypatch, command):
    monkeypatch.chdir(not_registries)
    result = run(command, "", registry=None)
    assert result.exit_code == 2 and "katalogen är tom" in result.stderr
    result = run(command, "plain", registry=None)
    assert result.exit_code == 2 and "är ingen registerkatalog" in result.stderr


def test_an_empty_directory_is_an_empty_registry(run, not_registries, monkeypatch):
    monkeypatch.chdir(not_registries)
    result = run("--registry", "empty", "list", "--json", registry=None)
    assert result.exit_code == 0 and '"results": []' in result.stdout
