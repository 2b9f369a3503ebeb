"""All-or-nothing multi-file writes that survive a crash: a rollback journal, as SQLite keeps.

A command that changes several registry files (a merge, `fmt`, a review) hands the journal its
plan: each file's path, its old text (None for a file that does not exist yet) and its new text
(None to remove it). Under the registry's lock, the journal

1. checks that every file still holds the old text the plan was made from, and is not marked
   read-only (else nothing is done),
2. writes the plan with the old texts to `.samverkan-journal` in the registry, durably,
3. applies the changes, each file replaced atomically, and
4. removes the journal: only now is the write done.

If the command fails in step 3 it puts every file back itself. If it is killed (power cut,
SIGKILL) the journal stays behind, and the next command that opens the registry calls `recover`,
which writes every old text back, removes the temporary files the dead command left, and says
so. SIGINT and SIGTERM are held back during steps 2–4, so Ctrl-C waits for a consistent registry.
The registry is therefore always in its state before the command or after it, never between.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import changes
from .atomic import write_atomic_bytes
from .errors import RegistryError, WriteError, describe_os_error
from .lock import registry_lock

__all__ = ["JOURNAL", "Change", "Recovery", "apply_changes", "recover"]

JOURNAL = ".samverkan-journal"
_FORMAT = 1

# Called with a label at every step of a write (tests kill or fail the process there).
fault_hook: Callable[[str], None] | None = None


@dataclass(frozen=True)
class Change:
    """One file: its path relative to the registry, its text before and after (None: absent)."""

    path: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Recovery:
    """What `recover` found and undid: the interrupted command and the files put back."""

    command: str
    restored: list[str]

    def message(self) -> str:
        files = ", ".join(self.restored) if self.restored else "inga filer hann ändras"
        return (
            f"en avbruten skrivning ({self.command}) hittades i registret och rullades tillbaka; "
            f"registret är som före den ({files})"
        )


def _step(label: str) -> None:
    if fault_hook is not None:
        fault_hook(label)


def _inside(root: Path, rel: str) -> Path:
    path = root / rel
    if Path(rel).is_absolute() or ".." in Path(rel).parts:
        raise RegistryError(f"sökvägen {rel!r} ligger utanför registret")
    return path


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP (delivered when the block ends)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        if held & signal.sigpending():
            # the interruption is delivered next, and click will say "Aborted!": say first that the
            # write it waited for was completed, so nobody believes the change was not made
            sys.stderr.write("Obs: avbrottet väntade tills skrivningen var klar; ändringen är gjord.\n")
            sys.stderr.flush()
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _put(path: Path, text: str | None) -> None:
    """Make a file hold `text` (None: not exist), atomically and durably."""
    changes.wrote()
    if text is None:
        path.unlink(missing_ok=True)
    else:
        write_atomic_bytes(path, text.encode("utf-8"), durable=True, on_temp=lambda: _step(f"temp {path.name}"))


def _remove_temporaries(path: Path) -> None:
    """The temporary siblings an interrupted atomic write of `path` left behind."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for sibling in path.parent.iterdir():
            if sibling.name.startswith(prefix):
                sibling.unlink(missing_ok=True)


def apply_changes(root: Path | str, changes: Sequence[Change], command: str) -> None:
    """Apply every change or none, as described in the module docstring."""
    root = Path(root)
    changes = [c for c in changes if c.old != c.new]
    if not changes:
        return
    with registry_lock(root):
        recover(root)
        for c in changes:
            path = _inside(root, c.path)
            if _read(path) != c.old:
                raise RegistryError(f"{c.path} har ändrats sedan ändringen planerades; inget ändrades, försök igen")
            if c.old is not None and not path.stat().st_mode & stat.S_IWUSR:
                # a rename would replace it regardless: respect the mark instead
                raise WriteError(f"{c.path} är skrivskyddad; inget ändrades")
        journal = root / JOURNAL
        record = {
            "format": _FORMAT,
            "command": command,
            "changes": [{"path": c.path, "old": c.old, "new": c.new} for c in changes],
        }
        with _signals_held():
            try:
                write_atomic_bytes(journal, json.dumps(record, ensure_ascii=False).encode("utf-8"), durable=True)
                _fsync_dir(root)  # the journal's name is on disk before any file changes
            except OSError as exc:
                _remove_temporaries(journal)
                raise WriteError(f"journalen kan inte skrivas: {describe_os_error(exc)}; inget ändrades") from None
            try:
                _step("journal")
                for c in changes:
                    _put(root / c.path, c.new)
                    _step(f"applied {c.path}")
                for folder in sorted({(root / c.path).parent for c in changes if c.new is not None}):
                    _fsync_dir(folder)
            except BaseException as exc:
                _roll_back(root, changes)
                journal.unlink(missing_ok=True)
                if isinstance(exc, OSError):
                    raise WriteError(f"{describe_os_error(exc)}; inget ändrades") from None
                raise
            journal.unlink()
            _step("done")


def _roll_back(root: Path, changes: Sequence[Change]) -> list[str]:
    restored = []
    for c in reversed(changes):
        path = _inside(root, c.path)
        _remove_temporaries(path)
        if _read(path) != c.old:
            _put(path, c.old)
            restored.append(c.path)
    return sorted(restored)


def recover(root: Path | str, wait: float = 30.0) -> Recovery | None:
    """Undo a write that a killed command left half done; None when there was none.

    Waits up to `wait` seconds for a live writer to finish: its journal is not ours to undo.
    """
    root = Path(root)
    journal = root / JOURNAL
    if not journal.exists():
        return None
    with registry_lock(root, wait=wait):
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            changes = [Change(str(c["path"]), c["old"], c["new"]) for c in record["changes"]]
        except FileNotFoundError:
            return None  # the writer we waited for finished
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RegistryError(
                f"{journal}: journalen från en avbruten skrivning kan inte läsas ({exc!r}); "
                "registret kan vara halvt ändrat: återställ det från versionshanteringen och ta bort journalen"
            ) from None
        with _signals_held():
            restored = _roll_back(root, changes)
            _remove_temporaries(journal)
            journal.unlink()
        return Recovery(str(record.get("command", "?")), restored)
