"""Finding an entity by what a person types: id, name, short name or alias.

Matching goes from strict to loose and stops at the first tier that finds anything: the exact
id, then names compared case-insensitively, then names with diacritics and punctuation folded,
then the same with a Swedish genitive removed ("SBUM:s", "Fritidsnämndens"). Two entities in the
first tier that matches is an ambiguity, reported with both; no match suggests the closest names.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import AmbiguousNameError, NotFoundError
from .names import fold, strip_genitive

__all__ = ["NameIndex"]


@dataclass
class NameIndex:
    """Every name of every entity, indexed for the resolution tiers."""

    display: dict[str, str] = field(default_factory=dict)  # id -> canonical name
    _exact: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _folded: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(cls, entries: Iterable[tuple[str, list[str]]]) -> NameIndex:
        """From (id, names) pairs, the canonical name first in each list.

        >>> idx = NameIndex.build([("sbum", ["Samverkan barn och unga i Malmö", "SBUM"]),
        ...                        ("örat-mot-marken", ["Örat mot marken"])])
        >>> idx.resolve("SBUM:s"), idx.resolve("orat mot marken")
        ('sbum', 'örat-mot-marken')
        """
        index = cls()
        for entity_id, names in entries:
            index.display[entity_id] = names[0] if names else entity_id
            for name in [entity_id, *names]:
                index._exact[name.casefold().strip()].add(entity_id)
                key = fold(name)
                if key:
                    index._folded[key].add(entity_id)
        return index

    def resolve(self, query: str) -> str:
        """The id the query names; AmbiguousNameError or NotFoundError otherwise."""
        text = query.strip()
        if self._is_id(text):
            return text
        tiers = [lambda: self._exact_ids(text.casefold()), lambda: self._folded_ids(fold(text))]
        bare = strip_genitive(text)
        if bare:
            tiers += [lambda: self._exact_ids(bare.casefold()), lambda: self._folded_ids(fold(bare))]
        for tier in tiers:
            found = tier()
            if found:
                if len(found) > 1:
                    raise AmbiguousNameError(query, sorted((i, self._display(i)) for i in found))
                return next(iter(found))
        raise NotFoundError(query, self.suggest(text))

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """The names closest to a query that matched nothing, best first."""
        key = fold(query)
        candidates = difflib.get_close_matches(key, self._folded_keys(), n=limit * 3, cutoff=0.6)
        names: list[str] = []
        for cand in candidates:
            for entity_id in sorted(self._folded_ids(cand)):
                name = self._display(entity_id)
                if name not in names:
                    names.append(name)
        return names[:limit]

    # the lookups the tiers use; an index kept elsewhere (a database) overrides these
    def _is_id(self, text: str) -> bool:
        return text in self.display

    def _display(self, entity_id: str) -> str:
        return self.display[entity_id]

    def _exact_ids(self, key: str) -> set[str]:
        return self._exact.get(key, set())

    def _folded_ids(self, key: str) -> set[str]:
        return self._folded.get(key, set())

    def _folded_keys(self) -> list[str]:
        return list(self._folded)
