"""Line numbering: a line is a piece of the seed split on "\\n" only, counted from 1."""

from __future__ import annotations

import sqlite3

from sco_data.building.sources import ArticleText, split_lines
from sco_data.expectations import dataset
from sco_data.paths import SEEDS_DIR

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))

EXPECTED = dataset()


def test_last_line_without_newline_is_a_line():
    assert split_lines("first\nsecond") == ["first", "second"]
    assert split_lines("first\nsecond\n") == ["first", "second", ""]


def test_only_newline_splits_a_line():
    # splitlines() would split on each of these and shift every later line number.
    text = "a\x0cb\x1cc\x85d\u2028e\rf\nnext"
    assert split_lines(text) == ["a\x0cb\x1cc\x85d\u2028e\rf", "next"]


def test_line_count_is_newlines_plus_one_for_every_seed():
    assert len(SEEDS) == EXPECTED["articles"]
    for seed in SEEDS:
        text = seed.read_bytes().decode("utf-8")
        assert not text.endswith("\n"), f"{seed.name} ends with a newline"
        assert len(split_lines(text)) == text.count("\n") + 1


def test_a_line_holding_a_no_break_space_keeps_it():
    seed = SEEDS_DIR / "003_f8d36b30d32ee174.txt"
    lines = split_lines(seed.read_text(encoding="utf-8"))
    assert lines[48] == (
        "Copyright ©\xa02024 The Associated Press. All rights reserved. This material may not "
        "be published, broadcast, written or redistributed."
    )
    article = ArticleText("ap", tuple(lines))
    assert article.locate(49, "©\xa02024") == (10, 16)  # not a count: offsets


def test_lines_table_equals_the_seed_files_line_for_line(db: sqlite3.Connection):
    files = {row["id"]: row["file"] for row in db.execute("select id, file from articles")}
    assert len(files) == EXPECTED["articles"]
    for article_id, file in files.items():
        expected = split_lines((SEEDS_DIR / file).read_text(encoding="utf-8"))
        stored = db.execute(
            "select line, text from lines where article_id = ? order by line", [article_id]
        ).fetchall()
        assert [row["line"] for row in stored] == list(range(1, len(expected) + 1))
        assert [row["text"] for row in stored] == expected
        count = db.execute("select line_count from articles where id = ?", [article_id])
        assert count.fetchone()[0] == len(expected)


def test_lines_total(db: sqlite3.Connection):
    assert (db.execute("select count(*) from lines").fetchone()[0]
            == sum(EXPECTED["lines_per_article"].values()))


def test_lines_are_full_text_searchable(db: sqlite3.Connection):
    found = db.execute(
        "select lines.id from lines join lines_fts on lines.rowid = lines_fts.rowid "
        "where lines_fts match 'Lukashenko' order by lines.id"
    ).fetchall()
    assert [row[0] for row in found] == [
        "ap-leaders-attend-2024-07-04-L17",
        "ap-leaders-meet-2024-07-03-L29",
        "pa-putin-xi-kazakhstan-2024-07-03-L21",
    ]
