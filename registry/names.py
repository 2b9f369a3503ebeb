"""Swedish-aware name handling: slugs for ids and folded keys for matching.

Two different jobs, kept apart on purpose. A slug keeps å, ä and ö (an id is read by people and
should look like the name), while a match key folds them away so that "orat mot marken" finds
"Örat mot marken" on a keyboard without Swedish letters.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ID_PATTERN",
    "TEXT_FIELDS",
    "fold",
    "names_a_person",
    "person_names",
    "redact_names",
    "slugify",
    "sort_key",
    "strip_genitive",
]

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


def person_names(name: str, aliases: list[str] | tuple[str, ...] = (), short_name: str | None = None) -> list[str]:
    """The folded names to look for when a text may name a person: the name and aliases, and a
    short name long enough to be safe.

    >>> person_names("Anna Andersson", ["A. Andersson"], "AA")
    ['a andersson', 'anna andersson']
    """
    names = [name, *aliases]
    if short_name and len(fold(short_name)) >= 4:
        names.append(short_name)
    return sorted({fold(n) for n in names if fold(n)})


TEXT_FIELDS = ("description", "note", "text")  # the free text an entity or relation may carry


def names_a_person(text: str | None, names: list[str]) -> bool:
    """Whether a text names one of the (folded, see `person_names`) names, whatever its case,
    accents and spacing.

    >>> names_a_person("Ordförande är ANNA  Andersson (S).", person_names("Anna Andersson"))
    True
    """
    return text is not None and any(n in fold(text) for n in names)


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold(text)` made character by character, with the offset in `text` of each folded character."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = fold(ch) or " "  # a character fold drops separates words, as fold's own spacing does
        if piece == " " and (not out or out[-1] == " "):
            continue
        out.extend(piece)
        where.extend([i] * len(piece))
    return "".join(out), where


def redact_names(text: str, names: list[str], mark: str = "█") -> str:
    """The text with every passage that `names_a_person` would find blacked out: each character
    but whitespace becomes `mark`, so every offset, line and page of the text stays where it was
    (quotes and sections are found as before). For a document shown in full where people are left
    out.

    >>> redact_names("Ordförande: ANNA  Andersson (S).", person_names("Anna Andersson"))
    'Ordförande: ████  █████████ (S).'
    """
    folded, where = _folded_with_offsets(text)
    chars = list(text)
    for name in names:
        start = folded.find(name)
        while start >= 0:
            for i in range(where[start], where[start + len(name) - 1] + 1):
                if not chars[i].isspace():
                    chars[i] = mark
            start = folded.find(name, start + 1)
    return "".join(chars)
