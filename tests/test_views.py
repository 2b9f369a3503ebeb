"""Views and pages without a browser: what each view selects, how it looks, and how text is escaped."""

from __future__ import annotations

import json
import re

import pytest

from samverkan.graphs.backends.build import build_graph
from samverkan.graphs.presentation.html import view_html
from samverkan.graphs.presentation.views import build_view
from samverkan.registry.query import Filters
from samverkan.registry.store import load_registry

from .conftest import MINI


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_registry(MINI).registry, Filters(include_proposed=True))


def ids(view):
    return sorted(n["id"] for n in view.nodes)


def test_full_view_leaves_out_documents(graph):
    view = build_view(graph, "full", title="Alla")
    assert "protokoll" not in ids(view)
    assert len(view.nodes) == 19 and len(view.edges) == 20
    assert all("x" in n and "y" in n for n in view.nodes)  # laid out before the page opens


def test_ego_view(graph):
    view = build_view(graph, "ego", title="Kring", focus="örat-mot-marken", depth=1)
    assert ids(view) == [
        "föreningen-script",
        "grundskolenämnden",
        "polisen",
        "rosengård",
        "trygghet",
        "örat-mot-marken",
    ]
    assert next(n for n in view.nodes if n["id"] == "örat-mot-marken")["borderWidth"] == 5


def test_bipartite_view_has_actors_and_structures_and_only_participation(graph):
    view = build_view(graph, "bipartite", title="B")
    kinds = {n["group"] for n in view.nodes}
    assert kinds <= {"kommunal", "offentlig", "civilsamhälle", "forum", "process"}
    assert {e["relation"] for e in view.edges} == {"participates_in"}
    actors_x = {n["x"] for n in view.nodes if n["group"] in {"kommunal", "offentlig", "civilsamhälle"}}
    assert actors_x == {0.0}


def test_area_view(graph):
    view = build_view(graph, "area", title="Rosengård", area="rosengård")
    assert ids(view) == ["föreningen-script", "grundskolenämnden", "polisen", "rosengård", "örat-mot-marken"]


def test_overlap_view_edges_carry_the_score(graph):
    view = build_view(graph, "overlaps", title="Ö")
    edge = view.edges[0]
    assert edge["relation"] == "overlap" and edge["width"] > 1 and "Poäng:" in edge["title"]


def test_proposed_structures_look_different(graph):
    view = build_view(graph, "full", title="Alla")
    proposed = next(n for n in view.nodes if n["id"] == "samverkansplattform")
    assert proposed["shapeProperties"] == {"borderDashes": [6, 4]}
    assert proposed["label"].endswith("(föreslagen)")
    assert any(item["group"] == "föreslagen" for item in view.legend)


def test_tooltips_carry_kind_role_validity_and_evidence(graph):
    view = build_view(graph, "full", title="Alla")
    node = next(n for n in view.nodes if n["id"] == "kraftsamlande-insatser")
    assert "Typ: process" in node["title"] and "Giltig: 2024-09-26 – …" in node["title"]
    assert "protokoll s. 3: ”samordningsansvaret för kraftsamlande insatser”" in node["title"]
    edge = next(e for e in view.edges if e["from"] == "fritidsnämnden" and e["to"] == "sbum")
    assert edge["label"] == "leder"
    assert edge["title"].startswith("Fritidsnämnden deltar i Samverkan barn och unga i Malmö\nRoll: leder")


def test_page_is_self_contained_and_escapes_names(graph):
    html = view_html(build_view(graph, "full", title="Alla <b>"))
    assert "<title>Alla &lt;b&gt; – samverkan</title>" in html
    assert "http://" not in html.split("samverkan-data")[0].lower().replace("http://www.w3.org", "")
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)
    data = re.search(r'id="samverkan-data">(.*?)</script>', html, re.S).group(1)
    assert "</script>" not in data and "\\u003c/script\\u003e" in data
    names = [n["label"] for n in json.loads(data)["nodes"]]
    assert "Föreningen </script><script>alert(1)</script>" in names


def test_render_cli(run, tmp_path):
    out = tmp_path / "v.html"
    result = run("render", "ego", "--focus", "orat mot marken", "-o", str(out), registry=MINI)
    assert result.exit_code == 0
    assert result.stdout == f"{out}: 6 noder, 5 kanter.\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = run("render", "ego", "-o", str(out), registry=MINI)
    assert missing.exit_code == 2 and "vyn ego behöver --focus" in missing.stderr
    unknown = run("render", "ego", "--focus", "Atlantis", "-o", str(out), registry=MINI)
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output
    assert run("render", "karta", "-o", str(out), registry=MINI).exit_code == 2


def test_report_cli(run, tmp_path):
    out = tmp_path / "r.html"
    result = run("report", "-o", str(out), registry=MINI)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    for section in ("innehall", "parallella", "luckor", "remissvar", "mandat", "natverket"):
        assert f'id="{section}"' in html
    assert "<script>alert(1)" not in html  # the hostile name only ever appears escaped


def test_layout_does_not_depend_on_the_order_nodes_come_in():
    """A view's subgraph comes in the order of a set, which differs between Python processes."""
    import random

    import networkx as nx

    from samverkan.graphs.presentation.layout import layout

    edges = [(f"n{i}", f"n{(i * 7 + 3) % 40}") for i in range(40)] + [("n1", "n2"), ("n5", "n9")]
    first = nx.Graph(edges)
    shuffled = list(edges)
    random.Random(1).shuffle(shuffled)
    nodes = sorted(first.nodes, reverse=True)
    second = nx.Graph()
    second.add_nodes_from(nodes)
    second.add_edges_from((b, a) for a, b in shuffled)
    assert layout(first) == layout(second)


def test_things_that_are_not_collaboration_share_one_legend_group():
    """Reports, surveys, goals, events and things of no stated kind are told apart from forums and
    from the consultation they may be cited in."""
    from samverkan.graphs.presentation.views import style_group

    assert {style_group(k) for k in ("undersökning", "rapport", "mål", "evenemang", "ej_angiven")} == {"övrigt"}
    assert (style_group("samverkansforum"), style_group("remiss")) == ("forum", "remiss")
