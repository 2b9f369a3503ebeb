"""Quoted passages in a source document: where each quote stands, who cites it, and the text
with every passage highlighted, page by page.

A quote may stand in a document more than once. A fact is placed on the occurrence on the page its
evidence names, inside the section of the entity it belongs to, as `samverkan fmt` places it;
otherwise on the first. Passages are numbered in text order, so a passage keeps its number as long
as the text and the quotes before it stay as they are.

>>> from samverkan.registry.sources import SourceText
>>> doc = DocumentText(SourceText("Inledning.\\nSBUM är ett forum för\\nbarn och unga.\\n Slut."))
>>> key = doc.cite("SBUM är ett forum för barn", None, (), Citation("sbum", "k-1", "SBUM"))
>>> doc.passage(key).number, doc.passage(key).page
(1, 1)
>>> html = doc.pages_html(lambda c: "#" + c.anchor)[0]["html"]
>>> html[html.index("<mark"):html.index("</mark>") + 7]
'<mark data-p="1">SBUM är ett forum för\\nbarn</mark>'
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from samverkan.registry.sources import SourceText, normalise

__all__ = ["Citation", "DocumentText", "Passage"]

SHOWN_CITATIONS = 25  # per passage on the document's page; the rest are counted


@dataclass(frozen=True)
class Citation:
    """A fact that cites a passage: on which entity's page it stands, under which anchor."""

    owner: str
    anchor: str
    label: str


@dataclass
class Passage:
    """One quoted stretch of a document's text and the facts citing it."""

    start: int  # offsets in the raw text
    end: int
    page: int
    number: int = 0
    citations: list[Citation] = field(default_factory=list)


_WORD = re.compile(r"\S+")


class DocumentText:
    """A source text with the raw offsets of its words, for turning quote matches into spans."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.text = source.text
        words = list(_WORD.finditer(self.text))
        self._raw_starts = [m.start() for m in words]
        self._raw_ends = [m.end() for m in words]
        self._flat_starts = []
        pos = 0
        for m in words:
            self._flat_starts.append(pos)
            pos += len(m.group()) + 1
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self._occurrences: dict[str, list[tuple[int, int, int, str | None]]] = {}
        self._passages: dict[tuple[int, int], Passage] = {}
        self._numbered = False

    def _raw(self, flat: int, end: bool) -> int:
        """The raw offset of a flat offset (a word's inside maps inside the word)."""
        i = bisect.bisect_right(self._flat_starts, flat) - 1
        within = flat - self._flat_starts[i]
        if end and within == 0:  # the end falls on the space before word i
            return self._raw_ends[i - 1]
        return self._raw_starts[i] + within

    def occurrences(self, quote: str) -> list[tuple[int, int, int, str | None]]:
        """Each place the quote stands: raw start, raw end, page, speaker of the section."""
        needle = normalise(quote)
        if needle not in self._occurrences:
            found = []
            flat = self.source.flat
            at = flat.find(needle) if needle else -1
            while at >= 0:
                start, end = self._raw(at, False), self._raw(at + len(needle), True)
                line = bisect.bisect_right(self._line_starts, start)
                found.append((start, end, self.source.page_of_line(line), self.source.speaker_at(line)))
                at = flat.find(needle, at + 1)
            self._occurrences[needle] = found
        return self._occurrences[needle]

    def cite(self, quote: str, page: int | None, owners: tuple[str, ...], citation: Citation) -> tuple[int, int] | None:
        """Record that a fact cites the quote; the key of its passage, or None if not in the text."""
        found = self.occurrences(quote)
        if not found:
            return None

        def rank(occ: tuple[int, int, int, str | None]) -> tuple[int, int]:
            owner_rank = owners.index(occ[3]) if occ[3] in owners else len(owners)
            return (0 if page is None or occ[2] == page else 1, owner_rank)

        start, end, on_page, _ = min(found, key=rank)
        passage = self._passages.setdefault((start, end), Passage(start, end, on_page))
        passage.citations.append(citation)
        self._numbered = False
        return (start, end)

    def passage(self, key: tuple[int, int]) -> Passage:
        """The passage a key from `cite` names, numbered."""
        self._number()
        return self._passages[key]

    def passages(self) -> list[Passage]:
        self._number()
        return [self._passages[k] for k in sorted(self._passages)]

    def _number(self) -> None:
        if not self._numbered:
            for n, key in enumerate(sorted(self._passages), start=1):
                self._passages[key].number = n
            self._numbered = True

    def pages_html(self, href: Callable[[Citation], str]) -> list[dict[str, Any]]:
        """The text page by page as escaped HTML with each passage marked, and per page the
        passages that start on it with links to the facts citing them."""
        passages = self.passages()
        page_starts: dict[int, int] = {}  # page -> raw offset where it begins
        for line, offset in enumerate(self._line_starts, start=1):
            page_starts.setdefault(self.source.page_of_line(line), offset)
        bounds = sorted({0, len(self.text), *page_starts.values()} | {b for p in passages for b in (p.start, p.end)})
        starting: dict[int, list[Passage]] = {}
        ending: dict[int, list[Passage]] = {}
        for p in passages:
            starting.setdefault(p.start, []).append(p)
            ending.setdefault(p.end, []).append(p)
        page_of_offset = {offset: page for page, offset in page_starts.items()}
        pages: list[dict[str, Any]] = []
        parts: list[str] = []
        open_: list[Passage] = []
        for a, b in itertools.pairwise(bounds):
            for p in ending.get(a, []):
                open_.remove(p)
                parts.append(_ref(p))
            if a in page_of_offset:
                if pages:
                    pages[-1]["html"] = "".join(parts)
                parts = []
                pages.append({"page": page_of_offset[a], "html": "", "passages": []})
            for p in starting.get(a, []):
                open_.append(p)
                parts.append(f'<span class="ankare" id="c-{p.number}"></span>')
                pages[-1]["passages"].append(_listing(p, href))
            chunk = escape(self.text[a:b], quote=False)
            if open_:
                numbers = " ".join(str(p.number) for p in open_)
                parts.append(f'<mark data-p="{numbers}">{chunk}</mark>')
            else:
                parts.append(chunk)
        for p in ending.get(len(self.text), []):
            parts.append(_ref(p))
        if pages:
            pages[-1]["html"] = "".join(parts)
        return pages


def _ref(passage: Passage) -> str:
    n = passage.number
    return f'<a class="ref" href="#f-{n}" aria-label="Uppgifter som citerar stycke {n}">[{n}]</a>'


def _listing(passage: Passage, href: Callable[[Citation], str]) -> dict[str, Any]:
    unique = list(dict.fromkeys(passage.citations))
    return {
        "number": passage.number,
        "citations": [{"label": c.label, "href": href(c)} for c in unique[:SHOWN_CITATIONS]],
        "more": max(0, len(unique) - SHOWN_CITATIONS),
    }
