"""Source groups and corroboration: wire copies of one story count as one independent source."""

from __future__ import annotations

import sqlite3
from collections import defaultdict

import pytest
from datasette.utils import tilde_encode
from markupsafe import escape

from sco_data.building.corroboration import NOT_RECORDS
from sco_data.expectations import dataset

from .conftest import Workspace

AP = "ap-leaders-meet-2024-07-03"
VOA = "voa-xi-putin-talks-2024-07-03"
PA = "pa-putin-xi-kazakhstan-2024-07-03"
AP4 = "ap-leaders-attend-2024-07-04"
DEDOVIC = "dedovic-putin-key-meetings-2024-07-03"

RECORD_TABLES = ["countries", "organizations", "organization_aliases", "people", "aliases",
                 "members", "observers", "meetings", "meeting_participants", "attendees",
                 "quotes", "meeting_facts", "discrepancies"]

EXPECTED = dataset()


def groups_of(db: sqlite3.Connection) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for article, group in db.execute("select id, source_group from articles order by rowid"):
        found[group].append(article)
    return dict(found)


def corroboration_of(db: sqlite3.Connection, table: str, record_id: str) -> sqlite3.Row:
    return db.execute("select * from corroboration where record_table = ? and record_id = ?",
                      [table, record_id]).fetchone()


def test_the_five_articles_are_three_independent_sources(db: sqlite3.Connection):
    assert groups_of(db) == EXPECTED["source_groups"]
    rows = {row["id"]: row for row in db.execute("select * from source_groups")}
    assert {key: (row["name"], row["articles"]) for key, row in rows.items()} == {
        "associated-press": ("Associated Press", EXPECTED["associated_press_articles"]),
        "voice-of-america": ("Voice of America", 1),
        "sededin-dedovic": ("Sededin Dedovic", 1),
    }
    shared = EXPECTED["associated_press_shared_sentences"]
    assert (f"{shared} sentence groups stand in two or more of them"
            in rows["associated-press"]["note"])
    assert "kept in a group of its own by the curator (line 61)" in rows["voice-of-america"]["note"]


def test_every_source_group_cites_the_lines_that_name_it(db: sqlite3.Connection):
    cited = {(row["record_id"], row["article_id"], row["line"]) for row in db.execute(
        "select record_id, article_id, line from citations where record_table = 'source_groups'")}
    assert cited == {
        ("associated-press", AP, 97), ("associated-press", AP4, 49),
        ("voice-of-america", VOA, 67), ("voice-of-america", VOA, 61),
        ("sededin-dedovic", DEDOVIC, 5),
    }


def test_every_record_of_every_record_table_has_one_corroboration_row(db: sqlite3.Connection):
    expected = {(table, row[0]) for table in RECORD_TABLES
                for row in db.execute(f"select id from {table}")}
    found = [(row[0], row[1]) for row in db.execute(
        "select record_table, record_id from corroboration")]
    assert len(found) == len(set(found))
    assert set(found) == expected
    assert not {table for table, _ in found} & NOT_RECORDS


def test_counts_agree_with_the_citations(db: sqlite3.Connection):
    """Recount every row from citations and articles: citations, articles, groups, first."""
    cited: dict[tuple[str, str], list[sqlite3.Row]] = defaultdict(list)
    for row in db.execute(
            "select citations.*, articles.published, articles.source_group, articles.rowid "
            "as position from citations join articles on articles.id = citations.article_id "
            "where record_table not in ('articles', 'source_groups')"):
        cited[(row["record_table"], row["record_id"])].append(row)
    for row in db.execute("select * from corroboration"):
        lines = cited[(row["record_table"], row["record_id"])]
        assert row["citations"] == len(lines)
        assert row["articles"] == len({line["article_id"] for line in lines})
        assert row["independent_sources"] == len({line["source_group"] for line in lines})
        assert row["independent_sources"] <= row["articles"] <= row["citations"]
        first = min(lines, key=lambda line: (line["published"], line["line"], line["position"]))
        assert (row["first_article_id"], row["first_line"]) == (first["article_id"],
                                                                first["line"])


def test_a_quote_printed_by_the_three_wire_copies_is_one_source(db: sqlite3.Connection):
    row = corroboration_of(db, "quotes", "putin-key-pillars")
    assert (row["citations"], row["articles"], row["independent_sources"]) == (3, 3, 1)
    assert row["summary"] == (
        "Stated in 3 articles from 1 independent source "
        "(Associated Press: AP 3 July, PA, AP 4 July)")
    # All three are of 3 or 4 July; of the two 3 July lines, PA's line 39 comes before AP's 51.
    assert (row["first_article_id"], row["first_line"]) == (PA, 39)


