"""The syndication on the site: partner lines on article pages, and two copies side by side."""

from __future__ import annotations

import re
import sqlite3

import pytest

from sco_data.expectations import dataset
from sco_data.publish.datasette_plugin.compare import EDIT, HOUSE_STYLE, align, compared

from .conftest import Site

AP = "ap-leaders-meet-2024-07-03"
VOA = "voa-xi-putin-talks-2024-07-03"
PA = "pa-putin-xi-kazakhstan-2024-07-03"
AP4 = "ap-leaders-attend-2024-07-04"

EXPECTED = dataset()


def line_block(page: str, line: int) -> str:
    start = page.index(f'id="L{line}"')
    end = page.find('<div class="sco-line', start + 1)
    return page[start:end if end > 0 else len(page)]


def test_a_line_printed_elsewhere_lists_and_links_its_partners(site: Site):
    block = line_block(site.page(f"/-/articles/{AP4}"), 39)
    partners = re.search(r'<p class="sco-partners">(.*?)</p>', block, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', partners) == [
        (f"/-/articles/{AP}#L51", "AP 3 July line 51"),
        (f"/-/articles/{PA}#L39", "PA line 39"),
    ]
    assert "(identical)" in partners


def test_every_grouped_line_and_only_those_lists_partners(site: Site, db: sqlite3.Connection):
    for article in (AP, PA, AP4, VOA):
        page = site.page(f"/-/articles/{article}")
        grouped = {row[0] for row in db.execute(
            "select line from line_groups where article_id = ?", [article])}
        listed = {int(number) for number in re.findall(
            r'id="L(\d+)">(?:(?!<div class="sco-line).)*?<p class="sco-partners">', page, re.S)}
        assert listed == grouped, article


def test_article_pages_name_their_source_group_and_link_the_comparisons(site: Site):
    page = site.page(f"/-/articles/{PA}")
    assert '<a href="/sco/source_groups/associated-press">Associated Press</a>' in page
    assert f'href="/-/articles/{PA}/compare/{AP}">compare side by side' in page
    assert f'href="/-/articles/{PA}/compare/{AP4}">compare side by side' in page
    voa = site.page(f"/-/articles/{VOA}")
    assert "No other article prints this story: it is an independent source of its own." in voa
    assert "/compare/" not in voa


def test_compare_aligns_the_copies_and_marks_house_style_and_edits(site: Site):
    page = site.page(f"/-/articles/{AP}/compare/{PA}")
    assert ("20 pairs of lines: 2 identical,\n7 in another house style, 11 edited;\n"
            "31 lines only in AP 3 July, 13 only in PA.") in page
    row = re.search(rf'<tr class="sco-row-house_style">\s*<td><a class="sco-lineno" '
                    rf'href="/-/articles/{AP}#L15">.*?</tr>', page, re.S).group(0)
    assert '<span class="sco-house">Mr</span> Putin and <span class="sco-house">Mr</span> Xi' in row
    assert '<span class="sco-house">U.S.-led</span>' in row
    row = re.search(rf'<tr class="sco-row-near">\s*<td><a class="sco-lineno" '
                    rf'href="/-/articles/{AP}#L13">.*?</tr>', page, re.S).group(0)
    assert f'href="/-/articles/{PA}#L6">6</a>' in row
    assert 'met <span class="sco-edit">on</span> Wednesday' in row


def test_compare_shows_every_non_empty_line_of_both_articles_once(site: Site,
                                                                  db: sqlite3.Connection):
    page = site.page(f"/-/articles/{AP4}/compare/{AP}?lines=all")
    shown = {}
    for article in (AP4, AP):
        shown[article] = [int(n) for n in re.findall(
            rf'class="sco-lineno" href="/-/articles/{article}#L(\d+)"', page)]
        expected = [row[0] for row in db.execute(
            "select line from lines where article_id = ? and text != '' order by line",
            [article])]
        assert sorted(shown[article]) == expected
    # The left-hand article reads in order; AP's 4 July follow-up reorders paragraphs of the
    # 3 July report, so the right-hand side follows its partners.
    assert shown[AP4] == sorted(shown[AP4])


@pytest.mark.parametrize(("path", "status", "message"), [
    (f"/-/articles/{AP}/compare/{VOA}", 404, "are not two articles of one source group"),
    (f"/-/articles/{AP}/compare/{AP}", 404, "are not two articles of one source group"),
    (f"/-/articles/{AP}/compare/no-such-article", 404, "There is no article"),
])
def test_compare_refuses_what_it_cannot_compare(site: Site, path: str, status: int,
                                                message: str):
    response = site.get(path, status=status)
    assert message in response.text.replace("&#39;", "'")


def test_compare_shows_the_shared_lines_unless_asked_for_all(site: Site):
    page = site.page(f"/-/articles/{AP}/compare/{PA}")
    assert page.count("<tr class=") == EXPECTED["compare_ap_pa"]["both"]
    assert "<tr class=\"sco-row-left_only" not in page
    assert "<tr class=\"sco-row-right_only" not in page
    assert f'href="/-/articles/{AP}/compare/{PA}?lines=all">Show every line</a>' in page
    everything = site.page(f"/-/articles/{AP}/compare/{PA}?lines=all")
    assert everything.count("<tr class=") == sum(EXPECTED["compare_ap_pa"].values())
    assert f'href="/-/articles/{AP}/compare/{PA}">Show only the lines both print</a>' in everything


def test_compare_is_read_only(site: Site):
    response = site.loop.run_until_complete(
        site.datasette.client.post(f"/-/articles/{AP}/compare/{PA}"))
    assert response.status_code == 405


def test_compared_marks_a_dropped_clause_as_one_edit():
    left, right = compared("Also present will be U.N. Secretary-General António Guterres.",
                           "Also present was UN Secretary-General Antonio Guterres.")
    assert f'<span class="{EDIT}">will be</span>' in left
    assert f'<span class="{EDIT}">was</span>' in right
    assert f'<span class="{HOUSE_STYLE}">U.N</span>.' in left  # the word, not the full stop
    assert f'<span class="{HOUSE_STYLE}">Antonio</span>' in right
    assert compared("Same words.", "Same words.") == ("Same words.", "Same words.")


def test_align_keeps_each_sides_lines_once_and_in_reading_order():
    left = [(1, "a", None), (3, "b", "g1"), (5, "c", "g2"), (7, "d", None)]
    right = [(2, "x", None), (4, "c", "g2"), (6, "b", "g1"), (8, "y", None)]
    rows = align(left, right)
    assert [row.left.line for row in rows if row.left] == [1, 3, 5, 7]
    assert sorted(row.right.line for row in rows if row.right) == [2, 4, 6, 8]
    pairs = [(row.left.line, row.right.line) for row in rows if row.left and row.right]
    assert pairs == [(3, 6), (5, 4)]
