"""Quotes, meetings and attendees open with their strongest rows first (``listing_order``)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_data.building.listing_order import place_name
from sco_data.dates import date_span
from sco_data.expectations import dataset

from .conftest import Site

EXPECTED = dataset()


def _ordered(db: sqlite3.Connection, table: str, columns: str) -> list[sqlite3.Row]:
    return db.execute(f"select {columns} from {table} order by listing_order").fetchall()


@pytest.mark.parametrize("table", ["quotes", "meetings", "attendees"])
def test_listing_order_numbers_every_row_once(db: sqlite3.Connection, table: str):
    numbers = [row[0] for row in db.execute(f"select listing_order from {table}")]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_quotes_open_in_reading_order_of_their_primary_source(db: sqlite3.Connection):
    rows = _ordered(db, "quotes join articles on articles.id = quotes.article_id",
                    "quotes.id, articles.published, articles.rowid, quotes.line, "
                    "(select char_start from citations where record_table = 'quotes' and "
                    "record_id = quotes.id order by citations.rowid limit 1) as start")
    keys = [(row["published"], row["rowid"], row["line"], row["start"]) for row in rows]
    assert keys == sorted(keys)
    # The first article of 3 July in the registry opens with Gabuev's line 35.
    assert [row["id"] for row in rows[:3]] == [
        "gabuev-big-clubs", "gabuev-prestige", "putin-key-pillars"]


def test_two_quotes_of_one_line_keep_the_line_order(db: sqlite3.Connection):
    rows = _ordered(db, "quotes", "id, line_id")
    pair = [row["id"] for row in rows if row["line_id"] == "ap-leaders-meet-2024-07-03-L51"]
    assert pair == ["putin-key-pillars", "putin-best-period"]


def test_meetings_open_by_date_with_undated_ones_last(db: sqlite3.Connection):
    rows = _ordered(db, "meetings", "id, start_date")
    dated = [row for row in rows if row["start_date"]]
    assert rows[:len(dated)] == dated, "an undated meeting comes before a dated one"
    starts = [date_span(row["start_date"])[0] for row in dated]
    assert starts == sorted(starts)
    assert dated[0]["start_date"] == "2022"
    assert "sco-summit-astana-2024" in [row["id"] for row in dated]
    assert [row["id"] for row in dated][-1] == "putin-mokhber-astana-2024-07-04"


def test_attendees_open_with_those_who_attended(db: sqlite3.Connection):
    rows = _ordered(db, "attendees", "attendance")
    attendance = [row["attendance"] for row in rows]
    assert attendance == (["attended"] * attendance.count("attended")
                          + ["expected"] * attendance.count("expected")
                          + ["absent"] * attendance.count("absent"))
    assert attendance.count("attended") == EXPECTED["attended_the_summit"]


def test_one_place_is_one_facet_value(db: sqlite3.Connection):
    names = {row["place"]: row["place_name"]
             for row in db.execute("select place, place_name from meetings")}
    assert names["Astana, Kazakhstan"] == names["Astana"] == "Astana"
    assert names["Sochi, Russia"] == "Sochi"
    assert names["Russia"] == "Russia"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_date_intervals_contain_the_day_at_every_precision(day: date):
    for value in (f"{day.year:04d}", f"{day.year:04d}-{day.month:02d}", day.isoformat()):
        first, last = date_span(value)
        assert first <= day <= last
        assert first.isoformat().startswith(value) and last.isoformat().startswith(value)
    assert date_span("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))


def test_place_name_keeps_a_place_without_a_comma():
    assert place_name("virtual") == "virtual"
    assert place_name(None) is None


@pytest.mark.parametrize(("table", "first"), [
    ("quotes", "gabuev-big-clubs"),
    ("meetings", "putin-beijing-2022"),
    ("attendees", "ilham-aliyev-astana-2024"),
])
def test_the_table_page_opens_in_listing_order(site: Site, table: str, first: str):
    rows = site.rows(f"/sco/{table}.json")
    assert rows[0]["id"] == first
    assert [row["listing_order"] for row in rows] == list(range(1, len(rows) + 1))
