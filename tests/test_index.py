"""The registry index: answers equal a from-scratch load, and follow every change to the files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.graphs.backends.indexed import IndexBackend
from samverkan.registry import index_rows
from samverkan.registry.index import index_path, open_index
from samverkan.registry.query import Filters
from samverkan.registry.validate import validate_path
from samverkan.seed import SEED_DIR

from .conftest import BROKEN, MINI
from .test_synthetic import SYNTH

FILTERS = [
    Filters(),
    Filters(include_proposed=True),
    Filters(as_of=date(2024, 6, 1)),
    Filters(include_proposed=True, include_persons=True),
]


def _answers(backend, ids: list[str]) -> dict[str, object]:
    """Every question the index answers from rows, as the CLI serialises them."""
    out: dict[str, object] = {"list": backend.list_entities(), "positions": [p.to_dict() for p in backend.positions()]}
    out["list nämnd"] = backend.list_entities("nämnd")
    out["sources"] = backend.sources()
    for i in ids:
        out[f"counted {i}"] = backend.is_counted(i)
        out[f"resolve {i}"] = backend.resolve(i).to_dict()
        if not backend.is_counted(i):
            continue
        out[f"show {i}"] = backend.show(i)
        for parts in (False, True):
            out[f"who {i} {parts}"] = [r.to_dict() for r in backend.who(i, parts)]
            out[f"where {i} {parts}"] = [r.to_dict() for r in backend.where(i, parts)]
    return json.loads(json.dumps(out, ensure_ascii=False))


def assert_index_equals_load(root: Path) -> None:
    """The index and a from-scratch load agree on validity and on every answer."""
    registry, problems = validate_path(root, quotes=False)
    index = open_index(root)
    assert index.clean == (problems == [])
    assert index.problems() == problems
    if problems:
        return
    ids = sorted(registry.entities)
    for filters in FILTERS:
        assert _answers(IndexBackend(index, filters), ids) == _answers(EmbeddedBackend(registry, filters), ids)
    # the analyses run over the whole graph, rebuilt from the index's rows
    assert IndexBackend(index).stats(top=None).to_dict() == EmbeddedBackend(registry).stats(top=None).to_dict()


@pytest.mark.parametrize("root", [MINI, SEED_DIR], ids=["mini", "seed"])
def test_index_answers_equal_a_load(root):
    assert_index_equals_load(root)


def test_index_answers_equal_a_load_on_a_synthetic_registry(synthetic):
    assert_index_equals_load(synthetic)


@pytest.mark.parametrize("name", sorted(p.name for p in BROKEN.iterdir()))
def test_index_knows_every_broken_registry(name):
    assert_index_equals_load(BROKEN / name)


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_incremental_edit_rename_delete_add(mini_copy):
    assert_index_equals_load(mini_copy)
    sbum = mini_copy / "structures" / "sbum.yaml"
    _edit(sbum, "short_name: SBUM", "short_name: SBUMx")
    assert_index_equals_load(mini_copy)
    assert open_index(mini_copy).db.execute("SELECT name FROM entities WHERE id = 'sbum'").fetchone()
    polisen = mini_copy / "actors" / "polisen.yaml"
    polisen.rename(polisen.with_suffix(".yml"))  # the loader reads .yml too
    assert_index_equals_load(mini_copy)
    copy = mini_copy / "actors" / "polisen-kopia.yml"
    copy.write_text(
        polisen.with_suffix(".yml").read_text(encoding="utf-8").replace("id: polisen", "id: polisen-kopia"),
        encoding="utf-8",
    )
    assert_index_equals_load(mini_copy)  # an added entity (here: names shared with polisen, a problem)
    copy.unlink()
    assert_index_equals_load(mini_copy)  # deleted again: clean
    polisen.with_suffix(".yml").unlink()  # a deleted .yml entity is gone from every answer
    assert_index_equals_load(mini_copy)
    assert "polisen" not in {r["id"] for r in IndexBackend(open_index(mini_copy)).list_entities()}


def test_only_changed_files_are_read_again(mini_copy, monkeypatch):
    open_index(mini_copy)
    read: list[str] = []
    original = index_rows.read_entity
    monkeypatch.setattr(index_rows, "read_entity", lambda root, rel: read.append(rel) or original(root, rel))
    _edit(mini_copy / "structures" / "sbum.yaml", "short_name: SBUM", "short_name: SBUMx")
    open_index(mini_copy)
    assert read == ["structures/sbum.yaml"]
    read.clear()
    open_index(mini_copy)
    assert read == []


def test_same_size_edit_with_the_modification_time_kept(mini_copy, run):
    path = mini_copy / "structures" / "sbum.yaml"
    old = path.stat()
    assert run("show", "SBUM", "--json", registry=mini_copy).exit_code == 0
    _edit(path, "short_name: SBUM", "short_name: SBUX")  # same size
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # as cp -a, rsync -a, touch -d do
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    shown = json.loads(run("show", "sbum", "--json", registry=mini_copy).output)
    assert shown["entity"]["short_name"] == "SBUX"
    assert_index_equals_load(mini_copy)


def test_same_second_edits_on_a_file_system_with_coarse_times(mini_copy, monkeypatch):
    """Two same-size edits inside one timestamp tick: the stat data says nothing changed."""
    path = mini_copy / "structures" / "sbum.yaml"
    tick = (path.stat().st_mtime_ns // 1_000_000_000) * 1_000_000_000
    open_index(mini_copy)
    for short in ("SBUA", "SBUB"):
        _edit(path, path.read_text(encoding="utf-8").split("short_name: ")[1].split("\n")[0], short)
        os.utime(path, ns=(tick, tick))
        assert open_index(mini_copy).db.execute(
            "SELECT json_extract(attrs, '$.short_name') FROM entities WHERE id = 'sbum'"
        ).fetchone() == (short,)


def test_source_deleted_then_restored(mini_copy, run):
    sources = mini_copy / "sources"
    kept = mini_copy.parent / "kept-sources"
    assert run("who", "SBUM", registry=mini_copy).exit_code == 0
    shutil.move(sources, kept)
    refused = run("who", "SBUM", registry=mini_copy)
    assert refused.exit_code == 1 and "problem" in refused.output
    shutil.move(kept, sources)
    assert run("who", "SBUM", registry=mini_copy).exit_code == 0
    assert_index_equals_load(mini_copy)


def test_a_registry_moved_onto_another_path(mini_copy, tmp_path, run):
    other = tmp_path / "other"
    shutil.copytree(mini_copy, other, copy_function=shutil.copy2)  # same times, as cp -a
    _edit(other / "structures" / "sbum.yaml", "short_name: SBUM", "short_name: SBUX")
    assert json.loads(run("show", "sbum", "--json", registry=mini_copy).output)["entity"]["short_name"] == "SBUM"
    shutil.rmtree(mini_copy)
    other.rename(mini_copy)
    assert json.loads(run("show", "sbum", "--json", registry=mini_copy).output)["entity"]["short_name"] == "SBUX"


@pytest.mark.parametrize("damage", [b"not a database", b"SQLite format 3\x00" + b"\xff" * 4000, b""])
def test_a_corrupt_index_is_rebuilt(mini_copy, run, damage):
    assert run("who", "SBUM", registry=mini_copy).exit_code == 0
    path = index_path(mini_copy)
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    path.write_bytes(damage)
    result = run("who", "SBUM", "--json", registry=mini_copy)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM entities").fetchone()[0] > 0


def test_a_foreign_index_is_not_trusted(mini_copy, tmp_path, run):
    other = tmp_path / "other"
    shutil.copytree(mini_copy, other)
    _edit(other / "structures" / "sbum.yaml", "short_name: SBUM", "short_name: SBUX")
    run("who", "SBUM", registry=other)
    shutil.copyfile(index_path(other), index_path(mini_copy))  # an index of another registry
    assert json.loads(run("show", "sbum", "--json", registry=mini_copy).output)["entity"]["short_name"] == "SBUM"


def test_deleting_the_index_loses_nothing(mini_copy, run):
    before = run("who", "SBUM", "--json", registry=mini_copy).output
    index_path(mini_copy).unlink()
    assert run("who", "SBUM", "--json", registry=mini_copy).output == before


def test_merge_after_a_rename_to_yml_keeps_the_edit(mini_copy, run):
    """Issue repro: a query, an edit to a .yml file, then a merge must not undo the edit."""
    polisen = mini_copy / "actors" / "polisen.yaml"
    yml = polisen.with_suffix(".yml")
    polisen.rename(yml)
    assert run("who", "SBUM", registry=mini_copy).exit_code == 0
    _edit(yml, "name: Polisen", "name: Polisen\ndescription: Tillagd rad.")
    result = run("merge", "sbum", "örat-mot-marken", registry=mini_copy)  # rewrites polisen's relation
    assert result.exit_code == 0, result.output
    written = [p for p in (polisen, yml) if p.exists()]
    assert written and all("description: Tillagd rad." in p.read_text(encoding="utf-8") for p in written)
    assert all("örat-mot-marken" not in p.read_text(encoding="utf-8") for p in written)


def test_a_cache_directory_that_cannot_be_written_costs_only_speed(mini_copy, tmp_path, monkeypatch, run):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("SAMVERKAN_CACHE_DIR", str(blocked / "cache"))
    result = run("who", "SBUM", "--json", registry=mini_copy)
    assert result.exit_code == 0 and json.loads(result.output)["results"]


def test_the_index_can_be_switched_off(mini_copy, tmp_path, monkeypatch, run):
    monkeypatch.setenv("SAMVERKAN_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("SAMVERKAN_CACHE", "0")
    assert run("who", "SBUM", registry=mini_copy).exit_code == 0
    assert not (tmp_path / "c").exists()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    import importlib.util

    spec = importlib.util.spec_from_file_location("synth", SYNTH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path_factory.mktemp("synth-index") / "reg"
    module.generate(root, structures=120, municipalities=3, seed=7)
    return root


def test_what_others_check_is_followed(mini_copy, monkeypatch):
    """An edit that changes what other files' checks see (a consultation's questions, a kind) is
    checked again in those files; an edit that does not, is not."""
    open_index(mini_copy)
    checked: list[str] = []
    original = index_rows.cross_check

    def counting(root, items, lookup):
        items = list(items)
        checked.extend(rel for rel, _ in items)
        return original(root, items, lookup)

    monkeypatch.setattr(index_rows, "cross_check", counting)
    remiss = mini_copy / "consultations" / "remiss-2024.yaml"
    _edit(remiss, "text: Vem bör samordna?", "text: Vem ska samordna?")  # the questions' text only
    assert_index_equals_load(mini_copy)
    assert "actors/fritidsnämnden.yaml" in checked  # a consultation's data is what positions see
    checked.clear()
    _edit(mini_copy / "structures" / "sbum.yaml", "short_name: SBUM", "short_name: SBUMx")
    open_index(mini_copy)
    assert checked == ["structures/sbum.yaml"]  # same id, same kind: nobody else's check can change
    _edit(remiss, "- id: '2'\n  text: Vem ska samordna?\n", "")
    assert_index_equals_load(mini_copy)  # positions on question 2 now name a question that is gone
    assert not open_index(mini_copy).clean


def test_a_sources_folder_replaced_by_a_link_out_of_the_registry(mini_copy, tmp_path, run):
    outside = tmp_path / "utanför"
    shutil.move(mini_copy / "sources", outside)
    (mini_copy / "sources").symlink_to(outside, target_is_directory=True)
    assert_index_equals_load(mini_copy)  # a source through a link out of the registry is not read
    (mini_copy / "sources").unlink()
    shutil.move(outside, mini_copy / "sources")
    assert_index_equals_load(mini_copy)


def test_more_folders_than_descriptors_kept_open_are_scanned_by_path(mini_copy, monkeypatch):
    from samverkan.registry import index

    for n in range(5):
        (mini_copy / "sources" / f"del-{n}").mkdir()
        (mini_copy / "sources" / f"del-{n}" / "text.txt").write_text("x", encoding="utf-8")
    everything = index._scanned(mini_copy).files
    monkeypatch.setattr(index, "FOLDER_DESCRIPTORS", 2)
    listed = index._listing(mini_copy)
    assert sum(isinstance(where, int) for _, where, _ in listed) == 2 < len(listed)
    index._close(listed)
    assert index._scanned(mini_copy).files == everything
    assert "sources/del-4/text.txt" in everything


def test_a_scan_beside_the_command_sees_what_a_scan_in_it_sees(mini_copy, monkeypatch):
    from samverkan.registry import index

    alone = index._scanned(mini_copy)
    listed = index._listing(mini_copy)
    shares = [index._stat_share(listed, part, 2) for part in range(2)]
    index._close(listed)
    assert not set(shares[0]) & set(shares[1]) and {**shares[0], **shares[1]} == alone.files
    monkeypatch.setattr(index.threading, "active_count", lambda: 1)  # in child processes
    beside = index.start_scan(mini_copy)()
    assert beside.files == alone.files and beside.digest == index.start_scan(mini_copy)().digest
    monkeypatch.setattr(index.threading, "active_count", lambda: 2)  # in a thread, as where others run
    assert index.start_scan(mini_copy)().files == alone.files


def test_an_edit_after_a_scan_beside_the_command_is_seen(mini_copy):
    from samverkan.registry.index import start_scan

    open_index(mini_copy, start_scan(mini_copy))  # the index now keeps this scan's digest
    sbum = mini_copy / "structures" / "sbum.yaml"
    _edit(sbum, "short_name: SBUM", "short_name: SBUMy")
    index = open_index(mini_copy, start_scan(mini_copy))
    assert index.db.execute("SELECT aliases, data FROM entities WHERE id = 'sbum'").fetchone()[1].count("SBUMy") == 1
    assert_index_equals_load(mini_copy)
