"""The registry in a Neo4j server: neo4j sync and neo4j pull."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .app import App, UserError, group, output_path_option, pass_app
from .output import unguarded

__all__ = ["COMMANDS"]


@group()
def neo4j() -> None:
    """Neo4j: synka registret till en Neo4j-server och hämta tillbaka det.

    \b
    Exempel:
      samverkan neo4j sync --uri bolt://127.0.0.1:17687 --dry-run
      samverkan neo4j pull -o kopia/
    """


def neo4j_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Connection flags; the environment fills in what is not given."""
    for option in reversed(
        [
            click.option("--uri", help="Bolt-adress (annars NEO4J_URI)."),
            click.option("--user", help="Användare (annars NEO4J_USER, eller neo4j)."),
            click.option(
                "--password-env",
                default="NEO4J_PASSWORD",
                help="Miljövariabeln som håller lösenordet.",
            ),
            click.option("--database", help="Databas (annars NEO4J_DATABASE, eller neo4j)."),
        ]
    ):
        func = option(func)
    return func


@neo4j.command("sync")
@neo4j_options
@click.option("--dry-run", is_flag=True, help="Visa planen men skriv inget.")
@click.option("--prune", is_flag=True, help="Ta bort det som databasen har men registret inte har.")
@click.option("--batch", default=10_000, type=click.IntRange(1), help="Rader per transaktion.")
@pass_app
def neo4j_sync(
    app: App,
    uri: str | None,
    user: str | None,
    password_env: str,
    database: str | None,
    dry_run: bool,
    prune: bool,
    batch: int,
) -> None:
    """Synka registret till Neo4j: bara det som skiljer skrivs, i transaktioner av begränsad storlek.

    En andra synk ändrar ingenting. Noder och relationer som databasen har men registret inte har
    tas bort bara med --prune.

    \b
    Exempel:
      samverkan neo4j sync --uri bolt://127.0.0.1:17687 --dry-run
      samverkan neo4j sync --prune
    """
    from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, session
    from samverkan.graphs.backends.neo4j_index import cached_rows
    from samverkan.graphs.backends.neo4j_sync import (
        apply_plan,
        index_relationship_keys,
        plan_rows,
        read_state,
        registry_rows,
        sync_reviews,
    )

    from .text import plan_lines, sync_summary

    prepared = cached_rows(app.ready())  # only what changed since the last sync is made whole
    rows = None if prepared is not None else list(registry_rows(app.load()))
    settings = Neo4jSettings.resolve(uri, user, password_env, database)
    with session(settings) as driver:
        state = read_state(driver, settings.database)
        plan = prepared.plan(state, prune) if prepared is not None else plan_rows(rows or [], state, prune)
        click.echo(sync_summary(plan))
        for line in plan_lines(plan) if dry_run else []:
            click.echo(line)
        if dry_run:
            click.echo("Inget skrivet.")
            return
        if not plan.is_empty:
            with click.progressbar(length=plan.steps, label="Synkar", file=unguarded(sys.stderr)) as bar:
                apply_plan(driver, settings.database, plan, batch, progress=bar.update)
        else:  # nothing to write (as after `scripts/neo4j-server import`): the indexes may still be missing
            index_relationship_keys(driver, settings.database)
        sync_reviews(driver, settings.database, app.registry_dir, prune)
        click.echo("Databasen är redan i takt med registret." if plan.is_empty else "Klart.")


def sync_rows(app: App) -> list[Any]:
    """Every entity's rows: from the index when it is clean, else from the files (which reports problems)."""
    from samverkan.graphs.backends.neo4j_index import index_rows
    from samverkan.graphs.backends.neo4j_sync import registry_rows

    rows = index_rows(app.ready())
    return rows if rows is not None else list(registry_rows(app.load()))


@neo4j.command("csv")
@output_path_option("Katalogen där filerna skrivs.", directory=True)
@pass_app
def neo4j_csv(app: App, output: Path) -> None:
    """Skriv registret som CSV-filer för Neo4j:s bulkimport, det snabba sättet att fylla en tom databas.

    Filerna (nodes.csv och relationships.csv) håller precis det som `neo4j sync` skulle skriva.
    Läs in dem i projektets egen server med scripts/neo4j-server import KATALOG (servern stoppas
    under tiden och databasen ersätts); kör sedan `neo4j sync`, som lägger till indexen och
    analytikernas bedömningar och inte behöver skriva något annat.

    \b
    Exempel:
      samverkan neo4j csv -o import/
      scripts/neo4j-server import import/
    """
    from samverkan.graphs.backends.neo4j_import import write_import_files

    if output.exists() and any(output.iterdir()):
        raise UserError(f"{output} är inte tom; välj en ny katalog")
    try:
        nodes, rels = write_import_files(sync_rows(app), output)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    click.echo(f"{output}: {nodes} noder och {rels} relationer skrivna.")


@neo4j.command("pull")
@neo4j_options
@output_path_option("Katalogen där registret skrivs.", directory=True)
def neo4j_pull(uri: str | None, user: str | None, password_env: str, database: str | None, output: Path) -> None:
    """Skriv registret i Neo4j tillbaka till filer (samma byte som de som synkades).

    \b
    Exempel:
      samverkan neo4j pull -o kopia/
    """
    from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, session
    from samverkan.graphs.backends.neo4j_sync import pull

    if output.exists() and any(output.iterdir()):
        raise UserError(f"{output} är inte tom; välj en ny katalog")
    settings = Neo4jSettings.resolve(uri, user, password_env, database)
    with session(settings) as driver:
        count = pull(driver, settings.database, output)
    click.echo(f"{output}: {count} entiteter skrivna.")


COMMANDS = [neo4j]
