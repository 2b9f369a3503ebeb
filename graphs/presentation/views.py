"""What a network view shows: which nodes and edges, and how each looks and explains itself.

A view is plain data (vis-network node and edge dictionaries, a legend, a title), built from the
graph; `samverkan.graphs.presentation.html` turns it into a page. Every tooltip is plain text, to be shown as text: a
name containing markup stays a name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from samverkan.graphs.contract import CLASS_LABELS, Category, RelationType, Role, Status, linked_from, part_of_walk
from samverkan.graphs.presentation.layout import layout
from samverkan.graphs.presentation.titles import VIEWS
from samverkan.registry.names import sort_key
from samverkan.registry.vocabulary import (
    FORUM_KINDS,
    MUNICIPAL_KINDS,
    OTHER_PUBLIC_KINDS,
    OTHER_STRUCTURE_KINDS,
    PROCESS_KINDS,
    REFERENCE_KINDS,
    RELATION_LABELS,
    STRATEGY_KINDS,
)

__all__ = ["VIEWS", "View", "build_view"]
PHYSICS_UP_TO = 150  # nodes: above this, the precomputed layout is shown as is, physics off

_MUNICIPAL = frozenset(k.value for k in MUNICIPAL_KINDS)
_EXTERNAL = frozenset(k.value for k in OTHER_PUBLIC_KINDS)
# style group -> (Swedish legend label, colour, vis-network shape)
STYLES: dict[str, tuple[str, str, str]] = {
    "kommunal": ("Kommunal organisation", "#1f5fa8", "dot"),
    "bolag": ("Kommunalt bolag", "#4a90d9", "dot"),
    "offentlig": ("Stat och region", "#e07b00", "dot"),
    "civilsamhälle": ("Civilsamhälle", "#2e8b3e", "dot"),
    "näringsliv": ("Näringsliv", "#8b5a2b", "dot"),
    "akademi": ("Akademi", "#7b3fa0", "dot"),
    "parti": ("Politiskt parti", "#7f7f7f", "dot"),
    "forum": ("Forum, nätverk, team", "#c0392b", "diamond"),
    "process": ("Process, program, insats", "#16a085", "square"),
    "strategi": ("Strategi, policy, plan, överenskommelse", "#6c7a89", "triangle"),
    "mötesplats": ("Mötesplats", "#d35400", "triangleDown"),
    "övrigt": ("Rapport, undersökning, mål, evenemang, slag ej angivet", "#95a5a6", "triangle"),
    "område": ("Område", "#a0522d", "hexagon"),
    "tema": ("Tema", "#b8860b", "star"),
    "målgrupp": ("Målgrupp", "#c2185b", "dot"),
    "beslut": ("Beslut", "#34495e", "square"),
    "remiss": ("Remiss", "#2c3e50", "square"),
    "person": ("Person i offentlig roll", "#6d214f", "dot"),
}
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "participates_in": {"color": "#8aa4c8"},
    "mandate": {"color": "#c0392b", "width": 3},
    "reports_to": {"color": "#555555", "dashes": [2, 4]},
    "part_of": {"color": "#999999", "dashes": [8, 4]},
    "operates_in": {"color": "#c8a27a", "dashes": [2, 3]},
    "addresses": {"color": "#d8c27a", "dashes": [2, 3]},
    "targets": {"color": "#e29ab7", "dashes": [2, 3]},
    "funds": {"color": "#2e8b3e", "width": 2},
    "position": {"color": "#7f8c8d", "dashes": [4, 4]},
    "about": {"color": "#bbbbbb", "dashes": [1, 4]},
}


def style_group(kind: str) -> str:
    """The legend group of a kind: who or what it is, at the level a reader tells apart."""
    if kind in _MUNICIPAL:
        return "kommunal"
    if kind == "kommunalt_bolag":
        return "bolag"
    if kind in _EXTERNAL:
        return "offentlig"
    if kind == "politiskt_parti":
        return "parti"
    if kind in {k.value for k in FORUM_KINDS}:
        return "forum"
    if kind in {k.value for k in PROCESS_KINDS}:
        return "process"
    if kind in {k.value for k in STRATEGY_KINDS}:
        return "strategi"
    if kind in {k.value for k in REFERENCE_KINDS | OTHER_STRUCTURE_KINDS}:
        return "övrigt"
    return kind if kind in STYLES else "remiss"


@dataclass
class View:
    """Everything a page needs to draw one view."""

    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, str]] = field(default_factory=list)
    physics: bool = False


def _validity(data: dict[str, Any]) -> str:
    start, end = data.get("from"), data.get("until")
    if not start and not end:
        return ""
    return f"Giltig: {start or '…'} – {end or '…'}"


def _evidence_text(evidence: list[dict[str, Any]], limit: int = 3) -> list[str]:
    lines = []
    for ev in evidence[:limit]:
        page = f" s. {ev['page']}" if ev.get("page") else ""
        lines.append(f"• {ev['source']}{page}: ”{' '.join(str(ev['quote']).split())}”")
    if len(evidence) > limit:
        lines.append(f"• … och {len(evidence) - limit} källor till")
    return lines


def node_tooltip(node: str, data: dict[str, Any]) -> str:
    """A node's tooltip as plain text: name, kind, status, validity, description, evidence."""
    lines = [data["name"], f"Typ: {data['kind']}", f"Status: {data.get('status', 'befintlig')}"]
    if _validity(data):
        lines.append(_validity(data))
    if data.get("description"):
        lines.append(data["description"])
    if data.get("evidence"):
        lines.append("Källor:")
        lines.extend(_evidence_text(data["evidence"]))
    lines.append(f"id: {node}")
    return "\n".join(lines)


