"""Source documents as text: finding a quote and the page it stands on.

The documents are PDF text extractions, so a quote is matched with whitespace normalised, and the
page is derived from the text itself: a page starts at a line that begins with a single space, or
right after a page marker line such as `12 (85)`, which also tells the page's real number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SourceText", "normalise"]

_MARKER = re.compile(r"^\s*(\d+) \((\d+)\)\s*$")
_PAGE_START = re.compile(r"^ \S")


def normalise(text: str) -> str:
    """Whitespace folded to single spaces, as quotes are compared.

    >>> normalise(" a\\n  b\\tc ")
    'a b c'
    """
    return " ".join(text.split())


@dataclass
class SourceText:
    """The text of one source document, indexed for quote lookup and page numbers."""

    text: str
    flat: str = field(init=False)
    _offsets: list[int] = field(init=False, repr=False)  # flat offset where each line starts
    _pages: list[int] = field(init=False, repr=False)  # page number of each line

    def __post_init__(self) -> None:
        lines = self.text.split("\n")
        words: list[str] = []
        self._offsets = []
        pos = 0
        for line in lines:
            self._offsets.append(pos)
            for word in line.split():
                words.append(word)
                pos += len(word) + 1
        self.flat = " ".join(words)
        self._pages = _page_numbers(lines)

    @classmethod
    def read(cls, path: Path) -> SourceText:
        return cls(path.read_text(encoding="utf-8"))

    def find(self, quote: str) -> int | None:
        """The 1-based line where the quote starts, or None when it is not in the text."""
        needle = normalise(quote)
        if not needle:
            return None
        at = self.flat.find(needle)
        if at < 0:
            return None
        return bisect.bisect_right(self._offsets, at)

    def page_of_line(self, line: int) -> int:
        """The page number of a 1-based line."""
        return self._pages[line - 1]

    def page_of(self, quote: str) -> int | None:
        """The page a quote starts on, or None when the quote is not in the text.

        >>> src = SourceText("Förord\\n 2 (3) \\nSBUM är ett forum.\\n Nästa sida")
        >>> src.page_of("SBUM är ett forum."), src.page_of("Nästa sida")
        (2, 3)
        """
        line = self.find(quote)
        return None if line is None else self.page_of_line(line)


def _page_numbers(lines: list[str]) -> list[int]:
    """Page of each line: count page starts, anchored on the marker lines where there are any.

    Counting single-space lines is approximate, so each marker resets the count to the number it
    names; lines before the first marker count backwards from it; and no count runs past the
    number the next marker gives.
    """
    breaks = [i for i, line in enumerate(lines) if i > 0 and _PAGE_START.match(line)]
    markers = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _MARKER.match(line))]
    starts = sorted(set(breaks) | {i for i, _ in markers})
    # relative page index of each line: how many page starts precede or are on it
    rel = []
    k = 0
    for i in range(len(lines)):
        while k < len(starts) and starts[k] <= i:
            k += 1
        rel.append(k)
    if not markers:
        return [r + 1 for r in rel]
    pages = [0] * len(lines)
    first_line, first_page = markers[0]
    for i in range(first_line):
        pages[i] = max(1, first_page - (rel[first_line] - rel[i]))
    for n, (m_line, m_page) in enumerate(markers):
        end = markers[n + 1][0] if n + 1 < len(markers) else len(lines)
        ceiling = markers[n + 1][1] - 1 if n + 1 < len(markers) else None
        for i in range(m_line, end):
            page = m_page + (rel[i] - rel[m_line])
            pages[i] = min(page, ceiling) if ceiling is not None else page
    return pages
