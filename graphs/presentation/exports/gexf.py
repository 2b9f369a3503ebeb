"""GEXF 1.3 for Gephi: typed attributes (category, kind, status, role, stance, …) and each entity's
and relation's validity as a spell, so that Gephi's timeline can replay the structure over time.

Dates known only to the year or month become the widest interval they can mean (`2024` is
2024-01-01 to 2024-12-31 for an end, from 2024-01-01 for a start). Parallel relations between
the same two entities are separate edges, each with its relation key as id.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", kind="nämnd", name="A", category="actor", **{"from": "2024"})
>>> b'<spell start="2024-01-01"' in gexf_bytes(g)
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx

from samverkan.registry.dates import parse_partial_date
from samverkan.registry.vocabulary import RELATION_LABELS

from .attributes import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, edge_values, node_values, xml_document, xml_text

__all__ = ["GEXF_NAMESPACE", "gexf_bytes"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
_TYPES = {"string": "string", "int": "integer"}


def _declare(graph_el: ET.Element, cls: str, declared: list[tuple[str, str]]) -> None:
    attributes = ET.SubElement(graph_el, "attributes", {"class": cls, "mode": "static"})
    for name, kind in declared:
        ET.SubElement(attributes, "attribute", {"id": name, "title": name, "type": _TYPES[kind]})


def _attvalues(parent: ET.Element, values: dict[str, Any]) -> None:
    if values:
        holder = ET.SubElement(parent, "attvalues")
        for name, value in values.items():
            ET.SubElement(holder, "attvalue", {"for": name, "value": str(value)})


def _spell(parent: ET.Element, data: dict[str, Any]) -> None:
    """Validity as one spell; nothing when the entity or relation has no dates."""
    bounds = {}
    if data.get("from"):
        bounds["start"] = parse_partial_date(data["from"]).earliest().isoformat()
    if data.get("until"):
        bounds["end"] = parse_partial_date(data["until"]).latest().isoformat()
    if bounds:
        ET.SubElement(ET.SubElement(parent, "spells"), "spell", bounds)


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The export graph as a GEXF 1.3 document."""
    root = ET.Element(
        "gexf",
        {
            "xmlns": GEXF_NAMESPACE,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{GEXF_NAMESPACE} {GEXF_NAMESPACE}/gexf.xsd",
            "version": "1.3",
        },
    )
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "samverkan"
    ET.SubElement(meta, "description").text = "Samverkansstrukturen: aktörer, strukturer och deras relationer"
    graph_el = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date"})
    _declare(graph_el, "node", NODE_ATTRIBUTES)
    _declare(graph_el, "edge", EDGE_ATTRIBUTES)
    nodes = ET.SubElement(graph_el, "nodes")
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        element = ET.SubElement(nodes, "node", {"id": node, "label": xml_text(data["name"])})
        _attvalues(element, node_values(data))
        _spell(element, data)
    edges = ET.SubElement(graph_el, "edges")
    for src, dst, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        label = RELATION_LABELS[data["type"]][0]
        element = ET.SubElement(edges, "edge", {"id": key, "source": src, "target": dst, "label": label})
        _attvalues(element, edge_values(data))
        _spell(element, data)
    return xml_document(root)
