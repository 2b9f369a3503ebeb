"""Dates that may be known only to the year or month, as the sources give them.

A decision is dated to the day, a budget assignment to the year; treating both as intervals lets
`--as-of` ask "was this valid on that day" without inventing precision the sources lack.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

__all__ = ["PartialDate", "is_valid_on", "parse_partial_date"]

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate(str):
    """An ISO date string of the form YYYY, YYYY-MM or YYYY-MM-DD.

    >>> d = parse_partial_date("2024-09")
    >>> d.earliest(), d.latest()
    (datetime.date(2024, 9, 1), datetime.date(2024, 9, 30))
    """

    __slots__ = ()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            parse_partial_date,
            json_schema_input_schema=core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    def _parts(self) -> tuple[int, int | None, int | None]:
        m = _PATTERN.match(self)
        assert m is not None  # guaranteed by parse_partial_date
        y, mo, d = m.groups()
        return int(y), (int(mo) if mo else None), (int(d) if d else None)

    def earliest(self) -> date:
        """The first day the value can mean."""
        y, mo, d = self._parts()
        return date(y, mo or 1, d or 1)

    def latest(self) -> date:
        """The last day the value can mean."""
        y, mo, d = self._parts()
        mo = mo or 12
        return date(y, mo, d or calendar.monthrange(y, mo)[1])


def parse_partial_date(value: object) -> PartialDate:
    """Check and wrap a partial date; raise ValueError with a readable message otherwise.

    >>> parse_partial_date("2026-01-22")
    '2026-01-22'
    >>> parse_partial_date("2026-13")
    Traceback (most recent call last):
    ...
    ValueError: '2026-13' är inget giltigt datum (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD)
    """
    if isinstance(value, date):
        value = value.isoformat()
    text = str(value).strip()
    m = _PATTERN.match(text)
    problem = f"{text!r} är inget giltigt datum (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD)"
    if not m:
        raise ValueError(problem)
    y, mo, d = m.groups()
    try:
        date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        raise ValueError(problem) from None
    return PartialDate(text)


def is_valid_on(day: date, valid_from: PartialDate | None, valid_until: PartialDate | None) -> bool:
    """Whether something with this validity may have been in force on `day`.

    Open ends are unbounded; partial dates count generously (a thing valid "from 2024" is valid on
    2024-01-01), because the sources rarely give more precision and dropping facts would be worse.

    >>> is_valid_on(date(2024, 5, 1), parse_partial_date("2024"), None)
    True
    >>> is_valid_on(date(2026, 2, 1), None, parse_partial_date("2026-01-22"))
    False
    """
    if valid_from is not None and day < valid_from.earliest():
        return False
    return not (valid_until is not None and day > valid_until.latest())
