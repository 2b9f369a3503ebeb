"""Quotes and texts that name a person, left out wherever people are left out.

People are shown only when asked for (`--include-persons`); a quote, a description, a note or an
answer's text that names one would show them all the same. So a graph whose people are left out
also leaves out every such quote and text, on every backend, before any listing, view, report or
website reads it. The relation or entity itself stays (it is not about the person); only the words
that name them go. With the people included nothing is left out.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("plus", evidence=[{"source": "d", "quote": "Plus leds av Anna Andersson."},
...                              {"source": "d", "quote": "Plus är en förening."}])
>>> hide_person_mentions(g, person_names("Anna Andersson"))
1
>>> [ev["quote"] for ev in g.nodes["plus"]["evidence"]]
['Plus är en förening.']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from samverkan.registry.names import TEXT_FIELDS, names_a_person, person_names

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["TEXT_FIELDS", "hide_person_mentions", "names_of_people", "person_names"]


def names_of_people(people: Iterable[tuple[str, list[str] | None, str | None]]) -> list[str]:
    """The folded names to look for, of people given as (name, aliases, short name).

    >>> names_of_people([("Anna Andersson", ["Anna A."], None)])
    ['anna a', 'anna andersson']
    """
    return sorted({n for name, aliases, short in people for n in person_names(name, aliases or [], short)})


def _hide(data: dict[str, Any], names: list[str]) -> int:
    """Leave the quotes and texts that name a person out of one node's or edge's attributes. The
    attribute dict is the graph's own; the lists in it may be shared, so they are replaced, never
    changed in place."""
    hidden = 0
    evidence = data.get("evidence")
    if evidence:
        kept = [ev for ev in evidence if not names_a_person(ev.get("quote"), names)]
        hidden += len(evidence) - len(kept)
        if hidden:
            data["evidence"] = kept
    for key in TEXT_FIELDS:
        if names_a_person(data.get(key), names):
            data.pop(key)
            hidden += 1
    return hidden


def hide_person_mentions(graph: nx.MultiDiGraph, names: list[str]) -> int:
    """Leave out, in place, every quote and text in the graph that names one of the people
    (folded names, see `person_names`); how many were left out."""
    if not names:
        return 0
    hidden = sum(_hide(data, names) for _, data in graph.nodes(data=True))
    return hidden + sum(_hide(data, names) for _, _, data in graph.edges(data=True))
