"""The questions readers ask most, as Datasette canned queries (written into metadata.yml).

In query results the source viewer links ``line_id``, and ``line`` beside ``article_id``, to the
article page at that line, and ``record_id`` (beside ``record_table``), ``quote_id``,
``meeting_id``, ``person_id``… to rows.
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
  corroboration.independent_sources,
  corroboration.articles
from quotes
join articles on articles.id = quotes.article_id
left join corroboration
  on corroboration.record_table = 'quotes' and corroboration.record_id = quotes.id
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
  facts.record_table,
  facts.record_id,
  facts.fact,
  facts.article_id,
  facts.line,
  source_groups.name as source,
  (select group_concat(label, ', ') from (
     select articles.label from articles
     where articles.id in (
       select citations.article_id from citations
       where citations.record_table = facts.record_table
         and citations.record_id = facts.record_id)
     order by articles.rowid)) as printed_in
from corroboration
join source_groups on source_groups.id = corroboration.source_groups
join (
  select
    'quotes' as record_table,
    quotes.id as record_id,
    coalesce(people.name, organizations.name, quotes.speaker) || ': "' || quotes.text || '"'
      as fact,
    quotes.article_id,
    quotes.line,
    1 as section,
    quotes.listing_order as position,
    null as sort_name
  from quotes
  left join people on people.id = quotes.person_id
  left join organizations on organizations.id = quotes.organization_id
  union all
  select 'meetings', meetings.id,
    meetings.title || ': '
      || coalesce(meetings.start_date || coalesce(' to ' || meetings.end_date, ''),
                  'no date given')
      || coalesce(', ' || meetings.place, '')
      || case meetings.status when 'planned' then ' (planned)' else '' end,
    meetings.article_id, meetings.line, 2, meetings.listing_order, null
  from meetings
  union all
  select 'meeting_facts', meeting_facts.id,
    meetings.title || ', ' || meeting_facts.aspect || ': ' || meeting_facts.value,
    meeting_facts.article_id, meeting_facts.line, 3, meetings.listing_order, meeting_facts.id
  from meeting_facts
  join meetings on meetings.id = meeting_facts.meeting_id
  union all
  select 'meeting_participants', meeting_participants.id,
    people.name
      || case meetings.status when 'planned' then ' is to take part in ' else ' took part in ' end
      || meetings.title,
    primary_source.article_id, primary_source.line, 4, meetings.listing_order, people.name
  from meeting_participants
  join meetings on meetings.id = meeting_participants.meeting_id
  join people on people.id = meeting_participants.person_id
  join citations as primary_source on primary_source.rowid = (
    select min(rowid) from citations
    where record_table = 'meeting_participants' and record_id = meeting_participants.id)
  union all
  select 'attendees', attendees.id,
    coalesce(people.name || coalesce(' (' || coalesce(countries.name, organizations.name) || ')',
                                     ''),
             countries.name, organizations.name)
      || case attendees.attendance when 'attended' then ' attended '
           when 'expected' then ' expected at ' else ' absent from ' end
      || meetings.title
      || coalesce(', represented by ' || representative.name, ''),
    attendees.article_id, attendees.line, 5, attendees.listing_order, null
  from attendees
  join meetings on meetings.id = attendees.meeting_id
  left join people on people.id = attendees.person_id
  left join countries on countries.id = attendees.country_id
  left join organizations on organizations.id = attendees.organization_id
  left join attendees as stand_in on stand_in.id = attendees.represented_by
  left join people as representative on representative.id = stand_in.person_id
  union all
  select 'members', members.id,
    countries.name
      || case when members.founding then ': founding member of ' else ': member of ' end
      || organizations.name || coalesce(' since ' || members.joined, ''),
    members.article_id, members.line, 6, members.joined, countries.name
  from members
  join countries on countries.id = members.country_id
  join organizations on organizations.id = members.organization_id
  union all
  select 'observers', observers.id,
    countries.name || ': '
      || case observers.status
           when 'observer_or_dialogue_partner' then 'observer or dialogue partner'
           when 'dialogue_partner' then 'dialogue partner'
           else observers.status end
      || ' of ' || organizations.name,
    observers.article_id, observers.line, 7, null, countries.name
  from observers
  join countries on countries.id = observers.country_id
  join organizations on organizations.id = observers.organization_id
  union all
  select 'people', people.id,
    people.name || coalesce(', ' || people.title, '')
      || coalesce(' (' || countries.name || ')', ''),
    primary_source.article_id, primary_source.line, 8, null, people.name
  from people
  left join countries on countries.id = people.country_id
  join citations as primary_source on primary_source.rowid = (
    select min(rowid) from citations where record_table = 'people' and record_id = people.id)
  union all
  select 'aliases', aliases.id,
    '"' || aliases.name || '", a spelling of ' || people.name,
    primary_source.article_id, primary_source.line, 9, null, people.name || ' ' || aliases.name
  from aliases
  join people on people.id = aliases.person_id
  join citations as primary_source on primary_source.rowid = (
    select min(rowid) from citations where record_table = 'aliases' and record_id = aliases.id)
  union all
  select 'organizations', organizations.id,
    organizations.name || coalesce(' (' || organizations.kind || ')', ''),
    primary_source.article_id, primary_source.line, 10, null, organizations.name
  from organizations
  join citations as primary_source on primary_source.rowid = (
    select min(rowid) from citations
    where record_table = 'organizations' and record_id = organizations.id)
  union all
  select 'organization_aliases', organization_aliases.id,
    '"' || organization_aliases.name || '", a spelling of ' || organizations.name,
    primary_source.article_id, primary_source.line, 11, null,
    organizations.name || ' ' || organization_aliases.name
  from organization_aliases
  join organizations on organizations.id = organization_aliases.organization_id
  join citations as primary_source on primary_source.rowid = (
    select min(rowid) from citations
    where record_table = 'organization_aliases' and record_id = organization_aliases.id)
  union all
  select 'countries', countries.id, countries.name,
    primary_source.article_id, primary_source.line, 12, null, countries.name
  from countries
  join citations as primary_source on primary_source.rowid = (
    select min(rowid) from citations where record_table = 'countries' and record_id = countries.id)
  union all
  select 'country_aliases', country_aliases.id,
    '"' || country_aliases.name || '", a spelling of ' || countries.name,
    primary_source.article_id, primary_source.line, 13, null,
    countries.name || ' ' || country_aliases.name
  from country_aliases
  join countries on countries.id = country_aliases.country_id
  join citations as primary_source on primary_source.rowid = (
    select min(rowid) from citations
    where record_table = 'country_aliases' and record_id = country_aliases.id)
  union all
  select 'discrepancies', discrepancies.id, discrepancies.description,
    discrepancies.article_id, discrepancies.line, 14, null, discrepancies.id
  from discrepancies
) as facts
  on facts.record_table = corroboration.record_table
  and facts.record_id = corroboration.record_id
where corroboration.independent_sources = 1
order by facts.section, facts.position, facts.sort_name, facts.record_id
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
            "'a senior Kazakh official'. Case-insensitive; leave it blank to list every quote. "
            "independent_sources counts the independent sources that print the quote (copies "
            "of one wire story are one source, however many outlets carry them); articles "
            "counts the articles."
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
            "Every record that only one independent source states, in words: a quote and its "
            "speaker, a meeting and its date, who attended, a person and their title, a "
            "spelling of a name. One source is a single article, or copies of one wire story "
            "however many outlets print it. article_id and line are the record's primary "
            "source; source names the one source it rests on, printed_in the articles of it "
            "that state the record. These are the facts with the least independent "
            "corroboration."
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
