"""Benchmark: `samverkan site` on the Malmö registry and on a national-scale synthetic one, and the
site's search in headless Chromium.

Build: seconds of `build_site` (every page, the views, the report, the search index), after the
registry is loaded and the graph built (reported apart). The Malmö build in the same run is the
baseline; `per_entity_ms` compares the two per page written.

Search: the national site's `sok.html` opened from disk in Chromium; milliseconds from typing a
query to the results on the page (`samverkanSok.lastMs`, measured around the search and the list's
update), for whole names, inflected forms, prefixes as they are typed, and words in quotes.

    python bench/site.py [--structures 80000] [--municipalities 290] [--registry DIR] [--json]

The synthetic registry is generated under the system's temporary folder unless --registry names
one made by bench/synth.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.graphs.presentation.site import build_site
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR
from tests.browser import start_browser

QUERIES = [
    "polisen",
    "polisens",
    "civilsamhället",
    "Arbetsförmedlingens",
    "fritidsnämnden",
    "socialnämndens styrgrupp",
    "po",
    "sty",
    "styrgr",
    "styrgrupp",
    "nätverk",
    "nätverken",
    "tema",
    "målgrupp",
    "underlag",
    "prestandamätning",
    "syntetiskt underlag",
    "kommun 17",
    "plattformarna",
    "xyzzy",
]


def build(root: Path, out: Path) -> dict:
    t0 = time.perf_counter()
    registry = load_registry(root).registry
    t1 = time.perf_counter()
    backend = EmbeddedBackend(registry, Filters(include_proposed=True))
    t2 = time.perf_counter()
    summary = build_site(registry, backend, out)
    t3 = time.perf_counter()
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "entities": summary["entities"],
        "relations": summary["relations"],
        "files": summary["files"],
        "megabytes": round(size / 1e6, 1),
        "index_megabytes": round((out / "assets" / "sok-index.js").stat().st_size / 1e6, 1),
        "load_seconds": round(t1 - t0, 1),
        "graph_seconds": round(t2 - t1, 1),
        "seconds": round(t3 - t2, 1),
    }


def search_latency(site: Path, profile: Path) -> dict:
    driver = start_browser(profile)
    try:
        t0 = time.perf_counter()
        driver.get((site / "sok.html").resolve().as_uri())
        while not driver.execute_script("return !!window.samverkanSok"):
            time.sleep(0.05)
        load = time.perf_counter() - t0
        times, counts = [], {}
        for query in QUERIES:
            for typed in range(1, len(query) + 1):  # as it is typed, letter by letter
                ms, count = driver.execute_script(
                    "var box = document.getElementById('sok'); box.value = arguments[0];"
                    "box.dispatchEvent(new Event('input')); return [samverkanSok.lastMs, samverkanSok.count];",
                    query[:typed],
                )
                times.append(ms)
            counts[query] = count
    finally:
        driver.quit()
    times.sort()
    return {
        "index_load_seconds": round(load, 2),
        "queries": len(times),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
        "hits": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", type=int, default=80_000)
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--registry", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="samverkan-site-bench-"))
    try:
        if args.registry is None:
            from synth import generate

            args.registry = work / "register"
            generate(args.registry, args.structures, args.municipalities, seed=1, with_evidence=True)
        malmo = build(SEED_DIR, work / "malmo")
        national = build(args.registry, work / "national")
        result = {
            "malmo": malmo,
            "national": national,
            "per_entity_ms": {
                "malmo": round(1000 * malmo["seconds"] / malmo["entities"], 2),
                "national": round(1000 * national["seconds"] / national["entities"], 2),
            },
            "search": search_latency(work / "national", work / "chromium-profile"),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False) if args.json else json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
