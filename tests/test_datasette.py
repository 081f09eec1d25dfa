"""Datasette serves the built database with the project's metadata."""

from __future__ import annotations

import html
import re

import pytest
import yaml

from sco_data.paths import METADATA_FILE
from sco_data.publish.datasette_compat import is_one_point_oh
from sco_data.publish.metadata import table_metadata

from .conftest import Site
from .serving import TABLE_EXTRAS, facet_results
from .test_schema import CONTRACT

TABLES = [*CONTRACT, "meeting_facts", "discrepancies"]


@pytest.fixture
def get(site: Site):
    return site.get


def test_home_page_names_the_dataset_and_its_database(get):
    page = get("/").text
    assert "SCO summit, Astana, 3–4 July 2024: a cited dataset" in html.unescape(page)
    assert 'href="/sco"' in page


def test_home_page_lists_every_table_with_its_description(get):
    page = html.unescape(get("/").text)
    for table, metadata in yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))[
            "databases"]["sco"]["tables"].items():
        if metadata.get("hidden"):
            assert f'href="/sco/{table}"' not in page
            continue
        assert f'<a href="/sco/{table}">{table}</a>: {metadata["description"]}' in page, table
    assert "Points where the articles disagree or change over time" in page


def test_database_page_lists_every_contract_table(get):
    page = get("/sco").text
    for table in TABLES:
        assert f'href="/sco/{table}"' in page, table
    assert 'href="/sco/alembic_version"' not in page.split("hidden tables")[0]


@pytest.mark.parametrize("table", TABLES)
def test_each_table_page_renders_with_its_description(get, table: str):
    page = html.unescape(get(f"/sco/{table}").text)
    description = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))["databases"]["sco"][
        "tables"][table]["description"]
    assert f"<h1>{table}</h1>" in page
    assert description in page


@pytest.mark.parametrize("table", ["members", "observers", "meetings", "attendees", "quotes",
                                   "meeting_facts", "discrepancies", "citations"])
def test_table_json_has_rows(get, table: str):
    data = get(f"/sco/{table}.json?_shape=array&_size=max").json()
    assert data and all(row["article_id"] for row in data)


def test_member_links_its_country_article_and_source_line(get):
    page = get("/sco/members?id=sco-belarus").text
    # A table page shows a key's label, its id in the tooltip.
    assert '<a href="/sco/countries/belarus" title="belarus">Belarus</a>' in page
    assert ('href="/sco/articles/ap-leaders-attend-2024-07-04" '
            'title="ap-leaders-attend-2024-07-04">AP 4 July</a>') in page
    assert 'href="/sco/lines/ap-leaders-attend-2024-07-04-L7"' in page


def test_country_row_page_links_back_to_its_membership(get):
    page = get("/sco/countries/belarus").text
    assert 'href="/sco/members?country_id=belarus"' in page


def test_line_row_page_shows_the_article_text(get):
    page = html.unescape(get("/sco/lines/ap-leaders-attend-2024-07-04-L7").text)
    assert "Belarus, joined the SCO on Thursday." in page


def test_column_descriptions_are_shown(get):
    page = html.unescape(get("/sco/members").text)
    assert "True when a line names the country among the founders" in page


def test_line_search(get):
    rows = get("/sco/lines.json?_search=Gabuev&_shape=array").json()
    assert {row["article_id"] for row in rows} == {
        "ap-leaders-meet-2024-07-03", "pa-putin-xi-kazakhstan-2024-07-03"
    }


def test_foreign_keys_show_names_not_slugs(get):
    quotes = get("/sco/quotes?id=putin-key-pillars").text
    assert ('<a href="/sco/people/vladimir-putin" title="vladimir-putin">'
            'Vladimir Putin</a>') in quotes
    assert "vladimir-putin</em>" not in quotes  # the id is not repeated after the name
    # A line's key is "L51", the line's whole id in its tooltip.
    assert ('title="ap-leaders-meet-2024-07-03-L51">L51</a>') in quotes
    attendees = get("/sco/attendees?id=ukraine-astana-2024").text
    assert '<a href="/sco/countries/ukraine" title="ukraine">Ukraine</a>' in attendees
    assert ('<a href="/sco/meetings/sco-summit-astana-2024" title="sco-summit-astana-2024">'
            'SCO summit in Astana</a>') in attendees


