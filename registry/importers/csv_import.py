"""A spreadsheet back into a registry: `noder.csv` and `kanter.csv` in the layout the csv export
writes (see registry.tabular), so that an analyst can export, edit in Excel and bring it back.

Rows keep their evidence columns. A row without evidence (one added in the spreadsheet) is a fact
nobody has quoted yet: it gets provenance (the file and the row's id) instead, and `validate`
accepts it as unquoted. Every problem names the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ImportFailedError
from ..models import Entity, relation_key, validate_entity
from ..tabular import entity_from_row, relation_from_row
from .plan import pydantic_messages

__all__ = ["read_csv_registry"]

NODES, EDGES = "noder.csv", "kanter.csv"


def _rows(path: Path, separator: str | None, max_bytes: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows with the line each starts on; the separator guessed from the header."""
    if not path.is_file():
        raise ImportFailedError([f"{path}: filen finns inte (en csv-import läser noder.csv och kanter.csv)"])
    if path.stat().st_size > max_bytes:
        raise ImportFailedError([f"{path.name}: filen är större än gränsen {max_bytes / 1e6:.0f} MB (--max-mb)"])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailedError([f"{path.name}: byte {exc.start}: filen är inte UTF-8"]) from None
    first = text.split("\n", 1)[0]
    sep = separator or (";" if first.count(";") >= first.count(",") else ",")
    reader = csv.reader(io.StringIO(text, newline=""), dialect="excel", delimiter=sep)
    try:
        header = next(reader, [])
        rows = []
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailedError([f"{path.name}:{reader.line_num}: {exc}"]) from None
    if "id" not in header and "source" not in header:
        raise ImportFailedError([f"{path.name}:1: ingen rubrikrad med id (är avgränsaren {sep!r} rätt?)"])
    return header, rows


def _provenance(name: str, record: str, today: date) -> list[dict[str, str]]:
    return [{"file": name, "record": record, "imported": today.isoformat(), "format": "csv"}]


def read_csv_registry(
    directory: Path | str,
    separator: str | None = None,
    today: date | None = None,
    max_bytes: int = 256 * 1024 * 1024,
) -> list[Entity]:
    """The entities of a csv export directory; ImportFailedError with every problem otherwise."""
    directory = Path(directory)
    today = today or date.today()
    problems: list[str] = []
    header, rows = _rows(directory / NODES, separator, max_bytes)
    entities: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    for line, row in rows:
        try:
            data = entity_from_row(header, row)
        except ValueError as exc:
            problems.append(f"{NODES}:{line}: {exc}")
            continue
        eid = data.get("id")
        if not eid:
            problems.append(f"{NODES}:{line}: id: saknas")
            continue
        if eid in entities:
            problems.append(f"{NODES}:{line}: id: {eid!r} står två gånger (även rad {lines[eid]})")
            continue
        if data.get("kind") != "dokument" and not data.get("evidence") and not data.get("provenance"):
            data["provenance"] = _provenance(NODES, eid, today)  # a document is its own source
        entities[eid], lines[eid] = data, line
    rel_header, rel_rows = _rows(directory / EDGES, separator, max_bytes)
    for line, row in rel_rows:
        try:
            source, rel = relation_from_row(rel_header, row)
        except ValueError as exc:
            problems.append(f"{EDGES}:{line}: {exc}")
            continue
        if source not in entities:
            problems.append(f"{EDGES}:{line}: source: {source!r} finns inte i {NODES}")
            continue
        if not rel.get("evidence") and not rel.get("provenance"):
            rel["provenance"] = _provenance(EDGES, f"{source}|{rel.get('type')}|{rel.get('target')}", today)
        entities[source].setdefault("relations", []).append(rel)
    out = []
    for eid, data in entities.items():
        try:
            entity = validate_entity(data)
        except ValidationError as exc:
            problems.extend(f"{NODES}:{lines[eid]}: {m}" for m in pydantic_messages(exc))
            continue
        keys = [relation_key(entity.id, r) for r in entity.relations]
        if len(set(keys)) != len(keys):
            problems.append(f"{EDGES}: en relation från {eid!r} står två gånger")
        out.append(entity)
    if problems:
        raise ImportFailedError(problems)
    return sorted(out, key=lambda e: e.id)
