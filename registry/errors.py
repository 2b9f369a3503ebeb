"""One exception family for everything that can go wrong with a registry.

The CLI turns these into one-line messages and exit code 1; anything else that escapes is a bug.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousNameError",
    "BackendUnavailableError",
    "CitationNotFoundError",
    "DuplicateIdError",
    "ImportFailedError",
    "NotFoundError",
    "RegistryError",
    "SchemaError",
    "UnknownReferenceError",
    "ValidationFailedError",
]


class RegistryError(Exception):
    """Base class for every error samverkan reports to its user."""


class SchemaError(RegistryError):
    """A file does not follow the registry format (bad YAML, unknown field, wrong type)."""


class UnknownReferenceError(RegistryError):
    """A relation or field names an id that is not in the registry."""


class DuplicateIdError(RegistryError):
    """Two files declare the same entity id."""


class CitationNotFoundError(RegistryError):
    """An evidence quote is not found in its source document."""


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

    def __init__(self, problems: list) -> None:  # list[Problem], typed loosely to avoid a cycle
        self.problems = problems
        super().__init__(f"registret har {len(problems)} problem; kör 'samverkan validate' för att se dem")


class ImportFailedError(RegistryError):
    """An import file has problems; carries every problem (`file: record: message`), nothing written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (och {len(problems) - 1} problem till)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}; inget har skrivits")
