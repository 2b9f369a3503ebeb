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
# (stance, proposed each on its own, proposed together as one joint proposal)
COORDINATOR_TABLE = {
    "arbetsmarknads-och-socialnämnden": ("avstår", [], []),
    "fritidsnämnden": ("föreslår", ["fritidsnämnden"], []),
    "funktionsstödsnämnden": ("föreslår", ["mkb"], ["mkb", "kommunstyrelsen"]),  # MKB; MKB och KS
    "förskolenämnden": ("föreslår", ["fritidsnämnden"], []),  # and "Nämnd med stadsutvecklingsuppdrag"
    "grundskolenämnden": ("föreslår", [], []),  # "Nämnd (utsedd av KS) tillsammans med t ex MKB"
    "gymnasie-och-vuxenutbildningsnämnden": ("avstår", [], []),
    "hälsa-vård-och-omsorgsnämnden": ("avstår", [], []),
    "kulturnämnden": ("avstår", [], []),
    "miljönämnden": ("avstår", [], []),
    "servicenämnden": ("föreslår", ["mkb"], ["mkb", "kommunstyrelsen"]),  # MKB; MKB och KS
    "stadsbyggnadsnämnden": ("avstår", [], []),
    "tekniska-nämnden": ("motsätter_sig", [], []),
    "mkb": ("avstår", [], []),
    "parkering-malmö": ("föreslår", [], ["mkb", "tekniska-nämnden"]),  # MKB och TN only
    "parkeringsövervakning-i-malmö": ("föreslår", ["kommunstyrelsen"], []),
}


@pytest.mark.parametrize("respondent", sorted(COORDINATOR_TABLE))
def test_coordinator_table_row(registry, respondent):
    rows = [r for r in registry.entities[respondent].relations if r.type == "position" and r.question == "tabell"]
    assert len(rows) == 1
    stance, proposes, jointly = COORDINATOR_TABLE[respondent]
    assert (rows[0].stance.value, rows[0].proposes, rows[0].jointly) == (stance, proposes, jointly)


def test_the_joint_columns_give_no_one_a_vote_alone(run):
    """Counting the table gives KS and TN no votes nobody cast for them alone."""
    gaps = json.loads(
        run("gaps", "--include-proposed", "--type", "contested_coordinator", "--json", registry=None).stdout
    )
    table = next(g for g in gaps["results"] if g["details"]["question"] == "tabell")
    counts = {p["id"]: p["count"] for p in table["details"]["proposals"]}
    assert counts == {
        "fritidsnämnden": 2,
        "mkb": 2,
        "mkb+kommunstyrelsen": 2,
        "kommunstyrelsen": 1,
        "mkb+tekniska-nämnden": 1,
    }
    assert "tekniska-nämnden" not in counts


def test_question_4_answers_say_what_the_text_says(registry):
    hvon = [
        r for r in registry.entities["hälsa-vård-och-omsorgsnämnden"].relations if getattr(r, "question", "") == "4"
    ]
    assert {r.stance.value for r in hvon} == {"avstår"}  # it does not answer the question
    grn = [r for r in registry.entities["grundskolenämnden"].relations if getattr(r, "question", "") == "4"]
    # "en av kommunstyrelsen utsedd ansvarig nämnd, tillsammans med till exempel MKB": MKB is an example
    assert all("mkb" not in r.proposes and "mkb" not in r.jointly for r in grn)


def test_the_collective_2025_statement_belongs_to_its_collective_speaker_once(registry):
    quote = "Sammantaget stödjer nämnderna och bolagen förslaget"
    holders = sorted(
        (e.id, r.stance.value)
        for e in registry
        for r in e.relations
        if r.type == "position"
        and r.stance.value != "varnar_för_överlapp"
        and any(quote in ev.quote for ev in r.evidence)
    )
    assert holders == [("remissinstanserna-2025", "stödjer")]
    assert registry.entities["remissinstanserna-2025"].kind.value == "kollektiv"


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
    # one pot of 10 mnkr for 2026, to be called off for both processes: the money is recorded once
    money = [r for r in registry.entities["kommunfullmäktige"].relations if r.type == "funds"]
    assert sorted(r.target for r in money) == ["lokal-utveckling", "universell-prevention"]
    assert sum(r.amount or 0 for r in money) == 10_000_000
    assert {(r.year, r.status.value) for r in money} == {(2026, "föreslagen")}


