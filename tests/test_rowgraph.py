"""The neighbourhood graph answers in networkx's order, and a one-line query does not import networkx."""

from __future__ import annotations

import random
import subprocess
import sys

import networkx as nx

from samverkan.graphs.backends.rowgraph import RowGraph


def _both(seed: int) -> tuple[nx.MultiDiGraph, RowGraph]:
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(12)]
    big, small = nx.MultiDiGraph(), RowGraph()
    for node in rng.sample(nodes, 8):
        big.add_node(node, name=node.upper())
        small.add_node(node, name=node.upper())
    for i in range(40):
        u, v, kind = rng.choice(nodes), rng.choice(nodes), rng.choice(["a", "b"])
        big.add_edge(u, v, key=f"k{i % 7}", type=kind)
        small.add_edge(u, v, key=f"k{i % 7}", type=kind)
    return big, small


def test_the_same_nodes_and_edges_in_the_same_order() -> None:
    for seed in range(20):
        big, small = _both(seed)
        assert list(small) == list(big)
        assert list(small.nodes(data=True)) == list(big.nodes(data=True))
        assert list(small.edges(keys=True, data=True)) == list(big.edges(keys=True, data=True))
        assert list(small.edges(data=True)) == list(big.edges(data=True))
        for node in big:
            assert small.nodes[node] == big.nodes[node]
            assert list(small.in_edges(node, data=True)) == list(big.in_edges(node, data=True))
            assert list(small.out_edges(node, data=True)) == list(big.out_edges(node, data=True))
            assert list(small.in_edges(node)) == list(big.in_edges(node))
        assert "missing" not in small and len(small) == len(big)


def test_who_from_the_index_does_not_import_networkx(tmp_path) -> None:
    code = (
        "import sys\n"
        "from samverkan.cli.main import cli\n"
        "cli.main(['who', 'SBUM', '--json'], standalone_mode=False)\n"
        "print('networkx' in sys.modules, file=sys.stderr)\n"
    )
    env = {"SAMVERKAN_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)  # builds the index
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    assert '"SBUM"' in done.stdout or "sbum" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "False"
