"""The order of a table's columns on its pages: what names a row, and its source, come first.

Datasette shows columns in schema order, which puts a record's primary-source ``line`` (the
one-click link to the article) after a dozen others, off-screen on a wide table. The plugin's
``_table.html`` shows the primary key, the label column and ``line`` first, the rest after in
schema order, and the list of column descriptions follows the same order; the data itself, its
JSON and CSV keep the schema order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sco_data.publish.metadata import RECORD_LABELS


def column_order(table: str | None, columns: Sequence[Mapping[str, Any]]) -> list[int]:
    """Indexes into ``columns`` (Datasette's display columns), leading columns first."""
    names = [column["name"] for column in columns]
    lead = [names.index(name) for name in ("id", RECORD_LABELS.get(table or ""), "line")
            if name in names]
    return lead + [index for index in range(len(names)) if index not in lead]


def cells_in_order(row: Any, order: Sequence[int]) -> list[Any]:
    """A display row's cells in the order ``column_order`` gave."""
    cells = list(row)
    return [cells[index] for index in order]


def described_columns(table: str | None, descriptions: Mapping[str, str],
                      columns: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Each column's description in the order the table shows its columns, then any column
    not shown. Datasette 1.0 hands the descriptions over sorted by name, 0.65 in schema order."""
    names = [columns[index]["name"] for index in column_order(table, columns)]
    shown = [(name, descriptions[name]) for name in names if name in descriptions]
    return shown + [(name, text) for name, text in descriptions.items() if name not in names]
