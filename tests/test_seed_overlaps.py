"""Every overlap the three documents state, pinned: speaker, structures, kind and quote.

The list in `fixtures/seed-stated-overlaps.tsv` was made by reading the documents for statements that
structures are parallel, overlap, adjoin, should be coordinated or merged, or that an existing body
should be used instead (see docs/seed.md). A change to the seed's statements must be a change to
this list too.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from samverkan.registry.sources import normalise
from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR

PINNED = Path(__file__).parent / "fixtures" / "seed-stated-overlaps.tsv"


@pytest.fixture(scope="module")
def registry():
    return load_registry(SEED_DIR).registry


def _seed_rows(registry) -> list[dict[str, str]]:
    rows = []
    for entity in registry:
        for rel in entity.relations:
            if rel.type != "position" or rel.stance.value != "varnar_för_överlapp":
                continue
            for ev in rel.evidence:
                rows.append(
                    {
                        "speaker": entity.id,
                        "context": rel.target,
                        "question": rel.question or "",
                        "kind": rel.overlap.value,
                        "structures": "+".join(sorted(set(rel.concerns))),
                        "existing": "befintliga" if rel.existing_structures else "",
                        "source": ev.source,
                        "page": str(ev.page),
                        "quote": normalise(ev.quote),
                    }
                )
    return sorted(rows, key=lambda r: list(r.values()))


def test_every_stated_overlap_is_pinned(registry):
    with PINNED.open(encoding="utf-8", newline="") as fh:
        pinned = sorted(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), key=lambda r: list(r.values()))
    assert _seed_rows(registry) == pinned


def test_the_statements_come_from_every_kind_of_voice(registry):
    speakers = {r["speaker"] for r in _seed_rows(registry)}
    # respondents of 2024, stadskontoret's own report, a party group, and the 2025 summary
    assert {
        "fritidsnämnden",
        "mkb",
        "stadskontoret",
        "moderaterna-och-centerpartiet",
        "remissinstanserna-2025",
    } <= speakers
    kinds = {r["kind"] for r in _seed_rows(registry)}
    assert kinds == {"parallella_strukturer", "överlapp", "samordning", "befintlig_struktur"}


def test_a_summary_speaks_once_not_through_each_respondent(registry):
    summary = "flera av instanserna trycker på att det är viktigt att det inte sker dubbla processer"
    holders = {r["speaker"] for r in _seed_rows(registry) if summary in r["quote"]}
    assert holders == {"remissinstanserna-2025"}


def test_warned_pairs_lead_the_overlap_ranking(run):
    rows = json.loads(run("overlaps", "--include-proposed", "--top", "200", "--json", registry=None).stdout)["results"]
    bases = [r["basis"] for r in rows]
    assert "stated" in bases and "inferred" in bases
    assert bases == sorted(bases, key=lambda b: b != "stated")
    voices = [r["stated"]["voice_count"] for r in rows if r["basis"] == "stated"]
    assert voices == sorted(voices, reverse=True)
    top = {(r["a"]["id"], r["b"]["id"]) for r in rows[:3]}
    assert ("kraftsamlande-insatser", "lokal-utveckling") in top or (
        "lokal-utveckling",
        "kraftsamlande-insatser",
    ) in top
