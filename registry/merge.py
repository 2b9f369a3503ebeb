"""Merging two entities that are one: plan first, then apply all-or-nothing.

The retired entity's names become aliases of the kept one (its id too, so old references still
resolve), its evidence and outgoing relations move over, and every reference to it elsewhere is
rewritten. The plan holds each file's old and new text, so `--dry-run` can show it and a failed
apply can put every file back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import RegistryError
from .models import (
    Consultation,
    Decision,
    Document,
    Entity,
    Evidence,
    Position,
    relation_key,
    validate_entity,
)
from .names import fold
from .sources import normalise
from .store import Registry
from .yamlio import dump_entity, entity_to_data

__all__ = ["MergePlan", "apply_plan", "merge_names", "plan_merge"]


@dataclass
class FileChange:
    """One file's text before and after; `new` None means the file is removed."""

    path: Path
    old: str | None
    new: str | None


@dataclass
class MergePlan:
    """What merging `retire` into `keep` would change, file by file."""

    keep: str
    retire: str
    root: Path = Path()
    changes: list[FileChange] = field(default_factory=list)
    moved_relations: int = 0
    rewritten: list[str] = field(default_factory=list)  # "entity-id: field" of each rewritten reference

    def summary(self) -> dict[str, Any]:
        return {
            "keep": self.keep,
            "retire": self.retire,
            "moved_relations": self.moved_relations,
            "rewritten_references": sorted(self.rewritten),
            "files": sorted(str(c.path) for c in self.changes),
        }


def _merge_evidence(into: list[Evidence], extra: list[Evidence]) -> list[Evidence]:
    seen = {(e.source, normalise(e.quote)) for e in into}
    out = list(into)
    for ev in extra:
        if (ev.source, normalise(ev.quote)) not in seen:
            seen.add((ev.source, normalise(ev.quote)))
            out.append(ev)
    return out


def _add_relations(owner: str, relations: list[Any], extra: list[Any]) -> list[Any]:
    """Relations with `extra` added; a relation already there gains the other's evidence."""
    by_key = {relation_key(owner, r): r for r in relations}
    for rel in extra:
        key = relation_key(owner, rel)
        if key in by_key:
            by_key[key].evidence = _merge_evidence(by_key[key].evidence, rel.evidence)
        elif rel.target != owner:
            by_key[key] = rel
    return list(by_key.values())


def _rewrite_refs(entity: Entity, old: str, new: str) -> tuple[Entity, list[str]]:
    """A copy of an entity with every reference to `old` pointing to `new`, and what changed."""
    e = entity.model_copy(deep=True)
    changed: list[str] = []
    for attr, kind in (
        ("body", Decision),
        ("issued_by", Consultation),
        ("document", Consultation),
        ("publisher", Document),
    ):
        if isinstance(e, kind) and getattr(e, attr) == old:
            setattr(e, attr, new)
            changed.append(f"{e.id}: {attr}")
    for ev in [*e.evidence, *(ev for r in e.relations for ev in r.evidence)]:
        if ev.source == old:
            ev.source = new
            changed.append(f"{e.id}: evidence.source")
    kept, moved = [], []
    for rel in e.relations:
        if getattr(rel, "granted_by", None) == old:
            rel.granted_by = new
            changed.append(f"{e.id}: granted_by")
        if isinstance(rel, Position):
            for name in ("proposes", "jointly", "concerns"):
                ids = getattr(rel, name)
                if old in ids:
                    setattr(rel, name, list(dict.fromkeys(new if i == old else i for i in ids)))
                    changed.append(f"{e.id}: {name}")
        if rel.target == old:
            rel.target = new
            changed.append(f"{e.id}: relations.target")
            moved.append(rel)
        else:
            kept.append(rel)
    e.relations = _add_relations(e.id, kept, moved)
    return e, changed


