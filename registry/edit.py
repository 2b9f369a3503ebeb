"""Editing the registry without opening YAML: add an entity, link two, set a field, retire one.

Every edit is made on copies of the entities it touches, then checked as `validate` would check
them (the model's rules, known references, allowed endpoint kinds, the quote really in the source
and on the page given), and only then written, all files or none, in canonical form. An edit that
would leave a problem is refused with the first problem as `file:line: field: message`.

>>> from samverkan.registry.vocabulary import RelationType
>>> relation_for("leder")
{'type': 'participates_in', 'role': 'leder'}
>>> relation_for("del-av")
{'type': 'part_of'}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from .canonical import entity_to_data
from .dates import parse_partial_date
from .errors import EditRefusedError, RegistryError, ValidationFailedError
from .format import fill_pages
from .merge import FileChange
from .models import RELATION_CLASSES, Entity, Evidence, Relation, relation_key, validate_entity
from .names import slugify
from .problems import Problem
from .resolve import NameIndex
from .sources import normalise
from .store import Registry, _pydantic_problems, entity_path
from .validate import check_registry, validate_path
from .vocabulary import CATEGORY_FOLDERS, Category, Kind, RelationType, Role, Status
from .writes import write_changes
from .yamlio import YamlProblem, dump_entity, load_yaml

__all__ = ["LINK_ROLES", "EditPlan", "EditSession", "load_for_edit", "relation_for"]

# What `link A ROLE B` accepts besides the participation roles (deltar, leder, …): the relation
# types by their Swedish verb and by their own name.
LINK_ROLES: dict[str, RelationType] = {
    "mandat": RelationType.MANDATE,
    "rapporterar-till": RelationType.REPORTS_TO,
    "del-av": RelationType.PART_OF,
    "verkar-i": RelationType.OPERATES_IN,
    "behandlar": RelationType.ADDRESSES,
    "riktar-sig-till": RelationType.TARGETS,
    "gäller": RelationType.ABOUT,
    **{t.value: t for t in RelationType if t is not RelationType.POSITION},
}


def relation_for(role: str, **fields: Any) -> dict[str, Any]:
    """A relation's data (without target and evidence) for what `link` is given as ROLE: a
    participation role, a relation's Swedish verb, or a relation type."""
    key = role.strip().casefold()
    if key in {r.value for r in Role}:
        return {"type": RelationType.PARTICIPATES_IN.value, "role": key, **fields}
    rtype = LINK_ROLES.get(key) or LINK_ROLES.get(key.replace("_", "-")) or LINK_ROLES.get(key.replace("-", "_"))
    if rtype is None:
        roles = ", ".join(sorted({r.value for r in Role} | set(LINK_ROLES)))
        raise RegistryError(f"okänd roll eller relation {role!r}; välj bland: {roles}")
    return {"type": rtype.value, **{k: v for k, v in fields.items() if v is not None}}


def load_for_edit(root: Path) -> Registry:
    """The registry read afresh from its files (never from the cache), refusing one with problems."""
    registry, problems = validate_path(root, quotes=False)
    if problems:
        raise ValidationFailedError(problems)
    return registry


@dataclass
class EditPlan:
    """The files an edit changes, and what it did in words (for the user and for --json)."""

    root: Path
    changes: list[FileChange] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def summary(self) -> dict[str, Any]:
        return {
            "changes": self.done,
            "files": sorted(c.path.relative_to(self.root).as_posix() for c in self.changes),
        }

    def write(self, command: str = "samverkan") -> None:
        """Write every file of the plan, or none."""
        write_changes(self.root, self.changes, command)


