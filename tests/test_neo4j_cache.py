"""A sync's plan from the index's cached row hashes equals the plan from every entity's rows, and
makes full rows only for what changed since the last sync (no server needed: the database's state
is given as the hashes it would hold)."""

from __future__ import annotations

from pathlib import Path

from samverkan.graphs.backends import neo4j_index
from samverkan.graphs.backends.neo4j_index import cached_rows
from samverkan.graphs.backends.neo4j_sync import plan_rows, registry_rows
from samverkan.registry.index import index_path
from samverkan.registry.validate import open_registry


def _state(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The hashes a database in step with the registry holds."""
    rows = list(registry_rows(open_registry(root)))
    return {n.id: n.props["hash"] for n, _ in rows}, {r.key: r.props["hash"] for _, rels in rows for r in rels}


def _same(a, b) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in ("create_nodes", "update_nodes", "create_rels", "update_rels"))


def test_only_what_changed_is_made_whole(mini_copy):
    first = cached_rows(mini_copy)
    assert first is not None and len(first.made) == len(first.items)  # nothing cached yet
    state = _state(mini_copy)
    assert first.plan(state).is_empty
    again = cached_rows(mini_copy)
    assert again is not None and set(again.made) == {"protokoll"}  # a document's rows hold its source text
    assert again.plan(state).is_empty

    path = mini_copy / "structures" / "sbum.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: ", "name: Nya ", 1), encoding="utf-8")
    changed = cached_rows(mini_copy)
    assert changed is not None and set(changed.made) == {"protokoll", "sbum"}
    plan = changed.plan(state)
    assert [n.id for n in plan.update_nodes] == ["sbum"] and plan.steps == 1
    assert _same(plan, plan_rows(registry_rows(open_registry(mini_copy)), state))


def test_into_an_empty_database_every_row_is_whole(mini_copy):
    cached_rows(mini_copy)  # fills the cache
    prepared = cached_rows(mini_copy)
    assert prepared is not None
    plan = prepared.plan(({}, {}))
    expected = plan_rows(registry_rows(open_registry(mini_copy)), ({}, {}))
    assert plan.into_empty and _same(plan, expected)
    assert all(row.labels and len(row.props) > 1 for row in plan.create_nodes)


def test_a_damaged_or_outdated_cache_is_started_again(mini_copy, monkeypatch):
    cached_rows(mini_copy)
    cache = index_path(mini_copy.resolve()).with_suffix(".neo4j.sqlite")
    cache.write_bytes(b"not a database" * 100)
    prepared = cached_rows(mini_copy)
    assert prepared is not None and len(prepared.made) == len(prepared.items)
    assert prepared.plan(_state(mini_copy)).is_empty
    monkeypatch.setattr(neo4j_index, "_code_version", lambda index: "other code")
    assert len(cached_rows(mini_copy).made) == len(prepared.items)  # made by other code: not trusted
