"""The export graph as tables: one row per entity and per relation, in the layout of
`samverkan.registry.tabular`, sorted by id and by relation key. Shared by csv and xlsx.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("sbum", kind="samverkansforum", name="SBUM", category="structure")
>>> header, rows = entity_table(g)
>>> header[:4], rows[0][:4]
(['id', 'category', 'kind', 'name'], ['sbum', 'structure', 'samverkansforum', 'SBUM'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from samverkan.registry.tabular import entity_header, entity_row, evidence_count, relation_header, relation_row

__all__ = ["entity_data", "entity_table", "relation_table"]

Table = tuple[list[str], list[list[str]]]


def entity_data(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """A node's attributes as the entity's canonical data (its file's content but relations)."""
    data = {k: v for k, v in graph.nodes[node].items() if k != "category"}
    return {"id": node, **data}


def entity_table(graph: nx.MultiDiGraph, nodes: Iterable[str] | None = None) -> Table:
    """Entities (all, or the given ones) as a header and rows sorted by id."""
    chosen = sorted(graph.nodes if nodes is None else nodes)
    data = [entity_data(graph, n) for n in chosen]
    n = evidence_count(data)
    return entity_header(n), [entity_row(d, n) for d in data]


def relation_table(graph: nx.MultiDiGraph, rel_type: str | None = None) -> Table:
    """Relations (all, or of one type) as a header and rows sorted by relation key."""
    edges = sorted(
        (key, src, {**attrs, "target": dst})
        for src, dst, key, attrs in graph.edges(keys=True, data=True)
        if rel_type is None or attrs["type"] == rel_type
    )
    n = evidence_count(d for _, _, d in edges)
    return relation_header(n), [relation_row(src, key, d, n) for key, src, d in edges]
