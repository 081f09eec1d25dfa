"""Dates at the precision the text gives, as the intervals of days they name.

``2022`` is every day of 2022, ``2024-05`` every day of May 2024, ``2024-07-03`` one day. The
build orders meetings by these intervals and the pages draw them; both read them here.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_PRECISION_PATTERNS = {
    "year": re.compile(r"(\d{4})"),
    "month": re.compile(r"(\d{4})-(\d{2})"),
    "day": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
}


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""The names articles write, in calendar order (``MONTHS.index(name) + 1`` is the month)."""


def precision_of(value: str) -> str:
    """The precision an ISO date is written at, for a date stored without one."""
    for precision, pattern in _PRECISION_PATTERNS.items():
        if pattern.fullmatch(value):
            return precision
    raise ValueError(f"not an ISO date at year, month or day precision: {value!r}")


def date_span(value: str, precision: str | None = None) -> tuple[date, date]:
    """The first and last day a date covers at its precision ('2024-02' → 1 to 29 Feb 2024)."""
    if precision is None:
        precision = precision_of(value)
    pattern = _PRECISION_PATTERNS.get(precision)
    if pattern is None:
        raise ValueError(f"unknown date precision {precision!r} for {value!r}")
    match = pattern.fullmatch(value)
    if match is None:
        raise ValueError(f"date {value!r} is not written at {precision} precision")
    year = int(match[1])
    try:
        if precision == "year":
            return date(year, 1, 1), date(year, 12, 31)
        month = int(match[2])
        if precision == "month":
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return date(year, month, 1), date(year, month, last)
        day = date(year, month, int(match[3]))
        return day, day
    except ValueError as error:
        raise ValueError(f"date {value!r} does not exist: {error}") from None
