"""A problem found in a registry, located as precisely as the file allows."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "format_loc"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file: printed as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str
    warning: bool = False  # a doubt worth fixing, an error only under `validate --strict`

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        message = f"varning: {self.message}" if self.warning else self.message
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "severity": "warning" if self.warning else "error",
        }


def format_loc(loc: tuple[object, ...]) -> str:
    """A location tuple as the field path users read: `relations[2].evidence[0].quote`.

    >>> format_loc(("relations", 2, "evidence", 0, "quote"))
    'relations[2].evidence[0].quote'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
