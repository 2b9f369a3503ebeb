"""The rows of a Neo4j sync made from the registry's index instead of its YAML files.

A clean index (see `samverkan.registry.index`) holds what each entity file says, already checked
as the loader checks it (each file, and every cross-file reference). The rows are made from that
data exactly as from a loaded file, by the same models and the same `node_row` / `rel_rows`, so
the plan is the same; but no YAML is parsed and no cross-file check is redone, and the work is
spread over worker processes, one per core. When the index is not clean (or `SAMVERKAN_CACHE=0`)
there are no rows here: sync then reads the files, which reports the problems.

A re-sync after an analyst changed one file should not make a million rows to find the one that
differs. `index_plan` keeps the hashes of each entity file's rows in a cache beside the index
(by the file's content hash and the code that makes rows), compares those with the database's,
and makes full rows only for the entities whose rows are to be written. A document's rows hold
its source text, which is another file: they are always made anew.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.graphs.backends.neo4j_sync import NodeRow, RelRow, SyncPlan, node_row, plan_rows, rel_rows

if TYPE_CHECKING:
    from samverkan.registry.index import RegistryIndex

__all__ = ["CachedRows", "cached_rows", "index_rows", "rows_of"]

EntityRows = tuple[NodeRow, list[RelRow]]
State = tuple[dict[str, str], dict[str, str]]


def rows_of(root: str, items: list[tuple[str, str, str]]) -> list[EntityRows]:
    """The rows of entities given as (id, path, data as the file says it); top-level for workers."""
    from samverkan.registry.models import validate_entity
    from samverkan.registry.store import Registry

    registry = Registry(root=Path(root))  # what node_row asks of it: a document's source text
    out = []
    for _, path, data in items:
        entity = validate_entity(json.loads(data))
        registry.entities[entity.id] = entity
        registry.paths[entity.id] = path
        out.append((node_row(registry, entity), list(rel_rows(entity))))
    return out


def _clean_index(root: Path) -> RegistryIndex | None:
    """The registry's index, when it can be trusted to stand for the files: clean, and the cache
    not turned off (otherwise sync reads the files, which reports the problems)."""
    if os.environ.get("SAMVERKAN_CACHE") == "0":
        return None
    from samverkan.registry.index import open_index

    index = open_index(root)
    return index if index.clean else None


def index_rows(root: Path) -> list[EntityRows] | None:
    """Every entity's rows in id order (as `registry_rows` gives them), or None (see `_clean_index`)."""
    index = _clean_index(root)
    return None if index is None else _rows_for(index)


def _rows_for(index: RegistryIndex, paths: list[str] | None = None) -> list[EntityRows]:
    """The rows of the entities in these files (all of them without `paths`), in id order."""
    from samverkan.registry.index import select_in
    from samverkan.registry.parallel import in_workers
    from samverkan.registry.progress import Progress

    sql = "SELECT id, path, data FROM entities"
    found = index.db.execute(sql) if paths is None else select_in(index.db, sql + " WHERE path IN ({})", paths)
    items = sorted(found)
    return list(in_workers(rows_of, str(index.root), items, Progress("Förbereder synk", len(items))))


def _code_version(index: RegistryIndex) -> str:
    """What made the cached hashes: the index's code, and this package's."""
    from samverkan.registry.index import code_version

    return code_version(Path(__file__).parent, seed=index.meta("version") or "")


def _open_cache(index: RegistryIndex) -> sqlite3.Connection | None:
    """The hash cache beside the index, emptied when another code made it; None when it cannot be
    opened (a re-sync then makes every row, as the first one did)."""
    from samverkan.registry.index import index_path

    path = index_path(index.root).with_suffix(".neo4j.sqlite")
    version = _code_version(index)
    for _ in range(2):
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(str(path), timeout=60)
            db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS hashes(path TEXT PRIMARY KEY, file_hash TEXT, node_hash TEXT, rels BLOB)"
            )
            found = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if found is None or found[0] != version:
                with db:
                    db.execute("DELETE FROM hashes")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
            return db
        except sqlite3.DatabaseError:  # damaged or foreign: a cache, so start it again
            if db is not None:
                db.close()
            with contextlib.suppress(OSError):
                path.unlink()
        except OSError:
            return None
    return None


def _stand_in(entity_id: str, node_hash: str, rels: list[tuple[str, str]]) -> EntityRows:
    """Rows that carry only what planning compares: ids, keys and hashes."""
    return NodeRow(entity_id, (), {"hash": node_hash}), [RelRow(k, "", entity_id, "", {"hash": h}) for k, h in rels]


class CachedRows:
    """Every entity's rows as planning compares them: full rows for the entities whose file changed
    since their hashes were cached (and for documents), ids, keys and hashes for the rest."""

    def __init__(self, index: RegistryIndex) -> None:
        self.index = index
        self.items = index.db.execute(
            "SELECT e.id, e.path, f.hash, e.kind FROM entities e JOIN files f ON f.path = e.path ORDER BY e.id"
        ).fetchall()
        cache = _open_cache(index)
        cached: dict[str, tuple[str, str, bytes]] = {}
        if cache is not None:
            cached = {r[0]: r[1:] for r in cache.execute("SELECT path, file_hash, node_hash, rels FROM hashes")}
        stale = [p for _, p, digest, kind in self.items if kind == "dokument" or cached.get(p, ("",))[0] != digest]
        self.made = {row[0].id: row for row in _rows_for(index, stale)}
        if cache is not None:
            self._keep(cache, cached)
        self.rows = [
            self.made.get(i) or _stand_in(i, cached[path][1], marshal.loads(cached[path][2]))
            for i, path, _, _ in self.items
        ]

    def _keep(self, cache: sqlite3.Connection, cached: dict[str, tuple[str, str, bytes]]) -> None:
        """Cache the hashes of the rows just made; forget files that are gone."""
        keep = [
            (path, file_hash, self.made[i][0].props["hash"], marshal.dumps([(r.key, r.props["hash"]) for r in rels]))
            for i, path, file_hash, kind in self.items
            if i in self.made and kind != "dokument"
            for rels in [self.made[i][1]]
        ]
        gone = cached.keys() - {path for _, path, _, _ in self.items}
        with contextlib.suppress(sqlite3.DatabaseError), cache:
            cache.executemany("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)", keep)
            cache.executemany("DELETE FROM hashes WHERE path = ?", [(path,) for path in gone])
        cache.close()

    def plan(self, state: State, prune: bool = False) -> SyncPlan:
        """`plan_rows` over every entity, with full rows for everything the plan writes."""
        plan = plan_rows(self.rows, state, prune)
        wanted = {r.id for r in plan.create_nodes + plan.update_nodes}
        wanted |= {r.source for r in plan.create_rels + plan.update_rels}
        paths = {i: path for i, path, _, _ in self.items}
        full = {row[0].id: row for row in _rows_for(self.index, [paths[i] for i in wanted if i not in self.made])}
        full.update(self.made)
        by_key = {rel.key: rel for i in wanted for rel in full[i][1]}
        plan.create_nodes = [full[r.id][0] for r in plan.create_nodes]
        plan.update_nodes = [full[r.id][0] for r in plan.update_nodes]
        plan.create_rels = [by_key[r.key] for r in plan.create_rels]
        plan.update_rels = [by_key[r.key] for r in plan.update_rels]
        return plan


def cached_rows(root: Path) -> CachedRows | None:
    """The rows for a sync's plan from the registry's index, or None (see `_clean_index`)."""
    index = _clean_index(root)
    return None if index is None else CachedRows(index)
