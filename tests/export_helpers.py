"""Registries for the export and import tests: the seed as loaded, and a small hostile one."""

from __future__ import annotations

from pathlib import Path

from samverkan.registry.models import Actor, Document, Evidence, Participation, ReportsTo, Structure
from samverkan.registry.store import Registry, load_registry, write_atomic, write_entity
from samverkan.seed import SEED_DIR

HOSTILE_NAMES = {
    "formel": '=HYPERLINK("http://example.com";"klicka")',
    "plus": "+46 40 34 10 00",
    "minus": "-Överförmyndarnämnden",
    "snabel": "@SUM(A1)",
    "apostrof": "'=redan skyddad",
    "skript": '</script><script>alert(1)</script> Åsa & Örjan "citat"',
}


def seed_registry() -> Registry:
    return load_registry(SEED_DIR).registry


def write_hostile_registry(root: Path) -> Path:
    """A valid registry whose names start like formulas and carry markup, quotes and å ä ö."""
    lines = [f"{name} deltar i Örat mot marken." for name in HOSTILE_NAMES.values()]
    text = "Protokoll\n" + "\n".join(lines) + "\nÖrat mot marken är ett nätverk; sida två.\n"
    write_atomic(root / "sources" / "protokoll.txt", text)
    write_entity(root, Document(id="protokoll", kind="dokument", name="Protokoll", file="sources/protokoll.txt"))
    forum_ev = [Evidence(source="protokoll", quote="Örat mot marken är ett nätverk")]
    forum = Structure(id="örat-mot-marken", kind="nätverk", name="Örat mot marken", evidence=forum_ev)
    write_entity(root, forum.model_copy(update={"valid_from": "2024-03"}))
    for ident, name in HOSTILE_NAMES.items():
        ev = [Evidence(source="protokoll", quote=f"{name} deltar i Örat mot marken.")]
        rel = Participation(target="örat-mot-marken", evidence=ev, **{"from": "2024", "until": "2025-06"})
        write_entity(root, Actor(id=ident, kind="civilsamhälle", name=name, evidence=ev, relations=[rel]))
    return root


def write_registry_with_a_person(root: Path) -> Path:
    """The hostile registry and Anna Andersson, ordförande, who takes part in Örat mot marken and
    is named in another actor's evidence (beside a second quote) and in a relation's only quote."""
    from samverkan.registry.models import Person

    write_hostile_registry(root)
    source = root / "sources" / "protokoll.txt"
    source.write_text(
        source.read_text("utf-8")
        + "Anna Andersson (S) är ordförande i Örat mot marken.\n"
        + "Föreningen Plus leds av Anna Andersson.\n",
        encoding="utf-8",
    )
    role = [Evidence(source="protokoll", quote="Anna Andersson (S) är ordförande i Örat mot marken.")]
    write_entity(
        root,
        Person(
            id="anna-andersson",
            kind="person",
            name="Anna Andersson",
            public_role="förtroendevald",
            position="ordförande",
            evidence=role,
            relations=[Participation(target="örat-mot-marken", role="leder", evidence=role)],
        ),
    )
    plus = load_registry(root).registry.get("plus")
    plus.evidence.append(Evidence(source="protokoll", quote="Föreningen Plus leds av Anna Andersson."))
    write_entity(root, plus)
    skript = load_registry(root).registry.get("skript")
    only = [Evidence(source="protokoll", quote="Anna Andersson (S) är ordförande")]
    skript.relations.append(ReportsTo(target="minus", evidence=only))
    write_entity(root, skript)
    return root
