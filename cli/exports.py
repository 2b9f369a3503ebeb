"""`samverkan export`: the registry in the formats other tools open (see graphs.presentation.exports)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .app import App, UserError, command, pass_app, proposed_options
from .output import as_json

__all__ = ["COMMANDS", "export_cmd"]

_OPENS_IN = {
    "csv": "Excel, LibreOffice, egna skript",
    "xlsx": "Excel, LibreOffice",
    "gexf": "Gephi (med tidslinje)",
    "graphml": "yEd, Cytoscape, igraph",
    "popolo": "Popolo-läsare, andra kommuners register",
    "ftm": "FollowTheMoney: Aleph, OpenSanctions verktyg",
    "kumu": "Kumu",
    "cypher": "Neo4j (cypher-shell)",
}


def _check_target(fmt: str, output: Path, separator: str) -> None:
    """A csv export is a folder, every other format a file; the separator one plain character."""
    if len(separator) != 1 or separator in '"\r\n':
        raise click.BadParameter("ska vara ett enda tecken, t.ex. ';' eller ','", param_hint="--separator")
    if fmt != "csv" and output.is_dir():
        raise UserError(f"{output} är en katalog; formatet {fmt} skrivs till en fil")
    if fmt == "csv" and output.exists() and not output.is_dir():
        raise UserError(f"{output} är en fil; csv skrivs till en katalog")


@command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(_OPENS_IN)))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Filen som skrivs (för csv: katalogen där noder.csv och kanter.csv skrivs).",
)
@click.option("--kind", "kinds", multiple=True, help="Bara entiteter av denna typ (kan upprepas).")
@click.option("--area", help="Bara det som verkar i detta område (eller dess delar), och dess deltagare.")
@click.option("--theme", help="Bara det som arbetar med detta tema, och dess deltagare.")
@click.option("--no-persons", is_flag=True, help="Utan personer och deras relationer (annars kommer de med).")
@click.option("--separator", default=";", show_default=True, help="Fältavgränsare för csv (',' för andra program).")
@click.option("--split", is_flag=True, help="csv: även en fil per relationstyp (kanter-TYP.csv).")
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut vad som skrevs som JSON.")
@proposed_options
@pass_app
def export_cmd(
    app: App,
    fmt: str,
    output: Path,
    kinds: tuple[str, ...],
    area: str | None,
    theme: str | None,
    no_persons: bool,
    separator: str,
    split: bool,
    as_json_: bool,
    as_of: Any,
    include_proposed: bool,
) -> None:
    """Exportera registret till ett format som andra verktyg öppnar.

    \b
    Format och vad som öppnar dem:
      csv      noder.csv och kanter.csv (UTF-8 med BOM, ';'): Excel, LibreOffice
      xlsx     en arbetsbok med ett blad per kategori och relationstyp: Excel
      gexf     GEXF 1.3 med giltighet som tidsintervall: Gephi
      graphml  GraphML med deklarerade attribut: yEd, Cytoscape, igraph
      popolo   Popolo JSON: organisationer, medlemskap, områden, beslut
      ftm      FollowTheMoney som JSON-rader: Aleph, OpenSanctions
      kumu     Kumus JSON-format (elements, connections)
      cypher   ett Cypher-skript med parametrar: Neo4j

    \b
    Exempel:
      samverkan export xlsx -o malmo.xlsx
      samverkan export csv -o export/ --split
      samverkan export gexf -o malmo.gexf --include-proposed
    """
    from samverkan.graphs.presentation.exports import export_files, write_export
    from samverkan.graphs.presentation.exports.selection import export_graph
    from samverkan.registry.query import Filters
    from samverkan.registry.resolve import NameIndex

    _check_target(fmt, output, separator)
    registry = app.load()
    index = NameIndex.build((e.id, e.all_names()) for e in registry)
    place = {"area": index.resolve(area) if area else None, "theme": index.resolve(theme) if theme else None}
    filters = Filters(as_of=as_of, include_proposed=include_proposed)
    graph = export_graph(registry, filters, kinds=list(kinds) or None, persons=not no_persons, **place)
    result = export_files(graph, fmt, separator=separator, split=split)
    try:
        written = write_export(result, output)
    except OSError as exc:
        raise UserError(f"kunde inte skriva {output}: {exc.strerror or exc}") from None
    if as_json_:
        files = [str(p) for p in written]
        click.echo(as_json({"format": fmt, "files": files, "nodes": result.nodes, "edges": result.edges}))
        return
    click.echo(f"{output}: {result.nodes} noder, {result.edges} kanter ({fmt}, öppnas i {_OPENS_IN[fmt]}).")


COMMANDS = (export_cmd,)
