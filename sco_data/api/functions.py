"""The public functions: ``sco_data.quotes()``, ``sco_data.meetings(person="xi")``…

Each list function returns a new ``Records`` list (a ``list`` with ``to_frame()``) of typed,
frozen records (``sco_data.api.objects``), in a stable order, with relations resolved and every
record's ``sources`` attached. ``quote(id)`` and its siblings find one record by id. The
database is read once per process; it is built into a user cache the first time
(``sco_data.api.cache``).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from sco_data.api import arguments as check
from sco_data.api.cache import ensure_database
from sco_data.api.frames import Records
from sco_data.api.frames import frame as frame
from sco_data.api.names import names_match, unknown_id, unknown_name
from sco_data.api.objects import (
    Article,
    Attendance,
    Attendee,
    Country,
    Discrepancy,
    Meeting,
    MeetingFact,
    MeetingKind,
    MeetingStatus,
    Member,
    Observer,
    Organization,
    Person,
    Quote,
    Record,
)
from sco_data.api.reader import connect as _connect
from sco_data.api.reader import dataset as _dataset

if TYPE_CHECKING:
    import networkx

    from sco_data.searching import Group as SearchGroup
    from sco_data.searching import Index as SearchIndex

BibliographyFormat = Literal["bibtex", "csl-json"]


def db_path() -> Path:
    """The SQLite file the functions read (built on first use; see ``docs/api.md``)."""
    return ensure_database()


def connect() -> sqlite3.Connection:
    """A new read-only ``sqlite3.Connection`` to the database; SQLite refuses any write."""
    return _connect()


# ---------------------------------------------------------------------- lists


def articles() -> Records[Article]:
    """The five articles, oldest first; ``article.lines`` holds each one's whole text."""
    return Records(_dataset().articles)


def countries() -> Records[Country]:
    """Every country the records refer to, by id."""
    return Records(_dataset().countries)


def organizations() -> Records[Organization]:
    """Every organization the records refer to, by id."""
    return Records(_dataset().organizations)


def people(name: str | None = None) -> Records[Person]:
    """Everyone named in a role relevant to the summit, by id.

    ``name`` keeps the people whose name, any spelling of it, or id matches (see ``docs/api.md``).
    """
    name = check.optional_text("name", name)
    if name is not None:
        _check_person("name", name)
    return Records(person for person in _dataset().people
                   if name is None or _person_is(person, name))


def members() -> Records[Member]:
    """The organization's members, by id; ``member.country`` is the country."""
    return Records(_dataset().members)


def observers() -> Records[Observer]:
    """Observers and dialogue partners, by id; ``observer.status`` says which."""
    return Records(_dataset().observers)


def meetings(person: str | None = None, status: str | None = None, kind: str | None = None,
             place: str | None = None, start: str | None = None,
             end: str | None = None) -> Records[Meeting]:
    """Meetings, by start date (undated last), then id.

    ``person`` keeps the meetings a matching person took part in; ``status`` is ``held`` or
    ``planned``; ``kind`` is ``summit``, ``bilateral`` or ``multilateral``; ``place`` matches
    the place's words ("Astana" finds "Astana, Kazakhstan"). ``start`` and ``end`` are dates at
    any precision (``"2024"``, ``"2024-07"``, ``"2024-07-03"``), each the interval it names: a
    meeting is kept when its own dates overlap the period from ``start`` to ``end`` (either may
    be left out); undated meetings are then left out.
    """
    status = check.choice("status", status, get_args(MeetingStatus))
    kind = check.choice("kind", kind, get_args(MeetingKind))
    person = check.optional_text("person", person)
    place = check.optional_text("place", place, what="words of a place")
    start, end = check.date("start", start), check.date("end", end)
    if person is not None:
        _check_person("person", person)
    if place is not None:
        places = [meeting.place for meeting in _dataset().meetings if meeting.place]
        if not any(names_match(place, known) for known in places):
            raise unknown_name("place", place, "meeting place", places)
    period = _period(start, end)
    return Records(
        meeting for meeting in _dataset().meetings
        if (person is None or any(_person_is(who, person) for who in meeting.participants))
        and (status is None or meeting.status == status)
        and (kind is None or meeting.kind == kind)
        and (place is None or names_match(place, meeting.place))
        and (period is None or _overlaps(_meeting_days(meeting), period))
    )


