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
                                  "/sco/said_by", "/-/search?q=xi"])
def test_every_page_has_one_search_box(site: Site, path: str):
    """In the header, or the page's own where it has one (the home and search pages)."""
    page = site.page(path)
    forms = re.findall(r'<form class="(sco-[\w-]+-search)" action="/-/search"', page)
    own = path == "/" or path.startswith("/-/search")
    assert forms == (["sco-home-search"] if own else ["sco-header-search"])


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


# --- Who is who: a name leads to its bearer's records ------------------------------------------


def _ids(group_hits: list[tuple[str, str]], table: str) -> list[str]:
    return [url.rsplit("/", 1)[1] for url, _ in group_hits if url.startswith(f"/sco/{table}/")]


def test_a_short_name_finds_its_bearers_quotes_and_meetings_before_other_words(
        site: Site, db: sqlite3.Connection):
    page = site.page("/-/search?q=Xi")
    kinds = [kind for kind, _ in re.findall(r"<h2>(.*?) \((\d+)\)</h2>", page)]
    assert kinds.index("People") < kinds.index("Meetings") < kinds.index("Quotes") < kinds.index(
        "Article lines")
    groups = _groups(page)
    said = {row[0] for row in db.execute("select id from quotes where person_id = 'xi-jinping'")}
    quotes = _ids(groups["Quotes"], "quotes")
    assert said and set(quotes[:len(said)]) == said  # his own words first, then other matches
    met = {row[0] for row in db.execute(
        "select meeting_id from meeting_participants where person_id = 'xi-jinping'")}
    assert met <= set(_ids(groups["Meetings"], "meetings"))
    assert "xi-jinping-astana-2024" in _ids(groups["Attendees"], "attendees")


def test_several_names_find_what_they_share_first(site: Site, db: sqlite3.Connection):
    shared = {row[0] for row in db.execute(
        "select meeting_id from meeting_participants where person_id = 'vladimir-putin' "
        "intersect select meeting_id from meeting_participants where person_id = 'xi-jinping'")}
    assert "putin-xi-astana-2024-07-03" in shared
    meetings = _ids(_groups(site.page("/-/search?q=putin+xi"))["Meetings"], "meetings")
    assert set(meetings[:len(shared)]) == shared
    assert len(meetings) > len(shared)  # then each one's own meetings


def test_an_alias_or_a_misspelling_leads_to_the_persons_meetings(site: Site):
    for query in ("Mokhbar", "Mokhber", "mokhbr"):
        groups = _groups(site.page(f"/-/search?q={query}"))
        assert _ids(groups["People"], "people") == ["mohammad-mokhber"], query
        assert "putin-mokhber-astana-2024-07-04" in _ids(groups["Meetings"], "meetings"), query


def test_a_misspelling_is_said_to_be_one(site: Site):
    assert "closest to “erdgan”" in html.unescape(site.page("/-/search?q=erdgan"))


def test_a_word_the_articles_print_is_not_taken_for_a_misspelt_name(site: Site):
    page = html.unescape(site.page("/-/search?q=astana"))
    assert "closest to" not in page and "People" not in _groups(page)


def test_a_country_finds_its_people_standing_and_meetings(site: Site, db: sqlite3.Connection):
    groups = _groups(site.page("/-/search?q=china"))
    people = {row[0] for row in db.execute("select id from people where country_id = 'china'")}
    assert people <= set(_ids(groups["People"], "people"))
    assert "sco-china" in _ids(groups["Members"], "members")
    assert "putin-xi-astana-2024-07-03" in _ids(groups["Meetings"], "meetings")


def test_an_organization_finds_its_members(site: Site, db: sqlite3.Connection):
    groups = _groups(site.page("/-/search?q=Shanghai+Cooperation"))
    members = db.execute("select count(*) from members where organization_id = 'sco'").fetchone()
    assert len(_ids(groups["Members"], "members")) == members[0]


@pytest.mark.parametrize("query", ["Xi", "putin xi", "Mokhbar", "mokhbr", "china", "SCO",
                                   "multipolar", "Erdoğan", "guterres astana", "zzzzqqq"])
def test_python_search_gives_the_pages_results(site: Site, query: str):
    import sco_data

    page = site.page(f"/-/search?q={quote(query)}")
    shown = {kind: [url for url, _ in hits] for kind, hits in _groups(page).items()}
    counts = dict(re.findall(r"<h2>(.*?) \((\d+)\)</h2>", page))
    found = sco_data.search(query)
    assert [group.title for group in found] == list(shown)
    for group in found:
        assert str(group.total) == counts[group.title]
        assert [_address(hit) for hit in group.hits] == shown[group.title]


def _address(hit) -> str:
    if hit.table == "lines":
        return f"/-/articles/{hit.article_id}#L{hit.line}"
    return f"/sco/{hit.table}/{hit.id}"


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_query_finds_only_records_that_exist(query: str):
    import sco_data
    from sco_data import searching

    connection = sco_data.connect()
    try:
        for group in searching.search(connection, query):
            assert 0 < len(group.hits) <= min(group.total, searching.SHOWN)
            for hit in group.hits:
                assert connection.execute(f"select 1 from {hit.table} where id = ?",
                                          (hit.id,)).fetchone(), hit
                for start, end in hit.marks:
                    assert 0 <= start < end <= len(hit.label)
    finally:
        connection.close()


def test_little_words_between_names_name_no_one(site: Site):
    """"and" stands in "Center for Strategic and International Studies", but names no one."""
    groups = _groups(site.page("/-/search?q=xi+and+putin"))
    assert _ids(groups["People"], "people") == ["vladimir-putin", "xi-jinping"]
    assert "Organizations" not in groups or all(
        "Strategic" not in text for _, text in groups["Organizations"])
