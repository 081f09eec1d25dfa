"""What an analyst reaches for: one record by id, filters that say "did you mean", frames with
names, the who-met-whom graph, a bibliography, records that print and display well."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from itertools import combinations
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sco_data
from sco_data.dates import date_span

from .test_api import RECORD_FUNCTIONS, ids

ONE = {"articles": sco_data.article, "countries": sco_data.country,
       "organizations": sco_data.organization, "people": sco_data.person,
       "members": sco_data.member, "observers": sco_data.observer,
       "meetings": sco_data.meeting, "attendees": sco_data.attendee, "quotes": sco_data.quote,
       "discrepancies": sco_data.discrepancy}
CSL_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "csl-data.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ one record by id


@pytest.mark.parametrize("table", list(ONE))
def test_every_record_is_found_by_its_id(table: str):
    for found in RECORD_FUNCTIONS[table]():
        assert ONE[table](found.id) == found
        assert sco_data.record(table, found.id) == found


def test_meeting_facts_are_found_by_id_too(db: sqlite3.Connection):
    for (fact_id,) in db.execute("select id from meeting_facts"):
        assert sco_data.meeting_fact(fact_id).id == fact_id


def test_an_unknown_id_is_a_key_error_naming_the_closest():
    with pytest.raises(KeyError, match="no record 'putin-key-pilars' in quotes; did you mean "
                                       "'putin-key-pillars'"):
        sco_data.quote("putin-key-pilars")
    with pytest.raises(KeyError, match="did you mean 'vladimir-putin'"):
        sco_data.person("vladimir-puttin")


def test_an_unknown_table_names_the_tables():
    with pytest.raises(ValueError, match="table='quote' matches no table of records in the "
                                         "dataset; did you mean 'quotes'"):
        sco_data.record("quote", "putin-key-pillars")


# ------------------------------------------------------------------ filters


@pytest.mark.parametrize(("call", "suggestion"), [
    (lambda: sco_data.quotes(speaker="Puttin"), "'Putin'"),
    (lambda: sco_data.attendees(country="Inda"), "'India'"),
    (lambda: sco_data.meetings(person="Xi Jinpin"), "'Xi Jinping'"),
    (lambda: sco_data.attendees(person="Erdogn"), "'Erdogan'"),
    (lambda: sco_data.people(name="Mokber"), "'Mokhber'"),
    (lambda: sco_data.quotes(meeting="putin-xi-astna-2024-07-03"), "'putin-xi-astana-2024-07-03'"),
    (lambda: sco_data.quotes(article="AP 5 July"), "'AP 3 July' or 'AP 4 July'"),
    (lambda: sco_data.meetings(place="Astna"), "'Astana'"),
])
def test_a_name_that_names_nothing_says_what_it_may_have_meant(call, suggestion: str):
    with pytest.raises(ValueError, match=f"in the dataset; did you mean {suggestion}"):
        call()


def test_a_valid_name_without_results_is_an_empty_list():
    assert sco_data.quotes(speaker="Alexander Lukashenko") == []
    assert sco_data.meetings(place="Sochi", kind="summit") == []
    assert sco_data.attendees(person="Vladimir Putin", attendance="absent") == []


def test_quotes_by_meeting_article_and_date(db: sqlite3.Connection):
    by_meeting = {row[0] for row in db.execute(
        "select id from quotes where meeting_id = 'putin-xi-astana-2024-07-03'")}
    assert set(ids(sco_data.quotes(meeting="putin-xi-astana-2024-07-03"))) == by_meeting
    in_article = {row[0] for row in db.execute(
        "select distinct record_id from citations where record_table = 'quotes' "
        "and article_id = 'voa-xi-putin-talks-2024-07-03'")}
    assert set(ids(sco_data.quotes(article="VOA"))) == in_article
    assert set(ids(sco_data.quotes(article="voa-xi-putin-talks-2024-07-03"))) == in_article
    # Said at a meeting of 3 July, or (no dated meeting) first printed on 3 July.
    on_the_3rd = set(ids(sco_data.quotes(date="2024-07-03")))
    assert "putin-key-pillars" in on_the_3rd
    assert on_the_3rd <= set(ids(sco_data.quotes(date="2024-07")))
    for quote in sco_data.quotes():
        meeting = quote.meeting
        said = (meeting.start_date if meeting and meeting.start_date
                else quote.sources[0].article.published)
        assert (quote.id in on_the_3rd) == (
            date_span(said)[0] <= date(2024, 7, 3) <= date_span(
                meeting.end_date if meeting and meeting.end_date else said)[1]), quote.id


def test_meetings_by_kind_place_and_person():
    assert {m.kind for m in sco_data.meetings(kind="summit")} == {"summit"}
    astana = sco_data.meetings(place="Astana")
    assert "sco-summit-astana-2024" in ids(astana)  # its place is "Astana, Kazakhstan"
    assert all("Astana" in m.place for m in astana)
    assert ids(sco_data.meetings(person="Mokhbar")) == ["putin-mokhber-astana-2024-07-04"]
    with pytest.raises(ValueError, match="kind='sideline' is not one of: summit, bilateral"):
        sco_data.meetings(kind="sideline")


DATES = st.dates(min_value=date(2021, 6, 1), max_value=date(2025, 6, 30)).flatmap(
    lambda day: st.sampled_from([f"{day.year}", f"{day.year}-{day.month:02d}",
                                 day.isoformat()]))


@given(DATES, DATES)
def test_meetings_between_two_dates_are_those_whose_dates_overlap(start: str, end: str):
    first, last = date_span(start)[0], date_span(end)[1]
    if last < first:
        with pytest.raises(ValueError, match="comes before"):
            sco_data.meetings(start=start, end=end)
        return
    expected = []
    for meeting in sco_data.meetings():
        if meeting.start_date is None:
            continue
        begins = date_span(meeting.start_date)[0]
        ends = date_span(meeting.end_date or meeting.start_date)[1]
        if begins <= last and first <= ends:
            expected.append(meeting.id)
    assert ids(sco_data.meetings(start=start, end=end)) == expected


@pytest.mark.parametrize(("call", "message"), [
    (lambda: sco_data.meetings(start="2024-13"), "start='2024-13': date '2024-13' does not exist"),
    (lambda: sco_data.meetings(end="July"), "end='July': not an ISO date"),
    (lambda: sco_data.quotes(date="yesterday"), "date='yesterday': not an ISO date"),
])
def test_a_malformed_date_names_its_argument_and_the_forms(call, message: str):
    with pytest.raises(ValueError, match=re.escape(message) + ".*YYYY, YYYY-MM or YYYY-MM-DD"):
        call()


def test_attendees_by_person():
    assert ids(sco_data.attendees(person="modi")) == ["narendra-modi-astana-2024"]


# ------------------------------------------------------------------ frames


def test_a_list_of_records_becomes_a_frame_with_names_and_sources():
    quotes = sco_data.quotes(speaker="xi")
    table = quotes.to_frame()
    assert list(table["id"]) == ids(quotes)
    # One quote is Xi's and Putin's together: its speaker is the article's label, not a person.
    assert set(table["person"].dropna()) == {"Xi Jinping"}
    for row, quote in zip(table.itertuples(), quotes, strict=True):
        assert row.source == quote.sources[0].cite()
        assert row.evidence == quote.sources[0].evidence
        assert row.article == quote.sources[0].article.label
    whole = sco_data.frame("quotes")
    assert list(whole.columns) == list(table.columns)


@pytest.mark.parametrize("table", list(RECORD_FUNCTIONS))
def test_every_kind_of_record_list_becomes_a_frame(table: str):
    records = RECORD_FUNCTIONS[table]()
    found = sco_data.frame(records)
    assert list(found["id"]) == ids(records)


def test_attendees_frame_names_country_person_and_meeting():
    table = sco_data.frame("attendees").set_index("id")
    assert table.loc["narendra-modi-astana-2024", "person"] == "Narendra Modi"
    assert table.loc["narendra-modi-astana-2024", "country"] == "India"
    assert table.loc["narendra-modi-astana-2024", "represented_by"] == (
        "subrahmanyam-jaishankar-astana-2024")
    assert table.loc["narendra-modi-astana-2024", "meeting"] == "SCO summit in Astana"


def test_frames_refuse_mixed_and_empty_lists():
    with pytest.raises(ValueError, match="records of one kind, not Person, Quote"):
        sco_data.frame([*sco_data.quotes()[:1], *sco_data.people()[:1]])
    with pytest.raises(ValueError, match="empty list"):
        sco_data.frame([])


# ------------------------------------------------------------------ graph


def test_the_graph_is_who_met_whom(db: sqlite3.Connection):
    graph = sco_data.graph()
    participants: dict[str, list[str]] = {}
    for meeting, person in db.execute("select meeting_id, person_id from meeting_participants"):
        participants.setdefault(meeting, []).append(person)
    assert set(graph.nodes) == {p for people in participants.values() for p in people}
    expected = sorted((meeting, tuple(sorted(pair))) for meeting, people in participants.items()
                      for pair in combinations(people, 2))
    assert sorted((key, tuple(sorted((a, b)))) for a, b, key in graph.edges(keys=True)) == expected
    edge = graph.get_edge_data("vladimir-putin", "xi-jinping")["putin-xi-astana-2024-07-03"]
    assert edge["status"] == "held" and edge["start_date"] == "2024-07-03"
    assert graph.nodes["vladimir-putin"]["name"] == "Vladimir Putin"
    planned = [key for _, _, key, status in graph.edges(keys=True, data="status")
               if status == "planned"]
    assert set(planned) == {row[0] for row in db.execute(
        "select id from meetings where status = 'planned'")}


# ------------------------------------------------------------------ bibliography, citations


def test_the_bibliography_in_bibtex_and_csl_json():
    library = bibtexparser.parse_string(sco_data.bibliography())
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == ids(sco_data.articles())
    items = json.loads(sco_data.bibliography(format="csl-json"))
    jsonschema.validate(items, CSL_SCHEMA)
    assert [item["title"] for item in items] == [a.title for a in sco_data.articles()]
    with pytest.raises(ValueError, match="format='ris' is not one of: bibtex, csl-json"):
        sco_data.bibliography(format="ris")  # type: ignore[arg-type]


def test_a_source_cites_itself_in_every_style():
    source = sco_data.quote("putin-key-pillars").sources[0]
    [entry] = bibtexparser.parse_string(source.cite(style="bibtex")).entries
    assert entry.key == "ap-leaders-meet-2024-07-03-L51"
    [item] = json.loads(source.cite(style="csl-json"))
    jsonschema.validate([item], CSL_SCHEMA)
    assert "Line 51" in item["note"]
    assert source.cite(style="text") == source.cite()


# ------------------------------------------------------------------ printing and display


def test_a_record_serialises_without_the_articles_text():
    quote = sco_data.quote("putin-key-pillars")
    text = quote.model_dump_json()
    # The record, its four citations and its statements (each naming its citation by id).
    assert len(text) < 4000  # not a count: a size bound
    data = json.loads(text)
    assert data["person"] == {"id": "vladimir-putin",
                              "summary": "Vladimir Putin, Russian President"}
    assert data["sources"][0]["article"] == {
        "id": "ap-leaders-meet-2024-07-03", "title": quote.sources[0].article.title}
    # No line of the article beyond the cited words.
    assert quote.sources[0].article.lines[0] not in text


@pytest.mark.parametrize("table", [table for table in RECORD_FUNCTIONS if table != "articles"])
def test_every_record_prints_as_itself_with_its_primary_source(table: str):
    for found in RECORD_FUNCTIONS[table]():
        text = str(found)
        assert f"({table}/{found.id})" in text
        assert text.startswith(found.summary())
        if found.sources:
            assert text.endswith(f"; source: {found.sources[0].cite()}")
        html = found._repr_html_()
        assert html.count("<li>") == len(found.sources)


def test_a_quote_displays_its_sources_with_the_words_marked():
    quote = sco_data.quote("putin-key-pillars")
    html = quote._repr_html_()
    assert html.count("<mark>") == 3
    assert ("<mark>At a meeting with Xi on Wednesday, Putin hailed the SCO as “one of the key "
            "pillars of a fair, multipolar world order,”</mark>") in html
    hostile = quote.model_copy(update={"text": "<script>alert(1)</script>"})
    assert "<script>" not in hostile._repr_html_()
    assert "&lt;script&gt;" in hostile._repr_html_()
