"""The canned queries answer the questions readers ask, each described and linked to sources."""

from __future__ import annotations

import html
import sqlite3
from collections import defaultdict

import pytest

from sco_data.publish.canned_queries import CANNED_QUERIES
from sco_data.publish.datasette_compat import is_one_point_oh

from .conftest import Site


@pytest.mark.parametrize("name", list(CANNED_QUERIES))
def test_each_query_has_its_page_title_and_description(site: Site, name: str):
    query = CANNED_QUERIES[name]
    page = html.unescape(site.page(f"/sco/{name}"))
    assert query["title"] in page
    assert query["description"] in page
    # Datasette 1.0 lists the first few on the database page and the rest at /sco/-/queries.
    listed = site.page("/sco") + (site.page("/sco/-/queries") if is_one_point_oh() else "")
    assert f'href="/sco/{name}"' in listed
    assert f'href="/sco/{name}"' in site.page("/")


def test_no_query_hides_a_table(db: sqlite3.Connection):
    tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    assert not tables & set(CANNED_QUERIES)


@pytest.mark.parametrize("person", ["putin", "PUTIN", "Vladimir Putin"])
def test_everything_one_person_said(site: Site, db: sqlite3.Connection, person: str):
    rows = site.rows(f"/sco/said_by.json?person={person}")
    expected = {row[0] for row in db.execute(
        "select id from quotes where person_id = 'vladimir-putin' or speaker like '%putin%'")}
    assert {row["quote_id"] for row in rows} == expected
    assert "putin-key-pillars" in expected


def test_a_persons_quotes_are_found_by_any_spelling_of_their_name(site: Site):
    by_alias = {row["quote_id"] for row in site.rows("/sco/said_by.json?person=Mokhbar")}
    assert by_alias == {"mokhber-power-equations"}


def test_an_unnamed_speaker_is_found_by_the_articles_label(site: Site):
    rows = site.rows("/sco/said_by.json?person=Kazakh official")
    assert [row["quote_id"] for row in rows] == ["kazakh-official-sideline-discussions"]


def test_a_blank_name_lists_every_quote(site: Site, db: sqlite3.Connection):
    assert len(site.rows("/sco/said_by.json?person=")) == db.execute(
        "select count(*) from quotes").fetchone()[0]


def test_everything_one_person_said_counts_independent_sources(site: Site,
                                                               db: sqlite3.Connection):
    rows = site.rows("/sco/said_by.json?person=")
    assert "sources" not in rows[0]
    counted = {row[0]: (row[1], row[2]) for row in db.execute(
        "select record_id, independent_sources, articles from corroboration "
        "where record_table = 'quotes'")}
    assert {row["quote_id"]: (row["independent_sources"], row["articles"])
            for row in rows} == counted
    # Three articles print it, copies of one wire story: one independent source.
    pillars = counted["putin-key-pillars"]
    assert pillars[0] == 1 < pillars[1]


def test_said_by_links_each_quote_and_its_source_line(site: Site):
    page = site.page("/sco/said_by?person=putin")
    assert '<a href="/sco/quotes/putin-key-pillars">putin-key-pillars</a>' in page
    assert 'href="/-/articles/ap-leaders-meet-2024-07-03#L51"' in page


def test_who_met_whom(site: Site, db: sqlite3.Connection):
    rows = {row["meeting_id"]: row for row in site.rows("/sco/who_met_whom.json")}
    assert rows["putin-xi-astana-2024-07-03"]["participants"] == "Vladimir Putin; Xi Jinping"
    assert rows["putin-xi-astana-2024-07-03"]["place"] == "Astana"
    assert rows["putin-xi-astana-2024-07-03"]["start_date"] == "2024-07-03"
    assert set(rows) == {row[0] for row in db.execute(
        "select distinct meeting_id from meeting_participants")}
    dates = [row["start_date"] for row in rows.values()]
    assert dates == sorted(dates, key=lambda date: (date is None, date or ""))


def test_all_sources_of_one_record(site: Site, db: sqlite3.Connection):
    rows = site.rows("/sco/sources_of_record.json?record_table=quotes"
                     "&record_id=putin-key-pillars")
    assert [row["citation_id"] for row in rows] == [row[0] for row in db.execute(
        "select id from citations where record_table = 'quotes' "
        "and record_id = 'putin-key-pillars' order by rowid")]
    for row in rows:
        assert row["evidence"] in row["line_text"]
    assert {row["publisher"] for row in rows} >= {"The Associated Press", "Press Association"}


def test_sources_of_a_record_without_its_table(site: Site):
    rows = site.rows("/sco/sources_of_record.json?record_table=&record_id=sco-belarus")
    assert rows and {row["record_table"] for row in rows} == {"members"}


