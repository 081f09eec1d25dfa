"""A record's page: related rows as labelled links, a citation to copy, its sources to download.

Also the table pages' layout that the browser test measures: rows before the column notes, and
the columns that name and cite a row first.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from pathlib import Path

import bibtexparser
import jsonschema
import pytest

from sco_data import __version__
from sco_data.publish.datasette_plugin.columns import column_order
from sco_data.publish.metadata import RECORD_LABELS

from .conftest import Site

CSL_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "csl-data.json").read_text(encoding="utf-8"))
QUOTE = "putin-key-pillars"


def _cells(page: str) -> dict[str, str]:
    """The row page's cells by column, as HTML."""
    return dict(re.findall(r'<td class="col-([\w-]+) type-\w+">(.*?)</td>', page, re.S))


def test_a_quote_page_links_its_speaker_meeting_and_article_by_name(site: Site):
    cells = _cells(site.page(f"/sco/quotes/{QUOTE}"))
    assert cells["person_id"] == (
        '<a href="/sco/people/vladimir-putin" title="vladimir-putin">Vladimir Putin</a>')
    assert cells["meeting_id"].startswith(
        '<a href="/sco/meetings/putin-xi-astana-2024-07-03" title="putin-xi-astana-2024-07-03">'
        'Putin and Xi meet on the summit')
    assert cells["article_id"] == ('<a href="/sco/articles/ap-leaders-meet-2024-07-03" '
                                   'title="ap-leaders-meet-2024-07-03">AP 3 July</a>')
    # A key to a table without labels links by its id.
    assert cells["line_id"] == ('<a href="/sco/lines/ap-leaders-meet-2024-07-03-L51" '
                                'title="ap-leaders-meet-2024-07-03-L51">L51</a>')


def test_every_foreign_key_of_every_record_page_is_a_link(site: Site, db: sqlite3.Connection):
    """One row of each table with foreign keys: every non-empty key cell links to its row."""
    tables = [row[0] for row in db.execute(
        "select name from sqlite_master where type = 'table' and name not like '%fts%'")]
    checked = 0
    for table in tables:
        keys = {row["from"]: row["table"]
                for row in db.execute(f"pragma foreign_key_list({table})") if row["to"] == "id"}
        columns = [row["name"] for row in db.execute(f"pragma table_info({table})")]
        if not keys or "id" not in columns:
            continue
        record = db.execute(f"select * from {table} limit 1").fetchone()
        if record is None:  # not_cited is empty while every repeat is cited
            continue
        cells = _cells(site.page(f"/sco/{table}/{record['id']}"))
        for column, other in keys.items():
            if record[column] is None:
                continue
            assert f'<a href="/sco/{other}/{record[column]}"' in cells[column], (table, column)
            checked += 1
    assert checked >= 30


def test_the_cite_box_gives_the_readme_format_for_every_source(site: Site,
                                                               db: sqlite3.Connection):
    page = site.page(f"/sco/quotes/{QUOTE}")
    text = html.unescape(re.search(r'id="sco-cite-text">(.*?)</p>', page, re.S)[1])
    sources = db.execute(
        "select articles.byline, articles.publisher, articles.title, articles.published, "
        "citations.line, citations.evidence from citations join articles on articles.id = "
        "citations.article_id where record_table = 'quotes' and record_id = ? "
        "order by citations.rowid", [QUOTE]).fetchall()
    assert len(sources) == 3
    # The byline, then the publisher, each where the article names one, and once where they
    # are the same name (the Press Association's).
    names = [", ".join(dict.fromkeys(name for name in (row["byline"], row["publisher"]) if name))
             for row in sources]
    assert names[0] == ("Burrows, with Simina Mistreanu, Krutika Pathi and Suzan Fraser, "
                        "The Associated Press")
    assert text == f"sco_data {__version__}, quotes/{QUOTE}: " + "; ".join(
        f'{name}, "{row["title"]}" ({row["published"]}), line {row["line"]}: '
        f'"{row["evidence"]}"' for name, row in zip(names, sources, strict=True))
    assert "not named" not in page
    assert 'data-sco-copy="#sco-cite-text"' in page
    assert re.search(r'<script src="/-/static-plugins/sco-data/sco.js" defer>', page)


