"""What people open: network views (render) and the decision-maker report (report)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from samverkan.graphs.presentation.titles import VIEWS

from .app import (
    App,
    UserError,
    as_of_option,
    command,
    graph_options,
    output_path_option,
    parse_day,
    pass_app,
    persons_option,
)
from .outfile import check_output, write_output

__all__ = ["COMMANDS"]


def check_kinds(kinds: tuple[str, ...]) -> None:
    """Refuse an unknown entity kind: an empty view would look like a real answer."""
    from samverkan.registry.vocabulary import Kind

    unknown = sorted(set(kinds) - {k.value for k in Kind})
    if unknown:
        raise UserError(f"okänd typ {', '.join(unknown)}; välj bland: " + ", ".join(k.value for k in Kind))


@command()
@click.argument("view", metavar="VY", type=click.Choice(VIEWS))
@output_path_option("HTML-filen som skrivs.")
@click.option("--force", is_flag=True, help="Skriv över en fil som inte är skriven av samverkan.")
@click.option("--focus", help="Aktör eller forum i mitten (vyn ego).")
@click.option("--depth", default=1, type=click.IntRange(1, 6), help="Antal steg från fokus.")
@click.option("--area", help="Område (vyn area, eller filter för de andra).")
@click.option("--theme", help="Bara det som arbetar med detta tema, och dess deltagare.")
@click.option("--kind", "kinds", multiple=True, help="Bara noder av denna typ (kan upprepas).")
@click.option("--top", default=60, type=click.IntRange(1), help="Antal par i vyn overlaps.")
@graph_options
@pass_app
def render(
    app: App,
    view: str,
    output: Path,
    force: bool,
    focus: str | None,
    depth: int,
    area: str | None,
    theme: str | None,
    kinds: tuple[str, ...],
    top: int,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool,
) -> None:
    """Rita en nätverksvy som en fristående HTML-fil (fungerar utan internet).

    Vyer: full, ego (--focus, --depth), bipartite (aktörer mot forum och processer),
    overlaps (strukturer förbundna av överlappningspoängen) och area (--area).

    \b
    Exempel:
      samverkan render full -o malmo.html --include-proposed
      samverkan render ego --focus SBUM --depth 2 -o sbum.html
      samverkan render area --area Rosengård -o rosengard.html
    """
    from samverkan.graphs.presentation.html import view_html
    from samverkan.graphs.presentation.titles import filters_subtitle, view_title
    from samverkan.graphs.presentation.views import build_view
    from samverkan.registry.query import resolve_counted

    for needed, name, value in (("ego", "--focus", focus), ("area", "--area", area)):
        if view == needed and not value:
            raise click.UsageError(f"vyn {needed} behöver {name}")
    check_kinds(kinds)
    check_output(output, app.registry_dir, force)
    if focus:
        backend, focus_ref = app.lookup_in_graph(focus, as_of, include_proposed, include_persons)
    else:
        backend, focus_ref = app.graph_backend(as_of, include_proposed, include_persons), None
    area_ref = resolve_counted(backend, area, as_of) if area else None
    theme_ref = resolve_counted(backend, theme, as_of) if theme else None
    title = view_title(view, focus=focus_ref.name if focus_ref else "", area=area_ref.name if area_ref else "")
    chosen = {"focus": focus_ref, "area": area_ref, "theme": theme_ref}
    ids = {key: ref.id if ref else None for key, ref in chosen.items()}
    built = build_view(backend.graph, view, title=title, depth=depth, kinds=list(kinds) or None, top=top, **ids)
    write_output(output, view_html(built, subtitle=filters_subtitle(as_of, include_proposed)))
    click.echo(f"{output}: {len(built.nodes)} noder, {len(built.edges)} kanter.")


@command()
@output_path_option("Filen som skrivs (HTML, eller PDF med --pdf).")
@click.option("--pdf", "as_pdf", is_flag=True, help="Skriv en PDF med headless Chromium i stället för HTML.")
@click.option("--force", is_flag=True, help="Skriv över en fil som inte är skriven av samverkan.")
@click.option("--title", default="Samverkansstrukturen – rapport", help="Rapportens rubrik.")
@click.option("--process", help="Processen vars mandat visas över tid (standard: den med flest beslut och mandat).")
@click.option("--top", default=15, type=click.IntRange(1), help="Antal parallella strukturer.")
@as_of_option
@click.option(
    "--include-proposed/--exclude-proposed",
    default=True,
    help="Ta med föreslagna strukturer (remissvaren handlar om dem).",
)
@persons_option
@click.option("--since", callback=parse_day, metavar="ÅÅÅÅ-MM-DD", help="Med avsnittet Förändringar sedan dagen.")
@pass_app
def report(
    app: App,
    output: Path,
    as_pdf: bool,
    force: bool,
    title: str,
    process: str | None,
    top: int,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool = False,
    since: date | None = None,
) -> None:
    """Skriv en fristående rapport för nämnd eller stadskontor (HTML, eller PDF med --pdf).

    Innehåll: registrets innehåll och källor, de parallella strukturerna med skäl, luckorna,
    remissvaren som matris (med tabellen över samordningsansvar), mandatets historia och
    nätverket. Utskriftsvänlig: "skriv ut till PDF" ger ett rent dokument.

    \b
    Exempel:
      samverkan report -o rapport.html
      samverkan report --pdf -o rapport.pdf
      samverkan report --since 2026-01-01 -o rapport.html
    """
    from samverkan.graphs.presentation.html import report_html
    from samverkan.graphs.presentation.pdf import write_pdf
    from samverkan.graphs.presentation.report import build_report
    from samverkan.registry.query import resolve_counted

    check_output(output, app.registry_dir, force)
    backend = app.graph_backend(as_of, include_proposed, include_persons)
    process_id = resolve_counted(backend, process, as_of).id if process else None
    data = build_report(backend, process=process_id, top=top)
    if since is not None:
        from samverkan.registry.diff import diff_since

        data["changes"] = diff_since(app.registry_dir, since.isoformat(), persons=include_persons)
    page = report_html(data, title=title, subtitle=f"Läget per {as_of.isoformat()}." if as_of else "")
    (write_pdf if as_pdf else write_output)(output, page)
    click.echo(f"{output}: rapport skriven.")


COMMANDS = [render, report]
