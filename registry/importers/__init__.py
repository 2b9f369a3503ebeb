"""Importers of open formats (Popolo JSON, the csv export) into registry entities, with provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["read_import"]


def read_import(
    fmt: str,
    path: Path,
    mapping: dict[str, str],
    separator: str | None,
    max_mb: int,
    persons: bool = True,
) -> tuple[list[Any], list[Any]]:
    """The entities a file in an open format holds, and the records skipped: Popolo JSON is one
    file, a csv export a folder (NotADirectoryError names what was expected)."""
    from .csv_import import read_csv_registry
    from .popolo import read_popolo

    max_bytes = max_mb * 1024 * 1024
    if fmt == "popolo":
        if path.is_dir():
            raise NotADirectoryError("ska vara en Popolo JSON-fil")
        read = read_popolo(path, mapping, max_bytes=max_bytes, persons=persons)
        return read.entities, read.skipped
    if not path.is_dir():
        raise NotADirectoryError("ska vara katalogen med noder.csv och kanter.csv")
    return read_csv_registry(path, separator, max_bytes=max_bytes), []
