"""What a new document may add to the registry: candidate entities, relations and overlap statements.

Each candidate carries the sentence it came from, so that a person can accept it or not. The rules
are deliberately simple and visible:

- an acronym defined in parentheses, "Samverkan barn och unga i Malmö (SBUM)";
- a named body: capitalised words ending in a word for a body (forum, nätverk, råd, grupp, team,
  plattform, samverkan, program, projekt) or an actor (nämnd, förvaltning, kontor, myndighet,
  bolag, förening, förbund), not at the start of a sentence unless a second capitalised word
  follows, and not already a name in the registry;
- a relation: a sentence with an actor, a structure and a verb of participation, leadership,
  mandate or funding ("deltar i", "ingår i", "leder", "samordnar", "ansvarar för", "ger … i
  uppdrag", "finansierar"), the actor before the verb (with those listed with it), the structure
  after it (and those listed with it);
- an overlap statement: a sentence that speaks of parallel structures, overlap, double work or
  coordination and names two structures (or one and "befintliga strukturer").

>>> [c["name"] for c in acronym_definitions("Vi deltar i Samverkan barn och unga i Malmö (SBUM) sedan 2019.")]
['Samverkan barn och unga i Malmö']
"""

from __future__ import annotations

import re
from typing import Any

from .mentions import _SENTENCE_END, _WORD, Mention
from .vocabulary import Kind

__all__ = [
    "BODY_HEADS",
    "acronym_definitions",
    "named_bodies",
    "overlap_statements",
    "relation_candidates",
    "sentence_spans",
]

# the word that ends a name, and the kind it suggests
BODY_HEADS: dict[str, Kind] = {
    "forum": Kind.SAMVERKANSFORUM,
    "nätverk": Kind.NATVERK,
    "råd": Kind.RAD,
    "styrgrupp": Kind.STYRGRUPP,
    "grupp": Kind.ARBETSGRUPP,
    "team": Kind.TEAM,
    "plattform": Kind.PLATTFORM,
    "samverkan": Kind.SAMVERKANSFORUM,
    "program": Kind.PROGRAM,
    "projekt": Kind.PROJEKT,
    "nämnd": Kind.NAMND,
    "förvaltning": Kind.FORVALTNING,
    "kontor": Kind.FORVALTNING,
    "myndighet": Kind.STATLIG_MYNDIGHET,
    "bolag": Kind.KOMMUNALT_BOLAG,
    "förening": Kind.CIVILSAMHALLE,
    "förbund": Kind.KOMMUNALFORBUND,
}
# a head word inflected: the definite and plural endings a body's name takes ("rådet", "gruppen")
_HEAD_WORD = re.compile(
    "("
    + "|".join(sorted(BODY_HEADS, key=len, reverse=True))
    + r")(?:[mp]?(?:et|en|ets|ens|er|erna|ernas|s|na|ar|arna))?$"
)
# compounds that end like a body but are not one
_NOT_BODIES = ("målgrupp", "åldersgrupp", "befolkningsgrupp", "yrkesgrupp", "personalgrupp")
_ACRONYM = re.compile(r"\(([A-ZÅÄÖ][A-ZÅÄÖ0-9&]{1,9}(?:-[A-ZÅÄÖ0-9]+)?)\)")

# (pattern on the folded sentence, relation type, role)
_VERBS: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(r"\b(deltar|medverkar|ingar|finns med|ar med) i\b"), "participates_in", "deltar"),
    (re.compile(r"\b(leder|ar ordforande i|haller i)\b"), "participates_in", "leder"),
    (re.compile(r"\bsamordnar\b"), "participates_in", "samordnar"),
    (re.compile(r"\bsammankallar\b"), "participates_in", "sammankallar"),
    (re.compile(r"\b(ansvarar for|har ansvaret for|har ansvar for|huvudansvar)\b"), "mandate", None),
    (re.compile(r"\b(ger \w+( \w+)? i uppdrag|far i uppdrag|uppdras)\b"), "mandate", None),
    (re.compile(r"\b(finansierar|bekostar)\b"), "funds", None),
]
_OVERLAP: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bparallell|\bdubbel|\bdubbla\b"), "parallella_strukturer"),
    (re.compile(r"overlapp"), "överlapp"),
    (re.compile(r"\bbefintliga? (strukturer|forum|samverkansforum|natverk)"), "befintlig_struktur"),
    (re.compile(r"\b(samordna|sla samman|sla ihop|samla)\b"), "samordning"),
]
_EXISTING = re.compile(r"\bbefintliga (strukturer|forum|samverkansstrukturer|natverk)\b")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a text as (start, end) character offsets."""
    spans, left = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((left, m.start()))
        left = m.end()
    spans.append((left, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _fold(text: str) -> str:
    from .names import fold

    return fold(text)


def acronym_definitions(text: str) -> list[dict[str, Any]]:
    """Names defined with an acronym in parentheses: the nearest word before the parenthesis that
    starts with the acronym's first letter opens the name."""
    out = []
    for m in _ACRONYM.finditer(text):
        acronym = m.group(1)
        before = list(_WORD.finditer(text, max(0, m.start() - 200), m.start()))[-10:]
        cut = [w for w in before if text[w.end() : m.start()].count(".") == 0]
        opener = next((w for w in reversed(cut) if w.group()[0].upper() == acronym[0] and w.group()[0].isupper()), None)
        if opener is None:
            opener = next((w for w in reversed(cut) if w.group()[0].upper() == acronym[0]), None)
        if opener is None:
            continue
        name = " ".join(text[opener.start() : m.start()].split()).rstrip(",;:–- ")
        if name and _fold(name) != _fold(acronym):
            out.append({"name": name, "short_name": acronym, "start": opener.start(), "end": m.end()})
    return out


