"""The attributes graph formats (GEXF, GraphML) declare for nodes and edges, with their types,
and how a node's or edge's data becomes their values: evidence as readable text, validity as
dates, lists one per line. One table, so that the formats say the same thing.

>>> node_values({"kind": "nämnd", "name": "ASN", "evidence": [{"source": "d", "page": 2, "quote": "q"}]})["evidence"]
'd s. 2: ”q”'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

__all__ = [
    "EDGE_ATTRIBUTES",
    "NODE_ATTRIBUTES",
    "edge_values",
    "evidence_text",
    "node_values",
    "xml_document",
    "xml_text",
]

# (name, type) in declaration order; types are those GEXF and GraphML share
NODE_ATTRIBUTES: list[tuple[str, str]] = [
    ("category", "string"),
    ("kind", "string"),
    ("short_name", "string"),
    ("aliases", "string"),
    ("status", "string"),
    ("from", "string"),
    ("until", "string"),
    ("description", "string"),
    ("note", "string"),
    ("evidence", "string"),
    ("evidence_count", "int"),
]
EDGE_ATTRIBUTES: list[tuple[str, str]] = [
    ("type", "string"),
    ("role", "string"),
    ("status", "string"),
    ("from", "string"),
    ("until", "string"),
    ("scope", "string"),
    ("question", "string"),
    ("stance", "string"),
    ("text", "string"),
    ("note", "string"),
    ("evidence", "string"),
    ("evidence_count", "int"),
]
# characters XML 1.0 cannot carry
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text XML can carry: control characters other than tab and newlines become spaces."""
    return _NOT_XML.sub(" ", value)


def evidence_text(evidence: list[dict[str, Any]]) -> str:
    """Evidence as lines of `document s. page: ”quote”`."""
    lines = []
    for ev in evidence:
        page = f" s. {ev['page']}" if ev.get("page") else ""
        lines.append(f"{ev['source']}{page}: ”{' '.join(str(ev['quote']).split())}”")
    return "\n".join(lines)


def _values(data: dict[str, Any], declared: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, _ in declared:
        if name == "evidence":
            value: Any = evidence_text(data.get("evidence") or [])
        elif name == "evidence_count":
            value = len(data.get("evidence") or [])
        else:
            value = data.get(name)
            if isinstance(value, list):
                value = "\n".join(value)
        if value not in (None, "", []):
            out[name] = xml_text(value) if isinstance(value, str) else value
    return out


def node_values(data: dict[str, Any]) -> dict[str, Any]:
    """A node's declared attributes that have a value."""
    return _values(data, NODE_ATTRIBUTES)


def edge_values(data: dict[str, Any]) -> dict[str, Any]:
    """An edge's declared attributes that have a value."""
    return _values(data, EDGE_ATTRIBUTES)


def xml_document(root: ET.Element) -> bytes:
    """An XML document, indented, UTF-8, with its declaration."""
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
