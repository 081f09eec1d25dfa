"""Limits on what one SQL function call may cost on a served connection.

SQLite's length limit makes a call that would build a value over ``MAX_VALUE_BYTES`` fail, but
its ``printf`` still loops over every character a huge width or precision asks for before it
gives up (``printf('%.*c', 900000000, 'x')`` runs for seconds, and the time limit cannot stop
one function call). So ``printf`` and ``format`` are replaced by a check of their widths and
precisions, which then hands the call to SQLite's own ``printf`` on a private in-memory
connection with the same limit.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

MAX_VALUE_BYTES = 1_000_000
"""No value a query computes may exceed this many bytes; the dataset's longest is a few KB."""

# %[flags][width][.precision][length]type, as SQLite's printf reads it.
_DIRECTIVE = re.compile(
    r"%(?P<flags>[-+ 0#,!]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?(?:ll|l)?(?P<type>.?)"
)


class TooWide(ValueError):
    """A printf width or precision asks for more than a value may hold."""


def bound(connection: sqlite3.Connection) -> None:
    """Apply the limits to one connection."""
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    scratch = sqlite3.connect(":memory:", check_same_thread=False)
    scratch.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)

    def checked_printf(*arguments: Any) -> Any:
        check_widths(arguments)
        marks = ", ".join("?" * len(arguments))
        return scratch.execute(f"select printf({marks})", arguments).fetchone()[0]

    for name in ("printf", "format"):
        connection.create_function(name, -1, checked_printf, deterministic=True)


def check_widths(arguments: tuple[Any, ...]) -> None:
    """TooWide when a width or precision of the format (or a ``*`` argument) is too large."""
    if not arguments or not isinstance(arguments[0], str):
        return
    rest = list(arguments[1:])
    for directive in _DIRECTIVE.finditer(arguments[0]):
        if directive["type"] == "%":
            continue
        for part in ("width", "precision"):
            value = directive[part]
            if value == "*":
                value = rest.pop(0) if rest else 0
            if value is not None and _too_large(value):
                raise TooWide(f"printf {part} {value} is over {MAX_VALUE_BYTES:,} characters")
        if rest:
            rest.pop(0)


def _too_large(value: Any) -> bool:
    try:
        return abs(int(value)) > MAX_VALUE_BYTES
    except (TypeError, ValueError, OverflowError):
        return False
