"""`samverkan add`, `link`, `set` and `retire`: editing the facts of the registry from the command line.

Thin commands over `samverkan.registry.edit`: each reads the registry afresh, makes the change on
copies, has it checked (quote in the source, endpoint kinds, the model's rules) and writes every
file or none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from .app import App, command, pass_app
from .output import as_json

__all__ = ["COMMANDS"]


def evidence_options(required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--source, --page, --quote, --note: where the fact comes from."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(
            [
                click.option("--source", required=required, help="Dokumentet (namn eller id) med citatet."),
                click.option("--page", type=click.IntRange(1), help="Sidan (annars den där citatet står)."),
                click.option("--quote", required=required, help="Ordagrant citat ur dokumentet."),
                click.option("--evidence-note", "evidence_note", help="Vad citatet visar, om det inte är uppenbart."),
                click.option("--dry-run", is_flag=True, help="Visa vad som skulle ändras, men skriv inget."),
                click.option("--json", "as_json_", is_flag=True, help="Skriv ut ändringarna som JSON."),
            ]
        ):
            func = option(func)
        return func

    return decorate


def _session(app: App) -> Any:
    """An edit of the registry read afresh (after undoing a write a killed command left half done)."""
    from samverkan.registry.edit import EditSession, load_for_edit

    return EditSession(load_for_edit(app.ready()))


def locked(app: App, dry_run: bool) -> Any:
    """The registry's write lock, held from reading the registry to writing it (not for --dry-run)."""
    from contextlib import nullcontext

    from samverkan.registry.lock import registry_lock

    return nullcontext() if dry_run else registry_lock(app.ready())


def _evidence(session: Any, source: str | None, quote: str | None, page: int | None, note: str | None) -> Any:
    if (source is None) != (quote is None):
        raise click.UsageError("--source och --quote anges tillsammans")
    return session.evidence(source, quote, page, note) if source else None


def _finish(session: Any, dry_run: bool, as_json_: bool) -> None:
    """Check the edit, write it unless --dry-run, and say what was (or would be) done."""
    plan = session.plan()
    if not dry_run:
        plan.write(f"samverkan {click.get_current_context().info_name}")
    if as_json_:
        click.echo(as_json({**plan.summary(), "written": not dry_run and not plan.is_empty}))
        return
    if plan.is_empty:
        click.echo("Inget att ändra: registret har redan detta.")
        return
    for line in plan.done:
        click.echo(f"  {line}")
    verb = "skulle skriva" if dry_run else "skrev"
    click.echo(f"Klart: {verb} {len(plan.changes)} filer.")


@command()
@click.argument("kind", metavar="TYP")
@click.argument("name", metavar="NAMN")
@click.option("--id", "entity_id", help="Id (annars gjort av namnet).")
@click.option("--short-name", help="Förkortning eller kortform.")
@click.option("--alias", "aliases", multiple=True, help="Annat namn som källorna använder (kan upprepas).")
@click.option("--description", help="En eller två meningar på svenska.")
@click.option("--status", type=click.Choice(["befintlig", "föreslagen", "avvecklad"]), help="Status.")
@click.option("--from", "valid_from", metavar="ÅÅÅÅ[-MM[-DD]]", help="Gäller från.")
@click.option("--until", "valid_until", metavar="ÅÅÅÅ[-MM[-DD]]", help="Gäller till.")
@click.option("--field", "fields", multiple=True, metavar="FÄLT=VÄRDE", help="Annat fält (t.ex. date=2026-03-01).")
@evidence_options(required=True)
@pass_app
def add(
    app: App,
    kind: str,
    name: str,
    entity_id: str | None,
    short_name: str | None,
    aliases: tuple[str, ...],
    description: str | None,
    status: str | None,
    valid_from: str | None,
    valid_until: str | None,
    fields: tuple[str, ...],
    source: str,
    page: int | None,
    quote: str,
    evidence_note: str | None,
    dry_run: bool,
    as_json_: bool,
) -> None:
    """Lägg till en entitet av typen TYP med namnet NAMN, med källa, sida och citat.

    Citatet ska stå i källdokumentet (och på sidan, om --page anges); annars skrivs inget.

    \b
    Exempel:
      samverkan add nätverk "Trygghetsnätverket Öster" --source protokoll --quote "Trygghetsnätverket Öster"
    """
    data: dict[str, Any] = {
        "id": entity_id,
        "kind": kind,
        "name": name,
        "short_name": short_name,
        "aliases": list(aliases),
        "description": description,
        "status": status,
        "from": valid_from,
        "until": valid_until,
    }
    for item in fields:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"--field ska ha formen FÄLT=VÄRDE, inte {item!r}")
        data[key.strip()] = value.strip()
    with locked(app, dry_run):
        session = _session(app)
        session.add_entity(data, [_evidence(session, source, quote, page, evidence_note)])
        _finish(session, dry_run, as_json_)


