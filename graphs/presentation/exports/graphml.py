"""GraphML for yEd, Cytoscape and igraph: every attribute declared as a key with its type, the
entity's name as `label`, relation keys as edge ids (two relations between the same entities are
two edges).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", kind="nämnd", name="Å", category="actor")
>>> b'attr.name="kind"' in graphml_bytes(g)
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx

from samverkan.registry.vocabulary import RELATION_LABELS

from .attributes import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, edge_values, node_values, xml_document, xml_text

__all__ = ["graphml_bytes"]

_NS = "http://graphml.graphdrawing.org/xmlns"


def _data(parent: ET.Element, prefix: str, values: dict[str, Any]) -> None:
    for name, value in values.items():
        ET.SubElement(parent, "data", {"key": f"{prefix}_{name}"}).text = str(value)


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The export graph as a GraphML document."""
    root = ET.Element(
        "graphml",
        {
            "xmlns": _NS,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{_NS} {_NS}/1.0/graphml.xsd",
        },
    )
    declared = [("node", "n", [("label", "string"), *NODE_ATTRIBUTES])]
    declared.append(("edge", "e", [("label", "string"), *EDGE_ATTRIBUTES]))
    for target, prefix, attributes in declared:
        for name, kind in attributes:
            ET.SubElement(
                root,
                "key",
                {"id": f"{prefix}_{name}", "for": target, "attr.name": name, "attr.type": kind},
            )
    graph_el = ET.SubElement(root, "graph", {"id": "samverkan", "edgedefault": "directed"})
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        element = ET.SubElement(graph_el, "node", {"id": node})
        _data(element, "n", {"label": xml_text(data["name"]), **node_values(data)})
    for src, dst, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        element = ET.SubElement(graph_el, "edge", {"id": key, "source": src, "target": dst})
        _data(element, "e", {"label": RELATION_LABELS[data["type"]][0], **edge_values(data)})
    return xml_document(root)
