"""The query API: the questions samverkan answers, independent of where the graph lives.

Both backends, the embedded networkx graph and a Neo4j server, implement `QueryBackend` and
return these plain result types, so the CLI, the tests and the parity checks compare like with
like. Results are sorted (Swedish collation) so the same registry always gives the same answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

__all__ = [
    "EntityRef",
    "Filters",
    "PathResult",
    "PathStep",
    "QueryBackend",
    "Row",
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


class QueryBackend(Protocol):
    """What every backend answers. Names are resolved first; the other methods take ids."""

    def resolve(self, name: str) -> EntityRef:
        """The entity a name, short name, alias or id refers to (see registry.resolve)."""
        ...

    def is_counted(self, entity_id: str) -> bool:
        """Whether the entity is in the graph under the current filters."""
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

    def positions(self, consultation: str | None = None, question: str | None = None) -> list[dict[str, Any]]:
        """Respondents' answers to consultation questions: respondent × question, with stance."""
        ...

    def sources(self) -> list[dict[str, Any]]:
        """The source documents with how many entities and relations cite each."""
        ...

    def duplicates(self, min_confidence: float = 0.75) -> list[dict[str, Any]]:
        """Pairs of entities that are probably one entity entered twice."""
        ...

    def gaps(self, today: Any = None, types: list[str] | None = None) -> list[dict[str, Any]]:
        """What the respondents asked to have clarified: owners, coordination, mandates."""
        ...

    def stats(self, top: int | None = 20) -> dict[str, list[dict[str, Any]]]:
        """Broker actors and connecting structures."""
        ...

    def warnings(self, structure: str | None = None, speaker: str | None = None) -> list[dict[str, Any]]:
        """What the documents say is parallel: stated overlaps grouped by the structures named."""
        ...

    def overlaps(self, **options: Any) -> list[dict[str, Any]]:
        """Ranked pairs of overlapping structures (see samverkan.graphs.analysis.overlaps for the options)."""
        ...
