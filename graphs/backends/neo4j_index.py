"""The rows of a Neo4j sync made from the registry's index instead of its YAML files.

A clean index (see `samverkan.registry.index`) holds what each entity file says, already checked
as the loader checks it (each file, and every cross-file reference). The rows are made from that
data exactly as from a loaded file, by the same models and the same `node_row` / `rel_rows`, so
the plan is the same; but no YAML is parsed and no cross-file check is redone, and the work is
spread over worker processes, one per core. When the index is not clean (or `SAMVERKAN_CACHE=0`)
there are no rows here: sync then reads the files, which reports the problems.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from samverkan.graphs.backends.neo4j_sync import NodeRow, RelRow, node_row, rel_rows

__all__ = ["index_rows", "rows_of"]

EntityRows = tuple[NodeRow, list[RelRow]]


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


def index_rows(root: Path) -> list[EntityRows] | None:
    """Every entity's rows in id order (as `registry_rows` gives them), or None when the index
    cannot be trusted to stand for the files: not clean, or the cache turned off."""
    if os.environ.get("SAMVERKAN_CACHE") == "0":
        return None
    from samverkan.registry.index import open_index
    from samverkan.registry.parallel import in_workers
    from samverkan.registry.progress import Progress

    index = open_index(root)
    if not index.clean:
        return None
    items = sorted(index.db.execute("SELECT id, path, data FROM entities").fetchall())
    return list(in_workers(rows_of, str(index.root), items, Progress("Förbereder synk", len(items))))
