"""The order in which the quotes, meetings and attendees tables open: strongest rows first.

Datasette can open a table sorted by one column only, and none of the curated columns sorts
these tables usefully (ids sort alphabetically; SQLite puts undated meetings first; ``absent``
sorts before ``attended``). So the build numbers the rows in ``listing_order``:

- quotes in reading order of their primary source: articles by date, then registry order,
  then line, then where on the line the cited words start;
- meetings by date, dated ones first, each date taken as the interval it names (``2022`` runs
  from 1 January to 31 December), undated ones last;
- attendees who attended first, then the expected, then the absent, each by country or
  organization and person.

Also ``meetings.place_name``: the place without the country a line adds to it ("Astana" for
"Astana, Kazakhstan"), so that one place is one facet value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sco_data.dates import date_span
from sco_data.models import Attendance

Row = dict[str, Any]

ATTENDANCE_ORDER = {Attendance.attended: 0, Attendance.expected: 1, Attendance.absent: 2}


def article_ranks(articles: list[Row]) -> dict[str, tuple[str, int]]:
    """Each article's place in reading order: its date (undated last), then registry order."""
    return {row["id"]: (row["published"] or "9999", position)
            for position, row in enumerate(articles)}


def number_quotes(quotes: list[Row], ranks: dict[str, tuple[str, int]],
                  starts: dict[str, int]) -> None:
    """``listing_order`` of the quotes: by their primary source's article, line, and where on
    the line the quote's words start (``starts``, by quote id)."""
    _number(quotes, lambda row: (
        *ranks[row["article_id"]], row["line"], starts.get(row["id"], 0), row["id"]))


def number_meetings(meetings: list[Row]) -> None:
    """``listing_order`` of the meetings, by date, and their ``place_name``."""
    _number(meetings, lambda row: (
        row["start_date"] is None,
        *(date_span(row["start_date"]) if row["start_date"] else (date.max, date.max)),
        date_span(row["end_date"])[1] if row["end_date"] else date.max,
        row["id"]))
    for row in meetings:
        row["place_name"] = place_name(row["place"])


def number_attendees(attendees: list[Row], names: dict[str, dict[str, str]]) -> None:
    """``listing_order`` of the attendees: by attendance, then the name of their country or
    organization, then their own (``names``: countries, organizations, people by id)."""
    _number(attendees, lambda row: (
        ATTENDANCE_ORDER[Attendance(row["attendance"])],
        names["countries"].get(row["country_id"])
        or names["organizations"].get(row["organization_id"]) or "~",
        names["people"].get(row["person_id"]) or "~",
        row["id"]))


def place_name(place: str | None) -> str | None:
    """The place as its first comma-separated part: the name a line gives it on its own."""
    if place is None:
        return None
    return place.split(",", 1)[0].strip() or place


def quote_start(evidence: str, char_start: int, text: str) -> int:
    """Where a quote stands on the line of its first citation (its primary source): the start
    of its words in the evidence, which may begin sentences earlier ("At a meeting with Xi on
    Wednesday, Putin hailed … and said …")."""
    return char_start + max(evidence.find(text), 0)


def _number(rows: list[Row], key: Callable[[Row], tuple[Any, ...]]) -> None:
    for position, row in enumerate(sorted(rows, key=key), 1):
        row["listing_order"] = position
