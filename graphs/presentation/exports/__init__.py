"""Exports: the registry in the formats the tools people already use open.

Each format has its own module with one function from the export graph (see `selection`) to the
files it writes, as bytes: the same registry always gives the same bytes, and nothing is written
until every file is ready.

| format | opens in |
| --- | --- |
| csv | Excel, LibreOffice, any script (noder.csv, kanter.csv) |
| xlsx | Excel, LibreOffice (a sheet per category and relation type) |
| gexf | Gephi, with the timeline |
| graphml | yEd, Cytoscape, igraph, networkx |
| popolo | Popolo JSON readers, other councils' registers |
| ftm | FollowTheMoney: Aleph, OpenSanctions' tools, `ftm` |
| kumu | Kumu (JSON blueprint) |
| cypher | any Neo4j (cypher-shell) |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["FORMATS", "Export", "export_files", "write_export"]


@dataclass
class Export:
    """What an export writes: one file (`name` None), or several files in a directory."""

    files: dict[str | None, bytes]
    nodes: int
    edges: int

    @property
    def single(self) -> bool:
        return list(self.files) == [None]


def _csv(graph: nx.MultiDiGraph, **options: Any) -> dict[str | None, bytes]:
    from .csv_export import csv_files

    return dict(csv_files(graph, **options))


def _single(module: str, function: str) -> Callable[..., dict[str | None, bytes]]:
    def run(graph: nx.MultiDiGraph, **options: Any) -> dict[str | None, bytes]:
        import importlib

        produce = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return {None: produce(graph, **options)}

    return run


# format -> (writer, options it takes)
FORMATS: dict[str, tuple[Callable[..., dict[str | None, bytes]], tuple[str, ...]]] = {
    "csv": (_csv, ("separator", "split")),
    "xlsx": (_single("xlsx", "xlsx_bytes"), ()),
    "gexf": (_single("gexf", "gexf_bytes"), ()),
    "graphml": (_single("graphml", "graphml_bytes"), ()),
    "popolo": (_single("popolo", "popolo_bytes"), ()),
    "ftm": (_single("ftm", "ftm_bytes"), ()),
    "kumu": (_single("kumu", "kumu_bytes"), ()),
    "cypher": (_single("cypher", "cypher_bytes"), ()),
}


def export_files(graph: nx.MultiDiGraph, fmt: str, **options: Any) -> Export:
    """The files of one format, computed in memory; options a format does not take are ignored."""
    writer, takes = FORMATS[fmt]
    chosen = {k: v for k, v in options.items() if k in takes}
    return Export(writer(graph, **chosen), graph.number_of_nodes(), graph.number_of_edges())


def write_export(export: Export, path: Path) -> list[Path]:
    """Write an export: a single file atomically, or each file of a directory atomically."""
    from samverkan.registry.store import write_atomic_bytes

    if export.single:
        write_atomic_bytes(path, export.files[None])
        return [path]
    written = []
    for name, data in sorted(export.files.items(), key=lambda item: item[0] or ""):
        target = path / str(name)
        write_atomic_bytes(target, data)
        written.append(target)
    return written
