"""The questions readers ask most, as Datasette canned queries (written into metadata.yml).

In query results the source viewer links ``line_id`` to the article page at that line, and
``record_id`` (beside ``record_table``), ``quote_id``, ``meeting_id``, ``person_id``… to rows.
"""

from __future__ import annotations

from typing import Any

SAID_BY = """
select
  quotes.id as quote_id,
  coalesce(people.name, organizations.name, quotes.speaker) as speaker,
  quotes.text,
  meetings.title as meeting,
  articles.publisher,
  articles.published,
  quotes.line_id,
  (select count(*) from citations
   where citations.record_table = 'quotes' and citations.record_id = quotes.id) as sources
from quotes
join articles on articles.id = quotes.article_id
left join people on people.id = quotes.person_id
left join organizations on organizations.id = quotes.organization_id
left join meetings on meetings.id = quotes.meeting_id
where :person = ''
  or people.name like '%' || :person || '%'
  or people.id like '%' || :person || '%'
  or quotes.speaker like '%' || :person || '%'
  or organizations.name like '%' || :person || '%'
  or exists (
    select 1 from aliases
    where aliases.person_id = quotes.person_id and aliases.name like '%' || :person || '%'
  )
order by speaker, quotes.article_id, quotes.line, quotes.id
"""

WHO_MET_WHOM = """
select
  meetings.id as meeting_id,
  meetings.title,
  meetings.kind,
  meetings.status,
  meetings.start_date,
  meetings.end_date,
  meetings.place,
  (select group_concat(name, '; ') from (
     select people.name from meeting_participants
     join people on people.id = meeting_participants.person_id
     where meeting_participants.meeting_id = meetings.id
     order by people.name, people.id)) as participants,
  (select group_concat(id, '; ') from (
     select people.id from meeting_participants
     join people on people.id = meeting_participants.person_id
     where meeting_participants.meeting_id = meetings.id
     order by people.name, people.id)) as participant_ids,
  meetings.line_id
from meetings
where exists (
  select 1 from meeting_participants where meeting_participants.meeting_id = meetings.id
)
and (:person = '' or exists (
  select 1 from meeting_participants
  join people on people.id = meeting_participants.person_id
  where meeting_participants.meeting_id = meetings.id
    and (people.name like '%' || :person || '%'
      or people.id like '%' || :person || '%'
      or exists (
        select 1 from aliases
        where aliases.person_id = people.id and aliases.name like '%' || :person || '%'))
))
order by meetings.listing_order
"""

SOURCES_OF_RECORD = """
select
  citations.id as citation_id,
  citations.record_table,
  citations.record_id,
  articles.publisher,
  articles.title as article,
  articles.published,
  citations.line,
  citations.evidence,
  lines.text as line_text,
  citations.line_id
from citations
join articles on articles.id = citations.article_id
join lines on lines.id = citations.line_id
where citations.record_id = :record_id
  and (:record_table = '' or citations.record_table = :record_table)
order by citations.record_table, citations.rowid
"""

SINGLE_SOURCE_FACTS = """
select
  corroboration.record_table,
  corroboration.record_id,
  corroboration.articles,
  corroboration.citations,
  corroboration.source_groups as source_group,
  corroboration.summary,
  corroboration.first_line_id as line_id
from corroboration
where corroboration.independent_sources = 1
order by corroboration.articles desc, corroboration.record_table, corroboration.record_id
"""

ATTENDEES_BY_COUNTRY = """
select
  coalesce(countries.name, organizations.name) as country_or_organization,
  attendees.attendance,
  people.name as person,
  attendees.role,
  representative.name as represented_by,
  attendees.note,
  attendees.id as attendee_id,
  attendees.line_id
from attendees
left join countries on countries.id = attendees.country_id
left join organizations on organizations.id = attendees.organization_id
left join people on people.id = attendees.person_id
left join attendees as stand_in on stand_in.id = attendees.represented_by
left join people as representative on representative.id = stand_in.person_id
order by country_or_organization, attendees.attendance, person
"""

DISCREPANCIES = """
select
  discrepancies.id as discrepancy_id,
  discrepancies.description,
  discrepancies.record_table,
  discrepancies.record_id,
  articles.publisher,
  citations.line,
  citations.evidence,
  citations.line_id
from discrepancies
join citations
  on citations.record_table = 'discrepancies' and citations.record_id = discrepancies.id
join articles on articles.id = citations.article_id
order by discrepancies.id, citations.rowid
"""

INFERRED_VALUES = """
select
  statements.record_table,
  statements.record_id,
  statements.field,
  statements.value,
  statements.reason,
  citations.evidence,
  citations.line_id
from statements
join citations on citations.id = statements.citation_id
where statements.rule = ''
  and not exists (
    select 1 from statements verified
    where verified.record_table = statements.record_table
      and verified.record_id = statements.record_id
      and verified.field = statements.field
      and verified.rule != ''
  )
order by statements.record_table, statements.record_id, statements.field, citations.rowid
"""

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "said_by": {
        "title": "Everything one person said",
        "description": (
            "Every quote whose speaker matches the name you type: a person's name or any "
            "spelling of it (aliases), an organization, or the article's own label such as "
            "'a senior Kazakh official'. Case-insensitive; leave it blank to list every quote."
        ),
        "sql": SAID_BY,
        "params": ["person"],
    },
    "who_met_whom": {
        "title": "Who met whom, when and where",
        "description": (
            "Every meeting with named participants: held or planned, its dates at the "
            "precision the text gives, its place, and everyone taking part, dated meetings "
            "first. Type a person's name or any spelling of it (aliases) to see only their "
            "meetings; leave it blank for all. /-/network draws the same as a picture."
        ),
        "sql": WHO_MET_WHOM,
        "params": ["person"],
    },
    "sources_of_record": {
        "title": "All sources of one record",
        "description": (
            "Every article line that states one record, with the exact words and the whole "
            "line. Give the record's id (e.g. putin-key-pillars) and, when two tables share "
            "an id, its table (e.g. quotes)."
        ),
        "sql": SOURCES_OF_RECORD,
        "params": ["record_table", "record_id"],
    },
    "single_source_facts": {
        "title": "Facts resting on one independent source",
        "description": (
            "Records that only one source group states: a single article, or copies of one "
            "wire story however many outlets print it (the articles column counts them). "
            "These are the facts with the least independent corroboration."
        ),
        "sql": SINGLE_SOURCE_FACTS,
    },
    "attendees_by_country": {
        "title": "Attendees by country and attendance",
        "description": (
            "Who came to the summit, who was expected and who stayed away, by country (or "
            "organization), with the representative sent in an absent leader's place."
        ),
        "sql": ATTENDEES_BY_COUNTRY,
    },
    "inferred_values": {
        "title": "Values resting on an inference",
        "description": (
            "Claim values no cited line states in so many words: each rests on a line the "
            "curator explains (the sentence before names the speaker, the heading above says "
            "which meeting). No rule found the value in any citation of its record; the reason "
            "says why the line states it all the same."
        ),
        "sql": INFERRED_VALUES,
    },
    "disagreements": {
        "title": "Where the articles disagree",
        "description": (
            "Each point where the articles disagree or change over time, with every side's "
            "cited words; the record's own note says which claim is kept and why."
        ),
        "sql": DISCREPANCIES,
    },
}
