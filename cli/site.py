"""`samverkan site`: the registry as a static website, for readers who never open a terminal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .app import App, command, json_option, parse_day, pass_app, persons_option

__all__ = ["COMMANDS"]


@command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Katalogen som webbplatsen skrivs till (ny, tom eller en tidigare webbplats, som då ersätts).",
)
@click.option(
    "--base-url", metavar="URL", help="Adressen där webbplatsen ska ligga (för sitemap.txt och entities.json)."
)
@click.option("--title", default="Samverkansstrukturen", show_default=True, help="Webbplatsens namn.")
@click.option("--as-of", callback=parse_day, metavar="ÅÅÅÅ-MM-DD", help="Visa bara det som gällde detta datum.")
@click.option(
    "--include-proposed/--exclude-proposed",
    default=True,
    show_default=True,
    help="Ta med föreslagna strukturer (remissvaren handlar om dem).",
)
@persons_option
@json_option("Skriv vad som skrevs som JSON.")
@pass_app
def site(
    app: App,
    output: Path,
    base_url: str | None,
    title: str,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool,
    fmt: str,
) -> None:
    """Skriv registret som en statisk webbplats: startsida, en sida per entitet, källtexterna med
    citaten markerade, remissvaren, vyerna, rapporten och sök. Vanliga filer som fungerar från en
    filserver och från vilken webbserver som helst, utan internet.

    \b
    Exempel:
      samverkan site -o webbplats/
      samverkan site -o webbplats/ --base-url https://intranat.example.se/samverkan
    """
    from samverkan.graphs.presentation.site import SiteOptions, build_site

    from .output import as_json

    if base_url is not None and not base_url.startswith(("http://", "https://", "/")):
        raise click.BadParameter("ska börja med http://, https:// eller /", param_hint="--base-url")
    registry = app.load()
    backend = app.graph_backend(as_of, include_proposed, include_persons, registry=registry)
    filters = [
        f"Läget {as_of.isoformat()}." if as_of else "",
        "" if include_proposed else "Utan föreslagna strukturer.",
    ]
    options = SiteOptions(title=title, base_url=base_url, subtitle=" ".join(f for f in filters if f))
    summary = build_site(registry, backend, output, options)
    if fmt == "json":
        click.echo(as_json({"output": str(output), **summary}))
    else:
        click.echo(
            f"{output}: {summary['entities']} entitetssidor, {summary['documents']} källtexter med "
            f"{summary['passages']} citerade stycken, {summary['views']} vyer och rapporten ({summary['files']} filer)."
        )


COMMANDS = [site]
