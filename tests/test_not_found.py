"""A mistyped record, table or article answers 404 with the closest ones that exist, each a link
to the page that was meant, and a search for what was typed; the same as JSON for a ``.json``
address; and never a 500, whatever the address holds."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from datasette.utils import tilde_encode
from hypothesis import given
from hypothesis import strategies as st

from sco_data.api.names import close_ids

from .conftest import Site
from .fuzzing import fuzz_settings

PERSON = "vladimir-putin"
QUOTE = "putin-key-pillars"
ARTICLE = "ap-leaders-meet-2024-07-03"
OTHER_ARTICLE = "voa-xi-putin-talks-2024-07-03"


def links(page: str) -> list[str]:
    """The links of the error box of Datasette's error page, unescaped."""
    box = re.search(r'<div style="[^"]*border: 3px solid red;">(.*?)</div>', page, re.S)
    assert box, page[-2000:]
    return [html.unescape(url) for url in re.findall(r'<a href="([^"]*)"', box[1])]


def suggested(site: Site, path: str) -> list[str]:
    page = site.get(path, status=404).text
    return links(page)


def json_404(site: Site, path: str) -> dict[str, Any]:
    response = site.get(path, status=404)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["ok"] is False and body["status"] == 404
    return body


def test_a_mistyped_record_links_the_closest_record_and_a_search(site: Site):
    page = site.get("/sco/people/vladimir-putn", status=404).text
    assert "<h1>Record not found</h1>" in page
    assert "There is no record <code>vladimir-putn</code>" in page
    assert links(page) == ["/sco/people", f"/sco/people/{PERSON}", "/-/search?q=vladimir+putn"]
    assert "Vladimir Putin" in page  # the suggestion's label
    # The page keeps the site's look: its header and the search box in it.
    assert 'class="sco-header-search"' in page


def test_a_word_of_an_id_finds_the_records_it_names(site: Site):
    """The matcher ranks the words of ids too; a word is no address, its records are."""
    assert f"/sco/people/{PERSON}" in suggested(site, "/sco/people/putn")


def test_the_suggestions_are_the_python_apis(site: Site):
    ids = [row["id"] for row in site.rows("/sco/quotes.json?_col=id")]
    wanted = close_ids("putin-key-pilars", ids)
    assert wanted and wanted[0] == QUOTE
    found = suggested(site, "/sco/quotes/putin-key-pilars")
    assert found[1:-1] == [f"/sco/quotes/{name}" for name in wanted]


def test_a_mistyped_record_as_json_carries_the_suggestions(site: Site):
    body = json_404(site, "/sco/people/vladimir-putn.json")
    assert "did you mean 'vladimir-putin'?" in body["error"]
    assert body["suggestions"] == [{"id": PERSON, "label": "Vladimir Putin",
                                    "url": f"/sco/people/{PERSON}.json"}]
    assert body["search_url"] == "/-/search?q=vladimir+putn"


def test_the_search_link_answers(site: Site):
    assert site.get("/-/search?q=vladimir+putn").status_code == 200


def test_a_mistyped_table_suggests_the_table(site: Site):
    page = site.get("/sco/quotez", status=404).text
    assert "<h1>Table not found</h1>" in page
    found = links(page)
    assert found[0] == "/sco" and found[1] == "/sco/quotes"
    assert found[-1] == "/-/search?q=quotez"
    body = json_404(site, "/sco/quotez.json")
    assert body["suggestions"][0] == {"table": "quotes", "label": None, "url": "/sco/quotes.json"}


def test_a_row_page_of_a_mistyped_table_links_the_row_in_the_right_one(site: Site):
    """Datasette 0.65 answers this 400 ("no such table"), 1.0 404: both are a 404 here."""
    assert f"/sco/people/{PERSON}" in suggested(site, f"/sco/peeple/{PERSON}")


def test_a_mistyped_article_suggests_the_article(site: Site):
    page = site.get("/-/articles/ap-leaders-meat-2024-07-03", status=404).text
    assert "<h1>Article not found</h1>" in page
    assert f"/-/articles/{ARTICLE}" in links(page)


def test_a_mistyped_article_in_a_comparison_keeps_the_other(site: Site):
    found = suggested(site, f"/-/articles/{OTHER_ARTICLE}/compare/ap-leaders-meet-2024-07-3")
    assert f"/-/articles/{OTHER_ARTICLE}/compare/{ARTICLE}" in found


def test_a_comparison_of_two_existing_articles_keeps_its_own_message(site: Site):
    page = site.get(f"/-/articles/{ARTICLE}/compare/{ARTICLE}", status=404).text
    assert "are not two articles of one source group" in html.unescape(page)
    assert "Did you mean" not in page


def test_a_mistyped_record_source_suggests_the_record_in_the_same_format(site: Site):
    body = json_404(site, "/-/records/quotes/putin-key-pilars.json")
    assert body["suggestions"][0]["url"] == f"/-/records/quotes/{QUOTE}.json"
    assert "did you mean 'putin-key-pillars'" in body["error"]
    assert f"/-/records/quotes/{QUOTE}.bib" in suggested(
        site, "/-/records/quotez/putin-key-pillars.bib")


def test_an_id_holding_markup_and_quotes_is_escaped(site: Site):
    typed = '<script>alert("x")</script>\'"&'
    page = site.get(f"/sco/people/{tilde_encode(typed)}", status=404).text
    assert "<script>alert" not in page
    code = re.search(r"There is no record <code>(.*?)</code>", page, re.S)
    assert code and html.unescape(code[1]) == typed and '"' not in code[1]
    search = links(page)[-1]
    assert search.startswith("/-/search?q=") and '"' not in search and "<" not in search


def test_an_unknown_database_keeps_datasettes_404(site: Site):
    page = site.get("/nope/people/vladimir-putn", status=404).text
    assert "Did you mean" not in page and "Database not found" in page


# Addresses of each kind of page, with a place for what is typed.
PAGES = ["/sco/people/{}", "/sco/{}", "/-/articles/{}", f"/-/articles/{ARTICLE}/compare/{{}}",
         "/-/records/quotes/{}.json", "/-/records/{}/x.bib"]


@pytest.mark.parametrize("page", PAGES)
@fuzz_settings(short=15, long=300)
@given(typed=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                     min_size=1, max_size=40))
def test_any_mistyped_address_is_a_404_that_shows_what_was_typed(site: Site, page: str,
                                                                  typed: str):
    response = site.loop.run_until_complete(site.client.get(page.format(tilde_encode(typed))))
    assert response.status_code in (200, 404), (typed, response.text[:500])
    if response.status_code == 404 and not page.endswith(".json"):
        code = re.search(r"There is no \w+ <code>(.*?)</code>", response.text, re.S)
        assert code and html.unescape(code[1]) == typed
