"""What one entity's page shows, as plain data: fields, evidence, relations both ways, ego network.

Links are made by the caller's `link` function (an entity id to a relative address), so this module
knows nothing of where the page is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import networkx as nx

from samverkan.graphs.presentation.views import legend_for, vis_edge, vis_node
from samverkan.registry.names import sort_key
from samverkan.registry.vocabulary import RELATION_LABELS

__all__ = ["EGO_NEIGHBOURS", "ego_view", "entity_fields", "relation_anchor", "relation_groups"]

EGO_NEIGHBOURS = 40  # the small network on an entity's page shows at most so many neighbours
ROLE_FIELDS = ("role", "stance")

STATUS_LABELS = {"befintlig": "befintlig", "föreslagen": "föreslagen", "avvecklad": "avvecklad"}


def relation_anchor(key: str) -> str:
    """The fragment of a relation on both its entities' pages: ASCII, from the relation's key."""
    return "r-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def validity(data: dict[str, Any]) -> str:
    start, end = data.get("from"), data.get("until")
    if not start and not end:
        return ""
    return f"{start or '…'} – {end or '…'}"


def entity_fields(graph: nx.MultiDiGraph, node: str, link: Callable[[str], str]) -> list[dict[str, Any]]:
    """The entity's own fields as (label, text, link) rows, in reading order."""
    data = graph.nodes[node]
    rows: list[dict[str, Any]] = [
        {"label": "Typ", "text": data["kind"].replace("_", " "), "href": None},
        {
            "label": "Status",
            "text": STATUS_LABELS.get(data.get("status", "befintlig"), data.get("status")),
            "href": None,
        },
    ]

    def add(label: str, text: Any, target: str | None = None) -> None:
        if text:
            href = link(target) if target is not None and target in graph else None
            rows.append({"label": label, "text": str(text), "href": href})

    add("Giltig", validity(data))
    add("Kortnamn", data.get("short_name"))
    add("Andra namn", ", ".join(data.get("aliases", [])))
    for field, label in (("body", "Beslutande organ"), ("issued_by", "Avsändare"), ("publisher", "Utgivare")):
        ref = data.get(field)
        if ref:
            add(label, graph.nodes[ref]["name"] if ref in graph else ref, ref)
    add("Datum", data.get("date"))
    add("Paragraf", data.get("paragraph"))
    add("Diarienummer", data.get("diarienummer"))
    if data.get("document"):
        ref = data["document"]
        add("Svaren finns i", graph.nodes[ref]["name"] if ref in graph else ref, ref)
    add("Anmärkning", data.get("note"))
    rows.append({"label": "Id", "text": node, "href": None})
    return rows


def _other_names(graph: nx.MultiDiGraph, ids: list[str]) -> list[dict[str, str]]:
    return [{"id": i, "name": graph.nodes[i]["name"] if i in graph else i} for i in ids]


def _other_end(other: dict[str, Any], relation: dict[str, Any]) -> list[str]:
    """The other entity's own status, when it is not the relation's: a relation keeps the status
    its quote gives and ends when the structure does, so a lapse shows beside the relation."""
    status, until = other.get("status", "befintlig"), other.get("until")
    if not until and status in ("befintlig", relation.get("status", "befintlig")):
        return []
    who = {"structure": "strukturen", "actor": "aktören"}.get(other.get("category", ""), "den")
    return [f"{who} {status}" + (f" till {until}" if until else "")]


def relation_groups(graph: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    """Every relation of the entity, both ways, grouped by type, direction and role (or stance)."""
    groups: dict[tuple[int, str, str], dict[str, Any]] = {}
    edges = [(0, s, t, k, d) for s, t, k, d in graph.out_edges(node, keys=True, data=True)]
    edges += [(1, s, t, k, d) for s, t, k, d in graph.in_edges(node, keys=True, data=True)]
    for direction, src, dst, key, data in edges:
        other = dst if direction == 0 else src
        label = RELATION_LABELS.get(data["type"], (data["type"], data["type"]))[direction]
        qualifier = next((str(data[f]).replace("_", " ") for f in ROLE_FIELDS if data.get(f)), "")
        heading = f"{label[0].upper()}{label[1:]}" + (f" ({qualifier})" if qualifier else "")
        group = groups.setdefault((direction, data["type"], qualifier), {"heading": heading, "items": []})
        details = []
        if data.get("status", "befintlig") != "befintlig":
            details.append(data["status"])
        if validity(data):
            details.append(f"giltig {validity(data)}")
        details += _other_end(graph.nodes[other], data)
        if data.get("question"):
            details.append(f"fråga {data['question']}")
        for field in ("scope", "text"):
            if data.get(field):
                details.append(str(data[field]))
        if data.get("amount"):
            details.append(f"{data['amount']:,} {data.get('currency', 'SEK')}".replace(",", " "))
        group["items"].append(
            {
                "anchor": relation_anchor(key),
                "key": key,
                "other": {"id": other, "name": graph.nodes[other]["name"], "kind": graph.nodes[other]["kind"]},
                "details": details,
                "proposes": _other_names(graph, data.get("proposes", [])),
                "jointly": _other_names(graph, data.get("jointly", [])),
                "concerns": _other_names(graph, data.get("concerns", [])),
                "evidence": data.get("evidence", []),
                "owner": src,
            }
        )
    out = []
    for key in sorted(groups, key=lambda k: (k[1], k[0], k[2])):
        group = groups[key]
        group["items"].sort(key=lambda i: (sort_key(i["other"]["name"]), i["other"]["id"], i["key"]))
        out.append(group)
    return out


def ego_view(
    graph: nx.MultiDiGraph, node: str, href: Callable[[str], str], weights: dict[str, int]
) -> dict[str, Any] | None:
    """The entity, its nearest neighbours (the most connected, documents left out) and the
    relations between it and them, drawn in the browser. Only the entity's own relations are
    read, so a page costs the same whether or not a national hub is among the neighbours."""
    if graph.nodes[node].get("category") == "document":
        return None
    own = [(s, t, k, d) for s, t, k, d in graph.out_edges(node, keys=True, data=True)]
    own += [(s, t, k, d) for s, t, k, d in graph.in_edges(node, keys=True, data=True) if s != node]
    neighbours = {t if s == node else s for s, t, _, _ in own}
    neighbours = {n for n in neighbours if n != node and graph.nodes[n].get("category") != "document"}
    if not neighbours:
        return None
    ordered = sorted(neighbours, key=lambda n: (-weights[n], sort_key(graph.nodes[n]["name"]), n))
    shown = [node, *sorted(ordered[:EGO_NEIGHBOURS])]
    keep = set(shown)
    nodes = [vis_node(graph, n, {}, weights[n]) for n in shown]
    for item in nodes:
        item["href"] = href(item["id"])
        if item["id"] == node:
            item["borderWidth"] = 5
    edges = [vis_edge(graph, s, t, k, d) for s, t, k, d in sorted(own, key=lambda e: e[2]) if s in keep and t in keep]
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": legend_for(nodes),
        "total": len(neighbours),
        "shown": len(shown) - 1,
    }
