"""`python build.py release`: SQLite, CSV, JSON and a valid data package, reproducible."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from sqlite_utils.utils import Format, rows_from_file

from sco_data import __version__
from sco_data.cli import main
from sco_data.errors import ReleaseRefused
from sco_data.expectations import dataset
from sco_data.lock import drift, lock_digest
from sco_data.paths import LOCK_FILE
from sco_data.publish.metadata import INTERNAL_COLUMNS
from sco_data.publish.release import project_version

from .conftest import Workspace

TABLES = ["articles", "lines", "countries", "organizations", "organization_aliases", "people",
          "aliases", "country_aliases", "members", "observers", "meetings", "meeting_participants",
          "attendees",
          "quotes", "meeting_facts", "discrepancies", "citations", "not_cited", "quoted_spans",
          "source_groups", "line_groups", "sentence_groups", "corroboration", "statements",
          "lexicon", "build_inputs"]
DATABASE = "sco.db"
ZIP = f"sco-data-{__version__}-csv.zip"
FRICTIONLESS = Path(sys.executable).parent / "frictionless"

EXPECTED = dataset()


def cut_release(dist: Path, *options: str) -> int:
    return main(["release", "--dist", str(dist), *options])


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("release") / "dist"
    assert cut_release(folder) == 0
    return folder


def descriptor(dist: Path) -> dict[str, Any]:
    return json.loads((dist / "datapackage.json").read_text(encoding="utf-8"))


def validate(package: Path) -> dict[str, Any]:
    result = subprocess.run([str(FRICTIONLESS), "validate", "--json", str(package)],
                            capture_output=True, text=True)
    return json.loads(result.stdout)


def test_release_writes_every_file(dist: Path):
    files = sorted(path.relative_to(dist).as_posix() for path in dist.rglob("*")
                   if path.is_file())
    assert files == sorted([
        DATABASE, ZIP, "datapackage.json", "SHA256SUMS", "metadata.json", "datasette.yaml",
        "README.md",
        "LICENSE", "LICENSE-DATA", "CITATION.cff", "annotations.jsonld", "requirements-lock.txt",
        *(f"csv/{table}.csv" for table in TABLES), *(f"json/{table}.json" for table in TABLES),
        *(f"parquet/{table}.parquet" for table in TABLES),
    ])
    assert not list(dist.parent.glob(".dist.*")), "the staging folder is left behind"


def test_sha256sums_lists_and_matches_every_other_file(dist: Path):
    listed = {}
    for line in (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {path.relative_to(dist).as_posix() for path in dist.rglob("*") if path.is_file()}
    assert set(listed) == files - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_two_releases_are_byte_identical(dist: Path, tmp_path: Path):
    elsewhere = tmp_path / "another" / "place"
    assert cut_release(elsewhere) == 0
    assert (elsewhere / "SHA256SUMS").read_bytes() == (dist / "SHA256SUMS").read_bytes()


def test_the_release_ships_the_lock_it_was_built_with_and_records_its_digest(dist: Path):
    """Rebuilding byte for byte takes the exact versions: the lock ships, and the data package
    names it with its SHA-256 (the repository's lock, unchanged)."""
    shipped = (dist / "requirements-lock.txt").read_bytes()
    assert shipped == LOCK_FILE.read_bytes()
    assert descriptor(dist)["lock"] == {
        "path": "requirements-lock.txt", "hash": f"sha256:{hashlib.sha256(shipped).hexdigest()}"}
    assert "pip install -c requirements-lock.txt" in (dist / "README.md").read_text("utf-8")


def test_a_release_names_each_package_off_the_lock(tmp_path: Path, monkeypatch, capsys):
    """Cut where a package is not at the lock's version, the release says which: its files
    may then differ from the lock's."""
    from importlib import metadata

    from sco_data.publish import release

    pyyaml = metadata.version("pyyaml")
    lock = tmp_path / "requirements-lock.txt"
    others = [line for line in LOCK_FILE.read_text("utf-8").split("\n")
              if not line.startswith("pyyaml==")]  # whatever version the lock had
    lock.write_text("\n".join([*others, "pyyaml==1.0"]) + "\n", encoding="utf-8")
    monkeypatch.setattr(release, "LOCK_FILE", lock)
    monkeypatch.setattr(release, "lock_digest", lambda: lock_digest(lock))
    monkeypatch.setattr(release, "drift", lambda: drift(lock))
    assert cut_release(tmp_path / "dist") == 0
    warned = capsys.readouterr().err
    assert f"not the lock's version, so files may differ: pyyaml 1.0 (locked) -> {pyyaml}" in warned
    assert descriptor(tmp_path / "dist")["lock"]["hash"] == f"sha256:{lock_digest(lock)}"


def test_a_release_without_its_lock_is_refused(tmp_path: Path, monkeypatch, capsys):
    from sco_data.publish import release

    missing = tmp_path / "requirements-lock.txt"
    monkeypatch.setattr(release, "lock_digest", lambda: lock_digest(missing))
    assert cut_release(tmp_path / "dist") == 2
    assert (f"release refused: {missing}: cannot read the lock (No such file or directory): "
            "run `make lock`") in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()


def test_zip_entries_carry_no_timestamp_and_hold_the_csvs(dist: Path):
    with zipfile.ZipFile(dist / ZIP) as archive:
        entries = archive.infolist()
        assert [entry.filename for entry in entries] == [
            "datapackage.json", "metadata.json", "datasette.yaml", "README.md", "LICENSE",
            "LICENSE-DATA",
            "CITATION.cff", *sorted(f"csv/{table}.csv" for table in TABLES)]
        for entry in entries:
            assert entry.date_time == (1980, 1, 1, 0, 0, 0)
            assert archive.read(entry) == (dist / entry.filename).read_bytes()


def test_frictionless_validates_the_package_foreign_keys_included(dist: Path):
    report = validate(dist / "datapackage.json")
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    assert sorted(task["name"] for task in report["tasks"]) == sorted(TABLES)


def test_frictionless_catches_a_broken_foreign_key(dist: Path, tmp_path: Path):
    broken = tmp_path / "broken"
    shutil.copytree(dist, broken)
    quotes = broken / "csv" / "quotes.csv"
    quotes.write_bytes(quotes.read_bytes().replace(b",vladimir-putin,", b",vladimir-p,", 1))
    package = descriptor(broken)
    resource = next(item for item in package["resources"] if item["name"] == "quotes")
    data = quotes.read_bytes()
    resource |= {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}
    (broken / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = validate(broken / "datapackage.json")
    assert not report["valid"]
    errors = [error["type"] for task in report["tasks"] for error in task["errors"]]
    assert errors == ["foreign-key"]


def test_data_package_describes_every_table_from_the_models(dist: Path, db: sqlite3.Connection):
    package = descriptor(dist)
    assert package["version"] == __version__
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert len(package["sources"]) == EXPECTED["articles"]
    assert all("sha256" in source["title"] for source in package["sources"])
    for resource in package["resources"]:
        table = resource["name"]
        schema = resource["schema"]
        assert [field["name"] for field in schema["fields"]] == data_columns(db, table)
        assert all(field["description"].strip() for field in schema["fields"])
        assert schema["primaryKey"] == ["id"]
        declared = {(row["from"], row["table"]) for row in db.execute(
            f"pragma foreign_key_list({table})")}
        assert {(key["fields"], key["reference"]["resource"] or table)
                for key in schema["foreignKeys"]} == declared
    members = next(item for item in package["resources"] if item["name"] == "members")
    founding = next(f for f in members["schema"]["fields"] if f["name"] == "founding")
    assert founding["type"] == "boolean"
    attendees = next(item for item in package["resources"] if item["name"] == "attendees")
    attendance = next(f for f in attendees["schema"]["fields"] if f["name"] == "attendance")
    assert attendance["constraints"]["enum"] == ["attended", "expected", "absent"]


def test_csv_format(dist: Path, db: sqlite3.Connection):
    raw = (dist / "csv" / "members.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    belarus = next(row for row in rows if row["id"] == "sco-belarus")
    china = next(row for row in rows if row["id"] == "sco-china")
    assert (belarus["founding"], china["founding"]) == ("false", "true")
    assert china["note"] == ""  # NULL
    assert '""joined the SCO on Thursday""' in raw.decode("utf-8")  # RFC 4180 quoting
    lines = list(csv.DictReader(io.StringIO(
        (dist / "csv" / "lines.csv").read_text(encoding="utf-8"), newline="")))
    assert len(lines) == db.execute("select count(*) from lines").fetchone()[0]


def test_json_holds_every_row_typed(dist: Path, db: sqlite3.Connection):
    for table in TABLES:
        objects = json.loads((dist / "json" / f"{table}.json").read_text(encoding="utf-8"))
        columns = ", ".join(data_columns(db, table))
        expected = [dict(row) for row in db.execute(f"select {columns} from {table} order by id")]
        if table == "members":
            for row in expected:
                row["founding"] = bool(row["founding"])
        assert objects == expected, table


def test_csvs_round_trip_into_sqlite_equal_to_the_database(dist: Path, tmp_path: Path):
    """Load each CSV with sqlite-utils, typed by the data package, and compare row for row."""
    loaded = sqlite_utils.Database(tmp_path / "from-csv.db")
    for resource in descriptor(dist)["resources"]:
        fields = {field["name"]: field for field in resource["schema"]["fields"]}
        missing = set(resource["schema"]["missingValues"])
        with (dist / resource["path"]).open("rb") as handle:
            rows, _ = rows_from_file(handle, Format.CSV)
            typed = [{name: _typed(value, fields[name], missing) for name, value in row.items()}
                     for row in rows]
        if typed:
            loaded[resource["name"]].insert_all(typed, pk="id")
        else:  # a header alone: the table exists, empty
            loaded[resource["name"]].create({name: str for name in fields}, pk="id")
    original = sqlite3.connect(dist / DATABASE)
    for table in TABLES:
        select = f"select {', '.join(data_columns(original, table))} from {table} order by id"
        assert list(loaded.execute(select).fetchall()) == original.execute(select).fetchall(), (
            table)


def data_columns(db: sqlite3.Connection, table: str) -> list[str]:
    """The table's columns in the release's files: all but the build's internal ones."""
    return [row[1] for row in db.execute(f"pragma table_info({table})")
            if row[1] not in INTERNAL_COLUMNS]


def test_no_internal_column_in_any_file_of_the_release(dist: Path, db: sqlite3.Connection):
    internal = [(table, column) for table in TABLES for column in INTERNAL_COLUMNS
                if column in [row[1] for row in db.execute(f"pragma table_info({table})")]]
    assert ("quotes", "listing_order") in internal  # the database has them …
    for table, column in internal:  # … the files do not
        header = (dist / "csv" / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert column not in header.split(","), (table, "csv")
        rows = json.loads((dist / "json" / f"{table}.json").read_text(encoding="utf-8"))
        assert all(column not in row for row in rows), (table, "json")
        resource = next(item for item in descriptor(dist)["resources"] if item["name"] == table)
        assert column not in [field["name"] for field in resource["schema"]["fields"]]
    with zipfile.ZipFile(next(dist.glob("*-csv.zip"))) as archive:
        headers = [archive.read(name).decode("utf-8").splitlines()[0]
                   for name in archive.namelist() if name.endswith(".csv")]
    assert headers and not any(column in header.split(",") for header in headers
                               for column in INTERNAL_COLUMNS)


def _typed(value: str, field: dict[str, Any], missing: set[str]) -> Any:
    if value in missing:
        return None
    if field["type"] == "integer":
        return int(value)
    if field["type"] == "boolean":
        return {"true": 1, "false": 0}[value]
    return value


def test_release_database_is_the_build(dist: Path, built_db: Path):
    release = sqlite3.connect(dist / DATABASE)
    built = sqlite3.connect(built_db)
    for table in TABLES:
        query = f"select * from {table} order by id"
        assert release.execute(query).fetchall() == built.execute(query).fetchall(), table
    assert release.execute("pragma page_size").fetchone()[0] == 4096


def test_release_refuses_another_versions_folder_unless_forced(tmp_path: Path, capsys):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "datapackage.json").write_text('{"version": "0.0.1"}', encoding="utf-8")
    assert cut_release(dist) == 2
    assert "holds release 0.0.1, not 0.1.0: pass --force" in capsys.readouterr().err
    assert [path.name for path in dist.iterdir()] == ["datapackage.json"]
    assert cut_release(dist, "--force") == 0
    assert descriptor(dist)["version"] == __version__


def test_release_refuses_a_folder_holding_no_release(tmp_path: Path, capsys):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "sco_data-0.1.0-py3-none-any.whl").write_bytes(b"wheel")
    assert cut_release(dist) == 2
    assert "holds no release" in capsys.readouterr().err
    assert (dist / "sco_data-0.1.0-py3-none-any.whl").read_bytes() == b"wheel"


def test_release_of_the_same_version_replaces_it(dist: Path, tmp_path: Path):
    again = tmp_path / "dist"
    shutil.copytree(dist, again)
    (again / "csv" / "stale.csv").write_text("old", encoding="utf-8")
    assert cut_release(again) == 0
    assert not (again / "csv" / "stale.csv").exists()


def test_a_failed_release_leaves_the_previous_one_untouched(dist: Path, workspace: Workspace,
                                                            tmp_path: Path):
    previous = tmp_path / "dist"
    shutil.copytree(dist, previous)
    before = (previous / "SHA256SUMS").read_bytes()
    workspace.edit("records/members.yml", 'joined: "2001"', 'joined: "2001-13"')
    assert main(["release", "--dist", str(previous), *workspace.arguments()]) == 1
    assert (previous / "SHA256SUMS").read_bytes() == before
    assert not list(tmp_path.glob(".dist.*"))


def test_version_comes_from_pyproject_and_must_match_the_package(tmp_path: Path):
    assert project_version() == __version__
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "sco-data"\nversion = "9.9.9"\n', encoding="utf-8")
    with pytest.raises(ReleaseRefused, match=re.escape("says version 9.9.9 but sco_data/__init__")):
        project_version(other)
