"""Changing the registry's files: validate, fmt, merge."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import App, UserError, command, json_option, pass_app
from .output import Format, as_json, emit
from .registry_dir import check_registry_dir

if TYPE_CHECKING:
    from samverkan.registry.validate import ValidationReport

__all__ = ["COMMANDS"]


def _echo_validation(report: ValidationReport) -> None:
    """Every problem and doubt on stdout, the totals on stderr (or that the registry is valid)."""
    for problem in report.problems + report.warnings:
        click.echo(str(problem))
    if report.problems:
        click.echo(f"{len(report.problems)} problem i {len({p.path for p in report.problems})} filer.", err=True)
    else:
        click.echo(f"Registret är giltigt: {report.entities} entiteter, {report.relations} relationer.")
    if report.warnings:
        click.echo(f"{len(report.warnings)} varningar i {len({p.path for p in report.warnings})} filer.", err=True)


@command()
@click.argument("directory", metavar="KATALOG", required=False, type=click.Path(), callback=check_registry_dir)
@json_option("Skriv ut problemen som JSON.")
@click.option("--strict", is_flag=True, help="Räkna varningar som fel (slutkod 1).")
@pass_app
def validate(app: App, directory: Path | None, fmt: Format, strict: bool) -> None:
    """Kontrollera ett register och rapportera alla problem på en gång.

    Varje problem skrivs som `fil:rad: fält: meddelande`. Citat kontrolleras ordagrant
    (blanktecken normaliserade) mot källdokumenten. Varningar (`varning:`) gäller uppgifter
    som är tolkningar utan en `note` som säger det: ett deltagande, mandat eller
    ställningstagande vars citat inte nämner någon av ändpunkterna. Slutkod 1 om något är
    fel, eller med --strict om något är fel eller tveksamt.

    \b
    Exempel:
      samverkan validate
      samverkan validate path/to/registry
    """
    from samverkan.registry.validate import validation_report

    report = validation_report(app.ready(directory))
    if fmt == "json":
        click.echo(as_json(report.to_dict()))
    else:
        _echo_validation(report)
    if report.failed(strict):
        raise SystemExit(1)


@command()
@click.argument("directory", metavar="KATALOG", required=False, type=click.Path(), callback=check_registry_dir)
@click.option("--check", is_flag=True, help="Ändra inget; slutkod 1 om någon fil inte är kanonisk.")
@pass_app
def fmt(app: App, directory: Path | None, check: bool) -> None:
    """Skriv om registrets filer i kanonisk form och fyll i sidnummer för citaten.

    \b
    Exempel:
      samverkan fmt --check
    """
    from samverkan.registry.format import format_registry

    changed = format_registry(app.ready(directory), write=not check)
    for rel in changed:
        click.echo(rel)
    if check and changed:
        raise UserError(f"{len(changed)} filer är inte i kanonisk form; kör 'samverkan fmt'")
    if not check:
        click.echo(f"{len(changed)} filer omskrivna.", err=True)


@command()
@click.argument("keep", metavar="BEHÅLL")
@click.argument("retire", metavar="AVVECKLA")
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle ändras, men ändra inget.")
@json_option("Skriv ut planen som JSON.")
@click.option("--by", default="samverkan merge", help="Vem som bedömer att de är samma.")
@click.option("--why", help="Varför de är samma, med egna ord.")
@pass_app
def merge(app: App, keep: str, retire: str, dry_run: bool, fmt: Format, by: str, why: str | None) -> None:
    """Slå samman två entiteter som är samma: AVVECKLA går upp i BEHÅLL.

    AVVECKLA:s namn och id blir alias för BEHÅLL, dess källor och relationer flyttas över och alla
    hänvisningar till den skrivs om. Sammanslagningen sparas som bedömningen "samma" i
    reviews/ (se `samverkan review`). Antingen ändras alla filer eller ingen.

    \b
    Exempel:
      samverkan merge sbum samverkan-för-barn-och-unga --dry-run
    """
    from contextlib import nullcontext

    from samverkan.registry.lock import registry_lock
    from samverkan.registry.merge import merge_names

    from .text import merge_text

    with nullcontext() if dry_run else registry_lock(app.ready()):  # from reading to writing
        plan = merge_names(app.load(), keep, retire, judged_by=by, why=why, dry_run=dry_run)
    emit(fmt, {**plan.summary(), "applied": not dry_run}, lambda: merge_text(plan, plan.root, dry_run))


COMMANDS = [validate, fmt, merge]