def test_facts_resting_on_one_independent_source(site: Site, db: sqlite3.Connection):
    """Counted from the citations and the articles' source groups, not from corroboration."""
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in db.execute("select record_table, record_id, articles.source_group from citations "
                          "join articles on articles.id = citations.article_id "
                          "where record_table not in ('articles', 'source_groups')"):
        groups[(row[0], row[1])].add(row[2])
    expected = {key for key, found in groups.items() if len(found) == 1}
    rows = site.rows("/sco/single_source_facts.json")
    keys = [(row["record_table"], row["record_id"]) for row in rows]
    assert len(keys) == len(set(keys))  # each record once
    assert set(keys) == expected == {tuple(row) for row in db.execute(
        "select record_table, record_id from corroboration where independent_sources = 1")}
    by_key = dict(zip(keys, rows, strict=True))
    # Printed by AP, the Press Association's copy and AP's follow-up: three articles, one source.
    pillars = by_key[("quotes", "putin-key-pillars")]
    assert pillars["source"] == db.execute(
        "select name from source_groups where id = 'associated-press'").fetchone()[0]
    assert pillars["printed_in"].split(", ") == [row[0] for row in db.execute(
        "select label from articles where id in (select article_id from citations "
        "where record_table = 'quotes' and record_id = 'putin-key-pillars') order by rowid")]
    assert len(pillars["printed_in"].split(", ")) > 1
    assert ("members", "sco-china") not in by_key  # AP, VOA and Dedovic state it
    assert 0 < len(expected) < len(groups)


# Per table, the words a single-source fact must show: its record's own values, from the db.
FACT_WORDS = {
    "quotes": "select quotes.id, quotes.text, "
              "coalesce(people.name, organizations.name, quotes.speaker) from quotes "
              "left join people on people.id = quotes.person_id "
              "left join organizations on organizations.id = quotes.organization_id",
    "meetings": "select id, title, coalesce(start_date, 'no date given'), end_date, place "
                "from meetings",
    "meeting_facts": "select meeting_facts.id, meetings.title, aspect, value from meeting_facts "
                     "join meetings on meetings.id = meeting_facts.meeting_id",
    "meeting_participants": "select meeting_participants.id, people.name, meetings.title "
                            "from meeting_participants "
                            "join people on people.id = meeting_participants.person_id "
                            "join meetings on meetings.id = meeting_participants.meeting_id",
    "attendees": "select attendees.id, coalesce(people.name, countries.name, organizations.name), "
                 "attendance, meetings.title from attendees "
                 "join meetings on meetings.id = attendees.meeting_id "
                 "left join people on people.id = attendees.person_id "
                 "left join countries on countries.id = attendees.country_id "
                 "left join organizations on organizations.id = attendees.organization_id",
    "members": "select members.id, countries.name, joined from members "
               "join countries on countries.id = members.country_id",
    "observers": "select observers.id, countries.name, replace(status, '_', ' ') from observers "
                 "join countries on countries.id = observers.country_id",
    "people": "select id, name, title from people",
    "aliases": "select aliases.id, aliases.name, people.name from aliases "
               "join people on people.id = aliases.person_id",
    "organizations": "select id, name from organizations",
    "organization_aliases": "select organization_aliases.id, organization_aliases.name, "
                            "organizations.name from organization_aliases join organizations "
                            "on organizations.id = organization_aliases.organization_id",
    "countries": "select id, name from countries",
    "country_aliases": "select country_aliases.id, country_aliases.name, countries.name "
                       "from country_aliases "
                       "join countries on countries.id = country_aliases.country_id",
    "discrepancies": "select id, description from discrepancies",
}


def test_single_source_facts_are_shown_in_words(site: Site, db: sqlite3.Connection):
    rows = site.rows("/sco/single_source_facts.json")
    tables = {row[0] for row in db.execute("select distinct record_table from corroboration")}
    assert tables <= set(FACT_WORDS), tables - set(FACT_WORDS)
    words = {(table, row[0]): [value for value in row[1:] if value is not None]
             for table, sql in FACT_WORDS.items() for row in db.execute(sql)}
    for row in rows:
        found = words[(row["record_table"], row["record_id"])]
        assert found and all(value in row["fact"] for value in found), (row, found)
    page = html.unescape(site.page("/sco/single_source_facts"))
    quote, speaker = words[("quotes", "putin-key-pillars")]
    assert quote in page and speaker in page
    title, date, *_ = words[("meetings", "g7-summit-italy-2024")]
    assert f"{title}: {date}" in page


def test_single_source_facts_cite_each_records_primary_source(site: Site,
                                                               db: sqlite3.Connection):
    """The record's own article_id and line; for an entity, which has none, its first
    citation (the first of its sources)."""
    rows = site.rows("/sco/single_source_facts.json")
    for row in rows:
        table, record_id = row["record_table"], row["record_id"]
        first = db.execute("select article_id, line from citations where record_table = ? "
                           "and record_id = ? order by rowid limit 1", [table, record_id])
        primary = tuple(first.fetchone())
        columns = {column[1] for column in db.execute(f"pragma table_info({table})")}
        if {"article_id", "line"} <= columns:
            own = db.execute(f"select article_id, line from {table} where id = ?", [record_id])
            assert tuple(own.fetchone()) == primary
        assert (row["article_id"], row["line"]) == primary, row
    page = site.page("/sco/single_source_facts")
    assert '<a href="/sco/quotes/putin-key-pillars">putin-key-pillars</a>' in page
    assert '<a href="/sco/countries/mongolia">mongolia</a>' in page
    assert ('<a href="/-/articles/ap-leaders-meet-2024-07-03#L51" '
            'title="Read line 51 in the article">51</a>') in page
    assert ('<a href="/sco/articles/ap-leaders-meet-2024-07-03">'
            'ap-leaders-meet-2024-07-03</a>') in page


