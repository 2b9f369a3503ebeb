"""Gaps and brokers: each check on a tiny graph, then the seed and the CLI."""

from __future__ import annotations

import json
from datetime import date

import networkx as nx

from samverkan.graphs.analysis.gaps import find_gaps
from samverkan.graphs.analysis.stats import broker_stats
from samverkan.graphs.backends.build import build_graph
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR


def node(g, nid, kind, category, **extra):
    g.add_node(nid, kind=kind, category=category, name=nid.title(), status=extra.pop("status", "befintlig"), **extra)


def test_no_owner_and_owned():
    g = nx.MultiDiGraph()
    node(g, "a", "team", "structure")
    node(g, "b", "team", "structure")
    node(g, "x", "nämnd", "actor")
    g.add_edge("x", "b", type="participates_in", role="samordnar")
    assert [r["subject"]["id"] for r in find_gaps(g, types=["no_owner"])] == ["a"]


def test_contested_coordinator():
    g = nx.MultiDiGraph()
    node(
        g,
        "r",
        "remiss",
        "consultation",
        questions=[
            {"id": "4", "text": "Vem bör få den samordnande rollen?"},
            {"id": "1", "text": "Vilka processer passar?"},
        ],
    )
    for a in ("x", "y", "ks", "mkb"):
        node(g, a, "nämnd", "actor")
    g.add_edge("x", "r", type="position", stance="föreslår", question="4", proposes=["ks"])
    g.add_edge("y", "r", type="position", stance="föreslår", question="4", proposes=["mkb"])
    g.add_edge("y", "r", type="position", stance="föreslår", question="1", proposes=["ks"])
    (gap,) = find_gaps(g, types=["contested_coordinator"])
    assert gap["message"] == "2 olika förslag i fråga 4: Ks (1), Mkb (1)"
    assert gap["details"]["proposals"] == [
        {"id": "ks", "name": "Ks", "members": ["ks"], "count": 1, "by": ["x"]},
        {"id": "mkb", "name": "Mkb", "members": ["mkb"], "count": 1, "by": ["y"]},
    ]


def test_a_joint_proposal_is_one_proposal_of_the_group():
    g = nx.MultiDiGraph()
    node(g, "r", "remiss", "consultation", questions=[{"id": "4", "text": "Vem bör få den samordnande rollen?"}])
    for a in ("x", "y", "ks", "mkb"):
        node(g, a, "nämnd", "actor")
    g.add_edge("x", "r", type="position", stance="föreslår", question="4", proposes=["mkb"], jointly=["mkb", "ks"])
    g.add_edge("y", "r", type="position", stance="föreslår", question="4", proposes=["mkb"])
    (gap,) = find_gaps(g, types=["contested_coordinator"])
    # nobody proposed KS alone: KS gets no vote of its own
    assert gap["message"] == "2 olika förslag i fråga 4: Mkb (2), Mkb och Ks (1)"
    assert [p["members"] for p in gap["details"]["proposals"]] == [["mkb"], ["mkb", "ks"]]


def test_lapsed_mandate_while_work_continues():
    g = nx.MultiDiGraph()
    node(g, "p", "process", "structure")
    node(g, "q", "process", "structure", status="avvecklad")
    node(g, "ks", "kommunstyrelse", "actor")
    g.add_edge("ks", "p", type="mandate", until="2025-12-31", granted_by="kf")
    g.add_edge("ks", "q", type="mandate", until="2025-12-31")
    (gap,) = find_gaps(g, today=date(2026, 6, 1), types=["lapsed_mandate"])
    assert gap["subject"]["id"] == "p"
    assert "gällde till 2025-12-31" in gap["message"]
    assert find_gaps(g, today=date(2025, 6, 1), types=["lapsed_mandate"]) == []


def test_parallel_coordinator():
    g = nx.MultiDiGraph()
    node(g, "a", "team", "structure")
    node(g, "b", "team", "structure")
    for actor in ("x", "y", "z"):
        node(g, actor, "nämnd", "actor")
    for k in range(30):  # the rest of the city: sharing all three participants is then no accident
        node(g, f"other{k}", "nämnd", "actor")
    for forum in ("a", "b"):
        g.add_edge("x", forum, type="participates_in", role="leder")
        g.add_edge("y", forum, type="participates_in", role="deltar")
        g.add_edge("z", forum, type="participates_in", role="deltar")
    (gap,) = find_gaps(g, types=["parallel_coordinator"])
    assert gap["subject"]["id"] == "x"
    assert gap["details"]["pairs"] == [["a", "b"]]


def test_civil_society_missing():
    g = nx.MultiDiGraph()
    node(g, "a", "team", "structure", description="Civilsamhället är centralt här.", evidence=[])
    node(g, "b", "team", "structure", evidence=[{"quote": "tillsammans med civilsamhället"}])
    node(g, "c", "team", "structure", evidence=[])
    node(g, "forening", "civilsamhälle", "actor")
    g.add_edge("forening", "b", type="participates_in", role="deltar")
    assert [r["subject"]["id"] for r in find_gaps(g, types=["civil_society_missing"])] == ["a"]


def test_broker_stats_on_a_chain():
    g = nx.MultiDiGraph()
    for a in "abcd":
        node(g, a, "nämnd", "actor")
    for s in ("f", "h"):
        node(g, s, "team", "structure")
    for a, s in [("a", "f"), ("b", "f"), ("c", "f"), ("c", "h"), ("d", "h"), ("b", "h")]:
        g.add_edge(a, s, type="participates_in", role="deltar")
    data = broker_stats(g)
    assert [r["id"] for r in data["actors"]][:2] == ["b", "c"]
    assert {r["id"]: r["structures"] for r in data["actors"]} == {"a": 1, "b": 2, "c": 2, "d": 1}


def test_seed_gaps_and_stats(run):
    g = build_graph(load_registry(SEED_DIR).registry, Filters(include_proposed=True))
    gaps = find_gaps(g)
    contested = [r for r in gaps if r["type"] == "contested_coordinator"]
    assert {r["details"]["question"] for r in contested} == {"4", "tabell"}
    table = next(r for r in contested if r["details"]["question"] == "tabell")
    # a joint column ("MKB och KS") is one proposal of the group, not a vote for each
    assert [(p["id"], p["count"]) for p in table["details"]["proposals"]] == [
        ("fritidsnämnden", 2),
        ("mkb", 2),
        ("mkb+kommunstyrelsen", 2),
        ("kommunstyrelsen", 1),
        ("mkb+tekniska-nämnden", 1),
    ]
    result = run("gaps", "--include-proposed", "--json", registry=SEED_DIR)
    assert json.loads(result.stdout) == {"results": gaps}
    text = run("gaps", "--include-proposed", "--type", "contested_coordinator", registry=SEED_DIR).stdout
    assert text.splitlines()[0] == "Omstridd samordning (2):"
    stats = json.loads(run("stats", "--json", "--top", "3", registry=SEED_DIR).stdout)
    assert set(stats) == {"actors", "structures"} and len(stats["actors"]) == 3
    # the state's employment service links the most actors that share no other structure
    assert [a["id"] for a in stats["actors"][:2]] == ["arbetsförmedlingen", "arbetsmarknads-och-socialnämnden"]
    assert "Aktörer (betweenness i aktörsnätverket):" in run("stats", registry=SEED_DIR).stdout
