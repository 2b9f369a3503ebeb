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
>>> g.add_nodes_from((f"n{k}", {"category": "actor"}) for k in range(20))  # the rest of the city
>>> [(r["a"]["id"], r["b"]["id"], r["score"], r["class"]) for r in overlaps(g)]
[('a', 'b', 0.2655, 'duplication')]
>>> overlaps(g)[0]["inferred"]["summary"]
['delar 2 av 2 deltagare; väntat vid slump 0,2']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from samverkan.graphs.analysis.features import Features, structure_features
from samverkan.graphs.analysis.surprise import expected_shared, shared_tail
from samverkan.graphs.contract import Status, node_ref, part_of_walk
from samverkan.registry.names import sort_key

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
    max_df: int = 0  # features held by more structures than this did not propose pairs


PAIR_BUDGET = 3_000_000


def common_threshold(dfs: list[np.ndarray], budget: int = PAIR_BUDGET) -> int:
    """The largest document frequency a feature may have and still generate candidate pairs.

    Features are admitted from the rarest up while the pairs they generate (df·(df−1)/2 each)
    stay within `budget`; the rest count as common. On a municipality's registry every feature
    fits; on a national one, a participant found in thousands of structures no longer proposes
    pairs by itself (it still counts in the scores).

    >>> common_threshold([np.array([2, 3, 1000])], budget=10)
    3
    """
    df = np.sort(np.concatenate([d for d in dfs if d.size] or [np.zeros(1, np.int64)]))
    pairs = np.cumsum(df.astype(np.float64) * (df - 1) / 2)
    fits = df[pairs <= budget]
    return int(fits.max()) if fits.size else 1


