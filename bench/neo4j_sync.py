"""Benchmark: syncing a large registry into Neo4j, and `who` on both backends.

A synthetic registry (bench/synth.py) of at least 200 000 relationships is synced batched
(`UNWIND … MERGE`, 1 000 rows a transaction); then a sample of its relationships is removed and
written again one statement per row, and that time is scaled to every row of the registry. Query
latency is the median of `who` over a sample of structures on the embedded graph and on Neo4j.
The server is the project's own (scripts/neo4j-server), or NEO4J_URI with NEO4J_PASSWORD.

    python bench/neo4j_sync.py [--structures 22000] [--sample 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.graphs.backends.neo4j_backend import Neo4jBackend
from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, connect
from samverkan.graphs.backends.neo4j_sync import apply_plan, plan_sync, read_state
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry


def server() -> tuple[Neo4jSettings, dict[str, str] | None]:
    if os.environ.get("NEO4J_URI"):
        return Neo4jSettings.resolve(), None
    env = dict(
        os.environ,
        NEO4J_PORT="17799",
        NEO4J_PASSWORD=secrets.token_hex(12),
        SAMVERKAN_NEO4J_STATE=tempfile.mkdtemp(prefix="samverkan-neo4j-bench-"),
    )
    out = (
        subprocess.run(
            [str(ROOT / "scripts" / "neo4j-server"), "start"], env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return Neo4jSettings(out, "neo4j", env["NEO4J_PASSWORD"]), env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", type=int, default=22_000)
    parser.add_argument("--municipalities", type=int, default=60)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import generate

    folder = Path(tempfile.mkdtemp(prefix="samverkan-synth-"))
    generate(folder, args.structures, args.municipalities, seed=2)  # with evidence: a registry the CLI accepts
    registry = load_registry(folder).registry
    settings, env = server()
    driver = connect(settings)
    db = settings.database
    try:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=db)
        plan = plan_sync(registry, read_state(driver, db))
        start = time.perf_counter()
        apply_plan(driver, db, plan)
        batched = time.perf_counter() - start
        rows = len(plan.create_nodes) + len(plan.create_rels)

        sample = random.Random(3).sample(plan.create_rels, min(args.sample, len(plan.create_rels)))
        driver.execute_query(
            "UNWIND $keys AS k MATCH ()-[r {key: k}]->() DELETE r", keys=[r.key for r in sample], database_=db
        )
        start = time.perf_counter()
        for rel in sample:
            driver.execute_query(
                f"MATCH (a:Entity {{id: $source}}) MATCH (b:Entity {{id: $target}}) "
                f"MERGE (a)-[r:{rel.type} {{key: $key}}]->(b) SET r = $props",
                source=rel.source,
                target=rel.target,
                key=rel.key,
                props=rel.props,
                database_=db,
            )
        per_row = (time.perf_counter() - start) / len(sample)

        structures = random.Random(4).sample([e.id for e in registry if e.category.value == "structure"], args.queries)
        embedded = EmbeddedBackend(registry, Filters(include_proposed=True))
        remote = Neo4jBackend(settings, Filters(include_proposed=True))

        def latency(backend):
            times = []
            for sid in structures:
                t = time.perf_counter()
                backend.who(sid)
                times.append(time.perf_counter() - t)
            return statistics.median(times) * 1000

        result = {
            "entities": len(registry),
            "relationships": len(plan.create_rels),
            "batched_seconds": round(batched, 1),
            "per_row_seconds_scaled": round(per_row * rows, 1),
            "sample_rows": len(sample),
            "ratio": round(per_row * rows / batched, 1),
            "who_ms_embedded": round(latency(embedded), 2),
            "who_ms_neo4j": round(latency(remote), 2),
        }
        remote.close()
    finally:
        driver.close()
        if env is not None:
            subprocess.run([str(ROOT / "scripts" / "neo4j-server"), "stop"], env=env, check=False)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
