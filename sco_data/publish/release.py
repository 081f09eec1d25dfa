"""``python build.py release``: the files people download, byte for byte reproducible.

Steps: read the version → check dist/ may be replaced → build the database → export every
table as CSV, JSON and Parquet → the citations as W3C annotations → describe the CSVs in
datapackage.json (which records the lock's digest) → Datasette's metadata.json and (for
Datasette 1.0) datasette.yaml, the codebook
README.md, the licences, CITATION.cff and the lock beside them → zip → checksum every file →
move the finished folder into place.
Everything is written into a staging folder first, so a failed release leaves the previous dist/
as it was.

Reproducible: rows in primary-key order, keys and files in a fixed order, no timestamps (zip
entries carry 1980-01-01), the SQLite file with a pinned page size and rows in a fixed order;
the libraries that write them at the lock's versions (a release cut in another environment
says which packages differ).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sco_data import __version__
from sco_data.building.leftovers import recover_release
from sco_data.building.pipeline import Inputs, build
from sco_data.errors import ReleaseRefused
from sco_data.lock import LockError, drift, lock_digest
from sco_data.paths import DIST_DIR, LOCK_FILE, PYPROJECT, ROOT
from sco_data.publish import datapackage
from sco_data.publish.annotations import annotation_collection
from sco_data.publish.codebook import render_codebook
from sco_data.publish.metadata import (
    DATABASE_NAME,
    INTERNAL_COLUMNS,
    release_config_yaml,
    render_metadata,
)
from sco_data.publish.parquet import write_parquet

# The database's name gives its Datasette address (/sco/…): no version in it, whose dots
# Datasette would tilde-encode; the version is in the zip's name, the data package and
# SHA256SUMS.
DATABASE = f"{DATABASE_NAME}.db"
# Files of the repository that ship as they are, beside the data.
COPIED = ["LICENSE", "LICENSE-DATA", "CITATION.cff"]
# What the zip holds beside the CSVs.
ZIPPED = ["datapackage.json", "metadata.json", "datasette.yaml", "README.md", *COPIED]

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    booleans: set[str]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class ReleaseReport:
    folder: Path
    version: str
    files: dict[str, str]  # relative path → SHA-256
    warnings: list[str]  # the build's, such as a table with fewer rows than curated


def project_version(pyproject: Path = PYPROJECT) -> str:
    """The version in pyproject.toml, which must be the package's own ``__version__``."""
    version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    if version != __version__:
        raise ReleaseRefused(
            f"{pyproject.name} says version {version} but sco_data/__init__.py says "
            f"{__version__}: set both to the version being released"
        )
    return version


def release(dist: Path = DIST_DIR, inputs: Inputs | None = None,
            force: bool = False) -> ReleaseReport:
    version = project_version()
    lock_sha256, off_lock = _lock()
    recover_release(dist)
    check_dist(dist, version, force)
    staging = dist.with_name(f".{dist.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        database = staging / DATABASE
        built = build(database, inputs or Inputs())
        tables = read_tables(database)
        csv_files = write_csvs(staging, tables)
        write_jsons(staging, tables)
        write_parquet(staging, tables, column_types())
        write_annotations(staging, database, version)
        write_datapackage(staging, version, tables, csv_files, lock_sha256)
        write_documents(staging, version)
        write_csv_zip(staging, version)
        files = write_checksums(staging)
        _move_into_place(staging, dist)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ReleaseReport(dist, version, files, [*built.warnings, *off_lock])


def _lock() -> tuple[str, list[str]]:
    """The lock's SHA-256, and a warning for each installed package the lock pins otherwise
    (the files may then differ from a release cut on the lock)."""
    try:
        return lock_digest(), [f"not the lock's version, so files may differ: {found}"
                               for found in drift()]
    except LockError as error:
        raise ReleaseRefused(str(error)) from None


def check_dist(dist: Path, version: str, force: bool) -> None:
    """Refuse to replace a release of another version, or a folder that holds no release."""
    if force or not dist.exists() or not any(dist.iterdir()):
        return
    descriptor = dist / "datapackage.json"
    if not descriptor.is_file():
        raise ReleaseRefused(
            f"{dist} is not empty and holds no release (no datapackage.json): "
            "move its files away, or pass --force to replace it")
    try:
        found = json.loads(descriptor.read_text(encoding="utf-8"))["version"]
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError, KeyError) as error:
        raise ReleaseRefused(
            f"{descriptor} is not a release's data package ({type(error).__name__}: {error}): "
            "move the folder away, or pass --force to replace it") from None
    if found != version:
        raise ReleaseRefused(
            f"{dist} holds release {found}, not {version}: pass --force to replace it")


