"""Control characters in registry text: found by `validate`, escaped before they reach a terminal.

A name or a quote is shown to people. Control characters in it (ESC starting a terminal escape
sequence, a carriage return that overwrites the line, NUL, the bidirectional overrides that
reorder what a reader sees) have no place in registry text; newlines and tabs do.

>>> control_characters("Polisen\\u202e\\x1b[2J")
['U+202E', 'U+001B']
>>> escape_controls("a\\rb")
'a\\\\rb'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

__all__ = ["control_characters", "escape_controls", "is_control", "texts_in"]

# Unicode's bidirectional formatting characters (a "Trojan Source" name hides behind them)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control(ch: str) -> bool:
    """A character that changes how text is shown rather than being shown (not newline or tab)."""
    if ch in "\n\t":
        return False
    return ch in _BIDI or unicodedata.category(ch) == "Cc"


def control_characters(text: str) -> list[str]:
    """The control characters in a text, each once, as U+XXXX in order of appearance."""
    return list(dict.fromkeys(f"U+{ord(ch):04X}" for ch in text if is_control(ch)))


def texts_in(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text in plain data (mappings, lists, strings), with its location."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from texts_in(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts_in(value, (*loc, i))


def escape_controls(text: str) -> str:
    """Text with each control character written as its Python escape (`\\x1b`, `\\u202e`, `\\r`)."""
    if not any(is_control(ch) for ch in text):
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii") if is_control(ch) else ch for ch in text)
