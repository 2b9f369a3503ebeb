"""The one door through which the editing commands write the registry: every file or none.

`add`, `link`, `set`, `retire`, `apply` and `ingest` compute each file's new text first and hand
the whole set here, with the command that asks. The write goes through the registry's journal
(see `journal`): under the registry's lock, every file is checked to still hold the text the plan
was made from, the plan is journalled, each file is replaced atomically, and a failure or a crash
leaves the registry as it was before the command. Only files inside the registry pass through
here; the commands hold the lock themselves from reading the registry to this write.
"""

from __future__ import annotations

from pathlib import Path

from .journal import Change, apply_changes
from .merge import FileChange

__all__ = ["FileChange", "write_changes"]


def write_changes(root: Path, changes: list[FileChange], command: str) -> None:
    """Write every change under `root`, or none of them (`command` names the writer in the journal)."""
    root = Path(root)
    base = root.resolve()
    planned = [Change(c.path.resolve().relative_to(base).as_posix(), c.old, c.new) for c in changes]
    apply_changes(root, planned, command)