def read_tables(database: Path) -> list[Table]:
    """Every table of the schema, rows in primary-key order."""
    connection = sqlite3.connect(database)
    try:
        tables = []
        for model in datapackage.table_models():
            table = model.__table__
            key = ", ".join(column.name for column in table.primary_key.columns)
            # The build's own ordering columns stay in sco.db, out of the files.
            selected = ", ".join(f'"{column.name}"' for column in table.columns
                                 if column.name not in INTERNAL_COLUMNS)
            cursor = connection.execute(f'select {selected} from "{table.name}" order by {key}')
            tables.append(Table(
                name=table.name,
                columns=[column[0] for column in cursor.description],
                booleans={column.name for column in table.columns
                          if datapackage.field_type(column) == "boolean"},
                rows=cursor.fetchall(),
            ))
            _check_empty_text(model, tables[-1])
        return tables
    finally:
        connection.close()


def write_csvs(folder: Path, tables: list[Table]) -> dict[str, tuple[int, str]]:
    """UTF-8, a header row, RFC 4180 quoting and CRLF; true/false; NULL as an empty field.

    Returns each file's path with its size and SHA-256, for datapackage.json.
    """
    (folder / "csv").mkdir()
    written = {}
    for table in tables:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_csv_value(value, column in table.booleans)
                             for column, value in zip(table.columns, row, strict=True)])
        data = buffer.getvalue().encode()
        (folder / datapackage.csv_path(table.name)).write_bytes(data)
        written[datapackage.csv_path(table.name)] = (len(data), hashlib.sha256(data).hexdigest())
    return written


def write_jsons(folder: Path, tables: list[Table]) -> None:
    """One array of objects per table, keys in column order, booleans as true/false."""
    (folder / "json").mkdir()
    for table in tables:
        objects = [
            {column: bool(value) if column in table.booleans and value is not None else value
             for column, value in zip(table.columns, row, strict=True)}
            for row in table.rows
        ]
        text = json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
        (folder / "json" / f"{table.name}.json").write_bytes(text.encode())


def write_datapackage(folder: Path, version: str, tables: list[Table],
                      files: dict[str, tuple[int, str]], lock_sha256: str) -> None:
    articles = next(table for table in tables if table.name == "articles")
    rows = [dict(zip(articles.columns, row, strict=True)) for row in articles.rows]
    package = datapackage.descriptor(version, rows, files, (LOCK_FILE.name, lock_sha256))
    text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_bytes(text.encode())


def column_types() -> dict[str, dict[str, str]]:
    """Each table's columns with their data package type (integer, boolean, string…)."""
    return {model.__tablename__: {column.name: datapackage.field_type(column)
                                  for column in model.__table__.columns}
            for model in datapackage.table_models()}


def write_annotations(folder: Path, database: Path, version: str) -> None:
    connection = sqlite3.connect(database)
    try:
        collection = annotation_collection(connection, version)
    finally:
        connection.close()
    text = json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    (folder / "annotations.jsonld").write_bytes(text.encode())


def write_documents(folder: Path, version: str) -> None:
    """Datasette's metadata and (for 1.0) configuration for the database, the codebook, the
    licences, the citation file."""
    metadata = json.dumps(render_metadata(), ensure_ascii=False, indent=2) + "\n"
    (folder / "metadata.json").write_bytes(metadata.encode())
    (folder / "datasette.yaml").write_bytes(release_config_yaml().encode())
    (folder / "README.md").write_bytes(render_codebook(version).encode())
    for name in COPIED:
        shutil.copyfile(ROOT / name, folder / name)
    shutil.copyfile(LOCK_FILE, folder / LOCK_FILE.name)


def write_csv_zip(folder: Path, version: str) -> None:
    """The CSVs with the data package, the metadata, the codebook, the licences and the
    citation file in one zip, with fixed dates and permissions."""
    members = [*ZIPPED, *sorted(
        path.relative_to(folder).as_posix() for path in (folder / "csv").glob("*.csv"))]
    with zipfile.ZipFile(folder / f"sco-data-{version}-csv.zip", "w") as archive:
        for name in members:
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, wherever the release is cut
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, (folder / name).read_bytes(), compresslevel=9)


def write_checksums(folder: Path) -> dict[str, str]:
    """SHA256SUMS, in the format `sha256sum -c SHA256SUMS` reads, for every other file."""
    sums = {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }
    text = "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))
    (folder / "SHA256SUMS").write_bytes(text.encode())
    return sums


def _csv_value(value: Any, boolean: bool) -> str:
    if value is None:
        return ""
    if boolean:
        return "true" if value else "false"
    return str(value)


def _check_empty_text(model: Any, table: Table) -> None:
    """In a table with nullable columns an empty field reads back as NULL: no "" may hide there."""
    if not datapackage.nullable_table(model):
        return
    for row in table.rows:
        for column, value in zip(table.columns, row, strict=True):
            if value == "":
                raise ReleaseRefused(
                    f"{table.name} {row[0]}: {column} is empty text, which the CSV cannot tell "
                    "from NULL: give it a value or leave it out (null)")


def _move_into_place(staging: Path, dist: Path) -> None:
    previous = dist.with_name(f".{dist.name}.{os.getpid()}.previous")
    if dist.exists():
        os.replace(dist, previous)
    os.replace(staging, dist)
    shutil.rmtree(previous, ignore_errors=True)
