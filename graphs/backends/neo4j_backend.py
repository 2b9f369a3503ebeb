"""The query API answered by a Neo4j database.

Each query is a Cypher statement that selects, in the database and under the same filters as the
embedded graph (status, validity on a day), just the part of the graph the answer is about: a
structure and its participants, an entity and its neighbours, the nodes on the shortest paths, the
positions on a consultation, the structures and their features. That part is then read into a
small graph and answered by the very code the embedded backend uses, so both backends give the
same JSON by construction, and the parity tests hold them to it.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from samverkan.graphs.backends.embedded import PATH_RELATIONS, EmbeddedBackend
from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, connect, translate
from samverkan.graphs.backends.neo4j_sync import REL_TYPES
from samverkan.graphs.backends.persons import names_of_people
from samverkan.registry.query import EntityRef, Filters, OverlapPair, PathResult, Position, Row
from samverkan.registry.resolve import NameIndex

__all__ = ["Neo4jBackend"]

_COUNTED = (
    "($proposed OR {x}.status <> 'föreslagen') AND ($as_of IS NULL OR "
    "(({x}.valid_start IS NULL OR {x}.valid_start <= $as_of) AND ({x}.valid_end IS NULL OR {x}.valid_end >= $as_of)))"
    " AND ($persons OR coalesce({x}.category, '') <> 'person')"
)


def counted(var: str) -> str:
    """The Cypher predicate that an entity or relation variable is counted under the filters."""
    return _COUNTED.format(x=var)


_PATH_TYPES = "|".join(REL_TYPES[t] for t in REL_TYPES if t.value in PATH_RELATIONS)


class Neo4jBackend:
    """Answers the query API from a Neo4j database filled by `samverkan neo4j sync`."""

    def __init__(self, settings: Neo4jSettings, filters: Filters | None = None) -> None:
        self.settings = settings
        self.filters = filters or Filters()
        self.driver = connect(settings)
        rows = self._run(
            "MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.short_name AS short, "
            "n.aliases AS aliases, n.kind AS kind, n.status AS status",
            filtered=False,
        )
        self._all = {r["id"]: (r["name"], r["kind"], r["status"]) for r in rows}
        people = ((r["name"], r["aliases"], r["short"]) for r in rows if r["kind"] == "person")
        self._people = names_of_people(people)  # their mentions are left out unless people are shown
        self.index = NameIndex.build(
            (r["id"], [r["name"], *([r["short"]] if r["short"] else []), *(r["aliases"] or [])]) for r in rows
        )

    def close(self) -> None:
        self.driver.close()

    # ---- plumbing ---------------------------------------------------------------------------
    def _run(self, query: str, filtered: bool = True, **params: Any) -> list[Any]:
        if filtered:
            params["proposed"] = self.filters.include_proposed
            params["as_of"] = self.filters.as_of.isoformat() if self.filters.as_of else None
            params["persons"] = self.filters.include_persons
        try:
            return self.driver.execute_query(query, database_=self.settings.database, **params).records
        except Exception as exc:  # every driver error becomes one line
            raise translate(exc, self.settings) from None

    def _local(self, node_ids: set[str] | list[str], edge_types: str | None = None) -> EmbeddedBackend:
        """The counted nodes among `node_ids` and the counted relations between them, as a graph."""
        ids = sorted(set(node_ids))
        nodes = self._run(
            f"MATCH (n:Entity) WHERE n.id IN $ids AND {counted('n')} RETURN n.id AS id, n.attrs AS attrs",
            ids=ids,
        )
        rel = f"r:{edge_types}" if edge_types else "r"
        edges = self._run(
            f"MATCH (a:Entity)-[{rel}]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids AND {counted('a')} "
            f"AND {counted('b')} AND {counted('r')} AND r.key IS NOT NULL "
            "RETURN a.id AS source, b.id AS target, r.key AS key, r.attrs AS attrs",
            ids=ids,
        )
        graph = nx.MultiDiGraph()
        for rec in sorted(nodes, key=lambda r: r["id"]):
            graph.add_node(rec["id"], **json.loads(rec["attrs"]))
        for rec in sorted(edges, key=lambda r: (r["source"], r["key"])):
            graph.add_edge(rec["source"], rec["target"], key=rec["key"], **json.loads(rec["attrs"]))
        return EmbeddedBackend.over(graph, self._all, self.index, self.filters, self._people)

    def _ids(self, query: str, **params: Any) -> set[str]:
        return {r["id"] for r in self._run(query, **params)}

    # ---- the query API ----------------------------------------------------------------------
    def resolve(self, name: str) -> EntityRef:
        entity_id = self.index.resolve(name)
        label, kind, _ = self._all[entity_id]
        return EntityRef(entity_id, label, kind)

    def is_counted(self, entity_id: str) -> bool:
        return bool(self._ids(f"MATCH (n:Entity {{id: $id}}) WHERE {counted('n')} RETURN n.id AS id", id=entity_id))

    def status_of(self, entity_id: str) -> str:
        return self._all[entity_id][2]

    def list_entities(self, kind: str | None = None) -> list[dict[str, Any]]:
        ids = self._ids(
            f"MATCH (n:Entity) WHERE {counted('n')} AND ($kind IS NULL OR n.kind = $kind) RETURN n.id AS id",
            kind=kind,
        )
        return self._local(ids, edge_types="PART_OF").list_entities(kind)

    def show(self, entity_id: str) -> dict[str, Any]:
        ids = self._ids(
            f"MATCH (n:Entity {{id: $id}})-[r]-(m:Entity) WHERE {counted('m')} AND {counted('r')} RETURN m.id AS id",
            id=entity_id,
        )
        local = self._local(ids | {entity_id})
        # only the entity's own relations: drop those between its neighbours
        local.graph.remove_edges_from(
            [(u, v, k) for u, v, k in list(local.graph.edges(keys=True)) if entity_id not in (u, v)]
        )
        return local.show(entity_id)

    def _participation(self, entity_id: str, include_parts: bool, incoming: bool) -> EmbeddedBackend:
        parts = {entity_id}
        if include_parts:
            parts |= self._ids(
                "MATCH p = (x:Entity)-[:PART_OF*1..]->(e:Entity {id: $id}) "
                f"WHERE all(n IN nodes(p) WHERE {counted('n')}) AND all(r IN relationships(p) WHERE {counted('r')}) "
                "RETURN DISTINCT x.id AS id",
                id=entity_id,
            )
        arrow = (
            "(o:Entity)-[r:PARTICIPATES_IN]->(s:Entity)" if incoming else "(s:Entity)-[r:PARTICIPATES_IN]->(o:Entity)"
        )
        others = self._ids(
            f"MATCH {arrow} WHERE s.id IN $parts AND {counted('o')} AND {counted('r')} RETURN o.id AS id",
            parts=sorted(parts),
        )
        return self._local(parts | others, edge_types="PARTICIPATES_IN|PART_OF")

    def who(self, entity_id: str, include_parts: bool = False) -> list[Row]:
        return self._participation(entity_id, include_parts, incoming=True).who(entity_id, include_parts)

    def where(self, entity_id: str, include_parts: bool = False) -> list[Row]:
        return self._participation(entity_id, include_parts, incoming=False).where(entity_id, include_parts)

    def paths(self, source_id: str, target_id: str, limit: int = 10) -> PathResult:
        if source_id == target_id:
            return self._local({source_id}).paths(source_id, target_id, limit)
        rows = self._run(
            f"MATCH (a:Entity {{id: $a}}), (b:Entity {{id: $b}}) "
            f"MATCH p = allShortestPaths((a)-[:{_PATH_TYPES}*..30]-(b)) "
            f"WHERE all(n IN nodes(p) WHERE {counted('n')}) AND all(r IN relationships(p) WHERE {counted('r')}) "
            "RETURN [n IN nodes(p) | n.id] AS ids LIMIT 5000",
            a=source_id,
            b=target_id,
        )
        ids = {source_id, target_id} | {i for r in rows for i in r["ids"]}
        return self._local(ids, edge_types=_PATH_TYPES).paths(source_id, target_id, limit)

    def positions(self, consultation: str | None = None, question: str | None = None) -> list[Position]:
        ids = set()
        for rec in self._run(
            f"MATCH (s:Entity)-[r:POSITION]->(c:Entity) WHERE c.kind = 'remiss' AND {counted('s')} AND {counted('c')} "
            f"AND {counted('r')} AND ($c IS NULL OR c.id = $c) RETURN s.id AS s, c.id AS c",
            c=consultation,
        ):
            ids |= {rec["s"], rec["c"]}
        return self._local(ids, edge_types="POSITION").positions(consultation, question)

    def overlaps(self, **options: Any) -> list[OverlapPair]:
        return self._local(self._overlap_ids()).overlaps(**options)

    def warnings(self, structure: str | None = None, speaker: str | None = None) -> list[dict[str, Any]]:
        return self._local(self._overlap_ids(), edge_types="POSITION").warnings(structure, speaker)

    def _overlap_ids(self) -> set[str]:
        """Structures with their participants, owners, groups, themes, areas, the warnings, and
        every actor (the population that shared membership is measured against)."""
        ids = self._ids(
            f"MATCH (s:Entity) WHERE s.category = 'structure' AND {counted('s')} "
            f"OPTIONAL MATCH (s)-[r]-(o:Entity) WHERE {counted('o')} AND {counted('r')} "
            "AND type(r) IN ['PARTICIPATES_IN', 'MANDATE', 'TARGETS', 'ADDRESSES', 'OPERATES_IN'] "
            "UNWIND [s.id, o.id] AS id RETURN DISTINCT id"
        )
        ids.discard(None)
        ids |= self._ids(
            f"MATCH (a:Entity)-[r:PART_OF]->(b:Entity) WHERE a.category = 'area' AND {counted('r')} "
            "UNWIND [a.id, b.id] AS id RETURN DISTINCT id"
        )
        warned = self._run(
            f"MATCH (w:Entity)-[r:POSITION]->(c:Entity) WHERE r.stance = 'varnar_för_överlapp' AND {counted('w')} "
            f"AND {counted('c')} AND {counted('r')} RETURN w.id AS w, c.id AS c"
        )
        ids |= {x for rec in warned for x in (rec["w"], rec["c"])}
        ids |= self._ids(f"MATCH (a:Entity) WHERE a.category = 'actor' AND {counted('a')} RETURN a.id AS id")
        return ids
