"""Coverage: per article, what the records cite and what they leave uncited, in the CLI and on
the site."""

from __future__ import annotations

import sqlite3

import pytest

from sco_data.publish.coverage import read_coverage

from .conftest import Site, Workspace

# (lines, non-empty, cited, quoted spans, quotes' appearances, with a reason, declared not
# cited), and the non-empty lines no record cites: menus, headings, photo credits, and the few
# sentences that state no record's fact.
PINNED = {
    "ap-leaders-meet-2024-07-03": (
        (102, 51, 32, 15, 14, 1, 0),
        [1, 2, 3, 7, 9, 17, 23, 27, 37, 41, 45, 53, 63, 73, 79, 85, 95, 100, 102]),
    "dedovic-putin-key-meetings-2024-07-03": ((51, 27, 22, 10, 8, 2, 0), [7, 31, 41, 43, 51]),
    "pa-putin-xi-kazakhstan-2024-07-03": ((59, 33, 29, 11, 7, 4, 0), [25, 30, 36, 41]),
    "voa-xi-putin-talks-2024-07-03": (
        (72, 39, 26, 13, 13, 0, 0), [1, 3, 7, 28, 30, 35, 45, 55, 63, 69, 70, 71, 72]),
    "ap-leaders-attend-2024-07-04": ((54, 28, 24, 9, 9, 0, 0), [33, 35, 52, 54]),
}


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
    assert ("ap-leaders-attend-2024-07-04: Leaders of Russia, China attend summit of regional "
            "security grouping\n  54 lines, 28 non-empty, 24 cited by a record (86% of the "
            "non-empty)\n  9 quoted spans: 9 quotes' appearances, 0 with a curated reason\n"
            "  0 lines declared not cited\n  4 non-empty lines no record cites:\n"
            "     33  Putin also thanked SCO members for their proposals") in out
    assert "     52  Log in to your WTOP account for notifications" in out
    assert out.rstrip().endswith(
        "all 5 articles: 338 lines, 178 non-empty, 133 cited; 58 quoted spans (51 quotes, 7 "
        "with a reason); 0 declared not cited")
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


@pytest.mark.parametrize("path", ["/", "/-/articles"])
def test_coverage_is_linked(site: Site, path: str):
    assert 'href="/-/coverage"' in site.page(path)
