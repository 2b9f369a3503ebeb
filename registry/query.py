"""The query API: the questions samverkan answers, independent of where the graph lives.

Every backend, the embedded networkx graph and a Neo4j server, answers `QueryBackend`; what needs
the whole graph in this process (network views, the report, duplicates, gaps, broker statistics,
sources) is `GraphBackend`, which only the embedded backend is. Both return these result types,
each with `to_dict` giving the JSON that `--json` prints, so the CLI, the tests and the parity
checks compare like with like. Results are sorted (Swedish collation) so the same registry always
gives the same answer.

The analyses in `samverkan.graphs.analysis` return plain data, the networkx way; the backends
wrap their rows in these types (`from_dict`), so the JSON is the analyses' rows, key for key.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "BrokerStats",
    "DuplicatePair",
    "EntityRef",
    "Filters",
    "Gap",
    "GraphBackend",
    "OverlapPair",
    "PathResult",
    "PathStep",
    "Position",
    "QueryBackend",
    "Row",
    "not_counted_reason",
    "resolve_counted",
    "resolve_optional",
    "resolve_pair",
]


@dataclass(frozen=True)
class Filters:
    """What the graph counts: validity on a day, and whether proposed things count."""

    as_of: date | None = None
    include_proposed: bool = False
    include_persons: bool = False  # people are shown only when asked for


@dataclass(frozen=True)
class EntityRef:
    """An entity as results name it."""

    id: str
    name: str
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Row:
    """One participation seen from either end: who takes part, or where an actor takes part."""

    id: str
    name: str
    kind: str
    role: str
    status: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    via: EntityRef | None = None  # the part (förvaltning, subforum) the participation goes through
    # the named entity's own status and end: a participation keeps the status its quote gives, and
    # ends when the structure does (a lapse is the structure's, stated once)
    entity_status: str = "befintlig"
    entity_until: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k != "via"}
        if self.via is not None:
            out["via"] = self.via.to_dict()
        return out


@dataclass
class PathStep:
    """One hop of a path: from an entity, along a relation, to the next."""

    source: EntityRef
    relation: str
    role: str | None
    target: EntityRef

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source.to_dict(),
            "relation": self.relation,
            "role": self.role,
            "to": self.target.to_dict(),
        }


@dataclass
class PathResult:
    """Shortest paths between two entities."""

    source: EntityRef
    target: EntityRef
    paths: list[list[PathStep]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source.to_dict(),
            "to": self.target.to_dict(),
            "paths": [{"length": len(p), "steps": [s.to_dict() for s in p]} for p in self.paths],
        }


@dataclass
class Position:
    """One respondent's answer to a consultation (or to one of its questions), with stance."""

    respondent: dict[str, str]
    consultation: dict[str, str]
    question: dict[str, Any] | None  # {"id", "text"}
    stance: str
    proposes: list[dict[str, str]]
    jointly: list[dict[str, str]]
    concerns: list[dict[str, str]]
    overlap: str | None
    existing_structures: bool
    text: str | None
    evidence: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _json_fields(result: Any) -> dict[str, Any]:
    """A result's fields in order, `class_` named `class` (a Python keyword)."""
    return {f.name.rstrip("_"): getattr(result, f.name) for f in fields(result)}


@dataclass
class OverlapPair:
    """Two structures that overlap, ranked: score, class, reasons, what is stated and inferred."""

    a: dict[str, str]
    b: dict[str, str]
    score: float
    signals: dict[str, Any]
    class_: str  # duplication, overlap or fragmentation
    reasons: list[str]
    basis: str  # stated or inferred
    stated: dict[str, Any]
    inferred: dict[str, Any]
    proposed_vs_existing: bool
    review: dict[str, Any] | None = None  # the analysts' latest judgement, once reviews are applied

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> OverlapPair:
        return cls(**{("class_" if k == "class" else k): v for k, v in row.items()})

    def to_dict(self) -> dict[str, Any]:
        return _json_fields(self)


@dataclass
class DuplicatePair:
    """Two entities that are probably one entered twice, with how sure and why."""

    a: dict[str, str]
    b: dict[str, str]
    confidence: float
    name_similarity: float
    structural_similarity: float
    reasons: list[str]
    evidence: dict[str, Any]
    review: dict[str, Any] | None = None  # the analysts' latest judgement, once reviews are applied

    def to_dict(self) -> dict[str, Any]:
        return _json_fields(self)


