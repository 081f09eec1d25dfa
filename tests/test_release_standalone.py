"""The release stands alone: metadata for plain Datasette, a codebook, licences, a citation
file, Parquet and W3C annotations, each checked against the database."""

from __future__ import annotations

import contextlib
import html
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import jsonschema
import pyarrow.parquet as pq
import pytest
import yaml

from sco_data.expectations import dataset
from sco_data.paths import ROOT
from sco_data.publish.canned_queries import CANNED_QUERIES
from sco_data.publish.codebook import SERVE_COMMANDS
from sco_data.publish.datasette_compat import line
from sco_data.publish.metadata import FACET_SIZE, INTERNAL_COLUMNS, PACKAGE_PAGES, table_metadata

from .serving import TABLE_EXTRAS, facet_results
from .test_release import TABLES, cut_release

SCHEMA = Path(__file__).parent / "data" / "citation-file-format-1.2.0.schema.json"

EXPECTED = dataset()


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("standalone") / "dist"
    assert cut_release(folder) == 0
    return folder


@pytest.fixture(scope="module")
def database(dist: Path):
    connection = sqlite3.connect(dist / "sco.db")
    yield connection
    connection.close()


# --------------------------------------------------------------------------- plain Datasette


# Datasette as a downloader runs it, without this package's plugin (unregistered before the CLI).
PLAIN_DATASETTE = ("import sys; from datasette.plugins import pm; "
                   "pm.unregister(pm.get_plugin('sco_data')); "
                   "from datasette.cli import cli; sys.argv[0] = 'datasette'; cli()")


