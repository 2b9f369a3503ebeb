"""The registry cache: answers from it only while nothing has changed."""

from __future__ import annotations

import os

from samverkan.registry.cache import load_checked


def test_cache_is_used_and_invalidated(mini_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMVERKAN_CACHE_DIR", str(tmp_path / "c"))
    first, problems = load_checked(mini_copy)
    assert problems == [] and list((tmp_path / "c").iterdir())
    again, _ = load_checked(mini_copy)
    assert again.entities == first.entities

    path = mini_copy / "structures" / "sbum.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("short_name: SBUM", "short_name: SBUMx"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even an old modification time counts: the size changed
    changed, _ = load_checked(mini_copy)
    assert changed.entities["sbum"].short_name == "SBUMx"


def test_cached_problems_are_reported_again(mini_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMVERKAN_CACHE_DIR", str(tmp_path / "c"))
    (mini_copy / "themes" / "trygghet.yaml").write_text("id: trygghet\nkind: tema\n", encoding="utf-8")
    assert load_checked(mini_copy)[1] == load_checked(mini_copy)[1] != []


def test_a_corrupt_cache_is_ignored(mini_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMVERKAN_CACHE_DIR", str(tmp_path / "c"))
    load_checked(mini_copy)
    for f in (tmp_path / "c").iterdir():
        f.write_bytes(b"not a pickle")
    registry, problems = load_checked(mini_copy)
    assert problems == [] and "sbum" in registry


def test_cache_can_be_switched_off(mini_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMVERKAN_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("SAMVERKAN_CACHE", "0")
    load_checked(mini_copy)
    assert not (tmp_path / "c").exists()


def test_cli_queries_answer_from_the_cache(mini_copy, tmp_path, monkeypatch, run):
    monkeypatch.setenv("SAMVERKAN_CACHE_DIR", str(tmp_path / "c"))
    assert run("who", "SBUM", registry=mini_copy).exit_code == 0
    (cached,) = (tmp_path / "c").iterdir()
    before = cached.stat().st_mtime_ns
    assert run("where", "Polisen", registry=mini_copy).exit_code == 0
    assert cached.stat().st_mtime_ns == before  # read, not rewritten
