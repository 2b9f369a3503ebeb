"""Facts whose quotes name neither endpoint, or not what a position proposes or concerns:
inferences that must say so in a `note`.

An analyst cites a registry line in an official text, so a participation, mandate or position must
either be plainly stated by its own quote or carry a `note` saying what was read into it. The check
is mechanical on purpose: a quote "names" an entity when one of its names, short name or aliases
stands in it, allowing Swedish inflection (genitive -s and ":s", definite and plural endings), and
compounds that start with a short name ("CTC-arbetet"). A fact also names its source entity when the
quote stands in that entity's own section of a compiled document, or in the section of what it is
part of: that is where an answer says "nämnden", "vi" or "förvaltningen".

>>> names_in("Nämnden ingår i SSPF:s arbete", [["SSPF"]])
[0]
>>> names_in("Arbetsmarknads- och socialnämndens ansvar", [["Arbetsmarknads- och socialnämnden"]])
[0]
>>> names_in("Örat mot marken-grupper finns", [["Örat mot marken"], ["SBUM"]])
[0]
>>> names_in("polisen deltar", [["SBUM"]])
[]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .models import Entity
from .names import fold
from .problems import Problem
from .vocabulary import RelationType

__all__ = ["INFERENCE_CHECKED", "inference_problems", "names_in"]

# the relation types an analyst cites as "who takes part, who decides, who said what"
INFERENCE_CHECKED = frozenset({RelationType.PARTICIPATES_IN, RelationType.MANDATE, RelationType.POSITION})

# Swedish endings a name takes in running text: genitive, definite, plural, and their combinations
_ENDINGS = ("", "s", "n", "ns", "en", "ens", "et", "ets", "na", "nas", "ar", "arna", "er", "erna", "e", "es")


def _tokens(text: str) -> list[str]:
    return fold(text).split()


def _matches(quote: list[str], name: list[str]) -> bool:
    """Whether the name's words stand in the quote in order, each with at most a Swedish ending."""
    k = len(name)
    if not k:
        return False
    return any(all(_inflects(quote[i + j], name[j]) for j in range(k)) for i in range(len(quote) - k + 1))


def _inflects(word: str, base: str) -> bool:
    if not word.startswith(base):
        # a definite form may drop the base's final vowel or -en: "nämnd" / "nämnden"
        return base.endswith(("en", "et")) and word == base[:-2]
    return word[len(base) :] in _ENDINGS


def names_in(quote: str, name_lists: Sequence[Sequence[str]]) -> list[int]:
    """Indices of the entities (each given by its names) that the quote names."""
    words = _tokens(quote)
    found = []
    for index, names in enumerate(name_lists):
        if any(_matches(words, _tokens(name)) for name in names if _tokens(name)):
            found.append(index)
    return found


def _names(entity: Entity | None) -> list[str]:
    if entity is None:
        return []
    names = entity.all_names()
    return [n for n in names if len(fold(n)) >= 2]


def inference_problems(registry: Any, problem: Any) -> Iterator[Problem]:
    """Warnings for checked relations whose quotes name neither endpoint and which carry no note.

    `problem(entity, loc, message)` makes a located Problem; `registry` is the loaded Registry.
    """
    for entity in registry:
        for i, rel in enumerate(entity.relations):
            if RelationType(rel.type) not in INFERENCE_CHECKED or rel.note or not rel.evidence:
                continue
            if _any_named(registry, entity, rel):
                continue
            if any(ev.note for ev in rel.evidence):
                continue
            yield problem(
                entity,
                ("relations", i),
                f"citaten nämner varken {entity.id!r} eller {rel.target!r}: säg i 'note' vad som är tolkat",
            )
        for i, rel in enumerate(entity.relations):
            if rel.type != RelationType.POSITION or rel.note or not rel.evidence:
                continue
            for field in _LISTED:
                for j, listed in enumerate(getattr(rel, field, None) or []):
                    if listed in registry.broken_ids:
                        continue  # a file that does not load is an error of its own
                    if not _named(registry, registry.get(listed), rel.evidence):
                        yield problem(
                            entity,
                            ("relations", i, field, j),
                            f"citaten nämner inte {listed!r}: säg i 'note' vad som är tolkat, eller ta bort den",
                        )


# a position's lists: each body proposed and each structure concerned must be named by a quote too
_LISTED = ("proposes", "jointly", "concerns")


def _named(registry: Any, entity: Entity | None, evidence: Sequence[Any]) -> bool:
    """Whether a quote names the entity, or stands in its own section (a nämnd proposing itself)."""
    if entity is None:
        return True  # an unknown id is an error of its own
    for ev in evidence:
        if registry.source_text(ev.source) is None:
            return True
        if names_in(ev.quote, [_names(entity)]) or _in_own_section(registry, _speakers(entity), ev):
            return True
        if _shares_own_quote(entity, ev):
            return True
    return False


def _shares_own_quote(entity: Entity, ev: Any) -> bool:
    """A thing the text describes instead of naming ("en ny samverkansplattform") is named where
    the words its own evidence quotes stand, or where its own quote is the same passage."""
    quote = f" {' '.join(_tokens(ev.quote))} "
    for own in entity.evidence:
        words = f" {' '.join(_tokens(own.quote))} "
        if own.source == ev.source and words.strip() and (words in quote or quote in words):
            return True
    return False


def _any_named(registry: Any, entity: Entity, rel: Any) -> bool:
    target = registry.get(rel.target)
    names = [_names(entity), _names(target)]
    for ev in rel.evidence:
        if registry.source_text(ev.source) is None:
            return True  # an unreadable source is an error of its own; no doubt to add
        if names_in(ev.quote, names):
            return True
        if _in_own_section(registry, _speakers(entity), ev):
            return True
    return False


def _speakers(entity: Entity) -> set[str]:
    """Whose answer may speak of the entity as "nämnden", "vi" or "förvaltningen": its own, and
    that of what it is part of (a förvaltning in its nämnd's answer)."""
    return {entity.id} | {r.target for r in entity.relations if r.type == RelationType.PART_OF}


def _in_own_section(registry: Any, speakers: set[str], ev: Any) -> bool:
    text = registry.source_text(ev.source)
    if text is None:
        return False
    return any(text.speaker_at(line) in speakers for line in text.occurrences(ev.quote))
