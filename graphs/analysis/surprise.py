"""How surprising a shared membership is, given the sizes of the two structures.

Two structures of 30 participants each, drawn from 70 actors, share a dozen by chance alone; two
of three each sharing three do not. The hypergeometric tail gives the probability of sharing at
least k participants when the second structure's members are drawn at random from the actor
population: the lower it is, the more the shared membership says about a real overlap. Big bodies
that sit on everything make that probability high, so they stop dominating the ranking.

>>> round(float(expected_shared(5, 5, 50)), 2)
0.5
>>> tail = shared_tail(np.array([4]), np.array([5]), np.array([5]), 50)
>>> bool(tail[0] < 0.001)
True
>>> round(float(shared_tail(np.array([2]), np.array([30]), np.array([30]), 70)[0]), 4)
1.0
"""

from __future__ import annotations

import numpy as np
from scipy.stats import hypergeom

__all__ = ["expected_shared", "shared_tail"]


def expected_shared(size_a: np.ndarray | int, size_b: np.ndarray | int, population: int) -> np.ndarray:
    """The number of participants two structures would share if membership were random."""
    return np.asarray(size_a, dtype=float) * np.asarray(size_b, dtype=float) / max(population, 1)


def shared_tail(shared: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, population: int) -> np.ndarray:
    """P(X ≥ shared) for X ~ Hypergeometric(population, size_a, size_b), per pair.

    The population is never smaller than a structure (a registry may list participants that are
    not counted as actors); a pair sharing nothing has probability 1. The tail is costly (about
    ten microseconds a pair) and a national registry's million candidate pairs repeat a few
    thousand (shared, size, size) triples, so it is computed once per distinct triple.
    """
    shared, a, b = np.broadcast_arrays(*(np.asarray(x, dtype=np.int64) for x in (shared, size_a, size_b)))
    shape = shared.shape
    shared, a, b = shared.ravel(), a.ravel(), b.ravel()
    back = np.arange(shared.size)
    base = int(max(shared.max(), a.max(), b.max())) + 1 if shared.size else 1
    if shared.size and min(shared.min(), a.min(), b.min()) >= 0 and base**3 < 2**62:
        # each triple as one integer, to find the distinct ones
        triples, back = np.unique((shared * base + a) * base + b, return_inverse=True)
        shared, a, b = triples // (base * base), triples // base % base, triples % base
    n = np.maximum(np.maximum(a, b), population)
    tail = hypergeom.sf(shared - 1, n, a, b)
    return np.where(shared > 0, np.clip(tail, 0.0, 1.0), 1.0)[back.ravel()].reshape(shape)
