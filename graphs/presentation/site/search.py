"""The prebuilt search index: entities by name, short name and alias, passages by their words.

The index is a script file (`sok-index.js`) that sets one global, so it loads from disk where a
browser refuses to fetch JSON from file:// addresses. Terms are sorted, so the browser finds every
term that starts with what was typed by binary search; each term's postings are the numbers of the
hits, entities first (in name order) and passages after, which is also the order results are shown.

>>> index = build_index([("e/sbum.html", "SBUM", "samverkansforum", ["Samverkan barn och unga"])],
...                     [("e/doc.html#c-1", "Dokument s. 2", "SBUM:s möten")])
>>> index["terms"][:3], index["postings"][:3]
(['barn', 'mot', 'och'], [[0], [1], [0]])
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from samverkan.graphs.presentation.html import embed_json
from samverkan.graphs.presentation.site.words import terms

__all__ = ["build_index", "index_script"]

SNIPPET = 160  # characters of a quote shown in a result


def build_index(
    entities: list[tuple[str, str, str, list[str]]],
    passages: list[tuple[str, str, str]],
) -> dict[str, Any]:
    """Hits (href, title, what it is, text to show) and the sorted terms with their postings.

    `entities` are (href, name, kind, other names); `passages` are (href, where, quote).
    """
    hits: list[list[str]] = []
    postings: dict[str, list[int]] = defaultdict(list)

    def add(hit: list[str], text: str) -> None:
        number = len(hits)
        hits.append(hit)
        for term in dict.fromkeys(terms(text)):
            postings[term].append(number)

    for href, name, kind, names in entities:
        add([href, name, kind.replace("_", " "), ", ".join(names)], " ".join([name, *names]))
    for href, where, quote in passages:
        short = " ".join(quote.split())
        if len(short) > SNIPPET:
            short = short[: SNIPPET - 1].rsplit(" ", 1)[0] + " …"
        add([href, where, "citat", short], quote)
    ordered = sorted(postings)
    return {"hits": hits, "terms": ordered, "postings": [postings[t] for t in ordered]}


def index_script(index: dict[str, Any]) -> str:
    """The index as a script that sets `window.SAMVERKAN_SOK`."""
    return f"window.SAMVERKAN_SOK = {embed_json(index)};\n"
