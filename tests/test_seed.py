"""The bundled Malmö registry: valid, every quote found, and the facts a reader can check by eye."""

from __future__ import annotations

import json

import pytest

from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.registry.format import format_registry
from samverkan.registry.store import load_registry
from samverkan.registry.validate import validate_path
from samverkan.seed import SEED_DIR


@pytest.fixture(scope="module")
def registry():
    return load_registry(SEED_DIR).registry


@pytest.fixture(scope="module")
def backend(registry):
    return EmbeddedBackend(registry)


def test_seed_is_valid_and_every_quote_is_in_its_source():
    _, problems = validate_path(SEED_DIR)
    assert [str(p) for p in problems] == []


def test_seed_files_are_canonical():
    assert format_registry(SEED_DIR, write=False) == []


def test_every_fact_has_evidence_with_a_page(registry):
    for entity in registry:
        for ev in [*entity.evidence, *(ev for rel in entity.relations for ev in rel.evidence)]:
            assert ev.page is not None, entity.id


RESPONDENTS_2024 = [
    "arbetsmarknads-och-socialnämnden",
    "fritidsnämnden",
    "funktionsstödsnämnden",
    "förskolenämnden",
    "grundskolenämnden",
    "gymnasie-och-vuxenutbildningsnämnden",
    "hälsa-vård-och-omsorgsnämnden",
    "kulturnämnden",
    "miljönämnden",
    "servicenämnden",
    "stadsbyggnadsnämnden",
    "tekniska-nämnden",
    "mkb",
    "parkering-malmö",
    "parkeringsövervakning-i-malmö",
]


def test_all_respondents_are_there(registry):
    for rid in [*RESPONDENTS_2024, "minc", "kommunfullmäktige", "kommunstyrelsen", "stadskontoret"]:
        assert rid in registry, rid
    for rid in RESPONDENTS_2024:
        positions = [
            r
            for r in registry.entities[rid].relations
            if r.type == "position" and r.target == "remiss-lokal-utveckling-2024"
        ]
        assert positions, rid


def test_who_sbum_out_of_the_box(run, monkeypatch):
    monkeypatch.delenv("SAMVERKAN_REGISTRY", raising=False)
    result = run("who", "SBUM", "--json", registry=None)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["entity"]["id"] == "sbum"
    expected = {"arbetsmarknads-och-socialnämnden", "polisen", "region-skåne"}
    assert {r["id"] for r in data["results"]} >= expected
    assert all(r["evidence"] for r in data["results"])


def test_ctc_participants(backend):
    ids = {r.id for r in backend.who("ctc")}
    assert {
        "arbetsmarknads-och-socialnämnden",
        "fritidsnämnden",
        "grundskolenämnden",
        "polisen",
        "mkb",
        "civilsamhället",
    } <= ids


# The table at the end of the 2024 compilation, decoded row by row: which columns are marked.
COORDINATOR_TABLE = {
    "arbetsmarknads-och-socialnämnden": ("avstår", []),
    "fritidsnämnden": ("föreslår", ["fritidsnämnden"]),
    "funktionsstödsnämnden": ("föreslår", ["mkb", "kommunstyrelsen"]),
    "förskolenämnden": ("föreslår", ["fritidsnämnden"]),  # and "Nämnd med stadsutvecklingsuppdrag"
    "grundskolenämnden": ("föreslår", []),  # "Nämnd (utsedd av KS) tillsammans med t ex MKB"
    "gymnasie-och-vuxenutbildningsnämnden": ("avstår", []),
    "hälsa-vård-och-omsorgsnämnden": ("avstår", []),
    "kulturnämnden": ("avstår", []),
    "miljönämnden": ("avstår", []),
    "servicenämnden": ("föreslår", ["mkb", "kommunstyrelsen"]),
    "stadsbyggnadsnämnden": ("avstår", []),
    "tekniska-nämnden": ("motsätter_sig", []),
    "mkb": ("avstår", []),
    "parkering-malmö": ("föreslår", ["mkb", "tekniska-nämnden"]),
    "parkeringsövervakning-i-malmö": ("föreslår", ["kommunstyrelsen"]),
}


