"""A citation holds only when its evidence stands verbatim on its line; the build proves it."""

from __future__ import annotations

import sqlite3

import pytest

from sco_data.building.sources import ArticleText, CitationError

ARTICLE = ArticleText("demo", (
    "Headline",
    "",
    "Putin hailed the SCO as “one of the key pillars of a fair, multipolar world order,”",
    "Both have met about 40 times.",
))


def test_good_citation_gives_offsets():
    start, end = ARTICLE.locate(3, "one of the key pillars")
    assert (start, end) == (25, 47)  # not a count: offsets in the line
    assert ARTICLE.lines[2][start:end] == "one of the key pillars"


def test_bad_evidence_shows_the_line_and_where_the_words_are():
    with pytest.raises(CitationError) as caught:
        ARTICLE.locate(3, "met about 40 times")
    message = str(caught.value)
    assert "'met about 40 times' is not on line 3 of demo" in message
    assert "which reads: 'Putin hailed the SCO as “one of the key pillars" in message
    assert "it occurs on line 4: cite that line" in message


def test_straight_quotes_for_curly_ones_are_named_as_the_difference():
    with pytest.raises(CitationError) as caught:
        ARTICLE.locate(3, 'as "one of the key pillars')
    assert "occurs on line 3 only if case, quotation marks, dashes or spaces are ignored" in str(
        caught.value
    )


def test_evidence_is_case_sensitive():
    with pytest.raises(CitationError, match="only if case"):
        ARTICLE.locate(4, "both have met")


def test_evidence_found_nowhere_says_so():
    with pytest.raises(CitationError, match="occurs nowhere in this article"):
        ARTICLE.locate(4, "met 41 times")


@pytest.mark.parametrize("line", [0, 5, 100])
def test_line_outside_the_article(line: int):
    with pytest.raises(CitationError, match=f"line {line} does not exist: demo has lines 1 to 4"):
        ARTICLE.locate(line, "Headline")


def test_empty_evidence_is_refused():
    with pytest.raises(CitationError, match="evidence is empty"):
        ARTICLE.locate(1, "")


def test_every_stored_citation_stands_on_its_line(db: sqlite3.Connection):
    rows = db.execute(
        "select citations.*, lines.text as line_text from citations "
        "join lines on lines.article_id = citations.article_id and lines.line = citations.line"
    ).fetchall()
    total = db.execute("select count(*) from citations").fetchone()[0]
    assert len(rows) == total > 0
    for row in rows:
        assert row["evidence"], row["id"]
        assert row["line_text"][row["char_start"]:row["char_end"]] == row["evidence"], row["id"]
        assert row["line_id"] == f"{row['article_id']}-L{row['line']}"


SOURCED = ["members", "observers", "meetings", "attendees", "quotes", "meeting_facts",
           "discrepancies"]


@pytest.mark.parametrize("table", SOURCED)
def test_every_record_cites_its_primary_line(db: sqlite3.Connection, table: str):
    records = db.execute(f"select id, article_id, line from {table}").fetchall()
    assert records
    for record in records:
        assert record["article_id"] and record["line"], record["id"]
        primary = db.execute(
            "select article_id, line from citations where record_table = ? and record_id = ? "
            "order by cast(substr(id, length(record_table) + length(record_id) + 3) as integer) "
            "limit 1", [table, record["id"]],
        ).fetchone()
        assert tuple(primary) == (record["article_id"], record["line"]), record["id"]


@pytest.mark.parametrize("table", [*SOURCED, "articles", "people", "aliases"])
def test_every_record_has_a_citation(db: sqlite3.Connection, table: str):
    uncited = db.execute(
        f"select id from {table} where id not in "
        "(select record_id from citations where record_table = ?)", [table]
    ).fetchall()
    assert uncited == []
