"""What every command shares: the main group, the `App` (registry and backend), the common options.

Commands live in modules by theme (`queries`, `analysis`, `views`, `editing`, `neo4j`) and are
registered on the group in `samverkan.cli.main`. Library modules are imported inside the
commands, so that `samverkan who SBUM` loads only what it needs.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from samverkan.graphs.backends.embedded import EmbeddedBackend
    from samverkan.registry.query import EntityRef, QueryBackend
    from samverkan.registry.reviews import Review
    from samverkan.registry.store import Registry

__all__ = [
    "App",
    "UserError",
    "as_of_option",
    "cli",
    "graph_options",
    "json_option",
    "output_options",
    "parse_day",
    "pass_app",
]

B = TypeVar("B", bound="QueryBackend")


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
    """What every command shares: where the registry is, and which backend answers."""

    def __init__(self, registry_dir: Path | None, backend: str = "embedded") -> None:
        self.registry_dir = registry_dir or _default_registry()
        self.backend_name = backend

    def load(self) -> Registry:
        """The registry, refusing one with problems (validate lists them)."""
        from samverkan.registry.cache import open_registry

        return open_registry(self.registry_dir)

    def backend(self, as_of: date | None = None, include_proposed: bool = False) -> QueryBackend:
        """The backend chosen with --backend, counting what the filters count."""
        if self.backend_name == "neo4j":
            from samverkan.graphs.backends.neo4j_backend import Neo4jBackend
            from samverkan.graphs.backends.neo4j_conn import Neo4jSettings

            return Neo4jBackend(Neo4jSettings.resolve(), _filters(as_of, include_proposed))
        return self.graph_backend(as_of, include_proposed)

    def graph_backend(self, as_of: date | None = None, include_proposed: bool = False) -> EmbeddedBackend:
        """The whole graph in this process, for the commands that need all of it (views, report,
        duplicates, gaps, stats, sources); refused with --backend neo4j."""
        from samverkan.graphs.backends.embedded import EmbeddedBackend
        from samverkan.registry.errors import BackendUnavailableError

        if self.backend_name == "neo4j":
            raise BackendUnavailableError("det här kommandot finns bara för den inbyggda grafen (utan --backend neo4j)")
        return EmbeddedBackend(self.load(), _filters(as_of, include_proposed))

    def reviews(self) -> dict[str, Review]:
        """The analysts' judgements kept in the registry (none for a registry without them)."""
        from samverkan.registry.reviews import load_reviews

        return load_reviews(self.registry_dir)[0]

    def lookup(self, name: str, as_of: date | None, include_proposed: bool) -> tuple[QueryBackend, EntityRef]:
        """A backend for the filters, and the entity a name refers to (see `_lookup`)."""
        return _lookup(self.backend, name, as_of, include_proposed)

    def lookup_in_graph(
        self, name: str, as_of: date | None, include_proposed: bool
    ) -> tuple[EmbeddedBackend, EntityRef]:
        """Like `lookup`, over the whole graph."""
        return _lookup(self.graph_backend, name, as_of, include_proposed)


def _filters(as_of: date | None, include_proposed: bool) -> Any:
    from samverkan.registry.query import Filters

    return Filters(as_of=as_of, include_proposed=include_proposed)


def _lookup(
    open_backend: Callable[[date | None, bool], B], name: str, as_of: date | None, include_proposed: bool
) -> tuple[B, EntityRef]:
    """A backend for the filters, and the entity a name refers to.

    Naming an entity is never refused: when the filters leave it out (a proposed structure
    without --include-proposed, or one not valid on the --as-of day), the answer is given
    without those filters, and a line on standard error says so and why.
    """
    from samverkan.registry.query import not_counted_reason

    backend = open_backend(as_of, include_proposed)
    ref = backend.resolve(name)
    if backend.is_counted(ref.id):
        return backend, ref
    reason = not_counted_reason(backend.status_of(ref.id), as_of)
    click.echo(f"Obs: {ref.name} ({ref.id}) {reason}; visas ändå.", err=True)
    return open_backend(None, True), ref


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

F = TypeVar("F", bound=Callable[..., Any])


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


def graph_options(func: F) -> F:
    """--as-of and --include-proposed: what the graph counts."""
    func = click.option("--include-proposed", is_flag=True, help="Räkna även föreslagna strukturer och relationer.")(
        func
    )
    return as_of_option(func)


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--json and --csv for listings; the command receives them as `fmt` ("text", "json" or "csv")."""

    @functools.wraps(func)
    def with_format(*args: Any, as_json_: bool, as_csv_: bool, **kwargs: Any) -> Any:
        return func(*args, fmt="json" if as_json_ else "csv" if as_csv_ else "text", **kwargs)

    with_csv = click.option("--csv", "as_csv_", is_flag=True, help="Skriv ut som CSV.")(with_format)
    return click.option("--json", "as_json_", is_flag=True, help="Skriv ut som JSON.")(with_csv)


def json_option(help: str = "Skriv ut som JSON.") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--json alone, for results that have no table; the command receives `fmt` ("text" or "json")."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def with_format(*args: Any, as_json_: bool, **kwargs: Any) -> Any:
            return func(*args, fmt="json" if as_json_ else "text", **kwargs)

        return click.option("--json", "as_json_", is_flag=True, help=help)(with_format)

    return decorate
