"""What an export holds: the registry's graph under the same filters as the queries and views.

`--as-of` and `--include-proposed` decide what counts (as everywhere), `--kind`, `--area` and
`--theme` select as the views do; the documents cited by what is kept come along, since they are
the sources of its evidence. People are exported (an export is asked for); `persons=False`
(`--no-persons`) leaves them and every relation to them out.

>>> from samverkan.registry.models import Actor, Document, Structure, Participation, Evidence
>>> from samverkan.registry.store import Registry
>>> ev = [Evidence(source="doc", quote="x")]
>>> reg = Registry(root=None, entities={
...     "doc": Document(id="doc", kind="dokument", name="Protokoll", file="sources/p.txt"),
...     "asn": Actor(id="asn", kind="nämnd", name="ASN", evidence=ev,
...                  relations=[Participation(target="sbum", evidence=ev)]),
...     "sbum": Structure(id="sbum", kind="samverkansforum", name="SBUM", evidence=ev)})
>>> sorted(export_graph(reg, kinds=["nämnd"]).nodes)
['asn', 'doc']
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import networkx as nx

from samverkan.graphs.backends.build import build_graph
from samverkan.registry.errors import RegistryError
from samverkan.registry.query import Filters
from samverkan.registry.store import Registry

__all__ = ["cited_documents", "export_graph"]


def cited_documents(graph: nx.MultiDiGraph, nodes: set[str]) -> set[str]:
    """The documents whose quotes or records the given nodes and the edges among them cite."""
    cited: set[str] = set()

    def collect(data: dict[str, Any]) -> None:
        cited.update(ev["source"] for ev in data.get("evidence") or [])

    for node in nodes:
        collect(graph.nodes[node])
        for _, target, data in graph.out_edges(node, data=True):
            if target in nodes:
                collect(data)
    return {d for d in cited if d in graph}


def export_graph(
    registry: Registry,
    filters: Filters | None = None,
    *,
    kinds: list[str] | None = None,
    area: str | None = None,
    theme: str | None = None,
    persons: bool = True,
) -> nx.MultiDiGraph:
    """The subgraph an export writes (a copy: exporters may not change the registry's graph)."""
    filters = filters or Filters()
    graph = build_graph(registry, replace(filters, include_persons=persons))
    for name in (area, theme):
        if name is not None and name not in graph:
            raise RegistryError(f"{name} räknas inte med dessa filter (se --as-of och --include-proposed)")
    keep = set(graph.nodes)
    if kinds or area or theme:
        from samverkan.graphs.presentation.views import select

        keep = set(select(graph, "full", area=area, theme=theme, kinds=kinds).nodes)
        keep |= cited_documents(graph, keep)
    out = graph.subgraph(keep).copy()
    if not persons:  # what names a person goes with them (see graphs.backends.persons)
        from samverkan.graphs.backends.persons import hide_person_mentions, names_of_people

        people = ((e.name, e.aliases, e.short_name) for e in registry if e.category.value == "person")
        hide_person_mentions(out, names_of_people(people))
    return out
