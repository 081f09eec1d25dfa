"""pandas DataFrames of any table or list of records, with names beside ids.

``frame("quotes")`` and ``frame(sco_data.quotes(speaker="xi"))`` give the same columns: every
column of the table, then beside each foreign key the name it points to (``person_id`` →
``person``), and for curated records their primary source as a citation and its exact words. pandas
is imported only here (the ``notebook`` extra).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from typing import TYPE_CHECKING, Any, TypeVar

from sco_data.api.reader import connect, dataset

if TYPE_CHECKING:
    import pandas

    from sco_data.api.objects import Article, Record

R = TypeVar("R", bound="Record | Article")

# The column a foreign key's name column shows, per table it points to: the article's short
# label ("AP 3 July") rather than its headline.
LABELS = {
    "articles": "label", "countries": "name", "organizations": "name", "people": "name",
    "meetings": "title", "quotes": "text", "attendees": "id", "source_groups": "name",
    "discrepancies": "description", "meeting_facts": "value",
}


class Records(list[R]):
    """The list every ``sco_data`` function returns, with ``to_frame()`` for pandas."""

    def to_frame(self) -> pandas.DataFrame:
        """These records as a DataFrame: ``sco_data.frame(records)``."""
        return frame(self)


def frame(data: str | Sequence[Record | Article]) -> pandas.DataFrame:
    """A table (by name) or a list of records of one kind as a pandas DataFrame.

    Every column of the table, rows in build order (for a list: in its order), with a name
    column beside each foreign key and, for curated records, ``source`` (the primary source as
    ``cite()`` writes it) and ``evidence`` (its exact words). Needs pandas:
    ``pip install 'sco-data[notebook]'``.
    """
    data = _checked(data)
    pandas = _pandas()
    with closing(connect()) as connection:
        if isinstance(data, str):
            table, ids = _known_table(connection, data), None
        else:
            table, ids = _table_of(data), [record.id for record in data]
        found = pandas.read_sql_query(f'select * from "{table}" order by rowid', connection)
        found = _with_names(found, connection, table)
    found = _with_sources(found, table)
    if ids is not None:
        found = found.set_index("id", drop=False).loc[ids].reset_index(drop=True)
    return found


def _checked(data: object) -> str | Sequence[Record | Article]:
    """A table's name or a list of records, else ``TypeError`` naming ``data``; before pandas
    is imported, so a wrong call says so whatever is installed."""
    from sco_data.api import arguments as check

    if isinstance(data, str):
        return check.text("data", data, check.MAX_TABLE_CHARS, "a table's name such as 'quotes'")
    if not isinstance(data, (list, tuple)):
        raise TypeError(f"data must be a table's name (str) or a list of records, not "
                        f"{type(data).__name__}")
    return data


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "sco_data.frame() needs pandas, which is not installed: "
            "pip install 'sco-data[notebook]' (or pip install pandas)"
        ) from error
    return pandas


def _known_table(connection: sqlite3.Connection, table: str) -> str:
    tables = [row[0] for row in connection.execute(
        "select name from sqlite_master where type = 'table' and name not like '%_fts%' "
        "and name not like 'sqlite_%' and name != 'alembic_version' order by name")]
    if table not in tables:
        raise ValueError(f"no table {table!r}; the tables are: {', '.join(tables)}")
    return table


def _table_of(records: Sequence[Record | Article]) -> str:
    from sco_data.api.objects import TABLES

    kinds = {type(record).__name__ for record in records}
    if len(kinds) > 1:
        raise ValueError(f"frame() takes records of one kind, not {', '.join(sorted(kinds))}")
    if not kinds:
        raise ValueError("frame() of an empty list: pass a table name for an empty frame "
                         "with its columns, e.g. frame('quotes')")
    kind = kinds.pop()
    if kind not in TABLES:
        raise ValueError(f"frame() takes records returned by sco_data's functions, not {kind}")
    return TABLES[kind]


def _with_names(found: pandas.DataFrame, connection: sqlite3.Connection,
                table: str) -> pandas.DataFrame:
    """Beside each foreign key, the name of the row it points to."""
    for _, _, other, column, *_ in connection.execute(f'pragma foreign_key_list("{table}")'):
        label = LABELS.get(other)
        if label is None or label == "id" or column not in found:
            continue
        names = dict(connection.execute(f'select id, "{label}" from "{other}"').fetchall())
        name = column.removesuffix("_id") if column.endswith("_id") else f"{column}_name"
        if name in found:
            name = f"{name}_name"
        found.insert(found.columns.get_loc(column) + 1, name, found[column].map(names))
    return found


def _with_sources(found: pandas.DataFrame, table: str) -> pandas.DataFrame:
    """``source`` and ``evidence`` of each curated record's primary source."""
    records = getattr(dataset(), table, None)
    if records is None or table == "articles":
        return found
    primary = {record.id: record.sources[0] for record in records if record.sources}
    found["source"] = found["id"].map(lambda key: primary[key].cite() if key in primary else None)
    found["evidence"] = found["id"].map(
        lambda key: primary[key].evidence if key in primary else None)
    return found
