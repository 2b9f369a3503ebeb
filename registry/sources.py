"""Source documents as text: finding a quote and the page it stands on.

The documents are PDF text extractions, so a quote is matched with whitespace normalised, and the
page is derived from the text itself. The extraction leaves two kinds of page break: a page's first
line begins with a single space (when the line before it is not empty: a paragraph that starts
after an empty line is indented, not a new page), or a page is a lone space after an empty line;
and a marker line such as `12 (85)` starts a page and tells its printed number, which corrects the
count between markers.

A text that marks its page breaks with form feeds (what `samverkan ingest` stores, and what many
text exports have) is paged by those alone: a line holding a form feed starts a new page.

A quote may stand in a document more than once (a respondent quoting another, a heading repeated).
A document can name its sections (whose answer starts where), so that a fact is placed on the
occurrence inside the section of the entity it belongs to rather than always on the first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SourceText", "normalise"]

_MARKER = re.compile(r"^\s*(\d+) \((\d+)\)\s*$")
_PAGE_START = re.compile(r"^ \S")


def _is_page_start(lines: list[str], i: int) -> bool:
    """Whether line i starts a page in the extraction (see the module docstring)."""
    if i == 0:
        return False
    line, before = lines[i], lines[i - 1]
    if _PAGE_START.match(line):
        return before.strip() != ""
    return line == " " and before == ""


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
    _sections: list[tuple[int, str | None]] = field(init=False, repr=False, default_factory=list)

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

    def occurrences(self, quote: str) -> list[int]:
        """The 1-based lines where each occurrence of the quote starts, in text order."""
        needle = normalise(quote)
        found: list[int] = []
        if not needle:
            return found
        at = self.flat.find(needle)
        while at >= 0:
            found.append(bisect.bisect_right(self._offsets, at))
            at = self.flat.find(needle, at + 1)
        return found

    def pages_of(self, quote: str) -> list[int]:
        """Every page the quote stands on, in text order without repeats."""
        return list(dict.fromkeys(self.page_of_line(line) for line in self.occurrences(quote)))

    def redacted(self, names: list[str]) -> SourceText:
        """The same text with the (folded) names blacked out, character for character, so that its
        lines, pages and sections stay where they were (see names.redact_names)."""
        from .names import redact_names

        copy = SourceText(redact_names(self.text, names))
        copy._sections = list(self._sections)
        return copy

    def set_sections(self, starts: list[tuple[str, str | None]]) -> list[str]:
        """Name whose text starts where: (quote of the section's first words, speaker id or None).

        Each start is looked for after the previous one. Returns the starts not found, so that the
        document's own check can report them.
        """
        self._sections = []
        missing = []
        pos = 0
        for quote, speaker in starts:
            needle = normalise(quote)
            at = self.flat.find(needle, pos) if needle else -1
            if at < 0:
                missing.append(quote)
                continue
            self._sections.append((bisect.bisect_right(self._offsets, at), speaker))
            pos = at + 1
        return missing

    def speaker_at(self, line: int) -> str | None:
        """Whose section a 1-based line is in, or None outside any named section."""
        starts = [s for s, _ in self._sections]
        k = bisect.bisect_right(starts, line) - 1
        return self._sections[k][1] if k >= 0 else None

    def best_line(self, quote: str, owners: tuple[str, ...] = ()) -> int | None:
        """The occurrence a fact belongs to: the first inside a section of one of `owners` (in that
        order of preference), else the first in the text; None when the quote is not there."""
        lines = self.occurrences(quote)
        for owner in owners:
            for line in lines:
                if self.speaker_at(line) == owner:
                    return line
        return lines[0] if lines else None

    def page_of(self, quote: str, owners: tuple[str, ...] = ()) -> int | None:
        """The page a quote stands on, or None when the quote is not in the text.

        >>> src = SourceText("Förord\\n 2 (3) \\nSBUM är ett forum.\\n Nästa sida")
        >>> src.page_of("SBUM är ett forum."), src.page_of("Nästa sida")
        (2, 3)
        >>> src = SourceText("A svarar\\nSBUM finns.\\n Ny sida\\nB svarar\\nSBUM finns.")
        >>> src.set_sections([("A svarar", "a"), ("B svarar", "b")])
        []
        >>> src.page_of("SBUM finns."), src.page_of("SBUM finns.", owners=("b",))
        (1, 2)
        >>> SourceText("Ett\\n sida ett\\n\\fTvå\\n\\fTre").page_of("Tre")
        3
        """
        line = self.best_line(quote, owners)
        return None if line is None else self.page_of_line(line)


def _page_numbers(lines: list[str]) -> list[int]:
    """Page of each line: count page starts, anchored on the marker lines where there are any.

    Counting single-space lines is approximate, so each marker resets the count to the number it
    names; lines before the first marker count backwards from it; and no count runs past the
    number the next marker gives.
    """
    breaks = [i for i, line in enumerate(lines) if "\f" in line]
    if not breaks:
        breaks = [i for i in range(len(lines)) if _is_page_start(lines, i)]
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
