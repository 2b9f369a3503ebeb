"""How many times this process has changed files in a registry.

A command may look at a registry's files early, beside its start-up (`index.scan_early`); once it
has written into one (a change applied, a half-done write undone), that look is out of date.
"""

from __future__ import annotations

import itertools

__all__ = ["count", "wrote"]

_writes = itertools.count(1)
_last = [0]


def wrote() -> None:
    """Note that this process is about to change (or has changed) files in a registry."""
    _last[0] = next(_writes)


def count() -> int:
    return _last[0]
