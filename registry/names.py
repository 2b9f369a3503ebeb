"""Swedish-aware name handling: slugs for ids and folded keys for matching.

Two different jobs, kept apart on purpose. A slug keeps å, ä and ö (an id is read by people and
should look like the name), while a match key folds them away so that "orat mot marken" finds
"Örat mot marken" on a keyboard without Swedish letters.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ID_PATTERN", "fold", "slugify", "sort_key", "strip_genitive"]

ID_PATTERN = re.compile(r"^[0-9a-zà-öø-ÿ]+(?:-[0-9a-zà-öø-ÿ]+)*$")
_KEEP = set("åäöéüàèëïøæ")


def slugify(name: str) -> str:
    """A readable id from a Swedish name: lowercase, words joined by '-', å ä ö kept.

    Letters outside the Latin alphabet are transliterated through their decomposition, never
    silently dropped; a name with nothing left to make an id from is an error.

    >>> slugify("Örat mot marken")
    'örat-mot-marken'
    >>> slugify("Hälsa-, vård- och omsorgsnämnden")
    'hälsa-vård-och-omsorgsnämnden'
    >>> slugify("MINC i Sverige AB")
    'minc-i-sverige-ab'
    """
    text = unicodedata.normalize("NFC", name).lower()
    out: list[str] = []
    for ch in text:
        if (ch.isascii() and ch.isalnum()) or ch in _KEEP:
            out.append(ch)
        elif ch.isalnum():
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base.lower() if base else "-")
        else:
            out.append("-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")
    if not slug:
        raise ValueError(f"cannot make an id from {name!r}")
    return slug


def fold(text: str) -> str:
    """A match key: case, diacritics, punctuation and spacing folded away.

    >>> fold("Örat mot marken") == fold("orat  MOT marken")
    True
    >>> fold("Hälsa-, vård- och omsorgsnämnden")
    'halsa vard och omsorgsnamnden'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("æ", "ae").replace("ø", "o").replace("ß", "ss")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())


def strip_genitive(text: str) -> str | None:
    """The name without a Swedish genitive ending, or None when there is none to strip.

    >>> strip_genitive("SBUM:s")
    'SBUM'
    >>> strip_genitive("fritidsnämndens")
    'fritidsnämnden'
    >>> strip_genitive("Malmös")
    'Malmö'
    >>> strip_genitive("Polisen") is None
    True
    """
    stripped = text.strip()
    if stripped.endswith((":s", "’s", "'s")):
        return stripped[:-2]
    if len(stripped) > 3 and stripped.endswith("s") and not stripped.endswith("ss"):
        return stripped[:-1]
    return None


_SORT = str.maketrans(
    {
        "å": "z\x01",
        "ä": "z\x02",
        "æ": "z\x02",
        "ö": "z\x03",
        "ø": "z\x03",
        "é": "e",
        "è": "e",
        "ü": "y",
        "à": "a",
    }
)


def sort_key(text: str) -> str:
    """A key that sorts names the Swedish way: å, ä and ö after z, case ignored.

    >>> sorted(["Örat mot marken", "Arbetsförmedlingen", "Ängel", "Åby"], key=sort_key)
    ['Arbetsförmedlingen', 'Åby', 'Ängel', 'Örat mot marken']
    """
    return text.casefold().translate(_SORT)
