"""Entities and relations as flat rows, for spreadsheets: one cell per field, evidence in columns.

The same layout goes out (`samverkan export csv`, `xlsx`) and comes back (`samverkan import csv`),
so a spreadsheet can be edited and brought back without losing anything. Lists of ids and names
stand one per line in their cell; lists of structured values (a consultation's questions, a
document's sections, provenance) as JSON; each piece of evidence gets its own numbered columns
(`evidence_1_source`, `evidence_1_page`, `evidence_1_quote`, `evidence_1_note`, …).

Cells that a spreadsheet would run as a formula are neutralised on the way out and restored on the
way in (see `neutralise`).

>>> row = entity_row({"id": "sbum", "kind": "samverkansforum", "name": "SBUM", "aliases": ["a", "b"]}, 0)
>>> row[:3], row[ENTITY_COLUMNS.index("aliases")]
(['sbum', 'structure', 'samverkansforum'], 'a\\nb')
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from .models import RELATION_CLASSES, Consultation, Decision, Document, Person
from .vocabulary import Kind, category_of

__all__ = [
    "ENTITY_COLUMNS",
    "EVIDENCE_FIELDS",
    "RELATION_COLUMNS",
    "entity_from_row",
    "entity_header",
    "entity_row",
    "evidence_count",
    "neutralise",
    "relation_from_row",
    "relation_header",
    "relation_row",
    "restore",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# list fields holding ids or names: one per line in the cell
_LINE_LISTS = {"aliases", "proposes", "jointly", "concerns"}
# list fields holding structured values: JSON in the cell
_JSON_LISTS = {"questions", "sections", "provenance"}
_NOT_COLUMNS = {"relations", "evidence", "valid_from", "valid_until", "provenance"}


def _fields(classes: Iterable[type], head: Sequence[str]) -> list[str]:
    """Every field of the classes by its file name, `head` first, then in declaration order."""
    out = list(head)
    for cls in classes:
        for name, info in cls.model_fields.items():
            if name in _NOT_COLUMNS:
                continue
            key = info.alias or name
            if key not in out:
                out.append(key)
    return [*out, "provenance"]


ENTITY_COLUMNS = _fields(
    (Document, Decision, Consultation, Person),
    ("id", "category", "kind", "name", "short_name", "aliases", "description", "status", "from", "until", "note"),
)
RELATION_COLUMNS = _fields(
    RELATION_CLASSES.values(), ("key", "source", "target", "type", "status", "from", "until", "note")
)
EVIDENCE_FIELDS = ("source", "page", "quote", "note")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula: one that starts with = + - @,
    a tab or a carriage return gets a leading apostrophe (OWASP's advice for CSV injection). A value
    that already starts with an apostrophe before such a character gets one more, so `restore`
    gives back exactly what was written.

    >>> neutralise("=HYPERLINK(1)"), neutralise("Malmö"), neutralise("'=x")
    ("'=HYPERLINK(1)", 'Malmö', "''=x")
    """
    if value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The value `neutralise` was given.

    >>> restore("'=HYPERLINK(1)"), restore("'s-Hertogenbosch"), restore("''=x")
    ('=HYPERLINK(1)', "'s-Hertogenbosch", "'=x")
    """
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _cell(key: str, value: Any) -> str:
    if value is None or value in ([], ""):
        return ""
    if key in _LINE_LISTS:
        return "\n".join(value)
    if key in _JSON_LISTS:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def evidence_count(items: Iterable[dict[str, Any]]) -> int:
    """How many evidence column groups a table of these entities or relations needs."""
    return max((len(d.get("evidence") or []) for d in items), default=0)


def _evidence_header(n: int) -> list[str]:
    return [f"evidence_{i}_{f}" for i in range(1, n + 1) for f in EVIDENCE_FIELDS]


def _evidence_cells(evidence: list[dict[str, Any]], n: int) -> list[str]:
    cells: list[str] = []
    for i in range(n):
        ev = evidence[i] if i < len(evidence) else {}
        cells += [_cell(f, ev.get(f)) for f in EVIDENCE_FIELDS]
    return cells


def entity_header(n_evidence: int) -> list[str]:
    return [*ENTITY_COLUMNS, *_evidence_header(n_evidence)]


def relation_header(n_evidence: int) -> list[str]:
    return [*RELATION_COLUMNS, *_evidence_header(n_evidence)]


def entity_row(data: dict[str, Any], n_evidence: int) -> list[str]:
    """An entity's canonical data (as in its file) as one row under `entity_header`."""
    values = {**data, "category": category_of(Kind(data["kind"])).value}
    return [_cell(c, values.get(c)) for c in ENTITY_COLUMNS] + _evidence_cells(data.get("evidence") or [], n_evidence)


def relation_row(source: str, key: str, data: dict[str, Any], n_evidence: int) -> list[str]:
    """One relation (its data as in the file, or a graph edge's attributes with `target`)."""
    values = {**data, "key": key, "source": source}
    return [_cell(c, values.get(c)) for c in RELATION_COLUMNS] + _evidence_cells(data.get("evidence") or [], n_evidence)


def _parse(key: str, cell: str) -> Any:
    if key in _LINE_LISTS:
        return [line for line in cell.split("\n") if line.strip()]
    if key in _JSON_LISTS:
        return json.loads(cell)
    return cell


def _from_row(header: Sequence[str], row: Sequence[str], skip: set[str]) -> dict[str, Any]:
    """Plain data from a row: empty cells left out, evidence groups gathered; raises ValueError
    naming the column for a cell that cannot be read."""
    data: dict[str, Any] = {}
    evidence: dict[int, dict[str, str]] = {}
    for column, raw in zip(header, row, strict=False):
        cell = restore(raw)
        if not cell.strip() or column in skip:
            continue
        if column.startswith("evidence_"):
            _, index, name = column.split("_", 2)
            if name not in EVIDENCE_FIELDS or not index.isdigit():
                raise ValueError(f"okänd kolumn {column!r}")
            evidence.setdefault(int(index), {})[name] = cell
            continue
        try:
            data[column] = _parse(column, cell)
        except json.JSONDecodeError as exc:
            raise ValueError(f"kolumnen {column!r} är inte giltig JSON: {exc.msg}") from None
    if evidence:
        data["evidence"] = [evidence[i] for i in sorted(evidence)]
    return data


def entity_from_row(header: Sequence[str], row: Sequence[str]) -> dict[str, Any]:
    """An entity's data, as its file would hold it, from a row under `entity_header`."""
    return _from_row(header, row, {"category"})


def relation_from_row(header: Sequence[str], row: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """The source id and the relation's data from a row under `relation_header`."""
    data = _from_row(header, row, {"key"})
    return data.pop("source", ""), data
