"""Benchmark: `overlaps` top-k on a national-scale synthetic registry against a networkx reference.

The reference is the straightforward way: for each structure, walk the graph to every structure
that shares a (non-ubiquitous) feature with it and compute the same signals with Python sets. It is
run on a sample of structures; its time is scaled to the whole registry as
sample_seconds × n / sample / 2 (a full run would score each pair once, the sample scores a
structure against all others). Both must give the same pairs and scores on the sample.

    python bench/overlaps.py [--structures 80000] [--municipalities 290] [--sample 200] [--json]
                             [--registry DIR]   (reuse a registry made by bench/synth.py)
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphs.build import build_graph
from graphs.features import DEFAULT_KINDS, LEAD_ROLES, structure_features
from graphs.overlaps import SIGNAL_WEIGHTS, overlaps, score_pairs
from registry.query import Filters
from registry.store import load_registry

SETS = {"targets": "groups", "addresses": "themes", "operates_in": "areas"}


def reference(graph, sample, max_df):
    """Scores of every candidate pair (s, t), s in the sample, computed with sets over the graph."""
    structures = sorted(
        n
        for n, d in graph.nodes(data=True)
        if d.get("category") == "structure" and d["kind"] in DEFAULT_KINDS
    )
    wanted = set(structures)
    n = len(structures)
    feats = {
        s: {"participants": {}, "groups": set(), "themes": set(), "areas": set(), "owners": set()}
        for s in structures
    }
    holders = defaultdict(set)  # (signal, feature) -> structures
    for src, dst, d in graph.edges(data=True):
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
        candidates.discard(s)
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
                score += SIGNAL_WEIGHTS[name] * min(max(sim, 0.0), 1.0)
            if feats[s]["owners"] & feats[t]["owners"]:
                score += SIGNAL_WEIGHTS["owners"]
            out[tuple(sorted((s, t)))] = round(score, 6)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", type=int, default=80_000)
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--registry", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if args.registry is None:
        from synth import generate

        args.registry = Path(tempfile.mkdtemp(prefix="samverkan-synth-"))
        generate(args.registry, args.structures, args.municipalities, seed=1, with_evidence=False)
    t0 = time.perf_counter()
    registry = load_registry(args.registry).registry
    t1 = time.perf_counter()
    graph = build_graph(registry, Filters(include_proposed=True))
    t2 = time.perf_counter()

    start = time.perf_counter()
    top = overlaps(graph, top=args.top)
    seconds = time.perf_counter() - start

    features = structure_features(graph)
    n = len(features.ids)
    scores = score_pairs(features)
    max_df = scores.max_df
    sample = sorted(random.Random(7).sample(features.ids, min(args.sample, n)))
    start = time.perf_counter()
    ref = reference(graph, sample, max_df)
    sample_seconds = time.perf_counter() - start
    baseline = sample_seconds * n / len(sample) / 2

    chosen = set(sample)
    fast = {}
    for i, j, sc in zip(scores.i, scores.j, scores.score, strict=True):
        a, b = features.ids[i], features.ids[j]
        if a in chosen or b in chosen:
            fast[(a, b)] = round(float(sc), 6)
    identical = fast.keys() == ref.keys() and all(abs(fast[k] - ref[k]) < 1e-6 for k in fast)
    edges = sum(1 for _, _, d in graph.edges(data=True) if d["type"] == "participates_in")
    result = {
        "n_structures": n,
        "n_edges": edges,
        "seconds": round(seconds, 3),
        "baseline_seconds": round(baseline, 1),
        "ratio": round(baseline / seconds, 1),
        "identical": identical,
        "sample": len(sample),
        "sample_pairs": len(ref),
        "candidate_pairs": len(scores.i),
        "common_above_df": max_df,
        "load_seconds": round(t1 - t0, 1),
        "graph_seconds": round(t2 - t1, 1),
        "top_score": top[0]["score"] if top else None,
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