KF_2026 = "kf-2026-01-22-par8-kraftsamlande-insatser"


def test_statuses_follow_kf_2026_01_22_paragraph_8(registry):
    """Every status follows the latest document that speaks of it, with that document as evidence."""
    lokal = registry.entities["lokal-utveckling"]
    assert lokal.status.value == "befintlig"  # "Fritidsnämnden håller på att starta upp … lokal utveckling"
    assert any(ev.source == KF_2026 and "starta upp" in ev.quote for ev in lokal.evidence)
    lapsed = [
        "kraftsamlande-insatser",
        "styrgrupp-för-kraftsamlande-insatser",
        "arbetsgrupp-för-kraftsamlande-insatser",
        "samordningsfunktion-kraftsamlande-insatser",
        "stadsövergripande-index",
        "uppdrag-budget-2023",
    ]
    for sid in lapsed:
        entity = registry.entities[sid]
        assert entity.status.value == "avvecklad", sid
        assert any(ev.source == KF_2026 for ev in entity.evidence), sid
    for sid in lapsed[1:5]:
        assert registry.entities[sid].valid_until == "2026-01-22", sid


def test_a_lapse_carries_to_the_parts_and_the_relations_on_them(registry):
    """The parts of kraftsamlande insatser lapse with it (a stored status, marked as read), and
    every relation on a lapsed structure ends with it: a relation counts only while both its ends
    count, so its own status can stay what its quote says."""
    from datetime import date

    from samverkan.graphs.backends.build import build_graph
    from samverkan.registry.query import Filters

    for entity in registry:
        for rel in entity.relations:
            if rel.type == "part_of" and rel.target == "kraftsamlande-insatser":
                assert entity.status.value == "avvecklad", entity.id
    lapsed = {
        e.id
        for e in registry
        if e.status.value == "avvecklad" and e.category.value == "structure" and e.valid_until == "2026-01-22"
    }
    assert {"kraftsamlande-insatser", "uppdrag-budget-2023", "styrgrupp-för-kraftsamlande-insatser"} <= lapsed
    before = build_graph(registry, Filters(as_of=date(2025, 6, 1), include_proposed=True))
    after = build_graph(registry, Filters(as_of=date(2026, 6, 1), include_proposed=True))
    assert before.has_edge("stadskontoret", "kraftsamlande-insatser")
    assert not lapsed & set(after.nodes)
    assert after.has_node("stadskontoret") and after.has_node("lokal-utveckling")


def test_where_shows_a_lapsed_structure_beside_the_participation(run):
    """The participation keeps the status its quote gives; the structure's lapse stands beside it,
    in the JSON and, when any row needs it, as a column of the table."""
    data = json.loads(run("where", "stadskontoret", "--json", registry=None).stdout)
    rows = {r["id"]: r for r in data["results"]}
    assert (rows["kraftsamlande-insatser"]["entity_status"], rows["kraftsamlande-insatser"]["entity_until"]) == (
        "avvecklad",
        "2026-01-22",
    )
    assert rows["ctc"]["entity_status"] == "befintlig"
    text = run("where", "stadskontoret", registry=None).stdout
    line = next(ln for ln in text.splitlines() if ln.startswith("Kraftsamlande insatser"))
    assert "egen status" in text and line.rstrip().endswith("avvecklad till 2026-01-22")
    plain = run("who", "sbum", registry=None).stdout
    assert "egen status" not in plain


def test_the_seed_is_clean_under_strict_validation(run):
    result = run("validate", "--strict", "--json", registry=None)
    data = json.loads(result.stdout)
    assert (data["problems"], data["warnings"]) == ([], [])
    assert result.exit_code == 0


def test_things_that_are_not_collaboration_are_not_counted_as_structures(registry):
    kinds = {
        "internkontrollplan-2022": "plan",
        "översiktsplanen": "plan",
        "ung-livsstil": "undersökning",
        "polisens-trygghetsmätning": "undersökning",
        "köpenhamns-områdesutvecklingsmål": "mål",
    }
    assert {sid: registry.entities[sid].kind.value for sid in kinds} == kinds


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
        "actor": 74,
        "area": 20,
        "consultation": 2,
        "decision": 15,
        "document": 3,
        "group": 18,
        "structure": 165,
        "theme": 37,
    }
    assert sum(len(e.relations) for e in registry) == 782
