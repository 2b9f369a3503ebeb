"""The data the decision-maker report is made of, checked before any HTML is drawn."""

from __future__ import annotations

from collections import Counter

import pytest

from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.graphs.presentation.report import build_report
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR


@pytest.fixture(scope="module")
def report():
    registry = load_registry(SEED_DIR).registry
    return build_report(EmbeddedBackend(registry, Filters(include_proposed=True)))


def test_each_decision_is_one_event_in_the_mandate_timeline(report):
    events = report["timeline"]["events"]
    assert events, "the seed has a process with decisions around it"
    seen = Counter((e["date"], e["what"]) for e in events if e["kind"] == "beslut")
    assert [key for key, n in seen.items() if n > 1] == []
    decisions = [e["what"] for e in events if e["kind"] == "beslut"]
    assert sum("2026-01-22" in d or "§ 8" in d for d in decisions) <= 1
    assert [e["date"] or "9999" for e in events] == sorted(e["date"] or "9999" for e in events)


def test_the_parallel_structures_open_with_what_the_documents_say(report):
    warnings = report["warnings"]
    assert warnings, "the seed records stated overlaps"
    counts = [w["voice_count"] for w in warnings]
    assert counts == sorted(counts, reverse=True)
    for w in warnings:
        assert all(v["evidence"] and v["speaker"]["name"] for v in w["voices"])
    # every pair the documents warn about ranks above every pair only the network suggests
    bases = [r["basis"] for r in report["overlaps"]]
    assert bases == sorted(bases, key=lambda b: b != "stated")


def test_counts_and_sources_add_up(report):
    # the contents table counts every entity of the graph once, by category
    assert report["entities"] == sum(row["total"] for row in report["counts"]) == 334
    assert {s["id"] for s in report["sources"]} == {
        "remissvar-lokal-utveckling-2024",
        "miljonamnden-remissvar-2025",
        "kf-2026-01-22-par8-kraftsamlande-insatser",
    }
