"""Coverage: per article, what the records cite and what they leave uncited, in the CLI and on
the site."""

from __future__ import annotations

import sqlite3

import pytest

from sco_data.expectations import coverage
from sco_data.publish.coverage import read_coverage

from .conftest import Site, Workspace

# Per article: (lines, non-empty, cited, quoted spans, quotes' appearances, with a reason,
# declared not cited), and the non-empty lines no record cites.
PINNED = {article: (tuple(pinned["counts"]), pinned["uncited"])
          for article, pinned in coverage().items()}
AP4 = "ap-leaders-attend-2024-07-04"


def test_coverage_per_article_is_pinned(db: sqlite3.Connection):
    report = {article.id: article for article in read_coverage(db)}
    assert list(report) == list(PINNED)  # by date, then id
    for article_id, (counts, uncited) in PINNED.items():
        article = report[article_id]
        assert (article.lines, article.non_empty, article.cited, article.quoted_spans,
                article.quotes, article.reasons, article.not_cited) == counts, article_id
        assert [line.line for line in article.uncited] == uncited, article_id
        assert article.quotes + article.reasons == article.quoted_spans


def test_coverage_command_prints_counts_and_uncited_lines(workspace: Workspace, capsys):
    assert workspace.build("coverage") == 0
    out = capsys.readouterr().out
    (lines, non_empty, cited, spans, quotes, reasons, declared), uncited = PINNED[AP4]
    assert (f"{AP4}: Leaders of Russia, China attend summit of regional security grouping\n"
            f"  {lines} lines, {non_empty} non-empty, {cited} cited by a record "
            f"({cited / non_empty:.0%} of the non-empty)\n"
            f"  {spans} quoted spans: {quotes} quotes' appearances, {reasons} with a curated "
            f"reason\n  {declared} lines declared not cited\n"
            f"  {len(uncited)} non-empty lines no record cites:\n"
            f"  {uncited[0]:>5}  Putin also thanked SCO members for their proposals") in out
    assert "     52  Log in to your WTOP account for notifications" in out
    totals = [sum(counts[index] for counts, _ in PINNED.values()) for index in range(7)]
    assert out.rstrip().endswith(
        f"all {len(PINNED)} articles: {totals[0]} lines, {totals[1]} non-empty, {totals[2]} "
        f"cited; {totals[3]} quoted spans ({totals[4]} quotes, {totals[5]} with a reason); "
        f"{totals[6]} declared not cited")
    assert workspace.output.is_file()


def test_coverage_page_links_each_uncited_line_to_the_article(site: Site):
    html = site.page("/-/coverage")
    assert "<h1>Coverage: what the records cite</h1>" in html
    for article_id, (_, uncited) in PINNED.items():
        assert f'id="uncited-{article_id}"' in html
        for line in uncited:
            assert f'href="/-/articles/{article_id}#L{line}">{line}</a>' in html, (article_id, line)
    assert "<td>102</td><td>51</td>" in html
    assert 'href="/sco/quoted_spans"' in html and 'href="/sco/not_cited"' in html


def test_coverage_page_lists_records_citing_a_partner_but_not_the_line(
        site: Site, db: sqlite3.Connection):
    html = site.page("/-/coverage")
    pa = "pa-putin-xi-kazakhstan-2024-07-03"
    assert f'id="partners-{pa}"' in html
    # Every declared partner line is listed with its record, the partner it cites and why.
    declared = db.execute("select record_table, record_id, article_id, line, reason "
                          "from not_cited").fetchall()
    assert declared
    for table, record, article, line, reason in declared:
        assert f'href="/-/articles/{article}#L{line}">{line}</a>' in html
        assert f"{table}/{record}</a>" in html, (table, record)
        assert reason.replace("'", "&#39;") in html, reason


@pytest.mark.parametrize("path", ["/", "/-/articles"])
def test_coverage_is_linked(site: Site, path: str):
    assert 'href="/-/coverage"' in site.page(path)