@dataclass
class Gap:
    """Something the respondents asked to have clarified (see `GAP_TYPES` in graphs.contract)."""

    type: str
    subject: dict[str, str]
    message: str
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BrokerStats:
    """Broker actors and the structures that join otherwise separate groups, most central first."""

    actors: list[dict[str, Any]]  # {"id", "name", "kind", "structures", "degree", "betweenness"}
    structures: list[dict[str, Any]]  # {"id", "name", "kind", "participants", "betweenness", "connects_groups"}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class QueryBackend(Protocol):
    """What every backend answers. Names are resolved first; the other methods take ids."""

    def resolve(self, name: str) -> EntityRef:
        """The entity a name, short name, alias or id refers to (see registry.resolve)."""
        ...

    def is_counted(self, entity_id: str) -> bool:
        """Whether the entity is in the graph under the current filters."""
        ...

    def status_of(self, entity_id: str) -> str:
        """The entity's status (befintlig, föreslagen, …), whether or not it is counted."""
        ...

    def list_entities(self, kind: str | None = None) -> list[dict[str, Any]]:
        """`{"id", "name", "kind", "aliases"}` for every entity, sorted by name."""
        ...

    def show(self, entity_id: str) -> dict[str, Any]:
        """One entity with its fields, evidence, and relations in both directions."""
        ...

    def who(self, entity_id: str, include_parts: bool = False) -> list[Row]:
        """The participants of a structure, with role."""
        ...

    def where(self, entity_id: str, include_parts: bool = False) -> list[Row]:
        """The structures an actor takes part in, with role."""
        ...

    def paths(self, source_id: str, target_id: str, limit: int = 10) -> PathResult:
        """Shortest paths over participation, mandate and part-of, in either direction."""
        ...

    def positions(self, consultation: str | None = None, question: str | None = None) -> list[Position]:
        """Respondents' answers to consultation questions: respondent × question, with stance."""
        ...

    def warnings(self, structure: str | None = None, speaker: str | None = None) -> list[dict[str, Any]]:
        """What the documents say is parallel: stated overlaps grouped by the structures named."""
        ...

    def overlaps(self, **options: Any) -> list[OverlapPair]:
        """Ranked pairs of overlapping structures (see samverkan.graphs.analysis.overlaps for the options)."""
        ...


class GraphBackend(QueryBackend, Protocol):
    """A backend holding the whole graph in this process: what views, the report and the
    whole-graph analyses need."""

    graph: nx.MultiDiGraph

    def sources(self) -> list[dict[str, Any]]:
        """The source documents with how many entities and relations cite each."""
        ...

    def duplicates(self, min_confidence: float = 0.75) -> list[DuplicatePair]:
        """Pairs of entities that are probably one entity entered twice."""
        ...

    def gaps(self, today: date | None = None, types: list[str] | None = None) -> list[Gap]:
        """What the respondents asked to have clarified: owners, coordination, mandates."""
        ...

    def stats(self, top: int | None = 20) -> BrokerStats:
        """Broker actors and connecting structures."""
        ...


def not_counted_reason(status: str, as_of: date | None) -> str:
    """Why the filters leave an entity out, as the end of a Swedish sentence naming it.

    >>> not_counted_reason("föreslagen", None)
    'är föreslagen och räknas bara med --include-proposed'
    >>> not_counted_reason("befintlig", date(2024, 1, 1))
    'gällde inte den 2024-01-01'
    """
    if status == "föreslagen":
        return "är föreslagen och räknas bara med --include-proposed"
    if as_of:
        return f"gällde inte den {as_of.isoformat()}"
    return f"är {status} och räknas inte med dessa filter"


def resolve_counted(backend: QueryBackend, name: str, as_of: date | None) -> EntityRef:
    """The entity a name refers to, or an error saying why the filters leave it out (for names
    that select what is counted, such as an area filter, rather than name a subject)."""
    from .errors import RegistryError

    ref = backend.resolve(name)
    if not backend.is_counted(ref.id):
        reason = (
            "är en person och räknas bara med --include-persons"
            if ref.kind == "person"
            else not_counted_reason(backend.status_of(ref.id), as_of)
        )
        raise RegistryError(f"{ref.name} ({ref.id}) {reason}")
    return ref


def resolve_pair(backend: QueryBackend, first: str, second: str) -> tuple[EntityRef, EntityRef]:
    """Two names that must refer to two different entities (a pair to judge)."""
    from .errors import RegistryError

    a, b = backend.resolve(first), backend.resolve(second)
    if a.id == b.id:
        raise RegistryError(f"{a.name} och {b.name} är samma entitet ({a.id})")
    return a, b


def resolve_optional(backend: QueryBackend, name: str | None) -> str | None:
    """The id a name refers to, or None when no name was given (for optional filters)."""
    return backend.resolve(name).id if name else None
