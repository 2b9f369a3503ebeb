"""A real-shaped Popolo file: local councils with their committees, parties, departments, wards,
councillors and the partnerships, networks and working groups organisations join across councils.

Shaped like the open data of councils elsewhere (EveryPolitician, OpenCouncilData): ids in the
publisher's own form (`ocd-organization/…`), English classifications, the same committee names in
every council, other names, dates to the day or the year, sources as links, people with
memberships. Deterministic for a given seed.

    python bench/popolo_synth.py kommuner.json --councils 40 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

COMMITTEES = [
    "Finance Committee",
    "Planning Committee",
    "Education Committee",
    "Social Services Committee",
    "Culture and Leisure Committee",
    "Environment Committee",
]
PARTIES = ["Labour", "Conservative", "Liberal Democrats", "Green Party", "Independents"]
DEPARTMENTS = ["Education Department", "Social Services Department", "City Planning Office"]
PLACES = [
    "Ashford",
    "Brampton",
    "Cawdor",
    "Dunmore",
    "Elmstead",
    "Fairholme",
    "Glenrock",
    "Harwich",
    "Ivybridge",
    "Järvsö",
    "Kirkby",
    "Lötsjö",
    "Millbrook",
    "Northam",
    "Örnsköld",
    "Penrith",
    "Quarley",
    "Rosedale",
]
NETWORK_KINDS = [
    ("partnership", "Community Safety Partnership"),
    ("network", "Youth Network"),
    ("working group", "Working Group on Homelessness"),
    ("steering group", "Steering Group for Climate"),
    ("forum", "Forum for Civil Society"),
]
NGO_KINDS = ["ngo", "association", "company", "university", "agency"]
ROLES = ["member", "member", "member", "chair", "coordinator", "convener", "Vice-Chair"]


def _oid(kind: str, n: int) -> str:
    return f"ocd-{kind}/{n:05d}-{(n * 7919) % 65536:04x}"


def _date(rng: random.Random, start: int = 2010, end: int = 2025) -> str:
    year = rng.randint(start, end)
    return rng.choice(
        [f"{year}", f"{year}-{rng.randint(1, 12):02d}", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
    )


def generate(councils: int = 20, seed: int = 1, people_per_council: int = 30) -> dict[str, Any]:
    """A Popolo document: about 15 organisations, 5 wards and 60 memberships per council."""
    rng = random.Random(seed)
    counter = iter(range(1, 10**7))
    orgs: list[dict[str, Any]] = []
    areas: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    persons: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    joinable: list[str] = []
    joiners: list[str] = []

    def org(name: str, classification: str, **extra: Any) -> str:
        oid = _oid("organization", next(counter))
        item = {"id": oid, "name": name, "classification": classification, **extra}
        item["sources"] = [{"url": f"https://data.example.org/org/{oid}", "note": "register"}]
        orgs.append(item)
        return oid

    for c in range(councils):
        place = f"{PLACES[c % len(PLACES)]}{'' if c < len(PLACES) else f' {c // len(PLACES) + 1}'}"
        town = _oid("area", next(counter))
        areas.append({"id": town, "name": place, "classification": "municipality"})
        for w in range(5):
            areas.append(
                {
                    "id": _oid("area", next(counter)),
                    "name": f"{place} Ward {w + 1}",
                    "classification": "ward",
                    "parent_id": town,
                }
            )
        council = org(
            f"{place} Council",
            "council",
            area_id=town,
            founding_date=_date(rng, 1970, 1990),
            other_names=[{"name": f"{place} City Council"}],
        )
        executive = org(f"{place} Executive", "executive", parent_id=council)
        joiners.append(executive)
        for name in COMMITTEES:
            joiners.append(org(name, "committee", parent_id=council, founding_date=_date(rng)))
        for name in DEPARTMENTS:
            joiners.append(org(f"{place} {name}", "department", parent_id=executive))
        parties = [org(f"{party} ({place})", "party") for party in PARTIES]
        if rng.random() < 0.5:
            joiners.append(org(f"{place} Housing Ltd", "company", dissolution_date=_date(rng, 2020, 2030)))
        for name in rng.sample(NETWORK_KINDS, 3):
            joinable.append(org(f"{place} {name[1]}", name[0], area_id=town, founding_date=_date(rng)))
        for p in range(people_per_council):
            pid = _oid("person", next(counter))
            persons.append({"id": pid, "name": f"Councillor {p + 1} of {place}"})
            members.append(
                {
                    "id": _oid("membership", next(counter)),
                    "person_id": pid,
                    "organization_id": council,
                    "role": "councillor",
                    "start_date": _date(rng, 2018, 2022),
                }
            )
            members.append(
                {
                    "id": _oid("membership", next(counter)),
                    "person_id": pid,
                    "organization_id": rng.choice(parties),
                    "role": "member",
                }
            )
        events.append(
            {
                "id": _oid("event", next(counter)),
                "name": f"{place} Council decision on partnerships",
                "classification": "decision",
                "organization_id": council,
                "start_date": _date(rng, 2020),
            }
        )
    for i in range(councils * 2):
        joiners.append(org(f"Regional {NGO_KINDS[i % len(NGO_KINDS)].title()} {i + 1}", NGO_KINDS[i % len(NGO_KINDS)]))
    for structure in joinable:
        for member in rng.sample(joiners, min(len(joiners), rng.randint(4, 9))):
            item = {
                "id": _oid("membership", next(counter)),
                "organization_id": structure,
                "member": {"@type": "Organization", "id": member},
                "role": rng.choice(ROLES),
            }
            if rng.random() < 0.6:
                item["start_date"] = _date(rng, 2015)
            if rng.random() < 0.1:
                item["end_date"] = _date(rng, 2026, 2027)
            members.append(item)
    return {"persons": persons, "organizations": orgs, "memberships": members, "areas": areas, "events": events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--councils", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    doc = generate(args.councils, args.seed)
    args.output.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{args.output}: {len(doc['organizations'])} organisationer, {len(doc['memberships'])} medlemskap")


if __name__ == "__main__":
    main()
