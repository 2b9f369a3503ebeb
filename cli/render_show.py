"""Human-readable text for `show` and `path`, in Swedish."""

from __future__ import annotations

from typing import Any

from samverkan.registry.query import PathResult
from samverkan.registry.vocabulary import RELATION_LABELS

__all__ = ["render_paths", "render_show"]

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
