"""The embedded backend answered from the registry's index, without a graph of everything.

`who`, `where`, `show`, `list` and `positions` read the rows they need from the index
(see `samverkan.registry.index`): a question about one entity builds the small graph of that
entity, its parts and its neighbours, and asks the embedded backend the same question over it, so
the answers are the embedded backend's, byte for byte. `overlaps` reads the relations it scores as
plain rows and builds its feature matrices from them, with a graph of only what its explanations
name; `paths` reads only the relations a path may follow and runs the embedded backend's path
code over them. Everything else (sources, the other analyses, views) gets the embedded backend
over the whole graph, built from the index's plain rows rather than from the YAML files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from samverkan.graphs.backends.build import counts_values
from samverkan.graphs.backends.embedded import EmbeddedBackend, shortest_paths
from samverkan.graphs.backends.persons import names_of_people
from samverkan.graphs.backends.rowgraph import RowGraph
from samverkan.registry.index import RegistryIndex, Scan, open_index, select_in
from samverkan.registry.names import sort_key
from samverkan.registry.query import EntityRef, Filters, Gap, OverlapPair, PathResult, Position, Row
from samverkan.registry.resolve import NameIndex

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["IndexBackend", "embedded_backend"]

_ENTITY_COLUMNS = "id, status, vfrom, vuntil, category, attrs"
_RELATION_COLUMNS = "source, ord, target, key, status, vfrom, vuntil, attrs"
# what the overlap analysis reads of each relation: a participation's role alone (most rows, so
# it is taken out of the JSON by SQLite), the key and whole attributes of the few it needs more of
_OVERLAP_RELATIONS = """
SELECT source, ord, target, CASE WHEN type IN ('position', 'part_of') THEN key END, type, status, vfrom, vuntil,
       CASE WHEN type = 'participates_in' THEN json_extract(attrs, '$.role')
            WHEN type IN ('mandate', 'position', 'part_of') THEN attrs END
FROM relations NOT INDEXED
WHERE type IN ('participates_in', 'mandate', 'targets', 'addresses', 'operates_in', 'position', 'part_of')
"""
# what a path may follow (embedded.PATH_RELATIONS), with the role a step shows
_PATH_RELATIONS = """
SELECT source, target, key, type, status, vfrom, vuntil,
       CASE WHEN type = 'participates_in' THEN json_extract(attrs, '$.role') END
