"""Rewriting a registry in canonical form, with evidence pages filled in from the sources.

All new file contents are computed before anything is written, and each file is replaced
atomically, so a registry that fails to load is never half rewritten.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ValidationFailedError
from .models import Entity
from .store import Registry, entity_path, load_registry, write_atomic
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
    """Files (relative paths) whose canonical form differs; rewritten when `write` is true."""
    root = Path(root)
    result = load_registry(root)
    if result.problems:
        raise ValidationFailedError(result.problems)
    registry = result.registry
    pending: list[tuple[Path, Path, str]] = []
    for entity in registry:
        current = root / registry.paths[entity.id]
        target = entity_path(root, entity)
        text = dump_entity(fill_pages(registry, entity))
        if current != target or current.read_text(encoding="utf-8") != text:
            pending.append((current, target, text))
    if write:
        for current, target, text in pending:
            write_atomic(target, text)
            if current != target:
                current.unlink()
    return sorted(str(t.relative_to(root)) for _, t, _ in pending)
