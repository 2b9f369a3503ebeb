"""Writing a file so that a reader sees the old content or the new, never a mix.

Apart from the store (which loads the models) so that the journal, which every command consults
before it answers, does not make a query load them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import changes

__all__ = ["write_atomic", "write_atomic_bytes"]


def write_atomic_bytes(
    path: Path, data: bytes, durable: bool = False, on_temp: Callable[[], None] | None = None
) -> None:
    """Write a file so that readers see either the old or the new content, never a mix.

    `durable` also flushes the new content to disk before the rename (for journalled writes);
    `on_temp` is called between writing the temporary file and renaming it (for fault tests).
    """
    changes.wrote()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # an ordinary file, not mkstemp's private one
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if on_temp is not None:
            on_temp()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write a text file atomically, UTF-8 with Unix newlines."""
    write_atomic_bytes(path, text.encode("utf-8"))
