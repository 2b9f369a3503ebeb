"""One exception family for everything that can go wrong with a registry.

The CLI turns these into one-line messages and exit code 1; anything else that escapes is a bug.
Problems in the files themselves (schema, references, duplicate ids, quotes not in their source)
are not raised one by one: validation collects them all as `Problem`s, and a command that needs a
valid registry raises `ValidationFailedError` with every one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .problems import Problem

__all__ = [
    "AmbiguousNameError",
    "BackendUnavailableError",
    "NotFoundError",
    "RegistryError",
    "ValidationFailedError",
]


class RegistryError(Exception):
    """Base class for every error samverkan reports to its user."""


class BackendUnavailableError(RegistryError):
    """A query backend (such as a Neo4j server) cannot be reached or used."""


class NotFoundError(RegistryError):
    """A name resolves to no entity; carries the closest names as suggestions."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = suggestions or []
        message = f"hittade ingen entitet som heter {name!r}"
        if self.suggestions:
            message += "; menade du: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class AmbiguousNameError(RegistryError):
    """A name matches several entities; the caller must choose by id."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"{cid} ({cname})" for cid, cname in candidates)
        super().__init__(f"{name!r} kan avse flera entiteter: {listed}. Ange id.")


class ValidationFailedError(RegistryError):
    """A registry has problems; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"registret har {len(problems)} problem; kör 'samverkan validate' för att se dem")
