"""CSV for spreadsheets: `noder.csv` and `kanter.csv` (and `kanter-TYP.csv` per relation type with
`split`), UTF-8 with a byte order mark and `;` between cells by default, so that a Swedish Excel
opens them with å, ä and ö intact; cells that would run as formulas are neutralised.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", kind="nämnd", name="=1+1", category="actor")
>>> files = dict(csv_files(g))
>>> sorted(files), files["noder.csv"][:3] == "\\ufeff".encode()
(['kanter.csv', 'noder.csv'], True)
>>> "'=1+1" in files["noder.csv"].decode("utf-8-sig")
True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import networkx as nx

from samverkan.registry.tabular import neutralise

from .rows import entity_table, relation_table

__all__ = ["CSV_DIALECT", "csv_bytes", "csv_files"]


class CSV_DIALECT(csv.excel):
    """Excel's own dialect with the separator Swedish Excel expects."""

    delimiter = ";"


def csv_bytes(header: list[str], rows: list[list[str]], separator: str = ";") -> bytes:
    """One table as CSV bytes: BOM, the separator, CRLF line ends, quoted where needed."""
    buf = io.StringIO()
    writer = csv.writer(buf, dialect=CSV_DIALECT, delimiter=separator)
    writer.writerow(header)
    writer.writerows([neutralise(c) for c in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def csv_files(graph: nx.MultiDiGraph, separator: str = ";", split: bool = False) -> Iterator[tuple[str, bytes]]:
    """The files of a CSV export, by name."""
    yield "noder.csv", csv_bytes(*entity_table(graph), separator=separator)
    yield "kanter.csv", csv_bytes(*relation_table(graph), separator=separator)
    if split:
        for rel_type in sorted({d["type"] for _, _, d in graph.edges(data=True)}):
            yield f"kanter-{rel_type}.csv", csv_bytes(*relation_table(graph, rel_type), separator=separator)