def attendees(attendance: str | None = None, country: str | None = None,
              person: str | None = None) -> Records[Attendee]:
    """Who attended the summit, was expected or stayed away, by id.

    ``attendance`` is ``attended``, ``expected`` or ``absent``; ``country`` matches a
    country's name or id; ``person`` a person's name, any spelling of it, or id.
    """
    attendance = check.choice("attendance", attendance, get_args(Attendance))
    country = check.optional_text("country", country)
    person = check.optional_text("person", person)
    if country is not None:
        _check_country("country", country)
    if person is not None:
        _check_person("person", person)
    return Records(
        attendee for attendee in _dataset().attendees
        if (attendance is None or attendee.attendance == attendance)
        and (country is None or (attendee.country is not None
                                 and names_match(country, attendee.country.id,
                                                 attendee.country.name)))
        and (person is None or (attendee.person is not None
                                and _person_is(attendee.person, person)))
    )


def quotes(speaker: str | None = None, meeting: str | None = None, article: str | None = None,
           date: str | None = None) -> Records[Quote]:
    """Every quote, in reading order of its primary source.

    ``speaker`` keeps the quotes whose speaker matches: a person's name, any spelling of it or
    id, an organization or country that speaks, or the article's own label for the speaker
    ("a senior Kazakh official"). Case-insensitive, whole words: ``"xi"`` finds Xi Jinping.
    ``meeting`` is a meeting's id or words of its title; ``article`` an article's id or label
    ("AP 3 July"), keeping the quotes any of whose sources is in it; ``date`` a date at any
    precision, keeping the quotes said at a meeting on that date or, for a quote with no dated
    meeting, first printed then.
    """
    speaker = check.optional_text("speaker", speaker)
    meeting = check.optional_text("meeting", meeting, what="a meeting's id or title words")
    article = check.optional_text("article", article, what="an article's id or label")
    date = check.date("date", date)
    if speaker is not None:
        _check_speaker(speaker)
    if meeting is not None:
        _check_meeting(meeting)
    if article is not None:
        _check_article(article)
    period = _period(date, date, names=("date", "date"))
    return Records(
        quote for quote in _dataset().quotes
        if (speaker is None or _spoke(quote, speaker))
        and (meeting is None or (quote.meeting is not None
                                 and _meeting_is(quote.meeting, meeting)))
        and (article is None or any(_article_is(source.article, article)
                                    for source in quote.sources))
        and (period is None or _overlaps(_quote_days(quote), period))
    )


def discrepancies() -> Records[Discrepancy]:
    """Where the articles disagree or change over time, by id; each side is a source."""
    return Records(_dataset().discrepancies)


# ---------------------------------------------------------------------- one record by id


def record(table: str, id: str) -> Record | Article:
    """The record ``id`` of ``table`` ("quotes", "people"…).

    Raises ``KeyError`` naming the closest ids when there is none, and ``ValueError`` naming
    the tables for an unknown table.
    """
    table = check.text("table", table, check.MAX_TABLE_CHARS, "a table's name such as 'quotes'")
    id = check.record_id("id", id)
    tables = _by_table()
    if table not in tables:
        raise unknown_name("table", table, "table of records", tables)
    found = {item.id: item for item in tables[table]}
    if id not in found:
        raise unknown_id(table, id, found)
    return found[id]


def article(id: str) -> Article:
    """The article ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("articles", id, Article)


def country(id: str) -> Country:
    """The country ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("countries", id, Country)


