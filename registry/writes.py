"""The one door through which the editing commands write the registry: every file or none.

`add`, `link`, `set`, `retire`, `apply` and `ingest` compute each file's new text first and hand
the whole set here, with the command that asks (for a journal to name). Each file is replaced
atomically (temporary file and rename), and if any write fails the files already written are put
back, so a refused or interrupted edit leaves the registry as it was. Only files inside the
registry pass through here; this is the place where a registry-wide write lock and a crash journal
wrap every multi-file write.
"""

from __future__ import annotations

from pathlib import Path

from .errors import RegistryError
from .merge import FileChange, MergePlan, apply_plan

__all__ = ["FileChange", "write_changes"]


def write_changes(root: Path, changes: list[FileChange], command: str) -> None:
    """Write every change under `root`, or none of them (`command` says which command wrote)."""
    root = Path(root).resolve()
    for change in changes:
        if not change.path.resolve().is_relative_to(root):
            raise RegistryError(f"{change.path} ligger utanför registret {root}")  # a bug, never user input
    if changes:
        apply_plan(MergePlan(keep="", retire="", changes=changes))
