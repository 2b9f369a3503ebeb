"""Synthetic registries of realistic shape, at any scale, in the normal store format.

Municipalities of Zipf-distributed size, each with its own nämnder, förvaltningar, bolag,
civil-society organisations and areas; national actors (Polisen, Arbetsförmedlingen, the regions,
"civilsamhället") that appear in a large share of all structures; heavy-tailed participation
(a few local hubs take part in most local structures). Used by the benchmarks and by tests that
need more than the hand-written registries.

    python bench/synth.py OUT_DIR [--structures 2000] [--municipalities 10] [--seed 1] [--no-evidence]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samverkan.registry.models import validate_entity
from samverkan.registry.store import write_atomic
from samverkan.registry.vocabulary import CATEGORY_FOLDERS, Kind, category_of
from samverkan.registry.yamlio import dump_entity

QUOTE = "Syntetiskt underlag för prestandamätning."
NAMNDER = [
    "socialnämnden",
    "fritidsnämnden",
    "kulturnämnden",
    "grundskolenämnden",
    "förskolenämnden",
    "gymnasienämnden",
    "miljönämnden",
    "tekniska-nämnden",
    "stadsbyggnadsnämnden",
    "äldrenämnden",
    "arbetsmarknadsnämnden",
    "servicenämnden",
]
THEMES = [f"tema-{i:02d}" for i in range(40)]
GROUPS = [f"målgrupp-{i:02d}" for i in range(15)]
FORUM_KINDS = ["styrgrupp", "arbetsgrupp", "samverkansforum", "nätverk", "team", "råd", "plattform"]
PROCESS_KINDS = ["process", "initiativ", "program", "projekt", "modell", "uppdrag", "insats"]
NATIONAL = {
    "polisen": ("statlig_myndighet", 0.30),
    "arbetsförmedlingen": ("statlig_myndighet", 0.12),
    "försäkringskassan": ("statlig_myndighet", 0.05),
    "civilsamhället": ("civilsamhälle", 0.35),
}


def _evidence(with_evidence: bool) -> list[dict[str, str]]:
    return [{"source": "syntetiskt-underlag", "quote": QUOTE}] if with_evidence else []


class Writer:
    """Validates each entity through the models and writes its canonical file."""

    def __init__(self, root: Path, with_evidence: bool) -> None:
        self.root = root
        self.with_evidence = with_evidence
        self.count = 0

    def write(self, data: dict) -> None:
        data.setdefault("evidence", _evidence(self.with_evidence))
        for rel in data.get("relations", []):
            rel.setdefault("evidence", _evidence(self.with_evidence))
        entity = validate_entity(data)
        folder = CATEGORY_FOLDERS[category_of(Kind(data["kind"]))]
        write_atomic(self.root / folder / f"{entity.id}.yaml", dump_entity(entity))
        self.count += 1


def generate(root: Path, structures: int, municipalities: int, seed: int = 1, with_evidence: bool = True) -> dict:
    """Write a registry; return how many entities and participation edges it has."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(exist_ok=True)
    (root / "sources" / "syntetiskt-underlag.txt").write_text(QUOTE + "\n", encoding="utf-8")
    out = Writer(root, with_evidence)
    out.write(
        {
            "id": "syntetiskt-underlag",
            "kind": "dokument",
            "name": "Syntetiskt underlag",
            "file": "sources/syntetiskt-underlag.txt",
            "evidence": [],
        }
    )
    for tid in THEMES:
        out.write({"id": tid, "kind": "tema", "name": f"Tema {tid[-2:]}"})
    for gid in GROUPS:
        out.write({"id": gid, "kind": "målgrupp", "name": f"Målgrupp {gid[-2:]}"})
    regions = [f"region-{i:02d}" for i in range(21)]
    weights = [1 / (rank + 1) for rank in range(municipalities)]
    total = sum(weights)
    sizes = [max(5, round(structures * w / total)) for w in weights]
    sizes[0] += structures - sum(sizes)
    participation: dict[str, list[dict]] = {}
    edges = 0
    for m, size in enumerate(sizes):
        prefix = f"k{m:03d}"
        region = regions[m % len(regions)]
        local = [f"{prefix}-{n}" for n in NAMNDER]
        local += [f"{prefix}-bolag-{i}" for i in range(2 + size // 400)]
        civil = [f"{prefix}-förening-{i}" for i in range(3 + size // 50)]
        areas = [f"{prefix}-område-{i}" for i in range(5 + min(15, size // 100))]
        for aid in areas:
            out.write({"id": aid, "kind": "område", "name": f"Område {aid}"})
        actors = local + civil
        hub_weights = [1 / (r + 1) ** 1.1 for r in range(len(actors))]
        for s in range(size):
            sid = f"{prefix}-struktur-{s}"
            kind = rng.choice(FORUM_KINDS + PROCESS_KINDS)
            count = min(len(actors), 2 + int(rng.expovariate(1 / 6.5)))
            members = set()
            while len(members) < count:
                members.add(rng.choices(actors, hub_weights)[0])
            for nat, (_, p) in NATIONAL.items():
                if rng.random() < p:
                    members.add(nat)
            if rng.random() < 0.3:
                members.add(region)
            ordered = sorted(members)
            leader = rng.choice(ordered) if rng.random() < 0.7 else None
            for actor in ordered:
                role = "leder" if actor == leader else "deltar"
                participation.setdefault(actor, []).append({"type": "participates_in", "target": sid, "role": role})
                edges += 1
            relations = [{"type": "addresses", "target": t} for t in rng.sample(THEMES, rng.randint(1, 3))]
            relations += [{"type": "targets", "target": g} for g in rng.sample(GROUPS, rng.randint(0, 2))]
            relations += [{"type": "operates_in", "target": a} for a in rng.sample(areas, rng.randint(0, 2))]
            data = {"id": sid, "kind": kind, "name": f"Struktur {s} i kommun {m}", "relations": relations}
            if rng.random() < 0.05:
                data["status"] = "föreslagen"
            out.write(data)
        for actor in actors:
            kind = "civilsamhälle" if "förening" in actor else ("kommunalt_bolag" if "bolag" in actor else "nämnd")
            out.write(
                {
                    "id": actor,
                    "kind": kind,
                    "name": actor.replace("-", " ").capitalize(),
                    "relations": participation.pop(actor, []),
                }
            )
    for nat, (kind, _) in NATIONAL.items():
        out.write({"id": nat, "kind": kind, "name": nat.capitalize(), "relations": participation.pop(nat, [])})
    for region in regions:
        out.write(
            {
                "id": region,
                "kind": "region",
                "name": region.replace("-", " ").capitalize(),
                "relations": participation.pop(region, []),
            }
        )
    return {"entities": out.count, "structures": structures, "participation_edges": edges}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--structures", type=int, default=2000)
    parser.add_argument("--municipalities", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-evidence", action="store_true", help="leave out evidence (smaller, faster)")
    args = parser.parse_args()
    print(generate(args.out, args.structures, args.municipalities, args.seed, not args.no_evidence))


if __name__ == "__main__":
    main()
