"""Benchmark: wall time of `samverkan who SBUM` against `python -c "import networkx"`, as a ratio.

Both run as fresh processes in the same run, alternating, so the machine's state affects them alike.
The goal is a ratio under 3: a query should cost little more than loading the graph library.

    python bench/cli_latency.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "baseline": [sys.executable, "-c", "import networkx"],
    "who_sbum": [sys.executable, "-c", "from samverkan.cli.entry import main; main()", "who", "SBUM"],
}


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for cmd in COMMANDS.values():  # warm the file cache
        _time(cmd)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, cmd in COMMANDS.items():
            samples[name].append(_time(cmd))
    baseline = statistics.median(samples["baseline"])
    who = statistics.median(samples["who_sbum"])
    result = {
        "runs": args.runs,
        "baseline_seconds": round(baseline, 4),
        "seconds": round(who, 4),
        "ratio": round(who / baseline, 2),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"import networkx:       {baseline:.3f} s (median of {args.runs})")
        print(f"samverkan who SBUM:    {who:.3f} s")
        print(f"ratio:                 {result['ratio']}x (goal: under 3x)")


if __name__ == "__main__":
    main()
