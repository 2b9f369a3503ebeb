"""The file store: a registry is a directory of YAML files, one entity per file.

Loading never stops at the first problem: every file is read, every problem collected, and the
caller decides whether a registry with problems may be used. Writing goes through a temporary
file and a rename, so an interrupted write never leaves half a file behind.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .atomic import write_atomic, write_atomic_bytes
from .models import Document, Entity, validate_entity
from .problems import Problem, format_loc
from .sources import SourceText
from .vocabulary import CATEGORY_FOLDERS, Category, RelationType

__all__ = ["LoadResult", "Registry", "load_registry", "write_atomic", "write_atomic_bytes", "write_entity"]

_FOLDER_CATEGORY = {folder: cat for cat, folder in CATEGORY_FOLDERS.items()}
_RELATION_TYPES = {t.value for t in RelationType}


@dataclass
class Registry:
    """Validated entities by id, with where each came from (for error messages)."""

    root: Path
    entities: dict[str, Entity] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # id -> path relative to root
    lines: dict[str, dict[tuple[Any, ...], int]] = field(default_factory=dict)
    # ids declared by files that failed to load: not "unknown" to the cross-file pass
    broken_ids: set[str] = field(default_factory=set)
    _plain: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    _sources: dict[str, SourceText | None] = field(default_factory=dict, repr=False)

    def __iter__(self) -> Iterator[Entity]:
        return (self.entities[i] for i in sorted(self.entities))

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def line_of(self, entity_id: str, loc: tuple[Any, ...]) -> int:
        """The line of a value, falling back to its closest enclosing value that has one."""
        lines = self.lines.get(entity_id, {})
        while loc and loc not in lines:
            loc = loc[:-1]
        return lines.get(loc, 1)

    def plain(self) -> dict[str, tuple[dict[str, Any], list[tuple[str, str, dict[str, Any]]]]]:
        """Per entity: its node attributes, and its relations as (key, target, attributes).

        Computed once (serialising models is the slow part of building a graph) and kept with the
        registry in the query cache, so a query builds its graph from plain data.
        """
        if self._plain is None:
            from .canonical import entity_attributes, relation_attributes
            from .models import relation_key

            self._plain = {
                e.id: (
                    entity_attributes(e),
                    sorted((relation_key(e.id, r), r.target, relation_attributes(r)) for r in e.relations),
                )
                for e in self
            }
        return self._plain

    def clear_source_cache(self) -> None:
        """Forget the source texts read so far (they are large and re-read cheaply)."""
        self._sources.clear()

    def source_path(self, document: Document) -> Path | None:
        """Where a document's text file is; None when a symbolic link takes it out of the
        registry (a registry from elsewhere must not make us read the user's other files)."""
        path = self.root / document.file
        root = self.root.resolve()
        return path if root in path.resolve().parents else None

    def source_text(self, document_id: str) -> SourceText | None:
        """The text of a dokument entity's file, read once; None if it cannot be read."""
        if document_id not in self._sources:
            doc = self.entities.get(document_id)
            text = None
            path = self.source_path(doc) if isinstance(doc, Document) else None
            if isinstance(doc, Document) and path is not None:
                try:
                    text = SourceText.read(path) if path.is_file() else None
                except (OSError, UnicodeDecodeError):
                    text = None  # the document's own check says why
                if text is not None:
                    text.set_sections([(s.starts, s.speaker) for s in doc.sections])
            self._sources[document_id] = text
        return self._sources[document_id]


@dataclass
class LoadResult:
    """A registry and the problems found while loading it, file by file."""

    registry: Registry
    problems: list[Problem]


def _entity_files(root: Path) -> Iterable[tuple[Path, Category | None]]:
    """Every entity file: `*.yaml`, then `*.yml`, outside `sources/`, `reviews/` and hidden folders
    (`.git/` may hold anything). Symbolic links to folders are not followed."""
    found: dict[str, list[Path]] = {".yaml": [], ".yml": []}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (here == root and d in {"sources", "reviews"})]
        for name in files:
            suffix = os.path.splitext(name)[1]
            if suffix in found and not name.startswith("."):
                found[suffix].append(here / name)
    for path in sorted(found[".yaml"]) + sorted(found[".yml"]):
        rel = path.relative_to(root)
        folder = rel.parts[0] if len(rel.parts) > 1 else ""
        yield path, _FOLDER_CATEGORY.get(folder)


