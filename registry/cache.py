"""A cache of loaded, checked registries, so a query does not re-read hundreds of YAML files.

Keyed by the registry directory and a signature of every entity file (path, size, modification
time) and of the registry code itself; any change, or any trouble reading the cache, means the
registry is simply loaded again. The cache lives in the user's cache directory, never in the
registry, and is written atomically. `SAMVERKAN_CACHE=0` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

from .problems import Problem
from .store import Registry, write_atomic_bytes
from .validate import validate_path

__all__ = ["load_checked", "open_registry"]

_CODE = Path(__file__).resolve().parent


def _cache_dir() -> Path:
    explicit = os.environ.get("SAMVERKAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "samverkan"


def _signature(root: Path) -> list[tuple[str, int, int]]:
    from .store import _entity_files  # the files the loader reads, never those in hidden folders

    files = [path for path, _ in _entity_files(root)] + sorted(_CODE.glob("*.py"))
    out = []
    for path in files:
        try:
            st = path.stat()
        except OSError:  # a dangling link or a vanished file: the loader reports it
            out.append((str(path), -1, -1))
            continue
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return out


def load_checked(root: Path | str) -> tuple[Registry, list[Problem]]:
    """Like `validate_path(root, quotes=False)`, answered from the cache when nothing changed."""
    root = Path(root).resolve()
    if os.environ.get("SAMVERKAN_CACHE") == "0" or not root.is_dir():
        return validate_path(root, quotes=False)
    key = hashlib.sha256(str(root).encode()).hexdigest()[:24]
    path = _cache_dir() / f"{key}.pickle"
    signature = _signature(root)
    try:
        with path.open("rb") as fh:
            cached_signature, registry, problems = pickle.load(fh)
        if cached_signature == signature:
            return registry, problems
    except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        pass
    registry, problems = validate_path(root, quotes=False)
    registry.clear_source_cache()
    if not problems:
        registry.plain()  # the graph's attributes, so a cached query never serialises a model
    with contextlib.suppress(OSError):  # a read-only home directory only costs speed
        write_atomic_bytes(path, pickle.dumps((signature, registry, problems), protocol=5))
    return registry, problems


def open_registry(root: Path | str) -> Registry:
    """The registry at `root` for a query or a write, refusing one with problems (`validate` lists them)."""
    from .errors import ValidationFailedError

    registry, problems = load_checked(root)
    if problems:
        raise ValidationFailedError(problems)
    return registry