def test_the_copy_script_is_served_by_the_plugin(site: Site):
    response = site.get("/-/static-plugins/sco-data/sco.js")
    assert "navigator.clipboard.writeText" in response.text
    assert "javascript" in response.headers["content-type"]


def test_the_record_json_has_its_sources_and_corroboration(site: Site, db: sqlite3.Connection):
    data = site.get(f"/-/records/quotes/{QUOTE}.json").json()
    assert data["record"]["text"] == "one of the key pillars of a fair, multipolar world order"
    cited = db.execute("select id, line_id, evidence from citations where record_table = "
                       "'quotes' and record_id = ? order by rowid", [QUOTE]).fetchall()
    assert [source["citation_id"] for source in data["sources"]] == [row["id"] for row in cited]
    for source in data["sources"]:
        span = source["line_text"][source["char_start"]:source["char_end"]]
        assert span == source["evidence"]
    assert data["corroboration"]["articles"] == 3
    assert data["corroboration"]["independent_sources"] == 1
    assert data["citation"].startswith(f"sco_data {__version__}, quotes/{QUOTE}: ")
    page = site.page(f"/sco/quotes/{QUOTE}")
    assert f'href="/-/records/quotes/{QUOTE}.json"' in page


def test_a_record_without_corroboration_says_so(site: Site):
    data = site.get("/-/records/articles/ap-leaders-meet-2024-07-03.json").json()
    assert data["corroboration"] is None
    assert len(data["sources"]) >= 4


def test_the_sources_download_as_bibtex_that_parses(site: Site):
    response = site.get(f"/-/records/quotes/{QUOTE}.bib")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="quotes-{QUOTE}.bib"')
    library = bibtexparser.parse_string(response.text)
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == [
        "ap-leaders-meet-2024-07-03-L51", "pa-putin-xi-kazakhstan-2024-07-03-L39",
        "ap-leaders-attend-2024-07-04-L39"]


def test_the_sources_download_as_valid_csl_json(site: Site):
    response = site.get(f"/-/records/quotes/{QUOTE}.csl.json")
    assert response.headers["content-type"].startswith(
        "application/vnd.citationstyles.csl+json")
    items = response.json()
    jsonschema.validate(items, CSL_SCHEMA)
    assert [item["issued"]["date-parts"] for item in items] == [
        [[2024, 7, 3]], [[2024, 7, 3]], [[2024, 7, 4]]]


@pytest.mark.parametrize("path", [
    "/-/records/quotes/no-such-quote.json",
    "/-/records/no_such_table/x.bib",
    "/-/records/sqlite_master/x.json",
])
def test_unknown_records_are_404s_that_say_what_is_missing(site: Site, path: str):
    response = site.get(path, status=404)
    assert "There is no" in html.unescape(response.text)


def test_record_endpoints_are_read_only(site: Site):
    response = site.loop.run_until_complete(
        site.datasette.client.post(f"/-/records/quotes/{QUOTE}.json"))
    assert response.status_code == 405


def test_table_pages_fold_the_column_notes_and_lead_with_name_and_line(site: Site):
    page = site.page("/sco/attendees")
    assert '<details class="sco-columns">' in page
    assert "dl.column-descriptions { display: none; }" in page
    headers = re.findall(r'<th [^>]*data-column="(\w+)"', page)
    assert headers[:2] == ["id", "line"]
    quotes = re.findall(r'<th [^>]*data-column="(\w+)"', site.page("/sco/quotes"))
    assert quotes[:3] == ["id", "text", "line"]
    first_row = re.search(r"<tbody>.*?</tr>", site.page("/sco/quotes"), re.S)[0]
    assert re.findall(r'<td class="col-(\w+)', first_row)[:3] == ["id", "text", "line"]


@pytest.mark.parametrize("table", sorted(RECORD_LABELS))
def test_column_order_is_a_permutation(table: str):
    columns = [{"name": name} for name in ("line", "note", RECORD_LABELS[table], "id", "x")]
    order = column_order(table, columns)
    assert sorted(order) == list(range(len(columns)))
    assert [columns[index]["name"] for index in order][:3] == ["id", RECORD_LABELS[table], "line"]
