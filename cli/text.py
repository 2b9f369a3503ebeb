"""Human-readable text for the commands, in Swedish: what `emit` prints when neither --json nor --csv.

Each function turns a command's result (the same data --json prints) into lines or a `Table`, so
the commands stay thin and the wording is in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from samverkan.registry.vocabulary import RELATION_LABELS

from .output import Table

if TYPE_CHECKING:
    from samverkan.graphs.backends.neo4j_sync import SyncPlan
    from samverkan.registry.merge import MergePlan
    from samverkan.registry.query import EntityRef, PathResult, Row

__all__ = [
    "duplicates_text",
    "gaps_text",
    "judgement",
    "list_table",
    "merge_text",
    "overlaps_text",
    "participation_table",
    "participation_text",
    "plan_lines",
    "positions_csv",
    "positions_table",
    "render_paths",
    "render_show",
    "reviews_text",
    "stats_text",
    "sync_summary",
    "warnings_csv",
    "warnings_text",
]

_FIELD_LABELS = [
    ("kind", "typ"),
    ("public_role", "offentlig roll"),
    ("position", "uppdrag"),
    ("short_name", "kortnamn"),
    ("status", "status"),
    ("from", "från"),
    ("until", "till"),
    ("body", "beslutande organ"),
    ("date", "datum"),
    ("paragraph", "paragraf"),
    ("diarienummer", "diarienummer"),
    ("issued_by", "avsändare"),
    ("document", "dokument"),
    ("file", "fil"),
    ("publisher", "utgivare"),
    ("description", "beskrivning"),
    ("note", "anmärkning"),
]


def _evidence_lines(evidence: list[dict[str, Any]], indent: str) -> list[str]:
    out = []
    for ev in evidence:
        page = f" s. {ev['page']}" if ev.get("page") else ""
        quote = " ".join(str(ev["quote"]).split())
        out.append(f"{indent}källa: {ev['source']}{page}: ”{quote}”")
    return out


def _qualifiers(rel: dict[str, Any]) -> str:
    parts = []
    for key in ("role", "question", "stance", "scope", "granted_by", "amount", "year", "status"):
        value = rel.get(key)
        if value not in (None, "", [], "befintlig", "SEK"):
            label = {
                "question": "fråga",
                "granted_by": "beslut",
                "amount": "belopp",
                "year": "år",
                "scope": "omfattning",
                "role": "roll",
                "stance": "hållning",
            }.get(key, key)
            parts.append(f"{label}: {value}")
    for key, label in (("proposes", "föreslår"), ("concerns", "gäller")):
        if rel.get(key):
            parts.append(f"{label}: {', '.join(rel[key])}")
    if rel.get("jointly"):
        parts.append(f"föreslår tillsammans: {' och '.join(rel['jointly'])}")
    if rel.get("overlap"):
        parts.append(f"överlapp: {rel['overlap']}")
    if rel.get("existing_structures"):
        parts.append("även befintliga strukturer")
    return f" ({'; '.join(parts)})" if parts else ""


def render_show(data: dict[str, Any]) -> str:
    """An entity as a short report: fields, aliases, questions, evidence, relations."""
    e = data["entity"]
    lines = [f"{e['name']}  [{e['id']}]"]
    for key, label in _FIELD_LABELS:
        if e.get(key) not in (None, ""):
            lines.append(f"  {label}: {e[key]}")
    if e.get("aliases"):
        lines.append(f"  alias: {'; '.join(e['aliases'])}")
    for q in e.get("questions", []):
        lines.append(f"  fråga {q['id']}: {q['text']}")
    lines.extend(_evidence_lines(e.get("evidence", []), "  "))
    for direction, heading in (("out", "Relationer"), ("in", "Relationer in")):
        rels = [r for r in data["relations"] if r["direction"] == direction]
        if not rels:
            continue
        lines.append(f"{heading}:")
        for rel in rels:
            out_label, in_label = RELATION_LABELS.get(rel["type"], (rel["type"], rel["type"]))
            label = out_label if direction == "out" else in_label
            other = rel["other"]
            lines.append(f"  {label} {other['name']} [{other['id']}]{_qualifiers(rel)}")
            if rel.get("text"):
                lines.append(f"    ”{rel['text']}”")
            lines.extend(_evidence_lines(rel.get("evidence", []), "    "))
    return "\n".join(lines)


def render_paths(result: PathResult) -> str:
    """Each path as a chain: A —deltar i (leder)→ B ←deltar i— C."""
    head = f"Kortaste vägar mellan {result.source.name} och {result.target.name}:"
    if not result.paths:
        return head + "\n  (ingen väg)"
    lines = [head]
    for n, steps in enumerate(result.paths, 1):
        at = result.source.id
        chain = result.source.name
        for step in steps:
            label = RELATION_LABELS.get(step.relation, (step.relation, ""))[0]
            if step.role and step.role != "deltar":
                label += f" ({step.role})"
            if step.source.id == at:
                chain += f" —{label}→ {step.target.name}"
                at = step.target.id
            else:
                chain += f" ←{label}— {step.source.name}"
                at = step.source.id
        lines.append(f"  {n}. {chain}")
    return "\n".join(lines)


def _quote(ev: dict[str, Any], width: int = 220) -> str:
    flat = " ".join(ev["quote"].split())
    flat = flat if len(flat) <= width else flat[: width - 1] + "…"
    page = f", s. {ev['page']}" if ev.get("page") else ""
    return f"”{flat}” ({ev['source']}{page})"


def _structures(group: dict[str, Any]) -> str:
    names = [s["name"] for s in group["structures"]]
    if group.get("existing_structures"):
        names.append("befintliga strukturer")
    return " ↔ ".join(names)


def _voice_lines(voices: list[dict[str, Any]], indent: str) -> list[str]:
    lines = []
    for v in voices:
        lines.append(f"{indent}– {v['speaker']['name']} {v['label']}:")
        lines.extend(f"{indent}    {_quote(ev)}" for ev in v["evidence"])
    return lines


def render_warning(n: int, group: dict[str, Any]) -> str:
    """One stated overlap: the structures, then every voice with its quotes."""
    count = group["voice_count"]
    lines = [f"{n}. {_structures(group)}  ({count} {'röst' if count == 1 else 'röster'})"]
    return "\n".join(lines + _voice_lines(group["voices"], "   "))


def render_overlap(n: int, row: dict[str, Any], class_label: str) -> str:
    """One pair: what the documents say (voices, quotes) beside what the network shows."""
    lines = [f"{n}. {row['a']['name']} ↔ {row['b']['name']}  ({row['score']:.2f}, {class_label})"]
    stated = row.get("stated") or {}
    if stated.get("voices"):
        count = stated["voice_count"]
        lines.append(f"   Sagt i dokumenten ({count} {'röst' if count == 1 else 'röster'}):")
        lines += _voice_lines(stated["voices"], "     ")
        lines.append("   Nätverket visar:")
        lines += [f"     – {reason}" for reason in _network_reasons(row)]
    else:
        lines += [f"   – {reason}" for reason in _network_reasons(row)]
    return "\n".join(lines)


def _network_reasons(row: dict[str, Any]) -> list[str]:
    summary = (row.get("inferred") or {}).get("summary", [])[:1]
    rest = [r for r in row["reasons"] if not r.endswith("varnar för överlapp mellan dem")]
    return summary + rest


def list_table(rows: list[dict[str, Any]], csv: bool = False) -> Table:
    """Entities: id, name and kind (and, in CSV, the aliases)."""
    if csv:
        return Table(
            ["id", "name", "kind", "aliases"], [[r["id"], r["name"], r["kind"], "; ".join(r["aliases"])] for r in rows]
        )
    return Table(["id", "namn", "typ"], [[r["id"], r["name"], r["kind"]] for r in rows])


def participation_table(rows: list[Row], csv: bool = False) -> Table:
    """Participations, with a `via` column when any goes through a part (ids in CSV, names in text),
    and, in text, the named entity's own status when any is not `befintlig`: a participation in a
    structure that lapsed keeps its own status, so the lapse must show beside it."""
    with_via = any(r.via for r in rows)
    with_own = csv or any(r.entity_status != "befintlig" or r.entity_until for r in rows)
    header = ["id", "name", "kind", "role", "status"] if csv else ["namn", "typ", "roll", "status"]
    cells = []
    for r in rows:
        via = (r.via.id if csv else r.via.name) if r.via else ""
        row = ([r.id, r.name] if csv else [r.name]) + [r.kind, r.role, r.status] + ([via] if with_via else [])
        if csv:
            row += [r.entity_status, r.entity_until or ""]
        elif with_own:
            row.append(r.entity_status + (f" till {r.entity_until}" if r.entity_until else ""))
        cells.append(row)
    extra = ["entity_status", "entity_until"] if csv else ["egen status"] if with_own else []
    return Table(header + (["via"] if with_via else []) + extra, cells)


def participation_text(entity: EntityRef, rows: list[Row], heading: str) -> str:
    """The entity named, then its participations as a table (or a line saying there are none)."""
    head = f"{heading} {entity.name} ({entity.kind}, {entity.id}):"
    if not rows:
        return head + "\n  (inga registrerade)"
    found = participation_table(rows)
    return head + "\n" + _table(found)


def _table(found: Table) -> str:
    from .output import table

    return table(found.header, found.rows)


def _ids(refs: list[dict[str, str]]) -> str:
    return "; ".join(r["id"] for r in refs)


def positions_csv(rows: list[dict[str, Any]]) -> Table:
    """Consultation answers, one per row, with ids."""
    header = ["respondent", "consultation", "question", "stance", "proposes", "concerns", "text", "jointly"]
    return Table(
        header,
        [
            [
                r["respondent"]["id"],
                r["consultation"]["id"],
                (r["question"] or {}).get("id", ""),
                r["stance"],
                _ids(r["proposes"]),
                _ids(r["concerns"]),
                r["text"] or "",
                _ids(r["jointly"]),
            ]
            for r in rows
        ],
    )


def _proposals(row: dict[str, Any]) -> str:
    jointly = [" och ".join(p["name"] for p in row["jointly"])] if row["jointly"] else []
    return "; ".join([p["name"] for p in row["proposes"]] + jointly)


def positions_table(rows: list[dict[str, Any]]) -> Table:
    """Consultation answers, one per row, with names."""
    return Table(
        ["remiss", "fråga", "remissinstans", "hållning", "föreslår", "gäller"],
        [
            [
                r["consultation"]["id"],
                (r["question"] or {}).get("id", "–"),
                r["respondent"]["name"],
                r["stance"],
                _proposals(r),
                ", ".join(p["name"] for p in r["concerns"]),
            ]
            for r in rows
        ],
    )


def judgement(review: dict[str, Any]) -> str:
    """An analyst's latest judgement on a pair: verdict, who, when, why."""
    why = f": {review['why']}" if review.get("why") else ""
    return f"{review['verdict'].replace('_', ' ')} ({review['by']}, {review['date']}){why}"


