"""Formatting results for people (aligned tables), for programs (JSON) and for spreadsheets (CSV)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

__all__ = ["as_csv", "as_json", "table"]


def as_json(data: Any) -> str:
    """Stable, readable JSON: keys in the order built, å ä ö kept as they are."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
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
