"""The SQLite file: created by Alembic, filled table by table, searchable, checked.

Alembic owns the schema (``migrations/``); rows go in through prepared statements, many times
faster than the ORM, then the full-text indexes are made. Heavy imports stay inside the
functions so ``import sco_data`` stays light.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from sco_data.errors import DatabaseError
from sco_data.paths import MIGRATIONS_DIR

# Full-text search: the articles' lines and the quotes' words.
SEARCHABLE = {"lines": ["text"], "quotes": ["text"]}
# Pinned, not left to the SQLite build's default, so the file's layout is the same everywhere.
PAGE_SIZE = 4096


def alembic_config(database: Path) -> Any:
    """An Alembic configuration for ``database`` that uses the project's migrations."""
    from alembic.config import Config

    # Alembic's default stdout is bound when it is imported; pass the current one.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    return config


def create_schema(database: Path) -> None:
    """Create the schema in a new, empty database by upgrading it to the newest revision."""
    import sqlite3

    from alembic import command

    # The page size is fixed when a database is first written: set it on the empty file, so the
    # finished database needs no VACUUM to take it.
    connection = sqlite3.connect(database)
    try:
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("VACUUM")
    finally:
        connection.close()
    command.upgrade(alembic_config(database), "head")


class TableWriter:
    """Rows into the database being built, a table at a time, counted as they go in.

    Rows go in through one prepared ``INSERT`` per table and ``executemany``, in batches: a
    table's rows may be a generator, made as they are written, so no table is ever held whole
    (sqlite-utils ``insert_all`` reads them the same way, but builds its statement again for
    every hundred rows: slower by half, measured). Rows hold only text, numbers, booleans and
    None, which SQLite takes as they are."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.counts: dict[str, int] = {}

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        """Every row of ``rows`` into ``table``; each row gives the columns its first does."""
        rows = iter(rows)
        first = next(rows, None)
        self.counts.setdefault(table, 0)
        if first is None:
            return
        known = [row[1] for row in self.connection.execute(f"pragma table_info([{table}])")]
        if unknown := set(first) - set(known):
            raise DatabaseError(f"{table} has no column {', '.join(sorted(unknown))}")
        columns = [name for name in known if name in first]
        statement = (f"insert into [{table}] ({', '.join(f'[{name}]' for name in columns)}) "
                     f"values ({', '.join('?' for _ in columns)})")
        values = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
        batch = [values(first)]
        for row in rows:
            batch.append(values(row))
            if len(batch) == _BATCH_ROWS:
                self.connection.executemany(statement, batch)
                self.counts[table] += len(batch)
                batch.clear()
        self.connection.executemany(statement, batch)
        self.counts[table] += len(batch)

    def read(self, sql: str) -> Iterator[sqlite3.Row]:
        """Rows of what is already written, one at a time."""
        cursor = self.connection.cursor()
        cursor.row_factory = sqlite3.Row
        yield from cursor.execute(sql)


# Rows held at once between two calls into SQLite.
_BATCH_ROWS = 2_000


def full_text_index(table: str, columns: list[str]) -> tuple[str, str]:
    """The statements making ``table``'s FTS5 index over ``columns`` and filling it: the ones
    sqlite-utils' ``enable_fts`` runs, word for word (the schema Datasette reads is the same),
    without importing sqlite-utils, which brings pandas and 80 MB with it (measured)."""
    listed = ", ".join(f'"{column}"' for column in columns)
    return (
        f'CREATE VIRTUAL TABLE "{table}_fts" USING FTS5 (\n    {listed},\n    '
        f'content="{table}"\n)',
        f'INSERT INTO "{table}_fts" (rowid, {listed})\n    SELECT rowid, {listed} FROM "{table}";',
    )


@contextmanager
def write_tables(database: Path) -> Iterator[TableWriter]:
    """A writer into ``database`` (created by ``create_schema``); on leaving without an error,
    the full-text indexes are made and every foreign key is proven to resolve."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        # The file is a temporary one, moved into place only when complete and deleted on any
        # failure: it needs no journal and no waiting for the disk, and one transaction for
        # all rows instead of one per batch.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("begin")
        # An index is made faster once over every row than kept up row by row (a third of the
        # time of the writes, measured): the schema's own indexes are dropped while the rows
        # go in and made again, by their own statements, before the commit.
        indexes = connection.execute(
            "select name, sql from sqlite_master where type = 'index' and sql is not null "
            "order by rowid").fetchall()
        for name, _ in indexes:
            connection.execute(f"drop index [{name}]")
        yield TableWriter(connection)
        for _, sql in indexes:
            connection.execute(sql)
        for table, columns in SEARCHABLE.items():
            for statement in full_text_index(table, columns):
                connection.execute(statement)
        connection.execute("commit")
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise DatabaseError(f"foreign keys that point nowhere (table, rowid, target): {broken}")
    finally:
        connection.close()
