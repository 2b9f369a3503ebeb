"""The `samverkan` command line: thin click commands over the registry and graph libraries.

Each command parses its options, makes one library call and formats the result. Library modules
are imported inside the commands so that `samverkan who SBUM` loads only what it needs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .output import as_csv, as_json, table

if TYPE_CHECKING:
    from samverkan.registry.query import EntityRef, QueryBackend, Row

__all__ = ["cli"]


class UserError(click.ClickException):
    """A data problem or failed lookup: one line on stderr, exit code 1, no traceback."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"Fel: {self.format_message()}", err=True)


class SamverkanGroup(click.Group):
    """Turns the library's RegistryError into UserError at the edge, and only there."""

    def invoke(self, ctx: click.Context) -> Any:
        from samverkan.registry.errors import RegistryError

        try:
            return super().invoke(ctx)
        except RegistryError as exc:
            raise UserError(str(exc)) from None


def _default_registry() -> Path:
    env = os.environ.get("SAMVERKAN_REGISTRY")
    if env:
        return Path(env)
    from samverkan.seed import SEED_DIR

    return SEED_DIR


class App:
    """What every command shares: where the registry is, loaded once on first use."""

    def __init__(self, registry_dir: Path | None, backend: str = "embedded") -> None:
        self.registry_dir = registry_dir or _default_registry()
        self.backend_name = backend

    def load(self) -> Any:
        """The registry, refusing one with problems (validate lists them)."""
        from samverkan.registry.cache import load_checked
        from samverkan.registry.errors import ValidationFailedError

        registry, problems = load_checked(self.registry_dir)
        if problems:
            raise ValidationFailedError(problems)
        return registry

    def backend(self, as_of: Any = None, include_proposed: bool = False, embedded_only: bool = False) -> QueryBackend:
        from samverkan.registry.query import Filters

        filters = Filters(as_of=as_of, include_proposed=include_proposed)
        if self.backend_name == "neo4j":
            if embedded_only:
                raise UserError("det här kommandot finns bara för den inbyggda grafen (utan --backend neo4j)")
            from samverkan.graphs.backends.neo4j_backend import Neo4jBackend
            from samverkan.graphs.backends.neo4j_conn import Neo4jSettings

            return Neo4jBackend(Neo4jSettings.resolve(), filters)
        from samverkan.graphs.backends.embedded import EmbeddedBackend

        return EmbeddedBackend(self.load(), filters)

    def reviews(self) -> dict[str, Any]:
        """The analysts' judgements kept in the registry (none for a registry without them)."""
        from samverkan.registry.reviews import load_reviews

        return load_reviews(self.registry_dir)[0]

    def lookup(
        self, name: str, as_of: Any, include_proposed: bool, embedded_only: bool = False
    ) -> tuple[QueryBackend, EntityRef]:
        """A backend for the filters, and the entity a name refers to.

        Naming an entity is never refused: when the filters leave it out (a proposed structure
        without --include-proposed, or one not valid on the --as-of day), the answer is given
        without those filters, and a line on standard error says so and why.
        """
        backend = self.backend(as_of, include_proposed, embedded_only)
        ref = backend.resolve(name)
        if backend.is_counted(ref.id):
            return backend, ref
        click.echo(f"Obs: {ref.name} ({ref.id}) {_why_not_counted(backend, ref, as_of)}; visas ändå.", err=True)
        return self.backend(None, True, embedded_only), ref


pass_app = click.make_pass_decorator(App)


@click.group(cls=SamverkanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--registry",
    "registry_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SAMVERKAN_REGISTRY",
    help="Registry directory (default: the bundled Malmö seed; env SAMVERKAN_REGISTRY).",
)
@click.option(
    "--backend",
    type=click.Choice(["embedded", "neo4j"]),
    default="embedded",
    envvar="SAMVERKAN_BACKEND",
    show_default=True,
    help="Var grafen finns: inbyggd (networkx) eller en Neo4j-server (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD).",
)
@click.version_option(package_name="samverkan")
@click.pass_context
def cli(ctx: click.Context, registry_dir: Path | None, backend: str) -> None:
    """samverkan: Malmö stads samverkansstrukturer som register och graf.

    \b
    Exempel:
      samverkan who SBUM
      samverkan where "Arbetsmarknads- och socialnämnden"
      samverkan path Polisen Fritidsnämnden
      samverkan validate
    """
    ctx.obj = App(registry_dir, backend)


# ---- shared options -------------------------------------------------------------------------


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def graph_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of and --include-proposed: what the graph counts."""
    func = click.option("--include-proposed", is_flag=True, help="Räkna även föreslagna strukturer och relationer.")(
        func
    )
    return click.option(
        "--as-of", callback=_parse_day, metavar="ÅÅÅÅ-MM-DD", help="Räkna bara det som gällde detta datum."
    )(func)


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--json and --csv for listings."""
    func = click.option("--csv", "as_csv_", is_flag=True, help="Skriv ut som CSV.")(func)
    return click.option("--json", "as_json_", is_flag=True, help="Skriv ut som JSON.")(func)


