"""Questions about the registry: list, show, who, where, path, positions, sources."""

from __future__ import annotations

from datetime import date

import click

from .app import App, UserError, command, graph_options, json_option, output_options, pass_app
from .output import Format, Table, emit
from .text import list_table, participation_table, participation_text, positions_csv, positions_table

__all__ = ["COMMANDS"]


def _check_kind(kind: str | None) -> None:
    from samverkan.registry.vocabulary import Kind

    if kind is not None and kind not in {k.value for k in Kind}:
        choices = ", ".join(k.value for k in Kind)
        raise click.BadParameter(f"okänd typ {kind!r}; välj bland: {choices}", param_hint="--kind")


@command("list")
@click.option("--kind", help="Bara entiteter av denna typ (t.ex. nämnd, samverkansforum).")
@graph_options
@output_options
@pass_app
def list_cmd(
    app: App, kind: str | None, as_of: date | None, include_proposed: bool, include_persons: bool, fmt: Format
) -> None:
    """Lista alla entiteter.

    \b
    Exempel:
      samverkan list --kind nämnd
      samverkan list --json
    """
    _check_kind(kind)
    rows = app.backend(as_of, include_proposed, include_persons).list_entities(kind)
    emit(fmt, {"results": rows}, lambda: list_table(rows), lambda: list_table(rows, csv=True))


def _participation(
    app: App,
    name: str,
    include_parts: bool,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool,
    fmt: Format,
    incoming: bool,
) -> None:
    """The body `who` and `where` share: the participations into, or out of, one entity."""
    backend, entity = app.lookup(name, as_of, include_proposed, include_persons)
    ask = backend.who if incoming else backend.where
    rows = ask(entity.id, include_parts=include_parts)
    heading = "Deltagare i" if incoming else "Deltagande för"
    emit(
        fmt,
        {"entity": entity.to_dict(), "results": [r.to_dict() for r in rows]},
        lambda: participation_text(entity, rows, heading),
        lambda: participation_table(rows, csv=True),
    )


@command()
@click.argument("name", metavar="NAMN")
@click.option("--include-parts", is_flag=True, help="Ta med deltagare i delar (underforum).")
@graph_options
@output_options
@pass_app
def who(
    app: App,
    name: str,
    include_parts: bool,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool,
    fmt: Format,
) -> None:
    """Vilka deltar i ett forum eller en process, och i vilken roll.

    \b
    Exempel:
      samverkan who SBUM
      samverkan who "communities that care" --json
    """
    _participation(app, name, include_parts, as_of, include_proposed, include_persons, fmt, incoming=True)


@command()
@click.argument("name", metavar="NAMN")
@click.option("--include-parts", is_flag=True, help="Ta med delarnas deltagande (t.ex. förvaltningen).")
@graph_options
@output_options
@pass_app
def where(
    app: App,
    name: str,
    include_parts: bool,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool,
    fmt: Format,
) -> None:
    """I vilka forum och processer en aktör deltar, och i vilken roll.

    \b
    Exempel:
      samverkan where Polisen
      samverkan where ASN --include-parts
    """
    _participation(app, name, include_parts, as_of, include_proposed, include_persons, fmt, incoming=False)


@command()
@click.argument("name", metavar="NAMN")
@graph_options
@json_option()
@pass_app
def show(app: App, name: str, as_of: date | None, include_proposed: bool, include_persons: bool, fmt: Format) -> None:
    """Visa en entitet med dess relationer och källor.

    \b
    Exempel:
      samverkan show SBUM
      samverkan show "orat mot marken" --json
    """
    from .text import render_show

    backend, entity = app.lookup(name, as_of, include_proposed, include_persons)
    data = backend.show(entity.id)
    emit(fmt, data, lambda: render_show(data))


@command()
@click.argument("source", metavar="FRÅN")
@click.argument("target", metavar="TILL")
@click.option("--limit", default=10, type=click.IntRange(1, 1000), help="Högst så många kortaste vägar.")
@graph_options
@json_option()
@pass_app
def path(
    app: App,
    source: str,
    target: str,
    limit: int,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool,
    fmt: Format,
) -> None:
    """Hur två entiteter hänger ihop: kortaste vägar via deltagande, mandat och delar.

    \b
    Exempel:
      samverkan path Polisen Fritidsnämnden
      samverkan path ASN "Region Skåne" --json
    """
    from samverkan.registry.query import resolve_counted

    from .text import render_paths

    backend, a = app.lookup(source, as_of, include_proposed, include_persons)
    b = resolve_counted(backend, target, as_of)
    result = backend.paths(a.id, b.id, limit=limit)
    emit(fmt, result.to_dict(), lambda: render_paths(result))
    if fmt == "text" and not result.paths and a.id != b.id:
        raise UserError(f"ingen väg mellan {a.name} och {b.name}")


@command()
@click.option("--consultation", help="Bara denna remiss (namn eller id).")
@click.option("--question", help="Bara denna fråga (id inom remissen, t.ex. 4 eller tabell).")
@graph_options
@output_options
@pass_app
def positions(
    app: App,
    consultation: str | None,
    question: str | None,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool,
    fmt: Format,
) -> None:
    """Remissinstansernas svar: vem som svarade vad på vilken fråga.

    \b
    Exempel:
      samverkan positions --consultation remiss-lokal-utveckling-2024 --question tabell
      samverkan positions --json
    """
    from samverkan.registry.query import resolve_optional

    backend = app.backend(as_of, include_proposed, include_persons)
    cid = resolve_optional(backend, consultation)
    rows = [p.to_dict() for p in backend.positions(cid, question)]
    if question is not None and not rows:
        where = f" i {cid}" if cid else ""
        raise UserError(f"inga svar på frågan {question!r}{where}; remissens frågor visas av 'samverkan show <remiss>'")
    emit(fmt, {"results": rows}, lambda: positions_table(rows), lambda: positions_csv(rows))


@command()
@output_options
@pass_app
def sources(app: App, fmt: Format) -> None:
    """Källdokumenten och hur många entiteter och relationer som citerar vart och ett.

    \b
    Exempel:
      samverkan sources
      samverkan sources --json
    """
    rows = app.graph_backend(include_proposed=True).sources()
    header = ["id", "name", "file", "entities", "relations"]
    values = [[r[k] for k in header] for r in rows]
    labels = ["id", "namn", "fil", "entiteter", "relationer"]
    emit(fmt, {"results": rows}, lambda: Table(labels, values), lambda: Table(header, values))


COMMANDS = [list_cmd, who, where, show, path, positions, sources]
