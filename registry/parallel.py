"""Work over many files in worker processes, one per core, when there is enough of it.

Used by the index (parsing and checking every file of a cold build) and by a Neo4j sync (making
every entity's rows). On Linux the workers are forked, so what the caller set up before (a
catalog of ids) is theirs without being sent.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from .progress import Progress

__all__ = ["PARALLEL_FROM", "in_workers"]

PARALLEL_FROM = 2000  # items before it pays to start worker processes
T = TypeVar("T")


def _chunks(items: list[Any], n: int) -> list[list[Any]]:
    size = max(1, min(500, len(items) // (n * 4) + 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def in_workers(
    func: Callable[[str, list[Any]], Iterable[T]], root: str, items: list[Any], progress: Progress
) -> Iterator[T]:
    """func(root, chunk) over chunks of items, in order; in worker processes when there are many.

    >>> from samverkan.registry.progress import Progress
    >>> list(in_workers(lambda root, chunk: [root + str(n) for n in chunk], "r", [1, 2], Progress("x", 2)))
    ['r1', 'r2']
    """
    workers = os.cpu_count() or 1
    if len(items) < PARALLEL_FROM or workers < 2:
        yield from func(root, items)
        progress.step(len(items))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for chunk, result in zip(
            chunks := _chunks(items, workers), pool.map(func, [root] * len(chunks), chunks), strict=True
        ):
            yield from result
            progress.step(len(chunk))