@command()
@click.argument("source_name", metavar="A")
@click.argument("role", metavar="ROLL")
@click.argument("target_name", metavar="B")
@click.option("--scope", help="Vad mandatet omfattar (mandat).")
@click.option("--granted-by", help="Beslutet som gav mandatet (mandat).")
@click.option("--from", "valid_from", metavar="ÅÅÅÅ[-MM[-DD]]", help="Gäller från.")
@click.option("--until", "valid_until", metavar="ÅÅÅÅ[-MM[-DD]]", help="Gäller till.")
@click.option("--note", help="Vad som är slutsats snarare än uttryckligen sagt.")
@evidence_options(required=True)
@pass_app
def link(
    app: App,
    source_name: str,
    role: str,
    target_name: str,
    scope: str | None,
    granted_by: str | None,
    valid_from: str | None,
    valid_until: str | None,
    note: str | None,
    source: str,
    page: int | None,
    quote: str,
    evidence_note: str | None,
    dry_run: bool,
    as_json_: bool,
) -> None:
    """Knyt A till B: ROLL är en roll (deltar, leder, samordnar, sammankallar, finansierar, äger)
    eller en relation (mandat, del-av, rapporterar-till, verkar-i, behandlar, riktar-sig-till,
    gäller, funds).

    Finns relationen redan får den citatet som ny källa. Relationer mellan fel sorters
    entiteter (t.ex. ett forum som deltar i en nämnd) vägras.

    \b
    Exempel:
      samverkan link Polisen deltar SBUM --source protokoll --quote "polisen och Region Skåne deltar"
    """
    from samverkan.registry.edit import relation_for

    with locked(app, dry_run):
        session = _session(app)
        granted = session.resolve(granted_by) if granted_by else None
        relation = relation_for(
            role, scope=scope, granted_by=granted, **{"from": valid_from, "until": valid_until}, note=note
        )
        relation = {k: v for k, v in relation.items() if v is not None}
        evidence = _evidence(session, source, quote, page, evidence_note)
        session.add_relation(session.resolve(source_name), relation, session.resolve(target_name), evidence)
        _finish(session, dry_run, as_json_)


@command("set")
@click.argument("name", metavar="NAMN")
@click.argument("field_name", metavar="FÄLT")
@click.argument("value", metavar="VÄRDE")
@evidence_options(required=False)
@pass_app
def set_cmd(
    app: App,
    name: str,
    field_name: str,
    value: str,
    source: str | None,
    page: int | None,
    quote: str | None,
    evidence_note: str | None,
    dry_run: bool,
    as_json_: bool,
) -> None:
    """Ge fältet FÄLT hos NAMN värdet VÄRDE ("" tar bort fältet; alias skiljs med ;).

    Med --source och --quote får entiteten också citatet som källa.

    \b
    Exempel:
      samverkan set SBUM description "Forum för barn och unga." --source protokoll --quote "ett forum"
    """
    with locked(app, dry_run):
        session = _session(app)
        entity_id = session.resolve(name)
        evidence = _evidence(session, source, quote, page, evidence_note)
        session.set_field(entity_id, field_name, value)
        if evidence is not None:
            session.add_evidence(entity_id, evidence)
        _finish(session, dry_run, as_json_)


@command()
@click.argument("name", metavar="NAMN")
@click.option("--date", "day", required=True, metavar="ÅÅÅÅ[-MM[-DD]]", help="Från när den är avvecklad.")
@evidence_options(required=True)
@pass_app
def retire(
    app: App,
    name: str,
    day: str,
    source: str,
    page: int | None,
    quote: str,
    evidence_note: str | None,
    dry_run: bool,
    as_json_: bool,
) -> None:
    """Markera NAMN som avvecklad från --date, med källa; dess delar (part-of) och deltagandet i
    dem avslutas samma dag.

    \b
    Exempel:
      samverkan retire SBUM --date 2026-06-30 --source protokoll --quote "SBUM"
    """
    with locked(app, dry_run):
        session = _session(app)
        session.retire(session.resolve(name), day, _evidence(session, source, quote, page, evidence_note))
        _finish(session, dry_run, as_json_)


COMMANDS = [add, link, set_cmd, retire]
