"""Formatting results for people (aligned tables), for programs (JSON) and for spreadsheets (CSV).

`emit` is the one place a command's output format is chosen: every command hands it the JSON
data, and (lazily) its text and its CSV, and prints the one asked for.

Output is untrusted by its reader: a registry may hold any text. A CSV cell that a spreadsheet
would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is written as text, and on a terminal
control characters (escape sequences, carriage returns, bidi overrides) are shown escaped
instead of being obeyed.
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

from samverkan.registry.controls import escape_controls

__all__ = [
    "Format",
    "Table",
    "as_csv",
    "as_json",
    "csv_cell",
    "emit",
    "install_terminal_guard",
    "table",
    "terminal_safe",
    "unguarded",
]


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


def csv_cell(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text: one that would start a formula gets a `'`.

    Numbers stay numbers (a negative number is not a formula).

    >>> [csv_cell(v) for v in ["=1+1", "-1+1", "@SUM(A1)", "SBUM", -0.5, None]]
    ["'=1+1", "'-1+1", "'@SUM(A1)", 'SBUM', -0.5, None]
    """
    from samverkan.registry.tabular import neutralise

    return neutralise(value) if isinstance(value, str) else value


def as_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a header row and Unix line ends, without a final newline (echo adds it); every
    cell passes `csv_cell`, so every CSV output is safe to open in a spreadsheet."""
    buf = io.StringIO()
    # with "\r\n" as the terminator the writer quotes a cell holding either character; each row's
    # own terminator is then cut, and rows end in "\n" as before
    writer = csv.writer(buf, lineterminator="\r\n")
    lines = []
    for row in [header, *rows]:
        buf.seek(0)
        buf.truncate()
        writer.writerow([csv_cell(c) for c in row])
        lines.append(buf.getvalue()[:-2])
    return "\n".join(lines)


def terminal_safe(text: str) -> str:
    r"""Text with control characters (ESC, CSI, OSC, CR, NUL, bidi overrides) shown as escapes.

    >>> terminal_safe("Polisen\x1b[2J\u202eRLO\r\x00")
    'Polisen\\x1b[2J\\u202eRLO\\r\\x00'
    """
    return escape_controls(text)


class _GuardedStream(io.TextIOBase):
    """A text stream that passes everything written through `terminal_safe`."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._inner.errors

    @property
    def buffer(self) -> Any:  # click writes bytes to the buffer of a text stream it trusts
        raise AttributeError("buffer")


def unguarded(stream: Any) -> Any:
    """The terminal behind a guarded stream, for samverkan's own control sequences (a progress
    bar redraws its line with CR and hides the cursor with CSI), never for registry text."""
    return stream._inner if isinstance(stream, _GuardedStream) else stream


def install_terminal_guard() -> None:
    """Escape control characters in everything printed to a terminal (stdout and stderr).

    Only terminals: a pipe or a file gets the data as it is (JSON escapes control characters
    itself; CSV cells are neutralised by `csv_cell`).
    """
    import sys

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and stream.isatty() and not isinstance(stream, _GuardedStream):
            setattr(sys, name, _GuardedStream(stream))


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
