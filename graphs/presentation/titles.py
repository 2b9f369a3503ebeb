"""The names of the network views and the headings they carry, apart from the views themselves so
that the command line can offer the names without loading networkx."""

from __future__ import annotations

from datetime import date

__all__ = ["VIEWS", "VIEW_TITLES", "filters_subtitle", "view_title"]

VIEW_TITLES = {
    "full": "Hela samverkansstrukturen",
    "ego": "Kring {focus}",
    "bipartite": "Aktörer och forum",
    "overlaps": "Parallella strukturer",
    "area": "Samverkan i {area}",
}
VIEWS = tuple(VIEW_TITLES)


def view_title(view: str, focus: str = "", area: str = "") -> str:
    """A view's heading, naming its focus or area.

    >>> view_title("ego", focus="SBUM")
    'Kring SBUM'
    """
    return VIEW_TITLES[view].format(focus=focus, area=area)


def filters_subtitle(as_of: date | None, include_proposed: bool) -> str:
    """What the filters count, under a view's heading ("" without filters).

    >>> filters_subtitle(date(2025, 1, 1), True)
    'per 2025-01-01 inklusive föreslagna'
    """
    parts = [f"per {as_of.isoformat()}" if as_of else "", "inklusive föreslagna" if include_proposed else ""]
    return " ".join(p for p in parts if p)
