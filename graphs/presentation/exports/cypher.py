"""A plain Cypher script that recreates the graph in any Neo4j, with cypher-shell or the browser.

Every value travels as a parameter (`:param rows => [...]`, at most 50 rows a line, written as
Cypher literals by a serialiser, never spliced into a query), set again before each statement; the
queries themselves are fixed text whose only variable parts are labels and relationship types from
the closed vocabulary, the same labels `samverkan neo4j sync` uses, so the server plans each once.
Evidence is kept as JSON text on each node and relationship.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", kind="nämnd", name='Ö"s', category="actor")
>>> ':param rows => [{`id`: "a"' in cypher_bytes(g).decode()
True
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import networkx as nx

from samverkan.registry.vocabulary import Category, Kind, RelationType

__all__ = ["cypher_bytes", "cypher_literal"]

CHUNK = 50  # rows per parameter line
_NODE_FIELDS = ("name", "kind", "category", "short_name", "aliases", "description", "status", "from", "until", "note")
_EDGE_FIELDS = ("type", "role", "status", "from", "until", "stance", "question", "scope", "text", "note")


def cypher_literal(value: Any) -> str:
    """A value as a Cypher literal: strings double-quoted with JSON's escapes (which Cypher reads
    the same), maps with backticked keys.

    >>> cypher_literal({"a`b": ["x\\n", 1, None, True]})
    '{`a``b`: ["x\\\\n", 1, null, true]}'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"`{str(k).replace('`', '``')}`: {cypher_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _labels(data: dict[str, Any]) -> str:
    from samverkan.graphs.backends.neo4j_sync import CATEGORY_LABELS, KIND_LABELS

    return f"{CATEGORY_LABELS[Category(data['category'])]}:{KIND_LABELS[Kind(data['kind'])]}"


def _props(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    props = {f: data[f] for f in fields if data.get(f) not in (None, "", [])}
    if data.get("evidence"):
        props["evidence"] = json.dumps(data["evidence"], ensure_ascii=False, sort_keys=True)
    return props


def _chunks(rows: list[dict[str, Any]], size: int = CHUNK) -> list[list[dict[str, Any]]]:
    """Rows in parameter lines of bounded size: a parser reads a short literal much faster."""
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def cypher_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The export graph as a Cypher script: constraint, nodes by label, relationships by type."""
    from samverkan.graphs.backends.neo4j_sync import REL_TYPES

    lines = [
        "// samverkan: the registry as Cypher. Run with: cypher-shell -f this-file.cypher",
        "CREATE CONSTRAINT samverkan_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;",
    ]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        groups[_labels(data)].append({"id": node, "props": _props(data, _NODE_FIELDS)})
    for labels, rows in sorted(groups.items()):
        for chunk in _chunks(rows):
            lines.append(f":param rows => {cypher_literal(chunk)}")
            lines.append(f"UNWIND $rows AS row MERGE (n:Entity {{id: row.id}}) SET n += row.props, n:{labels};")
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for src, dst, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        row = {"source": src, "target": dst, "key": key, "props": _props(data, _EDGE_FIELDS)}
        by_type[REL_TYPES[RelationType(data["type"])]].append(row)
    for rel_type, rows in sorted(by_type.items()):
        for chunk in _chunks(rows):
            lines.append(f":param rows => {cypher_literal(chunk)}")
            lines.append(
                f"UNWIND $rows AS row MATCH (a:Entity {{id: row.source}}) MATCH (b:Entity {{id: row.target}}) "
                f"MERGE (a)-[r:{rel_type} {{key: row.key}}]->(b) SET r += row.props;"
            )
    return ("\n".join(lines) + "\n").encode("utf-8")
