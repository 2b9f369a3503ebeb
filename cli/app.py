"""What every command shares: the main group, the `App` (registry and backend), the common options.

Commands live in modules by theme (`queries`, `analysis`, `views`, `editing`, `neo4j`) and are
registered on the group in `samverkan.cli.main`. Library modules are imported inside the
commands, so that `samverkan who SBUM` loads only what it needs.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from .registry_dir import RegistryDirError, check_registry_dir

if TYPE_CHECKING:
    from samverkan.registry.query import EntityRef, GraphBackend, QueryBackend
    from samverkan.registry.reviews import Review
    from samverkan.registry.store import Registry

__all__ = [
    "SHARE",
    "App",
    "Command",
    "Group",
    "UserError",
    "apply_plan_unless_dry_run",
    "as_of_option",
    "cli",
    "command",
    "graph_options",
    "group",
    "json_option",
    "output_options",
    "output_path_option",
    "parse_day",
    "pass_app",
    "persons_option",
    "proposed_options",
]

B = TypeVar("B", bound="QueryBackend")


class UserError(click.ClickException):
    """A data problem or failed lookup: one line on stderr, exit code 1, no traceback."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"Fel: {self.format_message()}", err=True)


# click's own words, as officials read them: (English, Swedish), replaced in this order
_CLICK_WORDS = [
    ("No such option", "Okänd flagga"),
    ("No such command", "Okänt kommando"),
    ("Did you mean one of:", "Menade du någon av:"),
    ("Did you mean", "Menade du"),
    ("Missing argument", "Argumentet saknas:"),
    ("Missing option", "Flaggan saknas:"),
    ("Missing command.", "Kommando saknas."),
    ("Invalid value for", "Ogiltigt värde för"),
    ("Got unexpected extra arguments", "Oväntade extra argument"),
    ("Got unexpected extra argument", "Oväntat extra argument"),
    ("requires an argument.", "behöver ett värde."),
    ("does not take a value.", "tar inget värde."),
    ("is not one of", "är inte något av"),
    ("is not a valid integer range.", "är inget heltal i intervallet."),
    ("is not a valid float range.", "är inget tal i intervallet."),
    ("is not a valid integer.", "är inget heltal."),
    ("is not a valid float.", "är inget tal."),
    ("is not in the range", "ligger inte i intervallet"),
    ("does not exist.", "finns inte."),
    ("is a directory.", "är en katalog."),
    ("is a file.", "är en fil."),
    ("Show this message and exit.", "Visa den här hjälpen och avsluta."),
    ("Show the version and exit.", "Visa versionen och avsluta."),
    ("[default: ", "[standard: "),
    ("; default: ", "; standard: "),
    ("[required]", "[krävs]"),
    ("INTEGER RANGE", "HELTAL"),
    ("FLOAT RANGE", "TAL"),
    ("INTEGER", "HELTAL"),
    ("FLOAT", "TAL"),
    ("DIRECTORY", "KATALOG"),
    ("FILE", "FIL"),
    ("PATH", "SÖKVÄG"),
]


def apply_plan_unless_dry_run(apply: Callable[[Any], None], plan: Any, dry_run: bool, what: str) -> None:
    """Carry out a planned all-or-nothing write, unless it is a dry run; a failure says nothing changed."""
    if dry_run:
        return
    try:
        apply(plan)
    except OSError as exc:
        raise UserError(f"{what} avbröts och inget ändrades: {exc}") from None


def swedish(text: str) -> str:
    """click's built-in messages and help words in Swedish (our own texts are Swedish already).

    >>> swedish("No such option '--nope'.")
    "Okänd flagga '--nope'."
    """
    for english, translated in _CLICK_WORDS:
        text = text.replace(english, translated)
    return text


