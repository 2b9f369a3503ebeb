"""What the documents themselves say is parallel: stated overlaps, grouped by the structures named.

A stated overlap is a position with stance `varnar_för_överlapp`: its speaker (a respondent, a
förvaltning, stadskontoret, a party group, or a collective summary), the structures it names in
`concerns` (and perhaps "befintliga strukturer" unnamed), what it says (`overlap`: parallella
strukturer, överlapp, samordning, befintlig struktur) and the quotes. Grouping by the set of
structures shows how many distinct voices say the same thing, which is what ranks a pair first in
the overlap analysis.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, k, c in [("frn", "nämnd", "actor"), ("tn", "nämnd", "actor"), ("r", "remiss", "consultation"),
...                 ("a", "process", "structure"), ("b", "plattform", "structure")]:
...     g.add_node(n, kind=k, category=c, name=n.upper(), status="befintlig")
>>> for who in ("frn", "tn"):
...     _ = g.add_edge(who, "r", type="position", stance="varnar_för_överlapp", concerns=["b", "a"],
...                    overlap="parallella_strukturer", evidence=[{"source": "d", "quote": "…"}])
>>> [(w["structures"][0]["id"], len(w["voices"])) for w in stated_overlaps(g)]
[('a', 2)]
>>> [v["speaker"]["id"] for v in pair_voices(g)[("a", "b")]]
['frn', 'tn']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from typing import Any

import networkx as nx

from samverkan.graphs.contract import RelationType, Stance, name_ref
from samverkan.registry.names import sort_key

__all__ = ["OVERLAP_LABELS", "pair_voices", "stated_overlaps", "statements"]

OVERLAP_LABELS = {
    "parallella_strukturer": "varnar för parallella strukturer",
    "överlapp": "konstaterar överlapp",
    "samordning": "föreslår samordning",
    "befintlig_struktur": "föreslår en befintlig struktur i stället",
}


def statements(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """Every overlap statement as (speaker, context, attributes), in a stable order."""
    found = [
        (src, dst, data)
        for src, dst, data in graph.edges(data=True)
        if data["type"] == RelationType.POSITION and data.get("stance") == Stance.VARNAR_FOR_OVERLAPP
    ]
    return sorted(found, key=lambda s: (s[0], s[1], sorted(s[2].get("concerns", []))))


def stated_overlaps(
    graph: nx.MultiDiGraph,
    structure: str | None = None,
    speaker: str | None = None,
    label: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """The stated overlaps grouped by the set of structures named, most voices first.

    A voice is one speaker saying one kind of thing about the set, with all its quotes; a speaker
    who says it twice is one voice with two pieces of evidence. `label` names entities the
    graph's filters leave out (a proposed structure is still named by what was said about it).
    """
    groups: dict[tuple[tuple[str, ...], bool], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for src, dst, data in statements(graph):
        named = tuple(sorted(set(data.get("concerns", []))))
        if structure is not None and structure not in named:
            continue
        if speaker is not None and src != speaker:
            continue
        key = (named, bool(data.get("existing_structures")))
        kind = data.get("overlap") or "parallella_strukturer"
        voice = groups[key].setdefault(
            (src, kind),
            {
                "speaker": name_ref(graph, src, label),
                "kind": kind,
                "label": OVERLAP_LABELS.get(kind, kind),
                "context": name_ref(graph, dst, label),
                "question": data.get("question"),
                "text": data.get("text"),
                "evidence": [],
            },
        )
        voice["evidence"].extend(data.get("evidence", []))
    results = []
    for (named, existing), voices in groups.items():
        listed = sorted(voices.values(), key=lambda v: (sort_key(v["speaker"]["name"]), v["speaker"]["id"], v["kind"]))
        speakers = {v["speaker"]["id"] for v in listed}
        results.append(
            {
                "structures": [name_ref(graph, s, label) for s in named],
                "existing_structures": existing,
                "voice_count": len(speakers),
                "voices": listed,
            }
        )
    return sorted(
        results,
        key=lambda r: (
            -r["voice_count"],
            [sort_key(s["name"]) for s in r["structures"]],
            r["existing_structures"],
        ),
    )


def pair_voices(graph: nx.MultiDiGraph) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """For every pair of structures named together in a statement, its voices: one per speaker and
    kind of statement, with the quotes of every statement that names the pair."""
    merged: dict[tuple[str, str], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for group in stated_overlaps(graph):
        ids = sorted(s["id"] for s in group["structures"])
        for pair in combinations(ids, 2):
            for voice in group["voices"]:
                key = (voice["speaker"]["id"], voice["kind"])
                if key in merged[pair]:
                    known = merged[pair][key]["evidence"]
                    known.extend(ev for ev in voice["evidence"] if ev not in known)
                else:
                    merged[pair][key] = {**voice, "evidence": list(voice["evidence"])}
    return {pair: list(voices.values()) for pair, voices in sorted(merged.items())}