def _why_not_counted(backend: QueryBackend, ref: EntityRef, as_of: Any) -> str:
    status = backend.status_of(ref.id)  # type: ignore[attr-defined]
    if status == "föreslagen":
        return "är föreslagen och räknas bara med --include-proposed"
    if as_of:
        return f"gällde inte den {as_of.isoformat()}"
    return f"är {status} och räknas inte med dessa filter"


def _resolve_counted(backend: QueryBackend, name: str, as_of: Any) -> EntityRef:
    """The entity a name refers to, or an explanation of why the filters leave it out (for
    names that select what is counted, such as an area filter, rather than name a subject)."""
    ref = backend.resolve(name)
    if not backend.is_counted(ref.id):
        raise UserError(f"{ref.name} ({ref.id}) {_why_not_counted(backend, ref, as_of)}")
    return ref


# ---- commands -------------------------------------------------------------------------------


@cli.command("list")
@click.option("--kind", help="Bara entiteter av denna typ (t.ex. nämnd, samverkansforum).")
@graph_options
@output_options
@pass_app
def list_cmd(app: App, kind: str | None, as_of: Any, include_proposed: bool, as_json_: bool, as_csv_: bool) -> None:
    """Lista alla entiteter.

    \b
    Exempel:
      samverkan list --kind nämnd
      samverkan list --json
    """
    if kind is not None:
        from samverkan.registry.vocabulary import Kind

        if kind not in {k.value for k in Kind}:
            raise click.BadParameter(
                f"okänd typ {kind!r}; välj bland: " + ", ".join(k.value for k in Kind), param_hint="--kind"
            )
    rows = app.backend(as_of, include_proposed).list_entities(kind)
    if as_json_:
        click.echo(as_json({"results": rows}))
    elif as_csv_:
        click.echo(
            as_csv(
                ["id", "name", "kind", "aliases"],
                [[r["id"], r["name"], r["kind"], "; ".join(r["aliases"])] for r in rows],
            )
        )
    else:
        click.echo(table(["id", "namn", "typ"], [[r["id"], r["name"], r["kind"]] for r in rows]))


def _participation_output(entity: EntityRef, rows: list[Row], heading: str, as_json_: bool, as_csv_: bool) -> None:
    if as_json_:
        click.echo(as_json({"entity": entity.to_dict(), "results": [r.to_dict() for r in rows]}))
        return
    with_via = any(r.via for r in rows)
    if as_csv_:
        header = ["id", "name", "kind", "role", "status"] + (["via"] if with_via else [])
        click.echo(
            as_csv(
                header,
                [
                    [r.id, r.name, r.kind, r.role, r.status] + ([r.via.id if r.via else ""] if with_via else [])
                    for r in rows
                ],
            )
        )
        return
    click.echo(f"{heading} {entity.name} ({entity.kind}, {entity.id}):")
    if not rows:
        click.echo("  (inga registrerade)")
        return
    header = ["namn", "typ", "roll", "status"] + (["via"] if with_via else [])
    click.echo(
        table(
            header,
            [[r.name, r.kind, r.role, r.status] + ([r.via.name if r.via else ""] if with_via else []) for r in rows],
        )
    )


@cli.command()
@click.argument("name")
@click.option("--include-parts", is_flag=True, help="Ta med deltagare i delar (underforum).")
@graph_options
@output_options
@pass_app
def who(
    app: App,
    name: str,
    include_parts: bool,
    as_of: Any,
    include_proposed: bool,
    as_json_: bool,
    as_csv_: bool,
) -> None:
    """Vilka deltar i ett forum eller en process, och i vilken roll.

    \b
    Exempel:
      samverkan who SBUM
      samverkan who "communities that care" --json
    """
    backend, entity = app.lookup(name, as_of, include_proposed)
    rows = backend.who(entity.id, include_parts=include_parts)
    _participation_output(entity, rows, "Deltagare i", as_json_, as_csv_)


@cli.command()
@click.argument("name")
@click.option("--include-parts", is_flag=True, help="Ta med delarnas deltagande (t.ex. förvaltningen).")
@graph_options
@output_options
@pass_app
def where(
    app: App,
    name: str,
    include_parts: bool,
    as_of: Any,
    include_proposed: bool,
    as_json_: bool,
    as_csv_: bool,
) -> None:
    """I vilka forum och processer en aktör deltar, och i vilken roll.

    \b
    Exempel:
      samverkan where Polisen
      samverkan where ASN --include-parts
    """
    backend, entity = app.lookup(name, as_of, include_proposed)
    rows = backend.where(entity.id, include_parts=include_parts)
    _participation_output(entity, rows, "Deltagande för", as_json_, as_csv_)


