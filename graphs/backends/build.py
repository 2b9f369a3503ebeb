"""Build the networkx graph of a validated registry.

Nodes are entities, edges are relations (a MultiDiGraph, since two entities may be linked in
several ways), and both carry everything the query API needs, so that analysis never goes back to
the files. Filters decide what counts: things not valid on the `as_of` day are left out, and so
are proposed (föreslagna) ones unless asked for.

>>> from samverkan.registry.models import Actor, Structure, Participation, Evidence
>>> from samverkan.registry.store import Registry
>>> ev = [Evidence(source="doc", quote="x")]
>>> reg = Registry(root=None, entities={
...     "asn": Actor(id="asn", kind="nämnd", name="ASN", evidence=ev,
...                  relations=[Participation(target="sbum", role="leder", evidence=ev)]),
...     "sbum": Structure(id="sbum", kind="samverkansforum", name="SBUM", evidence=ev)})
>>> g = build_graph(reg)
>>> sorted(g.nodes), [d["role"] for _, _, d in g.edges(data=True)]
(['asn', 'sbum'], ['leder'])
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from samverkan.registry.canonical import entity_attributes, relation_attributes
from samverkan.registry.models import Entity, relation_key
from samverkan.registry.query import Filters
from samverkan.registry.store import Registry
from samverkan.registry.vocabulary import Category, Status

__all__ = ["build_graph", "counts", "edge_attributes", "node_attributes"]


def counts(entity_or_rel: Any, filters: Filters) -> bool:
    """Whether an entity or relation is counted under the filters."""
    from samverkan.registry.dates import is_valid_on

    if entity_or_rel.status is Status.FORESLAGEN and not filters.include_proposed:
        return False
    if getattr(entity_or_rel, "category", None) is Category.PERSON and not filters.include_persons:
        return False
    if filters.as_of is not None:
        return is_valid_on(filters.as_of, entity_or_rel.valid_from, entity_or_rel.valid_until)
    return True


def node_attributes(entity: Entity) -> dict[str, Any]:
    """An entity as a graph node's attributes (see registry.canonical)."""
    return entity_attributes(entity)


def edge_attributes(rel: Any) -> dict[str, Any]:
    """A relation as a graph edge's attributes (see registry.canonical)."""
    return relation_attributes(rel)


def build_graph(registry: Registry, filters: Filters | None = None) -> nx.MultiDiGraph:
    """The registry as a MultiDiGraph; edge keys are the relations' keys."""
    filters = filters or Filters()
    graph = nx.MultiDiGraph()
    plain = registry.plain()
    kept = [e for e in registry if counts(e, filters)]
    for entity in kept:
        graph.add_node(entity.id, **plain[entity.id][0])
    for entity in kept:
        relations = {relation_key(entity.id, r): r for r in entity.relations}
        for key, target, attrs in plain[entity.id][1]:  # in key order
            if target in graph and counts(relations[key], filters):
                graph.add_edge(entity.id, target, key=key, **attrs)
    return graph
