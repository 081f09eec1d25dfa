"""Read the built database into typed objects: relations resolved, every record's sources attached.

The whole dataset is a few thousand rows, so it is read in one pass and kept: every later call
works on objects in memory (``dataset()``, once per process). Only the standard library's sqlite3
is used here.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sco_data.api import objects as o
from sco_data.api.cache import ensure_database


@dataclass(frozen=True)
class Dataset:
    """Every record of one database, in the order the API returns them."""

    articles: list[o.Article]
    countries: list[o.Country]
    organizations: list[o.Organization]
    people: list[o.Person]
    members: list[o.Member]
    observers: list[o.Observer]
    meetings: list[o.Meeting]
    meeting_facts: list[o.MeetingFact]
    attendees: list[o.Attendee]
    quotes: list[o.Quote]
    discrepancies: list[o.Discrepancy]


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write: SQLite refuses any change through it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


@cache
def dataset() -> Dataset:
    """The records of the cached database (built on first use), read once per process."""
    return read(ensure_database())


def connect() -> sqlite3.Connection:
    """A new read-only connection to the cached database (built on first use)."""
    return open_read_only(ensure_database())


def read(path: Path) -> Dataset:
    connection = open_read_only(path)
    connection.row_factory = sqlite3.Row
    try:
        return _Reader(connection).dataset()
    finally:
        connection.close()


class _Reader:
    """Builds the objects table by table, each table after those it points to."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        self.meeting_facts: dict[str, o.MeetingFact] = {}
        self.groups = self._source_groups()
        self.articles = {row["id"]: self._article(row) for row in self._rows("articles")}
        self.sources = self._citations()
        self.statements = self._statements()
        self.corroboration = self._corroboration()
        country_aliases: dict[str, list[str]] = defaultdict(list)
        for row in self._rows("country_aliases"):
            country_aliases[row["country_id"]].append(row["name"])
        self.countries = self._by_id("countries", o.Country, lambda row: {
            "aliases": country_aliases[row["id"]],
        })
        organization_aliases: dict[str, list[str]] = defaultdict(list)
        for row in self._rows("organization_aliases"):
            organization_aliases[row["organization_id"]].append(row["name"])
        self.organizations = self._by_id("organizations", o.Organization, lambda row: {
            "aliases": organization_aliases[row["id"]],
        })
        aliases: dict[str, list[str]] = defaultdict(list)
        for row in self._rows("aliases"):
            aliases[row["person_id"]].append(row["name"])
        self.people = self._by_id("people", o.Person, lambda row: {
            "country": self.countries.get(row["country_id"]),
            "organization": self.organizations.get(row["organization_id"]),
            "aliases": aliases[row["id"]],
        })

    def dataset(self) -> Dataset:
        meetings = self._meetings()
        attendees = self._attendees(meetings)
        quotes = self._by_id("quotes", o.Quote, lambda row: {
            "person": self.people.get(row["person_id"]),
            "organization": self.organizations.get(row["organization_id"]),
            "country": self.countries.get(row["country_id"]),
            "meeting": meetings.get(row["meeting_id"]),
        })
        placed = {"country": self.countries, "organization": self.organizations}
        return Dataset(
            articles=sorted(self.articles.values(), key=lambda a: (a.published, a.id)),
            countries=_sorted(self.countries),
            organizations=_sorted(self.organizations),
            people=_sorted(self.people),
            members=_sorted(self._by_id("members", o.Member, lambda row: {
                "founding": bool(row["founding"]), **self._resolve(row, placed)})),
            observers=_sorted(self._by_id("observers", o.Observer,
                                          lambda row: self._resolve(row, placed))),
            meetings=sorted(meetings.values(),
                            key=lambda m: (m.start_date is None, m.start_date or "", m.id)),
            meeting_facts=_sorted(self.meeting_facts),
            attendees=_sorted(attendees),
            quotes=sorted(quotes.values(), key=lambda q: self._reading_order(q)),
            discrepancies=_sorted(self._by_id("discrepancies", o.Discrepancy)),
        )

    # ------------------------------------------------------------------ tables

    def _source_groups(self) -> dict[str, o.SourceGroup]:
        members: dict[str, list[str]] = defaultdict(list)
        for row in self.db.execute("select id, source_group from articles order by rowid"):
            members[row["source_group"]].append(row["id"])
        return {row["id"]: o.SourceGroup(id=row["id"], name=row["name"], note=row["note"],
                                         article_ids=members[row["id"]])
                for row in self._rows("source_groups")}

    def _article(self, row: sqlite3.Row) -> o.Article:
        article = o.Article(**{**_columns(row, o.Article),
                               "source_group": self.groups.get(row["source_group"])})
        lines = self.db.execute("select text from lines where article_id = ? order by line",
                                [row["id"]]).fetchall()
        article._lines = tuple(line[0] for line in lines)
        return article

    def _citations(self) -> dict[tuple[str, str], list[o.Citation]]:
        found: dict[tuple[str, str], list[o.Citation]] = defaultdict(list)
        for row in self.db.execute("select * from citations order by rowid"):
            found[(row["record_table"], row["record_id"])].append(o.Citation(
                id=row["id"], article=self.articles[row["article_id"]], line=row["line"],
                evidence=row["evidence"], char_start=row["char_start"], char_end=row["char_end"],
            ))
        for article in self.articles.values():
            article._sources = tuple(found.get(("articles", article.id), ()))
        return found

    def _statements(self) -> dict[tuple[str, str], list[o.Statement]]:
        citations = {citation.id: citation for found in self.sources.values()
                     for citation in found}
        found: dict[tuple[str, str], list[o.Statement]] = defaultdict(list)
        for row in self.db.execute("select * from statements order by rowid"):
            found[(row["record_table"], row["record_id"])].append(o.Statement(
                field=row["field"], value=row["value"], citation=citations[row["citation_id"]],
                rule=row["rule"], words=row["words"], reason=row["reason"]))
        return found

    def _corroboration(self) -> dict[tuple[str, str], o.Corroboration]:
        found = {}
        for row in self._rows("corroboration"):
            key = (row["record_table"], row["record_id"])
            stated_by: dict[str, list[str]] = {}
            for citation in self.sources.get(key, []):
                group = citation.article.source_group
                articles = stated_by.setdefault(group.id if group else "", [])
                if citation.article.id not in articles:
                    articles.append(citation.article.id)
            found[key] = o.Corroboration(**{
                **_columns(row, o.Corroboration),
                "source_groups": [self.groups[group] for group in row["source_groups"].split(", ")],
                "stated_by": stated_by,
            })
        return found

    def _meetings(self) -> dict[str, o.Meeting]:
        participants: dict[str, list[o.Person]] = defaultdict(list)
        for row in self.db.execute("select meeting_id, person_id from meeting_participants "
                                   "order by rowid"):
            participants[row["meeting_id"]].append(self.people[row["person_id"]])
        facts = self.meeting_facts = self._by_id("meeting_facts", o.MeetingFact)
        by_meeting: dict[str, list[o.MeetingFact]] = defaultdict(list)
        for fact in facts.values():
            by_meeting[fact.meeting_id].append(fact)
        rows = {row["id"]: row for row in self._rows("meetings")}
        meetings: dict[str, o.Meeting] = {}

        def meeting(meeting_id: str) -> o.Meeting:
            # A sideline meeting is built after the summit it points to.
            if meeting_id not in meetings:
                row = rows[meeting_id]
                meetings[meeting_id] = self._record("meetings", row, o.Meeting, {
                    "parent": meeting(row["parent_id"]) if row["parent_id"] else None,
                    "participants": participants[meeting_id],
                    "facts": by_meeting[meeting_id],
                })
            return meetings[meeting_id]

        for meeting_id in rows:
            meeting(meeting_id)
        return meetings

    def _attendees(self, meetings: dict[str, o.Meeting]) -> dict[str, o.Attendee]:
        rows = {row["id"]: row for row in self._rows("attendees")}
        attendees: dict[str, o.Attendee] = {}

        def attendee(attendee_id: str) -> o.Attendee:
            # An absent leader is built after the representative standing in for them.
            if attendee_id not in attendees:
                row = rows[attendee_id]
                stand_in = row["represented_by"]
                attendees[attendee_id] = self._record("attendees", row, o.Attendee, {
                    "meeting": meetings[row["meeting_id"]],
                    "person": self.people.get(row["person_id"]),
                    "represented_by_id": stand_in,
                    "represented_by": attendee(stand_in) if stand_in else None,
                    "country": self.countries.get(row["country_id"]),
                    "organization": self.organizations.get(row["organization_id"]),
                })
            return attendees[attendee_id]

        for attendee_id in rows:
            attendee(attendee_id)
        return attendees

    # ------------------------------------------------------------------ helpers

    def _rows(self, table: str) -> list[sqlite3.Row]:
        return self.db.execute(f"select * from {table} order by rowid").fetchall()

    def _by_id(self, table: str, model: type[o.Record], related: Any = None) -> dict[str, Any]:
        return {row["id"]: self._record(table, row, model, related(row) if related else {})
                for row in self._rows(table)}

    def _record(self, table: str, row: sqlite3.Row, model: type[o.Record],
                related: dict[str, Any]) -> Any:
        values = {**_columns(row, model), **related}
        return model(**values, sources=self.sources.get((table, row["id"]), []),
                     corroboration=self.corroboration.get((table, row["id"])),
                     statements=self.statements.get((table, row["id"]), []))

    def _resolve(self, row: sqlite3.Row, tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
        return {name: found[row[f"{name}_id"]] for name, found in tables.items()}

    def _reading_order(self, quote: o.Quote) -> tuple[str, str, int, int, str]:
        primary = quote.sources[0]  # the build gives every quote at least one
        # Where the quote's words stand on the line: the evidence may begin sentences earlier.
        offset = max(primary.evidence.find(quote.text), 0)
        return (primary.article.published, primary.article.id, primary.line,
                primary.char_start + offset, quote.id)


def _columns(row: sqlite3.Row, model: type[o._Frozen]) -> dict[str, Any]:
    """The row's columns that are fields of ``model`` (relations are added separately)."""
    # sqlite3.Row has no key lookup for `in`: it would test the values.
    return {key: row[key] for key in row.keys() if key in model.model_fields}  # noqa: SIM118


def _sorted(records: dict[str, Any]) -> list[Any]:
    return [records[key] for key in sorted(records)]
