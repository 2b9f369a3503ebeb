"""Popolo JSON (popoloproject.com): actors and structures as organizations (classification = kind,
parent, area, founding and dissolution dates), participation as memberships with role and dates,
areas, decisions and consultations as events, people as persons. Evidence becomes Popolo sources:
the document's file with the page (`sources/x.txt#page=9`) as url and the quote as note. Each record
carries its samverkan id as an identifier, so `samverkan import popolo` gives the same ids back.

What Popolo has no place for travels as extra properties, which the specification allows, so that
an export imported again gives the same registry:

- every field of the registry format without a Popolo name, under its own name (`status`, `note`,
  `from`, `until`, `public_role`, `paragraph`, `diarienummer`, `file`, `questions`, …);
- themes, target groups and documents as the top-level lists `themes`, `target_groups`, `documents`;
- every relation but participation (part-of, mandate, reports-to, funding, positions, …) in the
  source record's `relations`, in the registry's own form with `sources` for evidence (`parent_id`
  and `area_id` are still written, from the first part-of and operates-in, for Popolo readers);
- in each source, `document_id`, `page` and `evidence_note`, so that evidence comes back as evidence.

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

__all__ = ["COLLECTIONS", "popolo_bytes"]

# category -> the document's list it goes in (decisions and consultations are both events)
COLLECTIONS = {
    "actor": "organizations",
    "structure": "organizations",
    "person": "persons",
    "area": "areas",
    "decision": "events",
    "consultation": "events",
    "theme": "themes",
    "group": "target_groups",
    "document": "documents",
}
# node attributes written under a Popolo name (or not at all), per category; the rest are extras
_MAPPED = {"category", "name", "short_name", "aliases", "description", "evidence", "provenance", "kind"}
_MAPPED_BY_CATEGORY = {
    "actor": {"from", "until"},
    "structure": {"from", "until"},
    "decision": {"body", "date"},
    "consultation": {"issued_by", "date"},
}
_DEFAULTS = {"status": "befintlig"}
_NOT_CARRIED = ("type", "evidence", "provenance")  # provenance: an import records its own


def _sources(graph: nx.MultiDiGraph, evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for ev in evidence:
        doc = graph.nodes[ev["source"]] if ev["source"] in graph else {}
        url = str(doc.get("file") or ev["source"])
        if ev.get("page"):
            url += f"#page={ev['page']}"
        source: dict[str, Any] = {"url": url, "note": str(ev["quote"]), "document_id": ev["source"]}
        if ev.get("page"):
            source["page"] = ev["page"]
        if ev.get("note"):
            source["evidence_note"] = ev["note"]
        out.append(source)
    return out


def _first_target(graph: nx.MultiDiGraph, node: str, rel_type: str, category: str | None = None) -> str | None:
    targets = sorted(
        t
        for _, t, d in graph.out_edges(node, data=True)
        if d["type"] == rel_type and (category is None or graph.nodes[t].get("category") == category)
    )
    return targets[0] if targets else None


def _relations(graph: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    """Every relation but participation, in the registry's form, evidence as sources."""
    out = []
    for _, target, _key, data in sorted(graph.out_edges(node, keys=True, data=True), key=lambda e: e[2]):
        if data["type"] == "participates_in":
            continue
        rel = {"type": data["type"], "target": target}
        rel.update({k: v for k, v in data.items() if k not in _NOT_CARRIED and v not in (None, [], False)})
        rel["sources"] = _sources(graph, data.get("evidence") or [])
        out.append(rel)
    return out


def _record(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """One entity as a Popolo record: the Popolo fields, then the registry's other fields as extras."""
    data = graph.nodes[node]
    category = data["category"]
    item: dict[str, Any] = {"id": node, "name": data["name"]}
    if category != "person":
        item["classification"] = data["kind"]
    others = [{"name": data["short_name"], "note": "kortnamn"}] if data.get("short_name") else []
    others += [{"name": alias} for alias in data.get("aliases") or []]
    if others:
        item["other_names"] = others
    item["identifiers"] = [{"scheme": "samverkan", "identifier": node}]
    if data.get("diarienummer"):
        item["identifiers"].append({"scheme": "diarienummer", "identifier": data["diarienummer"]})
    if data.get("description"):
        item["description"] = data["description"]
    if category in ("actor", "structure"):
        parent = _first_target(graph, node, "part_of", category)
        if parent:
            item["parent_id"] = parent
        area = _first_target(graph, node, "operates_in")
        if area:
            item["area_id"] = area
        if data.get("from"):
            item["founding_date"] = data["from"]
        if data.get("until"):
            item["dissolution_date"] = data["until"]
    elif category == "area":
        parent = _first_target(graph, node, "part_of", "area")
        if parent:
            item["parent_id"] = parent
    elif category in ("decision", "consultation"):
        body = data.get("body") or data.get("issued_by")
        if body:
            item["organization_id"] = body
        if data.get("date"):
            item["start_date"] = data["date"]
    skip = _MAPPED | _MAPPED_BY_CATEGORY.get(category, set())
    for key, value in data.items():
        if key not in skip and value not in (None, [], "", False) and _DEFAULTS.get(key) != value:
            item[key] = value
    relations = _relations(graph, node)
    if relations:
        item["relations"] = relations
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
    if data.get("note"):
        item["note"] = data["note"]
    item["sources"] = _sources(graph, data.get("evidence") or [])
    return item


def popolo_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The export graph as one Popolo JSON document."""
    document: dict[str, list[dict[str, Any]]] = {
        "organizations": [],
        "memberships": [
            _membership(graph, s, t, k, d)
            for s, t, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
            if d["type"] == "participates_in"
        ],
        "areas": [],
        "events": [],
    }
    for node in sorted(graph.nodes):
        collection = COLLECTIONS.get(graph.nodes[node].get("category", ""))
        if collection:
            document.setdefault(collection, []).append(_record(graph, node))
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