def plan_merge(
    registry: Registry,
    keep_id: str,
    retire_id: str,
    judged_by: str = "samverkan merge",
    why: str | None = None,
    on: date | None = None,
) -> MergePlan:
    """Compute the merge without touching any file.

    The merge is also a judgement: the pair's review gains "samma" (by `judged_by`), so the
    decision is remembered with who made it, and reviews of the retired id move to the kept one.
    """
    if keep_id == retire_id:
        raise RegistryError("en entitet kan inte slås samman med sig själv")
    keep, retire = registry.get(keep_id), registry.get(retire_id)
    if keep is None or retire is None:
        raise RegistryError(f"okänt id {keep_id if keep is None else retire_id!r}")
    if keep.category is not retire.category:
        raise RegistryError(
            f"{keep_id} är av typen {keep.kind.value} och {retire_id} av typen {retire.kind.value}: "
            "bara entiteter av samma slag kan slås samman"
        )
    plan = MergePlan(keep_id, retire_id, registry.root)
    merged = keep.model_copy(deep=True)
    taken = {fold(n) for n in merged.all_names()}
    for name in [*retire.all_names(), retire.id]:
        if fold(name) not in taken:
            taken.add(fold(name))
            merged.aliases.append(name)
    merged.evidence = _merge_evidence(merged.evidence, retire.evidence)
    if not merged.description and retire.description:
        merged.description = retire.description
    merged.note = " ".join(filter(None, [merged.note, retire.note, f"Sammanslagen med {retire.id} ({retire.name})."]))
    plan.moved_relations = len(retire.relations)
    merged.relations = _add_relations(keep_id, merged.relations, retire.model_copy(deep=True).relations)
    updated: dict[str, Entity] = {keep_id: merged}
    for entity in registry:
        if entity.id == retire_id:
            continue
        base = updated.get(entity.id, entity)
        rewritten, changed = _rewrite_refs(base, retire_id, keep_id)
        if changed:
            updated[entity.id] = rewritten
            plan.rewritten.extend(changed)
    root = registry.root
    for entity_id, entity in sorted(updated.items()):
        checked = validate_entity(entity_to_data(entity))  # the merged entity must still be valid
        path = root / registry.paths[entity_id]
        old = path.read_text(encoding="utf-8")
        new = dump_entity(checked)
        if new != old:
            plan.changes.append(FileChange(path, old, new))
    retire_path = root / registry.paths[retire_id]
    plan.changes.append(FileChange(retire_path, retire_path.read_text(encoding="utf-8"), None))
    plan.changes.extend(_review_changes(root, keep_id, retire_id, judged_by, why, on or date.today()))
    return plan


def _review_changes(root: Path, keep_id: str, retire_id: str, by: str, why: str | None, on: date) -> list[FileChange]:
    """The review files a merge writes: its own "samma", and others' pairs moved to the kept id."""
    from .reviews import REVIEW_FOLDER, Review, Verdict, add_judgement, load_reviews, review_id, review_text

    reviews, _ = load_reviews(root)
    changes: list[FileChange] = []
    updated: dict[str, Review] = {}
    for review in list(reviews.values()):
        if retire_id not in review.pair or set(review.pair) == {keep_id, retire_id}:
            continue
        other = next(x for x in review.pair if x != retire_id)
        if other == keep_id:
            continue
        new_id = review_id(review.subject, keep_id, other)
        base = updated.get(new_id) or reviews.get(new_id)
        history = [*(base.judgements if base else []), *review.judgements]
        updated[new_id] = Review(id=new_id, subject=review.subject, pair=sorted([keep_id, other]), judgements=history)
        old_path = root / REVIEW_FOLDER / f"{review.id}.yaml"
        changes.append(FileChange(old_path, old_path.read_text(encoding="utf-8"), None))
    own = add_judgement(reviews, "dubblett", keep_id, retire_id, Verdict.SAMMA, by, why, on)
    updated[own.id] = own
    for rid, review in sorted(updated.items()):
        path = root / REVIEW_FOLDER / f"{rid}.yaml"
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        changes.append(FileChange(path, old, review_text(review)))
    return changes


def apply_plan(plan: MergePlan) -> None:
    """Apply every change or none, even across a crash (see `journal`), under the registry's lock."""
    from .journal import Change, apply_changes

    root = plan.root
    changes = [Change(c.path.relative_to(root).as_posix(), c.old, c.new) for c in plan.changes]
    apply_changes(root, changes, f"merge {plan.keep} {plan.retire}")


def merge_names(
    registry: Registry, keep: str, retire: str, judged_by: str, why: str | None, dry_run: bool = False
) -> MergePlan:
    """Merge the entity named `retire` into the one named `keep` (names, aliases or ids, resolved
    as everywhere else); with `dry_run` only the plan. The write is all-or-nothing even across a
    crash, and a failed one is reported as one error saying that nothing changed (see `journal`)."""
    from .resolve import NameIndex

    index = NameIndex.build((e.id, e.all_names()) for e in registry)
    plan = plan_merge(registry, index.resolve(keep), index.resolve(retire), judged_by=judged_by, why=why)
    if not dry_run:
        apply_plan(plan)
    return plan
