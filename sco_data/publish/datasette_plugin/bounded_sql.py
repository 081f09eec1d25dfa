"""Limits on what one SQL function call may cost on a served connection, and which functions a
reader's SQL may call.

The SQL time limit counts SQLite's virtual-machine steps, and ``sqlite3_interrupt`` is looked at
between steps too: one call of a function is one step, however long it runs, so neither stops it
(measured: a ``like`` of a 1 MB text against a 50,000-byte pattern runs 38 s, then reports
"interrupted"). So the functions whose one call can run for seconds on values the length limit
allows are bounded by their arguments instead:

- ``like`` and ``glob`` compare each position of the text with the pattern: SQLite's own limit
  on a pattern's length (``MAX_LIKE_PATTERN_BYTES``);
- ``instr``, ``replace``, ``trim``/``ltrim``/``rtrim`` and ``json_patch`` likewise compare
  their text with a second argument; ``printf``/``format`` loop over the width they are given.
  These are replaced by a check of that argument, which then hands the call to SQLite's own
  function on a private in-memory connection with the same length limit, so every answer is
  SQLite's.

A refused call names the limit and its value: the message is kept per thread (a Python
function's exception reaches SQLite only as "user-defined function raised exception") and put
back by ``explained`` on the error the statement raises.

Functions that return a native pointer or change the connection's configuration are denied to
every statement by an authorizer (``DENIED_FUNCTIONS``).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

MAX_VALUE_BYTES = 1_000_000
"""No value a query computes may exceed this many bytes; the dataset's longest is a few KB."""

MAX_LIKE_PATTERN_BYTES = 200
"""The longest ``LIKE`` or ``GLOB`` pattern (SQLite's own limit, 50,000 by default). A pattern is
compared at each position of the text: a 200-byte pattern against a 1 MB text takes about
0.3 s, a 1,000-byte one 1.8 s, a 50,000-byte one 38 s."""

MAX_SEARCH_BYTES = 10_000
"""The longest text ``instr`` looks for, or ``replace`` replaces: each is compared at each
position of the text (10,000 bytes in a 1 MB text about 0.3 s; 50,000 bytes 2.2 s)."""

MAX_TRIM_CHARACTERS = 50
"""The most characters ``trim``, ``ltrim`` or ``rtrim`` may be given to remove: each character of
the text is compared with each of them (5,000 of them against a 1 MB text take 51 s)."""

MAX_JSON_PATCH_BYTES = 4_000
"""The largest patch ``json_patch`` may apply: each of its keys is looked up among the target's
keys (two 290 KB objects take 7 s)."""

DENIED_FUNCTIONS = {
    "fts3_tokenizer": "it returns a native memory address, or installs one",
    "fts5": "it hands out a native memory address",
    "load_extension": "it loads native code into the server",
}
"""Functions no statement may call, and why."""

# %[flags][width][.precision][length]type, as SQLite's printf reads it.
_DIRECTIVE = re.compile(
    r"%(?P<flags>[-+ 0#,!]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?(?:ll|l)?(?P<type>.?)"
)

# The message of the last call this thread refused, for ``explained``.
_refused = threading.local()


class Refused(ValueError):
    """A function call asks for more than the server lets one call cost."""


class TooWide(Refused):
    """A printf width or precision asks for more than a value may hold."""


def bound(connection: sqlite3.Connection) -> None:
    """Apply the limits to one connection."""
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    connection.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_LIKE_PATTERN_BYTES)
    scratch = sqlite3.connect(":memory:", check_same_thread=False)
    scratch.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    checks: list[tuple[str, int, Callable[[tuple[Any, ...]], None]]] = [
        ("printf", -1, check_widths),
        ("format", -1, check_widths),
        ("instr", 2, _argument_at_most(1, MAX_SEARCH_BYTES, "the text instr() looks for")),
        ("replace", 3, _argument_at_most(1, MAX_SEARCH_BYTES, "the text replace() replaces")),
        ("json_patch", 2, _argument_at_most(1, MAX_JSON_PATCH_BYTES, "the patch json_patch() "
                                                                      "applies")),
    ]
    checks += [(name, 2, _characters_at_most(name)) for name in ("trim", "ltrim", "rtrim")]
    for name, arity, check in checks:
        connection.create_function(name, arity, _checked(scratch, name, check),
                                   deterministic=True)
    connection.set_authorizer(_authorize)


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
                raise TooWide(f"printf {part} {value} is over the limit of {MAX_VALUE_BYTES:,} "
                              "characters (the longest value)")
        if rest:
            rest.pop(0)


