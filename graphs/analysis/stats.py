"""Brokers: who connects the collaboration structure, and which structures hold it together.

Works on the participation graph (actors ↔ forums and processes) and its actor–actor projection,
where two actors are linked when they meet in at least one structure. Betweenness is exact up to a
few thousand nodes and sampled (with a fixed seed, so results repeat) above that.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, c in [("a", "actor"), ("b", "actor"), ("c", "actor"), ("f", "structure"), ("h", "structure")]:
...     g.add_node(n, category=c, kind="nämnd" if c == "actor" else "team", name=n.upper())
>>> for a, s in [("a", "f"), ("b", "f"), ("b", "h"), ("c", "h")]:
...     _ = g.add_edge(a, s, type="participates_in", role="deltar")
>>> [(r["id"], r["structures"], r["betweenness"]) for r in broker_stats(g)["actors"]]
[('b', 2, 1.0), ('a', 1, 0.0), ('c', 1, 0.0)]
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from networkx.algorithms import bipartite

from samverkan.graphs.contract import RelationType
from samverkan.registry.names import sort_key

__all__ = ["broker_stats", "participation_graph"]

EXACT_LIMIT = 3000


def participation_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Actors and structures as an undirected bipartite graph of participation."""
    g = nx.Graph()
    for src, dst, d in graph.edges(data=True):
        if d["type"] == RelationType.PARTICIPATES_IN:
            g.add_node(src, bipartite=0)
            g.add_node(dst, bipartite=1)
            g.add_edge(src, dst)
    return g


def _betweenness(g: nx.Graph) -> dict[str, float]:
    if g.number_of_nodes() <= EXACT_LIMIT:
        return nx.betweenness_centrality(g, normalized=True)
    return nx.betweenness_centrality(g, k=500, normalized=True, seed=7)


def broker_stats(graph: nx.MultiDiGraph, top: int | None = 20) -> dict[str, list[dict[str, Any]]]:
    """Actors ranked as brokers, and structures that connect otherwise separate groups."""
    part = participation_graph(graph)
    if part.number_of_nodes() == 0:  # nobody takes part in anything: no brokers to rank
        return {"actors": [], "structures": []}
    actors = sorted(n for n, d in part.nodes(data=True) if d["bipartite"] == 0)
    structures = sorted(n for n, d in part.nodes(data=True) if d["bipartite"] == 1)
    projection = bipartite.weighted_projected_graph(part, actors)
    between = _betweenness(projection)
    actor_rows = [
        {
            "id": a,
            "name": graph.nodes[a]["name"],
            "kind": graph.nodes[a]["kind"],
            "structures": part.degree(a),
            "degree": projection.degree(a),
            "betweenness": round(between.get(a, 0.0), 4),
        }
        for a in actors
    ]
    actor_rows.sort(key=lambda r: (-r["betweenness"], -r["structures"], sort_key(r["name"])))
    # a structure lies in as many blocks (biconnected components) as there would be separate
    # groups of its participants without it: two blocks through it share nothing else
    # (a participant found nowhere else is not a group the structure connects)
    blocks: dict[str, int] = {}
    for block in nx.biconnected_components(part):
        if len(block) == 2 and min(part.degree(n) for n in block) == 1:
            continue
        for node in block:
            blocks[node] = blocks.get(node, 0) + 1
    part_between = _betweenness(part)
    structure_rows = [
        {
            "id": s,
            "name": graph.nodes[s]["name"],
            "kind": graph.nodes[s]["kind"],
            "participants": part.degree(s),
            "betweenness": round(part_between.get(s, 0.0), 4),
            "connects_groups": blocks.get(s, 1),
        }
        for s in structures
    ]
    structure_rows.sort(key=lambda r: (-r["connects_groups"], -r["betweenness"], sort_key(r["name"])))
    if top is not None:
        actor_rows, structure_rows = actor_rows[:top], structure_rows[:top]
    return {"actors": actor_rows, "structures": structure_rows}
