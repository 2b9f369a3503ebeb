"""One Excel workbook: a sheet per entity category and per relation type, a sheet of sources and
a sheet of the consultation answers (respondent × question), each with a frozen header row and
filters. Every cell is written as text, so a name beginning with `=` stays a name.

The bytes are the same for the same registry: the workbook's dates are fixed and the zip entries
carry a fixed time.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

import networkx as nx

from .rows import entity_table, relation_table

__all__ = ["CATEGORY_SHEETS", "xlsx_bytes"]

CATEGORY_SHEETS = {
    "actor": "aktörer",
    "person": "personer",
    "structure": "strukturer",
    "area": "områden",
    "theme": "teman",
    "group": "målgrupper",
    "document": "dokument",
    "decision": "beslut",
    "consultation": "remisser",
}
_FIXED = datetime(2000, 1, 1)


def _sheet(workbook: Any, title: str, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for r, row in enumerate([header, *rows], start=1):
        for c, value in enumerate(row, start=1):
            if value in ("", None):
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{len(rows) + 1}"


def _sources(graph: nx.MultiDiGraph) -> tuple[list[str], list[list[Any]]]:
    """Each document with how many entities and relations in the export cite it."""
    cites: dict[str, list[int]] = {n: [0, 0] for n, d in graph.nodes(data=True) if d.get("category") == "document"}
    for _, data in graph.nodes(data=True):
        for doc in {ev["source"] for ev in data.get("evidence") or []} & cites.keys():
            cites[doc][0] += 1
    for _, _, data in graph.edges(data=True):
        for doc in {ev["source"] for ev in data.get("evidence") or []} & cites.keys():
            cites[doc][1] += 1
    rows = [
        [doc, graph.nodes[doc]["name"], graph.nodes[doc].get("file", ""), str(graph.nodes[doc].get("date") or ""), *n]
        for doc, n in sorted(cites.items())
    ]
    return ["id", "name", "file", "date", "entities", "relations"], rows


def _positions(graph: nx.MultiDiGraph) -> tuple[list[str], list[list[Any]]]:
    """The consultation answers: respondent × question, with stance and what they propose."""
    rows = []
    for src, dst, data in graph.edges(data=True):
        if data["type"] != "position":
            continue
        rows.append(
            [
                src,
                graph.nodes[src]["name"],
                dst,
                data.get("question") or "",
                data["stance"],
                "\n".join(data.get("proposes") or []),
                "\n".join(data.get("concerns") or []),
                data.get("text") or "",
            ]
        )
    rows.sort()
    header = ["respondent", "respondent_name", "consultation", "question", "stance", "proposes", "concerns", "text"]
    return header, rows


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, in the same order, and the workbook's
    modification time (which openpyxl sets on saving) fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            dst.writestr(fixed, content)
    return out.getvalue()


def xlsx_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The workbook of an export graph."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "samverkan"
    workbook.properties.created = workbook.properties.modified = _FIXED
    for category, title in CATEGORY_SHEETS.items():
        nodes = [n for n, d in graph.nodes(data=True) if d.get("category") == category]
        if nodes:
            _sheet(workbook, title, *entity_table(graph, nodes))
    for rel_type in sorted({d["type"] for _, _, d in graph.edges(data=True)}):
        _sheet(workbook, rel_type, *relation_table(graph, rel_type))
    _sheet(workbook, "källor", *_sources(graph))
    _sheet(workbook, "ställningstaganden", *_positions(graph))
    buf = io.BytesIO()
    workbook.save(buf)
    return _stable_zip(buf.getvalue())
