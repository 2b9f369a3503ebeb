"""The canonical plain-data form of an entity: fixed key order, defaults left out, relations sorted.

Kept apart from the YAML code so that building a graph from a cached registry never loads a
YAML library.
"""

from __future__ import annotations

from typing import Any

from .models import Entity, relation_key

__all__ = ["entity_attributes", "entity_to_data", "relation_attributes", "relation_to_data"]

_ENTITY_HEAD = ("id", "kind", "name", "short_name", "aliases", "description", "status", "from", "until")
_ENTITY_TAIL = ("note", "evidence", "provenance", "relations")
_REL_HEAD = ("type", "target")
_REL_TAIL = ("status", "from", "until", "note", "evidence", "provenance")


def _plain(model: Any, head: tuple[str, ...], tail: tuple[str, ...], always: tuple[str, ...]) -> dict:
    """A model as an ordered mapping of its non-default values, in the canonical key order."""
    data = model.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    for key in always:
        data[key] = model.model_dump(by_alias=True, mode="json")[key]
    middle = [k for k in data if k not in head and k not in tail]
    return {k: data[k] for k in (*head, *middle, *tail) if k in data}


def entity_to_data(entity: Entity) -> dict:
    """The canonical plain-data form of an entity: what its file holds."""
    data = _plain(entity, _ENTITY_HEAD, _ENTITY_TAIL, ("id", "kind", "name"))
    data.pop("relations", None)
    if entity.relations:
        ordered = sorted(entity.relations, key=lambda r: relation_key(entity.id, r))
        data["relations"] = [relation_to_data(r) for r in ordered]
    return data


def relation_to_data(rel: Any) -> dict:
    """The canonical plain-data form of one relation, as it stands in its entity's file."""
    return _plain(rel, _REL_HEAD, _REL_TAIL, ("type", "target"))


def entity_attributes(entity: Entity) -> dict[str, Any]:
    """An entity as a graph node's attributes: its canonical data and its category."""
    data = entity_to_data(entity)
    data.pop("relations", None)
    data.pop("id")
    data["category"] = entity.category.value
    data.setdefault("status", entity.status.value)
    data.setdefault("aliases", [])
    return data


def relation_attributes(rel: Any) -> dict[str, Any]:
    """A relation as a graph edge's attributes: every field, defaults included, but the target."""
    attrs = rel.model_dump(by_alias=True, mode="json")
    attrs.pop("target")
    if not attrs["provenance"]:
        del attrs["provenance"]  # only imported facts have one
    return attrs
