"""The source viewer: every record leads to its article line, the cited words highlighted."""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from .conftest import Site

QUOTE = "putin-key-pillars"
QUOTE_ARTICLE = "ap-leaders-meet-2024-07-03"
QUOTE_LINE = 51
QUOTE_WORDS = "one of the key pillars of a fair, multipolar world order"
CITED_TABLES = ["articles", "people", "aliases", "members", "observers", "meetings",
                "attendees", "quotes", "meeting_facts", "discrepancies"]


def line_block(page: str, number: int) -> str:
    """The HTML of one line of an article page, up to the next line."""
    start = page.index(f'id="L{number}"')
    end = page.find('<div class="sco-line', start)
    return page[start:end if end != -1 else len(page)]


def marked_words(fragment: str) -> list[str]:
    return [html.unescape(words) for words in re.findall(r"<mark[^>]*>(.*?)</mark>", fragment,
                                                          flags=re.S)]


# ------------------------------------------------------------------ article pages


def test_articles_page_lists_the_five_articles(site: Site, db: sqlite3.Connection):
    page = html.unescape(site.page("/-/articles"))
    for article in db.execute("select id, title from articles"):
        assert f'<a href="/-/articles/{article["id"]}">{article["title"]}</a>' in page


@pytest.mark.parametrize("article_id", [
    "ap-leaders-meet-2024-07-03", "voa-xi-putin-talks-2024-07-03",
    "pa-putin-xi-kazakhstan-2024-07-03", "ap-leaders-attend-2024-07-04",
    "dedovic-putin-key-meetings-2024-07-03",
])
def test_article_page_shows_every_line_and_marks_the_cited_ones(
        site: Site, db: sqlite3.Connection, article_id: str):
    page = site.page(f"/-/articles/{article_id}")
    assert f'href="/sco/citations?article_id={article_id}"' in page
    assert f'href="/sco/articles/{article_id}"' in page
    lines = db.execute("select line, text from lines where article_id = ? order by line",
                       [article_id]).fetchall()
    anchors = [int(n) for n in re.findall(r'class="sco-line[^"]*" id="L(\d+)"', page)]
    assert anchors == [row["line"] for row in lines]
    cited = {row[0] for row in db.execute(
        "select distinct line from citations where article_id = ?", [article_id])}
    marked = {int(n) for n in re.findall(r'class="sco-line sco-cited" id="L(\d+)"', page)}
    assert marked == cited
    # The text is the article's own, every character of it, once the marks are taken out.
    for row in lines:
        block = line_block(page, row["line"])
        text = re.search(r'<div class="sco-text">(.*?)</div>', block, flags=re.S)[1]
        assert html.unescape(re.sub(r"</?mark[^>]*>", "", text)) == row["text"]


def test_a_cited_line_lists_and_links_the_records_citing_it(site: Site):
    block = line_block(site.page(f"/-/articles/{QUOTE_ARTICLE}"), QUOTE_LINE)
    assert f'<a href="/sco/quotes/{QUOTE}">quotes: {QUOTE}</a>' in block
    assert '<a href="/sco/meetings/putin-xi-astana-2024-07-03">' in block
    assert any(QUOTE_WORDS in words for words in marked_words(block))


def test_the_followed_citation_is_highlighted_more_strongly(site: Site):
    page = site.page(f"/-/articles/{QUOTE_ARTICLE}?citation=quotes-{QUOTE}-1")
    block = line_block(page, QUOTE_LINE)
    focused = re.findall(r'<mark class="sco-focus">(.*?)</mark>', block, flags=re.S)
    assert focused and QUOTE_WORDS in html.unescape("".join(focused))
    assert "(the citation you followed)" in block
    assert 'class="sco-focus"' not in line_block(page, QUOTE_LINE - 2)


def test_unknown_article_is_a_404_that_says_where_to_look(site: Site):
    page = site.get("/-/articles/no-such-article", status=404).text
    assert "no-such-article" in html.unescape(page) and "/-/articles" in page


# ------------------------------------------------------------------ row pages


@pytest.mark.parametrize("table", CITED_TABLES)
def test_every_record_row_page_lists_all_its_sources_highlighted(
        site: Site, db: sqlite3.Connection, table: str):
    record_id = db.execute(
        "select record_id from citations where record_table = ? group by record_id "
        "order by count(*) desc, record_id limit 1", [table]).fetchone()[0]
    citations = db.execute(
        "select id, article_id, line, evidence from citations "
        "where record_table = ? and record_id = ? order by rowid", [table, record_id]).fetchall()
    page = site.page(f"/sco/{table}/{record_id}")
    assert f"Sources ({len(citations)})" in page
    sources = page.split('<ol class="sco-sources">', 1)[1].split("</ol>", 1)[0]
    items = sources.split("<li>")[1:]
    assert len(items) == len(citations)
    for item, citation in zip(items, citations, strict=True):
        href = f'/-/articles/{citation["article_id"]}?citation={citation["id"]}#L{citation["line"]}'
        assert f'href="{href}"' in item
        assert citation["evidence"] in marked_words(item)
        assert f"line {citation['line']}" in item