@cli.command()
@click.argument("name")
@graph_options
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut som JSON.")
@pass_app
def show(app: App, name: str, as_of: Any, include_proposed: bool, as_json_: bool) -> None:
    """Visa en entitet med dess relationer och källor.

    \b
    Exempel:
      samverkan show SBUM
      samverkan show "orat mot marken" --json
    """
    backend, entity = app.lookup(name, as_of, include_proposed)
    data = backend.show(entity.id)
    if as_json_:
        click.echo(as_json(data))
        return
    from .render_show import render_show

    click.echo(render_show(data))


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--limit",
    default=10,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Högst så många kortaste vägar.",
)
@graph_options
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut som JSON.")
@pass_app
def path(app: App, source: str, target: str, limit: int, as_of: Any, include_proposed: bool, as_json_: bool) -> None:
    """Hur två entiteter hänger ihop: kortaste vägar via deltagande, mandat och delar.

    \b
    Exempel:
      samverkan path Polisen Fritidsnämnden
      samverkan path ASN "Region Skåne" --json
    """
    backend, a = app.lookup(source, as_of, include_proposed)
    b = _resolve_counted(backend, target, as_of)
    result = backend.paths(a.id, b.id, limit=limit)
    if as_json_:
        click.echo(as_json(result.to_dict()))
        return
    from .render_show import render_paths

    click.echo(render_paths(result))
    if not result.paths and a.id != b.id:
        raise UserError(f"ingen väg mellan {a.name} och {b.name}")


@cli.command()
@click.option("--consultation", help="Bara denna remiss (namn eller id).")
@click.option("--question", help="Bara denna fråga (id inom remissen, t.ex. 4 eller tabell).")
@graph_options
@output_options
@pass_app
def positions(
    app: App,
    consultation: str | None,
    question: str | None,
    as_of: Any,
    include_proposed: bool,
    as_json_: bool,
    as_csv_: bool,
) -> None:
    """Remissinstansernas svar: vem som svarade vad på vilken fråga.

    \b
    Exempel:
      samverkan positions --consultation remiss-lokal-utveckling-2024 --question tabell
      samverkan positions --json
    """
    backend = app.backend(as_of, include_proposed)
    cid = backend.resolve(consultation).id if consultation else None
    rows = backend.positions(cid, question)
    if as_json_:
        click.echo(as_json({"results": rows}))
        return

    def ids(refs: list[dict[str, str]]) -> str:
        return "; ".join(r["id"] for r in refs)

    if as_csv_:
        click.echo(
            as_csv(
                ["respondent", "consultation", "question", "stance", "proposes", "concerns", "text", "jointly"],
                [
                    [
                        r["respondent"]["id"],
                        r["consultation"]["id"],
                        (r["question"] or {}).get("id", ""),
                        r["stance"],
                        ids(r["proposes"]),
                        ids(r["concerns"]),
                        r["text"] or "",
                        ids(r["jointly"]),
                    ]
                    for r in rows
                ],
            )
        )
        return
    click.echo(
        table(
            ["remiss", "fråga", "remissinstans", "hållning", "föreslår", "gäller"],
            [
                [
                    r["consultation"]["id"],
                    (r["question"] or {}).get("id", "–"),
                    r["respondent"]["name"],
                    r["stance"],
                    "; ".join(
                        [p["name"] for p in r["proposes"]]
                        + ([" och ".join(p["name"] for p in r["jointly"])] if r["jointly"] else [])
                    ),
                    ", ".join(p["name"] for p in r["concerns"]),
                ]
                for r in rows
            ],
        )
    )


@cli.command()
@output_options
@pass_app
def sources(app: App, as_json_: bool, as_csv_: bool) -> None:
    """Källdokumenten och hur många entiteter och relationer som citerar vart och ett.

    \b
    Exempel:
      samverkan sources
      samverkan sources --json
    """
    rows = app.backend(include_proposed=True, embedded_only=True).sources()
    if as_json_:
        click.echo(as_json({"results": rows}))
        return
    header = ["id", "name", "file", "entities", "relations"]
    values = [[r[k] for k in header] for r in rows]
    if as_csv_:
        click.echo(as_csv(header, values))
    else:
        click.echo(table(["id", "namn", "fil", "entiteter", "relationer"], values))


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut problemen som JSON.")
@click.option("--strict", is_flag=True, help="Räkna varningar som fel (slutkod 1).")
@pass_app
def validate(app: App, directory: Path | None, as_json_: bool, strict: bool) -> None:
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
    from samverkan.registry.validate import validate_path

    root = directory or app.registry_dir
    registry, found = validate_path(root, warnings=True)
    problems = [p for p in found if not p.warning]
    warnings = [p for p in found if p.warning]
    relations = sum(len(e.relations) for e in registry)
    if as_json_:
        click.echo(
            as_json(
                {
                    "entities": len(registry),
                    "relations": relations,
                    "problems": [p.as_dict() for p in problems],
                    "warnings": [p.as_dict() for p in warnings],
                }
            )
        )
    else:
        for problem in problems + warnings:
            click.echo(str(problem))
        if problems:
            files = len({p.path for p in problems})
            click.echo(f"{len(problems)} problem i {files} filer.", err=True)
        else:
            click.echo(f"Registret är giltigt: {len(registry)} entiteter, {relations} relationer.")
        if warnings:
            files = len({p.path for p in warnings})
            click.echo(f"{len(warnings)} varningar i {files} filer.", err=True)
    if problems or (strict and warnings):
        raise SystemExit(1)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Ändra inget; slutkod 1 om någon fil inte är kanonisk.")
