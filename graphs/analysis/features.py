"""Structures as sparse feature matrices: who takes part, whom they serve, what, where, who owns.

Every overlap signal is a weighted set per structure. Stacking those sets as rows of sparse
matrices turns "what do these two structures share" into a sparse matrix product, which is what
lets the overlap analysis run on a national registry instead of looping over all pairs.

Weights follow inverse document frequency: a participant found in nearly every structure
("civilsamhället", a national agency) says little about whether two structures duplicate each
other; one found in three says a lot.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, k in [("a", "nämnd"), ("b", "nämnd"), ("f1", "samverkansforum"), ("f2", "nätverk")]:
...     g.add_node(n, kind=k, category="actor" if k == "nämnd" else "structure", name=n, status="befintlig")
>>> g.add_edge("a", "f1", type="participates_in", role="leder")
0
>>> g.add_edge("a", "f2", type="participates_in", role="deltar")
0
>>> f = structure_features(g)
>>> f.ids, f.participants[0].shape
(['f1', 'f2'], (2, 1))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from samverkan.graphs.contract import Category, RelationType, Role, Stance
from samverkan.registry.dates import parse_partial_date
from samverkan.registry.vocabulary import FORUM_KINDS, PROCESS_KINDS

__all__ = ["DEFAULT_KINDS", "LEAD_ROLES", "Features", "features_of", "idf", "structure_features"]

DEFAULT_KINDS = frozenset(k.value for k in FORUM_KINDS | PROCESS_KINDS)
# roles that put an actor in charge; they count twice in participant overlap
LEAD_ROLES = frozenset({Role.LEDER, Role.SAMORDNAR, Role.SAMMANKALLAR, Role.AGER})


def idf(document_frequency: np.ndarray, n: int) -> np.ndarray:
    """Smoothed inverse document frequency, 1 for a feature in one row and near 0 in all."""
    return np.log1p(n / np.maximum(document_frequency, 1)) / np.log1p(n)


@dataclass
class Features:
    """Row i of every matrix describes structure `ids[i]`; columns are the features' ids."""

    ids: list[str]
    participants: list[sparse.csr_matrix]  # layer 0: any participation, layer 1: leading roles
    groups: sparse.csr_matrix
    themes: sparse.csr_matrix
    areas: sparse.csr_matrix
    owners: sparse.csr_matrix  # mandate holders and leaders, unweighted
    columns: dict[str, list[str]] = field(default_factory=dict)  # signal -> feature ids
    start: np.ndarray = field(default_factory=lambda: np.zeros(0))  # validity as ordinal days
    end: np.ndarray = field(default_factory=lambda: np.zeros(0))
    mandated: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # has a decided mandate
    warnings: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # (i, j) -> distinct speakers
    population: int = 0  # actors in the graph: the population shared participants are drawn from

    @property
    def sizes(self) -> np.ndarray:
        """Number of participants of each structure."""
        return np.diff(self.participants[0].indptr).astype(np.int64)

    @property
    def index(self) -> dict[str, int]:
        return {sid: i for i, sid in enumerate(self.ids)}


def _bounds(value: str | None, latest: bool) -> float:
    if not value:
        return np.inf if latest else -np.inf
    d = parse_partial_date(value)
    return float((d.latest() if latest else d.earliest()).toordinal())


