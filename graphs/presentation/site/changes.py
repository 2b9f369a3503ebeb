"""The latest changes to a registry kept in git: commits that touched its entity files.

Nothing when the registry is not in a git work tree or git is not installed: the start page then
leaves the section out.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

__all__ = ["latest_changes"]

_SEP = "\x1f"


def latest_changes(root: Path, limit: int = 10) -> list[dict[str, Any]]:
    """The last commits touching the registry: date, subject and the ids of the entities changed."""
    git = shutil.which("git")
    if git is None or not root.is_dir():
        return []
    try:
        out = subprocess.run(
            [
                git,
                "-c",
                "core.quotepath=off",
                "log",
                f"-n{limit}",
                "--date=short",
                f"--format=%x1e%h{_SEP}%ad{_SEP}%s",
                "--name-only",
                "--",
                ".",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return []
    changes = []
    for record in out.split("\x1e")[1:]:
        head, _, files = record.partition("\n")
        commit, date, subject = ([*head.split(_SEP), "", "", ""])[:3]
        ids = sorted(
            {
                unicodedata.normalize("NFC", Path(f).stem)
                for f in files.split()
                if f.endswith((".yaml", ".yml")) and "/sources/" not in f and "/reviews/" not in f
            }
        )
        changes.append({"commit": commit, "date": date, "subject": subject, "ids": ids})
    return changes
