"""Checking a registry directory given on the command line, before anything reads it.

An empty `--registry`, a file, or a directory that holds something but no category folder is a
usage error with one line, never a recursive scan of whatever directory that happens to be (an
empty path means the working directory, which may hold anything, national registries included).
An empty directory is an empty registry.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["RegistryDirError", "check_registry_dir"]


class RegistryDirError(click.UsageError):
    """A registry path that is not a registry: one line on stderr, exit code 2."""

    def show(self, file: object = None) -> None:
        click.echo(f"Fel: {self.format_message()}", err=True)


def check_registry_dir(ctx: click.Context, param: click.Parameter, value: str | Path | None) -> Path | None:
    """The path, if it can be a registry; RegistryDirError saying why not otherwise.

    A missing directory is left to the command, which names it ("registerkatalogen … finns inte").
    """
    from samverkan.registry.folders import FOLDERS, has_category_folder

    if value is None:
        return None
    name = f"{param.opts[0]} " if param.param_type_name == "option" else "katalogen "
    if str(value).strip() == "":
        raise RegistryDirError(f"{name}är tom; ange registrets katalog")
    path = Path(value)
    if not path.exists():
        return path  # the command says the registry folder is missing, as a data problem
    if not path.is_dir():
        raise RegistryDirError(f"{name}{path} är en fil, inte en registerkatalog")
    empty = not any(not entry.name.startswith(".") for entry in path.iterdir())  # a registry yet to be filled
    if not empty and not has_category_folder(path):
        raise RegistryDirError(f"{name}{path} är ingen registerkatalog (ingen av mapparna {', '.join(FOLDERS)})")
    return path
