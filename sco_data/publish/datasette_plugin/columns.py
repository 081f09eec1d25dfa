"""The order of a table's columns on its pages: what names a row, and its source, come first.

Datasette shows columns in schema order, which puts a record's primary-source ``line`` (the
one-click link to the article) after a dozen others, off-screen on a wide table. The plugin's
``_table.html`` shows the primary key, the label column and ``line`` first, the rest after in
schema order; the data itself, its JSON and CSV keep the schema order.
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
