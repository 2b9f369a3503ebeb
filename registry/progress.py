"""What long work says while it runs: a line on standard error, only when that is a terminal.

A national registry takes minutes to index, sync or draw; a person at a terminal should see that
something happens, while a script that reads the output (or a log) gets nothing extra.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator

__all__ = ["Progress", "stage"]


def _terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


class Progress:
    """A count that goes up: "Läser registret: 4000/88468", rewritten in place.

    Shown only on a terminal and only for work of at least `shown_from` items, so small
    registries stay as quiet as before.
    """

    def __init__(self, what: str, total: int, shown_from: int = 2000) -> None:
        self.what, self.total, self.done = what, total, 0
        self.shown = total >= shown_from and _terminal()
        self.last = 0.0

    def step(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.shown and (now - self.last > 0.2 or self.done >= self.total):
            self.last = now
            sys.stderr.write(f"\r{self.what}: {self.done}/{self.total}")
            if self.done >= self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


@contextlib.contextmanager
def stage(what: str, shown: bool = True) -> Iterator[None]:
    """One step without a count ("Beräknar layout för 5000 noder …"), then how long it took."""
    shown = shown and _terminal()
    started = time.monotonic()
    if shown:
        sys.stderr.write(f"{what} …")
        sys.stderr.flush()
    try:
        yield
    finally:
        if shown:
            sys.stderr.write(f" {time.monotonic() - started:.1f} s\n".replace(".", ","))
            sys.stderr.flush()
