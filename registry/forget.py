"""The right to erasure: remove a person and every mention of them, in one all-or-nothing write.

`plan_forget` finds what mentions the person: relations to them, consultation answers that name
them, document sections they speak, evidence whose quote names them, descriptions and notes that
name them, analysts' reviews of them. A relation left without any source is removed with its
evidence; an entity left without one is listed, so that someone finds it a new source. The
source documents' text is public record and is not changed; the plan lists the ones that still
name the person. Applying is the merge's all-or-nothing apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RegistryError
from .merge import FileChange
from .models import Document, Entity, Position, validate_entity
from .names import names_a_person
from .names import person_names as folded_person_names
from .store import Registry
from .vocabulary import Category
from .yamlio import dump_entity, entity_to_data

__all__ = ["ForgetPlan", "apply_forget", "mentions", "person_names", "plan_forget"]


@dataclass
class ForgetPlan:
    """What forgetting a person removes, and the files that change."""

    person: str
    name: str
    root: Path
    removed: list[str] = field(default_factory=list)  # "entity-id: what", in words
    unsourced: list[str] = field(default_factory=list)  # entities left without a source
    sources_naming: list[str] = field(default_factory=list)  # documents whose text still names them
    changes: list[FileChange] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "name": self.name,
            "removed": self.removed,
            "unsourced": self.unsourced,
            "sources_naming": self.sources_naming,
            "files": sorted(str(c.path.relative_to(self.root)) for c in self.changes),
        }


def person_names(person: Entity) -> list[str]:
    """Folded names to look for: the name and aliases, and a short name long enough to be safe."""
    return folded_person_names(person.name, person.aliases, person.short_name)


mentions = names_a_person  # whether a text names one of the folded names


def _scrub(entity: Entity, person: str, names: list[str], removed: list[str]) -> Entity:
    """A copy of an entity with every mention of the person taken out."""
    e = entity.model_copy(deep=True)
    for attr in ("description", "note"):
        if mentions(getattr(e, attr), names):
            setattr(e, attr, None)
            removed.append(f"{e.id}: {attr}")
    kept_evidence = [ev for ev in e.evidence if not mentions(ev.quote, names)]
    if len(kept_evidence) != len(e.evidence):
        removed.append(f"{e.id}: {len(e.evidence) - len(kept_evidence)} citat")
        e.evidence = kept_evidence
    if isinstance(e, Document):
        for section in e.sections:
            if section.speaker == person:
                section.speaker = None
                removed.append(f"{e.id}: avsnittets talare")
    relations = []
    for rel in e.relations:
        named = rel.target == person or (
            isinstance(rel, Position) and person in (*rel.proposes, *rel.jointly, *rel.concerns)
        )
        if named or mentions(getattr(rel, "text", None), names):
            removed.append(f"{e.id}: relationen {rel.type} till {rel.target}")
            continue
        evidence = [ev for ev in rel.evidence if not mentions(ev.quote, names)]
        if len(evidence) != len(rel.evidence):
            if not evidence and not rel.provenance:
                removed.append(f"{e.id}: relationen {rel.type} till {rel.target} (dess enda källa nämner personen)")
                continue
            removed.append(f"{e.id}: {len(rel.evidence) - len(evidence)} citat i relationen till {rel.target}")
            rel.evidence = evidence
        if mentions(rel.note, names):
            rel.note = None
            removed.append(f"{e.id}: anmärkningen i relationen till {rel.target}")
        relations.append(rel)
    e.relations = relations
    return e


def plan_forget(registry: Registry, person_id: str) -> ForgetPlan:
    """Compute what forgetting the person changes, without touching any file."""
    from .reviews import REVIEW_FOLDER, load_reviews

    person = registry.get(person_id)
    if person is None:
        raise RegistryError(f"okänt id {person_id!r}")
    if person.category is not Category.PERSON:
        raise RegistryError(f"{person.name} ({person_id}) är ingen person; forget tar bara bort personer")
    names = person_names(person)
    root = registry.root
    plan = ForgetPlan(person_id, person.name, root)
    for entity in registry:
        if entity.id == person_id:
            continue
        removed: list[str] = []
        scrubbed = _scrub(entity, person_id, names, removed)
        if not removed:
            continue
        plan.removed.extend(removed)
        checked = validate_entity(entity_to_data(scrubbed))
        if entity.category is not Category.DOCUMENT and not checked.evidence and not checked.provenance:
            plan.unsourced.append(entity.id)
        path = root / registry.paths[entity.id]
        plan.changes.append(FileChange(path, path.read_text(encoding="utf-8"), dump_entity(checked)))
    for entity in registry:
        if isinstance(entity, Document):
            text = registry.source_text(entity.id)
            if text is not None and mentions(text.text, names):
                plan.sources_naming.append(entity.id)
    own = root / registry.paths[person_id]
    plan.changes.append(FileChange(own, own.read_text(encoding="utf-8"), None))
    plan.removed.insert(0, f"{person_id}: personen")
    reviews, _ = load_reviews(root)
    for review in sorted(reviews.values(), key=lambda r: r.id):
        if person_id in review.pair:
            path = root / REVIEW_FOLDER / f"{review.id}.yaml"
            plan.changes.append(FileChange(path, path.read_text(encoding="utf-8"), None))
            plan.removed.append(f"{review.id}: bedömningen")
    return plan


def apply_forget(plan: ForgetPlan) -> None:
    """Write every change of the plan or none, even across a crash (see registry.journal)."""
    from .journal import Change, apply_changes

    changes = [Change(c.path.relative_to(plan.root).as_posix(), c.old, c.new) for c in plan.changes]
    apply_changes(plan.root, changes, f"forget {plan.person}")
