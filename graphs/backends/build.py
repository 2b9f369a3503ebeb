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

from typing import TYPE_CHECKING, Any

from samverkan.registry.query import Filters
from samverkan.registry.vocabulary import Category, Status

if TYPE_CHECKING:  # the models are imported where used: a query answered from the index needs none
    import networkx as nx

    from samverkan.registry.models import Entity
    from samverkan.registry.store import Registry

__all__ = ["build_graph", "counts", "counts_values", "edge_attributes", "node_attributes"]


def counts(entity_or_rel: Any, filters: Filters) -> bool:
    """Whether an entity or relation is counted under the filters."""
    return counts_values(
        entity_or_rel.status,
        entity_or_rel.valid_from,
        entity_or_rel.valid_until,
        filters,
        getattr(entity_or_rel, "category", None),
    )


def counts_values(
    status: str, valid_from: str | None, valid_until: str | None, filters: Filters, category: str | None = None
) -> bool:
    """`counts` for plain values, as an index stores them (status and category as text, partial
    dates as text); `category` is None for a relation."""
    from samverkan.registry.dates import is_valid_on, parse_partial_date

    if status == Status.FORESLAGEN and not filters.include_proposed:
        return False
    if category == Category.PERSON and not filters.include_persons:
        return False
    if filters.as_of is not None:
        return is_valid_on(
            filters.as_of,
            parse_partial_date(valid_from) if valid_from is not None else None,
            parse_partial_date(valid_until) if valid_until is not None else None,
        )
    return True


def node_attributes(entity: Entity) -> dict[str, Any]:
    """An entity as a graph node's attributes (see registry.canonical)."""
    from samverkan.registry.canonical import entity_attributes

    return entity_attributes(entity)


def edge_attributes(rel: Any) -> dict[str, Any]:
    """A relation as a graph edge's attributes (see registry.canonical)."""
    from samverkan.registry.canonical import relation_attributes

    return relation_attributes(rel)


def build_graph(registry: Registry, filters: Filters | None = None) -> nx.MultiDiGraph:
    """The registry as a MultiDiGraph; edge keys are the relations' keys."""
    from samverkan.registry.models import relation_key

    filters = filters or Filters()
    import networkx as nx

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
