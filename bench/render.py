"""Benchmark: how long a view takes to appear, drawn and still, in headless Chromium.

For synthetic graphs of 500, 2 000 and 5 000 nodes, the page is opened from disk and the time from
navigation to a stable, drawn network is read from the page (`samverkan.readyAt`): once with the
precomputed layout (physics off, as `samverkan render` does above 150 nodes) and once with
vis-network's default physics (what a pyvis page does), in the same run.

    python bench/render.py [--json] [--sizes 500,2000,5000] [--timeout 180]
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

import networkx as nx

from samverkan.graphs.presentation.html import embed_json, render_page, view_data
from samverkan.graphs.presentation.views import build_view
from tests.browser import start_browser


def synthetic_graph(nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """Actors and structures in the proportions of a municipality's registry, heavy-tailed."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    actors = [f"a{i}" for i in range(nodes // 4)]
    structures = [f"s{i}" for i in range(nodes - len(actors))]
    for a in actors:
        g.add_node(
            a,
            name=f"Aktör {a}",
            kind=rng.choice(["nämnd", "förvaltning", "civilsamhälle"]),
            category="actor",
            status="befintlig",
            evidence=[],
            aliases=[],
        )
    weights = [1 / (r + 1) for r in range(len(actors))]
    for s in structures:
        g.add_node(
            s,
            name=f"Struktur {s}",
            kind=rng.choice(["samverkansforum", "team", "projekt"]),
            category="structure",
            status="befintlig",
            evidence=[],
            aliases=[],
        )
        for a in set(rng.choices(actors, weights, k=rng.randint(1, 5))):
            g.add_edge(a, s, key=f"{a}|{s}", type="participates_in", role="deltar", status="befintlig", evidence=[])
    return g


def time_page(driver, html: str, folder: Path, name: str, timeout: float) -> float | None:
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    driver.get(path.as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready_at = driver.execute_script("return window.samverkan && window.samverkan.readyAt")
        if ready_at:
            return round(ready_at / 1000, 2)
        time.sleep(0.1)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="samverkan-render-"))
    driver = start_browser(folder / "profile")
    results = []
    try:
        for size in (int(x) for x in args.sizes.split(",")):
            graph = synthetic_graph(size)
            start = time.perf_counter()
            view = build_view(graph, "full", title=f"{size} noder")
            build_seconds = time.perf_counter() - start
            data = view_data(view)
            data["physics"] = False
            pre = time_page(
                driver,
                render_page("view.html", view=view, data_json=embed_json(data), subtitle=""),
                folder,
                f"pre-{size}",
                args.timeout,
            )
            default = dict(
                data,
                physics="default",
                nodes=[{k: v for k, v in n.items() if k not in ("x", "y")} for n in data["nodes"]],
            )
            phys = time_page(
                driver,
                render_page("view.html", view=view, data_json=embed_json(default), subtitle=""),
                folder,
                f"physics-{size}",
                args.timeout,
            )
            results.append(
                {
                    "nodes": len(view.nodes),
                    "edges": len(view.edges),
                    "layout_seconds": round(build_seconds, 2),
                    "precomputed_seconds": pre,
                    "default_physics_seconds": phys,
                    "ratio": round(phys / pre, 1) if pre and phys else None,
                }
            )
    finally:
        driver.quit()
    if args.json:
        print(json.dumps({"results": results}))
    else:
        for r in results:
            print(r)


if __name__ == "__main__":
    main()