def test_single_source_facts_repeat_no_summary_and_read_in_order(site: Site,
                                                                 db: sqlite3.Connection):
    rows = site.rows("/sco/single_source_facts.json")
    assert "summary" not in rows[0] and "listing_order" not in rows[0]
    for column in rows[0]:  # words, not ids (an article's id stands on many rows)
        prose = [row[column] for row in rows
                 if isinstance(row[column], str) and " " in row[column] and len(row[column]) > 30]
        assert len(prose) == len(set(prose)), column
    # One block per table; quotes, meetings and attendees each in their tables' reading order.
    tables = [row["record_table"] for row in rows]
    blocks = [table for n, table in enumerate(tables) if n == 0 or tables[n - 1] != table]
    assert len(blocks) == len(set(blocks))
    for table in ("quotes", "meetings", "attendees"):
        ids = [row["record_id"] for row in rows if row["record_table"] == table]
        order = {row[0]: row[1] for row in db.execute(f"select id, listing_order from {table}")}
        assert ids and [order[key] for key in ids] == sorted(order[key] for key in ids)


def test_attendees_by_country_and_attendance(site: Site, db: sqlite3.Connection):
    rows = site.rows("/sco/attendees_by_country.json")
    assert len(rows) == db.execute("select count(*) from attendees").fetchone()[0]
    by_attendee = {row["attendee_id"]: row for row in rows}
    assert by_attendee["ukraine-astana-2024"]["attendance"] == "absent"
    assert by_attendee["ukraine-astana-2024"]["country_or_organization"] == "Ukraine"
    assert by_attendee["vladimir-putin-astana-2024"]["person"] == "Vladimir Putin"
    narendra = by_attendee["narendra-modi-astana-2024"]
    assert (narendra["attendance"], narendra["represented_by"]) == (
        "absent", "Subrahmanyam Jaishankar")
    keys = [(row["country_or_organization"] or "", row["attendance"]) for row in rows]
    assert keys == sorted(keys)


def test_where_the_articles_disagree_cites_every_side(site: Site, db: sqlite3.Connection):
    rows = site.rows("/sco/disagreements.json")
    assert len(rows) == db.execute(
        "select count(*) from citations where record_table = 'discrepancies'").fetchone()[0]
    founders = [row for row in rows if row["discrepancy_id"] == "sco-founders"]
    assert len({row["publisher"] for row in founders}) >= 2
    for row in rows:
        line = db.execute("select text from lines where id = ?", [row["line_id"]]).fetchone()
        assert row["evidence"] in line[0]


def test_query_cells_link_to_rows_and_article_lines(site: Site):
    page = site.page("/sco/disagreements")
    assert '<a href="/sco/discrepancies/sco-founders">sco-founders</a>' in page
    assert '<a href="/sco/members/sco-belarus">sco-belarus</a>' in page
    assert 'href="/-/articles/ap-leaders-attend-2024-07-04#L7"' in page


@pytest.mark.parametrize(("person", "meetings"), [
    ("Mokhbar", {"putin-mokhber-astana-2024-07-04"}),  # by an alias the articles use
    ("xi jinping", {"putin-xi-astana-2024-07-03", "putin-xi-beijing-2024-05",
                    "xi-tokayev-astana-2024"}),
])
def test_who_met_whom_of_one_person(site: Site, db: sqlite3.Connection, person: str,
                                    meetings: set[str]):
    rows = site.rows(f"/sco/who_met_whom.json?person={person}")
    assert {row["meeting_id"] for row in rows} == meetings
    person_id = "mohammad-mokhber" if person == "Mokhbar" else "xi-jinping"
    assert meetings == {row[0] for row in db.execute(
        "select meeting_id from meeting_participants where person_id = ?", [person_id])}


def test_who_met_whom_of_a_name_nobody_has_is_empty(site: Site):
    assert site.rows("/sco/who_met_whom.json?person=Nobody at all") == []


def test_who_met_whom_links_every_participant(site: Site):
    page = site.page("/sco/who_met_whom?person=")
    assert ('<a href="/sco/people/vladimir-putin">Vladimir Putin</a>; '
            '<a href="/sco/people/xi-jinping">Xi Jinping</a>') in page


@pytest.mark.parametrize("name", list(CANNED_QUERIES))
def test_query_pages_open_with_the_form_and_rows_not_the_sql(site: Site, name: str):
    page = site.page(f"/sco/{name}")
    first_column = CANNED_QUERIES[name]["sql"].strip().splitlines()[1].strip()
    assert "<textarea" not in page and html.escape(first_column) not in page
    assert f'<a href="/sco/{name}?_show_sql=1">show</a>' in page
    assert html.escape(first_column) in site.page(f"/sco/{name}?_show_sql=1")