def named_bodies(text: str, mentions: list[Mention] | None = None) -> list[dict[str, Any]]:
    """Capitalised names ending in a word for a body or an actor, with the kind that word suggests.

    A capital at the start of a sentence or line says nothing, so a name needs a capitalised word
    elsewhere; a name whose last word is a known entity's mention is that entity, not a new one.

    >>> [(c["name"], c["kind"]) for c in named_bodies("Vi deltar i Trygga Rosengårds nätverket. Rådet möts.")]
    [('Trygga Rosengårds nätverket', 'nätverk')]
    """
    covered = {i for m in mentions or [] for i in range(m.start, m.end)}
    out = []
    for start, end in sentence_spans(text):
        words = list(_WORD.finditer(text, start, end))
        for i, w in enumerate(words):
            kind = _head_kind(w.group())
            if kind is None:
                continue
            j = i
            while j > 0 and i - j < 4 and words[j - 1].group()[0].isupper() and _joined(text, words[j - 1], words[j]):
                j -= 1
            span = [x for x in words[j : i + 1] if len(x.group()) > 1]
            if len(span) == 1 and _HEAD_WORD.fullmatch(span[0].group().lower()):
                continue  # the bare word ("Nämnd", "Rådet"): no name
            proper = [x for k, x in enumerate(span) if x.group()[0].isupper() and not _opens(text, x, j + k == 0)]
            if not proper or span[-1].start() in covered:
                continue
            name = text[span[0].start() : span[-1].end()]
            out.append({"name": name, "kind": kind.value, "start": span[0].start(), "end": span[-1].end()})
    return out


def _joined(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """Whether two words stand together in a name (a space or a hyphen between them, no line break)."""
    return text[a.end() : b.start()] in (" ", "-", " - ")


def _opens(text: str, word: re.Match[str], first_in_sentence: bool) -> bool:
    """Whether a word opens a sentence, a line or a list item (its capital is no sign of a name)."""
    before = text[max(0, word.start() - 3) : word.start()]
    return first_in_sentence or "\n" in before or before.strip() in {"•", "-", "–", "*"} or not before.strip(" ")


def _head_kind(word: str) -> Kind | None:
    lower = word.lower()
    m = _HEAD_WORD.search(lower)
    if m is None or lower.startswith(_NOT_BODIES):
        return None
    return BODY_HEADS[m.group(1)]


def relation_candidates(text: str, mentions: list[Mention], category: dict[str, str]) -> list[dict[str, Any]]:
    """Sentences where an actor, a verb of taking part, leading, mandate or funding, and a structure
    stand in that order."""
    out = []
    for start, end in sentence_spans(text):
        inside = [m for m in mentions if start <= m.start < end and len(m.entity_ids) == 1]
        if len(inside) < 2:
            continue
        sentence = text[start:end]
        folded_words = [(w.start() + start, _fold(w.group())) for w in _WORD.finditer(sentence)]
        for pattern, rtype, role in _VERBS:
            for verb in pattern.finditer(" ".join(f for _, f in folded_words)):
                word_index = " ".join(f for _, f in folded_words)[: verb.start()].count(" ")
                at = folded_words[min(word_index, len(folded_words) - 1)][0]
                actors = [m for m in inside if m.end <= at and category.get(m.entity_ids[0]) == "actor"]
                targets = [m for m in inside if m.start > at and category.get(m.entity_ids[0]) == "structure"]
                if actors and targets:
                    for actor, target in ((a, t) for a in _subjects(text, actors) for t in _listed(text, targets)):
                        out.append(
                            {
                                "source": actor.entity_ids[0],
                                "relation": rtype,
                                "role": role,
                                "target": target.entity_ids[0],
                                "start": start,
                                "end": end,
                            }
                        )
    return out


_LISTING = ("", "och", "samt", "liksom", "eller")


def _subjects(text: str, actors: list[Mention]) -> list[Mention]:
    """The actor nearest before the verb, and those listed with it ("Fritidsnämnden, polisen och
    Region Skåne deltar i …")."""
    subjects = [actors[-1]]
    for before in reversed(actors[:-1]):
        if text[before.end : subjects[0].start].strip(" ,\n").lower() not in _LISTING:
            break
        subjects.insert(0, before)
    return subjects


def _listed(text: str, targets: list[Mention]) -> list[Mention]:
    """The structure first after the verb, and those listed after it ("deltar i SBUM och CTC")."""
    objects = [targets[0]]
    for after in targets[1:]:
        if text[objects[-1].end : after.start].strip(" ,\n").lower() not in _LISTING:
            break
        objects.append(after)
    return objects


def overlap_statements(text: str, mentions: list[Mention], category: dict[str, str]) -> list[dict[str, Any]]:
    """Sentences that say structures overlap, run in parallel or should be coordinated."""
    out = []
    for start, end in sentence_spans(text):
        folded = _fold(text[start:end])
        kind = next((k for pattern, k in _OVERLAP if pattern.search(folded)), None)
        if kind is None:
            continue
        structures = sorted(
            {
                m.entity_ids[0]
                for m in mentions
                if start <= m.start < end and len(m.entity_ids) == 1 and category.get(m.entity_ids[0]) == "structure"
            }
        )
        existing = bool(_EXISTING.search(folded))
        if len(structures) + int(existing) >= 2:
            out.append(
                {"concerns": structures, "existing_structures": existing, "overlap": kind, "start": start, "end": end}
            )
    return out
