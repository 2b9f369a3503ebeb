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
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samverkan.graphs.analysis.features import structure_features
from samverkan.graphs.analysis.overlaps import overlaps, score_pairs
from samverkan.graphs.backends.build import build_graph
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry
from tests.overlap_reference import reference_scores


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
    ref = reference_scores(graph, sample, max_df)
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
