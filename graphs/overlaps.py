"""Parallel structures: which pairs of forums and processes overlap, how much, and why.

Each pair is scored on separate signals (shared participants weighted by role and rarity, shared
target groups, themes and areas, a shared owner, and warnings the respondents themselves gave),
classified in the auditors' vocabulary (duplication, overlap, fragmentation) and explained in
Swedish. Candidate pairs come from sparse matrix products over the features, so the analysis
scales to all municipalities at once; features present in very many structures (a national
agency, "civilsamhället") still weigh in a pair's score but do not by themselves make two
structures a candidate pair.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, k, c in [("asn", "nämnd", "actor"), ("pol", "statlig_myndighet", "actor"),
...                 ("a", "samverkansforum", "structure"), ("b", "nätverk", "structure")]:
...     g.add_node(n, kind=k, category=c, name=n.upper(), status="befintlig")
>>> for actor in ("asn", "pol"):
...     for forum in ("a", "b"):
...         _ = g.add_edge(actor, forum, type="participates_in", role="deltar")
>>> [(r["a"]["id"], r["b"]["id"], r["score"], r["class"]) for r in overlaps(g)]
[('a', 'b', 0.2667, 'duplication')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from registry.names import sort_key

from .features import Features, structure_features

__all__ = ["SIGNAL_WEIGHTS", "PairScores", "overlaps", "score_pairs"]

SIGNAL_WEIGHTS = {
    "participants": 0.40,
    "groups": 0.10,
    "themes": 0.10,
    "areas": 0.10,
    "owners": 0.05,
    "warnings": 0.25,
}
_SETS = ("groups", "themes", "areas", "owners")


@dataclass
class PairScores:
    """Every candidate pair (i < j) with its intersections and score; arrays aligned by pair."""

    i: np.ndarray
    j: np.ndarray
    inter: dict[str, np.ndarray]
    score: np.ndarray


def _upper_pairs(product: sparse.csr_matrix) -> sparse.coo_matrix:
    upper = sparse.triu(product, k=1).tocoo()
    return upper


def _hub_mask(matrix: sparse.csr_matrix, max_df: int) -> np.ndarray:
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return df > max_df


def _pair_values(
    matrix: sparse.csr_matrix, i: np.ndarray, j: np.ndarray, chunk: int = 2_000_000
) -> np.ndarray:
    """The weight of what rows i and j share: each shared feature counted once, at its weight.

    A column's weight is the same in every row, so row i's weights times row j's indicator is the
    weighted size of the intersection.
    """
    out = np.zeros(len(i))
    for start in range(0, len(i), chunk):
        a = matrix[i[start : start + chunk]]
        b = matrix[j[start : start + chunk]]
        b.data = np.ones_like(b.data)
        out[start : start + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


def _similarity(inter: np.ndarray, wi: np.ndarray, wj: np.ndarray, measure: str) -> np.ndarray:
    denom = np.minimum(wi, wj) if measure == "overlap" else wi + wj - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(denom > 0, inter / denom, 0.0)
    return np.clip(sim, 0.0, 1.0)


def _matrices(features: Features) -> dict[str, list[sparse.csr_matrix]]:
    return {
        "participants": features.participants,
        **{name: [getattr(features, name)] for name in _SETS},
    }


def score_pairs(features: Features, measure: str = "jaccard", max_df: int | None = None) -> PairScores:
    """All candidate pairs and their scores.

    A pair is a candidate when the two structures share at least one feature held by at most
    `max_df` structures (default: 1 000 or 1 % of them, whichever is larger), or when a respondent
    warned about the two together. Pairs whose validity never overlaps in time are dropped.
    """
    n = len(features.ids)
    if max_df is None:
        max_df = max(1000, n // 100)
    mats = _matrices(features)
    pattern = sparse.csr_matrix((n, n))
    for layers in mats.values():
        base = layers[0]
        if base.shape[1] == 0:
            continue
        keep = ~_hub_mask(base, max_df)
        indicator = base[:, np.flatnonzero(keep)]
        indicator = indicator.astype(bool).astype(np.float32)
        pattern = pattern + _upper_pairs(indicator @ indicator.T).tocsr()
    if features.warnings:
        wi, wj = zip(*features.warnings, strict=True)
        pattern = pattern + sparse.csr_matrix((np.ones(len(wi)), (wi, wj)), shape=(n, n))
    coo = sparse.triu(pattern, k=1).tocoo()
    i, j = coo.row.astype(np.int64), coo.col.astype(np.int64)
    together = (features.start[i] <= features.end[j]) & (features.start[j] <= features.end[i])
    i, j = i[together], j[together]
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    inter: dict[str, np.ndarray] = {}
    score = np.zeros(len(i))
    for name, layers in mats.items():
        weights = (
            sum(np.asarray(m.sum(axis=1)).ravel() for m in layers) if layers[0].shape[1] else np.zeros(n)
        )
        shared = sum(_pair_values(m, i, j) for m in layers) if layers[0].shape[1] else np.zeros(len(i))
        inter[name] = shared
        if name == "owners":
            sim = (shared > 0).astype(float)
        else:
            sim = _similarity(shared, weights[i], weights[j], measure)
        if name == "participants":
            # one shared participant is thin evidence (a förvaltning runs many activities);
            # confidence grows with the number shared: 1 -> 1/2, 2 -> 2/3, 4 -> 4/5
            count = _pair_values(layers[0].astype(bool).astype(float), i, j)
            inter["participants_count"] = count
            sim = sim * count / (count + 1)
        inter[f"{name}_sim"] = sim
        score += SIGNAL_WEIGHTS[name] * sim
    warned = np.array([bool(features.warnings.get((a, b))) for a, b in zip(i, j, strict=True)], dtype=float)
    inter["warnings"] = warned
    score += SIGNAL_WEIGHTS["warnings"] * warned
    return PairScores(i, j, inter, np.round(score, 6))


# ---- explanation --------------------------------------------------------------------------------


def _names(graph: nx.MultiDiGraph, ids: list[str], limit: int = 5) -> str:
    names = [graph.nodes[x]["name"] for x in ids]
    shown = names[:limit]
    text = ", ".join(shown[:-1]) + (" och " if len(shown) > 1 else "") + shown[-1] if shown else ""
    return text + (f" och {len(names) - limit} till" if len(names) > limit else "")


def _shared(features: Features, name: str, a: int, b: int) -> list[str]:
    """The features two rows share, rarest (highest weight) first."""
    layers = _matrices(features)[name]
    row_a, row_b = layers[0].getrow(a), layers[0].getrow(b)
    common = set(row_a.indices) & set(row_b.indices)
    weight = {c: row_a[0, c] for c in common}
    cols = features.columns[name]
    return [cols[c] for c in sorted(common, key=lambda c: (-weight[c], cols[c]))]


def _classify(sims: dict[str, float], mandated: tuple[bool, bool], owners_shared: bool) -> str:
    purpose = max(sims["themes_sim"], sims["groups_sim"])
    if sims["participants_sim"] >= 0.6 or (sims["participants_sim"] >= 0.4 and purpose >= 0.5):
        return "duplication"
    if purpose >= 0.3 and not any(mandated) and not owners_shared:
        return "fragmentation"
    return "overlap"


def _explain(
    graph: nx.MultiDiGraph,
    features: Features,
    a: int,
    b: int,
    sims: dict[str, float],
    participants_overlap: float,
) -> list[str]:
    ida, idb = features.ids[a], features.ids[b]
    na, nb = graph.nodes[ida]["name"], graph.nodes[idb]["name"]
    reasons = []
    people = _shared(features, "participants", a, b)
    if people:
        reasons.append(f"båda samlar {_names(graph, people)}")
        if participants_overlap >= 0.999:
            wa = features.participants[0].getrow(a).nnz
            wb = features.participants[0].getrow(b).nnz
            small, large = (na, nb) if wa <= wb else (nb, na)
            if wa != wb:
                reasons.append(f"alla deltagare i {small} finns också i {large}")
    for name, phrase in (
        ("groups", "båda riktar sig till"),
        ("themes", "båda arbetar med"),
        ("areas", "båda verkar i"),
    ):
        shared = _shared(features, name, a, b)
        if shared:
            listed = _names(graph, shared)
            # target groups and themes are common nouns; areas are names
            reasons.append(f"{phrase} {listed if name == 'areas' else listed.lower()}")
    owners = _shared(features, "owners", a, b)
    if owners:
        reasons.append(f"samma ansvariga: {_names(graph, owners)}")
    ma, mb = bool(features.mandated[a]), bool(features.mandated[b])
    if not ma and not mb:
        reasons.append("ingen av dem har ett beslutat mandat")
    elif ma != mb:
        reasons.append(f"bara {na if ma else nb} har ett beslutat mandat")
    sa, sb = graph.nodes[ida].get("status"), graph.nodes[idb].get("status")
    if "föreslagen" in (sa, sb) and sa != sb:
        proposed, existing = (na, nb) if sa == "föreslagen" else (nb, na)
        reasons.append(f"{proposed} är föreslagen och överlappar den befintliga {existing}")
    warned = features.warnings.get((a, b)) or features.warnings.get((b, a))
    if warned:
        reasons.append(f"{_names(graph, warned)} varnar för överlapp mellan dem")
    return reasons


def _ref(graph: nx.MultiDiGraph, node: str) -> dict[str, str]:
    d = graph.nodes[node]
    return {"id": node, "name": d["name"], "kind": d["kind"]}


def _within(graph: nx.MultiDiGraph, ids: list[str], target: str, relation: str) -> set[str]:
    """Structures with a `relation` edge to `target` or to anything that is part of it."""
    targets = {target} | {s for s, _, d in graph.in_edges(target, data=True) if d["type"] == "part_of"}
    frontier = set(targets)
    while frontier:
        frontier = {
            s for t in frontier for s, _, d in graph.in_edges(t, data=True) if d["type"] == "part_of"
        } - targets
        targets |= frontier
    keep = set()
    for sid in ids:
        for _, dst, d in graph.out_edges(sid, data=True):
            if d["type"] == relation and dst in targets:
                keep.add(sid)
    return keep


def overlaps(
    graph: nx.MultiDiGraph,
    *,
    kinds: list[str] | None = None,
    measure: str = "jaccard",
    top: int | None = 20,
    min_score: float = 0.0,
    area: str | None = None,
    theme: str | None = None,
    max_df: int | None = None,
) -> list[dict[str, Any]]:
    """The highest-scoring pairs of structures, each with its signals, class and reasons."""
    if measure not in ("jaccard", "overlap"):
        raise ValueError("measure must be 'jaccard' or 'overlap'")
    features = structure_features(graph, kinds)
    scores = score_pairs(features, measure, max_df)
    keep = scores.score > min_score if min_score <= 0 else scores.score >= min_score
    for filt, relation in ((area, "operates_in"), (theme, "addresses")):
        if filt is not None:
            allowed = _within(graph, features.ids, filt, relation)
            mask = np.array([features.ids[x] in allowed for x in range(len(features.ids))], dtype=bool)
            keep &= mask[scores.i] & mask[scores.j]
    idx = np.flatnonzero(keep)
    # rank names once (Swedish order) so ties sort by name without a Python sort of every pair
    by_name = sorted(range(len(features.ids)), key=lambda x: (sort_key(graph.nodes[features.ids[x]]["name"]), x))
    name_rank = np.empty(len(features.ids), dtype=np.int64)
    name_rank[by_name] = np.arange(len(by_name))
    order = np.lexsort((name_rank[scores.j[idx]], name_rank[scores.i[idx]], -scores.score[idx]))
    ranked = idx[order] if top is None else idx[order[:top]]
    results = []
    for k in ranked:
        a, b = int(scores.i[k]), int(scores.j[k])
        sims = {key: float(v[k]) for key, v in scores.inter.items() if key.endswith("_sim")}
        sims["shared_participants"] = float(scores.inter["participants_count"][k])
        part_overlap = _similarity(
            scores.inter["participants"][k : k + 1], *_row_weights(features, a, b), "overlap"
        )[0]
        signals = {
            "participants": {
                "score": round(sims["participants_sim"], 4),
                "overlap_coefficient": round(float(part_overlap), 4),
                "shared": _shared(features, "participants", a, b),
            },
            **{
                name: {"score": round(sims[f"{name}_sim"], 4), "shared": _shared(features, name, a, b)}
                for name in ("groups", "themes", "areas")
            },
            "owners": {"shared": _shared(features, "owners", a, b)},
            "time": True,
            "warnings": features.warnings.get((a, b), []),
        }
        mandated = (bool(features.mandated[a]), bool(features.mandated[b]))
        results.append(
            {
                "a": _ref(graph, features.ids[a]),
                "b": _ref(graph, features.ids[b]),
                "score": round(float(scores.score[k]), 4),
                "signals": signals,
                "class": _classify(sims, mandated, bool(signals["owners"]["shared"])),
                "reasons": _explain(graph, features, a, b, sims, float(part_overlap)),
            }
        )
    return results


def _row_weights(features: Features, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    wa = sum(float(m.getrow(a).sum()) for m in features.participants)
    wb = sum(float(m.getrow(b).sum()) for m in features.participants)
    return np.array([wa]), np.array([wb])
