"""Coverage: per article, what the records cite and what they leave uncited, in the CLI and on
the site."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_data.expectations import coverage, dataset
from sco_data.publish.coverage import (
    ArticleCoverage,
    UncitedLine,
    read_coverage,
    render_text,
    uncited_summary,
)
from sco_data.publish.page_furniture import PATTERNS, furniture

from .conftest import Site, Workspace
from .fuzzing import fuzz_settings

# Per article: (lines, non-empty, cited, quoted spans, quotes' appearances, with a reason,
# declared not cited), and the non-empty lines no record cites.
PINNED = {article: (tuple(pinned["counts"]), pinned["uncited"])
          for article, pinned in coverage().items()}
# Per article, the uncited lines that are statements; the rest of its uncited lines are page
# furniture.
STATEMENTS = {article: pinned["statements"] for article, pinned in coverage().items()}
FURNITURE = {article: [line for line in uncited if line not in STATEMENTS[article]]
             for article, (_, uncited) in PINNED.items()}
TOTAL_STATEMENTS = dataset()["uncited_statements"]
TOTAL_FURNITURE = dataset()["uncited_furniture"]
AP4 = "ap-leaders-attend-2024-07-04"

CITED_LINES_SQL = """
select distinct lines.article_id, lines.line, lines.text from lines
join citations on citations.article_id = lines.article_id and citations.line = lines.line
"""


def test_coverage_per_article_is_pinned(db: sqlite3.Connection):
    report = {article.id: article for article in read_coverage(db)}
    assert list(report) == list(PINNED)  # by date, then id
    for article_id, (counts, uncited) in PINNED.items():
        article = report[article_id]
        assert (article.lines, article.non_empty, article.cited, article.quoted_spans,
                article.quotes, article.reasons, article.not_cited) == counts, article_id
        assert [line.line for line in article.uncited] == uncited, article_id
        assert [line.line for line in article.statements] == STATEMENTS[article_id], article_id
        assert [line.line for line in article.furniture] == FURNITURE[article_id], article_id
        assert article.quotes + article.reasons == article.quoted_spans
    assert sum(len(article.statements) for article in report.values()) == TOTAL_STATEMENTS
    assert sum(len(article.furniture) for article in report.values()) == TOTAL_FURNITURE


def test_coverage_command_prints_counts_and_uncited_lines(workspace: Workspace, capsys):
    assert workspace.build("coverage") == 0
    out = capsys.readouterr().out
    (lines, non_empty, cited, spans, quotes, reasons, declared), uncited = PINNED[AP4]
    assert (f"{AP4}: Leaders of Russia, China attend summit of regional security grouping\n"
            f"  {lines} lines, {non_empty} non-empty, {cited} cited by a record "
            f"({cited / non_empty:.0%} of the non-empty)\n"
            f"  {spans} quoted spans: {quotes} quotes' appearances, {reasons} with a curated "
            f"reason\n  {declared} lines declared not cited\n"
            f"  {len(uncited)} non-empty lines no record cites: {len(STATEMENTS[AP4])} "
            f"statements, {len(FURNITURE[AP4])} page furniture\n"
            f"  {len(STATEMENTS[AP4])} statements no record cites:\n"
            f"  {uncited[0]:>5}  Putin also thanked SCO members for their proposals") in out
    assert (f"  {len(FURNITURE[AP4])} lines of page furniture:\n"
            "     52  [account prompt] Log in to your WTOP account for notifications") in out
    for article_id, (_, uncited) in PINNED.items():
        assert (f"  {len(uncited)} non-empty lines no record cites: "
                f"{len(STATEMENTS[article_id])} statements, {len(FURNITURE[article_id])} page "
                "furniture\n") in out, article_id
    totals = [sum(counts[index] for counts, _ in PINNED.values()) for index in range(7)]
    with_statements = sum(1 for lines in STATEMENTS.values() if lines)
    assert out.rstrip().endswith(
        f"all {len(PINNED)} articles: {totals[0]} lines, {totals[1]} non-empty, {totals[2]} "
        f"cited; {totals[3]} quoted spans ({totals[4]} quotes, {totals[5]} with a reason); "
        f"{totals[6]} declared not cited\n"
        f"{TOTAL_STATEMENTS} statements no record cites, in {with_statements} articles; "
        f"{TOTAL_FURNITURE} lines of page furniture")
    assert "0 statements uncited" not in out
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


# Page furniture: which uncited lines state nothing, and which are statements no record covers.


def test_every_furniture_pattern_sorts_some_uncited_line(db: sqlite3.Connection):
    """No dead pattern: each is the one that sorts at least one real uncited line (a pattern an
    earlier one always pre-empts is dead too)."""
    sorted_by = {line.furniture for article in read_coverage(db) for line in article.uncited}
    assert [pattern.name for pattern in PATTERNS if pattern.name not in sorted_by] == []
    assert len({pattern.name for pattern in PATTERNS}) == len(PATTERNS)


def test_no_cited_line_is_page_furniture(db: sqlite3.Connection):
    """A line a record cites states something: no pattern may match it, first or not."""
    cited = db.execute(CITED_LINES_SQL).fetchall()
    assert cited
    matched = [(article, line, pattern.name) for article, line, text in cited
               for pattern in PATTERNS if pattern.regex.fullmatch(text.strip())]
    assert matched == []


def test_known_substantive_lines_are_statements(db: sqlite3.Connection):
    """Reporting that no record covers yet is counted as a statement, never as page debris."""
    uncited = {(article.id, line.line): line for article in read_coverage(db)
               for line in article.uncited}
    for words in ("have met about 40 times", "International Criminal Court",
                  "of the world's population", "Putin also thanked SCO members"):
        places = [place for place in db.execute(
            "select article_id, line from lines where instr(text, ?) > 0", (words,))
            if tuple(place) in uncited]
        assert places, words
        assert all(uncited[tuple(place)].furniture is None for place in places), words


@fuzz_settings(short=60, long=600)
@given(choice=st.data(),
       sentence=st.from_regex(r"[A-Z][a-z]{1,9}(?: [a-z]{1,9}){2,8}[.!?]", fullmatch=True),
       mark=st.sampled_from(['"', "“", "”"]))
def test_reporting_on_a_furniture_line_makes_it_a_statement(
        db: sqlite3.Connection, choice: st.DataObject, sentence: str, mark: str):
    """No pattern swallows reporting sharing a line with furniture: a sentence before or after a
    real furniture line, or a quotation mark within it, leaves no pattern matching."""
    lines = [line.text for article in read_coverage(db) for line in article.furniture]
    text = choice.draw(st.sampled_from(lines)).strip()
    at = choice.draw(st.integers(0, len(text)))
    for variant in (f"{text} {sentence}", f"{sentence} {text}", text[:at] + mark + text[at:]):
        assert furniture(variant) is None, variant


def test_furniture_ignores_outer_spaces_only():
    bullet = next(pattern for pattern in PATTERNS if pattern.name == "image options")
    assert furniture("  \u2022 16x9 Image") is bullet
    assert furniture("16x9 Image of the summit") is None


def _report(statements: list[str], debris: list[str]) -> list[ArticleCoverage]:
    lines = [UncitedLine(number, text, None) for number, text in enumerate(statements, 1)]
    lines += [UncitedLine(number, text, "separator")
              for number, text in enumerate(debris, len(lines) + 1)]
    return [ArticleCoverage("an-article", "A title", 9, 9, 9 - len(lines), 0, 0, 0, 0, lines)]


def test_the_summary_claims_no_uncited_statement_only_when_true():
    assert uncited_summary(_report([], ["--", "---"])) == (
        "0 statements uncited: every non-empty line no record cites is page furniture "
        "(2 lines of page furniture)")
    assert uncited_summary(_report(["A sentence."], ["--"])) == (
        "1 statement no record cites, in 1 article; 1 line of page furniture")
    text = render_text(_report(["A sentence."], ["--"]))
    assert "0 statements uncited" not in text
    assert ("  1 statements no record cites:\n      1  A sentence.\n"
            "  1 lines of page furniture:\n      2  [separator] --\n") in text


def test_coverage_page_lists_uncited_statements_first_then_the_furniture(site: Site):
    html = site.page("/-/coverage")
    with_statements = sum(1 for lines in STATEMENTS.values() if lines)
    assert (f"{TOTAL_STATEMENTS} statements no record cites, in {with_statements} articles; "
            f"{TOTAL_FURNITURE} lines of page furniture</a>") in html
    assert "0 statements uncited" not in html
    # Both counts per article and in total, in the table.
    for article_id in PINNED:
        assert (f'<td class="sco-statements-count"><a href="#uncited-{article_id}">'
                f"{len(STATEMENTS[article_id])}</a></td>") in html, article_id
        assert (f'<td class="sco-furniture-count"><a href="#furniture-{article_id}">'
                f"{len(FURNITURE[article_id])}</a></td>") in html, article_id
    assert f'<td class="sco-statements-count">{TOTAL_STATEMENTS}</td>' in html
    assert f'<td class="sco-furniture-count">{TOTAL_FURNITURE}</td>' in html
    # The statements come first, each linked to its line; the furniture after, folded away, each
    # line with the pattern it matches.
    statements = html[html.index('id="uncited-statements"'):html.index('id="page-furniture"')]
    debris = html[html.index('id="page-furniture"'):html.index('id="partners"')]
    for article_id in PINNED:
        for line in STATEMENTS[article_id]:
            link = f'href="/-/articles/{article_id}#L{line}">{line}</a>'
            assert link in statements and link not in debris, (article_id, line)
        for line in FURNITURE[article_id]:
            link = f'href="/-/articles/{article_id}#L{line}">{line}</a>'
            assert link in debris and link not in statements, (article_id, line)
        assert f'<details class="sco-furniture" id="furniture-{article_id}">' in debris
    assert "[question heading]</span> What are their goals?" in debris
