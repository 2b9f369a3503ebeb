"""Rewriting a registry in canonical form, with evidence pages filled in from the sources.

All new file contents are computed before anything is written, and the rewrite goes through
the journal, so a registry is never half rewritten, not even by a crash.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from .errors import ValidationFailedError
from .lock import registry_lock
from .models import Entity
from .store import Registry, entity_path, load_registry
from .yamlio import dump_entity

__all__ = ["fill_pages", "format_registry"]


def fill_pages(registry: Registry, entity: Entity) -> Entity:
    """A copy of the entity whose evidence carries the page each quote is found on: where a quote
    stands more than once, the page in the section of the entity (or of the relation's target).

    A page given by hand is kept when the quote stands on it (a person may cite one occurrence of
    several); a page where the quote does not stand is corrected."""
    data = entity.model_copy(deep=True)
    owned = [((data.id,), ev) for ev in data.evidence]
    owned += [((data.id, rel.target), ev) for rel in data.relations for ev in rel.evidence]
    for owners, ev in owned:
        text = registry.source_text(ev.source)
        if text is not None and (ev.page is None or ev.page not in text.pages_of(ev.quote)):
            ev.page = text.page_of(ev.quote, owners)
    return data


def format_registry(root: Path | str, write: bool = True) -> list[str]:
    """Files (relative paths) whose canonical form differs; rewritten when `write` is true.

    A rewrite is all-or-nothing (see `journal`) and holds the registry's lock from reading to
    writing; a file renamed from `.yml` to `.yaml` is one change of two files.
    """
    from .journal import Change, apply_changes

    root = Path(root)
    with registry_lock(root) if write else contextlib.nullcontext():
        result = load_registry(root)
        if result.problems:
            raise ValidationFailedError(result.problems)
        registry = result.registry
        changes: list[Change] = []
        for entity in registry:
            current = registry.paths[entity.id]
            target = entity_path(root, entity).relative_to(root).as_posix()
            text = dump_entity(fill_pages(registry, entity))
            old = (root / current).read_text(encoding="utf-8")
            if current != target:
                changes.append(Change(target, None, text))
                changes.append(Change(current, old, None))
            elif old != text:
                changes.append(Change(target, old, text))
        if write:
            apply_changes(root, changes, "fmt")
    return sorted(c.path for c in changes if c.new is not None)
