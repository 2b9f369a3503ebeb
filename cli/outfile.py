"""Where a command may write its output file (`render -o`, `report -o`), and writing it.

An output file never lands inside the registry (an HTML page over `actors/polisen.yaml` would
destroy a record), and never replaces a file samverkan did not write unless the user says
`--force`: a page or report written by samverkan carries its mark (the HTML generator tag, or
the headless Chromium that prints our PDFs). Writing failures (a read-only folder, `/proc`, a
path under a file, a full disk) become one-line errors.
"""

from __future__ import annotations

from pathlib import Path

from samverkan.registry.errors import WriteError, os_reason

__all__ = ["GENERATOR_MARK", "check_output", "is_ours", "write_output"]

GENERATOR_MARK = b'<meta name="generator" content="samverkan">'
_PDF_MARK = b"HeadlessChrome"
_LARGEST_CHECKED = 200 * 1024 * 1024


def is_ours(path: Path) -> bool:
    """Whether an existing file is a page or report that samverkan wrote (or an empty file)."""
    try:
        if path.stat().st_size > _LARGEST_CHECKED:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    if not data:
        return True
    if data.startswith(b"%PDF-"):
        return _PDF_MARK in data
    return GENERATOR_MARK in data[:4096]


def check_output(path: Path, registry_root: Path, force: bool) -> None:
    """Refuse an output path inside the registry, or over a file that is not ours without `force`."""
    target = path.resolve()
    root = registry_root.resolve()
    if target == root or root in target.parents:
        raise WriteError(f"{path} ligger i registret ({registry_root}); skriv utdata utanför registret")
    if target.is_dir():
        raise WriteError(f"{path} är en katalog; ange en fil")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise WriteError(f"kan inte skriva {path}: {parent} är en fil, inte en katalog")
            break
    if target.exists() and not force and not is_ours(target):
        raise WriteError(f"{path} finns redan och är inte skriven av samverkan; ange --force för att skriva över den")


def write_output(path: Path, text: str) -> None:
    """Write an output file atomically, or say in one line why it cannot be written."""
    from samverkan.registry.store import write_atomic  # the store loads pydantic: not on start-up

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise WriteError(f"kan inte skriva {path}: {os_reason(exc)}") from None
