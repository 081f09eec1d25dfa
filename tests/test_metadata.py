"""metadata.yml is generated from the models: every table and column described, no drift."""

from __future__ import annotations

import sqlite3

import yaml

from sco_data.expectations import dataset
from sco_data.paths import METADATA_FILE
from sco_data.publish.metadata import metadata_yaml

EXPECTED = dataset()


def test_metadata_file_is_what_the_models_generate():
    assert METADATA_FILE.read_text(encoding="utf-8") == metadata_yaml(), (
        "metadata.yml is out of date: run `python build.py metadata`"
    )


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
