"""Date expressions in article text, resolved against the article's date.

A line says "on Wednesday", "July 3 and 4", "3 July 2024", "in May", "last year" or "2001"; each
names a date at the precision it gives (a day, a month, a year). The build's ``date`` rule reads
a claim's date as stated when one of these expressions names it (``sco_data.building.
claim_rules``).

The expressions are found with the month and weekday names of ``sco_data.dates`` rather than
dateparser: a weekday in a news article names the nearest such day to the article's date,
before or after it ("Thursday" in an article of Wednesday 3 July is 4 July), and a range ("July 3
and 4", "3-4 July", "Wednesday and Thursday", "today and tomorrow") names both its days.
dateparser 1.2 resolves a weekday to one side only (with a 3 July base, "Thursday" is 27 June, or
with ``PREFER_DATES_FROM: future`` "Wednesday" is 10 July), finds "July" alone in "July 3 and
4", and its ``search_dates`` takes about 100 ms a line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sco_data.dates import MONTHS, WEEKDAYS

_MONTH = "(" + "|".join(MONTHS) + ")"
_DAY = r"([0-3]?\d)"
_YEAR = r"((?:19|20)\d\d)"
_JOIN = r"\s*(?:and|to|-|–|—)\s*"
_PATTERNS = {
    # July 3, July 3 and 4, July 3-4, July 3, 2024
    "month_day": re.compile(rf"\b{_MONTH}\.? {_DAY}(?:{_JOIN}{_DAY})?\b(?:,? {_YEAR}\b)?"),
    # 3 July, 3 and 4 July, 3-4 July 2024
    "day_month": re.compile(rf"\b{_DAY}(?:{_JOIN}{_DAY})? {_MONTH}\b(?:,? {_YEAR}\b)?"),
    "dotted": re.compile(r"\b([0-3]\d)\.([01]\d)\.((?:19|20)\d\d)\b"),  # 03.07.2024, day first
    "iso": re.compile(r"\b((?:19|20)\d\d)-([01]\d)-([0-3]\d)\b"),
    # in May, May 2024; a month with a day is matched above
    "month": re.compile(rf"\b{_MONTH}\b(?! [0-3]?\d\b)(?:,? {_YEAR}\b)?"),
    "year": re.compile(rf"\b{_YEAR}\b"),
    # Wednesday and Thursday; today and tomorrow
    "weekday_range": re.compile(rf"\b({'|'.join(WEEKDAYS)}){_JOIN}({'|'.join(WEEKDAYS)})\b"),
    "relative_range": re.compile(rf"\b(today|tomorrow|yesterday){_JOIN}(today|tomorrow)\b",
                                 re.IGNORECASE),
    "weekday": re.compile(r"\b(" + "|".join(WEEKDAYS) + r")(?:[’']s)?\b"),
    "relative_day": re.compile(r"\b(today|tomorrow|yesterday|tonight)\b", re.IGNORECASE),
    "relative": re.compile(r"\b(last|this|next) (year|month)(?:[’']s)?\b", re.IGNORECASE),
}
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}
_STEP = {"last": -1, "this": 0, "next": 1}


@dataclass(frozen=True)
class DateMention:
    """Words of a text that name one or more dates, each an ISO date at its precision."""

    words: str
    start: int
    end: int
    values: tuple[str, ...]  # "2024-07-03", "2024-05", "2001"
    how: str  # which kind of expression: "weekday", "month_day", …


def date_mentions(text: str, published: dt.date) -> list[DateMention]:
    """Every date expression in ``text``, resolved against the article's date ``published``."""
    found: list[DateMention] = []
    for how, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            values = tuple(value for value in _resolve(how, match, published) if value)
            if values:
                found.append(DateMention(match.group(), match.start(), match.end(), values, how))
    return found


def states_date(value: str, mentions: list[DateMention], end: str | None = None
                ) -> DateMention | None:
    """The first mention naming ``value`` at its precision (a day mention also names its
    month and year), or None. ``end``: "first" or "last" when the value begins or ends a span
    of days (a meeting's start or end date): then only a range names it, by its first or last
    day ("July 3 and 4" states both; "Thursday" alone states neither)."""
    for mention in mentions:
        named = mention.values
        if end is not None:
            if len(named) < 2:
                continue
            named = named[:1] if end == "first" else named[-1:]
        if any(len(day) >= len(value) and day[:len(value)] == value for day in named):
            return mention
    return None


def nearest_weekday(name: str, published: dt.date) -> dt.date:
    """The day named ``name`` nearest ``published``: three days before it to three after."""
    offset = (WEEKDAYS.index(name) - published.weekday() + 3) % 7 - 3
    return published + dt.timedelta(days=offset)


def _resolve(how: str, match: re.Match[str], published: dt.date) -> list[str | None]:
    groups = match.groups()
    if how == "month_day":
        month, first, second, year = groups
        return [_day(year, month, first, published), _day(year, month, second, published)]
    if how == "day_month":
        first, second, month, year = groups
        return [_day(year, month, first, published), _day(year, month, second, published)]
    if how == "dotted":
        day, month, year = groups
        return [_iso(int(year), int(month), int(day))]
    if how == "iso":
        year, month, day = groups
        return [_iso(int(year), int(month), int(day))]
    if how == "month":
        month, year = groups
        return [f"{int(year or published.year):04d}-{MONTHS.index(month) + 1:02d}"]
    if how == "year":
        return [groups[0]]
    if how in ("weekday", "weekday_range"):
        return [nearest_weekday(name, published).isoformat() for name in groups]
    if how in ("relative_day", "relative_range"):
        return [(published + dt.timedelta(days=_RELATIVE_DAYS[word.lower()])).isoformat()
                for word in groups]
    step, unit = _STEP[groups[0].lower()], groups[1].lower()
    if unit == "year":
        return [str(published.year + step)]
    month_index = published.year * 12 + published.month - 1 + step
    return [f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"]


def _day(year: str | None, month: str, day: str | None, published: dt.date) -> str | None:
    if day is None:
        return None
    return _iso(int(year or published.year), MONTHS.index(month) + 1, int(day))


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
