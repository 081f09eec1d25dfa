"""metadata.yml and datasette.yaml are generated from the models: every table and column
described, the two in agreement, no drift; the right files given to each line of Datasette."""

from __future__ import annotations

import sqlite3

import pytest
import yaml

from sco_data.expectations import dataset
from sco_data.paths import CONFIG_FILE, METADATA_FILE
from sco_data.publish import datasette_compat
from sco_data.publish.metadata import TABLE_CONFIG_KEYS, config_yaml, metadata_yaml

EXPECTED = dataset()


def test_metadata_file_is_what_the_models_generate():
    assert METADATA_FILE.read_text(encoding="utf-8") == metadata_yaml(), (
        "metadata.yml is out of date: run `python build.py metadata`"
    )


def test_configuration_file_is_what_the_models_generate():
    assert CONFIG_FILE.read_text(encoding="utf-8") == config_yaml(), (
        "datasette.yaml is out of date: run `python build.py metadata`"
    )


def test_the_configuration_repeats_the_metadata_for_datasette_1():
    """Datasette 1.0 reads how tables open and the saved queries only from datasette.yaml:
    every such value of the metadata is there, the same, and nothing else is."""
    metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))["databases"]["sco"]
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))["databases"]["sco"]
    assert config["queries"] == metadata["queries"]
    expected = {name: {key: value for key, value in table.items() if key in TABLE_CONFIG_KEYS}
                for name, table in metadata["tables"].items()}
    assert config["tables"] == {name: view for name, view in expected.items() if view}
    assert config["tables"]["alembic_version"] == {"hidden": True}
    assert config["tables"]["quotes"]["facet_size"] == metadata["tables"]["quotes"]["facet_size"]


def test_every_table_and_column_of_the_database_is_described(db: sqlite3.Connection):
    tables = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))["databases"]["sco"]["tables"]
    names = [row[0] for row in db.execute(
        "select name from sqlite_master where type = 'table' and name not like '%_fts%' "
        "and name not like 'sqlite_%' and name != 'alembic_version'")]
    assert len(names) == EXPECTED["tables"]
    for table in names:
        assert tables[table]["description"].strip(), table
        for column in db.execute(f"pragma table_info({table})"):
            assert (tables[table]["columns"].get(column["name"]) or "").strip(), (table, column[1])


def test_licence_and_source_are_stated():
    metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    assert metadata["license"].startswith("CC BY 4.0")
    assert "publishers" in metadata["license"]
    assert metadata["source"]
    # Datasette 1.0 lets nothing inherit them: the database and every table state them too.
    database = metadata["databases"]["sco"]
    shown = [table for table in database["tables"].values() if not table.get("hidden")]
    for holder in [database, *shown]:
        assert (holder["license"], holder["source"]) == (metadata["license"], metadata["source"])


@pytest.mark.parametrize(("found", "one_point_oh"), [
    ("0.65.5", False), ("0.64.8", False), ("1.0a41", True), ("1.0", True), ("1.2.3", True),
    ("2.0.dev1", True), ("0", False),
])
def test_the_line_of_datasette_is_read_from_its_version(found: str, one_point_oh: bool):
    assert datasette_compat.is_one_point_oh(found) is one_point_oh


@pytest.mark.parametrize("version", ["0.65.5", "1.0a41"])
def test_serve_gives_datasette_1_its_configuration_and_0_65_only_the_metadata(monkeypatch,
                                                                               version: str):
    monkeypatch.setattr(datasette_compat, "datasette_version", lambda: version)
    one_point_oh = version.startswith("1.")
    options = datasette_compat.server_options(METADATA_FILE, CONFIG_FILE)
    assert options[:2] == ["--metadata", str(METADATA_FILE)]
    assert (options[2:] == ["--config", str(CONFIG_FILE)]) is one_point_oh
    arguments = datasette_compat.datasette_arguments({"title": "t"}, {"databases": {}})
    assert ("config" in arguments) is one_point_oh
    assert datasette_compat.query_path("sco", "select 1", "json") == (
        "/sco/-/query.json?sql=select+1" if one_point_oh else "/sco.json?sql=select+1")
