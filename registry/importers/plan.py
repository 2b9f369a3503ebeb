"""Bringing imported entities into a registry: plan first, then apply all-or-nothing.

An importer turns a file into entities carrying provenance (file, record, day) and no evidence.
The plan compares them with the registry they go into: what is added, what changes, what is the
same, and what an earlier import of the same format brought that this file no longer has (reported,
never removed). Entities already in the registry keep their evidence and the relations the import
does not speak of; the import's own fields and relations replace the earlier import's. The whole
result is checked (references, endpoint rules) before anything is written, and the files are
written by the merge's all-or-nothing apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..canonical import entity_to_data
from ..errors import ImportFailedError
from ..merge import FileChange
from ..models import Entity, Provenance, relation_key, validate_entity
from ..store import Registry, entity_path, load_registry
from ..validate import check_registry
from ..vocabulary import RelationType
from ..yamlio import dump_entity

__all__ = ["ImportPlan", "apply_import", "plan_import", "pydantic_messages"]


_TAGS = {t.value for t in RelationType}  # the union tag pydantic puts after a relation's index


def pydantic_messages(exc: Any) -> list[str]:
    """A model's validation errors as `field: message`, without pydantic's union tags and prefixes."""
    from ..problems import format_loc

    out = []
    for err in exc.errors():
        raw = tuple(err["loc"])
        loc = tuple(p for i, p in enumerate(raw) if not (p in _TAGS and i > 0 and isinstance(raw[i - 1], int)))
        out.append(f"{format_loc(loc)}: {str(err['msg']).removeprefix('Value error, ')}")
    return out


@dataclass
class ImportPlan:
    """What an import would write, entity by entity and file by file."""

    root: Path
    fmt: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    would_remove: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[FileChange] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "added": sorted(self.added),
            "changed": sorted(self.changed),
            "unchanged": len(self.unchanged),
            "would_remove": sorted(self.would_remove),
            "skipped": self.skipped,
            "notes": self.notes,
            "files": sorted(str(c.path.relative_to(self.root)) for c in self.changes),
        }


def _imported_by(item: Any, fmt: str) -> bool:
    return any(p.format == fmt for p in item.provenance)


def _merge_provenance(old: list[Provenance], new: list[Provenance]) -> list[Provenance]:
    """New records replace old ones from the same file format and record; the rest stay."""
    fresh = {(p.format, p.record) for p in new}
    return [p for p in old if (p.format, p.record) not in fresh] + list(new)


def _facts(data: Any) -> Any:
    """Plain data without provenance: the same facts from a newer file (or on another day) are no
    change, and the entity keeps the provenance of the import that last changed it."""
    if isinstance(data, dict):
        return {k: _facts(v) for k, v in data.items() if k != "provenance"}
    if isinstance(data, list):
        return [_facts(v) for v in data]
    return data


def _merge_entity(old: Entity, new: Entity, fmt: str) -> Entity:
    """The registry's entity updated with what the import says about it."""
    merged = new.model_copy(deep=True)
    merged.evidence = list(old.evidence)
    merged.provenance = _merge_provenance(old.provenance, new.provenance)
    merged.aliases = list(dict.fromkeys([*old.aliases, *new.aliases]))
    for attr in ("short_name", "description", "note"):
        if getattr(merged, attr) is None:
            setattr(merged, attr, getattr(old, attr))
    incoming = {relation_key(new.id, r): r for r in new.relations}
    relations = []
    for rel in old.relations:
        key = relation_key(old.id, rel)
        if key in incoming:
            update = incoming.pop(key).model_copy(deep=True)
            update.evidence = list(rel.evidence)
            update.provenance = _merge_provenance(rel.provenance, update.provenance)
            relations.append(update)
        elif rel.evidence or not _imported_by(rel, fmt):
            relations.append(rel)  # not the import's to remove
    merged.relations = relations + list(incoming.values())
    return merged


def plan_import(
    root: Path | str,
    entities: list[Entity],
    fmt: str,
    *,
    into: bool,
    skipped: list[str] | None = None,
    source_files_expected: bool = False,
) -> ImportPlan:
    """The plan of bringing `entities` into the registry at `root` (a new one unless `into`)."""
    root = Path(root)
    plan = ImportPlan(root, fmt, skipped=list(skipped or []))
    if into:
        loaded = load_registry(root)
        if loaded.problems:
            raise ImportFailedError([f"{p}" for p in loaded.problems])
        existing = loaded.registry
    else:
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise ImportFailedError([f"{root} finns redan och är inte tom; välj en ny katalog eller --into"])
        existing = Registry(root=root)
    result = Registry(root=root, entities=dict(existing.entities), paths=dict(existing.paths))
    imported_ids = {e.id for e in entities}
    for entity in entities:
        old = existing.get(entity.id)
        if old is None:
            new = entity
            plan.added.append(entity.id)
            result.paths[entity.id] = str(entity_path(root, entity).relative_to(root))
        else:
            new = validate_entity(entity_to_data(_merge_entity(old, entity, fmt)))
            if _facts(entity_to_data(new)) == _facts(entity_to_data(old)):
                plan.unchanged.append(entity.id)
                continue
            plan.changed.append(entity.id)
        result.entities[entity.id] = new
    plan.would_remove = sorted(
        e.id for e in existing if e.id not in imported_ids and _imported_by(e, fmt) and not e.evidence
    )
    problems = [p for p in check_registry(result, quotes=False) if source_files_expected or p.field != "file"]
    if problems:
        raise ImportFailedError([str(p) for p in sorted(problems)])
    if not source_files_expected and any(e.category.value == "document" for e in entities):
        plan.notes.append(
            "dokumentens källtexter följer inte med; kopiera dem till sources/ för att kunna kontrollera citaten"
        )
    for entity_id in sorted([*plan.added, *plan.changed]):
        path = root / result.paths[entity_id]
        old_text = path.read_text(encoding="utf-8") if entity_id in existing else None
        plan.changes.append(FileChange(path, old_text, dump_entity(result.entities[entity_id])))
    return plan


def apply_import(plan: ImportPlan) -> None:
    """Write every file of the plan or none, even across a crash (see registry.journal); a new
    registry's directory is made for the write and removed again if the write fails."""
    import shutil

    from ..journal import Change, apply_changes

    root = plan.root
    created = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    changes = [Change(c.path.relative_to(root).as_posix(), c.old, c.new) for c in plan.changes]
    try:
        apply_changes(root, changes, f"import {plan.fmt}")
    except BaseException:
        if created:
            shutil.rmtree(root, ignore_errors=True)  # nothing but what this import began to write
        raise
