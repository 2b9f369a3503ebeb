"""Checking a registry directory given on the command line, before anything reads it.

An empty `--registry`, a file, or a directory without any category folder is a usage error with
one line, never a recursive scan of whatever directory that happens to be (an empty path means
the working directory, which may hold anything, national registries included).
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

    A missing directory is left to the loader when it is an argument (`validate` reports it as
    a problem) and refused when it is `--registry`, which every command reads.
    """
    from samverkan.registry.vocabulary import CATEGORY_FOLDERS

    if value is None:
        return None
    name = f"{param.opts[0]} " if param.param_type_name == "option" else "katalogen "
    if str(value).strip() == "":
        raise RegistryDirError(f"{name}är tom; ange registrets katalog")
    path = Path(value)
    if not path.exists():
        if param.param_type_name == "option":
            raise RegistryDirError(f"{name}{path} finns inte")
        return path
    if not path.is_dir():
        raise RegistryDirError(f"{name}{path} är en fil, inte en registerkatalog")
    folders = sorted(set(CATEGORY_FOLDERS.values()))
    if not any((path / folder).is_dir() for folder in folders):
        raise RegistryDirError(f"{name}{path} är ingen registerkatalog (ingen av mapparna {', '.join(folders)})")
    return path
