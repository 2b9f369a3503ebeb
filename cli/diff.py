"""`samverkan diff`: what changed in the registry, in Swedish, or as JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from samverkan.registry.vocabulary import RELATION_LABELS

from .app import App, command, parse_day, pass_app, persons_option
from .output import as_json

__all__ = ["COMMANDS", "diff_lines"]


def _value(value: Any) -> str:
    if value is None:
        return "(inget)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(inget)"
    return " ".join(str(value).split())


def _evidence(rows: list[dict[str, Any]], indent: str = "      ") -> list[str]:
    out = []
    for ev in rows:
        page = f" s. {ev['page']}" if ev.get("page") else ""
        out.append(f"{indent}källa: {ev['source']}{page}: ”{' '.join(str(ev['quote']).split())}”")
    return out


def _relation(rel: dict[str, Any]) -> str:
    label = RELATION_LABELS.get(rel["type"], (rel["type"], ""))[0]
    qualifier = f" ({rel['qualifier']})" if rel["qualifier"] else ""
    return f"{rel['source']['name']} {label} {rel['target']['name']}{qualifier}"


def _changes(part: dict[str, list[dict[str, Any]]], describe: Callable[[dict[str, Any], str], str]) -> list[str]:
    """Added, removed and changed items (entities or relations) of a difference, with their evidence
    and, for a change, each field's old and new value."""
    lines = []
    for item in part["added"]:
        lines.append(f"  + {describe(item, 'ny')}")
        lines += _evidence(item["evidence"])
    lines += [f"  - {describe(item, 'borttagen')}" for item in part["removed"]]
    for item in part["changed"]:
        lines.append(f"  ~ {describe(item, 'ändrad')}")
        lines += [f"      {f['field']}: {_value(f['old'])} → {_value(f['new'])}" for f in item["fields"]]
        lines += _evidence(item["new_evidence"])
    return lines


def diff_lines(result: dict[str, Any]) -> list[str]:
    """The difference as lines of Swedish text, the way `diff` prints it."""
    ents, rels = result["entities"], result["relations"]
    lines = [f"Förändringar från {result['from']} till {result['to']}:"]
    if not any(ents.values()) and not any(rels.values()):
        return [*lines, "  Inga förändringar."]
    lines += _changes(ents, lambda e, verb: f"{verb} {e['kind']}: {e['name']} ({e['id']})")
    lines += _changes(rels, lambda r, verb: f"{verb} relation: {_relation(r)}")
    counts = (
        f"{len(ents['added'])} nya, {len(ents['removed'])} borttagna och {len(ents['changed'])} ändrade entiteter; "
        f"{len(rels['added'])} nya, {len(rels['removed'])} borttagna och {len(rels['changed'])} ändrade relationer."
    )
    return [*lines, counts]


@command()
@click.argument("rev_a", metavar="VERSION_A", required=False)
@click.argument("rev_b", metavar="VERSION_B", required=False)
@click.option("--since", callback=parse_day, metavar="ÅÅÅÅ-MM-DD", help="Jämför med läget före denna dag.")
@click.option("--json", "as_json_", is_flag=True, help="Skriv ut som JSON.")
@persons_option
@pass_app
def diff(app: App, rev_a: str | None, rev_b: str | None, since: Any, as_json_: bool, include_persons: bool) -> None:
    """Vad har ändrats i registret: entiteter och relationer som lagts till, tagits bort eller
    ändrats (fält för fält, med de nya källorna).

    Utan argument: senaste incheckningen mot arbetskopian. VERSION_A och VERSION_B är git-revisioner
    (VERSION_B saknas: arbetskopian), eller två registerkataloger (då behövs inte git).

    \b
    Exempel:
      samverkan diff
      samverkan diff HEAD~3 HEAD --json
      samverkan diff --since 2026-01-01
      samverkan diff gammalt-register/ nytt-register/
    """
    from samverkan.registry.diff import diff_registries, diff_since

    folder = Path(app.registry_dir)
    if since is not None:
        if rev_a is not None:
            raise click.UsageError("ange antingen --since eller revisioner")
        result = diff_since(folder, since.isoformat(), persons=include_persons)
    elif rev_a is not None and rev_b is not None and Path(rev_a).is_dir() and Path(rev_b).is_dir():
        result = diff_registries(Path(rev_a), other=Path(rev_b), persons=include_persons)
    else:
        result = diff_registries(folder, rev_a or "HEAD", rev_b, persons=include_persons)
    if as_json_:
        click.echo(as_json(result))
        return
    for line in diff_lines(result):
        click.echo(line)


COMMANDS = [diff]
