"""Gaps the respondents asked to have clarified: mandate, coordination, follow-up.

Five checks, one function each, all over the graph: structures nobody owns, coordination that the
consultation answers contest, mandates that have lapsed while the work goes on, actors who
coordinate several parallel structures, and structures said to rest on civil society where no
civil-society organisation is recorded as taking part.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("f", kind="samverkansforum", category="structure", name="F", status="befintlig")
>>> [(r["type"], r["subject"]["id"]) for r in find_gaps(g)]
[('no_owner', 'f')]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import networkx as nx

from samverkan.graphs.analysis.features import DEFAULT_KINDS, LEAD_ROLES, Features
from samverkan.graphs.contract import GAP_TYPES, Category, RelationType, Stance, Status, node_ref
from samverkan.registry.dates import parse_partial_date
from samverkan.registry.names import fold, sort_key
from samverkan.registry.vocabulary import Kind

__all__ = ["GAP_TYPES", "find_gaps"]


def _gap(
    graph: nx.MultiDiGraph, kind: str, node: str, message: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One gap as `find_gaps` reports it: its type (a key of GAP_TYPES), subject, message and details."""
    return {"type": kind, "subject": node_ref(graph, node), "message": message, "details": details or {}}


def _structures(graph: nx.MultiDiGraph) -> list[str]:
    return sorted(
        n for n, d in graph.nodes(data=True) if d.get("category") == Category.STRUCTURE and d["kind"] in DEFAULT_KINDS
    )


