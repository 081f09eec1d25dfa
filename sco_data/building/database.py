"""The SQLite file: created by Alembic, filled with sqlite-utils, searchable, checked.

Alembic owns the schema (``migrations/``); rows go in through sqlite-utils, which is many times
faster than the ORM. Heavy imports stay inside the functions so ``import sco_data`` stays light.
"""

from __future__ import annotations

import sys
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


def insert_rows(database: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Insert every table's rows in the given order, then prove all foreign keys resolve.
    Each table's list is emptied once its rows are in, so a large build frees them as it goes
    rather than holding every row until the end."""
    import sqlite_utils

    db = sqlite_utils.Database(database)
    try:
        # The file is a temporary one, moved into place only when complete and deleted on any
        # failure: it needs no journal and no waiting for the disk, and one transaction for
        # all rows instead of one per batch.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        with db.atomic():
            for table in list(tables):
                rows, tables[table] = tables[table], []
                if rows:
                    db[table].insert_all(rows)
                del rows
        for table, columns in SEARCHABLE.items():
            db[table].enable_fts(columns, create_triggers=False, replace=True)
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise DatabaseError(f"foreign keys that point nowhere (table, rowid, target): {broken}")
    finally:
        db.close()
