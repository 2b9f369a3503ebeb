"""The embedded backend: the query API answered from a networkx graph in this process.

This is the default: one analyst, one registry, no server. The Neo4j backend answers the same
questions with Cypher and must give the same results.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from samverkan.graphs.backends.build import build_graph
from samverkan.graphs.backends.persons import hide_person_mentions, names_of_people
from samverkan.graphs.contract import RelationType, name_ref, part_of_walk
from samverkan.registry.names import sort_key
from samverkan.registry.query import (
    BrokerStats,
    DuplicatePair,
    EntityRef,
    Filters,
    Gap,
    OverlapPair,
    PathResult,
    PathStep,
    Position,
    Row,
)
from samverkan.registry.resolve import NameIndex
from samverkan.registry.vocabulary import Kind

if TYPE_CHECKING:
    import networkx as nx

    from samverkan.registry.store import Registry

__all__ = ["EmbeddedBackend", "shortest_paths"]

# relation types a path may follow: who takes part where, who holds a mandate, what is part of what
PATH_RELATIONS = (RelationType.PARTICIPATES_IN, RelationType.MANDATE, RelationType.PART_OF)


class EmbeddedBackend:
    """Answers queries over a registry loaded into networkx."""

    def __init__(self, registry: Registry, filters: Filters | None = None) -> None:
        self.filters = filters or Filters()
        self.graph = build_graph(registry, self.filters)
        if not self.filters.include_persons:
            people = ((e.name, e.aliases, e.short_name) for e in registry if e.kind is Kind.PERSON)
            hide_person_mentions(self.graph, names_of_people(people))
        # names resolve over the whole registry, so a filtered-out entity can be explained
        self._all: Mapping[str, tuple[str, str, str]] = {e.id: (e.name, e.kind.value, e.status.value) for e in registry}
        self.index = NameIndex.build((e.id, e.all_names()) for e in registry)

    @classmethod
    def over(
        cls,
        graph: nx.MultiDiGraph,
        names: Mapping[str, tuple[str, str, str]],
        index: NameIndex,
        filters: Filters,
        people: list[str] | None = None,
    ) -> EmbeddedBackend:
        """The same answers over a graph built elsewhere (the part of a database a query needs);
        `people` the folded names of the registry's people, whose mentions are left out of the
        graph (in place) unless the filters include people."""
        if people and not filters.include_persons:
            hide_person_mentions(graph, people)
        backend = cls.__new__(cls)
        backend.filters, backend.graph, backend._all, backend.index = filters, graph, names, index
        return backend

    # ---- names ------------------------------------------------------------------------------
    def resolve(self, name: str) -> EntityRef:
        entity_id = self.index.resolve(name)
        label, kind, _ = self._all[entity_id]
        return EntityRef(entity_id, label, kind)

    def is_counted(self, entity_id: str) -> bool:
        return entity_id in self.graph

    def status_of(self, entity_id: str) -> str:
        return self._all[entity_id][2]

    def _ref(self, node: str) -> EntityRef:
        data = self.graph.nodes[node]
        return EntityRef(node, data["name"], data["kind"])

    # ---- listings ---------------------------------------------------------------------------
    def list_entities(self, kind: str | None = None) -> list[dict[str, Any]]:
        rows = [
            {"id": n, "name": d["name"], "kind": d["kind"], "aliases": list(d["aliases"])}
            for n, d in self.graph.nodes(data=True)
            if kind is None or d["kind"] == kind
        ]
        return sorted(rows, key=lambda r: (sort_key(r["name"]), r["id"]))

    def show(self, entity_id: str) -> dict[str, Any]:
        data = dict(self.graph.nodes[entity_id])
        data.pop("category", None)
        entity = {"id": entity_id, **data}
        relations = []
        for _, other, attrs in self.graph.out_edges(entity_id, data=True):
            relations.append({"direction": "out", "other": self._ref(other).to_dict(), **attrs})
        for other, _, attrs in self.graph.in_edges(entity_id, data=True):
            relations.append({"direction": "in", "other": self._ref(other).to_dict(), **attrs})
        relations.sort(
            key=lambda r: (
                r["direction"] == "in",
                r["type"],
                sort_key(r["other"]["name"]),
                r["other"]["id"],
                _qualifier(r),
            )
        )
        return {"entity": entity, "relations": relations}

    # ---- participation ----------------------------------------------------------------------
    def _rows(self, entity_id: str, include_parts: bool, incoming: bool) -> list[Row]:
        rows = []
        for node in part_of_walk(self.graph, entity_id) if include_parts else [entity_id]:
            via = None if node == entity_id else self._ref(node)
            edges = self.graph.in_edges(node, data=True) if incoming else self.graph.out_edges(node, data=True)
            for src, dst, attrs in edges:
                if attrs["type"] != RelationType.PARTICIPATES_IN:
                    continue
                other = self._ref(src if incoming else dst)
                data = self.graph.nodes[other.id]
                rows.append(
                    Row(
                        other.id,
                        other.name,
                        other.kind,
                        attrs["role"],
                        attrs["status"],
                        list(attrs["evidence"]),
                        via,
                        data["status"],
                        data.get("until"),
                    )
                )
        rows.sort(key=lambda r: (sort_key(r.name), r.id, r.role, r.via.id if r.via else ""))
        return rows

    def who(self, entity_id: str, include_parts: bool = False) -> list[Row]:
        return self._rows(entity_id, include_parts, incoming=True)

    def where(self, entity_id: str, include_parts: bool = False) -> list[Row]:
        return self._rows(entity_id, include_parts, incoming=False)

    # ---- paths ------------------------------------------------------------------------------
    def paths(self, source_id: str, target_id: str, limit: int = 10) -> PathResult:
        edges = self.graph.edges(keys=True, data=True)
        hops = [(key, src, dst, a["type"], a.get("role")) for src, dst, key, a in edges if a["type"] in PATH_RELATIONS]
        hops.sort(key=itemgetter(0))
        return shortest_paths(self.graph.nodes, (hop[1:] for hop in hops), self._ref, source_id, target_id, limit)

    # ---- consultations and sources --------------------------------------------------------
    def positions(self, consultation: str | None = None, question: str | None = None) -> list[Position]:
        rows = []
        for src, dst, attrs in self.graph.edges(data=True):
            target = self.graph.nodes[dst]
            if attrs["type"] != RelationType.POSITION or target["kind"] != Kind.REMISS:
                continue
            if consultation is not None and dst != consultation:
                continue
            if question is not None and attrs.get("question") != question:
                continue
            texts = {q["id"]: q["text"] for q in target.get("questions", [])}
            qid = attrs.get("question")
            rows.append(
                Position(
                    respondent=self._short_ref(src),
                    consultation=self._short_ref(dst),
                    question={"id": qid, "text": texts.get(qid)} if qid else None,
                    stance=attrs["stance"],
                    proposes=[self._short_ref(i) for i in attrs.get("proposes", [])],
                    jointly=[self._short_ref(i) for i in attrs.get("jointly", [])],
                    concerns=[self._short_ref(i) for i in attrs.get("concerns", [])],
                    overlap=attrs.get("overlap"),
                    existing_structures=bool(attrs.get("existing_structures")),
                    text=attrs.get("text"),
                    evidence=list(attrs["evidence"]),
                )
            )
        order = {c: [q["id"] for q in self.graph.nodes[c].get("questions", [])] for c in self.graph}

        def key(row: Position) -> tuple[Any, ...]:
            cid = row.consultation["id"]
            qid = row.question["id"] if row.question else None
            qpos = order[cid].index(qid) if qid in order[cid] else len(order[cid])
            return (cid, qpos, sort_key(row.respondent["name"]), row.respondent["id"], row.stance)

        return sorted(rows, key=key)

    def sources(self) -> list[dict[str, Any]]:
        counts: dict[str, dict[str, int]] = {
            n: {"entities": 0, "relations": 0} for n, d in self.graph.nodes(data=True) if d["kind"] == "dokument"
        }
        for _, data in self.graph.nodes(data=True):
            for doc in {ev["source"] for ev in data.get("evidence", [])} & counts.keys():
                counts[doc]["entities"] += 1
        for _, _, data in self.graph.edges(data=True):
            for doc in {ev["source"] for ev in data.get("evidence", [])} & counts.keys():
                counts[doc]["relations"] += 1
        rows = [
            {**self._short_ref(doc), "file": self.graph.nodes[doc].get("file"), **n, "unquoted": False}
            for doc, n in counts.items()
        ]
        rows.sort(key=lambda r: (sort_key(r["name"]), r["id"]))
        return rows + self._imported_sources()

    def _imported_sources(self) -> list[dict[str, Any]]:
        """The imported files facts come from without a quote (their provenance), after the documents."""
        counts: dict[str, dict[str, int]] = {}
        items = [("entities", d) for _, d in self.graph.nodes(data=True)]
        items += [("relations", d) for _, _, d in self.graph.edges(data=True)]
        for what, data in items:
            for name in {p["file"] for p in data.get("provenance") or []}:
                counts.setdefault(name, {"entities": 0, "relations": 0})[what] += 1
        return [
            {"id": f"import:{name}", "name": f"{name} (importerad, utan citat)", "file": name, **n, "unquoted": True}
            for name, n in sorted(counts.items())
        ]

    def overlaps(self, **options: Any) -> list[OverlapPair]:
        from samverkan.graphs.analysis.overlaps import overlaps

        return [OverlapPair.from_dict(row) for row in overlaps(self.graph, **options)]

    def warnings(self, structure: str | None = None, speaker: str | None = None) -> list[dict[str, Any]]:
        from samverkan.graphs.analysis.warnings import stated_overlaps

        return stated_overlaps(self.graph, structure, speaker, label=self._label)

    def duplicates(self, min_confidence: float = 0.75) -> list[DuplicatePair]:
        from samverkan.graphs.analysis.duplicates import find_duplicates

        return [DuplicatePair(**row) for row in find_duplicates(self.graph, min_confidence)]

    def gaps(self, today: date | None = None, types: list[str] | None = None) -> list[Gap]:
        from samverkan.graphs.analysis.gaps import find_gaps

        return [Gap(**row) for row in find_gaps(self.graph, today=today, types=types)]

    def stats(self, top: int | None = 20) -> BrokerStats:
        from samverkan.graphs.analysis.stats import broker_stats

        return BrokerStats(**broker_stats(self.graph, top=top))

    def _short_ref(self, node: str) -> dict[str, str]:
        return name_ref(self.graph, node, self._label)

    def _label(self, node: str) -> str:
        if node in self.graph:
            return str(self.graph.nodes[node]["name"])
        return self._all[node][0] if node in self._all else node


def shortest_paths(
    nodes: Iterable[str],
    hops: Iterable[tuple[str, str, str, str | None]],
    ref: Callable[[str], EntityRef],
    source_id: str,
    target_id: str,
    limit: int = 10,
) -> PathResult:
    """The shortest ways two entities connect, at most `limit` of them, in name order.

    `hops` are the relations a path may follow as (source, target, type, role), in the order of
    their keys: the first between two entities is the step a path shows. Fed from a graph or
    from the index's rows in the same order, it gives the same paths (among more than a thousand
    shortest ones, the same thousand are ranked).
    """
    import networkx as nx

    undirected = nx.Graph()
    undirected.add_nodes_from(nodes)
    steps: dict[tuple[str, str], tuple[str, str, str | None, str]] = {}
    for src, dst, kind, role in hops:
        pair = (src, dst) if src < dst else (dst, src)
        if src != dst and pair not in steps:
            steps[pair] = (src, kind, role, dst)
            undirected.add_edge(*pair)
    result = PathResult(ref(source_id), ref(target_id), [])
    if source_id == target_id:
        return result
    try:
        found = list(itertools.islice(nx.all_shortest_paths(undirected, source_id, target_id), 1000))
    except nx.NetworkXNoPath:
        return result
    found.sort(key=lambda p: [(sort_key(ref(n).name), n) for n in p])
    for path in found[:limit]:
        hops_taken = [steps[(a, b) if a < b else (b, a)] for a, b in itertools.pairwise(path)]
        result.paths.append([PathStep(ref(src), kind, role, ref(dst)) for src, kind, role, dst in hops_taken])
    return result


def _qualifier(rel: dict[str, Any]) -> str:
    return str(rel.get("role") or rel.get("question") or rel.get("stance") or rel.get("year") or "")
