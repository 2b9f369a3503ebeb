"""The registry as the two CSV files Neo4j's offline bulk import reads, for filling an empty database.

`neo4j sync` writes through Cypher transactions, which is what a shared, running server needs, but
costs the server work for every row. An empty database of one's own server is filled far faster
by Neo4j's import tool, which writes the store files directly while the server is stopped
(`scripts/neo4j-server import DIR`). The files hold exactly the nodes and relationships a sync
would write (the same rows: labels, types, properties and hashes), so a `neo4j sync` afterwards
finds nothing to change; it adds the indexes a later sync needs.

The format is the import tool's: a header naming each column (`id:ID`, `:LABEL`, `:START_ID`,
`:END_ID`, `:TYPE`, lists as `name:string[]`), every value quoted with `"` doubled inside it, an
empty unquoted field for a property a row does not have, list items separated by `ARRAY_DELIMITER`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from samverkan.graphs.backends.neo4j_sync import NodeRow, RelRow

__all__ = ["ARRAY_DELIMITER", "NODES_FILE", "RELATIONSHIPS_FILE", "write_import_files"]

NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"
ARRAY_DELIMITER = "\x1f"  # the unit separator: no registry text holds it (checked when written)


def _field(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if any(not isinstance(v, str) or ARRAY_DELIMITER in v for v in value):
            raise ValueError(f"{where}: en lista som importformatet inte kan hålla (tecknet U+001F)")
        value = ARRAY_DELIMITER.join(value)
    elif not isinstance(value, str):
        raise ValueError(f"{where}: ett värde som inte är text ({type(value).__name__})")
    return '"' + value.replace('"', '""') + '"'


def _columns(rows: Iterable[dict[str, Any]], fixed: Sequence[str]) -> tuple[list[str], list[str]]:
    """The property columns (sorted) and their header names (lists typed `string[]`)."""
    kinds: dict[str, bool] = {}
    for props in rows:
        for key, value in props.items():
            kinds[key] = kinds.get(key, False) or isinstance(value, list)
    keys = sorted(k for k in kinds if k not in fixed)
    return keys, [f"{k}:string[]" if kinds[k] else k for k in keys]


def _write(path: Path, header: list[str], lines: Iterable[str]) -> None:
    """The whole file or nothing: written beside and renamed into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(header) + "\n")
            fh.writelines(lines)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_import_files(rows: Iterable[tuple[NodeRow, list[RelRow]]], out: Path) -> tuple[int, int]:
    """Write NODES_FILE and RELATIONSHIPS_FILE under `out`; (nodes, relationships) written.

    ValueError (naming the node or relationship) for a value the format cannot hold; a file is
    written whole or not at all.
    """
    nodes: list[NodeRow] = []
    rels: list[RelRow] = []
    for node, node_rels in rows:
        nodes.append(node)
        rels.extend(node_rels)
    out.mkdir(parents=True, exist_ok=True)

    keys, names = _columns((n.props for n in nodes), ("id",))
    _write(
        out / NODES_FILE,
        ["id:ID", ":LABEL", *names],
        (
            ",".join([_field(n.id, n.id), _field(list(n.labels), n.id), *(_field(n.props.get(k), n.id) for k in keys)])
            + "\n"
            for n in nodes
        ),
    )
    keys, names = _columns((r.props for r in rels), ())
    _write(
        out / RELATIONSHIPS_FILE,
        [":START_ID", ":END_ID", ":TYPE", *names],
        (
            ",".join(
                [
                    _field(r.source, r.key),
                    _field(r.target, r.key),
                    _field(r.type, r.key),
                    *(_field(r.props.get(k), r.key) for k in keys),
                ]
            )
            + "\n"
            for r in rels
        ),
    )
    return len(nodes), len(rels)
