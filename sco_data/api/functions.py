"""The public functions: ``sco_data.quotes()``, ``sco_data.meetings(person="xi")``…

Each returns a new list of typed, frozen records (``sco_data.api.objects``), in a stable order,
with relations resolved and every record's ``sources`` attached. The database is read once per
process; it is built into a user cache the first time (``sco_data.api.cache``).
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path
from typing import Any, get_args

from sco_data.api import objects as o
from sco_data.api.cache import ensure_database
from sco_data.api.reader import Dataset, open_read_only, read


def db_path() -> Path:
    """The SQLite file the functions read (built on first use; see ``docs/api.md``)."""
    return ensure_database()


def connect() -> sqlite3.Connection:
    """A new read-only ``sqlite3.Connection`` to the database; SQLite refuses any write."""
    return open_read_only(db_path())


def articles() -> list[o.Article]:
    """The five articles, oldest first; ``article.lines`` holds each one's whole text."""
    return list(_dataset().articles)


def countries() -> list[o.Country]:
    """Every country the records refer to, by id."""
    return list(_dataset().countries)


def organizations() -> list[o.Organization]:
    """Every organization the records refer to, by id."""
    return list(_dataset().organizations)


def people(name: str | None = None) -> list[o.Person]:
    """Everyone named in a role relevant to the summit, by id.

    ``name`` keeps the people whose name, any spelling of it, or id matches (see ``docs/api.md``).
    """
    return [person for person in _dataset().people if name is None or _person_is(person, name)]


def members() -> list[o.Member]:
    """The organization's members, by id; ``member.country`` is the country."""
    return list(_dataset().members)


def observers() -> list[o.Observer]:
    """Observers and dialogue partners, by id; ``observer.status`` says which."""
    return list(_dataset().observers)


def meetings(person: str | None = None, status: str | None = None) -> list[o.Meeting]:
    """Meetings, by start date (undated last), then id.

    ``person`` keeps the meetings in which a matching person took part; ``status`` is
    ``held`` or ``planned``.
    """
    _check_choice("status", status, o.MeetingStatus)
    return [
        meeting for meeting in _dataset().meetings
        if (person is None or any(_person_is(who, person) for who in meeting.participants))
        and (status is None or meeting.status == status)
    ]


def attendees(attendance: str | None = None, country: str | None = None) -> list[o.Attendee]:
    """Who attended the summit, was expected or stayed away, by id.

    ``attendance`` is ``attended``, ``expected`` or ``absent``; ``country`` matches a
    country's name or id, case-insensitively.
    """
    _check_choice("attendance", attendance, o.Attendance)
    return [
        attendee for attendee in _dataset().attendees
        if (attendance is None or attendee.attendance == attendance)
        and (country is None or (attendee.country is not None
                                 and _names_match(country, attendee.country.id,
                                                  attendee.country.name)))
    ]


def quotes(speaker: str | None = None) -> list[o.Quote]:
    """Every quote, in reading order of its primary source.

    ``speaker`` keeps the quotes whose speaker matches: a person's name, any spelling of it or
    id, an organization or country that speaks, or the article's own label for the speaker
    ("a senior Kazakh official"). Case-insensitive, whole words: ``"xi"`` finds Xi Jinping.
    """
    return [quote for quote in _dataset().quotes if speaker is None or _spoke(quote, speaker)]


def discrepancies() -> list[o.Discrepancy]:
    """Where the articles disagree or change over time, by id; each side is a source."""
    return list(_dataset().discrepancies)


def frame(table: str) -> Any:
    """One table of the database as a pandas DataFrame, rows in the order they were built.

    Needs pandas: ``pip install 'sco-data[notebook]'``.
    """
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "sco_data.frame() needs pandas, which is not installed: "
            "pip install 'sco-data[notebook]' (or pip install pandas)"
        ) from error
    with closing(connect()) as connection:
        tables = [row[0] for row in connection.execute(
            "select name from sqlite_master where type = 'table' and name not like '%_fts%' "
            "and name not like 'sqlite_%' and name != 'alembic_version' order by name")]
        if table not in tables:
            raise ValueError(f"no table {table!r}; the tables are: {', '.join(tables)}")
        return pandas.read_sql_query(f'select * from "{table}" order by rowid', connection)


# ---------------------------------------------------------------------- internals


@cache
def _dataset() -> Dataset:
    return read(ensure_database())


def _check_choice(name: str, value: str | None, allowed: Any) -> None:
    choices = get_args(allowed)
    if value is not None and value not in choices:
        raise ValueError(f"{name}={value!r} is not one of: {', '.join(choices)}")


def _names_match(query: str, *names: str | None) -> bool:
    """Whether ``query`` equals an id or stands as whole words in a name, ignoring case."""
    wanted = query.strip().casefold()
    if not wanted:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    return any(name is not None and (name.casefold() == wanted
                                     or pattern.search(name.casefold()) is not None)
               for name in names)


def _person_is(person: o.Person, query: str) -> bool:
    return _names_match(query, person.id, person.name, *person.aliases)


def _spoke(quote: o.Quote, query: str) -> bool:
    speakers: list[str | None] = [quote.speaker]
    if quote.organization:
        speakers += [quote.organization.id, quote.organization.name]
    if quote.country:
        speakers += [quote.country.id, quote.country.name]
    return (quote.person is not None and _person_is(quote.person, query)) or _names_match(
        query, *speakers)