@pytest.mark.parametrize(("table", "sort", "facets"), [
    ("attendees", "listing_order", {"attendance", "country_id"}),
    ("quotes", "listing_order", {"person_id", "organization_id", "meeting_id"}),
    ("meetings", "listing_order", {"kind", "status", "place_name"}),
    ("citations", None, {"record_table", "article_id"}),
])
def test_tables_open_sorted_and_faceted_for_their_readers(get, table: str, sort: str | None,
                                                          facets: set[str]):
    data = get(f"/sco/{table}.json?{TABLE_EXTRAS}").json()
    assert set(facet_results(data)) == facets
    if sort:
        assert data["human_description_en"].endswith(f"sorted by {sort}")


def test_attendance_facet_counts_every_attendee(get, db):
    counts = {result["value"]: result["count"] for result in facet_results(get(
        f"/sco/attendees.json?{TABLE_EXTRAS}").json())["attendance"]["results"]}
    assert counts == dict(db.execute(
        "select attendance, count(*) from attendees group by attendance").fetchall())


@pytest.mark.parametrize(("table", "word", "expected"), [
    ("quotes", "multipolar", "putin-key-pillars"),
    ("lines", "Gabuev", "ap-leaders-meet-2024-07-03-L35"),
])
def test_full_text_search_box_on_quotes_and_lines(get, table: str, word: str, expected: str):
    assert 'name="_search"' in get(f"/sco/{table}").text
    found = [row["id"] for row in get(f"/sco/{table}.json?_search={word}&_shape=array").json()]
    assert expected in found


@pytest.mark.parametrize("path", ["/sco/quotes", "/sco/quotes/putin-key-pillars"])
def test_site_states_licence_source_and_about(get, path: str):
    page = html.unescape(get(path).text)
    assert "Data license:" in page and "CC BY 4.0" in page
    # The source: the articles table, which plain Datasette serving the release has too.
    assert '<a href="/sco/articles">' in page
    assert "About: sco_data 0.1.0" in page
    assert table_metadata()["quotes"]["description"].split(".")[0] in page


def test_table_rows_carry_the_row_address_datasette_1s_scripts_read(get):
    """The project's table template keeps Datasette 1.0's row attributes (its row menus read
    them); 0.65 gives none."""
    page = get("/sco/quotes").text
    assert ('<tr data-row="putin-key-pillars"' in page) is is_one_point_oh()


@pytest.mark.parametrize("table", ["quotes", "meetings", "citations"])
def test_column_descriptions_follow_the_columns_of_the_page(get, table: str):
    """Datasette 1.0 hands the descriptions over sorted by name; the page lists them in the
    order it shows the columns."""
    page = get(f"/sco/{table}").text
    shown = re.findall(r'<th [^>]*data-column="([^"]+)"', page)
    folded = page.split('class="sco-columns"')[1].split("</details>")[0]
    described = re.findall(r"<dt>([^<]+)</dt>", folded)
    assert described == [name for name in shown if name in described]
    assert described[0] == "id" and len(described) == len(shown)


def test_with_the_package_the_home_page_links_its_pages_instead_of_naming_them(get):
    from sco_data.publish.metadata import PACKAGE_NOTE_CLASS, PACKAGE_PAGES

    page = get("/").text
    assert PACKAGE_NOTE_CLASS not in page and "Installing the package" not in page
    for path, title, _ in PACKAGE_PAGES:
        if path != "/-/search":  # the page's own search box leads there
            assert f'<a href="{path}">{title}</a>' in page, path
        assert get(path).status_code == 200
