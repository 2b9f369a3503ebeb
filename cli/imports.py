"""`samverkan import`: Popolo JSON or a csv export into a registry, all files or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .app import UserError, apply_plan_unless_dry_run, command
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
@click.argument("path", metavar="SÖKVÄG", type=click.Path(exists=True, path_type=Path))
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
    from samverkan.registry.importers import read_import
    from samverkan.registry.importers.plan import apply_import, plan_import

    if (output is None) == (into is None):
        raise click.UsageError("ange antingen -o KATALOG (nytt register) eller --into KATALOG")
    target = output or into
    assert target is not None
    try:
        entities, skipped = read_import(fmt, path, _mapping(mapping), separator, max_mb, persons=not no_persons)
    except NotADirectoryError as exc:
        raise click.BadParameter(str(exc), param_hint="SÖKVÄG") from None
    expected = fmt == "csv" and into is not None
    plan = plan_import(target, entities, fmt, into=into is not None, skipped=skipped, source_files_expected=expected)
    apply_plan_unless_dry_run(apply_import, plan, dry_run, "importen")
    if as_json_:
        click.echo(as_json({**plan.summary(), "applied": not dry_run}))
    else:
        click.echo("\n".join(_summary(plan, target, fmt, skipped, dry_run)))


def _summary(plan: Any, target: Path, fmt: str, skipped: list[Any], dry_run: bool) -> list[str]:
    """The import plan in Swedish: counts, the first ids of each kind of change, notes."""
    lines = [
        f"{target}: {len(plan.added)} nya, {len(plan.changed)} ändrade, {len(plan.unchanged)} oförändrade "
        f"entiteter ({fmt})."
    ]
    for label, ids in (("ny", plan.added), ("ändrad", plan.changed)):
        lines += [f"  {label}: {entity_id}" for entity_id in sorted(ids)[:10]]
        if len(ids) > 10:
            lines.append(f"  … och {len(ids) - 10} till")
    if plan.would_remove:
        lines.append(
            f"Finns inte längre i filen (tas inte bort, gör det för hand): {', '.join(plan.would_remove[:10])}"
            + (f" … och {len(plan.would_remove) - 10} till" if len(plan.would_remove) > 10 else "")
        )
    if skipped:
        lines.append(f"Hoppade över {len(skipped)} poster, t.ex. {skipped[0]}")
    lines += [f"Obs: {note}" for note in plan.notes]
    lines.append(
        f"Klart: skulle skriva {len(plan.changes)} filer." if dry_run else f"Klart: {len(plan.changes)} filer skrivna."
    )
    return lines


COMMANDS = (import_cmd,)