def test_a_quote_page_shows_the_cited_line_with_the_words_highlighted(site: Site):
    page = site.page(f"/sco/quotes/{QUOTE}")
    assert "primary source" in page
    first = page.split('<ol class="sco-sources">', 1)[1].split("</li>", 1)[0]
    assert QUOTE_WORDS in " ".join(marked_words(first))
    assert "At a meeting with Xi on Wednesday" in html.unescape(first)
    assert f'Read line {QUOTE_LINE} in the article' in first


def test_a_record_page_lists_the_discrepancies_about_it(site: Site):
    page = html.unescape(site.page("/sco/members/sco-belarus"))
    assert "Where the articles disagree about this record" in page
    assert 'href="/sco/discrepancies/' in page


def test_article_row_page_links_to_the_article_read_line_by_line(site: Site):
    page = site.page(f"/sco/articles/{QUOTE_ARTICLE}")
    assert f'<a href="/-/articles/{QUOTE_ARTICLE}">Read this article line by line</a>' in page


def test_line_row_page_links_to_its_place_and_the_records_citing_it(site: Site):
    page = site.page(f"/sco/lines/{QUOTE_ARTICLE}-L{QUOTE_LINE}")
    assert f'href="/-/articles/{QUOTE_ARTICLE}#L{QUOTE_LINE}"' in page
    assert "Records citing this line" in page
    assert f'href="/sco/quotes/{QUOTE}"' in page


