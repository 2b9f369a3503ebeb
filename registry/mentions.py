"""Finding the registry's entities in a text, Swedish inflection and all.

Every word of the text and of every name (name, short name, aliases) is reduced to one key, with
diacritics folded: the lemma from simplemma's Swedish dictionary ("nätverket" → "nätverk",
"Malmös" → "Malmö", "kommunstyrelsens" → "kommunstyrelse"), and for words the dictionary does not
know (compounds such as "områdesprogrammen", acronyms) the Snowball Swedish stem, with a doubled
final consonant and a definite "-et" taken off. Names become sequences of keys, and one
Aho-Corasick automaton (pyahocorasick) finds all of them in the text's key sequence in one pass;
a find that crosses a longer one is dropped, while a name inside a longer name counts too
("Kraftsamling Herrgården" names the area Herrgården, "… i Malmö" names Malmö). Compounds with a
hyphen ("CTC-arbetet") and genitives with a colon ("SBUM:s") split into words by themselves; a
one-word name of eight letters or more also counts where it opens a compound
("kompetensförsörjningsarbetet" names Kompetensförsörjning); hyphenation across lines is joined
when the document is read.

>>> finder = MentionFinder([("sbum", ["Samverkan barn och unga i Malmö", "SBUM"]), ("malmö", ["Malmö"]),
...                         ("frn", ["Fritidsnämnden"])])
>>> text = "SBUM:s möte. Fritidsnämndens ordförande i Malmös Samverkan barn och unga i Malmö."
>>> [(m.entity_ids[0], m.surface) for m in finder.find(text)]  # doctest: +NORMALIZE_WHITESPACE
[('sbum', 'SBUM'), ('frn', 'Fritidsnämndens'), ('malmö', 'Malmös'),
 ('sbum', 'Samverkan barn och unga i Malmö'), ('malmö', 'Malmö')]
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .names import fold

__all__ = ["Mention", "MentionFinder", "name_variants", "sentence_at", "word_key"]

_WORD = re.compile(r"\w+", re.UNICODE)
# a sentence ends at . ! ? before a capital, at an empty line, at a page break, and at a page's
# "N (M)" marker line
_SENTENCE_END = re.compile(
    r"(?m:(?:^|(?<=\f))\f?[ \t]*\d+ \(\d+\)[ \t]*(?:\n|$))|(?<=[.!?])\s+(?=[\"”»(]?[A-ZÅÄÖ0-9])|\n\s*\n|\f"
)
_MIN_HEAD = 8  # shorter one-word names ("Miljö") open too many compounds that are not about them
_DOUBLE = re.compile(r"([bcdfghjklmnpqrstvwxz])\1$")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The key a word is matched by: its lemma where the dictionary knows the word, else its stem;
    folded.

    The lemma alone where there is one, since the stem also joins words that are not one
    ("trygga" and "trygghet" both stem to "trygg").

    >>> [word_key(w) for w in ("Nätverket", "nätverk", "Malmös", "områdesprogrammen", "Områdesprogram")]
    ['natverk', 'natverk', 'malmo', 'omradesprogram', 'omradesprogram']
    >>> word_key("Trygga") == word_key("Trygghet")
    False
    """
    import simplemma

    lower = word.lower()
    lemma = simplemma.lemmatize(lower, lang="sv").lower()
    if lemma != lower or simplemma.is_known(lower, lang="sv"):
        return fold(lemma) or lower
    stem = _stemmer().stemWord(lower)
    if len(stem) > 6:
        stem = stem.removesuffix("et") if stem.endswith("et") and len(stem) > 8 else stem
        stem = _DOUBLE.sub(r"\1", stem)
    return fold(stem) or lower


@dataclass(frozen=True)
class Mention:
    """One place in the text where a name of a registry entity stands."""

    entity_ids: list[str]  # more than one when the name is shared (ambiguous)
    start: int  # character offsets in the text
    end: int
    surface: str  # the words as they stand in the text


class MentionFinder:
    """An automaton over every name of every entity, built once per registry."""

    def __init__(self, entries: Iterable[tuple[str, list[str]]]) -> None:
        import ahocorasick

        owners: dict[str, set[str]] = defaultdict(set)
        self._heads: dict[str, set[str]] = defaultdict(set)  # one-word names that may open a compound
        for entity_id, names in entries:
            for name in {v for n in names for v in name_variants(n)}:
                words = _WORD.findall(name)
                keys = [word_key(w) for w in words]
                if keys:
                    owners[" " + " ".join(keys) + " "].add(entity_id)
                if len(words) == 1 and len(words[0]) >= _MIN_HEAD:
                    self._heads[fold(words[0])].add(entity_id)
        self._automaton = ahocorasick.Automaton()
        for pattern, ids in owners.items():
            self._automaton.add_word(pattern, (pattern, sorted(ids)))
        self._empty = not owners
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Mention]:
        """Every mention, leftmost-longest and not overlapping, in text order."""
        if self._empty:
            return []
        words = list(_WORD.finditer(text))
        stream_parts = [" "]
        starts: list[int] = []  # offset in the stream where each word's key starts
        pos = 1
        for w in words:
            key = word_key(w.group())
            starts.append(pos)
            stream_parts.append(key + " ")
            pos += len(key) + 1
        stream = "".join(stream_parts)
        found: list[tuple[int, int, list[str]]] = []  # (first word, last word, ids)
        for end, (pattern, ids) in self._automaton.iter(stream):
            begin = end - len(pattern) + 1
            first = bisect.bisect_left(starts, begin + 1)
            last = first + pattern.count(" ") - 2
            found.append((first, last, ids))
        whole = {first for first, last, _ in found if first == last}  # a word that is a name itself
        for i, w in enumerate(words):
            if i not in whole and (ids := self._compound_head(fold(w.group()))):
                found.append((i, i, ids))
        chosen: list[tuple[int, int, list[str]]] = []
        for first, last, ids in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
            if any(first < a <= last < b or a < first <= b < last for a, b, _ in chosen):
                continue  # crosses a longer find: a misreading
            chosen.append((first, last, ids))
        out = []
        for first, last, ids in sorted(chosen):
            start, end = words[first].start(), words[last].end()
            out.append(Mention(ids, start, end, text[start:end]))
        return out

    def _compound_head(self, word: str) -> list[str]:
        """The entities whose one-word name opens a compound ("kompetensförsörjningsarbete")."""
        for cut in range(len(word) - 3, _MIN_HEAD - 1, -1):
            if word[:cut] in self._heads:
                return sorted(self._heads[word[:cut]])
        return []


def name_variants(name: str) -> list[str]:
    """A name as the registry has it, and without a parenthetical part, which a text may leave out.

    >>> name_variants("Områdesteam (SSPF)")
    ['Områdesteam (SSPF)', 'Områdesteam']
    """
    bare = " ".join(re.sub(r"\([^)]*\)", " ", name).split())
    return [name, bare] if bare and bare != name else [name]


def sentence_at(text: str, start: int, end: int, limit: int = 300) -> tuple[int, int]:
    """The span of the sentence around [start, end), cut to about `limit` characters at word
    boundaries around the mention when the sentence is longer."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    if right - left > limit:
        half = max(0, (limit - (end - start)) // 2)
        lo, hi = max(left, start - half), min(right, end + half)
        while lo > left and not text[lo - 1].isspace():
            lo += 1
        while hi < right and not text[hi].isspace():
            hi -= 1
        left, right = lo, max(hi, end)
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right