@pass_app
def fmt(app: App, directory: Path | None, check: bool) -> None:
    """Skriv om registrets filer i kanonisk form och fyll i sidnummer för citaten.

    \b
    Exempel:
      samverkan fmt --check
    """
    from samverkan.registry.format import format_registry

    root = directory or app.registry_dir
    changed = format_registry(root, write=not check)
    for rel in changed:
        click.echo(rel)
    if check and changed:
        raise UserError(f"{len(changed)} filer är inte i kanonisk form; kör 'samverkan fmt'")
    if not check:
        click.echo(f"{len(changed)} filer omskrivna.", err=True)


CLASS_LABELS = {"duplication": "dubblering", "overlap": "överlappning", "fragmentation": "fragmentering"}


@cli.command()
@click.option("--top", default=20, show_default=True, type=click.IntRange(1), help="Visa så många par.")
@click.option(
    "--min-score",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Bara par med minst detta poängtal.",
)
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
    show_default=True,
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
    as_of: Any,
    include_proposed: bool,
    as_json_: bool,
    as_csv_: bool,
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
    backend = app.backend(as_of, include_proposed)
    area_id = backend.resolve(area).id if area else None
    theme_id = backend.resolve(theme).id if theme else None
    if kinds:
        from samverkan.registry.vocabulary import STRUCTURE_KINDS

        unknown = sorted(set(kinds) - {k.value for k in STRUCTURE_KINDS})
        if unknown:
            raise click.BadParameter(f"okänd strukturtyp: {', '.join(unknown)}", param_hint="--kind")
    from samverkan.registry.reviews import apply_reviews, suppressed_count

    reviews = app.reviews()
    rows = backend.overlaps(
        kinds=list(kinds) or None,
        measure=measure,
        top=top + suppressed_count(reviews, "överlapp"),
        min_score=min_score,
        area=area_id,
        theme=theme_id,
    )
    rows = apply_reviews(rows, reviews, "överlapp")[:top]
    if as_json_:
        click.echo(as_json({"results": rows}))
    elif as_csv_:
        click.echo(
            as_csv(
                ["a", "b", "score", "class", "reasons"],
                [[r["a"]["id"], r["b"]["id"], r["score"], r["class"], "; ".join(r["reasons"])] for r in rows],
            )
        )
    else:
        from samverkan.cli.render_show import render_overlap

        if not rows:
            click.echo("Inga överlappande strukturer med dessa filter.")
        for n, r in enumerate(rows, 1):
            click.echo(render_overlap(n, r, CLASS_LABELS[r["class"]]))
            if r["review"]:
                click.echo(f"   Bedömt: {_judgement(r['review'])}")


@cli.command()
@click.option("--structure", help="Bara uttalanden som nämner denna struktur.")
@click.option("--speaker", help="Bara uttalanden av denna aktör.")
@click.option("--as-of", callback=_parse_day, metavar="ÅÅÅÅ-MM-DD", help="Räkna bara det som gällde detta datum.")
@output_options
@pass_app
def warnings(app: App, structure: str | None, speaker: str | None, as_of: Any, as_json_: bool, as_csv_: bool) -> None:
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
    from samverkan.cli.render_show import render_warning

    backend = app.backend(as_of, include_proposed=True)
    structure_id = backend.resolve(structure).id if structure else None
    speaker_id = backend.resolve(speaker).id if speaker else None
    rows = backend.warnings(structure_id, speaker_id)
    if as_json_:
        click.echo(as_json({"results": rows}))
    elif as_csv_:
        click.echo(
            as_csv(
                ["structures", "existing_structures", "speaker", "kind", "source", "page", "quote"],
                [
                    [
                        "; ".join(s["id"] for s in r["structures"]),
                        "ja" if r["existing_structures"] else "",
                        v["speaker"]["id"],
                        v["kind"],
                        ev["source"],
                        ev.get("page") or "",
                        ev["quote"],
                    ]
                    for r in rows
                    for v in r["voices"]
                    for ev in v["evidence"]
                ],
            )
        )
    else:
        if not rows:
            click.echo("Inga uttalanden om överlapp med dessa filter.")
        for n, r in enumerate(rows, 1):
            click.echo(render_warning(n, r))


