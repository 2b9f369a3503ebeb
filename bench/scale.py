"""Benchmark: the national synthetic registry as a user meets it, measured in one run.

Generates (or reuses, `--registry DIR`) a registry with bench/synth.py, with evidence, so that it
passes validation and the CLI accepts it, then measures with fresh processes and a fresh index:

- cold_s: the first `who X` (the index built from nothing);
- warm_ratio: `who X` against `python -c "import networkx"`, medians of alternating runs (as
  bench/cli_latency.py does), and rss_mb, the peak memory of a warm `who`;
- edit_s: the slowest of four edits each followed by a query that must show it: a changed name,
  a file renamed to .yml, a new entity file, and that file deleted again;
- overlaps_s: `overlaps --top 50` in a fresh process, index warm;
- neo4j_rows_per_s: a full sync into an empty database of the project's server (scripts/neo4j-
  server), rows (nodes + relationships) per second of writing, and neo4j_end_to_end_rows_per_s,
  per second of reading, planning and writing; then one file changed and synced again, and how
  many rows that wrote (`neo4j_resync_rows`) and how long it took, as `neo4j sync` does it: from
  the row hashes cached at the first sync (`neo4j_resync_s`); then the same rows into an empty database by
  Neo4j's bulk import (`neo4j csv`, `scripts/neo4j-server import`): neo4j_import_rows_per_s.
  `--only neo4j` measures this stage alone.

Nothing is asserted against the goals; the figures are reported as measured.

`--only overlaps` measures that stage alone (the registry is then only read): one `who` first,
which builds the index or brings it up to date (`index_s`), then `overlaps_s` with the CPU
seconds (`overlaps_cpu_s`, which a loaded machine does not inflate) and the peak memory of that
process. With `--cache-dir DIR` the index is kept there (the user's cache, `~/.cache/samverkan`,
reuses a warm one) instead of in a fresh temporary folder.

    python bench/scale.py [--registry DIR] [--structures 80000] [--municipalities 290] [--json]
                          [--runs 5] [--no-neo4j] [--only overlaps|neo4j] [--cache-dir DIR]
                          [--no-neo4j-sync-load]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLI = [sys.executable, "-c", "from samverkan.cli.entry import main; main()"]  # as the console script
BASELINE = [sys.executable, "-c", "import networkx"]


def run(args: list[str], env: dict[str, str], check: bool = True) -> tuple[float, str]:
    """Wall seconds and stdout of one fresh process."""
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(args[3:])} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds, done.stdout


def child_usage(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident megabytes of one process, from
    the kernel's accounting of that child: the CPU seconds do not grow with the machine's load."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(args[3:])} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def peak_rss_mb(args: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one process."""
    return child_usage(args, env)[2]


def query(registry: Path, env: dict[str, str], *args: str, check: bool = True) -> tuple[float, str]:
    return run([*CLI, "--registry", str(registry), *args], env, check)


def machine() -> dict[str, object]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg()[0],
    }


