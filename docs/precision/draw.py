"""A precision reading's draw, run from the repository's root: `python docs/precision/draw.py SEED`.

Prints the population's composition and the drawn facts, in draw order, as JSON lines. The third
reading drew with seed 4242 at commit 2a888a9, the fourth with seed 20261129, the fifth with seed
55555 at commit e1fa004 and the sixth with seed 66666 at commit bf32e3b (see docs/seed.md).
"""

import collections
import glob
import json
import random
import sys

import yaml

TYPES = {"participates_in", "part_of", "funds", "mandate", "reports_to"}
facts = []
for f in sorted(glob.glob("seed/**/*.yaml", recursive=True)):
    with open(f, encoding="utf-8") as fh:
        d = yaml.safe_load(fh)
    if not isinstance(d, dict) or "id" not in d:
        continue
    if f.startswith("seed/structures/"):
        facts.append((f, -1, "entity", d.get("kind"), d.get("status", "befintlig")))
    for i, r in enumerate(d.get("relations") or []):
        t = r["type"]
        if t in TYPES or (
            t == "position" and (r.get("proposes") or r.get("jointly") or r.get("stance") == "varnar_för_överlapp")
        ):
            facts.append((f, i, t, r["target"], ""))
facts.sort(key=lambda x: (x[0], x[1]))
sample = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 4242).sample(facts, 133)
print("population", len(facts), dict(collections.Counter(x[2] for x in facts)), file=sys.stderr)
print("drawn", dict(collections.Counter(x[2] for x in sample)), file=sys.stderr)
for x in sample:
    print(json.dumps(x, ensure_ascii=False))
