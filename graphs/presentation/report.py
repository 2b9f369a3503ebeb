"""The decision-maker report: what the registry holds, where structures overlap, what is unclear,
what the respondents answered, how the mandate has moved, and the network — as one page.

`build_report` gathers plain data from a backend's graph; `samverkan.graphs.presentation.html` renders it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from samverkan.graphs.contract import CLASS_LABELS, GAP_TYPES, RelationType, part_of_walk
from samverkan.graphs.presentation.views import build_view
from samverkan.registry.names import sort_key
from samverkan.registry.vocabulary import Category, Kind, category_of

if TYPE_CHECKING:
    from samverkan.registry.query import GraphBackend

__all__ = ["build_report"]

CATEGORY_LABELS = {
    "actor": "Aktörer",
    "structure": "Strukturer (forum, processer, strategier)",
    "area": "Områden",
    "theme": "Teman",
    "group": "Målgrupper",
    "document": "Källdokument",
    "decision": "Beslut",
    "consultation": "Remisser",
    "person": "Personer (i en offentlig roll)",
}
STANCE_LABELS = {
    "föreslår": "föreslår",
    "stödjer": "stödjer",
    "motsätter_sig": "motsätter sig",
    "varnar_för_överlapp": "varnar för överlapp",
    "avstår": "avstår",
    "kommenterar": "kommenterar",
    "reservation": "reservation",
    "särskilt_yttrande": "särskilt yttrande",
}


def _counts(graph: Any) -> list[dict[str, Any]]:
    by_kind = Counter(d["kind"] for _, d in graph.nodes(data=True))
    rows = []
    for category in Category:
        kinds = sorted((k for k in by_kind if category_of(Kind(k)) is category), key=lambda k: -by_kind[k])
        if kinds:
            rows.append(
                {
                    "category": CATEGORY_LABELS[category.value],
                    "total": sum(by_kind[k] for k in kinds),
                    "kinds": ", ".join(f"{k} {by_kind[k]}" for k in kinds),
                }
            )
    return rows


def _positions(graph: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One matrix per consultation: respondents × questions, each cell the stances given."""
    out = []
    by_consultation: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_consultation[row["consultation"]["id"]].append(row)
    for cid in sorted(by_consultation, key=lambda c: sort_key(graph.nodes[c]["name"])):
        questions = [q for q in graph.nodes[cid].get("questions", []) if q["id"] != "tabell"]
        cells: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        names: dict[str, str] = {}
        table = []
        for row in by_consultation[cid]:
            qid = row["question"]["id"] if row["question"] else "–"
            text = STANCE_LABELS.get(row["stance"], row["stance"])
            proposed = [p["name"] for p in row["proposes"]]
            if row.get("jointly"):
                proposed.append(" och ".join(p["name"] for p in row["jointly"]) + " (gemensamt)")
            if proposed:
                text += ": " + ", ".join(proposed)
            respondent = row["respondent"]
            if qid == "tabell":
                table.append(
                    {
                        "respondent": respondent["name"],
                        "id": respondent["id"],
                        "stance": text,
                        "text": row["text"] or "",
                    }
                )
            else:
                names[respondent["id"]] = respondent["name"]
                cells[respondent["id"]][qid].append(text)
        columns = [q["id"] for q in questions] + (["–"] if any("–" in c for c in cells.values()) else [])
        out.append(
            {
                "id": cid,
                "name": graph.nodes[cid]["name"],
                "questions": questions,
                "columns": columns,
                "rows": [
                    {"respondent": names[rid], "id": rid, "cells": [cells[rid].get(c, []) for c in columns]}
                    for rid in sorted(cells, key=lambda r: (sort_key(names[r]), r))
                ],
                "table": sorted(table, key=lambda r: sort_key(r["respondent"])),
            }
        )
    return out