def edits(registry: Path, env: dict[str, str], structure: str) -> dict[str, float]:
    """Four edits, each timed with the query after it, each checked in the answer."""
    out: dict[str, float] = {}
    path = registry / "structures" / f"{structure}.yaml"
    text = path.read_text(encoding="utf-8")
    changed = text.replace("name: ", "name: Ändrad ", 1)
    path.write_text(changed, encoding="utf-8")
    out["edit_content_s"], shown = query(registry, env, "show", structure, "--json")
    assert json.loads(shown)["entity"]["name"].startswith("Ändrad "), "the edit is not in the answer"
    path.write_text(text, encoding="utf-8")  # back, for the next measurements
    query(registry, env, "show", structure, "--json")

    renamed = path.with_suffix(".yml")
    path.rename(renamed)
    out["edit_rename_s"], shown = query(registry, env, "show", structure, "--json")
    assert json.loads(shown)["entity"]["id"] == structure
    renamed.rename(path)
    query(registry, env, "show", structure, "--json")

    added = registry / "structures" / "bench-ny-struktur.yaml"
    added.write_text(
        "id: bench-ny-struktur\nkind: samverkansforum\nname: Ny struktur för mätning\nevidence:\n"
        "- source: syntetiskt-underlag\n  quote: Syntetiskt underlag för prestandamätning.\n",
        encoding="utf-8",
    )
    out["edit_add_s"], shown = query(registry, env, "show", "bench-ny-struktur", "--json")
    assert json.loads(shown)["entity"]["name"] == "Ny struktur för mätning"
    added.unlink()
    out["edit_delete_s"], _ = query(registry, env, "show", "bench-ny-struktur", "--json", check=False)
    _, missing = query(registry, env, "list", "--kind", "samverkansforum", "--json")
    assert "bench-ny-struktur" not in missing
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def neo4j(registry: Path, structure: str, sync_load: bool = True) -> dict[str, object]:
    """A full sync into an empty database (unless not `sync_load`), the same rows by bulk import into
    an empty database, then a re-sync of that database after one changed file.

    As `samverkan neo4j sync` does it: the rows come from the registry's index when it is clean
    (from the files otherwise; `neo4j_source` says which). `neo4j_load_s` is reading the registry
    into rows, `neo4j_plan_s` comparing them with the database, `neo4j_write_s` writing (with the
    relationship key indexes built and online). `neo4j_rows_per_s` is rows per second of writing,
    `neo4j_end_to_end_rows_per_s` rows per second of all three; `neo4j_import_*` the same for the
    bulk import. The re-sync runs against the imported database. The server gets NEO4J_HEAP and
    NEO4J_PAGECACHE (here 4g and 2g unless set).
    """
    from samverkan.graphs.backends.neo4j_conn import Neo4jSettings, connect
    from samverkan.graphs.backends.neo4j_index import cached_rows
    from samverkan.graphs.backends.neo4j_sync import apply_plan, plan_rows, read_state, registry_rows
    from samverkan.registry.validate import open_registry

    def rows() -> tuple[list, str]:
        """As `neo4j sync` makes them: the first time every row whole (and their hashes cached)."""
        found = cached_rows(registry)
        return (found.rows, "index") if found is not None else (list(registry_rows(open_registry(registry))), "files")

    def plan(state: Any) -> Any:
        """As `neo4j sync` plans: from the cached hashes, full rows only for what it writes."""
        found = cached_rows(registry)
        return found.plan(state) if found is not None else plan_rows(rows()[0], state)

    env = dict(
        os.environ,
        NEO4J_PORT=str(free_port()),
        NEO4J_PASSWORD=secrets.token_hex(12),
        SAMVERKAN_NEO4J_STATE=tempfile.mkdtemp(prefix="samverkan-neo4j-scale-"),
    )
    env.setdefault("NEO4J_HEAP", "4g")
    env.setdefault("NEO4J_PAGECACHE", "2g")
    script = str(ROOT / "scripts" / "neo4j-server")
    uri = subprocess.run([script, "start"], env=env, check=True, capture_output=True, text=True).stdout.split()[-1]
    out: dict[str, object] = {"neo4j_heap": env["NEO4J_HEAP"], "neo4j_pagecache": env["NEO4J_PAGECACHE"]}
    try:
        settings = Neo4jSettings(uri, "neo4j", env["NEO4J_PASSWORD"])
        load_average = [os.getloadavg()[0]]
        start = time.perf_counter()
        wanted, out["neo4j_source"] = rows()
        load_s = time.perf_counter() - start
        out["neo4j_load_s"] = round(load_s, 2)
        if sync_load:
            out.update(sync_load_stage(wanted, settings, load_s, load_average))
        out.update(bulk_import(wanted, env, script, settings, load_s))
        del wanted
        driver = connect(settings)
        path = registry / "structures" / f"{structure}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("name: ", "name: Ändrad ", 1), encoding="utf-8")
        try:
            start = time.perf_counter()
            again = plan(read_state(driver, settings.database))
            apply_plan(driver, settings.database, again)
            out["neo4j_resync_s"] = round(time.perf_counter() - start, 2)
            out["neo4j_resync_rows"] = again.steps
        finally:
            path.write_text(text, encoding="utf-8")
        driver.close()
    finally:
        subprocess.run([script, "stop"], env=env, check=False, capture_output=True)
    return out


def sync_load_stage(wanted: list, settings: Any, load_s: float, load_average: list[float]) -> dict[str, object]:
    """`neo4j sync`'s plan and writes into the empty database."""
    from samverkan.graphs.backends.neo4j_conn import connect
    from samverkan.graphs.backends.neo4j_sync import apply_plan, plan_rows, read_state

    driver = connect(settings)
    try:
        start = time.perf_counter()
        plan = plan_rows(wanted, read_state(driver, settings.database))
        plan_s = time.perf_counter() - start
        start = time.perf_counter()
        apply_plan(driver, settings.database, plan)
        write_s = time.perf_counter() - start
    finally:
        driver.close()
    load_average.append(os.getloadavg()[0])
    total_s = load_s + plan_s + write_s
    return {
        "neo4j_plan_s": round(plan_s, 2),
        "neo4j_rows": plan.steps,
        "neo4j_write_s": round(write_s, 2),
        "neo4j_rows_per_s": round(plan.steps / write_s),
        "neo4j_end_to_end_s": round(total_s, 2),
        "neo4j_end_to_end_rows_per_s": round(plan.steps / total_s),
        "neo4j_load_average": [round(x, 2) for x in load_average],
    }


