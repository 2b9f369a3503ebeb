"""FollowTheMoney entities, one JSON object a line, for Aleph and OpenSanctions' tools.

Public bodies (nämnder, förvaltningar, myndigheter, regioner) are `PublicBody`, municipal companies
`Company`, other actors and the forums and processes `Organization`, people `Person`, areas
`Address`, source documents `Document`, decisions `Event`. Participation is a `Membership` with
role and dates; the other relations are `UnknownLink` with the relation's Swedish label as role.
An entity's evidence is a `Documentation` (document, entity, the quote as summary); a relation's
evidence is its `proof` documents with the quotes as description. Ids are the registry's, prefixed.

>>> import networkx as nx, json
>>> g = nx.MultiDiGraph()
>>> g.add_node("asn", kind="nämnd", name="ASN", category="actor")
>>> json.loads(ftm_bytes(g))["schema"]
'PublicBody'
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from typing import Any

import networkx as nx

from samverkan.registry.vocabulary import PUBLIC_BODY_KINDS, RELATION_LABELS

__all__ = ["ftm_bytes", "ftm_id"]

_PUBLIC = frozenset(k.value for k in PUBLIC_BODY_KINDS)
_BY_CATEGORY = {
    "structure": "Organization",
    "person": "Person",
    "area": "Address",
    "document": "Document",
    "decision": "Event",
    "theme": "Organization",
    "group": "Organization",
    "consultation": "Event",
}


def ftm_id(value: str) -> str:
    """An entity id FollowTheMoney accepts (ASCII): the registry's id, with å ä ö folded and a
    short hash added so that `älv` and `alv` stay apart; a hash for a relation key.

    >>> ftm_id("sbum"), ftm_id("örat-mot-marken")
    ('samverkan-sbum', 'samverkan-orat-mot-marken-13a58a')
    """
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()
    if "|" in value:
        return f"samverkan-rel-{digest[:20]}"
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return f"samverkan-{value}" if folded == value else f"samverkan-{folded}-{digest[:6]}"


def _schema(data: dict[str, Any]) -> str:
    if data.get("category") == "actor":
        if data["kind"] in _PUBLIC:
            return "PublicBody"
        return "Company" if data["kind"] == "kommunalt_bolag" else "Organization"
    return _BY_CATEGORY.get(data.get("category", ""), "Organization")


def _entity(entity_id: str, schema: str, properties: dict[str, Any]) -> dict[str, Any]:
    props = {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in properties.items() if v}
    return {"id": entity_id, "schema": schema, "properties": dict(sorted(props.items()))}


def _node(node: str, data: dict[str, Any]) -> dict[str, Any]:
    schema = _schema(data)
    if schema == "Address":
        props: dict[str, Any] = {"full": data["name"], "country": "se"}
    elif schema == "Document":
        props = {"title": data["name"], "fileName": data.get("file"), "date": data.get("date")}
    elif schema == "Event":
        props = {"name": data["name"], "date": data.get("date"), "summary": data.get("description")}
        if data.get("body"):
            props["organizer"] = ftm_id(data["body"])
    else:
        props = {"name": data["name"], "alias": [data.get("short_name"), *(data.get("aliases") or [])]}
        props["alias"] = [a for a in props["alias"] if a]
        props["description"] = data.get("description")
        if schema != "Person":
            props["classification"] = data["kind"]
            props["country"] = "se"
        if data.get("from") and schema != "Person":
            props["incorporationDate"] = data["from"]
        if data.get("until") and schema != "Person":
            props["dissolutionDate"] = data["until"]
    props["notes"] = data.get("note")
    return _entity(ftm_id(node), schema, props)


def _lines(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        yield _node(node, data)
        for i, ev in enumerate(data.get("evidence") or []):
            if ev["source"] in graph:
                yield _entity(
                    ftm_id(f"{node}|evidence|{i}"),
                    "Documentation",
                    {
                        "document": ftm_id(ev["source"]),
                        "entity": ftm_id(node),
                        "role": "belägg",
                        "summary": ev["quote"],
                    },
                )
    for src, dst, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        proof = sorted({ftm_id(ev["source"]) for ev in data.get("evidence") or [] if ev["source"] in graph})
        quotes = [ev["quote"] for ev in data.get("evidence") or []]
        common = {"startDate": data.get("from"), "endDate": data.get("until"), "proof": proof, "description": quotes}
        common["status"] = data.get("status")
        member_ok = graph.nodes[src].get("category") in ("actor", "person")
        if data["type"] == "participates_in" and member_ok and _schema(graph.nodes[dst]) == "Organization":
            props = {"member": ftm_id(src), "organization": ftm_id(dst), "role": data.get("role"), **common}
            yield _entity(ftm_id(key), "Membership", props)
        else:
            props = {"subject": ftm_id(src), "object": ftm_id(dst), "role": RELATION_LABELS[data["type"]][0], **common}
            yield _entity(ftm_id(key), "UnknownLink", props)


def ftm_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The export graph as FollowTheMoney JSON lines."""
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in _lines(graph)).encode("utf-8")
