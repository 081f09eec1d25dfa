"""The API's arguments, checked at the door: every public function passes each argument through
one of these before it reads the dataset.

A wrong type raises ``TypeError`` naming the argument and the type it takes; a value too long,
empty, or holding a character a reader cannot see raises ``ValueError`` naming the argument and
the limit. The length is checked before anything else looks at the text, so a 10 MB string is
refused in microseconds instead of being matched against every name (and a message never echoes
more than ``text_rules.clipped`` shows of it). The limits are documented in docs/api.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from sco_data.text_rules import MAX_ID_CHARS, clipped, text_problem

MAX_FILTER_CHARS = 200
"""The longest name filter (``people(name=)``, ``quotes(speaker=)``…): the dataset's longest name
or label is under 100 characters."""

MAX_DATE_CHARS = len("2024-07-03")
"""A date filter is at most a day: ``YYYY-MM-DD``."""

MAX_TABLE_CHARS = MAX_ID_CHARS
"""A table name (``record("quotes", …)``, ``frame("quotes")``)."""


def _type_name(value: object) -> str:
    return type(value).__name__


def text(argument: str, value: object, limit: int = MAX_FILTER_CHARS,
         what: str = "a name") -> str:
    """``value`` when it is a str of at most ``limit`` characters with words and nothing hidden;
    else ``TypeError`` (not a str) or ``ValueError`` naming ``argument``."""
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str ({what}), not {_type_name(value)}")
    if len(value) > limit:  # first: a huge value is refused before anything reads it
        raise ValueError(f"{argument} is {len(value):,} characters long, over the limit of "
                         f"{limit:,}: {clipped(value, 40)}")
    problem = text_problem(value, limit)
    if problem is not None:
        raise ValueError(f"{argument}={clipped(value)} {problem}")
    return value


def optional_text(argument: str, value: object, limit: int = MAX_FILTER_CHARS,
                  what: str = "a name") -> str | None:
    """As ``text``, with None (the filter left out) let through."""
    return None if value is None else text(argument, value, limit, what)


def record_id(argument: str, value: object) -> str:
    """An id (``quote("putin-key-pillars")``): a str of at most ``MAX_ID_CHARS``."""
    return text(argument, value, MAX_ID_CHARS, "an id such as 'putin-key-pillars'")


def date(argument: str, value: object) -> str | None:
    """A date filter at any precision, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None passes.
    Its form is checked where it is read (``functions._day``), with the same words."""
    if value is None:
        return None
    return text(argument, value, MAX_DATE_CHARS, "a date as YYYY, YYYY-MM or YYYY-MM-DD")


def choice(argument: str, value: object, choices: Iterable[str]) -> str | None:
    """One of ``choices``, or None; else ``TypeError`` or ``ValueError`` listing them."""
    if value is None:
        return None
    allowed = list(choices)
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str (one of: {', '.join(allowed)}), not "
                        f"{_type_name(value)}")
    if value not in allowed:
        raise ValueError(f"{argument}={clipped(value)} is not one of: {', '.join(allowed)}")
    return value


def integer(argument: str, value: object) -> int:
    """A whole number (not a bool, which Python counts as one)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{argument} must be an int, not {_type_name(value)}")
    return value


def flag(argument: str, value: object) -> bool:
    """True or False."""
    if not isinstance(value, bool):
        raise TypeError(f"{argument} must be a bool (True or False), not {_type_name(value)}")
    return value
