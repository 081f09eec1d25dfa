"""One search box for everything: people by any spelling, organizations, countries, meetings,
quotes and article lines, grouped by kind and linked."""

from __future__ import annotations

import html
import re
import sqlite3
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from .conftest import Site


def _groups(page: str) -> dict[str, list[tuple[str, str]]]:
    """Each kind's hits as (url, text) pairs, from the results page."""
    found = {}
    for section in re.findall(r'<section class="sco-search-group".*?</section>', page, re.S):
        kind = re.search(r"<h2>(.*?) \(\d+\)</h2>", section)[1]
        found[kind] = [(url, html.unescape(re.sub("<[^>]+>", "", text)))
                       for url, text in re.findall(r'<li><a href="([^"]+)">(.*?)</a>', section)]
    return found


def test_a_person_is_found_by_an_alias_and_told_which(site: Site):
    page = site.page("/-/search?q=Mokhbar")
    assert _groups(page)["People"] == [("/sco/people/mohammad-mokhber", "Mohammad Mokhber")]
    assert "also written “Mohammad Mokhbar”" in html.unescape(page)


@pytest.mark.parametrize("query", ["guterres", "GUTERRES", "António", "antonio gut"])
def test_names_match_in_any_case_with_or_without_accents(site: Site, query: str):
    assert ("/sco/people/antonio-guterres", "António Guterres") in _groups(
        site.page(f"/-/search?q={query}"))["People"]


def test_a_word_finds_the_quote_and_every_line_that_prints_it(site: Site,
                                                              db: sqlite3.Connection):
    groups = _groups(site.page("/-/search?q=multipolar"))
    assert ("/sco/quotes/putin-key-pillars",
            "one of the key pillars of a fair, multipolar world order") in groups["Quotes"]
    lines = db.execute("select article_id, line from lines where text like '%multipolar%'")
    assert sorted(url for url, _ in groups["Article lines"]) == sorted(
        f"/-/articles/{article}#L{line}" for article, line in lines)


def test_the_searched_words_are_marked_in_quotes_and_lines(site: Site):
    page = site.page("/-/search?q=multipolar")
    assert "<mark>multipolar</mark>" in page


def test_kinds_come_in_a_fixed_order_with_their_counts(site: Site, db: sqlite3.Connection):
    page = site.page("/-/search?q=astana")
    kinds = re.findall(r"<h2>(.*?) \((\d+)\)</h2>", page)
    assert [kind for kind, _ in kinds] == ["Meetings", "Quotes", "Article lines"]
    meetings = db.execute("select count(*) from meetings where title like '%astana%' "
                          "or place like '%astana%'").fetchone()[0]
    assert ("Meetings", str(meetings)) in kinds


def test_more_hits_than_shown_link_to_the_tables_own_search(site: Site):
    page = site.page("/-/search?q=putin")
    assert 'href="/sco/lines?_search=putin"' in page
    assert len(_groups(page)["Article lines"]) == 20  # not a count: the page shows 20 at most


def test_nothing_found_says_how_names_and_words_match(site: Site):
    page = html.unescape(site.page("/-/search?q=zzzzqqq"))
    assert "Nothing matches “zzzzqqq”" in page


def test_an_empty_query_shows_the_box_only(site: Site):
    page = site.page("/-/search")
    assert 'id="sco-q"' in page and "sco-search-group" not in page


@pytest.mark.parametrize("path", ["/", "/sco", "/sco/quotes", "/sco/quotes/putin-key-pillars",
                                  "/-/articles/ap-leaders-meet-2024-07-03", "/-/network",
                                  "/sco/said_by"])
def test_every_page_has_the_search_box(site: Site, path: str):
    assert '<form class="sco-header-search" action="/-/search"' in site.page(path)


def test_the_home_page_leads_with_search_and_the_pictures(site: Site):
    page = site.page("/")
    assert page.index('class="sco-home-search"') < page.index("<h2>Questions</h2>")
    assert 'href="/-/network"' in page and 'href="/-/timeline"' in page


def test_search_is_read_only(site: Site):
    response = site.loop.run_until_complete(site.datasette.client.post("/-/search?q=x"))
    assert response.status_code == 405


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_any_query_gives_a_page_with_the_query_escaped(site: Site, query: str):
    response = site.get(f"/-/search?q={quote(query)}")  # site.get asserts a 200
    if query.strip():
        assert f'value="{escape(query.strip())}"' in response.text