def edge_tooltip(graph: nx.MultiDiGraph, src: str, dst: str, data: dict[str, Any]) -> str:
    """An edge's tooltip as plain text: who relates how to whom, role, validity, evidence."""
    label = RELATION_LABELS.get(data["type"], (data["type"], ""))[0]
    lines = [f"{graph.nodes[src]['name']} {label} {graph.nodes[dst]['name']}"]
    if data.get("role"):
        lines.append(f"Roll: {data['role']}")
    if data.get("status", Status.BEFINTLIG) != Status.BEFINTLIG:
        lines.append(f"Status: {data['status']}")
    if _validity(data):
        lines.append(_validity(data))
    if data.get("scope"):
        lines.append(f"Omfattning: {data['scope']}")
    if data.get("evidence"):
        lines.append("Källor:")
        lines.extend(_evidence_text(data["evidence"]))
    return "\n".join(lines)


def _participants(graph: nx.MultiDiGraph, node: str) -> int:
    return sum(1 for _, _, d in graph.in_edges(node, data=True) if d["type"] == RelationType.PARTICIPATES_IN)


def node_weight(graph: nx.MultiDiGraph, node: str) -> int:
    """What a node's size follows: a structure's participants, anything else's relations."""
    return _participants(graph, node) if graph.nodes[node].get("category") == Category.STRUCTURE else graph.degree(node)


def vis_node(
    graph: nx.MultiDiGraph, node: str, pos: Mapping[Any, tuple[float, float]], weight: int | None = None
) -> dict[str, Any]:
    """A node as vis-network draws it; `weight` when the caller knows it (see `node_weight`)."""
    data = graph.nodes[node]
    group = style_group(data["kind"])
    _, colour, shape = STYLES[group]
    proposed = data.get("status") == Status.FORESLAGEN
    weight = node_weight(graph, node) if weight is None else weight
    out: dict[str, Any] = {
        "id": node,
        "label": data.get("short_name") or data["name"] if len(data["name"]) > 40 else data["name"],
        "title": node_tooltip(node, data),
        "kind": data["kind"],
        "group": group,
        "status": data.get("status", "befintlig"),
        "shape": shape,
        "size": round(10 + 4 * math.sqrt(weight), 1),
        "color": {"background": "#ffffff" if proposed else colour, "border": colour},
        "borderWidth": 3 if proposed else 1,
    }
    if proposed:
        out["shapeProperties"] = {"borderDashes": [6, 4]}
        out["label"] += " (föreslagen)"
    if node in pos:
        out["x"], out["y"] = round(pos[node][0], 1), round(pos[node][1], 1)
    return out


def vis_edge(graph: nx.MultiDiGraph, src: str, dst: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": key,
        "from": src,
        "to": dst,
        "relation": data["type"],
        "title": edge_tooltip(graph, src, dst, data),
        "arrows": "to",
        **EDGE_STYLES.get(data["type"], {}),
    }
    if data["type"] == RelationType.PARTICIPATES_IN and data.get("role") not in (None, Role.DELTAR):
        out["label"] = data["role"]
    elif data["type"] in (RelationType.MANDATE, RelationType.FUNDS):
        out["label"] = RELATION_LABELS[data["type"]][0]
    if data.get("status") == Status.FORESLAGEN:
        out["dashes"] = [6, 4]
    return out


# ---- selection -----------------------------------------------------------------------------------


def _in_area(graph: nx.MultiDiGraph, area: str) -> set[str]:
    """The area, its parts, whatever operates in them, and who takes part in that."""
    places = set(part_of_walk(graph, area))
    local = linked_from(graph, places, RelationType.OPERATES_IN)
    return places | local | linked_from(graph, local, RelationType.PARTICIPATES_IN)


def _with_theme(graph: nx.MultiDiGraph, theme: str) -> set[str]:
    chosen = linked_from(graph, [theme], RelationType.ADDRESSES)
    members = linked_from(graph, chosen, RelationType.PARTICIPATES_IN)
    return {theme} | chosen | members


