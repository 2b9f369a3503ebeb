"""The console script `samverkan`: starts looking at the registry's files, then runs the command.

On a national registry, looking at every file's stat data takes about as long as importing the
code that answers a query; begun here, before anything else is imported, the two overlap. The
registry is found the way the command line will find it (`--registry`, `SAMVERKAN_REGISTRY`, the
bundled Malmö registry), and only a folder that looks like a registry is looked at: anything else
is left to the command, which reports it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from samverkan.registry.folders import default_registry, has_category_folder

__all__ = ["main", "registry_argument"]


def registry_argument(args: list[str], environ: Mapping[str, str]) -> Path | None:
    """The registry folder a command line names, as far as can be told before parsing it."""
    for i, arg in enumerate(args):
        if arg == "--registry":
            return Path(args[i + 1]) if i + 1 < len(args) and args[i + 1] else None
        if arg.startswith("--registry="):
            value = arg.removeprefix("--registry=")
            return Path(value) if value else None
        if not arg.startswith("-") and (i == 0 or args[i - 1] != "--backend"):
            break  # the command's name: options after it are the command's own
    return default_registry(environ)


def main() -> None:
    if os.environ.get("SAMVERKAN_CACHE") != "0":
        root = registry_argument(sys.argv[1:], os.environ)
        if root is not None and root.is_dir() and has_category_folder(root):
            from samverkan.registry.index import scan_early

            scan_early(root)
    from .main import main as run

    run()
