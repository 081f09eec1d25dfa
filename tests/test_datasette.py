"""Datasette serves the built database with the project's metadata."""

from __future__ import annotations

import html

import pytest
import yaml

from sco_data.paths import METADATA_FILE

from .conftest import Site
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
    assert '<a href="/sco/countries/belarus">Belarus</a>' in page
    assert 'href="/sco/articles/ap-leaders-attend-2024-07-04"' in page
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
