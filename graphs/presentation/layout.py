"""Node positions computed before a view is opened, so that large networks appear at once.

Graphviz's `sfdp` (a multilevel force-directed layout) is used when it is installed and the graph
is large; otherwise networkx's spring layout. Both are seeded: the same graph gets the same picture.

>>> import networkx as nx

from samverkan.registry.progress import stage
>>> pos = layout(nx.path_graph(3))
>>> sorted(pos), all(len(xy) == 2 for xy in pos.values())
([0, 1, 2], True)
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Hashable

import networkx as nx

from samverkan.registry.progress import stage

__all__ = ["SFDP_FROM", "layout"]

SFDP_FROM = 400  # nodes; below this networkx is quick enough and needs nothing installed
LAYOUT_SHOWN_FROM = 2000  # nodes; a layout this big takes seconds, so a terminal is told
SCALE = 1000.0  # vis-network pixels across the whole drawing


def _spring(graph: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    n = len(graph)
    pos = nx.spring_layout(graph, seed=7, k=2.5 / max(n, 1) ** 0.5, iterations=60 if n < 300 else 30)
    scale = SCALE * max(1.0, (n / 100) ** 0.5)  # room for labels as the graph grows
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in pos.items()}


def _sfdp(graph: nx.Graph) -> dict[Hashable, tuple[float, float]] | None:
    exe = shutil.which("sfdp")
    if exe is None:
        return None
    index = {n: i for i, n in enumerate(graph.nodes)}
    lines = ["graph G {"] + [f"{i};" for i in index.values()]
    lines += [f"{index[u]} -- {index[v]};" for u, v in graph.edges() if u != v]
    lines.append("}")
    try:
        out = subprocess.run(
            [exe, "-Tplain", "-Goverlap=true", "-Gstart=7"],
            input="\n".join(lines),
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return None
    back = {i: n for n, i in index.items()}
    raw: dict[Hashable, tuple[float, float]] = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            raw[back[int(parts[1])]] = (float(parts[2]), -float(parts[3]))
    if len(raw) != len(index):
        return None
    xs = [x for x, _ in raw.values()]
    ys = [y for _, y in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    factor = SCALE * max(1.0, (len(raw) / 500) ** 0.5) / span
    return {n: ((x - min(xs)) * factor, (y - min(ys)) * factor) for n, (x, y) in raw.items()}


def layout(graph: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node of an (undirected view of a) graph.

    The nodes and edges are put in a fixed order first: a subgraph's order follows the set it was
    chosen by, which changes from one Python process to the next, and the seeded layouts place
    nodes in the order they come.
    """
    undirected = nx.Graph(graph.to_undirected() if graph.is_directed() else graph)
    simple = nx.Graph()
    simple.add_nodes_from(sorted(undirected.nodes, key=str))
    simple.add_edges_from(sorted((tuple(sorted(e, key=str)) for e in undirected.edges), key=str))
    if len(simple) == 0:
        return {}
    with stage(f"Beräknar layout för {len(simple)} noder", shown=len(simple) >= LAYOUT_SHOWN_FROM):
        if len(simple) >= SFDP_FROM:
            pos = _sfdp(simple)
            if pos is not None:
                return pos
        return _spring(simple)
