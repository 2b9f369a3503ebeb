"""What the graph shows: overlaps, warnings, duplicates, gaps, stats, and the analysts' reviews."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from samverkan.graphs.contract import GAP_TYPES

from .app import (
    SHARE,
    App,
    as_of_option,
    command,
    graph_options,
    group,
    json_option,
    output_options,
    parse_day,
    pass_app,
)
from .output import Format, Table, emit
from .text import duplicates_text, gaps_text, judgement, overlaps_text, reviews_text, stats_text, warnings_csv

if TYPE_CHECKING:
    from samverkan.registry.query import OverlapPair

__all__ = ["COMMANDS"]


def _pairs_csv(rows: list[dict[str, Any]], *fields: str) -> Table:
    """Pairs (overlaps, duplicates) by id, with some of their fields and their reasons."""
    return Table(
        ["a", "b", *fields, "reasons"],
        [[r["a"]["id"], r["b"]["id"], *(r[f] for f in fields), "; ".join(r["reasons"])] for r in rows],
    )


def _check_structure_kinds(kinds: tuple[str, ...]) -> None:
    from samverkan.registry.vocabulary import STRUCTURE_KINDS

    unknown = sorted(set(kinds) - {k.value for k in STRUCTURE_KINDS})
    if unknown:
        raise click.BadParameter(f"okänd strukturtyp: {', '.join(unknown)}", param_hint="--kind")


@command()
@click.option("--top", default=20, type=click.IntRange(1), help="Visa så många par.")
@click.option("--min-score", default=0.0, type=SHARE, help="Bara par med minst detta poängtal.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Jämför bara strukturer av denna typ (kan upprepas; standard: forum och processer).",
)
@click.option("--area", help="Bara strukturer som verkar i detta område (eller dess delar).")
@click.option("--theme", help="Bara strukturer som arbetar med detta tema.")
@click.option(
    "--measure",
    type=click.Choice(["jaccard", "overlap"]),
    default="jaccard",
    help="Likhetsmått för deltagare m.m.; overlap visar även delmängder.",
)
@graph_options
@output_options
@pass_app
def overlaps(
    app: App,
    top: int,
    min_score: float,
    kinds: tuple[str, ...],
    area: str | None,
    theme: str | None,
    measure: str,
    as_of: date | None,
    include_proposed: bool,
    include_persons: bool,
    fmt: Format,
) -> None:
    """Parallella strukturer: par av forum och processer som överlappar, rangordnade, med skäl.

    Varje par får poäng för delade deltagare (viktade efter roll och hur ovanliga de är), delade
    målgrupper, teman och områden, gemensam ägare och remissinstansernas egna varningar, och
    klassas som dubblering, överlappning eller fragmentering.

    \b
    Exempel:
      samverkan overlaps --include-proposed --top 10
      samverkan overlaps --area Rosengård --json
    """
    from samverkan.graphs.contract import CLASS_LABELS
    from samverkan.registry.query import resolve_optional
    from samverkan.registry.reviews import reviewed_top

    backend = app.backend(as_of, include_proposed, include_persons)
    area_id, theme_id = resolve_optional(backend, area), resolve_optional(backend, theme)
    _check_structure_kinds(kinds)

    def ranked(n: int) -> list[OverlapPair]:
        chosen = list(kinds) or None
        return backend.overlaps(kinds=chosen, measure=measure, top=n, min_score=min_score, area=area_id, theme=theme_id)

    rows = [r.to_dict() for r in reviewed_top(ranked, app.reviews(), "överlapp", top)]
    emit(fmt, {"results": rows}, lambda: overlaps_text(rows, CLASS_LABELS), lambda: _pairs_csv(rows, "score", "class"))


@command()
@click.option("--structure", help="Bara uttalanden som nämner denna struktur.")
@click.option("--speaker", help="Bara uttalanden av denna aktör.")
@as_of_option
@output_options
@pass_app
def warnings(app: App, structure: str | None, speaker: str | None, as_of: date | None, fmt: Format) -> None:
    """Vad dokumenten själva säger är parallellt: uttalanden om överlapp, med varje röst och citat.

    Uttalandena grupperas efter de strukturer de nämner, flest röster först. En röst är en
    talare (remissinstans, förvaltning, stadskontoret, ett partis särskilda yttrande eller en
    sammanfattning av flera) som varnar för parallella strukturer, konstaterar överlapp,
    föreslår samordning eller föreslår en befintlig struktur i stället. Föreslagna strukturer
    räknas alltid med: det är dem remissvaren oftast varnar för.

    \b
    Exempel:
      samverkan warnings
      samverkan warnings --structure "lokal utveckling"
      samverkan warnings --speaker Fritidsnämnden --json
    """
    from samverkan.registry.query import resolve_optional

    from .text import warnings_text

    backend = app.backend(as_of, include_proposed=True)
    rows = backend.warnings(resolve_optional(backend, structure), resolve_optional(backend, speaker))
    emit(fmt, {"results": rows}, lambda: warnings_text(rows), lambda: warnings_csv(rows))


@command()
@click.option("--min-confidence", default=0.75, type=SHARE, help="Visa bara förslag med minst denna säkerhet.")
@output_options
@pass_app
def duplicates(app: App, min_confidence: float, fmt: Format) -> None:
    """Entiteter som troligen har registrerats två gånger under olika namn.

    Namnen jämförs på svenskt sätt (skiftläge, å ä ö, småord och förkortningar) och
    likheten i grafen (samma deltagare, samma forum) höjer säkerheten. Granska och slå
    samman med `samverkan merge`.

    \b
    Exempel:
      samverkan duplicates
      samverkan duplicates --min-confidence 0.6 --json
    """
    from samverkan.registry.reviews import apply_reviews

    found = app.graph_backend(include_proposed=True).duplicates(min_confidence=min_confidence)
    rows = [r.to_dict() for r in apply_reviews(found, app.reviews(), "dubblett")]
    emit(fmt, {"results": rows}, lambda: duplicates_text(rows), lambda: _pairs_csv(rows, "confidence"))


@group(invoke_without_command=True)
@json_option("Skriv ut bedömningarna som JSON.")
@click.pass_context
def review(ctx: click.Context, fmt: Format) -> None:
    """Analytikers bedömningar av par: parallella strukturer och troliga dubbletter.

    Utan underkommando listas bedömningarna. En bedömning sparas i registrets mapp reviews/,
    en fil per par med varje bedömning (vem, när, varför); den senaste gäller. Ett par som
    bedömts "inte" föreslås inte längre av `overlaps` och `duplicates`.

    \b
    Exempel:
      samverkan review overlap SBUM CTC --verdict inte --by "Anna Analytiker" --why "Olika målgrupper"
      samverkan review duplicate "BID" "BID-samarbetet" --verdict samma --by Anna
      samverkan review --json
    """
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.find_object(App)
    assert app is not None  # the main group always makes one
    rows = [r.to_dict() for r in sorted(app.reviews().values(), key=lambda r: r.id)]
    emit(fmt, {"results": rows}, lambda: reviews_text(rows))


def _review_command(subject: str, english: str) -> click.Command:
    """`review overlap` and `review duplicate`: one command per subject, alike but for the verdicts."""
    from samverkan.registry.vocabulary import VERDICT_WORDS

    @review.command(english)
    @click.argument("first", metavar="FÖRSTA")
    @click.argument("second", metavar="ANDRA")
    @click.option("--verdict", required=True, type=click.Choice(list(VERDICT_WORDS[subject])), help="Bedömningen.")
    @click.option("--by", "by", required=True, help="Vem som bedömer (namn eller roll).")
    @click.option("--why", help="Varför, med egna ord.")
    @click.option("--date", "on", callback=parse_day, metavar="ÅÅÅÅ-MM-DD", help="Datum (standard: i dag).")
    @json_option("Skriv ut bedömningen som JSON.")
    @pass_app
    def judge(
        app: App, first: str, second: str, verdict: str, by: str, why: str | None, on: date | None, fmt: Format
    ) -> None:
        from samverkan.registry.query import resolve_pair
        from samverkan.registry.reviews import record_judgement

        a, b = resolve_pair(app.file_backend(include_proposed=True), first, second)  # a write: from the files
        chosen = VERDICT_WORDS[subject][verdict]
        saved = record_judgement(app.registry_dir, subject, a.id, b.id, chosen, by, why, on or date.today())
        data = saved.to_dict()
        emit(fmt, data, lambda: f"Sparat i reviews/{saved.id}.yaml: {a.name} ↔ {b.name}  {judgement(data)}")

    judge.__doc__ = f"Bedöm ett par ({subject}): ange två namn eller id och en bedömning."
    return judge


_review_command("överlapp", "overlap")
_review_command("dubblett", "duplicate")


@command()
@click.option(
    "--type", "types", multiple=True, type=click.Choice(list(GAP_TYPES)), help="Bara denna sorts lucka (kan upprepas)."
)
@graph_options
@output_options
@pass_app
def gaps(
    app: App, types: tuple[str, ...], as_of: date | None, include_proposed: bool, include_persons: bool, fmt: Format
) -> None:
    """Luckor som remissinstanserna bad om klarhet i: mandat, samordning och uppföljning.

    Strukturer utan ägare eller mandat, omstridd samordning, mandat som löpt ut medan arbetet
    fortsätter, aktörer som samordnar parallella strukturer, och strukturer där civilsamhället
    sägs vara centralt men inte deltar.

    \b
    Exempel:
      samverkan gaps --include-proposed
      samverkan gaps --type contested_coordinator --json
    """
    backend = app.graph_backend(as_of, include_proposed, include_persons)
    rows = [g.to_dict() for g in backend.gaps(today=as_of, types=list(types) or None)]
    table = Table(["type", "subject", "message"], [[r["type"], r["subject"]["id"], r["message"]] for r in rows])
    emit(fmt, {"results": rows}, lambda: gaps_text(rows, GAP_TYPES), lambda: table)


@command()
@click.option("--top", default=15, type=click.IntRange(1), help="Visa så många av varje.")
@graph_options
@json_option()
@pass_app
def stats(app: App, top: int, as_of: date | None, include_proposed: bool, include_persons: bool, fmt: Format) -> None:
    """Mäklare i nätverket: aktörer som binder ihop flest andra, och strukturer som förenar grupper.

    \b
    Exempel:
      samverkan stats
      samverkan stats --top 5 --json
    """
    data = app.graph_backend(as_of, include_proposed, include_persons).stats(top=top).to_dict()
    emit(fmt, data, lambda: stats_text(data))


COMMANDS = [overlaps, warnings, duplicates, review, gaps, stats]