class EditSession:
    """Copies of the entities an edit touches; `plan()` checks them and says which files change."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.updated: dict[str, Entity] = {}
        self.created: set[str] = set()
        self.done: list[str] = []

    # ---- looking up ----------------------------------------------------------------------

    def entity(self, entity_id: str) -> Entity:
        """The working copy of an entity (made on first use)."""
        if entity_id not in self.updated:
            original = self.registry.get(entity_id)
            if original is None:
                raise RegistryError(f"okänt id {entity_id!r}")
            self.updated[entity_id] = original.model_copy(deep=True)
        return self.updated[entity_id]

    def exists(self, entity_id: str) -> bool:
        return entity_id in self.updated or entity_id in self.registry

    def resolve(self, name: str) -> str:
        """The id a name refers to, among the registry's entities and those this edit adds."""
        entries = [(e.id, e.all_names()) for e in self.registry if e.id not in self.updated]
        entries += [(e.id, e.all_names()) for e in self.updated.values()]
        return NameIndex.build(entries).resolve(name)

    def evidence(self, source: str, quote: str, page: int | None = None, note: str | None = None) -> Evidence:
        """Evidence citing a document by name or id; the quote is checked when the plan is made."""
        doc_id = self.resolve(source)
        if self.registry.get(doc_id) is not None and self.registry.entities[doc_id].category is not Category.DOCUMENT:
            raise RegistryError(f"{source!r} är inget dokument (typen {self.registry.entities[doc_id].kind.value})")
        return Evidence(source=doc_id, page=page, quote=quote, note=note)

    # ---- changing ------------------------------------------------------------------------

    def add_entity(self, data: dict[str, Any], evidence: list[Evidence]) -> str:
        """A new entity from plain data (kind and name at least); its id is made from the name."""
        data = {k: v for k, v in data.items() if v not in (None, [], "")}
        data.setdefault("id", slugify(str(data.get("name", ""))))
        if self.exists(data["id"]):
            raise RegistryError(f"id {data['id']!r} finns redan; välj ett annat med --id")
        data["evidence"] = [e.model_dump(by_alias=True, exclude_none=True) for e in evidence]
        try:
            entity = validate_entity(data)
        except ValidationError as exc:
            raise EditRefusedError(_pydantic_problems(_folder_path(data), exc, {})) from None
        self.updated[entity.id] = entity
        self.created.add(entity.id)
        self.done.append(f"ny {entity.kind.value}: {entity.name} ({entity.id})")
        return entity.id

    def add_evidence(self, entity_id: str, evidence: Evidence) -> bool:
        """Cite one more quote for an entity; False when it already cites it."""
        entity = self.entity(entity_id)
        if _cites(entity.evidence, evidence):
            return False
        entity.evidence.append(evidence)
        self.done.append(f"ny källa för {entity.name}: {evidence.source}")
        return True

    def add_relation(self, source_id: str, relation: dict[str, Any], target_id: str, evidence: Evidence) -> bool:
        """A relation from one entity to another; an existing one gains the evidence instead.

        False when the relation is there already with this very quote: nothing to do.
        """
        owner = self.entity(source_id)
        data = {**relation, "target": target_id, "evidence": [evidence.model_dump(exclude_none=True)]}
        try:
            # the class of the relation's type: one member of the Relation union
            rel = cast(Relation, RELATION_CLASSES[RelationType(relation["type"])].model_validate(data))
        except ValidationError as exc:
            raise EditRefusedError(_pydantic_problems(self._path(source_id), exc, {})) from None
        key = relation_key(source_id, rel)
        label = f"{owner.name} —{rel.type}{'/' + rel.qualifier() if rel.qualifier() else ''}→ {target_id}"
        for existing in owner.relations:
            if relation_key(source_id, existing) == key:
                if _cites(existing.evidence, evidence):
                    return False
                existing.evidence.append(evidence)
                self.done.append(f"ny källa för relationen {label}")
                return True
        owner.relations.append(rel)
        self.done.append(f"ny relation: {label}")
        return True

    def set_field(self, entity_id: str, name: str, value: str | None) -> bool:
        """Give a field of an entity a new value (None or "" removes it); False when unchanged."""
        entity = self.entity(entity_id)
        data = entity_to_data(entity)
        if name in {"id", "relations", "evidence"}:
            raise RegistryError(f"fältet {name!r} ändras inte med set (använd add, link, merge eller retire)")
        key = {"valid_from": "from", "valid_until": "until"}.get(name, name)
        if key == "aliases" and value is not None:
            new_value: Any = [a.strip() for a in value.split(";") if a.strip()]
        else:
            new_value = value if value not in (None, "") else None
        if data.get(key) == new_value or (new_value is None and key not in data):
            return False
        if new_value is None:
            data.pop(key, None)
        else:
            data[key] = new_value
        try:
            updated = validate_entity(data)
        except ValidationError as exc:
            lines = self.registry.lines.get(entity_id, {})
            raise EditRefusedError(_pydantic_problems(self._path(entity_id), exc, lines)) from None
        self.updated[entity_id] = updated
        self.done.append(f"{entity.name}: {key} = {new_value if new_value is not None else '(borttaget)'}")
        return True

    def retire(self, entity_id: str, day: str, evidence: Evidence) -> list[str]:
        """Mark an entity avvecklad from a date with evidence, and carry the lapse to its parts and
        to the participation in them that has no end yet. Returns the ids retired."""
        retired: list[str] = []
        queue = [entity_id]
        while queue:
            current = queue.pop(0)
            if current in retired:
                continue
            retired.append(current)
            queue += sorted(
                e.id
                for e in self.registry
                if any(r.type == "part_of" and r.target == current for r in self.entity_view(e.id).relations)
            )
        head = self.entity(entity_id).name
        for rid in retired:
            entity = self.entity(rid)
            if entity.status is Status.AVVECKLAD and entity.valid_until is not None:
                continue
            self.set_field(rid, "status", Status.AVVECKLAD.value)
            self.set_field(rid, "until", day)
            entity = self.entity(rid)
            if rid != entity_id:
                entity.note = " ".join(filter(None, [entity.note, f"Avvecklad med {head}."]))
            if not _cites(entity.evidence, evidence):
                entity.evidence.append(evidence)
        for other in list(self.registry):
            for rel in self.entity_view(other.id).relations:
                if rel.target in retired and rel.type == "participates_in" and rel.valid_until is None:
                    copy = self.entity(other.id)
                    for mine in copy.relations:
                        if relation_key(other.id, mine) == relation_key(other.id, rel):
                            mine.valid_until = parse_partial_date(day)
                            mine.status = Status.AVVECKLAD
                    self.done.append(f"{copy.name} deltar i {rel.target} till {day}")
        return retired

    def entity_view(self, entity_id: str) -> Entity:
        """The entity as this edit has it so far, without taking a copy."""
        return self.updated.get(entity_id) or self.registry.entities[entity_id]

    # ---- checking and planning -----------------------------------------------------------

    def _path(self, entity_id: str) -> str:
        if entity_id in self.registry.paths:
            return self.registry.paths[entity_id]
        return entity_path(Path(), self.updated[entity_id]).as_posix()

    def plan(self) -> EditPlan:
        """Check every changed entity as `validate` would, and the files that change.

        Raises EditRefusedError with the problems of the changed files (the rest of the registry
        was clean when loaded, so every problem is the edit's).
        """
        reg = self.registry
        checked = Registry(
            root=reg.root,
            entities={**reg.entities},
            paths={**reg.paths},
            lines={**reg.lines},
        )
        problems: list[Problem] = []
        valid: dict[str, Entity] = {}
        for entity_id in sorted(self.updated):
            try:
                valid[entity_id] = validate_entity(entity_to_data(self.updated[entity_id]))
            except ValidationError as exc:
                problems += _pydantic_problems(self._path(entity_id), exc, {})
        checked.entities.update(valid)  # all first: a new document's text serves the quotes citing it
        for entity_id in valid:
            checked.paths[entity_id] = self._path(entity_id)
            try:
                checked.lines[entity_id] = load_yaml(dump_entity(valid[entity_id]))[1]
            except YamlProblem:  # pragma: no cover - our own dump is always valid YAML
                checked.lines[entity_id] = {}
        changed_paths = {checked.paths[i] for i in valid}
        problems += [p for p in check_registry(checked, quotes=True) if p.path in changed_paths and not p.warning]
        if problems:
            raise EditRefusedError(sorted(set(problems)))
        # checked first, so that a page given by hand is refused when wrong, never silently corrected
        texts = {entity_id: dump_entity(fill_pages(checked, entity)) for entity_id, entity in valid.items()}
        plan = EditPlan(reg.root)
        for entity_id, text in sorted(texts.items()):
            path = reg.root / checked.paths[entity_id]
            old = path.read_text(encoding="utf-8") if entity_id in reg.paths else None
            if entity_id not in reg.paths and path.exists():
                raise RegistryError(f"{checked.paths[entity_id]} finns redan")
            if old != text:
                plan.changes.append(FileChange(path, old, text))
        plan.done = list(self.done) if plan.changes else []
        return plan


def _cites(evidence: list[Evidence], new: Evidence) -> bool:
    return any(e.source == new.source and normalise(e.quote) == normalise(new.quote) for e in evidence)


def _folder_path(data: dict[str, Any]) -> str:
    """Where a new entity's file would go, for messages about data that does not validate."""
    try:
        from .vocabulary import category_of

        folder = CATEGORY_FOLDERS[category_of(Kind(str(data.get("kind"))))]
    except ValueError:
        folder = "?"
    return f"{folder}/{data.get('id', '?')}.yaml"
