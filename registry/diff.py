"""What changed in a registry: entities and relations added, removed and changed, field by field.

Two registries are compared as their canonical data, so a change of formatting is no change. A
registry can be read from a folder, or from a git revision of the repository the folder is in
(`git archive`, so the working tree is never touched); `--since DATE` compares the last commit
before that day with the working tree.

>>> from samverkan.registry.models import Actor, Structure
>>> old = {"a": Actor(id="a", kind="nämnd", name="A"), "s": Structure(id="s", kind="nätverk", name="S")}
>>> new = {"a": Actor(id="a", kind="nämnd", name="A", short_name="AN")}
>>> d = diff_entities(old, new)
>>> [e["id"] for e in d["entities"]["removed"]], d["entities"]["changed"][0]["fields"]
(['s'], [{'field': 'short_name', 'old': None, 'new': 'AN'}])
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .canonical import entity_to_data, relation_to_data
from .errors import RegistryError
from .models import Entity, relation_key
from .names import TEXT_FIELDS, names_a_person, person_names, sort_key
from .sources import normalise
from .store import load_registry
from .vocabulary import Category

__all__ = ["diff_entities", "diff_registries", "diff_since", "registry_at", "revision_before"]

_IGNORED = {"id", "relations", "evidence"}


def _evidence_new(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = {(e["source"], normalise(e["quote"])) for e in old}
    return [e for e in new if (e["source"], normalise(e["quote"])) not in seen]


def _fields(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    keys = [k for k in dict.fromkeys([*old, *new]) if k not in _IGNORED]
    return [{"field": k, "old": old.get(k), "new": new.get(k)} for k in keys if old.get(k) != new.get(k)]


def _entity_ref(entity: Entity, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.name, "kind": entity.kind.value}


def _relations(entities: dict[str, Entity]) -> dict[str, tuple[Entity, dict[str, Any]]]:
    return {relation_key(e.id, r): (e, relation_to_data(r)) for e in entities.values() for r in e.relations}


def _relation_ref(key: str, owner: Entity, data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    source, rtype, target, qualifier = key.split("|", 3)
    return {
        "key": key,
        "source": {"id": source, "name": owner.name},
        "type": rtype,
        "target": {"id": target, "name": names.get(target, target)},
        "qualifier": qualifier,
    }


def _without_persons(old: dict[str, Entity], new: dict[str, Entity]) -> tuple[dict[str, Entity], ...]:
    """Both sets without people, relations to them, and quotes and texts that name them (for
    what shows people only when asked)."""
    people = {i for side in (old, new) for i, e in side.items() if e.category is Category.PERSON}
    persons = [side[i] for side in (old, new) for i in people if i in side]
    names = sorted({n for p in persons for n in person_names(p.name, p.aliases, p.short_name)})

    def unnamed(item: Any) -> dict[str, Any]:
        update: dict[str, Any] = {"evidence": [ev for ev in item.evidence if not names_a_person(ev.quote, names)]}
        update.update({f: None for f in TEXT_FIELDS if names_a_person(getattr(item, f, None), names)})
        return update

    def keep(side: dict[str, Entity]) -> dict[str, Entity]:
        return {
            i: e.model_copy(
                update={
                    "relations": [r.model_copy(update=unnamed(r)) for r in e.relations if r.target not in people],
                    **unnamed(e),
                }
            )
            for i, e in side.items()
            if i not in people
        }

    return keep(old), keep(new)


def diff_entities(old: dict[str, Entity], new: dict[str, Entity], persons: bool = True) -> dict[str, Any]:
    """The difference between two sets of entities by id, as plain data sorted by name; without
    people and their relations when `persons` is false."""
    if not persons:
        old, new = _without_persons(old, new)
    names = {i: e.name for i, e in old.items()} | {i: e.name for i, e in new.items()}
    out: dict[str, Any] = {
        "entities": {"added": [], "removed": [], "changed": []},
        "relations": {"added": [], "removed": [], "changed": []},
    }
    ents = out["entities"]
    for entity_id in sorted(set(old) | set(new)):
        before, after = old.get(entity_id), new.get(entity_id)
        if before is None and after is not None:
            data = entity_to_data(after)
            ents["added"].append({**_entity_ref(after, data), "evidence": data.get("evidence", [])})
        elif after is None and before is not None:
            ents["removed"].append(_entity_ref(before, entity_to_data(before)))
        elif before is not None and after is not None:
            a, b = entity_to_data(before), entity_to_data(after)
            fields = _fields(a, b)
            fresh = _evidence_new(a.get("evidence", []), b.get("evidence", []))
            if fields or fresh or a.get("evidence", []) != b.get("evidence", []):
                ents["changed"].append({**_entity_ref(after, b), "fields": fields, "new_evidence": fresh})
    rels = out["relations"]
    old_rels, new_rels = _relations(old), _relations(new)
    for key in sorted(set(old_rels) | set(new_rels)):
        if key not in old_rels:
            owner, data = new_rels[key]
            rels["added"].append({**_relation_ref(key, owner, data, names), "evidence": data.get("evidence", [])})
        elif key not in new_rels:
            owner, data = old_rels[key]
            rels["removed"].append(_relation_ref(key, owner, data, names))
        else:
            (_, a), (owner, b) = old_rels[key], new_rels[key]
            if a != b:
                rels["changed"].append(
                    {
                        **_relation_ref(key, owner, b, names),
                        "fields": [f for f in _fields(a, b) if f["field"] not in {"type", "target"}],
                        "new_evidence": _evidence_new(a.get("evidence", []), b.get("evidence", [])),
                    }
                )
    for part in (ents, rels):
        for rows in part.values():
            rows.sort(key=lambda r: (sort_key(r.get("name") or r["source"]["name"]), r.get("key", r.get("id"))))
    return out


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise RegistryError("git finns inte installerat; jämför två registerkataloger i stället") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RegistryError(f"git {' '.join(args)}: {message[0] if message else 'misslyckades'}")
    return done.stdout


def revision_before(folder: Path, day: str) -> str | None:
    """The last commit before the start of `day` that touched anything, or None if there is none."""
    out = _git(folder, "rev-list", "-1", f"--before={day} 00:00:00", "HEAD").decode().strip()
    return out or None


@contextmanager
def registry_at(folder: Path, revision: str | None) -> Iterator[dict[str, Entity]]:
    """The entities of a registry folder as they are (revision None) or were at a git revision."""
    folder = Path(folder)
    if revision is None:
        yield _entities(folder)
        return
    if not (folder / ".").is_dir():
        raise RegistryError(f"{folder}: ingen registerkatalog")
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except RegistryError as exc:
        if "git finns inte" in str(exc):
            raise
        raise RegistryError(
            f"{folder} ligger inte i ett git-arkiv; jämför två registerkataloger: samverkan diff GAMMAL NY"
        ) from None
    prefix = _git(folder, "rev-parse", "--show-prefix").decode().strip()
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RegistryError:
        raise RegistryError(f"{folder}: okänd git-revision {revision!r}") from None
    try:
        archive = _git(top, "archive", "--format=tar", revision, *(["--", prefix] if prefix else []))
    except RegistryError:
        yield {}  # the registry's folder did not exist at that revision
        return
    with tempfile.TemporaryDirectory(prefix="samverkan-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        yield _entities(Path(tmp) / prefix)


def _entities(root: Path) -> dict[str, Entity]:
    if not root.is_dir():
        return {}  # a registry that did not exist yet: everything is new
    return dict(load_registry(root).registry.entities)


def diff_registries(
    folder: Path,
    rev_a: str | None = "HEAD",
    rev_b: str | None = None,
    other: Path | None = None,
    persons: bool = True,
) -> dict[str, Any]:
    """The difference between two states of a registry.

    `other` given: two folders, `folder` the old one (no git needed). Otherwise revisions of
    `folder`'s repository, None meaning the working tree.
    """
    if other is not None:
        old_label, new_label = str(folder), str(other)
        with registry_at(folder, None) as old, registry_at(other, None) as new:
            result = diff_entities(old, new, persons)
    else:
        old_label, new_label = rev_a or "arbetskopian", rev_b or "arbetskopian"
        with registry_at(folder, rev_a) as old, registry_at(folder, rev_b) as new:
            result = diff_entities(old, new, persons)
    return {"from": old_label, "to": new_label, **result}


def diff_since(folder: Path, day: str, persons: bool = True) -> dict[str, Any]:
    """What changed from the last commit before `day` to the working tree (all of it, when the
    repository has no commit that old)."""
    revision = revision_before(folder, day)
    if revision is None:
        result = {"from": f"före {day}", "to": "arbetskopian", **diff_entities({}, _entities(Path(folder)), persons)}
    else:
        result = diff_registries(folder, revision, None, persons=persons)
    return {**result, "since": day}
