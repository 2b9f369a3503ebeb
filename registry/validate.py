"""The cross-file pass: what no single file can tell about itself.

Runs after loading and reports every problem at once, in file order: references to ids that do
not exist, relations whose endpoints have the wrong kinds, names that would resolve to two
entities, and evidence whose quote is not in its source document or not on the page it cites.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Consultation, Decision, Document, Entity, Evidence, Position
from .names import fold
from .problems import Problem
from .store import Registry, load_registry
from .vocabulary import ENDPOINT_RULES, PERSON_TARGETS, Category, RelationType

__all__ = [
    "ValidationReport",
    "check_entity",
    "check_registry",
    "check_warnings",
    "open_registry",
    "validate_path",
    "validation_report",
]

# the categories as messages name them
_LABEL = {
    Category.ACTOR: "aktör",
    Category.STRUCTURE: "struktur",
    Category.AREA: "område",
    Category.THEME: "tema",
    Category.GROUP: "målgrupp",
    Category.DOCUMENT: "dokument",
    Category.DECISION: "beslut",
    Category.CONSULTATION: "remiss",
    Category.PERSON: "person",
}


def validate_path(root: Path | str, quotes: bool = True, warnings: bool = False) -> tuple[Registry, list[Problem]]:
    """Load a registry directory and run every check; problems sorted by file and line.

    `quotes=False` skips reading the source documents, for commands that only query;
    `warnings=True` adds the doubts (`Problem.warning`), which only `validate` reports.
    """
    from .reviews import load_reviews

    result = load_registry(root)
    problems = result.problems + check_registry(result.registry, quotes=quotes)
    if result.registry.root is not None and result.registry.root.is_dir():
        # a merged-away id lives on as an alias of the kept entity: reviews may still name it
        known = {fold(n) for e in result.registry for n in (e.id, *e.all_names())}
        problems += load_reviews(result.registry.root, known, controls=quotes)[1]
    if warnings and quotes:
        problems += check_warnings(result.registry)
    return result.registry, sorted(set(problems))


@dataclass
class ValidationReport:
    """What `validate` reports: the registry's size, its problems and its doubts."""

    entities: int
    relations: int
    problems: list[Problem]
    warnings: list[Problem]

    def failed(self, strict: bool = False) -> bool:
        """Whether the registry fails: a problem, or under `strict` also a doubt."""
        return bool(self.problems or (strict and self.warnings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "relations": self.relations,
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def validation_report(root: Path | str) -> ValidationReport:
    """Every check on a registry directory, doubts included, split into problems and warnings."""
    registry, found = validate_path(root, warnings=True)
    return ValidationReport(
        entities=len(registry),
        relations=sum(len(e.relations) for e in registry),
        problems=[p for p in found if not p.warning],
        warnings=[p for p in found if p.warning],
    )


def check_warnings(reg: Registry) -> list[Problem]:
    """The doubts: facts that are inferences without a note saying so."""
    from .inference import inference_problems

    def warn(entity: Entity, loc: tuple[Any, ...], message: str) -> Problem:
        p = _problem(reg, entity, loc, message)
        return Problem(p.path, p.line, p.field, p.message, warning=True)

    return list(inference_problems(reg, warn))


def check_registry(reg: Registry, quotes: bool = True) -> list[Problem]:
    """Every cross-file problem of an already loaded registry."""
    problems: list[Problem] = []
    for entity in reg:
        problems.extend(check_entity(reg, entity, quotes))
        if quotes:  # the full check (`validate`); a query escapes what it prints instead
            problems.extend(_check_controls(reg, entity))
    problems.extend(_check_names(reg))
    return problems


# in JSON, C0 controls are escaped (as \uXXXX, \r, \b, \f; newline and tab as \n, \t), the rest raw
_MAYBE_CONTROL = re.compile(
    r"\\u00[01][0-9a-fA-F]|\\u007[fF]|\\[rbf]|[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _check_controls(reg: Registry, entity: Entity) -> Iterator[Problem]:
    """Control characters in any text field: a name that rewrites the reader's terminal."""
    from .controls import control_characters, texts_in

    if not _MAYBE_CONTROL.search(entity.model_dump_json()):  # the fast path: nearly every entity
        return
    # the model's own order (the file's), so each location finds its line
    for loc, text in texts_in(entity.model_dump(mode="json", by_alias=True, exclude_none=True)):
        found = control_characters(text)
        if found:
            yield _problem(reg, entity, loc, f"innehåller styrtecken ({', '.join(found)}); ta bort dem")


def _problem(reg: Registry, entity: Entity, loc: tuple[Any, ...], message: str) -> Problem:
    from .problems import format_loc

    return Problem(reg.paths[entity.id], reg.line_of(entity.id, loc), format_loc(loc), message)


def _ref(
    reg: Registry,
    entity: Entity,
    loc: tuple[Any, ...],
    target: str | None,
    categories: frozenset[Category] | set[Category] | None = None,
) -> Iterator[Problem]:
    """Problems with one reference: an unknown id, or an id of the wrong category."""
    if target is None:
        return
    other = reg.get(target)
    if other is None:
        if target not in reg.broken_ids:  # that file's own problems are reported already
            yield _problem(reg, entity, loc, f"okänt id {target!r}")
    elif categories is not None and other.category not in categories:
        wanted = " eller ".join(sorted(_LABEL[c] for c in categories))
        yield _problem(reg, entity, loc, f"{target!r} är av typen {other.kind.value}; här krävs: {wanted}")


def check_entity(reg: Registry, entity: Entity, quotes: bool) -> Iterator[Problem]:
    """The cross-file problems of one entity: what it names, and its evidence."""
    if entity.category is not Category.DOCUMENT and not entity.evidence and not entity.provenance:
        yield _problem(reg, entity, ("id",), "källa saknas: ange var uppgiften om entiteten kommer ifrån")
    yield from _check_evidence(reg, entity, ("evidence",), entity.evidence, quotes)
    actor = {Category.ACTOR}
    if isinstance(entity, Document):
        yield from _ref(reg, entity, ("publisher",), entity.publisher, actor)
        if reg.source_path(entity) is None:
            yield _problem(reg, entity, ("file",), f"källfilen {entity.file!r} leder ut ur registret och läses inte")
        elif not (reg.root / entity.file).is_file():
            yield _problem(reg, entity, ("file",), f"källfilen {entity.file!r} finns inte")
        elif quotes and reg.source_text(entity.id) is None:
            yield _problem(reg, entity, ("file",), f"källfilen {entity.file!r} går inte att läsa som UTF-8-text")
        elif quotes:
            yield from _check_sections(reg, entity)
    elif isinstance(entity, Decision):
        yield from _ref(reg, entity, ("body",), entity.body, actor)
    elif isinstance(entity, Consultation):
        yield from _ref(reg, entity, ("issued_by",), entity.issued_by, actor)
        yield from _ref(reg, entity, ("document",), entity.document, {Category.DOCUMENT})
    for i, rel in enumerate(entity.relations):
        base = ("relations", i)
        yield from _check_relation(reg, entity, base, rel)
        if not rel.evidence and not rel.provenance:  # an imported fact may come without a quote
            yield _problem(reg, entity, base, "källa saknas: ange var uppgiften om relationen kommer ifrån")
        yield from _check_evidence(reg, entity, (*base, "evidence"), rel.evidence, quotes)


def _check_relation(reg: Registry, entity: Entity, base: tuple[Any, ...], rel: Any) -> Iterator[Problem]:
    rtype = RelationType(rel.type)
    sources, targets = ENDPOINT_RULES[rtype]
    if entity.category not in sources:
        allowed = ", ".join(sorted(_LABEL[c] for c in sources))
        yield _problem(
            reg,
            entity,
            (*base, "type"),
            f"typen {entity.kind.value} kan inte ha relationen {rtype.value} (bara: {allowed})",
        )
        return
    if rtype is RelationType.PARTICIPATES_IN and entity.category is Category.PERSON:
        targets = PERSON_TARGETS
    target_problems = list(_ref(reg, entity, (*base, "target"), rel.target, targets))
    yield from target_problems
    other = reg.get(rel.target)
    if target_problems or other is None:
        return
    if rel.target == entity.id:
        yield _problem(reg, entity, (*base, "target"), "en relation kan inte peka på sin egen entitet")
    if (
        rtype is RelationType.PARTICIPATES_IN
        and other.category is Category.ACTOR
        and entity.category is not Category.PERSON
    ):
        yield _problem(
            reg, entity, (*base, "target"), f"{rel.target!r} är en aktör; bara en person kan delta i en aktör"
        )
    if rtype is RelationType.PART_OF and other.category is not entity.category:
        yield _problem(
            reg,
            entity,
            (*base, "target"),
            f"typen {entity.kind.value} kan bara vara del av en annan {_LABEL[entity.category]}, "
            f"inte av typen {other.kind.value}",
        )
    if rtype is RelationType.MANDATE:
        yield from _ref(reg, entity, (*base, "granted_by"), rel.granted_by, {Category.DECISION})
    if isinstance(rel, Position):
        for field_name in ("proposes", "jointly", "concerns"):
            for j, ref in enumerate(getattr(rel, field_name)):
                yield from _ref(reg, entity, (*base, field_name, j), ref)
        if isinstance(other, Consultation):
            # no question: a position on the consultation as a whole ("övriga synpunkter")
            known = {q.id for q in other.questions}
            if rel.question is not None and rel.question not in known:
                yield _problem(
                    reg,
                    entity,
                    (*base, "question"),
                    f"{other.id!r} har ingen fråga {rel.question!r}"
                    + (f" (den har {', '.join(sorted(known))})" if known else ""),
                )
        elif rel.question is not None:
            yield _problem(reg, entity, (*base, "question"), "bara ett ställningstagande om en remiss har en fråga")


def _check_evidence(
    reg: Registry, entity: Entity, base: tuple[Any, ...], evidence: list[Evidence], quotes: bool
) -> Iterator[Problem]:
    for i, ev in enumerate(evidence):
        loc = (*base, i)
        refs = list(_ref(reg, entity, (*loc, "source"), ev.source, {Category.DOCUMENT}))
        if refs or not quotes:
            yield from refs
            continue
        text = reg.source_text(ev.source)
        if text is None:
            continue  # the document's own check reports the missing file
        line = text.find(ev.quote)
        if line is None:
            yield _problem(reg, entity, (*loc, "quote"), f"citatet finns inte i {ev.source}: {_short(ev.quote)!r}")
            continue
        pages = text.pages_of(ev.quote)
        if ev.page is not None and ev.page not in pages:
            where = " eller ".join(str(p) for p in pages)
            yield _problem(
                reg, entity, (*loc, "page"), f"citatet står på sidan {where} i {ev.source}, inte sidan {ev.page}"
            )


def _check_sections(reg: Registry, doc: Document) -> Iterator[Problem]:
    """Each section start must be found in the text, after the one before it."""
    for i, section in enumerate(doc.sections):
        yield from _ref(reg, doc, ("sections", i, "speaker"), section.speaker)
    text = reg.source_text(doc.id)
    missing = set(text.set_sections([(s.starts, s.speaker) for s in doc.sections])) if text else set()
    for i, section in enumerate(doc.sections):
        if section.starts in missing:
            yield _problem(
                reg,
                doc,
                ("sections", i, "starts"),
                f"avsnittets början finns inte (efter förra avsnittet): {_short(section.starts)!r}",
            )


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _check_names(reg: Registry) -> Iterator[Problem]:
    """A name, short name or alias shared (after folding) by two entities is ambiguous."""
    owners: dict[str, list[tuple[str, tuple[Any, ...], str]]] = defaultdict(list)
    for entity in reg:
        named: list[tuple[tuple[Any, ...], str]] = [(("name",), entity.name)]
        if entity.short_name:
            named.append((("short_name",), entity.short_name))
        named += [(("aliases", i), a) for i, a in enumerate(entity.aliases)]
        seen_keys: set[str] = set()
        for loc, name in named:
            key = fold(name)
            if key and key not in seen_keys:
                seen_keys.add(key)
                owners[key].append((entity.id, loc, name))
    for key in sorted(owners):
        holders = owners[key]
        if len({h[0] for h in holders}) < 2:
            continue
        for entity_id, loc, name in holders:
            others = sorted({h[0] for h in holders if h[0] != entity_id})
            entity = reg.entities[entity_id]
            yield _problem(reg, entity, loc, f"{name!r} skulle kunna avse flera entiteter: även {', '.join(others)}")


def open_registry(root: Path | str) -> Registry:
    """The registry at `root` read from its files, refusing one with problems (`validate` lists them).

    For the commands that write to the registry: they never start from the index (`neo4j sync`
    does, when the index is clean, see graphs/backends/neo4j_index.py).
    """
    from .errors import ValidationFailedError

    registry, problems = validate_path(root, quotes=False)
    if problems:
        raise ValidationFailedError(problems)
    return registry
