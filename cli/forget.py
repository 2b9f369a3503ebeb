"""`samverkan forget`: remove a person and every mention of them (the right to erasure)."""

from __future__ import annotations

import click

from .app import App, apply_plan_unless_dry_run, command, pass_app
from .output import as_json

__all__ = ["COMMANDS", "forget_cmd"]


@command("forget")
@click.argument("name", metavar="NAMN")
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle tas bort, men ändra inget.")
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut vad som togs bort som JSON.")
@pass_app
def forget_cmd(app: App, name: str, dry_run: bool, as_json_: bool) -> None:
    """Glöm en person: ta bort personen och varje relation, citat och omnämnande av hen.

    Antingen ändras alla filer eller ingen. Relationer vars enda källa nämner personen tas bort;
    entiteter som blir utan källa listas. Källdokumentens text (allmänna handlingar) ändras inte,
    men de som fortfarande nämner personen listas.

    \b
    Exempel:
      samverkan forget "Anna Andersson" --dry-run
      samverkan forget anna-andersson
    """
    from samverkan.registry.forget import apply_forget, plan_forget
    from samverkan.registry.resolve import NameIndex

    registry = app.load()
    index = NameIndex.build((e.id, e.all_names()) for e in registry)
    plan = plan_forget(registry, index.resolve(name))
    apply_plan_unless_dry_run(apply_forget, plan, dry_run, "skrivningen")
    if as_json_:
        click.echo(as_json({**plan.summary(), "applied": not dry_run}))
        return
    click.echo(f"{plan.name} ({plan.person}) {'skulle glömmas' if dry_run else 'är glömd'}:")
    for line in plan.removed:
        click.echo(f"  borttaget: {line}")
    if plan.unsourced:
        click.echo(f"Saknar nu källa (ange en ny): {', '.join(plan.unsourced)}")
    if plan.sources_naming:
        click.echo(f"Källtexter som fortfarande nämner personen (ändras inte): {', '.join(plan.sources_naming)}")
    click.echo(f"Klart: {len(plan.changes)} filer {'skulle ändras' if dry_run else 'ändrade'}.")


COMMANDS = (forget_cmd,)
