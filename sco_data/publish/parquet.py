"""The release's parquet/<table>.parquet: every table, typed as the data package declares.

Written with pyarrow (the ``release`` extra): integers as int64, booleans as bool, numbers as
float64, everything else as UTF-8 strings; NULL stays null. The files carry no time, so the
same rows give the same bytes with the same pyarrow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PARQUET_TYPES = {"integer": "int64", "boolean": "bool_", "number": "float64"}


def write_parquet(folder: Path, tables: list[Any], column_types: dict[str, dict[str, str]]
                  ) -> None:
    """``tables`` as read for the release; ``column_types`` maps table → column → data
    package type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    (folder / "parquet").mkdir()
    for table in tables:
        types = column_types[table.name]
        fields = [pa.field(column, getattr(pa, PARQUET_TYPES.get(types[column], "string"))())
                  for column in table.columns]
        arrays = [
            pa.array([_value(row[index], types[column]) for row in table.rows],
                     type=fields[index].type)
            for index, column in enumerate(table.columns)
        ]
        pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)),
                       folder / "parquet" / f"{table.name}.parquet", compression="zstd")


def _value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "boolean":
        return bool(value)
    return value