def overlaps_text(rows: list[dict[str, Any]], class_labels: dict[str, str]) -> str:
    """Each pair with what the documents say and what the network shows, and any judgement."""
    lines = [] if rows else ["Inga överlappande strukturer med dessa filter."]
    for n, r in enumerate(rows, 1):
        lines.append(render_overlap(n, r, class_labels[r["class"]]))
        if r["review"]:
            lines.append(f"   Bedömt: {judgement(r['review'])}")
    return "\n".join(lines)


def warnings_csv(rows: list[dict[str, Any]]) -> Table:
    """One row per quote: the structures, the speaker, the kind of statement, the source."""
    header = ["structures", "existing_structures", "speaker", "kind", "source", "page", "quote"]
    return Table(
        header,
        [
            [
                _ids(r["structures"]),
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


def warnings_text(rows: list[dict[str, Any]]) -> str:
    """Each stated overlap with its voices and quotes."""
    if not rows:
        return "Inga uttalanden om överlapp med dessa filter."
    return "\n".join(render_warning(n, r) for n, r in enumerate(rows, 1))


def duplicates_text(rows: list[dict[str, Any]]) -> str:
    """Each probable duplicate pair with its reasons and any judgement."""
    lines = [] if rows else ["Inga troliga dubbletter."]
    for r in rows:
        lines.append(
            f"{r['a']['name']} [{r['a']['id']}] ≈ {r['b']['name']} [{r['b']['id']}]  (säkerhet {r['confidence']:.2f})"
        )
        lines += [f"   – {reason}" for reason in r["reasons"]]
        if r["review"]:
            lines.append(f"   Bedömt: {judgement(r['review'])}")
    return "\n".join(lines)


def reviews_text(rows: list[dict[str, Any]]) -> str:
    """Every judged pair with its latest judgement."""
    if not rows:
        return "Inga bedömningar ännu."
    return "\n".join(f"{r['subject']}: {r['pair'][0]} ↔ {r['pair'][1]}  {judgement(r)}" for r in rows)


def gaps_text(rows: list[dict[str, Any]], labels: dict[str, str]) -> str:
    """The gaps grouped by type, each group headed by its label and count."""
    if not rows:
        return "Inga luckor med dessa filter."
    lines = []
    current = None
    for r in rows:
        if r["type"] != current:
            current = r["type"]
            count = sum(1 for x in rows if x["type"] == current)
            lines.append(f"{labels[current].capitalize()} ({count}):")
        lines.append(f"  – {r['message']}")
    return "\n".join(lines)


def stats_text(data: dict[str, list[dict[str, Any]]]) -> str:
    """Broker actors, then structures that join otherwise separate groups."""
    actors = Table(
        ["namn", "typ", "strukturer", "kontakter", "betweenness"],
        [[r["name"], r["kind"], r["structures"], r["degree"], f"{r['betweenness']:.3f}"] for r in data["actors"]],
    )
    structures = Table(
        ["namn", "typ", "deltagare", "grupper", "betweenness"],
        [
            [r["name"], r["kind"], r["participants"], r["connects_groups"], f"{r['betweenness']:.3f}"]
            for r in data["structures"]
        ],
    )
    return "\n".join(
        [
            "Aktörer (betweenness i aktörsnätverket):",
            _table(actors),
            "",
            "Strukturer som förenar annars åtskilda grupper:",
            _table(structures),
        ]
    )


def merge_text(plan: MergePlan, root: Any, dry_run: bool) -> str:
    """What a merge moves and rewrites, file by file (paths relative to the registry)."""
    lines = [
        f"{plan.retire} → {plan.keep}: {plan.moved_relations} relationer flyttas, "
        f"{len(plan.rewritten)} hänvisningar skrivs om."
    ]
    for change in plan.changes:
        action = "tas bort" if change.new is None else "skrivs om"
        lines.append(f"  {change.path.relative_to(root).as_posix()} {action}")
    verb = "skulle ändra" if dry_run else "ändrade"
    lines.append(f"Klart: {verb} {len(plan.changes)} filer.")
    return "\n".join(lines)


def sync_summary(plan: SyncPlan) -> str:
    """How many nodes and relations a sync creates, changes and removes, and what it leaves."""
    s = plan.summary()
    lines = [
        f"Noder: {s['create_nodes']} nya, {s['update_nodes']} ändrade, {s['delete_nodes']} tas bort. "
        f"Relationer: {s['create_rels']} nya, {s['update_rels']} ändrade, {s['delete_rels']} tas bort."
    ]
    if plan.extra_nodes or plan.extra_rels:
        lines.append(
            f"I databasen men inte i registret (behålls utan --prune): {len(plan.extra_nodes)} noder, "
            f"{len(plan.extra_rels)} relationer."
        )
    return "\n".join(lines)


def plan_lines(plan: SyncPlan, limit: int = 10) -> list[str]:
    """The first items of each part of a sync plan, for --dry-run."""
    parts = [
        ("ny nod", [r.id for r in plan.create_nodes]),
        ("ändrad nod", [r.id for r in plan.update_nodes]),
        ("borttagen nod", plan.delete_nodes),
        ("ny relation", [r.key for r in plan.create_rels]),
        ("ändrad relation", [r.key for r in plan.update_rels]),
        ("borttagen relation", plan.delete_rels),
    ]
    lines = []
    for label, items in parts:
        lines += [f"  {label}: {item}" for item in items[:limit]]
        if len(items) > limit:
            lines.append(f"  … och {len(items) - limit} {label.split()[-1]}er till")
    return lines