def select(
    graph: nx.MultiDiGraph,
    view: str,
    *,
    focus: str | None = None,
    depth: int = 1,
    area: str | None = None,
    theme: str | None = None,
    kinds: list[str] | None = None,
) -> nx.MultiDiGraph:
    """The subgraph a view shows (documents are sources, not part of the structure)."""
    keep = {n for n, d in graph.nodes(data=True) if d.get("category") != Category.DOCUMENT}
    if view == "ego":
        if focus is None:
            raise ValueError("the ego view needs a focus")
        near = nx.ego_graph(graph.to_undirected(as_view=True), focus, radius=depth)
        keep &= set(near)
    elif view == "bipartite":
        keep &= {n for n in keep if graph.nodes[n].get("category") in (Category.ACTOR, Category.STRUCTURE)}
    elif view == "area":
        if area is None:
            raise ValueError("the area view needs an area")
        keep &= _in_area(graph, area)
    if area is not None and view != "area":
        keep &= _in_area(graph, area)
    if theme is not None:
        keep &= _with_theme(graph, theme)
    if kinds:
        keep = {n for n in keep if graph.nodes[n]["kind"] in kinds or n in (focus, area, theme)}
    sub = graph.subgraph(keep).copy()
    if view == "bipartite":
        drop = [
            (u, v, k) for u, v, k, d in sub.edges(keys=True, data=True) if d["type"] != RelationType.PARTICIPATES_IN
        ]
        sub.remove_edges_from(drop)
    return sub


def build_view(
    graph: nx.MultiDiGraph,
    view: str,
    *,
    title: str,
    focus: str | None = None,
    depth: int = 1,
    area: str | None = None,
    theme: str | None = None,
    kinds: list[str] | None = None,
    top: int = 60,
) -> View:
    """The nodes, edges and legend of a view, laid out and styled."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if view == "overlaps":
        return _overlap_view(graph, title=title, area=area, theme=theme, kinds=kinds, top=top)
    sub = select(graph, view, focus=focus, depth=depth, area=area, theme=theme, kinds=kinds)
    pos = _bipartite_positions(sub) if view == "bipartite" else layout(sub)
    nodes = [vis_node(sub, n, pos) for n in sorted(sub.nodes, key=lambda n: (sort_key(sub.nodes[n]["name"]), n))]
    edges = [vis_edge(sub, s, t, k, d) for s, t, k, d in sorted(sub.edges(keys=True, data=True), key=lambda e: e[2])]
    if focus is not None and focus in sub:
        for node in nodes:
            if node["id"] == focus:
                node["borderWidth"] = 5
    return View(title, nodes, edges, legend_for(nodes), physics=len(nodes) <= PHYSICS_UP_TO)


def _bipartite_positions(sub: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    actors = sorted(
        (n for n in sub if sub.nodes[n]["category"] == Category.ACTOR), key=lambda n: sort_key(sub.nodes[n]["name"])
    )
    others = sorted((n for n in sub if n not in set(actors)), key=lambda n: sort_key(sub.nodes[n]["name"]))
    step = 40.0
    pos = {n: (0.0, i * step) for i, n in enumerate(actors)}
    pos |= {n: (900.0, i * step * max(1, len(actors)) / max(1, len(others))) for i, n in enumerate(others)}
    return pos


def _overlap_view(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    area: str | None,
    theme: str | None,
    kinds: list[str] | None,
    top: int,
) -> View:
    from samverkan.graphs.analysis.overlaps import overlaps  # numpy and scipy only for this view

    rows = overlaps(graph, top=top, area=area, theme=theme, kinds=kinds)
    involved = sorted({r[side]["id"] for r in rows for side in ("a", "b")})
    overlap = nx.Graph()
    overlap.add_nodes_from(involved)
    overlap.add_weighted_edges_from((r["a"]["id"], r["b"]["id"], r["score"]) for r in rows)
    pos = layout(overlap)
    nodes = [vis_node(graph, n, pos) for n in sorted(involved, key=lambda n: (sort_key(graph.nodes[n]["name"]), n))]
    edges = []
    for r in rows:
        a, b = r["a"]["id"], r["b"]["id"]
        text = [f"{r['a']['name']} ↔ {r['b']['name']}", f"Poäng: {r['score']:.2f} ({CLASS_LABELS[r['class']]})"]
        text += [f"– {reason}" for reason in r["reasons"]]
        edges.append(
            {
                "id": f"{a}|{b}",
                "from": a,
                "to": b,
                "relation": "overlap",
                "title": "\n".join(text),
                "value": r["score"],
                "width": round(1 + 12 * r["score"], 1),
                "label": f"{r['score']:.2f}",
                "color": "#c0392b" if r["class"] == "duplication" else "#e08e0b",
            }
        )
    return View(title, nodes, edges, legend_for(nodes), physics=len(nodes) <= PHYSICS_UP_TO)


def legend_for(nodes: list[dict[str, Any]]) -> list[dict[str, str]]:
    present = {n["group"] for n in nodes}
    legend = [
        {"group": g, "label": label, "color": colour, "shape": shape}
        for g, (label, colour, shape) in STYLES.items()
        if g in present
    ]
    if any(n["status"] == Status.FORESLAGEN for n in nodes):
        legend.append(
            {
                "group": "föreslagen",
                "label": "Föreslagen (vit med streckad kant)",
                "color": "#ffffff",
                "shape": "dot",
            }
        )
    return legend