@pytest.mark.parametrize("respondent", sorted(COORDINATOR_TABLE))
def test_coordinator_table_row(registry, respondent):
    rows = [r for r in registry.entities[respondent].relations if r.type == "position" and r.question == "tabell"]
    assert len(rows) == 1
    stance, proposes = COORDINATOR_TABLE[respondent]
    assert (rows[0].stance.value, rows[0].proposes) == (stance, proposes)


def _table_row(registry, respondent):
    relations = registry.entities[respondent].relations
    return next(r for r in relations if getattr(r, "question", None) == "tabell")


def test_text_column_rows_name_their_column(registry):
    assert "Nämnd (utsedd av KS) tillsammans med t ex MKB" in _table_row(registry, "grundskolenämnden").text
    assert "Nämnd med stadsutvecklingsuppdrag" in _table_row(registry, "förskolenämnden").text


def test_kf_decisions(registry):
    kf8 = registry.entities["kf-2026-01-22-8"]
    assert (kf8.body, kf8.date, kf8.diarienummer) == ("kommunfullmäktige", "2026-01-22", "STK-2024-1374")
    kf189 = registry.entities["kf-2024-09-26-189"]
    assert (kf189.body, kf189.date, kf189.paragraph) == ("kommunfullmäktige", "2024-09-26", "§ 189")


def test_both_consultations_have_four_questions(registry):
    for cid in ("remiss-lokal-utveckling-2024", "remiss-kraftsamlande-insatser-2025"):
        assert [q.id for q in registry.entities[cid].questions][:4] == ["1", "2", "3", "4"]


def _relations(registry, source, rtype, target):
    return [r for r in registry.entities[source].relations if r.type == rtype and r.target == target]


def test_mandate_history_of_kraftsamlande_insatser(registry):
    budget = _relations(registry, "kommunstyrelsen", "mandate", "uppdrag-budget-2023")
    assert [r.valid_from for r in budget] == ["2023"]
    (ks,) = _relations(registry, "kommunstyrelsen", "mandate", "kraftsamlande-insatser")
    assert (ks.granted_by, ks.valid_from, ks.valid_until, ks.status.value) == (
        "kf-2024-09-26-189",
        "2024-09-26",
        "2026-01-22",
        "avvecklad",
    )
    assert registry.entities["kraftsamlande-insatser"].status.value == "avvecklad"
    for target in ("lokal-utveckling", "universell-prevention"):
        (money,) = _relations(registry, "kommunfullmäktige", "funds", target)
        assert (money.amount, money.currency, money.year) == (10_000_000, "SEK", 2026)


def test_mandate_counts_as_of(registry):
    from datetime import date

    from samverkan.graphs.backends.build import build_graph
    from samverkan.registry.query import Filters

    during = build_graph(registry, Filters(as_of=date(2025, 6, 1), include_proposed=True))
    after = build_graph(registry, Filters(as_of=date(2026, 6, 1), include_proposed=True))
    assert any(d["type"] == "mandate" for d in during["kommunstyrelsen"]["kraftsamlande-insatser"].values())
    assert not after.has_edge("kommunstyrelsen", "kraftsamlande-insatser")


def test_counts_per_category(registry):
    """Changing the seed should be deliberate: update these counts (and docs/seed.md) with it."""
    from collections import Counter

    counts = Counter(e.category.value for e in registry)
    assert dict(counts) == {
        "actor": 72,
        "area": 20,
        "consultation": 2,
        "decision": 15,
        "document": 3,
        "group": 18,
        "structure": 168,
        "theme": 37,
    }
    assert sum(len(e.relations) for e in registry) == 903


def test_overlap_warnings_name_the_structures(registry):
    warnings = {
        (e.id, r.question): set(r.concerns)
        for e in registry
        for r in e.relations
        if r.type == "position" and r.stance.value == "varnar_för_överlapp"
    }
    assert len(warnings) >= 10
    assert {"ctc", "lokal-utveckling"} <= warnings[("funktionsstödsnämnden", "3")]
    assert {"strategisk-samverkansplattform", "sbum"} <= warnings[("förskolenämnden", "3")]
    assert all(concerns for concerns in warnings.values())
