"""The one door through which editing commands write the registry: every file or none.

`add`, `link`, `set`, `retire` and `apply` compute each file's new text first and hand the whole
set here. Each file is replaced atomically (temporary file and rename), and if any write fails the
files already written are put back, so a refused or interrupted edit leaves the registry as it was.
"""

from __future__ import annotations

from pathlib import Path

from .merge import FileChange, MergePlan, apply_plan

__all__ = ["FileChange", "write_changes"]


def write_changes(root: Path, changes: list[FileChange]) -> None:
    """Write every change under `root`, or none of them.

    Shares merge's all-or-nothing writer, so that there is one place to put a registry-wide lock
    and a crash journal around multi-file writes.
    """
    if changes:
        apply_plan(MergePlan(keep="", retire="", changes=changes))