FROM relations NOT INDEXED
WHERE type IN ('participates_in', 'mandate', 'part_of')
"""


def embedded_backend(
    root: Path, filters: Filters, opened: dict[Path, RegistryIndex] | None = None, scan: Scan | None = None
) -> Any:
    """The embedded backend of a registry directory; ValidationFailedError if it has problems.

    Answers from the index; `SAMVERKAN_CACHE=0` loads the files from scratch instead. `opened`
    keeps the indexes one command has brought up to date, so that asking again with other
    filters (a named entity the filters leave out) does not check every file a second time;
    `scan`, one of the registry's files started earlier (`start_scan`).
    """
    if os.environ.get("SAMVERKAN_CACHE") != "0" and Path(root).is_dir():
        opened = {} if opened is None else opened
        index = opened.get(root)
        if index is None:
            index = opened[root] = open_index(root, scan)
        if index.clean:
            return IndexBackend(index, filters)
    from samverkan.registry.errors import ValidationFailedError
    from samverkan.registry.validate import validate_path

    registry, problems = validate_path(root, quotes=False)
    if problems:
        raise ValidationFailedError(problems)
    return EmbeddedBackend(registry, filters)


def _feature_edges(rows: list[tuple[Any, ...]]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """Relation rows as the (source, target, attributes) edges `features_of` reads; the
    attributes of the many participations are shared, one mapping per role."""
    shared: dict[tuple[str, str | None], Mapping[str, Any]] = {}
    for source, _, target, _, kind, *_, extra in rows:
        if kind == "participates_in" or extra is None:
            attrs = shared.get((kind, extra))
            if attrs is None:
                attrs = shared[kind, extra] = {"type": kind, "role": extra} if extra is not None else {"type": kind}
            yield source, target, attrs
        else:
            yield source, target, json.loads(extra)


class _Names(NameIndex):
    """The resolution tiers of NameIndex, looked up in the index's names table."""

    def __init__(self, db: Any) -> None:
        super().__init__()
        self.db = db

    def _is_id(self, text: str) -> bool:
        return self.db.execute("SELECT 1 FROM entities WHERE id = ?", (text,)).fetchone() is not None

    def _display(self, entity_id: str) -> str:
        return self.db.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()[0]

    def _exact_ids(self, key: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM names WHERE exact = ?", (key,))}

    def _folded_ids(self, key: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM names WHERE folded = ? AND folded != ''", (key,))}

    def _folded_keys(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT folded FROM names WHERE folded != '' ORDER BY folded")]


class _Labels(Mapping[str, tuple[str, str, str]]):
    """id -> (name, kind, status) of every entity, read from the index when asked."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def __getitem__(self, entity_id: str) -> tuple[str, str, str]:
        row = self.db.execute("SELECT name, kind, status FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise KeyError(entity_id)
        return row

    def __contains__(self, entity_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.db.execute("SELECT id FROM entities ORDER BY id"))

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM entities").fetchone()[0]


class IndexBackend:
    """The query API over a registry's index; same answers as EmbeddedBackend over a full load."""

    def __init__(self, index: RegistryIndex, filters: Filters | None = None) -> None:
        self.index = index
        self.db = index.db
        self.filters = filters or Filters()
        self.names = _Names(self.db)
        self.labels = _Labels(self.db)
        self._full: EmbeddedBackend | None = None
        self._verdicts: dict[tuple[str | None, ...], bool] = {}
        self._people_names: list[str] | None = None

    # ---- the graphs questions are asked over --------------------------------------------------
    def _counted(self, status: str, vfrom: str | None, vuntil: str | None, category: str | None = None) -> bool:
        """counts_values, remembered: a registry has few distinct statuses and validities."""
        key = (status, vfrom, vuntil, category)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = counts_values(status, vfrom, vuntil, self.filters, category)
        return verdict

    def _graph(
        self, entities: Iterable[tuple[Any, ...]], relations: Iterable[tuple[Any, ...]], small: bool = False
    ) -> nx.MultiDiGraph:
        """What build_graph makes of these rows: the same nodes and edges, in the same order; a
        `small` one (a neighbourhood) without importing networkx."""
        if small:
            graph: Any = RowGraph()
        else:
            import networkx as nx

            graph = nx.MultiDiGraph()
        for entity_id, status, vfrom, vuntil, category, attrs in sorted(entities):
            if self._counted(status, vfrom, vuntil, category):
                graph.add_node(entity_id, **json.loads(attrs))
        for source, _, target, key, status, vfrom, vuntil, attrs in sorted(relations, key=lambda r: (r[0], r[1])):
            if source in graph and target in graph and self._counted(status, vfrom, vuntil):
                graph.add_edge(source, target, key=key, **json.loads(attrs))
        return graph

    def _over(self, graph: nx.MultiDiGraph) -> EmbeddedBackend:
        return EmbeddedBackend.over(graph, self.labels, self.names, self.filters, self._people())

    def _people(self) -> list[str]:
        """The folded names of the registry's people (none to look for when people are shown)."""
        if self._people_names is None:
            self._people_names = []
            if not self.filters.include_persons:
                rows = self.db.execute("SELECT attrs FROM entities WHERE category = 'person'")
                people = (json.loads(attrs) for (attrs,) in rows)
                self._people_names = names_of_people((p["name"], p.get("aliases"), p.get("short_name")) for p in people)
        return self._people_names

    def _around(self, ids: set[str], relations: list[tuple[Any, ...]]) -> EmbeddedBackend:
        """The embedded backend over some relations and every entity they or `ids` touch."""
        nodes = ids | {r[0] for r in relations} | {r[2] for r in relations}
        entities = list(select_in(self.db, f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id IN ({{}})", nodes))
        return self._over(self._graph(entities, relations, small=True))

    def _neighbourhood(self, entity_id: str, include_parts: bool) -> EmbeddedBackend:
        """An entity (and, if asked, everything that is part of it) with all its relations."""
        focus = {entity_id}
        frontier = {entity_id}
        while include_parts and frontier:
            found = select_in(
                self.db, "SELECT source FROM relations WHERE type = 'part_of' AND target IN ({})", frontier
            )
            frontier = {r[0] for r in found} - focus
            focus |= frontier
        out = f"SELECT {_RELATION_COLUMNS} FROM relations WHERE source IN ({{}})"
        into = f"SELECT {_RELATION_COLUMNS} FROM relations WHERE target IN ({{}})"
        relations = set(select_in(self.db, out, focus)) | set(select_in(self.db, into, focus))
        return self._around(focus, list(relations))

    def full(self) -> EmbeddedBackend:
        """The embedded backend over the whole graph (for paths and the analyses)."""
        if self._full is None:
            entities = self.db.execute(f"SELECT {_ENTITY_COLUMNS} FROM entities")
            relations = self.db.execute(f"SELECT {_RELATION_COLUMNS} FROM relations")
            self._full = self._over(self._graph(entities, relations))
        return self._full

    def _counted_nodes(self, whole: bool = False) -> dict[str, dict[str, Any]]:
        """Every entity the filters count, by id in id order: with all its attributes (`whole`, as
        the whole graph has them), or only with those the rows give cheaply."""
        if whole:
            rows = self.db.execute(f"SELECT {_ENTITY_COLUMNS} FROM entities ORDER BY id")
            return {row[0]: json.loads(row[5]) for row in rows if self._counted(*row[1:5])}
        sql = "SELECT id, name, kind, status, category, vfrom, vuntil FROM entities ORDER BY id"
        return {
            entity_id: {
                "name": name,
                "kind": kind,
                "status": status,
                "category": category,
                "from": vfrom,
                "until": vuntil,
            }
            for entity_id, name, kind, status, category, vfrom, vuntil in self.db.execute(sql)
            if self._counted(status, vfrom, vuntil, category)
        }

    def _scored(self, whole_nodes: bool = False) -> tuple[dict[str, dict[str, Any]], list[tuple[Any, ...]]]:
        """The counted entities, and the counted relations the overlap analysis reads, in the
        whole graph's order: by source, then as its file lists them."""
        nodes = self._counted_nodes(whole_nodes)
        counted = self._counted
        rows = self.db.execute(_OVERLAP_RELATIONS)
        kept = [row for row in rows if row[0] in nodes and row[2] in nodes and counted(row[5], row[6], row[7])]
        kept.sort(key=itemgetter(0, 1))
        return nodes, kept

    def _outline(
        self, nodes: dict[str, dict[str, Any]], kept: list[tuple[Any, ...]], types: set[str]
    ) -> nx.MultiDiGraph:
        """A graph of the counted entities with only the relations of some types (a participation
        with its type and role alone), quotes naming people left out as in every graph."""
        import networkx as nx

        outline = nx.MultiDiGraph()
        outline.add_nodes_from(nodes.items())
        wanted = [row for row in kept if row[4] in types]
        for row, (source, target, attrs) in zip(wanted, _feature_edges(wanted), strict=True):
            outline.add_edge(source, target, key=row[3], **attrs)
        return self._over(outline).graph

    def overlaps(self, **options: Any) -> list[OverlapPair]:
        """The overlap analysis without a graph of everything: the structures' features from the
        relations it scores, read as plain rows in the order the whole graph would give them, and
        a graph of every counted node's name, kind and status with only the part-of edges and the
        positions, which is all the explanations of the pairs shown ask for."""
        from samverkan.graphs.analysis.features import features_of
        from samverkan.graphs.analysis.overlaps import overlaps

        nodes, kept = self._scored()
        outline = self._outline(nodes, kept, {"part_of", "position"})
        features = features_of(nodes.items(), _feature_edges(kept), options.get("kinds"))
        return [OverlapPair.from_dict(row) for row in overlaps(outline, features=features, **options)]

    def gaps(self, today: date | None = None, types: list[str] | None = None) -> list[Gap]:
        """The gaps over the entities and only the participations, mandates and positions they
        look at, with the overlap features (for parallel coordinators) from the rows."""
        from samverkan.graphs.analysis.features import features_of
        from samverkan.graphs.analysis.gaps import find_gaps

        nodes, kept = self._scored(whole_nodes=True)
        outline = self._outline(nodes, kept, {"participates_in", "mandate", "position"})
        features = None
        if types is None or "parallel_coordinator" in types:
            features = features_of(nodes.items(), _feature_edges(kept))
        return [Gap(**row) for row in find_gaps(outline, today=today, types=types, features=features)]

    def paths(self, source_id: str, target_id: str, limit: int = 10) -> PathResult:
        """The embedded backend's shortest paths over the relations a path may follow, read as
        rows in key order, without a graph of everything."""
        nodes = self._counted_nodes()
        counted = self._counted
        hops = [
            row
            for row in self.db.execute(_PATH_RELATIONS)
            if row[0] in nodes and row[1] in nodes and counted(*row[4:7])
        ]
        hops.sort(key=itemgetter(2))

        def ref(node: str) -> EntityRef:
            return EntityRef(node, nodes[node]["name"], nodes[node]["kind"])

        steps = ((source, target, kind, role) for source, target, _, kind, *_, role in hops)
        return shortest_paths(nodes, steps, ref, source_id, target_id, limit)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    # ---- names --------------------------------------------------------------------------------
    def resolve(self, name: str) -> EntityRef:
        entity_id = self.names.resolve(name)
        label, kind, _ = self.labels[entity_id]
        return EntityRef(entity_id, label, kind)

    def is_counted(self, entity_id: str) -> bool:
        row = self.db.execute(
            "SELECT status, vfrom, vuntil, category FROM entities WHERE id = ?", (entity_id,)
        ).fetchone()
        return row is not None and self._counted(*row)

    def status_of(self, entity_id: str) -> str:
        return self.labels[entity_id][2]

    # ---- the questions answered from rows ------------------------------------------------------
    def list_entities(self, kind: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, name, kind, aliases, status, vfrom, vuntil, category FROM entities"
        rows = self.db.execute(sql + " WHERE kind = ?", (kind,)) if kind is not None else self.db.execute(sql)
        out = [
            {"id": i, "name": name, "kind": k, "aliases": json.loads(aliases)}
            for i, name, k, aliases, *validity in rows
            if self._counted(*validity)
        ]
        return sorted(out, key=lambda r: (sort_key(r["name"]), r["id"]))

    def show(self, entity_id: str) -> dict[str, Any]:
        return self._neighbourhood(entity_id, False).show(entity_id)

    def who(self, entity_id: str, include_parts: bool = False) -> list[Row]:
        return self._neighbourhood(entity_id, include_parts).who(entity_id, include_parts)

    def where(self, entity_id: str, include_parts: bool = False) -> list[Row]:
        return self._neighbourhood(entity_id, include_parts).where(entity_id, include_parts)

    def positions(self, consultation: str | None = None, question: str | None = None) -> list[Position]:
        sql = f"SELECT {_RELATION_COLUMNS} FROM relations WHERE type = 'position'"
        rows = self.db.execute(sql + " AND target = ?", (consultation,)) if consultation else self.db.execute(sql)
        return self._around(set(), list(rows)).positions(consultation, question)