def no_owner(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Forums and processes with neither a mandate holder nor anyone leading or owning them."""
    out = []
    for node in _structures(graph):
        owned = any(
            d["type"] == RelationType.MANDATE
            or (d["type"] == RelationType.PARTICIPATES_IN and d.get("role") in LEAD_ROLES)
            for _, _, d in graph.in_edges(node, data=True)
        )
        if not owned:
            message = f"{graph.nodes[node]['name']} har ingen mandatshållare och ingen som leder"
            out.append(_gap(graph, "no_owner", node, message))
    return out


_COORDINATION = re.compile(r"samordnande roll|samordningsansvar|bör samordna", re.IGNORECASE)


def _asks_for_coordinator(graph: nx.MultiDiGraph, consultation: str, question: str | None) -> bool:
    texts = {q["id"]: q["text"] for q in graph.nodes[consultation].get("questions", [])}
    return question is not None and bool(_COORDINATION.search(texts.get(question, "")))


def _is_actor(graph: nx.MultiDiGraph, node: str) -> bool:
    return node in graph and graph.nodes[node].get("category") == Category.ACTOR


def contested_coordinator(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Questions about who should coordinate whose answers propose different coordinators."""
    proposals: dict[tuple[str, str | None], Counter[str]] = defaultdict(Counter)
    who: dict[tuple[str, str | None], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for src, dst, d in graph.edges(data=True):
        if (
            d["type"] == RelationType.POSITION
            and d.get("stance") == Stance.FORESLAR
            and _asks_for_coordinator(graph, dst, d.get("question"))
        ):
            # a coordinator is an actor; proposals of processes answer other questions. A joint
            # proposal ("MKB och KS") is one proposal of the group, not a vote for each member.
            joint = [a for a in d.get("jointly", []) if _is_actor(graph, a)]
            candidates = [[a] for a in d.get("proposes", []) if _is_actor(graph, a)]
            candidates += [joint] if len(joint) > 1 else []
            for members in candidates:
                key = "+".join(members)
                names[key] = " och ".join(graph.nodes[a]["name"] for a in members)
                proposals[(dst, d.get("question"))][key] += 1
                who[(dst, d.get("question"))][key].append(src)
    out = []
    for (consultation, question), counts in sorted(proposals.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if len(counts) < 2:
            continue
        ranked = sorted(counts, key=lambda p: (-counts[p], sort_key(names[p])))
        listed = ", ".join(f"{names[p]} ({counts[p]})" for p in ranked)
        label = f"fråga {question}" if question else "remissen"
        proposed = [
            {
                "id": p,
                "name": names[p],
                "members": p.split("+"),
                "count": counts[p],
                "by": sorted(who[(consultation, question)][p]),
            }
            for p in ranked
        ]
        message = f"{len(counts)} olika förslag i {label}: {listed}"
        details = {"question": question, "proposals": proposed}
        out.append(_gap(graph, "contested_coordinator", consultation, message, details))
    return out


def lapsed_mandate(graph: nx.MultiDiGraph, today: date) -> list[dict[str, Any]]:
    """Mandates whose validity has ended while their structure is still in force."""
    out = []
    for src, dst, d in graph.edges(data=True):
        if d["type"] != RelationType.MANDATE or not d.get("until"):
            continue
        if parse_partial_date(d["until"]).latest() >= today:
            continue
        target = graph.nodes[dst]
        still = target.get("status") != Status.AVVECKLAD and (
            not target.get("until") or parse_partial_date(target["until"]).latest() >= today
        )
        if still:
            message = (
                f"{graph.nodes[src]['name']}s mandat för {target['name']} gällde till {d['until']}, "
                "men strukturen finns kvar"
            )
            details = {"holder": src, "until": d["until"], "granted_by": d.get("granted_by")}
            out.append(_gap(graph, "lapsed_mandate", dst, message, details))
    return sorted(out, key=lambda r: (r["subject"]["id"], r["details"]["holder"]))


def parallel_coordinator(
    graph: nx.MultiDiGraph, min_score: float = 0.25, features: Features | None = None
) -> list[dict[str, Any]]:
    """Actors leading or coordinating two structures that the overlap analysis pairs (`features`:
    the structures' overlap features if already built, see `overlaps`)."""
    from samverkan.graphs.analysis.overlaps import overlaps

    leaders: dict[str, set[str]] = defaultdict(set)  # structure -> who leads or coordinates it
    for src, dst, d in graph.edges(data=True):
        if d["type"] == RelationType.PARTICIPATES_IN and d.get("role") in LEAD_ROLES:
            leaders[dst].add(src)
    out = []
    per_actor: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in overlaps(graph, top=None, min_score=min_score, features=features):
        a, b = row["a"]["id"], row["b"]["id"]
        for actor in leaders.get(a, set()) & leaders.get(b, set()):
            per_actor[actor].append((a, b))
    for actor in sorted(per_actor, key=lambda x: sort_key(graph.nodes[x]["name"])):
        pairs = per_actor[actor]
        listed = "; ".join(f"{graph.nodes[a]['name']} och {graph.nodes[b]['name']}" for a, b in pairs)
        message = f"{graph.nodes[actor]['name']} leder eller samordnar överlappande strukturer: " + listed
        out.append(_gap(graph, "parallel_coordinator", actor, message, {"pairs": [list(p) for p in pairs]}))
    return out


def civil_society_missing(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Structures whose description or evidence names civil society, with none taking part."""
    out = []
    for node in _structures(graph):
        data = graph.nodes[node]
        text = " ".join([data.get("description") or "", *(ev["quote"] for ev in data.get("evidence", []))])
        if "civilsamhall" not in fold(text).replace(" ", ""):
            continue
        taking_part = any(
            d["type"] == RelationType.PARTICIPATES_IN and graph.nodes[src]["kind"] == Kind.CIVILSAMHALLE
            for src, _, d in graph.in_edges(node, data=True)
        )
        if not taking_part:
            message = f"{data['name']} nämner civilsamhället, men ingen civilsamhällesaktör deltar"
            out.append(_gap(graph, "civil_society_missing", node, message))
    return out


def find_gaps(
    graph: nx.MultiDiGraph,
    today: date | None = None,
    types: list[str] | None = None,
    features: Features | None = None,
) -> list[dict[str, Any]]:
    """Every gap of the requested types (default: all), grouped by type, sorted within each.

    With `features` (the structures' overlap features, built from the registry's index) the
    graph need hold only the entities and their participations, mandates and positions.
    """
    today = today or date.today()
    checks = {
        "no_owner": lambda: no_owner(graph),
        "contested_coordinator": lambda: contested_coordinator(graph),
        "lapsed_mandate": lambda: lapsed_mandate(graph, today),
        "parallel_coordinator": lambda: parallel_coordinator(graph, features=features),
        "civil_society_missing": lambda: civil_society_missing(graph),
    }
    out: list[dict[str, Any]] = []
    for name, check in checks.items():
        if types is None or name in types:
            out.extend(check())
    return out
