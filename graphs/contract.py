"""The graph contract: what every node and edge carries, written down once.

`samverkan.graphs.backends.build.build_graph` (and the Neo4j backend, which reads the same
attributes back) makes a `networkx.MultiDiGraph` with one node per counted entity and one edge per
counted relation; every analysis, view and report reads only these attributes. Values are the
registry's vocabulary (`samverkan.registry.vocabulary`): compare with the enums, which are strings.

Nodes (key: the entity id)

================= ================================ ==============================================
attribute         value                            read by
================= ================================ ==============================================
``name``          the Swedish name                 everything that names a node (`node_ref`)
``kind``          `Kind` (nämnd, samverkansforum…) features, gaps, duplicates, views, stats
``category``      `Category` (actor, structure…)   gaps, stats, features, views, report
``status``        `Status` (befintlig, föreslagen) views, show
``aliases``       list of other names              duplicates, list, name resolution
``short_name``    optional abbreviation            duplicates, show
``from``          optional `PartialDate`           features (lifetime), views, report timeline
``until``         optional `PartialDate`           features, gaps (lapsed mandates), report
``evidence``      list of {source, page, quote}    sources, views, report
``questions``     a remiss's [{id, text}]          positions, gaps, report
``description``   optional sentence or two         gaps (civil society), views, report
``note``          what was inferred, if anything   report timeline
``file``          a document's text file           sources
================= ================================ ==============================================

Edges (key: the relation key; ``type`` says which relation)

=================== ================================================== ==============================
``type``            further attributes                                 read by
=================== ================================================== ==============================
``participates_in`` ``role``: `Role` (deltar, leder, samordnar…)       who/where, features, gaps,
                                                                       stats, duplicates, views
``mandate``         ``scope``, ``granted_by`` (a decision id)          features, gaps, report
``part_of``         —                                                  the part-of walk (`part_of_walk`)
``operates_in``     —                                                  features (areas), views
``addresses``       —                                                  features (themes), views
``targets``         —                                                  features (target groups)
``funds``           ``amount``, ``currency``, ``year``                 show
``reports_to``      —                                                  show, paths
``position``        ``stance``: `Stance`; ``question``; ``proposes``,  positions, warnings, gaps,
                    ``jointly``, ``concerns`` (lists of ids);          overlaps (stated), report
                    ``overlap``: `OverlapKind`; ``existing_structures``;
                    ``text``
``about``           —                                                  show
=================== ================================================== ==============================

Every edge also has ``status``, ``from``, ``until``, ``note`` and ``evidence``, like the nodes.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("kf", name="KF", kind="kommunfullmäktige")
>>> g.add_node("ks", name="KS", kind="kommunstyrelse")
>>> g.add_node("stk", name="Stadskontoret", kind="stadskontor")
>>> _ = g.add_edge("ks", "kf", type="part_of"), g.add_edge("stk", "ks", type="part_of")
>>> part_of_walk(g, "kf")
['kf', 'ks', 'stk']
>>> part_of_walk(g, "stk", up=True)
['stk', 'ks', 'kf']
>>> node_ref(g, "ks")
{'id': 'ks', 'name': 'KS', 'kind': 'kommunstyrelse'}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from samverkan.registry.vocabulary import Category, OverlapKind, RelationType, Role, Stance, Status

__all__ = [
    "CLASS_LABELS",
    "GAP_TYPES",
    "Category",
    "OverlapKind",
    "RelationType",
    "Role",
    "Stance",
    "Status",
    "linked_from",
    "name_ref",
    "node_ref",
    "part_of_walk",
]

# what each class of overlapping pair (`overlaps`' "class") is called in Swedish
CLASS_LABELS = {"duplication": "dubblering", "overlap": "överlappning", "fragmentation": "fragmentering"}

# the kinds of gap `find_gaps` reports ("type"), with how they read in Swedish, in report order
GAP_TYPES = {
    "no_owner": "saknar ägare eller mandat",
    "contested_coordinator": "omstridd samordning",
    "lapsed_mandate": "mandatet har löpt ut men arbetet fortsätter",
    "parallel_coordinator": "samordnar parallella strukturer",
    "civil_society_missing": "civilsamhället sägs vara centralt men deltar inte",
}


def part_of_walk(graph: Any, node: str, up: bool = False) -> list[str]:
    """`node` and everything that is (transitively) part of it, or with `up` everything it is part
    of: breadth first, each step in id order, each node once, `node` first."""
    seen = [node]
    frontier = [node]
    while frontier:
        found = []
        for at in frontier:
            edges = graph.out_edges(at, data=True) if up else graph.in_edges(at, data=True)
            for src, dst, attrs in edges:
                other = dst if up else src
                if attrs["type"] == RelationType.PART_OF and other not in seen:
                    seen.append(other)
                    found.append(other)
        frontier = sorted(found)
    return seen


def node_ref(graph: Any, node: str) -> dict[str, str]:
    """A node as results name it: id, name and kind."""
    data = graph.nodes[node]
    return {"id": node, "name": data["name"], "kind": data["kind"]}


def name_ref(graph: Any, node: str, label: Callable[[str], str] | None = None) -> dict[str, str]:
    """A node as lists inside results name it: id and name. An id that is not in the graph (left
    out by the filters) is named by `label` if given, else by the id itself."""
    if label is not None:
        return {"id": node, "name": label(node)}
    return {"id": node, "name": graph.nodes[node]["name"] if node in graph else node}


def linked_from(graph: Any, nodes: Iterable[str], relation: str) -> set[str]:
    """The nodes with a `relation` edge into any of `nodes` (who takes part in them, what operates
    in them, …)."""
    return {src for node in nodes for src, _, attrs in graph.in_edges(node, data=True) if attrs["type"] == relation}
