"""Which folder is the registry, and whether a folder can be one, before anything reads it.

Shared by the command line's option (which refuses what is no registry) and the console script's
early look at the files (which must look only where the command will).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .vocabulary import CATEGORY_FOLDERS

__all__ = ["FOLDERS", "default_registry", "has_category_folder"]

FOLDERS = sorted(set(CATEGORY_FOLDERS.values()))


def default_registry(environ: Mapping[str, str] = os.environ) -> Path:
    """`SAMVERKAN_REGISTRY`, else the bundled Malmö registry."""
    if environ.get("SAMVERKAN_REGISTRY"):
        return Path(environ["SAMVERKAN_REGISTRY"])
    from samverkan.seed import SEED_DIR

    return SEED_DIR


def has_category_folder(path: Path) -> bool:
    """Whether a folder holds at least one of the category folders (actors/, structures/, …)."""
    return any((path / folder).is_dir() for folder in FOLDERS)