def _column_df(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.bincount(matrix.indices, minlength=matrix.shape[1])


def _upper(product: sparse.spmatrix, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys (i·n + j, i < j) and values of a pair matrix's upper triangle."""
    upper = sparse.triu(product, k=1).tocoo()
    return upper.row.astype(np.int64) * n + upper.col.astype(np.int64), upper.data.astype(np.float64)


def _hub_values(matrix: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Weighted size of what rows i and j share among a few (common) columns.

    Each row's columns become bits of a 64-bit mask; a pair's shared columns are the AND of its
    masks, and their weights are summed through one lookup table per byte, so millions of pairs
    cost a handful of vectorised passes.
    """
    out = np.zeros(len(i))
    csc = matrix.tocsc()
    for first in range(0, csc.shape[1], 64):
        masks = np.zeros(csc.shape[0], dtype=np.uint64)
        weights = np.zeros(64)
        for bit, col in enumerate(range(first, min(first + 64, csc.shape[1]))):
            rows = csc.indices[csc.indptr[col] : csc.indptr[col + 1]]
            if rows.size:
                masks[rows] |= np.uint64(1) << np.uint64(bit)
                weights[bit] = csc.data[csc.indptr[col]]
        bits = (np.arange(256)[:, None] >> np.arange(8)) & 1  # 256 × 8: the bits of each byte value
        shared = (masks[i] & masks[j]).view(np.uint8).reshape(-1, 8)  # little-endian bytes
        for k in range(8):
            table = bits @ weights[8 * k : 8 * k + 8]
            out += table[shared[:, k]]
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


def _row_weights(layers: list[sparse.csr_matrix]) -> np.ndarray:
    return np.asarray(sum(np.asarray(m.sum(axis=1)).ravel() for m in layers))


def _align(cand: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Values given for some keys, laid out along the sorted candidate keys (0 elsewhere)."""
    out = np.zeros(len(cand))
    if len(cand) and len(keys):
        pos = np.minimum(np.searchsorted(cand, keys), len(cand) - 1)
        ok = cand[pos] == keys
        np.add.at(out, pos[ok], values[ok])
    return out


def _combine(
    inter: dict[str, np.ndarray],
    weights: dict[str, np.ndarray],
    i: np.ndarray,
    j: np.ndarray,
    warned: np.ndarray,
    measure: str,
    surprise: tuple[np.ndarray, int] | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Scores from intersections: one similarity per signal, weighted and summed.

    With `surprise` (the structures' sizes and the actor population) the participant similarity
    is weighed by how unlikely the shared membership is at random (1 − the hypergeometric tail);
    without it the factor is 1, which bounds the score from above.
    """
    sims: dict[str, np.ndarray] = {}
    score = SIGNAL_WEIGHTS["warnings"] * warned
    for name, signal_weight in SIGNAL_WEIGHTS.items():
        if name == "warnings":
            continue
        shared = inter[name]
        if name == "owners":
            sim = (shared > 0).astype(float)
        else:
            sim = _similarity(shared, weights[name][i], weights[name][j], measure)
        if name == "participants":
            # one shared participant is thin evidence (a förvaltning runs many activities);
            # confidence grows with the number shared: 1 -> 1/2, 2 -> 2/3, 4 -> 4/5
            count = inter["participants_count"]
            sim = sim * count / (count + 1)
            sims[f"{name}_sim"] = sim
            if surprise is not None:
                # the signal says what is shared; the score how much that says beyond chance
                sizes, population = surprise
                tail = shared_tail(np.rint(count), sizes[i], sizes[j], population)
                sims["participants_tail"] = tail
                sim = sim * (1.0 - tail)
        else:
            sims[f"{name}_sim"] = sim
        score = score + signal_weight * sim
    return score, sims


Parts = dict[str, list[tuple[np.ndarray, np.ndarray]]]


def _rare_parts(
    mats: dict[str, list[sparse.csr_matrix]], rare: dict[str, np.ndarray], n: int
) -> tuple[Parts, sparse.csr_matrix]:
    """Sparse products over the rare columns: each signal's share of the intersections, by pair
    key, and the union of the pairs they found (the candidates)."""
    parts: Parts = {}
    union = sparse.csr_matrix((n, n))
    for name, layers in mats.items():
        ones = [layer[:, rare[name]].astype(bool).astype(np.float64) for layer in layers]
        # each layer against its own indicator: a leader counts twice only if both lead
        parts[name] = [_upper(layer[:, rare[name]] @ one.T, n) for layer, one in zip(layers, ones, strict=True)]
        together = ones[0] @ ones[0].T
        union = union + sparse.triu(together, k=1).astype(bool)
        if name == "participants":
            parts["participants_count"] = [_upper(together, n)]
    return parts, union


def _candidates(
    union: sparse.csr_matrix, features: Features, rows: np.ndarray | None, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (i < j, row-major order), with warned pairs added and filters applied."""
    if features.warnings:
        wi, wj = (np.array(x) for x in zip(*features.warnings, strict=True))
        union = union + sparse.csr_matrix((np.ones(len(wi)), (wi, wj)), shape=(n, n))
    upper = sparse.triu(union, k=1).tocoo()
    i, j = upper.row.astype(np.int64), upper.col.astype(np.int64)
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    keep = (features.start[i] <= features.end[j]) & (features.start[j] <= features.end[i])
    if rows is not None:
        keep &= rows[i] & rows[j]
    return i[keep], j[keep]


def _best_case(
    inter: dict[str, np.ndarray],
    common_mats: dict[str, list[sparse.csr_matrix]],
    i: np.ndarray,
    j: np.ndarray,
) -> dict[str, np.ndarray]:
    """Intersections if every common feature of the poorer row of each pair were shared."""
    best = dict(inter)
    for name, layers in common_mats.items():
        cap = _row_weights(layers)
        best[name] = inter[name] + np.minimum(cap[i], cap[j])
        if name == "participants":
            held = np.diff(layers[0].indptr).astype(float)
            best["participants_count"] = inter["participants_count"] + np.minimum(held[i], held[j])
    return best


def score_pairs(
    features: Features,
    measure: str = "jaccard",
    max_df: int | None = None,
    top: int | None = None,
    min_score: float = 0.0,
    rows: np.ndarray | None = None,
) -> PairScores:
    """Candidate pairs and their scores: all of them, or just enough to know the `top` best.

    A pair is a candidate when the two structures share at least one feature held by at most
    `max_df` structures (default: `common_threshold`), or when a respondent warned about the two
    together; pairs whose validity never overlaps in time are dropped, and so are pairs with a
    structure outside `rows` (a boolean mask) when one is given. For candidates, every shared
    feature counts, common ones included: rare features come from sparse products, common ones
    from bit masks. With `top` or `min_score`, pairs whose best possible score (all their common
    features shared) cannot reach the threshold are skipped before the common features are
    counted; the pairs returned and their scores are exactly those of a full run.
    """
    n = max(len(features.ids), 1)
    mats = {name: layers for name, layers in _matrices(features).items() if layers[0].shape[1]}
    dfs = {name: _column_df(layers[0]) for name, layers in mats.items()}
    if max_df is None:
        max_df = common_threshold(list(dfs.values()))
    parts, union = _rare_parts(mats, {name: np.flatnonzero(df <= max_df) for name, df in dfs.items()}, n)
    i, j = _candidates(union, features, rows, n)
    cand = i * n + j
    warned = np.isin(cand, [a * n + b for a, b in features.warnings]).astype(float)
    inter = {name: np.zeros(len(cand)) for name in (*SIGNAL_WEIGHTS, "participants_count")}
    for name, found in parts.items():
        inter[name] = sum((_align(cand, k, v) for k, v in found), inter[name])
    weights = {name: _row_weights(mats[name]) if name in mats else np.zeros(n) for name in SIGNAL_WEIGHTS}
    common_mats = {
        name: [layer[:, np.flatnonzero(dfs[name] > max_df)].tocsr() for layer in mats[name]]
        for name in mats
        if (dfs[name] > max_df).any()
    }
    surprise = (features.sizes, features.population)
    if common_mats and (top is not None or min_score > 0):
        # the low bound counts rare features only: fewer shared, so a larger tail, a lower score
        low, _ = _combine(inter, weights, i, j, warned, measure, surprise)
        high, _ = _combine(_best_case(inter, common_mats, i, j), weights, i, j, warned, measure)
        threshold = min_score
        if top is not None and len(low) > top:
            threshold = max(threshold, float(np.partition(low, len(low) - top)[len(low) - top]))
        # pairs the documents warn about rank first whatever their score: never pruned
        maybe = (high >= threshold - 1e-9) | (warned > 0)
        i, j, warned = i[maybe], j[maybe], warned[maybe]
        inter = {name: values[maybe] for name, values in inter.items()}
    for name, layers in common_mats.items():
        inter[name] = inter[name] + sum(_hub_values(layer, i, j) for layer in layers)
        if name == "participants":
            held = layers[0].astype(bool).astype(np.float64).tocsr()
            inter["participants_count"] = inter["participants_count"] + _hub_values(held, i, j)
    score, sims = _combine(inter, weights, i, j, warned, measure, surprise)
    inter.update(sims)
    inter["warnings"] = warned
    return PairScores(i, j, inter, np.round(score, 6), max_df)


# ---- explanation --------------------------------------------------------------------------------


def _names(graph: nx.MultiDiGraph, ids: list[str], limit: int = 5) -> str:
    names = [graph.nodes[x]["name"] for x in ids]
    shown = names[:limit]
    text = ", ".join(shown[:-1]) + (" och " if len(shown) > 1 else "") + shown[-1] if shown else ""
    return text + (f" och {len(names) - limit} till" if len(names) > limit else "")


def _row(matrix: sparse.csr_matrix, r: int) -> tuple[np.ndarray, np.ndarray]:
    """The columns and values stored in one row (read in place: explaining tens of thousands of
    pairs, as the gaps analysis does, would spend most of its time making one-row matrices)."""
    lo, hi = matrix.indptr[r], matrix.indptr[r + 1]
    return matrix.indices[lo:hi], matrix.data[lo:hi]


def _shared(features: Features, name: str, a: int, b: int) -> list[str]:
    """The features two rows share, rarest (highest weight) first."""
    layers = _matrices(features)[name]
    cols_a, values_a = _row(layers[0], a)
    common = set(cols_a.tolist()) & set(_row(layers[0], b)[0].tolist())
    weight = {c: v for c, v in zip(cols_a.tolist(), values_a.tolist(), strict=True) if c in common}
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
            wa, wb = (len(_row(features.participants[0], x)[0]) for x in (a, b))
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
        proposed, existing = (na, nb) if sa == Status.FORESLAGEN else (nb, na)
        reasons.append(f"{proposed} är föreslagen och överlappar den befintliga {existing}")
    warned = features.warnings.get((a, b)) or features.warnings.get((b, a))
    if warned:
        reasons.append(f"{_names(graph, warned)} varnar för överlapp mellan dem")
    return reasons


def _within(graph: nx.MultiDiGraph, features: Features, target: str, signal: str) -> np.ndarray:
    """Which structures have a feature of `signal` (areas, themes) that is `target` or part of it."""
    targets = set(part_of_walk(graph, target))
    columns = [c for c, feature in enumerate(features.columns[signal]) if feature in targets]
    return getattr(features, signal)[:, columns].getnnz(axis=1) > 0


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
    features: Features | None = None,
) -> list[dict[str, Any]]:
    """The highest-scoring pairs of structures, each with its signals, class and reasons.

    `features` are the structures' features when they are already built (`features_of`, from
    the registry's index; `kinds` is then theirs): the graph is then asked only for what the
    explanations of the pairs shown need, so it may hold just every node's name, kind, status
    and category, the part-of edges and the overlap statements.
    """
    if measure not in ("jaccard", "overlap"):
        raise ValueError("measure must be 'jaccard' or 'overlap'")
    if features is None:
        features = structure_features(graph, kinds)
    rows = np.ones(len(features.ids), dtype=bool)
    for filt, signal in ((area, "areas"), (theme, "themes")):
        if filt is not None:
            rows &= _within(graph, features, filt, signal)
    scores = score_pairs(features, measure, max_df, top=top, min_score=min_score, rows=rows)
    keep = scores.score > min_score if min_score <= 0 else scores.score >= min_score
    idx = np.flatnonzero(keep)
    # rank names once (Swedish order) so ties sort by name without a Python sort of every pair
    by_name = sorted(range(len(features.ids)), key=lambda x: (sort_key(graph.nodes[features.ids[x]]["name"]), x))
    name_rank = np.empty(len(features.ids), dtype=np.int64)
    name_rank[by_name] = np.arange(len(by_name))
    # what the documents say comes first: pairs with more distinct warning voices rank higher,
    # and every warned pair above every pair that only the network's structure suggests
    voices = np.array(
        [len(features.warnings.get((int(a), int(b)), [])) for a, b in zip(scores.i[idx], scores.j[idx], strict=True)],
        dtype=np.int64,
    )
    order = np.lexsort((name_rank[scores.j[idx]], name_rank[scores.i[idx]], -scores.score[idx], -voices))
    ranked = idx[order] if top is None else idx[order[:top]]
    from samverkan.graphs.analysis.warnings import pair_voices

    stated = pair_voices(graph)
    results = []
    for k in ranked:
        a, b = int(scores.i[k]), int(scores.j[k])
        sims = {key: float(v[k]) for key, v in scores.inter.items() if key.endswith("_sim")}
        sims["shared_participants"] = float(scores.inter["participants_count"][k])
        sizes = (int(features.sizes[a]), int(features.sizes[b]))
        expected = float(expected_shared(*sizes, features.population))
        tail = float(scores.inter["participants_tail"][k]) if "participants_tail" in scores.inter else 1.0
        part_overlap = _similarity(
            scores.inter["participants"][k : k + 1], *_participant_weights(features, a, b), "overlap"
        )[0]
        signals: dict[str, Any] = {
            "participants": {
                "score": round(sims["participants_sim"], 4),
                "overlap_coefficient": round(float(part_overlap), 4),
                "shared": _shared(features, "participants", a, b),
                "sizes": list(sizes),
                "expected_shared": round(expected, 4),
                "p_value": round(tail, 6),
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
        ida, idb = features.ids[a], features.ids[b]
        voices_ab = stated.get((ida, idb) if ida < idb else (idb, ida), [])
        statuses = {graph.nodes[ida].get("status"), graph.nodes[idb].get("status")}
        results.append(
            {
                "a": node_ref(graph, ida),
                "b": node_ref(graph, idb),
                "score": round(float(scores.score[k]), 4),
                "signals": signals,
                "class": _classify(sims, mandated, bool(signals["owners"]["shared"])),
                "reasons": _explain(graph, features, a, b, sims, float(part_overlap)),
                "basis": "stated" if voices_ab else "inferred",
                "stated": {"voice_count": len({v["speaker"]["id"] for v in voices_ab}), "voices": voices_ab},
                "inferred": _inferred(graph, features, a, b, signals, expected),
                "proposed_vs_existing": statuses == {"föreslagen", "befintlig"},
            }
        )
    return results


def _inferred(
    graph: nx.MultiDiGraph, features: Features, a: int, b: int, signals: dict[str, Any], expected: float
) -> dict[str, Any]:
    """What the network's structure says, in words: shared participants against chance, and the rest."""
    shared = len(signals["participants"]["shared"])
    smaller = int(min(features.sizes[a], features.sizes[b]))
    text = []
    if shared:
        text.append(f"delar {shared} av {smaller} deltagare; väntat vid slump {_decimal(expected)}")
    for name, label in (("groups", "målgrupper"), ("themes", "teman"), ("areas", "områden")):
        if signals[name]["shared"]:
            text.append(f"{len(signals[name]['shared'])} gemensamma {label}")
    if signals["owners"]["shared"]:
        text.append("samma ansvariga")
    return {"shared_participants": shared, "expected_shared": round(expected, 4), "summary": text}


def _decimal(value: float) -> str:
    """A number as Swedish officials write it: one decimal, decimal comma."""
    return f"{value:.1f}".replace(".", ",")


def _participant_weights(features: Features, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    wa = sum(float(_row(m, a)[1].sum()) for m in features.participants)
    wb = sum(float(_row(m, b)[1].sum()) for m in features.participants)
    return np.array([wa]), np.array([wb])
