"""Formatting results for people (aligned tables), for programs (JSON) and for spreadsheets (CSV).

`emit` is the one place a command's output format is chosen: every command hands it the JSON
data, and (lazily) its text and its CSV, and prints the one asked for.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import click

__all__ = ["Format", "Table", "as_csv", "as_json", "emit", "table"]

Format = Literal["text", "json", "csv"]


@dataclass(frozen=True)
class Table:
    """A header and rows, printed as an aligned table or as CSV."""

    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def emit(
    fmt: Format,
    data: Any,
    text: Callable[[], str | Table],
    csv_table: Callable[[], Table] | None = None,
) -> None:
    """Print `data` as JSON, `csv_table()` as CSV, or `text()` (a string or an aligned table)."""
    if fmt == "json":
        click.echo(as_json(data))
    elif fmt == "csv" and csv_table is not None:
        found = csv_table()
        click.echo(as_csv(found.header, found.rows))
    else:
        out = text()
        click.echo(table(out.header, out.rows) if isinstance(out, Table) else out)


def as_json(data: Any) -> str:
    """Stable, readable JSON: keys in the order built, å ä ö kept as they are."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a header row and Unix line ends, without a final newline (echo adds it)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().rstrip("\n")


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned plain-text table with a rule under the header."""
    cells = [[str(c) if c is not None else "" for c in row] for row in rows]
    widths = [_width(h) for h in header]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(list(header)), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)
