"""The rows the index keeps for one entity file, and the cross-file checks of one entity.

Kept apart from `samverkan.registry.index` because these need the models (pydantic): a query
against a current index never imports them. The functions are top-level so that worker
processes can run them when a cold index is built in parallel.
"""

from __future__ import annotations

import contextlib
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .index import file_hash, file_key
from .models import Document, relation_key, validate_entity
from .names import fold
from .store import Registry
from .vocabulary import CATEGORY_FOLDERS, Category, Kind

__all__ = ["CATALOG", "catalog", "cross_check", "cross_check_chunk", "known", "read_entities", "read_entity"]

_FOLDER_CATEGORY = {folder: cat.value for cat, folder in CATEGORY_FOLDERS.items()}


# ---- one entity file ------------------------------------------------------------------------


def read_entity(root: str, rel: str) -> dict[str, Any]:
    """One entity file as index rows; `ok` False if the loader would report anything about it."""
    from .canonical import entity_attributes, relation_attributes
    from .yamlio import YamlProblem, load_yaml_fast

    path = Path(root) / rel
    out: dict[str, Any] = {"path": rel, "ok": False, "declared": None, "hash": None}
    try:
        raw = path.read_bytes()
    except OSError:
        return out
    out["hash"] = file_hash(raw)
    try:
        data = load_yaml_fast(raw.decode("utf-8"))
    except (UnicodeDecodeError, YamlProblem):
        return out
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        out["declared"] = data["id"].strip()
    try:
        entity = validate_entity(data)
    except ValueError:  # pydantic's ValidationError is one
        return out
    parts = rel.split("/")
    folder = parts[0] if len(parts) > 1 else ""
    stem = unicodedata.normalize("NFC", Path(parts[-1]).stem)
    out["declared"] = entity.id
    out["ok"] = entity.id == stem and _FOLDER_CATEGORY.get(folder) == entity.category.value
    attrs = entity_attributes(entity)
    out["entity"] = (
        rel,
        entity.id,
        entity.kind.value,
        entity.category.value,
        entity.name,
        json.dumps(attrs["aliases"], ensure_ascii=False),
        entity.status.value,
        entity.valid_from,
        entity.valid_until,
        json.dumps(attrs, ensure_ascii=False),
        json.dumps(data, ensure_ascii=False),  # what the file says: validates to the same entity
    )
    ordered = sorted(entity.relations, key=lambda r: relation_key(entity.id, r))
    out["relations"] = [
        (
            rel,
            i,
            entity.id,
            r.target,
            relation_key(entity.id, r),
            r.type,
            r.status.value,
            r.valid_from,
            r.valid_until,
            json.dumps(relation_attributes(r), ensure_ascii=False),
        )
        for i, r in enumerate(ordered)
    ]
    names = [(entity.id, False), *((n, True) for n in entity.all_names())]
    out["names"] = [(rel, entity.id, n.casefold().strip(), fold(n), is_name) for n, is_name in names]
    return out


def read_entities(root: str, rels: list[str]) -> list[dict[str, Any]]:
    return [read_entity(root, rel) for rel in rels]


# ---- the cross-file checks of one entity ----------------------------------------------------


@dataclass(frozen=True)
class _Known:
    """What another file declares, as much as a cross-file check looks at."""

    id: str
    kind: Kind
    category: Category


def known(entity_id: str, kind: str, data: str | None) -> Any:
    """A consultation as its model (its questions are checked), anything else as `_Known`."""
    if data is not None and kind == Kind.REMISS.value:
        return validate_entity(json.loads(data))
    from .vocabulary import category_of

    return _Known(entity_id, Kind(kind), category_of(Kind(kind)))


class _LookupRegistry(Registry):
    """A registry that fetches the entities a check asks for, and remembers which it asked for."""

    def __init__(self, root: Path, lookup: Any) -> None:
        super().__init__(root=root)
        self.lookup = lookup
        self.asked: set[str] = set()

    def get(self, entity_id: str) -> Any:
        self.asked.add(entity_id)
        return self.lookup(entity_id)


def cross_check(root: Path, items: Iterable[tuple[str, str]], lookup: Any) -> list[tuple[str, bool, list[str]]]:
    """(path, ok, refs) for entities given as (path, canonical data): refs are what the check read."""
    from .validate import check_entity

    out = []
    for rel, data in items:
        entity = validate_entity(json.loads(data))
        reg = _LookupRegistry(root, lookup)
        reg.paths[entity.id] = rel
        ok = not any(True for _ in check_entity(reg, entity, quotes=False))
        refs = set(reg.asked)
        if isinstance(entity, Document):
            refs.add(file_key(Path(entity.file).as_posix()))
        out.append((rel, ok, sorted(refs)))
    return out


# worker state for a parallel cold build (set before the worker processes fork)
CATALOG: dict[str, tuple[str, str | None]] = {}


@contextlib.contextmanager
def catalog(entries: dict[str, tuple[str, str | None]]) -> Iterator[None]:
    """What each id is (kind, and a consultation's data), for the checks run while it is open."""
    CATALOG.update(entries)
    try:
        yield
    finally:
        CATALOG.clear()
        _SEEN.clear()


_SEEN: dict[str, Any] = {}  # what a worker has looked up already: the catalog does not change during a build


def _catalog_lookup(entity_id: str) -> Any:
    if entity_id in _SEEN:
        return _SEEN[entity_id]
    found = CATALOG.get(entity_id)
    _SEEN[entity_id] = answer = None if found is None else known(entity_id, *found)
    return answer


def cross_check_chunk(root: str, items: list[tuple[str, str]]) -> list[tuple[str, bool, list[str]]]:
    return cross_check(Path(root), items, _catalog_lookup)
