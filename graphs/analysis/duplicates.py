"""Entities probably entered twice under different names.

Names are compared the Swedish way: case, diacritics and punctuation folded, small words ("i",
"för", "och") set aside, and an acronym matched against the initials of a name ("SBUM" against
"Samverkan barn och unga i Malmö"). A fuzzy name match alone is a suggestion; shared neighbours in
the graph (the same participants, the same forums) raise the confidence. Only entities of the same
category are compared, and only when they share a word or an acronym, so the search stays close to
linear in the number of entities.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", name="Samverkan för barn och unga Malmö", kind="samverkansforum",
...            category="structure", aliases=[], evidence=[])
>>> g.add_node("b", name="Samverkan barn och unga i Malmö", kind="samverkansforum",
...            category="structure", aliases=[], short_name="SBUM", evidence=[])
>>> [(r["a"]["id"], r["b"]["id"]) for r in find_duplicates(g)]
[('a', 'b')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations
from typing import Any

import networkx as nx
from rapidfuzz import fuzz

from samverkan.graphs.contract import Category
from samverkan.registry.names import fold, sort_key

__all__ = ["find_duplicates", "name_key"]

STOPWORDS = frozenset(
    {"i", "för", "for", "och", "av", "med", "på", "pa", "till", "om", "den", "det", "de", "en", "ett"}
)
_SKIP_CATEGORIES = frozenset({Category.DOCUMENT, Category.DECISION, Category.CONSULTATION})


def name_key(name: str) -> list[str]:
    """The words of a name that carry meaning, folded.

    >>> name_key("Samverkan för Barn och Unga i Malmö")
    ['samverkan', 'barn', 'unga', 'malmo']
    """
    return [w for w in fold(name).split() if w not in {fold(s) for s in STOPWORDS}]


def _initials(name: str) -> str:
    return "".join(w[0] for w in name_key(name) if w)


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _names(data: dict[str, Any]) -> list[str]:
    out = [data["name"], *(data.get("aliases") or [])]
    if data.get("short_name"):
        out.append(data["short_name"])
    return out


def _name_similarity(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, str]:
    """The best match between any name of a and any name of b, and how it matched."""
    best, how = 0.0, ""
    for na in _names(a):
        for nb in _names(b):
            ka, kb = " ".join(name_key(na)), " ".join(name_key(nb))
            if not ka or not kb:
                continue
            if ka == kb:
                return 1.0, f"”{na}” och ”{nb}” är samma namn i annan form"
            # short names must match exactly: "LÖK" and "SÖK" are different things
            score = 0.0 if min(len(ka), len(kb)) < 5 else fuzz.token_sort_ratio(ka, kb) / 100
            if _digits(ka) != _digits(kb):
                score *= 0.5  # "Budgetuppdrag 2023" is not "Budgetuppdrag 2024"
            if score > best:
                best, how = score, f"”{na}” liknar ”{nb}”"
            for short, long_ in ((na, nb), (nb, na)):
                folded = fold(short).replace(" ", "")
                if 2 <= len(folded) <= 8 and " " not in short.strip() and folded == _initials(long_):
                    return 0.95, f"”{short}” är en förkortning av ”{long_}”"
    return best, how


def _neighbours(graph: nx.MultiDiGraph, node: str) -> set[str]:
    return set(nx.all_neighbors(graph, node))


def find_duplicates(graph: nx.MultiDiGraph, min_confidence: float = 0.75) -> list[dict[str, Any]]:
    """Likely duplicate pairs, most confident first, each with its reasons and evidence."""
    blocks: dict[tuple[str, str], set[str]] = defaultdict(set)
    for node, data in graph.nodes(data=True):
        if data.get("category") in _SKIP_CATEGORIES:
            continue
        for name in _names(data):
            words = name_key(name)
            for word in words:
                if len(word) >= 4:
                    blocks[(data["category"], word)].add(node)
            if len(words) >= 2:
                blocks[(data["category"], "#" + _initials(name))].add(node)
            blocks[(data["category"], "#" + fold(name).replace(" ", ""))].add(node)
    pairs: set[tuple[str, str]] = set()
    for members in blocks.values():
        if 1 < len(members) <= 200:  # a word shared by hundreds of names says nothing
            pairs.update(combinations(sorted(members), 2))
    results = []
    for a, b in sorted(pairs):
        da, db = graph.nodes[a], graph.nodes[b]
        name_sim, how = _name_similarity(da, db)
        if name_sim < 0.6:
            continue
        na, nb = _neighbours(graph, a) - {b}, _neighbours(graph, b) - {a}
        structural = len(na & nb) / len(na | nb) if na | nb else 0.0
        confidence = round(0.8 * name_sim + 0.2 * structural, 4)
        if da["kind"] != db["kind"]:
            confidence = round(confidence * 0.9, 4)
        if confidence < min_confidence:
            continue
        reasons = [how]
        shared = sorted(na & nb, key=lambda n: sort_key(graph.nodes[n]["name"]))
        if shared:
            listed = ", ".join(graph.nodes[n]["name"] for n in shared[:5])
            reasons.append(
                f"båda är kopplade till {listed}" + (f" och {len(shared) - 5} till" if len(shared) > 5 else "")
            )
        if da["kind"] != db["kind"]:
            reasons.append(f"men de är registrerade som olika typer ({da['kind']}, {db['kind']})")
        results.append(
            {
                "a": {"id": a, "name": da["name"], "kind": da["kind"]},
                "b": {"id": b, "name": db["name"], "kind": db["kind"]},
                "confidence": confidence,
                "name_similarity": round(name_sim, 4),
                "structural_similarity": round(structural, 4),
                "reasons": reasons,
                "evidence": {
                    "a": list(da.get("evidence") or [])[:2],
                    "b": list(db.get("evidence") or [])[:2],
                },
            }
        )
    results.sort(key=lambda r: (-r["confidence"], sort_key(r["a"]["name"]), sort_key(r["b"]["name"])))
    return results