def plain_datasette_get(dist: Path, paths: list[str]) -> dict[str, tuple[int, str]]:
    """The codebook's command for the installed line of Datasette (``datasette sco.db -m
    metadata.json``, with ``-c datasette.yaml`` on 1.0) over HTTP on 127.0.0.1, the project's
    plugin not loaded; each path fetched. The server stops after, or by itself within two
    minutes."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = SERVE_COMMANDS[line()].split()
    assert command[:2] == ["datasette", "sco.db"]
    server = subprocess.Popen(
        ["timeout", "120", sys.executable, "-c", PLAIN_DATASETTE, "serve", *command[1:],
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=dist, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                plugins = json.loads(urllib.request.urlopen(f"{base}/-/plugins.json").read())
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, \
                    server.stderr.read().decode() if server.stderr else ""
                time.sleep(0.2)
        assert not any(item["name"] == "sco_data" for item in plugins)
        found = {}
        for path in paths:
            try:
                with urllib.request.urlopen(base + path) as response:
                    found[path] = (response.status, response.read().decode())
            except urllib.error.HTTPError as error:
                found[path] = (error.code, "")
        return found
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_plain_datasette_shows_descriptions_labels_facets_and_queries(dist: Path):
    queries = [f"/sco/{name}" for name in CANNED_QUERIES]
    # Datasette 1.0 lists the first few saved queries on the database page, all at /-/queries.
    listing = ["/sco/-/queries.json"] if line() == "1.0" else []
    pages = plain_datasette_get(dist, ["/sco", "/sco/quotes", "/sco/people/vladimir-putin",
                                       "/sco/attendees", f"/sco/attendees.json?{TABLE_EXTRAS}",
                                       *listing, *queries])
    answered = {path: status for path, (status, _) in pages.items()}
    assert all(status == 200 for status in answered.values()), answered
    database = pages["/sco"][1]
    assert 'href="/sco/alembic_version"' not in database  # hidden
    quotes = html.unescape(pages["/sco/quotes"][1])
    description = table_metadata()["quotes"]["description"]
    assert description.split(".")[0] in quotes
    assert "Vladimir Putin" in quotes  # person_id shown with its label
    assert "person_id" in quotes and "Exactly the words inside the quotation marks" in quotes
    assert "sorted by listing_order" in quotes
    # The licence and the source on every table, not only the home page.
    assert "CC BY 4.0" in quotes and "Five news articles" in quotes
    # Plain Datasette 1.0 renders row pages with no metadata at all (the plugin restores it).
    row = html.unescape(pages["/sco/people/vladimir-putin"][1])
    assert ("CC BY 4.0" in row) is (line() == "0.65")
    assert "Vladimir Putin" in row
    # Facets as configured, each listing at most FACET_SIZE values.
    facets = facet_results(json.loads(pages[f"/sco/attendees.json?{TABLE_EXTRAS}"][1]))
    assert set(facets) == {"attendance", "country_id"}
    assert all(len(facet["results"]) <= FACET_SIZE for facet in facets.values())
    assert facets["country_id"]["truncated"]
    assert "attended" in pages["/sco/attendees"][1]
    # Every saved query: listed, and opening with its title and description.
    for name, query in CANNED_QUERIES.items():
        page = html.unescape(pages[f"/sco/{name}"][1])
        assert query["title"] in page and query["description"] in page, name
    if listing:
        listed = json.loads(pages[listing[0]][1])["queries"]
        assert {query["name"] for query in listed} == set(CANNED_QUERIES)
    else:
        assert all(query["title"] in html.unescape(database) for query in CANNED_QUERIES.values())


# --------------------------------------------------------------------------- documents


def test_the_codebook_describes_every_table_and_column(dist: Path, database):
    codebook = (dist / "README.md").read_text(encoding="utf-8")
    for table in TABLES:
        assert f"### `{table}`" in codebook, table
        for row in database.execute(f'pragma table_info("{table}")'):
            assert f"| `{row[1]}` |" in codebook, (table, row[1])
    assert "CC BY 4.0" in codebook and "remain their publishers'" in codebook
    for command in SERVE_COMMANDS.values():
        assert command in codebook
    assert "pip install sco-data" in codebook


def test_licences_and_citation_ship_as_in_the_repository(dist: Path):
    for name in ("LICENSE", "LICENSE-DATA", "CITATION.cff"):
        assert (dist / name).read_bytes() == (ROOT / name).read_bytes()
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "CC BY 4.0" in (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")


def test_citation_cff_is_valid_and_says_this_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(citation, schema)
    import sco_data

    assert citation["version"] == sco_data.__version__
    assert citation["license"] == "CC-BY-4.0"


def test_an_invalid_citation_file_is_caught():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"cff-version": "1.2.0", "title": "no authors"}, schema)


# --------------------------------------------------------------------------- Parquet


@pytest.mark.parametrize("table", TABLES)
def test_parquet_equals_the_database_row_for_row(dist: Path, database, table: str):
    key = [row[1] for row in database.execute(f'pragma table_info("{table}")') if row[5]]
    order = ", ".join(f'"{column}"' for column in key)
    # The build's internal columns (listing_order) stay out of the files.
    columns = [row[1] for row in database.execute(f'pragma table_info("{table}")')
               if row[1] not in INTERNAL_COLUMNS]
    selected = ", ".join(f'"{column}"' for column in columns)
    expected = database.execute(f'select {selected} from "{table}" order by {order}').fetchall()
    path = dist / "parquet" / f"{table}.parquet"
    read = pq.read_table(path)
    assert read.column_names == columns
    booleans = {field.name for field in read.schema if str(field.type) == "bool"}
    as_rows = [tuple(int(value) if name in booleans and value is not None else value
                     for name, value in zip(columns, row, strict=True))
               for row in zip(*(read.column(name).to_pylist() for name in columns), strict=True)]
    assert as_rows == expected
    with duckdb.connect() as duck:
        from_duck = duck.execute(
            f"select * from read_parquet('{path}') order by {order}").fetchall()
    assert [tuple(int(value) if isinstance(value, bool) else value for value in row)
            for row in from_duck] == expected


def test_the_docs_duckdb_query_reads_the_parquet_as_written(dist: Path, database):
    """docs/building.md shows analysts a DuckDB query over the release's Parquet: run as the
    page prints it, from the folder above dist/, it answers as SQLite does over sco.db."""
    page = (ROOT / "docs" / "building.md").read_text(encoding="utf-8")
    query = re.search(r"```sql\n(.*?)```", page, re.S)
    assert query, "docs/building.md shows no SQL block"
    with duckdb.connect() as duck, contextlib.chdir(dist.parent):
        answered = duck.execute(query.group(1)).fetchall()
    sqlite_query = re.sub(r"read_parquet\('dist/parquet/(\w+)\.parquet'\)", r"\1",
                          query.group(1))
    expected = database.execute(sqlite_query).fetchall()
    assert answered == expected and len(answered) > 5
    assert answered[0][1] > 1  # some speaker is quoted more than once


def test_parquet_types_follow_the_data_package(dist: Path):
    members = pq.read_table(dist / "parquet" / "members.parquet").schema
    assert str(members.field("founding").type) == "bool"
    assert str(members.field("line").type) == "int64"
    assert str(members.field("id").type) == "string"


# --------------------------------------------------------------------------- annotations


def test_every_citation_is_an_annotation_whose_selectors_find_its_words(dist: Path, database):
    collection = json.loads((dist / "annotations.jsonld").read_text(encoding="utf-8"))
    assert collection["type"] == "AnnotationCollection"
    assert collection["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == database.execute(
        "select count(*) from citations").fetchone()[0]
    texts = {}
    for article_id, sha256 in database.execute("select id, sha256 from articles"):
        lines = [row[0] for row in database.execute(
            "select text from lines where article_id = ? order by line", [article_id])]
        texts[f"urn:sha256:{sha256}"] = "\n".join(lines)
    for item in items:
        quote, position = item["target"]["selector"]
        text = texts[item["target"]["source"]]
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert quote["prefix"] + quote["exact"] + quote["suffix"] in text
        assert len(quote["prefix"]) <= 32 and len(quote["suffix"]) <= 32
    first = next(item for item in items
                 if item["id"] == "urn:sco-data:citation:quotes-putin-key-pillars-1")
    assert first["body"]["record_table"] == "quotes"
    assert first["body"]["site_path"] == "/sco/quotes/putin-key-pillars"
    assert first["body"]["label"] == "one of the key pillars of a fair, multipolar world order"
    assert "Unicode code points" in collection["unit"]


def test_an_annotation_body_lists_the_claims_its_words_state(dist: Path, database):
    items = json.loads((dist / "annotations.jsonld").read_text(encoding="utf-8"))["first"]["items"]
    stated = {item["id"].removeprefix("urn:sco-data:citation:"): item["body"].get("states", [])
              for item in items}
    for citation_id, field, value, rule, words, reason in database.execute(
            "select citation_id, field, value, rule, words, reason from statements"):
        expected = {"field": field, "value": value}
        expected |= {"rule": rule, "words": words} if rule else {"reason": reason}
        assert expected in stated[citation_id], (citation_id, field)
    assert sum(map(len, stated.values())) == database.execute(
        "select count(*) from statements").fetchone()[0]
    summit = stated["meetings-sco-summit-astana-2024-1"]
    assert {"field": "end_date", "value": "2024-07-04", "rule": "date",
            "words": "July 3 and 4"} in summit
    assert "states" in json.loads((dist / "annotations.jsonld").read_text(encoding="utf-8"))[
        "@context"][1]


def test_a_release_without_pyarrow_says_which_extra_to_install(tmp_path: Path, capsys,
                                                                monkeypatch):
    def missing(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'pyarrow'", name="pyarrow")

    monkeypatch.setattr("sco_data.publish.release.write_parquet", missing)
    assert cut_release(tmp_path / "dist") == 69
    error = capsys.readouterr().err
    assert "the package 'pyarrow' is not installed" in error
    assert "pip install 'sco-data[release]'" in error
    assert not (tmp_path / "dist").exists() and not list(tmp_path.glob(".dist.*"))


# --------------------------------------------------------------------------- date precision


def test_every_date_column_says_its_precision(database):
    from sco_data.models import DATE_COLUMNS

    expected = {4: "year", 7: "month", 10: "day"}
    for table, columns in DATE_COLUMNS.items():
        for column in columns:
            rows = database.execute(
                f'select "{column}", "{column}_precision" from "{table}"').fetchall()
            assert rows, table
            assert all(precision == (expected[len(value)] if value else None)
                       for value, precision in rows), (table, column)
    assert {row[0] for row in database.execute(
        "select start_date_precision from meetings")} >= {"year", "month", "day"}


def test_the_documented_pandas_recipe_parses_every_dated_meeting(dist: Path):
    import pandas as pd

    meetings = pd.read_csv(dist / "csv" / "meetings.csv")
    days = pd.to_datetime(meetings.start_date.where(meetings.start_date_precision == "day"))
    assert days.notna().sum() == (meetings.start_date_precision == "day").sum() > 0
    periods = [pd.Period(value, freq={"year": "Y", "month": "M", "day": "D"}[precision])
               for value, precision in zip(meetings.start_date, meetings.start_date_precision,
                                           strict=True) if isinstance(value, str)]
    assert len(periods) == meetings.start_date.notna().sum()
    assert any(period.freqstr.startswith("Y") for period in periods)


def test_the_data_package_is_v2_and_its_sources_say_where_the_texts_ship(dist: Path):
    package = json.loads((dist / "datapackage.json").read_text(encoding="utf-8"))
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert {resource["type"] for resource in package["resources"]} == {"table"}
    assert len(package["sources"]) == EXPECTED["articles"]
    for source in package["sources"]:
        assert source["path"] == "csv/lines.csv"
        assert "the rows of csv/lines.csv with article_id" in source["title"]


def test_plain_datasettes_home_page_links_only_pages_it_has(dist: Path):
    """Served without the package, the home page links no page of the package's plugin, every
    link it has answers 200, and it says what installing the package adds."""
    home = html.unescape(plain_datasette_get(dist, ["/"])["/"][1])
    links = sorted({href.split("#")[0] for href in re.findall(r'href="(/[^"]*)"', home)
                    if not href.startswith("/-/static")})
    assert "/sco/quotes" in links and "/sco/articles" in links
    for path, title, _ in PACKAGE_PAGES:
        assert path not in links, path  # named, not linked:
        assert f"{title.lower()} (<code>{path}</code>)" in home
    assert "Installing the package (<code>pip install sco-data</code>) adds" in home
    answered = {path: status for path, (status, _) in plain_datasette_get(dist, links).items()}
    assert answered and all(status == 200 for status in answered.values()), answered