def test_a_membership_stated_by_ap_voa_and_dedovic_has_three_sources(db: sqlite3.Connection):
    row = corroboration_of(db, "members", "sco-china")
    assert (row["articles"], row["independent_sources"]) == (
        EXPECTED["sco_china"]["articles"], EXPECTED["sco_china"]["independent_sources"])
    assert row["source_groups"] == "associated-press, voice-of-america, sededin-dedovic"
    assert row["summary"] == (
        "Stated in 5 articles from 3 independent sources (Associated Press: AP 3 July, PA, "
        "AP 4 July; Voice of America: VOA; Sededin Dedovic: Dedovic)")


def test_belarus_joining_rests_on_the_wire_story_alone(db: sqlite3.Connection):
    row = corroboration_of(db, "members", "sco-belarus")
    assert (row["articles"], row["independent_sources"]) == (3, 1)


def test_corroboration_counts_pinned(db: sqlite3.Connection):
    counts = dict(db.execute("select independent_sources, count(*) from corroboration "
                             "group by independent_sources"))
    assert counts == {1: 140, 2: 73, 3: 28}


# --------------------------------------------------------------------------- curated overrides


def built(workspace: Workspace) -> sqlite3.Connection:
    # A join merges two groups (one fewer source_groups row), a removed decision one citation.
    assert workspace.build("--allow-shrink") == 0
    connection = sqlite3.connect(workspace.output)
    connection.row_factory = sqlite3.Row
    return connection


def test_a_join_puts_an_article_in_another_articles_group(workspace: Workspace):
    workspace.edit("seeds/articles.yml", "    split: true\n", f"    join: {AP}\n")
    db = built(workspace)
    assert groups_of(db) == {"associated-press": [AP, VOA, PA, AP4],
                             "sededin-dedovic": [DEDOVIC]}
    assert corroboration_of(db, "members", "sco-china")["independent_sources"] == 2
    note = db.execute("select note from source_groups where id = 'associated-press'").fetchone()[0]
    assert "VOA joins AP 3 July's group by the curator (line 61)" in note
    assert "Voice of America" in note  # the name VOA gives its origin, beside the group's


def test_a_split_keeps_a_copy_apart_and_it_then_counts_as_a_source(workspace: Workspace):
    workspace.edit("seeds/articles.yml", "  published: 2024-07-03\n  published_note: >-\n"
                   "    The page debris", "  published: 2024-07-03\n  origin:\n"
                   "    name: Press Association\n    line: 4\n    evidence: By Press Association\n"
                   "  source_group:\n    split: true\n    line: 4\n"
                   "    evidence: By Press Association\n    reason: a test of the split\n"
                   "  published_note: >-\n    The page debris")
    db = built(workspace)
    assert groups_of(db)["press-association"] == [PA]
    assert groups_of(db)["associated-press"] == [AP, AP4]
    assert corroboration_of(db, "quotes", "putin-key-pillars")["independent_sources"] == 2


def test_without_the_split_voa_is_still_its_own_source(workspace: Workspace):
    """The VOA decision is a no-op on these texts: VOA shares no line with AP."""
    workspace.edit("seeds/articles.yml", "  source_group:\n    split: true\n    line: 61\n"
                   "    evidence: Some information in this report came from The Associated "
                   "Press and Reuters.\n", "  source_group_removed:\n")
    text = workspace.registry.read_text(encoding="utf-8")
    start = text.index("  source_group_removed:\n")
    end = text.index("counts as a source of its own.\n", start) + len(
        "counts as a source of its own.\n")
    workspace.registry.write_text(text[:start] + text[end:], encoding="utf-8")
    assert groups_of(built(workspace))["voice-of-america"] == [VOA]


@pytest.mark.parametrize("table", RECORD_TABLES)
def test_row_pages_say_how_many_independent_sources(site, db: sqlite3.Connection, table: str):
    record_id, summary = db.execute(
        "select record_id, summary from corroboration where record_table = ? order by rowid "
        "limit 1", [table]).fetchone()
    page = site.page(f"/sco/{table}/{tilde_encode(record_id)}")
    block = page[page.index('id="corroboration"'):page.index('id="sources"')]
    assert str(escape(summary)) in block
    # Each group stating the record is linked, with the articles of it that state it.
    for group in corroboration_of(db, table, record_id)["source_groups"].split(", "):
        assert f'href="/sco/source_groups/{group}"' in block


def test_the_sources_on_a_row_page_name_their_source_group(site):
    page = site.page("/sco/quotes/putin-key-pillars")
    assert 'href="/sco/source_groups/associated-press">Associated Press</a>: ' in page
    assert (page.count("· source group Associated Press")
            == EXPECTED["associated_press_articles"])