def bulk_import(rows: list, env: dict[str, str], script: str, settings: Any, load_s: float) -> dict[str, object]:
    """The same rows into an empty database the fast way: `neo4j csv`'s files, `scripts/neo4j-server
    import` (the server stopped, Neo4j's import tool, the server started again), and the indexes a
    later sync needs, online. Checked: a sync afterwards finds nothing to write."""
    from samverkan.graphs.backends.neo4j_conn import connect
    from samverkan.graphs.backends.neo4j_import import write_import_files
    from samverkan.graphs.backends.neo4j_sync import index_relationship_keys, plan_rows, read_state

    out: dict[str, object] = {"neo4j_import_load_average": [round(os.getloadavg()[0], 2)]}
    folder = Path(tempfile.mkdtemp(prefix="samverkan-neo4j-csv-"))
    start = time.perf_counter()
    nodes, rels = write_import_files(rows, folder)
    csv_s = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([script, "import", str(folder)], env=env, check=True, capture_output=True)
    server_s = time.perf_counter() - start
    driver = connect(settings)
    start = time.perf_counter()
    index_relationship_keys(driver, settings.database)
    index_s = time.perf_counter() - start
    total_s = csv_s + server_s + index_s
    log = (Path(env["SAMVERKAN_NEO4J_STATE"]) / "log").read_text(encoding="utf-8", errors="replace")
    tool = next((line for line in log.splitlines() if line.startswith("IMPORT DONE in ")), "")
    out.update(
        neo4j_import_csv_s=round(csv_s, 2),
        neo4j_import_server_s=round(server_s, 2),
        neo4j_import_tool=tool.removeprefix("IMPORT DONE in ").strip(" ."),
        neo4j_import_index_s=round(index_s, 2),
        neo4j_import_s=round(total_s, 2),
        neo4j_import_rows_per_s=round((nodes + rels) / total_s),
        neo4j_import_end_to_end_rows_per_s=round((nodes + rels) / (load_s + total_s)),
        neo4j_import_same=plan_rows(rows, read_state(driver, settings.database)).is_empty,
    )
    out["neo4j_import_load_average"].append(round(os.getloadavg()[0], 2))  # type: ignore[union-attr]
    driver.close()
    shutil.rmtree(folder)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, help="reuse (or create here) a registry made by bench/synth.py")
    parser.add_argument("--structures", type=int, default=80_000)
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--no-neo4j-sync-load", action="store_true", help="skip the full sync (bulk import only)")
    parser.add_argument("--only", choices=["overlaps", "neo4j"], help="measure this stage alone")
    parser.add_argument("--cache-dir", type=Path, help="keep the index here (default: a fresh temporary folder)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict[str, object] = {"machine": machine()}

    registry = args.registry or Path(tempfile.mkdtemp(prefix="samverkan-scale-")) / "registry"
    if not (registry / "structures").is_dir():
        from synth import generate

        start = time.perf_counter()
        result["generated"] = generate(registry, args.structures, args.municipalities, seed=1)
        result["generate_s"] = round(time.perf_counter() - start, 1)
    files = [p for p in registry.rglob("*") if p.is_file()]
    result["files"] = len(files)
    result["megabytes"] = round(sum(p.stat().st_size for p in files) / 1e6, 1)
    structure = sorted(p.stem for p in (registry / "structures").glob("*.yaml"))[0]
    result["query"] = f"who {structure}"

    cache = args.cache_dir or tempfile.mkdtemp(prefix="samverkan-scale-index-")
    env = dict(os.environ, SAMVERKAN_CACHE_DIR=str(cache))
    env.pop("SAMVERKAN_CACHE", None)
    os.environ["SAMVERKAN_CACHE_DIR"] = env["SAMVERKAN_CACHE_DIR"]  # the neo4j stage runs in this process
    os.environ.pop("SAMVERKAN_CACHE", None)
    first = round(query(registry, env, "who", structure, "--json")[0], 2)
    if args.only == "overlaps":
        result["index_s"] = first
        overlaps = [*CLI, "--registry", str(registry), "overlaps", "--top", "50", "--json"]
        wall, cpu, rss = child_usage(overlaps, env)
        result.update(overlaps_s=round(wall, 2), overlaps_cpu_s=round(cpu, 2), overlaps_rss_mb=round(rss, 1))
        result["load_average_at_end"] = round(os.getloadavg()[0], 2)
        report(result, args.json)
        return
    if args.only == "neo4j":
        result["index_s"] = first
        result.update(neo4j(registry, structure, not args.no_neo4j_sync_load))
        report(result, args.json)
        return
    result["cold_s"] = first

    who = [*CLI, "--registry", str(registry), "who", structure, "--json"]
    samples: dict[str, list[float]] = {"baseline": [], "who": []}
    for _ in range(args.runs):
        samples["baseline"].append(run(BASELINE, env)[0])
        samples["who"].append(run(who, env)[0])
    baseline, warm = statistics.median(samples["baseline"]), statistics.median(samples["who"])
    result.update(baseline_s=round(baseline, 3), warm_s=round(warm, 3), warm_ratio=round(warm / baseline, 2))
    result["rss_mb"] = round(peak_rss_mb(who, env), 1)

    timed = edits(registry, env, structure)
    result.update({k: round(v, 2) for k, v in timed.items()})
    result["edit_s"] = round(max(timed.values()), 2)

    result["overlaps_s"] = round(query(registry, env, "overlaps", "--top", "50", "--json")[0], 2)
    if not args.no_neo4j:
        result.update(neo4j(registry, structure, not args.no_neo4j_sync_load))
    report(result, args.json)


def report(result: dict[str, object], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
