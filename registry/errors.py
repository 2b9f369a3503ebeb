"""One exception family for everything that can go wrong with a registry.

The CLI turns these into one-line messages and exit code 1; anything else that escapes is a bug.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousNameError",
    "BackendUnavailableError",
    "CitationNotFoundError",
    "DuplicateIdError",
    "EditRefusedError",
    "ImportFailedError",
    "LockHeldError",
    "NotFoundError",
    "RegistryError",
    "SchemaError",
    "UnknownReferenceError",
    "ValidationFailedError",
    "WriteError",
    "describe_os_error",
    "os_reason",
]


class RegistryError(Exception):
    """Base class for every error samverkan reports to its user."""


class SchemaError(RegistryError):
    """A file does not follow the registry format (bad YAML, unknown field, wrong type)."""


class UnknownReferenceError(RegistryError):
    """A relation or field names an id that is not in the registry."""


class DuplicateIdError(RegistryError):
    """Two files declare the same entity id."""


class EditRefusedError(RegistryError):
    """An edit (add, link, set, retire, apply) would make the registry invalid; nothing was written."""

    def __init__(self, problems: list) -> None:  # list[Problem]
        self.problems = problems
        first = str(problems[0]) if problems else "ändringen är inte giltig"
        more = f" (och {len(problems) - 1} problem till)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}; inget skrevs")


class CitationNotFoundError(RegistryError):
    """An evidence quote is not found in its source document."""


class BackendUnavailableError(RegistryError):
    """A query backend (such as a Neo4j server) cannot be reached or used."""


class LockHeldError(RegistryError):
    """Another command is writing to the registry right now."""

    def __init__(self, root: str) -> None:
        self.root = root
        super().__init__(
            f"registret {root} är låst: ett annat kommando (merge, fmt, review …) skriver i det just nu; "
            "försök igen när det är klart"
        )


class WriteError(RegistryError):
    """A file cannot be written (a read-only folder, a full disk), or must not be overwritten."""


_OS_MESSAGES = {
    "ENOSPC": "enheten är full",
    "EACCES": "åtkomst nekas",
    "EPERM": "åtgärden är inte tillåten",
    "EROFS": "filsystemet är skrivskyddat",
    "ENOENT": "finns inte",
    "ENOTDIR": "en del av sökvägen är inte en katalog",
    "EISDIR": "är en katalog",
    "EEXIST": "finns redan",
    "ENAMETOOLONG": "namnet är för långt",
    "EIO": "in- eller utmatningsfel",
    "EDQUOT": "diskkvoten är slut",
}


def describe_os_error(exc: OSError) -> str:
    """An operating-system error as one Swedish line: the file and what went wrong with it.

    >>> describe_os_error(FileNotFoundError(2, "No such file or directory", "x.html"))
    'x.html: finns inte'
    """
    reason = os_reason(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


def os_reason(exc: OSError) -> str:
    """What went wrong, in Swedish where the error is a common one, without the file name."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_MESSAGES.get(name, exc.strerror or str(exc))


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