@cli.command()
@click.option(
    "--min-confidence",
    default=0.75,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Visa bara förslag med minst denna säkerhet.",
)
@output_options
@pass_app
def duplicates(app: App, min_confidence: float, as_json_: bool, as_csv_: bool) -> None:
    """Entiteter som troligen har registrerats två gånger under olika namn.

    Namnen jämförs på svenskt sätt (skiftläge, å ä ö, småord och förkortningar) och
    likheten i grafen (samma deltagare, samma forum) höjer säkerheten. Granska och slå
    samman med `samverkan merge`.

    \b
    Exempel:
      samverkan duplicates
      samverkan duplicates --min-confidence 0.6 --json
    """
    rows = app.backend(include_proposed=True, embedded_only=True).duplicates(min_confidence=min_confidence)
    from samverkan.registry.reviews import apply_reviews

    rows = apply_reviews(rows, app.reviews(), "dubblett")
    if as_json_:
        click.echo(as_json({"results": rows}))
    elif as_csv_:
        click.echo(
            as_csv(
                ["a", "b", "confidence", "reasons"],
                [[r["a"]["id"], r["b"]["id"], r["confidence"], "; ".join(r["reasons"])] for r in rows],
            )
        )
    else:
        if not rows:
            click.echo("Inga troliga dubbletter.")
        for r in rows:
            click.echo(
                f"{r['a']['name']} [{r['a']['id']}] ≈ {r['b']['name']} [{r['b']['id']}]  "
                f"(säkerhet {r['confidence']:.2f})"
            )
            for reason in r["reasons"]:
                click.echo(f"   – {reason}")
            if r["review"]:
                click.echo(f"   Bedömt: {_judgement(r['review'])}")


def _judgement(review: dict[str, Any]) -> str:
    why = f": {review['why']}" if review.get("why") else ""
    return f"{review['verdict'].replace('_', ' ')} ({review['by']}, {review['date']}){why}"


REVIEW_VERDICTS = {
    "överlapp": {"bekräftad": "bekräftad_parallell", "inte": "inte_parallell", "osäker": "osäker"},
    "dubblett": {"samma": "samma", "inte": "inte_samma", "osäker": "osäker"},
}


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut bedömningarna som JSON.")
@click.pass_context
def review(ctx: click.Context, as_json_: bool) -> None:
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
    rows = [r.to_dict() for r in sorted(app.reviews().values(), key=lambda r: r.id)]
    if as_json_:
        click.echo(as_json({"results": rows}))
        return
    if not rows:
        click.echo("Inga bedömningar ännu.")
    for r in rows:
        click.echo(f"{r['subject']}: {r['pair'][0]} ↔ {r['pair'][1]}  {_judgement(r)}")


def _review_command(subject: str, english: str) -> None:
    @review.command(english)
    @click.argument("first")
    @click.argument("second")
    @click.option("--verdict", required=True, type=click.Choice(list(REVIEW_VERDICTS[subject])), help="Bedömningen.")
    @click.option("--by", "by", required=True, help="Vem som bedömer (namn eller roll).")
    @click.option("--why", help="Varför, med egna ord.")
    @click.option("--date", "on", callback=_parse_day, metavar="ÅÅÅÅ-MM-DD", help="Datum (standard: i dag).")
    @click.option("--json", "as_json_", is_flag=True, help="Skriv ut bedömningen som JSON.")
    @pass_app
    def judge(
        app: App, first: str, second: str, verdict: str, by: str, why: str | None, on: Any, as_json_: bool
    ) -> None:
        from datetime import date

        from samverkan.registry.reviews import record_judgement

        backend = app.backend(include_proposed=True)
        a, b = backend.resolve(first), backend.resolve(second)
        if a.id == b.id:
            raise UserError(f"{a.name} och {b.name} är samma entitet ({a.id})")
        saved = record_judgement(
            app.registry_dir, subject, a.id, b.id, REVIEW_VERDICTS[subject][verdict], by, why, on or date.today()
        )
        data = saved.to_dict()
        if as_json_:
            click.echo(as_json(data))
        else:
            click.echo(f"Sparat i reviews/{saved.id}.yaml: {a.name} ↔ {b.name}  {_judgement(data)}")

    judge.__doc__ = f"Bedöm ett par ({subject}): ange två namn eller id och en bedömning."


_review_command("överlapp", "overlap")
_review_command("dubblett", "duplicate")


GAP_CHOICES = [
    "no_owner",
    "contested_coordinator",
    "lapsed_mandate",
    "parallel_coordinator",
    "civil_society_missing",
]


