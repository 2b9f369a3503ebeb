"""Kumu's JSON blueprint: `elements` (label, type, description, tags and the registry's fields) and
`connections` (from, to, type, direction, tags), for those who map in Kumu. Connections refer to
elements by label, which a valid registry keeps unique; the id is kept as the field `samverkan id`.

>>> import networkx as nx, json
>>> g = nx.MultiDiGraph()
>>> g.add_node("asn", kind="nämnd", name="ASN", category="actor", status="befintlig")
>>> json.loads(kumu_bytes(g))["elements"][0]["type"]
'nämnd'
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from samverkan.registry.vocabulary import RELATION_LABELS

from .attributes import evidence_text

__all__ = ["kumu_bytes"]


def _element(node: str, data: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"label": data["name"], "type": data["kind"], "samverkan id": node}
    if data.get("description"):
        item["description"] = data["description"]
    item["tags"] = [data.get("category", ""), data.get("status", "befintlig")]
    for key, label in (("short_name", "kortnamn"), ("from", "från"), ("until", "till")):
        if data.get(key):
            item[label] = data[key]
    if data.get("evidence"):
        item["källor"] = evidence_text(data["evidence"])
    return item


def _connection(graph: nx.MultiDiGraph, src: str, dst: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "from": graph.nodes[src]["name"],
        "to": graph.nodes[dst]["name"],
        "type": RELATION_LABELS[data["type"]][0],
        "direction": "directed",
        "tags": [data["type"], data.get("status", "befintlig")],
        "samverkan id": key,
    }
    for field in ("role", "stance", "question"):
        if data.get(field):
            item[field] = data[field]
    if data.get("evidence"):
        item["källor"] = evidence_text(data["evidence"])
    return item


def kumu_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The export graph as a Kumu blueprint."""
    blueprint = {
        "elements": [_element(n, graph.nodes[n]) for n in sorted(graph.nodes)],
        "connections": [
            _connection(graph, s, t, k, d)
            for s, t, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
        ],
    }
    return (json.dumps(blueprint, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