def _read_entity_file(path: Path, rel: str) -> str | Problem:
    """A file's text, or the problem that keeps it from being read (named by line where it can be)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            return Problem(rel, 1, "", "länken pekar på en fil som inte finns")
        return Problem(rel, 1, "", "filen försvann medan registret lästes")
    except OSError as exc:
        from .errors import os_reason

        return Problem(rel, 1, "", f"filen kan inte läsas: {os_reason(exc)}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(rel, line, "", f"raden är inte UTF-8 (byte {data[exc.start]:#04x}); spara filen som UTF-8")


_MESSAGES = {
    "missing": "fältet saknas",
    "int_parsing": "ska vara ett heltal",
    "int_type": "ska vara ett heltal",
    "string_type": "ska vara text",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "bool_parsing": "ska vara sant eller falskt",
    "string_too_short": "får inte vara tomt",
    "string_pattern_mismatch": "har fel form",
}


def _swedish(err: Any) -> str:
    """Pydantic's message for one error, in Swedish where we know the error type."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    if kind == "enum":
        return f"ska vara en av: {ctx.get('expected', '')}".replace("'", "").replace(" or ", ", ")
    if kind in ("greater_than_equal", "greater_than"):
        return f"ska vara minst {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"får vara högst {ctx.get('le', ctx.get('lt'))}"
    return _MESSAGES.get(kind, err["msg"])


def _pydantic_problems(rel: str, error: ValidationError, lines: dict) -> list[Problem]:
    out = []
    for err in error.errors():
        loc = tuple(err["loc"])
        # drop the union tag pydantic inserts after a relation's index
        loc = tuple(
            p
            for i, p in enumerate(loc)
            if not (isinstance(p, str) and p in _RELATION_TYPES and i > 0 and isinstance(loc[i - 1], int))
        )
        message = _swedish(err)
        if err["type"] == "union_tag_invalid":
            allowed = ", ".join(sorted(_RELATION_TYPES))
            message = f"okänd relationstyp {err['input'].get('type')!r}; välj bland: {allowed}"
            loc = (*loc, "type")
        elif err["type"] == "union_tag_not_found":
            message = "en relation behöver en 'type'"
            loc = (*loc, "type")
        elif err["type"] == "extra_forbidden":
            message = f"okänt fält {loc[-1]!r}"
        probe = loc
        while probe and probe not in lines:
            probe = probe[:-1]
        out.append(Problem(rel, lines.get(probe, 1), format_loc(loc), message))
    return out


def _remember_broken(registry: Registry, data: Any) -> None:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        registry.broken_ids.add(data["id"].strip())


def load_registry(root: Path | str) -> LoadResult:
    """Read every entity file under `root`; collect, never raise, what is wrong with each file."""
    root = Path(root)
    from .yamlio import YamlProblem, load_yaml

    registry = Registry(root=root)
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 0, "", "registerkatalogen finns inte"))
        return LoadResult(registry, problems)
    for path, category in _entity_files(root):
        rel = path.relative_to(root).as_posix()
        text = _read_entity_file(path, rel)
        if isinstance(text, Problem):
            problems.append(text)
            continue
        try:
            data, lines = load_yaml(text)
        except YamlProblem as exc:
            problems.append(Problem(rel, exc.line, exc.field, exc.message))
            continue
        try:
            entity = validate_entity(data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(rel, exc, lines))
            _remember_broken(registry, data)
            continue
        except ValueError as exc:
            problems.append(Problem(rel, 1, "", str(exc)))
            continue
        stem = unicodedata.normalize("NFC", path.stem)
        if entity.id != stem:
            problems.append(
                Problem(
                    rel,
                    lines.get(("id",), 1),
                    "id",
                    f"id {entity.id!r} stämmer inte med filnamnet {stem!r}",
                )
            )
        if category is None:
            problems.append(
                Problem(rel, 1, "", f"filen ligger inte i en känd mapp ({', '.join(sorted(_FOLDER_CATEGORY))})")
            )
        elif category is not entity.category:
            expected = CATEGORY_FOLDERS[entity.category]
            problems.append(
                Problem(
                    rel,
                    lines.get(("kind",), 1),
                    "kind",
                    f"typen {entity.kind.value} hör hemma i {expected}/, inte i {rel.split('/')[0]}/",
                )
            )
        if entity.id in registry.entities:
            problems.append(
                Problem(
                    rel,
                    lines.get(("id",), 1),
                    "id",
                    f"id {entity.id!r} finns redan, i {registry.paths[entity.id]}",
                )
            )
            registry.broken_ids.add(entity.id)  # which file the id means is unsure until one goes
            continue
        registry.entities[entity.id] = entity
        registry.paths[entity.id] = rel
        registry.lines[entity.id] = lines
    return LoadResult(registry, problems)


def entity_path(root: Path, entity: Entity) -> Path:
    """Where an entity's file lives: its category's folder, named by its id."""
    return root / CATEGORY_FOLDERS[entity.category] / f"{entity.id}.yaml"


def write_entity(root: Path, entity: Entity) -> Path:
    """Write one entity's canonical file."""
    from .yamlio import dump_entity

    path = entity_path(root, entity)
    write_atomic(path, dump_entity(entity))
    return path
