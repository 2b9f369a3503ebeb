"""Stable page addresses from entity ids, in plain ASCII.

Ids keep å, ä and ö (they are read by people). A file name with them works in a browser from disk
and from most servers, but not from every zip tool, file share, mail client and web server that a
municipality's intranet passes a link through. So a page's file name is the id folded to ASCII,
and, when folding changed anything, `--` and eight hex digits of a hash of the id. Ids never hold
`--`, so folded names cannot collide with plain ones; the hash keeps "hallå" and "hällå" apart. The
name depends on the id alone: a rebuild, or another entity added, never moves a page.

>>> page_name("sbum")
'sbum'
>>> page_name("örat-mot-marken")
'orat-mot-marken--587dd94e'
>>> entity_href("sbum", depth=1)
'../e/sbum.html'
"""

from __future__ import annotations

import hashlib
import unicodedata

__all__ = ["entity_href", "entity_path", "page_name"]

_SPECIAL = {"æ": "ae", "ø": "o", "ð": "d", "þ": "th", "ß": "ss"}


def page_name(entity_id: str) -> str:
    """The file name (without extension) of an entity's page."""
    if entity_id.isascii():
        return entity_id
    nfc = unicodedata.normalize("NFC", entity_id)
    folded = []
    for ch in nfc:
        if ch.isascii():
            folded.append(ch)
        elif ch in _SPECIAL:
            folded.append(_SPECIAL[ch])
        else:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            folded.append(base or "x")
    digest = hashlib.sha256(nfc.encode("utf-8")).hexdigest()[:8]
    return f"{''.join(folded)}--{digest}"


def entity_path(entity_id: str) -> str:
    """The page's path relative to the site's root."""
    return f"e/{page_name(entity_id)}.html"


def entity_href(entity_id: str, depth: int) -> str:
    """A link to an entity's page from a page `depth` folders below the root."""
    return "../" * depth + entity_path(entity_id)