def _related(graph: Any, process: str) -> list[str]:
    """The process, what it is part of (its assignment), and its parts."""
    related = part_of_walk(graph, process, up=True)
    related += sorted(
        s for s, _, d in graph.in_edges(process, data=True) if d["type"] == RelationType.PART_OF and s not in related
    )
    return related


def _events(graph: Any, node: str, label: str) -> list[dict[str, Any]]:
    events = []
    for src, _, d in graph.in_edges(node, data=True):
        other = graph.nodes[src]
        if d["type"] == RelationType.ABOUT and other["kind"] == Kind.BESLUT:
            events.append(
                {
                    "date": other.get("date", ""),
                    "what": f"{other['name']}{label}",
                    "detail": other.get("description") or "",
                    "kind": "beslut",
                    "ref": src,
                }
            )
        elif d["type"] == RelationType.MANDATE:
            span = f"{d.get('from') or '…'} – {d.get('until') or '…'}"
            granted = graph.nodes[d["granted_by"]]["name"] if d.get("granted_by") in graph else ""
            events.append(
                {
                    "date": d.get("from") or "",
                    "what": f"Mandat: {other['name']}{label} ({span}, {d['status']})",
                    "detail": " ".join(filter(None, [d.get("scope"), f"Beslut: {granted}." if granted else ""])),
                    "kind": "mandat",
                }
            )
        elif d["type"] == RelationType.FUNDS:
            amount = f"{d['amount']:,} {d.get('currency', 'SEK')}".replace(",", " ") if d.get("amount") else ""
            events.append(
                {
                    "date": str(d.get("year") or ""),
                    "what": f"Medel från {other['name']}{label}: {amount}",
                    "detail": d.get("note") or "",
                    "kind": "medel",
                }
            )
    return events


def _timeline(graph: Any, process: str) -> dict[str, Any]:
    """Decisions, mandates and money concerning one process and its assignment, in date order."""
    events: list[dict[str, Any]] = []
    decisions: set[str] = set()  # a decision about both the process and its assignment is one event
    for node in _related(graph, process):
        label = "" if node == process else f" — {graph.nodes[node]['name']}"
        for event in _events(graph, node, label):
            ref = event.pop("ref", None)
            if ref is not None:
                if ref in decisions:
                    continue
                decisions.add(ref)
            events.append(event)
    events.sort(key=lambda e: (e["date"] or "9999", e["what"]))
    data = graph.nodes[process]
    return {
        "id": process,
        "name": data["name"],
        "status": data.get("status", "befintlig"),
        "from": data.get("from"),
        "until": data.get("until"),
        "events": events,
    }


def _central_process(graph: Any) -> str | None:
    """The process with the most decisions, mandates and money around it."""
    weight: Counter[str] = Counter()
    for _, dst, d in graph.edges(data=True):
        if (
            d["type"] in (RelationType.MANDATE, RelationType.FUNDS, RelationType.ABOUT)
            and graph.nodes[dst].get("category") == Category.STRUCTURE
        ):
            weight[dst] += 1
    return min(weight, key=lambda n: (-weight[n], n)) if weight else None


def build_report(backend: GraphBackend, *, process: str | None = None, top: int = 15) -> dict[str, Any]:
    """Everything the report shows, as plain data."""
    graph = backend.graph
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for gap in backend.gaps():
        grouped[gap.type].append(gap.to_dict())
    process = process if process in graph else _central_process(graph)
    view = build_view(graph, "overlaps", title="Parallella strukturer", top=max(top * 3, 40))
    return {
        "counts": _counts(graph),
        "entities": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "sources": backend.sources(),
        "warnings": backend.warnings(),
        "overlaps": [{**row.to_dict(), "class_label": CLASS_LABELS[row.class_]} for row in backend.overlaps(top=top)],
        "gaps": [{"type": t, "label": GAP_TYPES[t], "items": grouped[t]} for t in GAP_TYPES if grouped[t]],
        "positions": _positions(graph, [p.to_dict() for p in backend.positions()]),
        "timeline": _timeline(graph, process) if process else None,
        "view": view,
    }