def organization(id: str) -> Organization:
    """The organization ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("organizations", id, Organization)


def person(id: str) -> Person:
    """The person ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("people", id, Person)


def member(id: str) -> Member:
    """The member ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("members", id, Member)


def observer(id: str) -> Observer:
    """The observer ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("observers", id, Observer)


def meeting(id: str) -> Meeting:
    """The meeting ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("meetings", id, Meeting)


def meeting_fact(id: str) -> MeetingFact:
    """The meeting fact ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("meeting_facts", id, MeetingFact)


def attendee(id: str) -> Attendee:
    """The attendee ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("attendees", id, Attendee)


def quote(id: str) -> Quote:
    """The quote ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("quotes", id, Quote)


def discrepancy(id: str) -> Discrepancy:
    """The discrepancy ``id``; a ``KeyError`` names the closest ids when there is none."""
    return _one("discrepancies", id, Discrepancy)


# ---------------------------------------------------------------------- beyond lists


def graph() -> networkx.MultiGraph:
    """Who met whom as a networkx ``MultiGraph``: people as nodes, one edge per meeting
    between each two of its participants, keyed by meeting id, with the meeting's ``title``,
    ``kind``, ``status``, ``start_date``, ``end_date`` and ``place``. networkx is a dependency
    (the site draws the same graph at ``/-/network``)."""
    from sco_data.api.graph import meeting_graph

    return meeting_graph(_dataset().people, _dataset().meetings)


def search(query: str) -> list[SearchGroup]:
    """What the site's search box finds for ``query``, in the same order: groups of hits by
    kind (people, organizations, countries, meetings, quotes, attendees, members, observers,
    article lines), each hit with its ``table``, ``id``, ``label`` and ``detail``.

    A name in any spelling, case or accents (or the closest spelling) finds its bearer and
    what they said and did; several names ("putin xi") list what they share first; quotes and
    lines must hold every word. ``print()`` a group to read it; ``record(hit.table, hit.id)``
    opens a hit (not a line's).
    """
    from sco_data import searching

    query = check.text("query", query, searching.QUERY_LENGTH,
                       "a name or words such as 'putin xi'")
    connection = _connect()
    try:
        return searching.search(connection, query, _search_index())
    finally:
        connection.close()


def bibliography(format: BibliographyFormat = "bibtex") -> str:
    """The five articles as a bibliography: ``"bibtex"`` (``@article`` entries, newspaper
    subtype, keyed by article id) or ``"csl-json"`` (a JSON list of ``article-newspaper``
    items), for a reference manager."""
    from sco_data.publish.bibliography import bibtex, csl_json, csl_json_text

    check.choice("format", format, get_args(BibliographyFormat))
    refs = [item.reference() for item in _dataset().articles]
    if format == "bibtex":
        return bibtex(refs)
    if format == "csl-json":
        return csl_json_text(csl_json(refs))
    raise ValueError(f"format={format!r} is not one of: bibtex, csl-json")


# ---------------------------------------------------------------------- internals


@functools.cache
def _search_index() -> SearchIndex:
    """The names and records a search reads, once per process, as ``_dataset()`` is."""
    from sco_data import searching

    connection = _connect()
    try:
        return searching.load_index(connection)
    finally:
        connection.close()



def _by_table() -> dict[str, list[Any]]:
    data = _dataset()
    return {
        "articles": data.articles, "countries": data.countries,
        "organizations": data.organizations, "people": data.people, "members": data.members,
        "observers": data.observers, "meetings": data.meetings,
        "meeting_facts": data.meeting_facts, "attendees": data.attendees,
        "quotes": data.quotes, "discrepancies": data.discrepancies,
    }


def _one(table: str, record_id: str, kind: type[Any]) -> Any:
    found = record(table, record_id)
    assert isinstance(found, kind)
    return found


def _person_is(person: Person, query: str) -> bool:
    return names_match(query, person.id, person.name, *person.aliases)


