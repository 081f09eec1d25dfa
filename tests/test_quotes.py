"""Quotes: the exact words inside the marks, one row per quote, each outlet's wording cited."""

from __future__ import annotations

import re
import sqlite3

import pytest

OPENING, CLOSING = "“\"", "”\""

# House styles: the same quote as each outlet prints it.
VARIANTS = [("U.N.", "UN"), ("organization", "organisation"), ("sideline", "side-line")]


def _quoted(line: str, text: str) -> bool:
    pattern = f"[{OPENING}]{re.escape(text)}[,.]?[{CLOSING}]"
    return re.search(pattern, line) is not None


def _house_styles(text: str) -> set[str]:
    styles = {text}
    for ours, theirs in VARIANTS:
        styles |= {style.replace(ours, theirs) for style in styles}
    return styles


def _citations(db: sqlite3.Connection, quote_id: str) -> list[sqlite3.Row]:
    return db.execute(
        "select citations.*, lines.text as line_text from citations join lines "
        "on lines.id = citations.line_id where record_table = 'quotes' and record_id = ? "
        "order by cast(substr(citations.id, length('quotes-') + length(?) + 2) as integer)",
        [quote_id, quote_id],
    ).fetchall()


def test_every_quote_stands_between_marks_on_its_primary_line(db: sqlite3.Connection):
    quotes = db.execute("select quotes.id, quotes.text, lines.text as line_text from quotes "
                        "join lines on lines.id = quotes.line_id").fetchall()
    assert len(quotes) >= 41
    for quote in quotes:
        assert _quoted(quote["line_text"], quote["text"]), quote["id"]


def test_every_other_citation_holds_the_quote_or_its_house_style(db: sqlite3.Connection):
    for (quote_id, text) in db.execute("select id, text from quotes"):
        for citation in _citations(db, quote_id):
            assert any(_quoted(citation["line_text"], style) and style in citation["evidence"]
                       for style in _house_styles(text)), (quote_id, citation["id"])


def test_no_quote_has_two_rows(db: sqlite3.Connection):
    texts = [row[0] for row in db.execute("select text from quotes")]
    normalised = [min(_house_styles(text)) for text in texts]
    assert len(set(normalised)) == len(texts)


def test_every_quote_has_a_speaker_label_and_a_link_or_a_reason(db: sqlite3.Connection):
    rows = db.execute("select id, speaker, person_id, organization_id, country_id, note "
                      "from quotes").fetchall()
    for row in rows:
        assert row["speaker"], row["id"]
        assert row["person_id"] or row["organization_id"] or row["country_id"] or row["note"], (
            row["id"])


# Quotes that several articles carry: one row, its speaker, and every outlet that prints it.
SHARED_QUOTES = {
    "putin-key-pillars": ("vladimir-putin", 3),
    "putin-best-period": ("vladimir-putin", 3),
    "xi-bridges-of-communication": ("xi-jinping", 3),
    "gabuev-big-clubs": ("alexander-gabuev", 2),
    "gabuev-prestige": ("alexander-gabuev", 2),
    "putin-concerns": ("vladimir-putin", 2),
    "kazakh-official-sideline-discussions": (None, 2),
}


@pytest.mark.parametrize("quote_id", SHARED_QUOTES)
def test_quote_carried_by_several_articles(db: sqlite3.Connection, quote_id: str):
    person, outlets = SHARED_QUOTES[quote_id]
    row = db.execute("select person_id from quotes where id = ?", [quote_id]).fetchone()
    assert row is not None and row[0] == person
    articles = {citation["article_id"] for citation in _citations(db, quote_id)}
    assert len(articles) == outlets


def test_unnamed_official_keeps_the_articles_label(db: sqlite3.Connection):
    row = db.execute("select speaker, person_id from quotes "
                     "where id = 'kazakh-official-sideline-discussions'").fetchone()
    assert tuple(row) == ("a senior Kazakh official", None)


def test_pronouns_resolve_to_the_person_of_the_paragraph_before(db: sqlite3.Connection):
    rows = dict(db.execute("select id, person_id from quotes where speaker like '%she%' "
                           "or speaker like '%he (%'").fetchall())
    assert rows == {
        "saivetz-tacit-agreement": "carol-saivetz",
        "saivetz-not-surrendering": "carol-saivetz",
        "dolbaia-trying-to-balance": "tina-dolbaia",
        "dolbaia-backyard": "tina-dolbaia",
        "gould-davies-principal-value": "nigel-gould-davies",
        "xi-cold-war-mentality": "xi-jinping",
    }


def test_organizations_speak(db: sqlite3.Connection):
    rows = db.execute("select id from quotes where person_id is null "
                      "and organization_id in ('kremlin', 'sco') order by id").fetchall()
    assert [row[0] for row in rows] == [
        "kremlin-leaders-will-discuss",
        "kremlin-putin-has-arrived",
        "sco-missile-defense-statement",
    ]


def test_quotes_are_full_text_searchable(db: sqlite3.Connection):
    rows = db.execute("select quotes.id from quotes join quotes_fts on quotes.rowid = "
                      "quotes_fts.rowid where quotes_fts match 'multipolar'").fetchall()
    assert [row[0] for row in rows] == ["putin-key-pillars"]
