"""One writer at a time: an exclusive lock on the registry directory itself.

Every command that writes to a registry (`merge`, `fmt`, `review` and the editing commands)
holds this lock from the moment it reads the files it will change until its write is done, so
two writers never plan from the same state and then overwrite each other. The lock is an
advisory `flock` on the directory: no lock file is left in the registry, a read-only registry
can still be locked, and the kernel releases the lock when its holder dies, so a killed command
never leaves a stale lock behind. The lock is re-entrant within one process.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as root, registry_lock(root), registry_lock(root):
...     held(root)
True
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import LockHeldError, RegistryError

__all__ = ["held", "registry_lock"]

# resolved registry path -> (directory fd, nesting depth) for the locks this process holds
_HELD: dict[str, tuple[int, int]] = {}


def _key(root: Path | str) -> str:
    return str(Path(root).resolve())


def held(root: Path | str) -> bool:
    """Whether this process holds the registry's lock."""
    return _key(root) in _HELD


@contextmanager
def registry_lock(root: Path | str, wait: float = 0.0) -> Iterator[None]:
    """Hold the registry's write lock; wait up to `wait` seconds for another holder, then refuse."""
    key = _key(root)
    if key in _HELD:
        fd, depth = _HELD[key]
        _HELD[key] = (fd, depth + 1)
        try:
            yield
        finally:
            fd, depth = _HELD[key]
            _HELD[key] = (fd, depth - 1)
        return
    try:
        fd = os.open(key, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        raise RegistryError(f"registerkatalogen {root} finns inte") from None
    except OSError as exc:
        raise RegistryError(f"registerkatalogen {root} kan inte öppnas: {exc.strerror}") from None
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN) or time.monotonic() >= deadline:
                    raise LockHeldError(str(root)) from None
                time.sleep(0.05)
    except BaseException:
        os.close(fd)
        raise
    _HELD[key] = (fd, 1)
    try:
        yield
    finally:
        fd, depth = _HELD[key]
        if depth <= 1:
            del _HELD[key]
            os.close(fd)  # closing the only descriptor releases the flock
        else:
            _HELD[key] = (fd, depth - 1)
