"""The `samverkan` command line: the main group with every command registered on it.

The group, the shared `App` and the common options are in `samverkan.cli.app`; the commands are
in modules by theme, each listing its commands in `COMMANDS`. A new module of commands is added
to the tuple below.
"""

from __future__ import annotations

from . import analysis, editing, exports, forget, imports, neo4j, queries, views
from .app import cli

__all__ = ["cli", "main"]

for _module in (queries, analysis, views, editing, neo4j, exports, imports, forget):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """The console script `samverkan`."""
    cli(prog_name="samverkan")
