"""`samverkan ingest` and `samverkan apply`: a new document in, reviewed facts into the registry."""

from __future__ import annotations

from pathlib import Path

import click

from .app import App, UserError, command, pass_app
from .output import as_json

__all__ = ["COMMANDS"]

_LABELS = {"mention": "omnämnanden", "entity": "nya entiteter", "relation": "relationer", "overlap": "överlapp"}


@command()
@click.argument("file", metavar="FIL", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "doc_id", help="Dokumentets id (annars gjort av filnamnet).")
@click.option("--publisher", help="Id för aktören som gett ut dokumentet (talare för överlapp).")
@click.option("--about", help="Id för remissen eller beslutet som dokumentet svarar på.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Granskningsfilen som skrivs (YAML).",
)
@click.option("--force", is_flag=True, help="Skriv över en befintlig fil som inte är en granskningsfil.")
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut granskningsfilens innehåll som JSON.")
@pass_app
def ingest(
    app: App,
    file: Path,
    doc_id: str | None,
    publisher: str | None,
    about: str | None,
    output: Path,
    force: bool,
    as_json_: bool,
) -> None:
    """Läs ett nytt dokument (PDF, Word .docx eller text) och föreslå vad registret ska få.

    Texten sparas under sources/. Granskningsfilen listar omnämnanden av kända entiteter, nya
    entiteter, relationer och uttalanden om överlapp, var och en med sida, citat och
    `accept: false`. Sätt `accept: true` på det som stämmer och kör `samverkan apply`.

    \b
    Exempel:
      samverkan ingest protokoll-2026-03.pdf --id ks-2026-03-12 -o granskning.yaml
    """
    from samverkan.registry.ingest import ingest_document

    from .outfile import check_output

    check_output(output, app.ready(), force or _is_review(output))
    try:
        result = ingest_document(app.ready(), file, output, doc_id, publisher, about)
    except OSError as exc:
        raise UserError(f"{output}: kan inte skrivas, inget ändrades: {exc.strerror or exc}") from None
    if as_json_:
        click.echo(as_json(result.review))
        return
    counts = ", ".join(f"{n} {_LABELS[t]}" for t, n in result.counts.items())
    click.echo(f"{output}: {counts}.")
    click.echo(f"Texten finns i {result.text_path.relative_to(app.registry_dir)}.")


def _is_review(path: Path) -> bool:
    """Whether a file is a review file written by `ingest` (which a new one may replace)."""
    try:
        with path.open("rb") as fh:
            return fh.read(64).startswith(b"samverkan_review:")
    except OSError:
        return False


@command("apply")
@click.argument("review", metavar="GRANSKNINGSFIL", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle skrivas, men skriv inget.")
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut ändringarna som JSON.")
@pass_app
def apply_cmd(app: App, review: Path, dry_run: bool, as_json_: bool) -> None:
    """Skriv de godkända posterna (accept: true) i en granskningsfil till registret.

    Allt eller inget: varje post kontrolleras (citatet i källan, kända id, tillåtna relationer)
    innan något skrivs. En granskning som redan är införd ändrar ingenting.

    \b
    Exempel:
      samverkan apply granskning.yaml
    """
    from samverkan.registry.ingest import apply_review

    if not review.is_file():
        raise click.UsageError(f"granskningsfilen {review} finns inte")
    from .facts import locked

    with locked(app, dry_run):
        plan = apply_review(app.ready(), review)
        if not dry_run:
            plan.write(f"samverkan apply {review}")
    if as_json_:
        click.echo(as_json({**plan.summary(), "written": not dry_run}))
        return
    for line in plan.done:
        click.echo(f"  {line}")
    verb = "skulle skriva" if dry_run else "skrev"
    click.echo(f"Klart: {verb} {len(plan.changes)} filer.")


COMMANDS = [ingest, apply_cmd]