def test_rows_of_other_databases_are_left_alone(tmp_path: Path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("create table quotes (id text primary key, line integer, "
                           "article_id text)")
        connection.execute("insert into quotes values ('q', 3, 'a')")
    served = Site(other)
    try:
        assert "Sources (" not in served.page("/other/quotes/q")
        assert "/-/articles/" not in served.page("/other/quotes")
        served.get("/-/articles", status=404)
    finally:
        served.close()


# ------------------------------------------------------------------ table cells


def test_two_clicks_from_home_to_every_quotes_source_line(site: Site, db: sqlite3.Connection):
    """Home → quotes table → the quote's line number opens the article at that line."""
    assert 'href="/sco/quotes"' in site.page("/")
    table = site.page("/sco/quotes?_size=max")
    for quote in db.execute("select id, article_id, line from quotes"):
        row = table.split(f'href="/sco/quotes/{quote["id"]}"', 1)[1].split("</tr>", 1)[0]
        assert f'href="/-/articles/{quote["article_id"]}#L{quote["line"]}"' in row, quote["id"]


def test_citations_table_shows_each_cited_line_with_its_evidence_marked(
        site: Site, db: sqlite3.Connection):
    page = site.page("/sco/citations?record_table=quotes&record_id=" + QUOTE)
    cells = re.findall(r'<td class="col-evidence[^"]*">(.*?)</td>', page, flags=re.S)
    citations = db.execute("select id, article_id, line, evidence from citations where "
                           "record_table = 'quotes' and record_id = ? order by id",
                           [QUOTE]).fetchall()
    assert len(cells) == len(citations) == 3
    for cell, citation in zip(cells, citations, strict=True):
        assert marked_words(cell) == [citation["evidence"]]
        assert "At a meeting with" in html.unescape(cell)
        assert (f'href="/-/articles/{citation["article_id"]}?citation={citation["id"]}'
                f'#L{citation["line"]}"') in cell


def test_citations_and_discrepancies_link_the_record_they_concern(site: Site):
    citations = site.page(f"/sco/citations?record_id={QUOTE}")
    assert f'<a href="/sco/quotes/{QUOTE}">{QUOTE}</a>' in citations
    discrepancies = site.page("/sco/discrepancies?record_table=members")
    assert '<a href="/sco/members/sco-belarus">sco-belarus</a>' in discrepancies


def test_article_titles_open_the_article_page(site: Site):
    assert f'href="/-/articles/{QUOTE_ARTICLE}"' in site.page("/sco/articles")


# ------------------------------------------------------------------ escaping


@pytest.fixture(scope="module")
def hostile_site(built_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """A copy of the database in which an article line and a quote carry markup."""
    database = tmp_path_factory.mktemp("hostile") / "sco.db"
    shutil.copy(built_db, database)
    script = '<script>alert("x")</script>'
    with sqlite3.connect(database) as connection:
        line = connection.execute("select text from lines where id = ?",
                                  [f"{QUOTE_ARTICLE}-L{QUOTE_LINE}"]).fetchone()[0]
        connection.execute("update lines set text = ? where id = ?",
                           [script + line, f"{QUOTE_ARTICLE}-L{QUOTE_LINE}"])
        # The markup falls inside the cited words (marked), and alone on an uncited line.
        connection.execute("update citations set char_end = char_end + ?, char_start = "
                           "case when char_start = 0 then 0 else char_start + ? end "
                           "where line_id = ?",
                           [len(script), len(script), f"{QUOTE_ARTICLE}-L{QUOTE_LINE}"])
        connection.execute("update lines set text = ? where id = ?",
                           [script, f"{QUOTE_ARTICLE}-L{QUOTE_LINE + 1}"])
        connection.execute("update quotes set text = ? where id = ?", [script, QUOTE])
        connection.execute("update citations set evidence = ? where id = ?",
                           [script, f"quotes-{QUOTE}-2"])
        connection.execute("update articles set title = ?, label = ? where id = ?",
                           ["<b>bold</b> " + script, "<b>bold</b> " + script, QUOTE_ARTICLE])
        # Names and titles the pictures, the search and the cite box show.
        connection.execute("update people set name = ? where id = 'vladimir-putin'",
                           ["<b>bold</b> Putin " + script])
        connection.execute("update meetings set title = ?, place = ? "
                           "where id = 'putin-xi-astana-2024-07-03'",
                           ["<b>bold</b> " + script, "<b>bold</b> " + script])
    served = Site(database)
    yield served
    served.close()


@pytest.mark.parametrize("path", [
    f"/-/articles/{QUOTE_ARTICLE}",
    "/-/articles",
    f"/sco/quotes/{QUOTE}",
    "/sco/quotes",
    f"/sco/citations?record_id={QUOTE}",
    f"/sco/lines/{QUOTE_ARTICLE}-L{QUOTE_LINE}",
    "/sco/said_by?person=putin",
    f"/sco/sources_of_record?record_table=quotes&record_id={QUOTE}",
    f"/-/articles/{QUOTE_ARTICLE}/compare/pa-putin-xi-kazakhstan-2024-07-03",
    f"/-/articles/pa-putin-xi-kazakhstan-2024-07-03/compare/{QUOTE_ARTICLE}",
    "/-/articles/pa-putin-xi-kazakhstan-2024-07-03",
    "/-/network",
    "/-/timeline",
    "/-/search?q=alert",
    "/-/search?q=putin",
    "/-/search?q=%3Cscript%3Ealert(%22x%22)%3C/script%3E%20%3Cb%3Ebold%3C/b%3E",
    "/sco/people/vladimir-putin",
    "/sco/meetings/putin-xi-astana-2024-07-03",
    "/sco/who_met_whom?person=",
])
def test_article_and_record_text_is_escaped(hostile_site: Site, path: str):
    page = hostile_site.page(path)
    assert '<script>alert("x")' not in page
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(" in page


@pytest.mark.parametrize("table", [
    "articles", "lines", "countries", "organizations", "people", "aliases", "members",
    "observers", "meetings", "meeting_participants", "attendees", "quotes", "meeting_facts",
    "discrepancies", "citations", "source_groups", "line_groups", "sentence_groups",
    "corroboration",
])
def test_every_row_page_renders(site: Site, db: sqlite3.Connection, table: str):
    """Every record's page; for the two big uniform tables, every tenth row."""
    cited = {row[0]: row[1] for row in db.execute(
        "select record_id, count(*) from citations where record_table = ? group by record_id",
        [table])}
    sample = " where rowid % 10 = 1" if table in {"lines", "citations"} else ""
    for (record_id,) in db.execute(f"select id from {table}{sample}"):
        page = site.page(f"/sco/{table}/{record_id}")
        if record_id in cited:
            assert f"Sources ({cited[record_id]})" in page, (table, record_id)
        else:
            assert "Sources (" not in page, (table, record_id)


def test_citations_with_offsets_hidden_show_the_evidence_as_plain_text(site: Site):
    page = site.page(f"/sco/citations?record_id={QUOTE}&_nocol=char_start")
    cells = re.findall(r'<td class="col-evidence[^"]*">(.*?)</td>', page, flags=re.S)
    assert len(cells) == 3 and not any("<mark" in cell for cell in cells)
