"""The built database holds every table, column and foreign key of the public contract."""

from __future__ import annotations

import sqlite3

import pytest

# The public contract: tables and the columns users rely on. Others may be added.
CONTRACT = {
    "articles": ["id", "file", "title", "publisher", "published", "sha256", "line_count",
                 "source_group"],
    "lines": ["id", "article_id", "line", "text"],
    "countries": ["id", "name"],
    "organizations": ["id", "name", "kind"],
    "people": ["id", "name", "country_id", "title"],
    "aliases": ["id", "person_id", "name"],
    "members": ["id", "organization_id", "country_id", "founding", "joined", "article_id", "line"],
    "observers": ["id", "organization_id", "country_id", "status", "article_id", "line"],
    "meetings": ["id", "title", "kind", "status", "start_date", "end_date", "place", "parent_id",
                 "article_id", "line", "place_name", "listing_order"],
    "meeting_participants": ["meeting_id", "person_id"],
    "attendees": ["id", "meeting_id", "person_id", "attendance", "represented_by", "article_id",
                  "line", "listing_order"],
    "quotes": ["id", "text", "person_id", "organization_id", "speaker", "meeting_id", "article_id",
               "line", "listing_order"],
    "citations": ["id", "record_table", "record_id", "article_id", "line", "evidence",
                  "char_start", "char_end"],
    "quoted_spans": ["id", "article_id", "line", "char_start", "char_end", "text", "quote_id",
                     "reason"],
    "not_cited": ["id", "record_table", "record_id", "article_id", "line", "reason"],
    "line_groups": ["id", "group_id", "line_id", "article_id", "line", "kind"],
    "sentence_groups": ["id", "group_id", "line_id", "article_id", "line", "sentence",
                        "char_start", "char_end", "kind"],
    "source_groups": ["id", "name", "articles", "note"],
    "corroboration": ["id", "record_table", "record_id", "citations", "articles",
                      "independent_sources", "first_article_id", "first_line"],
}

FOREIGN_KEYS = {
    ("lines", "article_id"): "articles",
    ("people", "country_id"): "countries",
    ("aliases", "person_id"): "people",
    ("members", "organization_id"): "organizations",
    ("members", "country_id"): "countries",
    ("members", "article_id"): "articles",
    ("observers", "organization_id"): "organizations",
    ("observers", "country_id"): "countries",
    ("observers", "article_id"): "articles",
    ("meetings", "parent_id"): "meetings",
    ("meetings", "article_id"): "articles",
    ("meeting_participants", "meeting_id"): "meetings",
    ("meeting_participants", "person_id"): "people",
    ("attendees", "meeting_id"): "meetings",
    ("attendees", "person_id"): "people",
    ("attendees", "represented_by"): "attendees",
    ("attendees", "article_id"): "articles",
    ("quotes", "person_id"): "people",
    ("quotes", "organization_id"): "organizations",
    ("quotes", "meeting_id"): "meetings",
    ("quotes", "article_id"): "articles",
    ("citations", "article_id"): "articles",
    ("citations", "line_id"): "lines",
    ("organization_aliases", "organization_id"): "organizations",
    ("quoted_spans", "article_id"): "articles",
    ("quoted_spans", "line_id"): "lines",
    ("quoted_spans", "quote_id"): "quotes",
    ("not_cited", "article_id"): "articles",
    ("not_cited", "line_id"): "lines",
    ("articles", "source_group"): "source_groups",
    ("line_groups", "group_id"): "lines",
    ("sentence_groups", "group_id"): "sentence_groups",
    ("sentence_groups", "line_id"): "lines",
    ("sentence_groups", "article_id"): "articles",
    ("line_groups", "line_id"): "lines",
    ("line_groups", "article_id"): "articles",
    ("corroboration", "first_article_id"): "articles",
    ("corroboration", "first_line_id"): "lines",
}


@pytest.mark.parametrize("table", CONTRACT)
def test_contract_columns_present(db: sqlite3.Connection, table: str):
    columns = [row["name"] for row in db.execute(f"pragma table_info({table})")]
    assert set(CONTRACT[table]) <= set(columns), set(CONTRACT[table]) - set(columns)


@pytest.mark.parametrize("table", CONTRACT)
def test_single_column_primary_key(db: sqlite3.Connection, table: str):
    keys = [row["name"] for row in db.execute(f"pragma table_info({table})") if row["pk"]]
    assert keys == ["id"]


@pytest.mark.parametrize(("table", "column"), FOREIGN_KEYS, ids=lambda key: str(key))
def test_foreign_keys_declared(db: sqlite3.Connection, table: str, column: str):
    targets = {row["from"]: (row["table"], row["to"])
               for row in db.execute(f"pragma foreign_key_list({table})")}
    assert targets.get(column) == (FOREIGN_KEYS[(table, column)], "id")


def test_foreign_keys_all_resolve(db: sqlite3.Connection):
    assert db.execute("pragma foreign_key_check").fetchall() == []


@pytest.mark.parametrize("table", ["lines", "quotes"])
def test_text_is_full_text_searchable(db: sqlite3.Connection, table: str):
    sql = db.execute("select sql from sqlite_master where name = ?", [f"{table}_fts"]).fetchone()
    assert sql is not None
    assert "using fts5" in sql[0].lower() and '"text"' in sql[0] and f'content="{table}"' in sql[0]


def test_schema_revision_is_recorded(db: sqlite3.Connection):
    from alembic.script import ScriptDirectory

    from sco_data.paths import MIGRATIONS_DIR

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    versions = db.execute("select version_num from alembic_version").fetchall()
    assert [tuple(row) for row in versions] == [(head,)]
    assert head == "0009"  # not a count: the newest migration, statements and the lexicon