@cli.command()
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(GAP_CHOICES),
    help="Bara denna sorts lucka (kan upprepas).",
)
@graph_options
@output_options
@pass_app
def gaps(app: App, types: tuple[str, ...], as_of: Any, include_proposed: bool, as_json_: bool, as_csv_: bool) -> None:
    """Luckor som remissinstanserna bad om klarhet i: mandat, samordning och uppföljning.

    Strukturer utan ägare eller mandat, omstridd samordning, mandat som löpt ut medan arbetet
    fortsätter, aktörer som samordnar parallella strukturer, och strukturer där civilsamhället
    sägs vara centralt men inte deltar.

    \b
    Exempel:
      samverkan gaps --include-proposed
      samverkan gaps --type contested_coordinator --json
    """
    from samverkan.graphs.analysis.gaps import GAP_TYPES

    rows = app.backend(as_of, include_proposed, embedded_only=True).gaps(today=as_of, types=list(types) or None)
    if as_json_:
        click.echo(as_json({"results": rows}))
    elif as_csv_:
        click.echo(
            as_csv(["type", "subject", "message"], [[r["type"], r["subject"]["id"], r["message"]] for r in rows])
        )
    else:
        current = None
        for r in rows:
            if r["type"] != current:
                current = r["type"]
                count = sum(1 for x in rows if x["type"] == current)
                click.echo(f"{GAP_TYPES[current].capitalize()} ({count}):")
            click.echo(f"  – {r['message']}")
        if not rows:
            click.echo("Inga luckor med dessa filter.")


@cli.command()
@click.option("--top", default=15, show_default=True, type=click.IntRange(1), help="Visa så många av varje.")
@graph_options
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut som JSON.")
@pass_app
def stats(app: App, top: int, as_of: Any, include_proposed: bool, as_json_: bool) -> None:
    """Mäklare i nätverket: aktörer som binder ihop flest andra, och strukturer som förenar grupper.

    \b
    Exempel:
      samverkan stats
      samverkan stats --top 5 --json
    """
    data = app.backend(as_of, include_proposed, embedded_only=True).stats(top=top)
    if as_json_:
        click.echo(as_json(data))
        return
    click.echo("Aktörer (betweenness i aktörsnätverket):")
    click.echo(
        table(
            ["namn", "typ", "strukturer", "kontakter", "betweenness"],
            [[r["name"], r["kind"], r["structures"], r["degree"], f"{r['betweenness']:.3f}"] for r in data["actors"]],
        )
    )
    click.echo("")
    click.echo("Strukturer som förenar annars åtskilda grupper:")
    click.echo(
        table(
            ["namn", "typ", "deltagare", "grupper", "betweenness"],
            [
                [r["name"], r["kind"], r["participants"], r["connects_groups"], f"{r['betweenness']:.3f}"]
                for r in data["structures"]
            ],
        )
    )


VIEW_TITLES = {
    "full": "Hela samverkansstrukturen",
    "ego": "Kring {focus}",
    "bipartite": "Aktörer och forum",
    "overlaps": "Parallella strukturer",
    "area": "Samverkan i {area}",
}


