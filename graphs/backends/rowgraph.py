"""A multigraph of plain dicts for the few rows one question reads.

`who`, `where`, `show` and `positions` answered from the index need a graph of one entity's
neighbourhood: a few dozen nodes. Importing networkx costs more than the whole answer on a
national registry (about 70 ms of a 0.4 s query), so these questions get a graph with only the
part of `networkx.MultiDiGraph`'s reading interface the embedded backend's row questions use,
kept in the same adjacency order, so the answers are the same.

>>> g = RowGraph()
>>> g.add_node("sbum", name="SBUM")
>>> g.add_node("fn", name="Fritidsnämnden")
>>> g.add_edge("fn", "sbum", key="fn#0", type="participates_in")
>>> [(u, v, d["type"]) for u, v, d in g.in_edges("sbum", data=True)]
[('fn', 'sbum', 'participates_in')]
>>> g.nodes["fn"]["name"], "fn" in g, sorted(g)
('Fritidsnämnden', True, ['fn', 'sbum'])
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["RowGraph"]

Adjacency = dict[str, dict[str, dict[str, dict[str, Any]]]]  # node -> neighbour -> key -> attributes


class _Nodes:
    """`graph.nodes`: a node's attributes by id, or with `(data=True)` the (node, attributes) pairs."""

    def __init__(self, nodes: dict[str, dict[str, Any]]) -> None:
        self._nodes = nodes

    def __getitem__(self, node: str) -> dict[str, Any]:
        return self._nodes[node]

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __contains__(self, node: object) -> bool:
        return node in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def __call__(self, data: bool = False) -> Iterator[Any]:
        return iter(self._nodes.items()) if data else iter(self._nodes)


class RowGraph:
    """Directed multigraph: nodes with attributes, keyed edges with attributes."""

    def __init__(self) -> None:
        self._node: dict[str, dict[str, Any]] = {}
        self._succ: Adjacency = {}
        self._pred: Adjacency = {}
        self.nodes = _Nodes(self._node)

    def add_node(self, node: str, **attrs: Any) -> None:
        if node not in self._node:
            self._succ[node], self._pred[node] = {}, {}
            self._node[node] = {}
        self._node[node].update(attrs)

    def add_edge(self, source: str, target: str, key: str, **attrs: Any) -> None:
        self.add_node(source)
        self.add_node(target)
        data = self._succ[source].setdefault(target, {}).setdefault(key, {})
        data.update(attrs)
        self._pred[target].setdefault(source, {})[key] = data

    def __contains__(self, node: object) -> bool:
        return node in self._node

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def out_edges(self, node: str, data: bool = False) -> Iterator[tuple[Any, ...]]:
        for other, keyed in self._succ[node].items():
            for attrs in keyed.values():
                yield (node, other, attrs) if data else (node, other)

    def in_edges(self, node: str, data: bool = False) -> Iterator[tuple[Any, ...]]:
        for other, keyed in self._pred[node].items():
            for attrs in keyed.values():
                yield (other, node, attrs) if data else (other, node)

    def edges(self, keys: bool = False, data: bool = False) -> Iterator[tuple[Any, ...]]:
        for node, around in self._succ.items():
            for other, keyed in around.items():
                for key, attrs in keyed.items():
                    yield (node, other) + ((key,) if keys else ()) + ((attrs,) if data else ())
