"""Search terms from Swedish text: words folded to ASCII and stemmed, so inflections meet.

"Fritidsnämndens", "fritidsnämnden" and "fritidsnamnder" all become `fritidsnamnd`. The stemmer is
the Snowball algorithm for Swedish (its three steps and its region R1), run on the folded word so
that a query typed without å, ä and ö gives the same term. `search.js` does exactly the same in the
browser; a browser test holds the two to it.

>>> terms("Fritidsnämndens ordförande och förvaltningarna")
['fritidsnamnd', 'ordfor', 'och', 'forvaltning']
>>> terms("SBUM:s möten")
['sbum', 'mot']
>>> stem("polisens"), stem("nämnder"), stem("nämnd")
('polis', 'namnd', 'namnd')
"""

from __future__ import annotations

import re

from samverkan.registry.names import fold

__all__ = ["stem", "terms"]

_VOWELS = set("aeiouy")
_STEP1 = sorted(
    [
        "a",
        "arna",
        "erna",
        "heterna",
        "orna",
        "ad",
        "e",
        "ade",
        "ande",
        "arne",
        "are",
        "aste",
        "en",
        "anden",
        "aren",
        "heten",
        "ern",
        "ar",
        "er",
        "heter",
        "or",
        "as",
        "arnas",
        "ernas",
        "ornas",
        "es",
        "ades",
        "andes",
        "ens",
        "arens",
        "hetens",
        "erns",
        "at",
        "andet",
        "het",
        "ast",
    ],
    key=len,
    reverse=True,
)
_S_ENDING = set("bcdfghjklmnoprtvy")
_STEP2 = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")
_STEP3 = (("fullt", "full"), ("lost", "los"), ("lig", ""), ("els", ""), ("ig", ""))


def _r1(word: str) -> int:
    """Start of region R1: after the first non-vowel that follows a vowel, at least at 3."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


def stem(word: str) -> str:
    """The Snowball Swedish stem of one folded, lower-case word."""
    word = fold(word).replace(" ", "")
    r1 = _r1(word)
    for suffix in _STEP1:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and len(word) - 1 >= r1 and len(word) > 1 and word[-2] in _S_ENDING:
            word = word[:-1]
    if any(word.endswith(s) and len(word) - 2 >= r1 for s in _STEP2):
        word = word[:-1]
    for suffix, replacement in _STEP3:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)] + replacement
            break
    return word


_WORD = re.compile(r"[^\W_]+")


def terms(text: str) -> list[str]:
    """The search terms of a text, in order, repeats kept; single letters ("SBUM:s") left out."""
    return [stem(w) for w in _WORD.findall(fold(text)) if len(w) > 1]
