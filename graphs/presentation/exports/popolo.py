"""Popolo JSON (popoloproject.com): actors and structures as organizations (classification = kind,
parent, area, founding and dissolution dates), participation as memberships with role and dates,
areas, decisions as events, people as persons. Evidence becomes Popolo sources: the document's file
with the page (`sources/x.txt#page=9`) as url and the quote as note. Each organization carries its
samverkan id as an identifier, so `samverkan import popolo` gives the same ids back.

What Popolo has no place for (themes, target groups, consultations and their answers, mandates,
funding) is left out; `status` is added to organizations and memberships that are not
`befintlig`.

>>> import networkx as nx, json
>>> g = nx.MultiDiGraph()
>>> g.add_node("sbum", kind="samverkansforum", name="SBUM", category="structure", status="befintlig")
>>> json.loads(popolo_bytes(g))["organizations"][0]["classification"]
'samverkansforum'
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

__all__ = ["popolo_bytes"]

_ORGANIZATIONS = ("actor", "structure")


def _sources(graph: nx.MultiDiGraph, evidence: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for ev in evidence:
        doc = graph.nodes[ev["source"]] if ev["source"] in graph else {}
        url = str(doc.get("file") or ev["source"])
        if ev.get("page"):
            url += f"#page={ev['page']}"
        out.append({"url": url, "note": str(ev["quote"])})
    return out


def _first_target(graph: nx.MultiDiGraph, node: str, rel_type: str, category: str | None = None) -> str | None:
    targets = sorted(
        t
        for _, t, d in graph.out_edges(node, data=True)
        if d["type"] == rel_type and (category is None or graph.nodes[t].get("category") == category)
    )
    return targets[0] if targets else None


def _common(graph: nx.MultiDiGraph, node: str, classification: str) -> dict[str, Any]:
    data = graph.nodes[node]
    item: dict[str, Any] = {"id": node, "name": data["name"], "classification": classification}
    others = [{"name": data["short_name"], "note": "kortnamn"}] if data.get("short_name") else []
    others += [{"name": alias} for alias in data.get("aliases") or []]
    if others:
        item["other_names"] = others
    item["identifiers"] = [{"scheme": "samverkan", "identifier": node}]
    if data.get("description"):
        item["description"] = data["description"]
    if data.get("status", "befintlig") != "befintlig":
        item["status"] = data["status"]
    return item


def _organization(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    data = graph.nodes[node]
    item = _common(graph, node, data["kind"])
    parent = _first_target(graph, node, "part_of", data["category"])
    if parent:
        item["parent_id"] = parent
    area = _first_target(graph, node, "operates_in")
    if area:
        item["area_id"] = area
    if data.get("from"):
        item["founding_date"] = data["from"]
    if data.get("until"):
        item["dissolution_date"] = data["until"]
    item["sources"] = _sources(graph, data.get("evidence") or [])
    return item


def _membership(graph: nx.MultiDiGraph, src: str, dst: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    is_person = graph.nodes[src].get("category") == "person"
    item: dict[str, Any] = {"id": key, "organization_id": dst}
    item["member"] = {"@type": "Person" if is_person else "Organization", "id": src}
    if is_person:
        item["person_id"] = src
    item["role"] = data.get("role") or "deltar"
    if data.get("from"):
        item["start_date"] = data["from"]
    if data.get("until"):
        item["end_date"] = data["until"]
    if data.get("status", "befintlig") != "befintlig":
        item["status"] = data["status"]
    item["sources"] = _sources(graph, data.get("evidence") or [])
    return item


def _event(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    data = graph.nodes[node]
    item = _common(graph, node, "beslut")
    item.pop("other_names", None)
    item["start_date"] = data["date"]
    if data.get("body") in graph:
        item["organization_id"] = data["body"]
    if data.get("diarienummer"):
        item["identifiers"].append({"scheme": "diarienummer", "identifier": data["diarienummer"]})
    item["sources"] = _sources(graph, data.get("evidence") or [])
    return item


def popolo_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The export graph as one Popolo JSON document."""
    by_category: dict[str, list[str]] = {}
    for node in sorted(graph.nodes):
        by_category.setdefault(graph.nodes[node].get("category", ""), []).append(node)
    areas = []
    for node in by_category.get("area", []):
        area = _common(graph, node, "område")
        parent = _first_target(graph, node, "part_of", "area")
        if parent:
            area["parent_id"] = parent
        areas.append(area)
    document = {
        "organizations": [_organization(graph, n) for c in _ORGANIZATIONS for n in by_category.get(c, [])],
        "memberships": [
            _membership(graph, s, t, k, d)
            for s, t, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
            if d["type"] == "participates_in"
        ],
        "areas": areas,
        "events": [_event(graph, n) for n in by_category.get("decision", [])],
    }
    document["organizations"].sort(key=lambda o: o["id"])
    if by_category.get("person"):
        document["persons"] = [_common(graph, n, "person") for n in by_category["person"]]
        for person in document["persons"]:
            person.pop("classification")
            person["sources"] = _sources(graph, graph.nodes[person["id"]].get("evidence") or [])
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