class SwedishFormatter(click.HelpFormatter):
    """Help pages with Swedish headings, usage line and click's own words."""

    HEADINGS: ClassVar[dict[str, str]] = {"Options": "Flaggor", "Commands": "Kommandon", "Arguments": "Argument"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[FLAGGOR]").replace("COMMAND [ARGS]...", "KOMMANDO [ARGUMENT]...")
        super().write_usage(prog, args, prefix="Användning: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(swedish(term), swedish(text)) for term, text in rows], col_max, col_spacing)


class SwedishContext(click.Context):
    formatter_class = SwedishFormatter


class _Swedish:
    """What every samverkan command and group shares: Swedish help."""

    context_class: type[click.Context] = SwedishContext


class Command(_Swedish, click.Command):
    """A samverkan command: help in Swedish."""


class Group(_Swedish, click.Group):
    """A samverkan group of commands: help in Swedish, and so are its commands'."""

    command_class = Command
    group_class = type


def command(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Command]:
    """`click.command` for samverkan: help in Swedish."""
    return click.command(name, cls=Command, **attrs)


def group(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Group]:
    """`click.group` for samverkan: help in Swedish."""
    return click.group(name, cls=Group, **attrs)


class SwedishUsageError(click.UsageError):
    """A usage error (exit code 2) shown like the others: usage, a hint, then "Fel: …", in Swedish."""

    def show(self, file: Any = None) -> None:
        if self.ctx is not None:
            hint = f"Se '{self.ctx.command_path} --help' för hjälp.\n"
            click.echo(f"{self.ctx.get_usage()}\n{hint}", err=True)
        click.echo(f"Fel: {swedish(self.format_message())}", err=True)


class SamverkanGroup(Group):
    """The main group. Turns the library's RegistryError into UserError at the edge, and only
    there, and shows click's usage errors in Swedish, prefixed "Fel:" like every other error."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            # a registry path that is none: one line, before anything is read
            raise SwedishUsageError(
                exc.format_message(), None if isinstance(exc, RegistryDirError) else exc.ctx
            ) from None

    def invoke(self, ctx: click.Context) -> Any:
        from samverkan.registry.errors import RegistryError

        try:
            return super().invoke(ctx)
        except RegistryError as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:  # a full disk, a vanished file: the user's world, not a bug
            from samverkan.registry.errors import describe_os_error

            raise UserError(describe_os_error(exc)) from None
        except click.UsageError as exc:
            if isinstance(exc, SwedishUsageError):
                raise
            raise SwedishUsageError(
                exc.format_message(), None if isinstance(exc, RegistryDirError) else exc.ctx
            ) from None


class App:
    """What every command shares: where the registry is, and which backend answers."""

    def __init__(self, registry_dir: Path | None, backend: str = "embedded") -> None:
        from samverkan.registry.folders import default_registry

        self.registry_dir = registry_dir or default_registry()
        self.backend_name = backend
        self.opened: dict[Path, Any] = {}  # indexes brought up to date by this command

    def ready(self, root: Path | None = None) -> Path:
        """The registry folder, refused if missing, after undoing (and reporting) a write that
        a killed command left half done."""
        from samverkan.registry.errors import RegistryError
        from samverkan.registry.journal import recover

        root = root or self.registry_dir
        if not root.is_dir():
            raise RegistryError(f"registerkatalogen {root} finns inte")
        recovery = recover(root)
        if recovery is not None:
            click.echo(f"Obs: {recovery.message()}.", err=True)
        return root

    def load(self) -> Registry:
        """The registry read from its files (never the index), refusing one with problems; for
        the commands that write."""
        from samverkan.registry.validate import open_registry

        return open_registry(self.ready())

    def backend(self, as_of: date | None = None, include_proposed: bool = False, persons: bool = False) -> QueryBackend:
        """The backend chosen with --backend, counting what the filters count (people only if asked)."""
        if self.backend_name == "neo4j":
            from samverkan.graphs.backends.neo4j_backend import Neo4jBackend
            from samverkan.graphs.backends.neo4j_conn import Neo4jSettings

            return Neo4jBackend(Neo4jSettings.resolve(), _filters(as_of, include_proposed, persons))
        return self.graph_backend(as_of, include_proposed, persons)

    def graph_backend(
        self,
        as_of: date | None = None,
        include_proposed: bool = False,
        persons: bool = False,
        registry: Registry | None = None,
    ) -> GraphBackend:
        """The whole graph in this process, for the commands that need all of it (views, report,
        duplicates, gaps, stats, sources); refused with --backend neo4j. `registry` when the
        command has loaded it already (site needs the source texts too)."""
        from samverkan.registry.errors import BackendUnavailableError

        if self.backend_name == "neo4j":
            raise BackendUnavailableError("det här kommandot finns bara för den inbyggda grafen (utan --backend neo4j)")
        filters = _filters(as_of, include_proposed, persons)
        if registry is not None:
            from samverkan.graphs.backends.embedded import EmbeddedBackend

            return EmbeddedBackend(registry, filters)
        root = self.ready()
        scan = None
        if root not in self.opened and os.environ.get("SAMVERKAN_CACHE") != "0":
            from samverkan.registry.index import early_scan, start_scan

            scan = early_scan(root) or start_scan(root)  # looks at the files while the code below is imported
        from samverkan.graphs.backends.indexed import embedded_backend

        return embedded_backend(root, filters, self.opened, scan)

    def file_backend(self, include_proposed: bool = False) -> GraphBackend:
        """The embedded backend over the registry read from its files, for commands that write."""
        from samverkan.graphs.backends.embedded import EmbeddedBackend

        return EmbeddedBackend(self.load(), _filters(None, include_proposed))

    def reviews(self) -> dict[str, Review]:
        """The analysts' judgements kept in the registry (none for a registry without them)."""
        from samverkan.registry.reviews import load_reviews

        return load_reviews(self.ready())[0]

    def lookup(
        self, name: str, as_of: date | None, include_proposed: bool, persons: bool = False
    ) -> tuple[QueryBackend, EntityRef]:
        """A backend for the filters, and the entity a name refers to (see `_lookup`)."""
        return _lookup(self.backend, name, as_of, include_proposed, persons)

    def lookup_in_graph(
        self, name: str, as_of: date | None, include_proposed: bool, persons: bool = False
    ) -> tuple[GraphBackend, EntityRef]:
        """Like `lookup`, over the whole graph."""
        return _lookup(self.graph_backend, name, as_of, include_proposed, persons)


def _filters(as_of: date | None, include_proposed: bool, persons: bool = False) -> Any:
    from samverkan.registry.query import Filters

    return Filters(as_of=as_of, include_proposed=include_proposed, include_persons=persons)


def _lookup(
    open_backend: Callable[[date | None, bool, bool], B],
    name: str,
    as_of: date | None,
    include_proposed: bool,
    persons: bool = False,
) -> tuple[B, EntityRef]:
    """A backend for the filters, and the entity a name refers to.

    Naming an entity is never refused: when the filters leave it out (a proposed structure
    without --include-proposed, one not valid on the --as-of day, a person without
    --include-persons: naming them is asking for them), the answer is given without those
    filters, and a line on standard error says so and why.
    """
    from samverkan.registry.query import not_counted_reason

    backend = open_backend(as_of, include_proposed, persons)
    ref = backend.resolve(name)
    if backend.is_counted(ref.id):
        return backend, ref
    if ref.kind == "person":
        reason = "är en person och visas bara när hen efterfrågas"
    else:
        reason = not_counted_reason(backend.status_of(ref.id), as_of)
    click.echo(f"Obs: {ref.name} ({ref.id}) {reason}; visas ändå.", err=True)
    return open_backend(None, True, True), ref


pass_app = click.make_pass_decorator(App)
CONTEXT = {"help_option_names": ["-h", "--help"], "show_default": True}  # for every command


@click.group(
    "samverkan", cls=SamverkanGroup, context_settings={"help_option_names": ["-h", "--help"], "show_default": True}
)
@click.option(
    "--registry",
    "registry_dir",
    type=click.Path(),
    callback=check_registry_dir,
    envvar="SAMVERKAN_REGISTRY",
    help="Registrets katalog (standard: det medföljande Malmöregistret; eller SAMVERKAN_REGISTRY).",
)
@click.option(
    "--backend",
    type=click.Choice(["embedded", "neo4j"]),
    default="embedded",
    envvar="SAMVERKAN_BACKEND",
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

F = TypeVar("F", bound=Callable[..., Any])


class _Share(click.FloatRange):
    """A number from 0 to 1; NaN is refused (every comparison with it is false, so a range lets it by)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} är inget tal; ange ett tal från 0 till 1", param, ctx)
        return number


SHARE = _Share(0, 1)


def parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A --as-of style option: an ISO date, or a usage error in Swedish."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def as_of_option(func: F) -> F:
    """--as-of: count only what was valid on a day."""
    return click.option(
        "--as-of", callback=parse_day, metavar="ÅÅÅÅ-MM-DD", help="Räkna bara det som gällde detta datum."
    )(func)


def proposed_options(func: F) -> F:
    """--as-of and --include-proposed: what the graph counts (all of `graph_options` but people,
    for `export`, which has people unless --no-persons)."""
    func = click.option("--include-proposed", is_flag=True, help="Räkna även föreslagna strukturer och relationer.")(
        func
    )
    return as_of_option(func)


def persons_option(func: F) -> F:
    """--include-persons: people are left out of what is listed and drawn unless asked for."""
    return click.option(
        "--include-persons",
        is_flag=True,
        help="Ta med personer (förtroendevalda och tjänstepersoner i sin tjänst); annars visas de inte.",
    )(func)


def graph_options(func: F) -> F:
    """--as-of, --include-proposed and --include-persons: what the graph counts."""
    return proposed_options(persons_option(func))


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--json and --csv for listings; the command receives them as `fmt` ("text", "json" or "csv")."""

    @functools.wraps(func)
    def with_format(*args: Any, as_json_: bool, as_csv_: bool, **kwargs: Any) -> Any:
        return func(*args, fmt="json" if as_json_ else "csv" if as_csv_ else "text", **kwargs)

    with_csv = click.option("--csv", "as_csv_", is_flag=True, help="Skriv ut som CSV.")(with_format)
    return click.option("--json", "as_json_", is_flag=True, help="Skriv ut som JSON.")(with_csv)


def output_path_option(help: str, directory: bool = False) -> Callable[[F], F]:
    """-o/--output: the file (or, with `directory`, the folder) a command writes."""
    path = click.Path(file_okay=not directory, dir_okay=directory, path_type=Path)
    return click.option("-o", "--output", required=True, type=path, help=help)


def json_option(help: str = "Skriv ut som JSON.") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--json alone, for results that have no table; the command receives `fmt` ("text" or "json")."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def with_format(*args: Any, as_json_: bool, **kwargs: Any) -> Any:
            return func(*args, fmt="json" if as_json_ else "text", **kwargs)

        return click.option("--json", "as_json_", is_flag=True, help=help)(with_format)

    return decorate
