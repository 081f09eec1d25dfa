"""The two pictures' pages: ``/-/network`` (who met whom) and ``/-/timeline`` (when).

Reads the meetings, their participants and the people, hands them to
``sco_data.publish.pictures`` for the SVG, and lists the same meetings as a table under the
picture, so every meeting, participant and source is a plain link without the picture too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sco_data.publish.datasette_plugin import lookups
from sco_data.publish.pictures import Meeting, Person, describe_date

MEETINGS_SQL = """
select meetings.id, meetings.title, meetings.kind, meetings.status, meetings.start_date,
  meetings.start_date_precision, meetings.end_date, meetings.end_date_precision, meetings.place,
  meetings.parent_id, (select title from meetings parent where parent.id = meetings.parent_id)
    as parent_title,
  (select group_concat(person_id, char(31)) from (
     select person_id from meeting_participants
     where meeting_participants.meeting_id = meetings.id order by rowid)) as participants
from meetings order by listing_order
"""
# The summit the timeline expands: the one most meetings were held on the sidelines of.
SUMMIT_SQL = """
select start_date, end_date from meetings
where kind = 'summit' and start_date_precision = 'day'
order by (select count(*) from meetings sideline where sideline.parent_id = meetings.id) desc,
  listing_order
limit 1
"""


@dataclass
class ListedMeeting:
    """A row of the table under a picture."""

    meeting: Meeting
    when: str
    people: list[dict[str, str]]
    parent: dict[str, str] | None  # the summit a sideline meeting was held at


async def meetings_and_people(datasette: Any, db: Any
                              ) -> tuple[list[Meeting], list[Person], dict[str, dict[str, str]]]:
    """The meetings and people the pictures draw, and each sideline meeting's summit."""
    people = [
        Person(row["id"], row["name"], lookups.row_url(datasette, db.name, "people", row["id"]))
        for row in (await db.execute("select id, name from people order by name")).rows
    ]
    rows = (await db.execute(MEETINGS_SQL)).rows
    meetings = [
        Meeting(
            id=row["id"], title=row["title"], kind=row["kind"], status=row["status"],
            start_date=row["start_date"], start_precision=row["start_date_precision"],
            end_date=row["end_date"], end_precision=row["end_date_precision"],
            place=row["place"],
            url=lookups.row_url(datasette, db.name, "meetings", row["id"]),
            sources_url=lookups.row_url(datasette, db.name, "meetings", row["id"]) + "#sources",
            participant_ids=tuple(filter(None, (row["participants"] or "").split("\x1f"))),
        )
        for row in rows
    ]
    parents = {
        row["id"]: {"title": row["parent_title"],
                    "url": lookups.row_url(datasette, db.name, "meetings", row["parent_id"])}
        for row in rows if row["parent_id"]
    }
    return meetings, people, parents


async def summit_days(db: Any) -> tuple[str, str] | None:
    rows = (await db.execute(SUMMIT_SQL)).rows
    if not rows:
        return None
    return rows[0]["start_date"], rows[0]["end_date"] or rows[0]["start_date"]


def listed(meetings: list[Meeting], people: list[Person],
           parents: dict[str, dict[str, str]]) -> list[ListedMeeting]:
    by_id = {person.id: person for person in people}
    return [
        ListedMeeting(meeting, describe_date(meeting), [
            {"name": by_id[person_id].name, "url": by_id[person_id].url}
            for person_id in meeting.participant_ids if person_id in by_id],
            parents.get(meeting.id))
        for meeting in meetings
    ]
