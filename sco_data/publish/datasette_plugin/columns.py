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

from markupsafe import Markup, escape

from sco_data.publish.metadata import INTERNAL_COLUMNS, RECORD_LABELS

# How a table page says it is sorted by an internal column ("41 rows sorted by listing_order").
_SORTED_BY = {f"sorted by {column}": "in reading order" for column in INTERNAL_COLUMNS} | {
    f"sorted by {column} descending": "in reverse reading order" for column in INTERNAL_COLUMNS}


def column_order(table: str | None, columns: Sequence[Mapping[str, Any]]) -> list[int]:
    """Indexes into ``columns`` (Datasette's display columns), leading columns first, the
    internal ones (``metadata.INTERNAL_COLUMNS``) left out."""
    names = [column["name"] for column in columns]
    lead = [names.index(name) for name in ("id", RECORD_LABELS.get(table or ""), "line")
            if name in names]
    return lead + [index for index, name in enumerate(names)
                   if index not in lead and name not in INTERNAL_COLUMNS]


def breakable(name: str) -> Markup:
    """A column's name for its header, free to wrap after each underscore: a table of
    ``start_date_precision`` and its kind then fits the window."""
    return Markup("_<wbr>").join(escape(part) for part in name.split("_"))


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
    return shown + [(name, text) for name, text in descriptions.items()
                    if name not in names and name not in INTERNAL_COLUMNS]


def without_internal(names: Sequence[str] | None) -> list[str]:
    """Column names (the filter form's choices) without the internal ones."""
    return [name for name in names or () if name not in INTERNAL_COLUMNS]


def readable_description(description: str | None) -> str | None:
    """Datasette's description of a table page ("41 rows sorted by listing_order"), saying
    "in reading order" for the internal column that order is."""
    for said, meant in sorted(_SORTED_BY.items(), key=lambda item: -len(item[0])):
        if description and said in description:
            return description.replace(said, meant)
    return description
