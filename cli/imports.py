"""`samverkan import`: Popolo JSON or a csv export into a registry, all files or none."""

from __future__ import annotations

from pathlib import Path

import click

from .app import UserError, command
from .output import as_json

__all__ = ["COMMANDS", "import_cmd"]


def _mapping(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: mappningsfilen kan inte läsas: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UserError(f"{path}: mappningsfilen ska ha en rad per klassificering: 'committee: nämnd'")
    return {str(k): v for k, v in data.items()}


@command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["popolo", "csv"]))
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Ett nytt register skrivs i denna katalog.")
@click.option(
    "--into", type=click.Path(file_okay=False, path_type=Path), help="Lägg till i (och uppdatera) detta register."
)
@click.option(
    "--mapping", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="YAML: klassificering: typ."
)
@click.option("--separator", help="csv: fältavgränsaren (annars gissad från rubrikraden).")
@click.option("--max-mb", default=256, show_default=True, type=click.IntRange(1), help="Största fil som läses, i MB.")
@click.option("--no-persons", is_flag=True, help="popolo: importera inga personer.")
@click.option("--dry-run", is_flag=True, help="Visa planen men skriv inget.")
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut planen som JSON.")
def import_cmd(
    fmt: str,
    path: Path,
    output: Path | None,
    into: Path | None,
    mapping: Path | None,
    separator: str | None,
    max_mb: int,
    no_persons: bool,
    dry_run: bool,
    as_json_: bool,
) -> None:
    """Importera Popolo JSON eller en csv-export till ett register.

    popolo: organisationer blir aktörer eller strukturer efter sin klassificering (okända anges
    med --mapping), medlemskap blir deltagande med roll och datum, områden blir områden, personer
    med ett uppdrag i ett offentligt organ blir personer (inga med --no-persons). csv:
    katalogen med noder.csv och kanter.csv som `samverkan export csv` skriver.

    Importerade uppgifter får ursprung (fil, post, dag) i stället för citat. Id:n är stabila, så
    en ny import av en nyare fil uppdaterar i stället för att dubblera. Antingen skrivs alla filer
    eller ingen.

    \b
    Exempel:
      samverkan import popolo kommuner.json -o nytt-register/
      samverkan import popolo kommuner-2026.json --into nytt-register/ --dry-run
      samverkan import csv export/ --into mitt-register/
    """
    from samverkan.registry.importers.csv_import import read_csv_registry
    from samverkan.registry.importers.plan import apply_import, plan_import
    from samverkan.registry.importers.popolo import read_popolo

    if (output is None) == (into is None):
        raise click.UsageError("ange antingen -o KATALOG (nytt register) eller --into KATALOG")
    target = output or into
    assert target is not None
    max_bytes = max_mb * 1024 * 1024
    if fmt == "popolo":
        if path.is_dir():
            raise click.BadParameter("ska vara en Popolo JSON-fil", param_hint="PATH")
        read = read_popolo(path, _mapping(mapping), max_bytes=max_bytes, persons=not no_persons)
        entities, skipped = read.entities, read.skipped
    else:
        if not path.is_dir():
            raise click.BadParameter("ska vara katalogen med noder.csv och kanter.csv", param_hint="PATH")
        entities, skipped = read_csv_registry(path, separator, max_bytes=max_bytes), []
    plan = plan_import(
        target,
        entities,
        fmt,
        into=into is not None,
        skipped=skipped,
        source_files_expected=fmt == "csv" and into is not None,
    )
    if not dry_run:
        try:
            apply_import(plan)
        except OSError as exc:
            raise UserError(f"importen avbröts och inget ändrades: {exc}") from None
    if as_json_:
        click.echo(as_json({**plan.summary(), "applied": not dry_run}))
        return
    click.echo(
        f"{target}: {len(plan.added)} nya, {len(plan.changed)} ändrade, {len(plan.unchanged)} oförändrade "
        f"entiteter ({fmt})."
    )
    for label, ids in (("ny", plan.added), ("ändrad", plan.changed)):
        for entity_id in sorted(ids)[:10]:
            click.echo(f"  {label}: {entity_id}")
        if len(ids) > 10:
            click.echo(f"  … och {len(ids) - 10} till")
    if plan.would_remove:
        click.echo(
            f"Finns inte längre i filen (tas inte bort, gör det för hand): {', '.join(plan.would_remove[:10])}"
            + (f" … och {len(plan.would_remove) - 10} till" if len(plan.would_remove) > 10 else "")
        )
    if skipped:
        click.echo(f"Hoppade över {len(skipped)} poster, t.ex. {skipped[0]}")
    for note in plan.notes:
        click.echo(f"Obs: {note}")
    click.echo(
        f"Klart: skulle skriva {len(plan.changes)} filer." if dry_run else f"Klart: {len(plan.changes)} filer skrivna."
    )


COMMANDS = (import_cmd,)
