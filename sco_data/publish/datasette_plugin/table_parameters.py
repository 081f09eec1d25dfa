"""Query parameters Datasette 0.65 reads without checking them, checked before it does; and its
own input errors answered as the reader's mistake (400), not the server's (500).

The parameters a table page reads, and what happens to a bad value:

==========================  ===================================================================
``_through``                JSON object with ``table``, ``column``, ``value``: checked here
                            (Datasette indexes whatever ``json.loads`` returns: 500)
``_timelimit``              whole milliseconds: checked here (``int()``: 500)
``_json_infinity``          on, off, true, false, 1 or 0: checked here (otherwise 500)
``<column>__in``,           a JSON list of values when it starts with ``[``: checked here
``<column>__notin``         (``json.loads``: 500; a nested value fails binding: 500)
``_facet``, ``_facet_array``, at most ``request_limits.MAX_FACETS`` in all (each runs a query)
``_facet_date``
any parameter or path       no NUL character (``%00``): refused by ``request_limits`` (SQLite
                            refuses a statement holding one: 500)
``_sort``, ``_sort_desc``   a sortable column; not both: Datasette's DatasetteError, given 400
                            here (``input_error``), with the same words on 0.65 and 1.0
``_facet``, ``_facet_date``, a column of the table: Datasette 1.0 lets SQLite's "no such
``_facet_array``            column" through (500), answered 400 here
``_through`` on a table     a foreign key to this table: likewise
                            without one
``_size``, ``_col``,        Datasette answers 400 itself
``_nocol``, ``_search_<c>``
``_next``, ``_where``,      the statement fails: Datasette answers 400 ("Invalid SQL")
``_fts_table``, ``_fts_pk``
``_facet_size``, ``_shape``, ignored, or answered 400, when not understood
``_labels``, ``_label``,
``_nocount``, ``_nofacet``,
``_nosuggest``, ``_json``,
``_searchmode``, ``_stream``
==========================  ===================================================================
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from sco_data.text_rules import clipped

_WHOLE_NUMBER = re.compile(r"\d{1,9}")
# What Datasette's value_as_boolean accepts (anything else raises, a 500).
_BOOLEANS = ("on", "off", "true", "false", "1", "0")
_THROUGH_KEYS = {"table", "column", "value"}
FACET_PARAMETERS = ("_facet", "_facet_date", "_facet_array")


def problem(parameters: list[tuple[str, str]]) -> str | None:
    """What is wrong with the first parameter Datasette could not read, or None."""
    for name, value in parameters:
        found = _value_problem(name, value)
        if found:
            return found
    return None


def input_error(exception: Exception, time_limit_ms: int,
                parameters: list[tuple[str, str]]) -> Exception | None:
    """For an error Datasette raised about the request (``parameters``) with status 500, the
    same error with status 400 and a message saying what to do; for a statement stopped at the
    time limit, its message with the limit's value; else None. Datasette 1.0 lets two of these
    through unconverted: SQLite's error for a facet on a missing column, and QueryInterrupted."""
    from datasette.views.base import DatasetteError

    if isinstance(exception, sqlite3.OperationalError):
        return _facet_error(exception, parameters)
    if type(exception).__name__ == "QueryInterrupted":  # Datasette 1.0 lets it through
        return DatasetteError(_too_long(time_limit_ms), title="SQL Interrupted", status=400,
                              message_is_html=True)
    if not isinstance(exception, DatasetteError):
        return None
    if exception.title == "SQL Interrupted" and exception.message_is_html:
        _, _, rest = exception.message.partition("</p>")
        return DatasetteError(_too_long(time_limit_ms) + rest, title=exception.title,
                              status=400, message_is_html=True)
    message = exception.message
    # Datasette 0.65 says so with status 500, 1.0 with 400: the same words here on both.
    if message.startswith("Cannot sort table by "):
        column = message.removeprefix("Cannot sort table by ")
        message = (f"_sort and _sort_desc take a sortable column of the table: {clipped(column)} "
                   "is not one (the column headings of the table page are)")
    elif exception.status != 500:
        return None
    # In Datasette 0.65 every DatasetteError left at its default status 500 is about the
    # request: a sort column, _sort with _sort_desc, a _through without a foreign key.
    return DatasetteError(message, title=exception.title, status=400,
                          message_is_html=exception.message_is_html)


def _too_long(time_limit_ms: int) -> str:
    return (f"<p>SQL query took too long: every statement is stopped after {time_limit_ms:,} ms "
            "(the server's sql_time_limit_ms).</p>")


def _facet_error(exception: sqlite3.OperationalError,
                 parameters: list[tuple[str, str]]) -> Exception | None:
    """A facet on a column the table does not have, or on none: Datasette 0.65 answers 400
    itself, 1.0 lets SQLite's error through as a 500."""
    from datasette.views.base import DatasetteError

    if not str(exception).startswith("no such column: "):
        return None
    facets = [(name, value) for name, value in parameters if name in FACET_PARAMETERS]
    if not facets:
        return None
    missing = str(exception).removeprefix("no such column: ")
    name, value = next(((name, value) for name, value in facets if value == missing), facets[0])
    return DatasetteError(
        f"{name} takes a column of the table: {clipped(value) if value else 'an empty value'} is "
        "not one (the column headings of the table page are)", title="Invalid facet", status=400)


def _value_problem(name: str, value: str) -> str | None:
    if name == "_through":
        return _through_problem(value)
    if name == "_timelimit" and not _WHOLE_NUMBER.fullmatch(value):
        return f"_timelimit takes whole milliseconds, not {clipped(value)}"
    if name == "_json_infinity" and value.lower() not in _BOOLEANS:
        return f"_json_infinity takes one of {', '.join(_BOOLEANS)}, not {clipped(value)}"
    if name.endswith(("__in", "__notin")) and value.startswith("["):
        return _json_list_problem(name, value)
    return None


def _through_problem(value: str) -> str | None:
    shape = ('_through takes a JSON object {"table": …, "column": …, "value": …}, as the links '
             "of a row page write it")
    try:
        through = json.loads(value)
    except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
        return f"{shape}; {clipped(value)} is not JSON"
    if not isinstance(through, dict) or set(through) != _THROUGH_KEYS:
        return f"{shape}, not {clipped(value)}"
    if not all(isinstance(through[key], str) for key in ("table", "column")) or not _scalar(
            through["value"]):
        return f"{shape}: table and column as text, value as text or a number"
    return None


def _json_list_problem(name: str, value: str) -> str | None:
    try:
        values = json.loads(value)
    except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
        values = None
    if not isinstance(values, list) or not all(_scalar(item) for item in values):
        return (f"{name} takes values separated by commas, or a JSON list of text and numbers "
                f"starting with [; {clipped(value)} is neither")
    return None


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float)