def _person_names() -> list[str]:
    return [name for person in _dataset().people
            for name in (person.name, *person.aliases)]


def _check_person(argument: str, query: str) -> None:
    if not any(_person_is(person, query) for person in _dataset().people):
        raise unknown_name(argument, query, "person or spelling of a name", _person_names())


def _check_country(argument: str, query: str) -> None:
    known = _dataset().countries
    if not any(names_match(query, item.id, item.name) for item in known):
        raise unknown_name(argument, query, "country", [item.name for item in known])


def _speakers() -> list[tuple[str | None, ...]]:
    """Every name a speaker can be found by: people, organizations, countries, labels."""
    data = _dataset()
    return [
        *((person.id, person.name, *person.aliases) for person in data.people),
        *((item.id, item.name, *item.aliases) for item in data.organizations),
        *((item.id, item.name) for item in data.countries),
        *((quote.speaker,) for quote in data.quotes),
    ]


def _check_speaker(query: str) -> None:
    speakers = _speakers()
    if not any(names_match(query, *names) for names in speakers):
        raise unknown_name("speaker", query, "person, alias, organization or country",
                           _names(speakers))


def _names(groups: Iterable[tuple[str | None, ...]]) -> list[str]:
    return [name for names in groups for name in names[1:] or names if name]


def _spoke(quote: Quote, query: str) -> bool:
    speakers: list[str | None] = [quote.speaker]
    if quote.organization:
        speakers += [quote.organization.id, quote.organization.name,
                     *quote.organization.aliases]
    if quote.country:
        speakers += [quote.country.id, quote.country.name]
    return (quote.person is not None and _person_is(quote.person, query)) or names_match(
        query, *speakers)


def _meeting_is(item: Meeting, query: str) -> bool:
    return names_match(query, item.id, item.title)


def _check_meeting(query: str) -> None:
    known = _dataset().meetings
    if not any(_meeting_is(item, query) for item in known):
        raise unknown_name("meeting", query, "meeting id or title",
                           [text for item in known for text in (item.id, item.title)])


def _article_is(item: Article, query: str) -> bool:
    return names_match(query, item.id, item.label)


def _check_article(query: str) -> None:
    known = _dataset().articles
    if not any(_article_is(item, query) for item in known):
        raise unknown_name("article", query, "article id or label",
                           [text for item in known for text in (item.id, item.label)])


Days = tuple[date, date]


def _period(start: str | None, end: str | None,
            names: tuple[str, str] = ("start", "end")) -> Days | None:
    """The days from the first of ``start`` to the last of ``end``; None when neither."""
    if start is None and end is None:
        return None
    first = _day(names[0], start, 0) if start is not None else date.min
    last = _day(names[1], end, 1) if end is not None else date.max
    if last < first:
        raise ValueError(f"{names[1]}={end!r} comes before {names[0]}={start!r}")
    return first, last


def _day(argument: str, value: str, which: int) -> date:
    """The first (``which`` 0) or last (1) day of a date at any precision, or a message naming
    the argument."""
    from sco_data.dates import date_span

    try:
        return date_span(value)[which]
    except ValueError as error:
        raise ValueError(f"{argument}={value!r}: {error}; give a date as YYYY, YYYY-MM or "
                         "YYYY-MM-DD") from None


def _overlaps(days: Days | None, period: Days) -> bool:
    return days is not None and days[0] <= period[1] and period[0] <= days[1]


def _meeting_days(item: Meeting) -> Days | None:
    from sco_data.dates import date_span

    if item.start_date is None:
        return None
    first, last = date_span(item.start_date)
    if item.end_date is not None:
        last = max(last, date_span(item.end_date)[1])
    return first, last


def _quote_days(item: Quote) -> Days | None:
    from sco_data.dates import date_span

    if item.meeting is not None and item.meeting.start_date is not None:
        return _meeting_days(item.meeting)
    return date_span(item.sources[0].article.published) if item.sources else None
