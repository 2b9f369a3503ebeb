"""The overlap score computed the straightforward way, with Python sets over the networkx graph.

It defines what `samverkan.graphs.analysis.overlaps.score_pairs` must compute, pair by pair, and is what the tests
and the benchmark compare the sparse-matrix implementation against. Far too slow for a national
registry; exact on any.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

import networkx as nx

from samverkan.graphs.analysis.features import DEFAULT_KINDS, LEAD_ROLES
from samverkan.graphs.analysis.overlaps import SIGNAL_WEIGHTS
from samverkan.registry.dates import parse_partial_date

__all__ = ["reference_scores"]

SETS = {"targets": "groups", "addresses": "themes", "operates_in": "areas"}


def _interval(graph: nx.MultiDiGraph, node: str) -> tuple[date, date]:
    data = graph.nodes[node]
    start = parse_partial_date(data["from"]).earliest() if data.get("from") else date.min
    end = parse_partial_date(data["until"]).latest() if data.get("until") else date.max
    return start, end


def _together(graph: nx.MultiDiGraph, a: str, b: str) -> bool:
    (sa, ea), (sb, eb) = _interval(graph, a), _interval(graph, b)
    return sa <= eb and sb <= ea


def _collect(graph: nx.MultiDiGraph, structures: list[str]) -> tuple[dict, dict, dict]:
    """Each structure's features, the structures holding each feature, and the warned pairs."""
    wanted = set(structures)
    feats = {
        s: {"participants": {}, "groups": set(), "themes": set(), "areas": set(), "owners": set()} for s in structures
    }
    holders: dict = defaultdict(set)  # (signal, feature) -> structures
    warned: dict = defaultdict(set)  # structure -> structures a respondent warned about with it
    for src, dst, d in graph.edges(data=True):
        if d["type"] == "position" and d.get("stance") == "varnar_för_överlapp":
            concerned = [c for c in d.get("concerns", []) if c in wanted]
            for a in concerned:
                warned[a].update(c for c in concerned if c != a)
        if d["type"] == "participates_in" and dst in wanted:
            level = 2 if d.get("role") in LEAD_ROLES else 1
            feats[dst]["participants"][src] = max(level, feats[dst]["participants"].get(src, 0))
            holders[("participants", src)].add(dst)
            if level == 2:
                feats[dst]["owners"].add(src)
                holders[("owners", src)].add(dst)
        elif d["type"] == "mandate" and dst in wanted:
            feats[dst]["owners"].add(src)
            holders[("owners", src)].add(dst)
        elif d["type"] in SETS and src in wanted:
            feats[src][SETS[d["type"]]].add(dst)
            holders[(SETS[d["type"]], dst)].add(src)
    return feats, holders, warned


def _tail(k: int, a: int, b: int, population: int) -> float:
    """P(X >= k), X hypergeometric: b drawn from `population` of which `a` are marked, by counting."""
    if k <= 0:
        return 1.0
    n = max(population, a, b)
    total = math.comb(n, b)
    return sum(math.comb(a, x) * math.comb(n - a, b - x) for x in range(k, min(a, b) + 1)) / total


def reference_scores(graph: nx.MultiDiGraph, sample: list[str], max_df: int) -> dict[tuple[str, str], float]:
    """Scores of every candidate pair (s, t), s in the sample, computed with sets over the graph."""
    structures = sorted(
        n for n, d in graph.nodes(data=True) if d.get("category") == "structure" and d["kind"] in DEFAULT_KINDS
    )
    n = len(structures)
    population = sum(1 for _, d in graph.nodes(data=True) if d.get("category") == "actor")
    feats, holders, warned = _collect(graph, structures)
    df = {key: len(members) for key, members in holders.items()}

    def idf(key):
        return math.log1p(n / max(df[key], 1)) / math.log1p(max(n, 2))

    def weight(s, name):
        if name == "participants":
            return sum(idf((name, f)) * level for f, level in feats[s][name].items())
        return sum(idf((name, f)) for f in feats[s][name])

    out = {}
    for s in sample:
        candidates = set()
        for name in ("participants", "groups", "themes", "areas", "owners"):
            for f in feats[s][name]:
                if df[(name, f)] <= max_df:
                    candidates |= holders[(name, f)]
        candidates |= warned[s]
        candidates.discard(s)
        candidates = {t for t in candidates if _together(graph, s, t)}
        for t in candidates:
            score = 0.0
            for name in ("participants", "groups", "themes", "areas"):
                if name == "participants":
                    a, b = feats[s][name], feats[t][name]
                    shared = sum(idf((name, f)) * min(a[f], b[f]) for f in a.keys() & b.keys())
                    count = len(a.keys() & b.keys())
                else:
                    shared = sum(idf((name, f)) for f in feats[s][name] & feats[t][name])
                wi, wj = weight(s, name), weight(t, name)
                denom = wi + wj - shared
                sim = shared / denom if denom > 0 else 0.0
                if name == "participants":
                    sim *= count / (count + 1)
                    sim *= 1.0 - _tail(count, len(a), len(b), population)
                score += SIGNAL_WEIGHTS[name] * min(max(sim, 0.0), 1.0)
            if feats[s]["owners"] & feats[t]["owners"]:
                score += SIGNAL_WEIGHTS["owners"]
            if t in warned[s]:
                score += SIGNAL_WEIGHTS["warnings"]
            out[tuple(sorted((s, t)))] = round(score, 6)
    return out