class _Builder:
    """Collects (row, feature, level) and makes IDF-weighted CSR matrices, one per level."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.levels: list[int] = []
        self.names: dict[str, int] = {}

    def add(self, row: int, feature: str, level: int = 1) -> None:
        self.rows.append(row)
        self.cols.append(self.names.setdefault(feature, len(self.names)))
        self.levels.append(level)

    def matrix(self, n: int, level: int = 1, weighted: bool = True) -> sparse.csr_matrix:
        """Rows × features, 1 where a row has the feature at `level` or above, times its idf."""
        shape = (n, len(self.names))
        if not self.rows:
            return sparse.csr_matrix(shape)
        rows, cols = np.asarray(self.rows, dtype=np.int64), np.asarray(self.cols, dtype=np.int64)
        levels = np.asarray(self.levels, dtype=np.int64)
        # a feature counts once per row, at its highest level
        key = rows * shape[1] + cols
        order = np.lexsort((levels, key))
        key, levels = key[order], levels[order]
        last = np.r_[key[1:] != key[:-1], True]
        key, levels = key[last], levels[last]
        every = sparse.csr_matrix((np.ones(len(key)), (key // shape[1], key % shape[1])), shape=shape)
        chosen = levels >= level
        pick = sparse.csr_matrix(
            (np.ones(int(chosen.sum())), (key[chosen] // shape[1], key[chosen] % shape[1])), shape=shape
        )
        if weighted:
            df = np.bincount(every.indices, minlength=shape[1])
            pick = pick @ sparse.diags(idf(df, max(n, 2)))
        return pick.tocsr()

    def columns(self) -> list[str]:
        return sorted(self.names, key=self.names.__getitem__)


def structure_features(graph: nx.MultiDiGraph, kinds: Iterable[str] | None = None) -> Features:
    """The overlap features of every structure of the given kinds (default: forums and processes)."""
    return features_of(graph.nodes(data=True), graph.edges(data=True), kinds)


def features_of(
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    edges: Iterable[tuple[str, str, Mapping[str, Any]]],
    kinds: Iterable[str] | None = None,
) -> Features:
    """`structure_features` from plain rows, as a graph gives them: `(id, attributes)` for every
    node and `(source, target, attributes)` for every edge. This is what lets the registry's
    index feed the analysis without building a graph of everything first.

    A node needs its `category`, `kind`, `from` and `until`; an edge its `type`, and a
    participation its `role`, a mandate its `granted_by`, a position its `stance` and `concerns`.
    The order of the edges numbers the feature columns (each feature in the order it is first
    met), and that decides the order in which floating-point sums are taken: to get the graph's
    bits, give the edges by source in id order and then as the source's file lists them, which
    meets every feature where the graph's own order does.
    """
    wanted = frozenset(kinds) if kinds is not None else DEFAULT_KINDS
    validity: dict[str, tuple[str | None, str | None]] = {}
    population = 0  # actors: the population shared participants are drawn from
    for node, data in nodes:
        category = data.get("category")
        if category == Category.ACTOR:
            population += 1
        elif category == Category.STRUCTURE and data["kind"] in wanted:
            validity[node] = (data.get("from"), data.get("until"))
    ids = sorted(validity)
    index = {sid: i for i, sid in enumerate(ids)}
    n = len(ids)
    participants, groups, themes, areas, owners = (_Builder() for _ in range(5))
    by_type = {"targets": groups, "addresses": themes, "operates_in": areas}
    mandated = np.zeros(n, bool)
    warnings: dict[tuple[int, int], set[str]] = {}
    for src, dst, data in edges:
        kind = data["type"]
        if kind == RelationType.PARTICIPATES_IN and dst in index:
            leads = data.get("role") in LEAD_ROLES
            participants.add(index[dst], src, 2 if leads else 1)
            if leads:
                owners.add(index[dst], src)
        elif kind == RelationType.MANDATE and dst in index:
            owners.add(index[dst], src)
            if data.get("granted_by"):
                mandated[index[dst]] = True
        elif kind in by_type and src in index:
            by_type[kind].add(index[src], dst)
        elif kind == RelationType.POSITION and data.get("stance") == Stance.VARNAR_FOR_OVERLAPP:
            concerned = sorted({index[c] for c in data.get("concerns", []) if c in index})
            for pos, a in enumerate(concerned):
                for b in concerned[pos + 1 :]:
                    warnings.setdefault((a, b), set()).add(src)
    return Features(
        ids=ids,
        participants=[participants.matrix(n, 1), participants.matrix(n, 2)],
        groups=groups.matrix(n),
        themes=themes.matrix(n),
        areas=areas.matrix(n),
        owners=owners.matrix(n, weighted=False),
        columns={
            "participants": participants.columns(),
            "groups": groups.columns(),
            "themes": themes.columns(),
            "areas": areas.columns(),
            "owners": owners.columns(),
        },
        start=np.array([_bounds(validity[s][0], False) for s in ids], dtype=float),
        end=np.array([_bounds(validity[s][1], True) for s in ids], dtype=float),
        mandated=mandated,
        warnings={pair: sorted(who) for pair, who in warnings.items()},
        population=population,
    )
