"""The `samverkan` command line: the main group with every command registered on it.

The group, the shared `App` and the common options are in `samverkan.cli.app`; the commands are
in modules by theme, each listing its commands in `COMMANDS`. A new module of commands is added
to the tuple below.
"""

from __future__ import annotations

from typing import Any

from . import analysis, diff, editing, exports, facts, forget, imports, ingest, neo4j, queries, site, views
from .app import cli

__all__ = ["cli", "main"]

for _module in (queries, analysis, views, site, editing, facts, ingest, diff, neo4j, exports, imports, forget):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """The console script `samverkan`: control characters escaped on a terminal, and output that
    cannot be written (a full disk) reported in one line rather than at interpreter exit."""
    import os
    import sys

    import click

    from .output import install_terminal_guard

    install_terminal_guard()
    code: Any = 0
    try:
        cli(prog_name="samverkan")
    except SystemExit as exc:
        code = exc.code
    try:
        sys.stdout.flush()
    except OSError as exc:
        from samverkan.registry.errors import os_reason

        click.echo(f"Fel: utdata kunde inte skrivas: {os_reason(exc)}", err=True)
        code = code or 1
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
    sys.exit(code)