@cli.command()
@click.argument("view", type=click.Choice(list(VIEW_TITLES)))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="HTML-filen som skrivs.",
)
@click.option("--focus", help="Aktör eller forum i mitten (vyn ego).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 6), help="Antal steg från fokus.")
@click.option("--area", help="Område (vyn area, eller filter för de andra).")
@click.option("--theme", help="Bara det som arbetar med detta tema, och dess deltagare.")
@click.option("--kind", "kinds", multiple=True, help="Bara noder av denna typ (kan upprepas).")
@click.option("--top", default=60, show_default=True, type=click.IntRange(1), help="Antal par i vyn overlaps.")
@graph_options
@pass_app
def render(
    app: App,
    view: str,
    output: Path,
    focus: str | None,
    depth: int,
    area: str | None,
    theme: str | None,
    kinds: tuple[str, ...],
    top: int,
    as_of: Any,
    include_proposed: bool,
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
    from samverkan.graphs.presentation.views import build_view
    from samverkan.registry.store import write_atomic

    if view == "ego" and not focus:
        raise click.UsageError("vyn ego behöver --focus")
    if view == "area" and not area:
        raise click.UsageError("vyn area behöver --area")
    backend = app.backend(as_of, include_proposed, embedded_only=True)
    focus_ref = None
    if focus:
        backend, focus_ref = app.lookup(focus, as_of, include_proposed, embedded_only=True)
    area_ref = _resolve_counted(backend, area, as_of) if area else None
    theme_ref = _resolve_counted(backend, theme, as_of) if theme else None
    title = VIEW_TITLES[view].format(focus=focus_ref.name if focus_ref else "", area=area_ref.name if area_ref else "")
    built = build_view(
        backend.graph,
        view,
        title=title,
        focus=focus_ref.id if focus_ref else None,  # type: ignore[attr-defined]
        depth=depth,
        area=area_ref.id if area_ref else None,
        theme=theme_ref.id if theme_ref else None,
        kinds=list(kinds) or None,
        top=top,
    )
    filters = [
        f"per {as_of.isoformat()}" if as_of else "",
        "inklusive föreslagna" if include_proposed else "",
    ]
    write_atomic(output, view_html(built, subtitle=" ".join(f for f in filters if f)))
    click.echo(f"{output}: {len(built.nodes)} noder, {len(built.edges)} kanter.")


@cli.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Filen som skrivs (HTML, eller PDF med --pdf).",
)
@click.option("--pdf", "as_pdf", is_flag=True, help="Skriv en PDF med headless Chromium i stället för HTML.")
@click.option("--title", default="Samverkansstrukturen – rapport", show_default=True, help="Rapportens rubrik.")
@click.option("--process", help="Processen vars mandat visas över tid (standard: den med flest beslut och mandat).")
@click.option("--top", default=15, show_default=True, type=click.IntRange(1), help="Antal parallella strukturer.")
@click.option("--as-of", callback=_parse_day, metavar="ÅÅÅÅ-MM-DD", help="Räkna bara det som gällde detta datum.")
@click.option(
    "--include-proposed/--exclude-proposed",
    default=True,
    show_default=True,
    help="Ta med föreslagna strukturer (remissvaren handlar om dem).",
)
@pass_app
def report(
    app: App,
    output: Path,
    as_pdf: bool,
    title: str,
    process: str | None,
    top: int,
    as_of: Any,
    include_proposed: bool,
) -> None:
    """Skriv en fristående rapport för nämnd eller stadskontor (HTML, eller PDF med --pdf).

    Innehåll: registrets innehåll och källor, de parallella strukturerna med skäl, luckorna,
    remissvaren som matris (med tabellen över samordningsansvar), mandatets historia och
    nätverket. Utskriftsvänlig: "skriv ut till PDF" ger ett rent dokument.

    \b
    Exempel:
      samverkan report -o rapport.html
      samverkan report --pdf -o rapport.pdf
    """
    import tempfile

    from samverkan.graphs.presentation.html import report_html
    from samverkan.graphs.presentation.report import build_report
    from samverkan.registry.store import write_atomic

    backend = app.backend(as_of, include_proposed, embedded_only=True)
    process_id = _resolve_counted(backend, process, as_of).id if process else None
    data = build_report(backend, process=process_id, top=top)
    subtitle = f"Läget per {as_of.isoformat()}." if as_of else ""
    page = report_html(data, title=title, subtitle=subtitle)
    if as_pdf:
        from samverkan.graphs.presentation.pdf import print_to_pdf

        with tempfile.TemporaryDirectory() as tmp:
            html = Path(tmp) / "rapport.html"
            html.write_text(page, encoding="utf-8")
            print_to_pdf(html, output)
    else:
        write_atomic(output, page)
    click.echo(f"{output}: rapport skriven.")


@cli.command()
@click.argument("keep")
@click.argument("retire")
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle ändras, men ändra inget.")
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut planen som JSON.")
@click.option("--by", default="samverkan merge", show_default=True, help="Vem som bedömer att de är samma.")
@click.option("--why", help="Varför de är samma, med egna ord.")
@pass_app
def merge(app: App, keep: str, retire: str, dry_run: bool, as_json_: bool, by: str, why: str | None) -> None:
    """Slå samman två entiteter som är samma: RETIRE går upp i KEEP.

    RETIRE:s namn och id blir alias för KEEP, dess källor och relationer flyttas över och alla
    hänvisningar till den skrivs om. Sammanslagningen sparas som bedömningen "samma" i
    reviews/ (se `samverkan review`). Antingen ändras alla filer eller ingen.

    \b
    Exempel:
      samverkan merge sbum samverkan-för-barn-och-unga --dry-run
    """
    from samverkan.registry.merge import apply_plan, plan_merge
    from samverkan.registry.resolve import NameIndex

    registry = app.load()
    index = NameIndex.build((e.id, e.all_names()) for e in registry)
    plan = plan_merge(registry, index.resolve(keep), index.resolve(retire), judged_by=by, why=why)
    if not dry_run:
        try:
            apply_plan(plan)
        except OSError as exc:
            raise UserError(f"sammanslagningen avbröts och inget ändrades: {exc}") from None
    if as_json_:
        click.echo(as_json({**plan.summary(), "applied": not dry_run}))
        return
    verb = "skulle ändra" if dry_run else "ändrade"
    click.echo(
        f"{plan.retire} → {plan.keep}: {plan.moved_relations} relationer flyttas, "
        f"{len(plan.rewritten)} hänvisningar skrivs om."
    )
    for change in plan.changes:
        action = "tas bort" if change.new is None else "skrivs om"
        click.echo(f"  {change.path.relative_to(app.registry_dir)} {action}")
    click.echo(f"Klart: {verb} {len(plan.changes)} filer.")


@cli.group()
def neo4j() -> None:
    """Neo4j: synka registret till en Neo4j-server och hämta tillbaka det.

    \b
    Exempel:
      samverkan neo4j sync --uri bolt://127.0.0.1:17687 --dry-run
      samverkan neo4j pull -o kopia/
    """


def neo4j_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Connection flags; the environment fills in what is not given."""
    for option in reversed(
        [
            click.option("--uri", help="Bolt-adress (annars NEO4J_URI)."),
            click.option("--user", help="Användare (annars NEO4J_USER, eller neo4j)."),
            click.option(
                "--password-env",
                default="NEO4J_PASSWORD",
                show_default=True,
                help="Miljövariabeln som håller lösenordet.",
            ),
            click.option("--database", help="Databas (annars NEO4J_DATABASE, eller neo4j)."),
        ]
    ):
        func = option(func)
    return func


@neo4j.command("sync")
@neo4j_options
@click.option("--dry-run", is_flag=True, help="Visa planen men skriv inget.")
@click.option("--prune", is_flag=True, help="Ta bort det som databasen har men registret inte har.")
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(1), help="Rader per transaktion.")
@pass_app
def neo4j_sync(
    app: App,
    uri: str | None,
    user: str | None,
    password_env: str,
    database: str | None,
    dry_run: bool,
    prune: bool,
    batch: int,
) -> None:
    """Synka registret till Neo4j: bara det som skiljer skrivs, i transaktioner av begränsad storlek.

    En andra synk ändrar ingenting. Noder och relationer som databasen har men registret inte har
    tas bort bara med --prune.

    \b
    Exempel:
      samverkan neo4j sync --uri bolt://127.0.0.1:17687 --dry-run
      samverkan neo4j sync --prune
    """
    import sys

    from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, connect, translate
    from samverkan.graphs.backends.neo4j_sync import apply_plan, plan_sync, read_state

    registry = app.load()
    settings = Neo4jSettings.resolve(uri, user, password_env, database)
    driver = connect(settings)
    try:
        plan = plan_sync(registry, read_state(driver, settings.database), prune)
        summary = plan.summary()
        click.echo(
            f"Noder: {summary['create_nodes']} nya, {summary['update_nodes']} ändrade, "
            f"{summary['delete_nodes']} tas bort. Relationer: {summary['create_rels']} nya, "
            f"{summary['update_rels']} ändrade, {summary['delete_rels']} tas bort."
        )
        if plan.extra_nodes or plan.extra_rels:
            click.echo(
                f"I databasen men inte i registret (behålls utan --prune): {len(plan.extra_nodes)} noder, "
                f"{len(plan.extra_rels)} relationer."
            )
        if dry_run:
            _print_plan(plan)
        if dry_run or plan.is_empty:
            click.echo("Inget skrivet." if dry_run else "Databasen är redan i takt med registret.")
            return
        with click.progressbar(length=plan.steps, label="Synkar", file=sys.stderr) as bar:
            apply_plan(driver, settings.database, plan, batch, progress=bar.update)
        click.echo("Klart.")
    except click.ClickException:
        raise
    except Exception as exc:
        raise translate(exc, settings) from None
    finally:
        driver.close()


def _print_plan(plan: Any, limit: int = 10) -> None:
    """The first items of each part of a sync plan, for --dry-run."""
    parts = [
        ("ny nod", [r.id for r in plan.create_nodes]),
        ("ändrad nod", [r.id for r in plan.update_nodes]),
        ("borttagen nod", plan.delete_nodes),
        ("ny relation", [r.key for r in plan.create_rels]),
        ("ändrad relation", [r.key for r in plan.update_rels]),
        ("borttagen relation", plan.delete_rels),
    ]
    for label, items in parts:
        for item in items[:limit]:
            click.echo(f"  {label}: {item}")
        if len(items) > limit:
            click.echo(f"  … och {len(items) - limit} {label.split()[-1]}er till")


@neo4j.command("pull")
@neo4j_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Katalogen där registret skrivs.",
)
def neo4j_pull(uri: str | None, user: str | None, password_env: str, database: str | None, output: Path) -> None:
    """Skriv registret i Neo4j tillbaka till filer (samma byte som de som synkades).

    \b
    Exempel:
      samverkan neo4j pull -o kopia/
    """
    from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, connect, translate
    from samverkan.graphs.backends.neo4j_sync import pull

    if output.exists() and any(output.iterdir()):
        raise UserError(f"{output} är inte tom; välj en ny katalog")
    settings = Neo4jSettings.resolve(uri, user, password_env, database)
    driver = connect(settings)
    try:
        count = pull(driver, settings.database, output)
    except Exception as exc:
        raise translate(exc, settings) from None
    finally:
        driver.close()
    click.echo(f"{output}: {count} entiteter skrivna.")


from .site import site  # noqa: E402 - registered here, defined on its own

cli.add_command(site)


def main() -> None:
    cli(prog_name="samverkan")