def explained(error: sqlite3.Error, reader_sql: bool) -> sqlite3.Error:
    """``error`` with a message naming the limit it hit, where it hit one of this module's, as an
    OperationalError (Datasette answers that as the reader's mistake, 400); so too a misuse of
    the statement (a parameter left unbound…) where the statement is the reader's own SQL; else
    ``error``."""
    refusal = getattr(_refused, "message", None)
    forget_refusal()
    message = str(error)
    if refusal and (message == "user-defined function raised exception"
                    or message.startswith("not authorized")):
        return sqlite3.OperationalError(refusal)
    if message == "LIKE or GLOB pattern too complex":
        return sqlite3.OperationalError(
            f"a LIKE or GLOB pattern is over the limit of {MAX_LIKE_PATTERN_BYTES:,} bytes: "
            "each is compared at every position of the text")
    if message == "string or blob too big":
        return sqlite3.OperationalError(
            f"a value would be too big: over the limit of {MAX_VALUE_BYTES:,} bytes (the longest "
            "value the server computes)")
    if reader_sql and isinstance(error, sqlite3.ProgrammingError):
        return sqlite3.OperationalError(message)
    return error


def forget_refusal() -> None:
    """Forget this thread's last refused call (a new statement starts)."""
    _refused.message = None


def _checked(scratch: sqlite3.Connection, name: str,
             check: Callable[[tuple[Any, ...]], None]) -> Callable[..., Any]:
    def call(*arguments: Any) -> Any:
        try:
            check(arguments)
        except Refused as refusal:
            _refused.message = str(refusal)
            raise
        marks = ", ".join("?" * len(arguments))
        return scratch.execute(f"select {name}({marks})", arguments).fetchone()[0]

    return call


def _argument_at_most(position: int, limit: int, what: str) -> Callable[[tuple[Any, ...]], None]:
    def check(arguments: tuple[Any, ...]) -> None:
        size = _bytes(arguments[position])
        if size > limit:
            raise Refused(f"{what} is {size:,} bytes, over the limit of {limit:,}")

    return check


def _characters_at_most(name: str) -> Callable[[tuple[Any, ...]], None]:
    def check(arguments: tuple[Any, ...]) -> None:
        characters = arguments[1]
        count = len(characters) if isinstance(characters, str | bytes) else 0
        if count > MAX_TRIM_CHARACTERS:
            raise Refused(f"{name}() is given {count:,} characters to remove, over the limit of "
                          f"{MAX_TRIM_CHARACTERS:,}")

    return check


def _authorize(action: int, first: str | None, second: str | None, database: str | None,
               trigger: str | None) -> int:
    """Deny the functions of ``DENIED_FUNCTIONS``; allow everything else (Datasette reads the
    schema through PRAGMAs, and the database is opened read-only anyway)."""
    if action == sqlite3.SQLITE_FUNCTION and second is not None:
        reason = DENIED_FUNCTIONS.get(second.lower())
        if reason is not None:
            _refused.message = f"the function {second}() is not available here: {reason}"
            return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _bytes(value: Any) -> int:
    if isinstance(value, str):
        return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, bytes):
        return len(value)
    return 0


def _too_large(value: Any) -> bool:
    try:
        return abs(int(value)) > MAX_VALUE_BYTES
    except (TypeError, ValueError, OverflowError):
        return False
