"""What a value of the dataset may hold: one set of rules for the build, the curator's commands,
the Python API and the server.

A reader cannot see a hidden character, yet it changes what a search, a join or a comparison
finds; a value longer than the server lets one SQL value be breaks every page that shows it. So
the build refuses both, with the same words ``add-article`` uses before it writes anything, and
the limits below stay far under the server's (``bounded_sql.MAX_VALUE_BYTES``). Standard library
only: the build's no-change path and the API import this without loading anything else.
"""

from __future__ import annotations

import functools
import re
import unicodedata

MAX_TEXT_CHARS = 5_000
"""The longest value a record, the registry or an argument may hold (the dataset's longest is
about 500 characters; 5,000 UTF-8 characters are at most 20 KB, a fiftieth of what the server
lets one SQL value be)."""

MAX_ID_CHARS = 100
"""The longest id (a slug): ids stand in addresses, file names and every foreign key."""

MAX_LINE_CHARS = 50_000
"""The longest line a seed may hold (the articles' longest is about 2,700 characters)."""

MAX_SEED_BYTES = 4 * 2**20
"""The largest seed file, 4 MiB (the articles are 5 to 40 KB)."""

MAX_RECORDS_BYTES = 256 * 2**20
"""The largest records file or registry, 256 MiB: room for a corpus a thousand times the five
articles, never a read without end (``/dev/zero``)."""

# Characters a reader cannot see, that reorder text, or that only a broken copy holds: controls
# (tab, newline and carriage return aside), format characters (zero-width, bidi controls, soft
# hyphen, U+061C, U+180E, tags), private-use, unassigned and surrogate code points, line and
# paragraph separators; and letters and symbols drawn as blanks (Hangul fillers, the blank
# Braille pattern), the combining grapheme joiner and variation selectors.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
_DRAWN_BLANK = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0,
     *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
)
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w")
# Planes 4 to 13 hold no assigned character and planes 15 and 16 are private use: hidden as a
# whole, so only planes 0 to 3 and 14 are looked at one code point at a time.
_LOOKED_AT = (range(0, 0x40000), range(0xE0000, 0xF0000))
_WHOLE_PLANES = ((0x40000, 0xDFFFF), (0xF0000, 0x10FFFF))


def is_hidden(character: str) -> bool:
    """Whether ``character`` is one a reader cannot see (see above)."""
    if character in _ALLOWED_CONTROLS:
        return False
    return (unicodedata.category(character) in _HIDDEN_CATEGORIES
            or ord(character) in _DRAWN_BLANK)


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@functools.cache
def _hidden_pattern(planes: range) -> re.Pattern[str]:
    """One character class of every hidden character of ``planes``: a search in C instead of
    a look at each character. Built on first use (about 0.1 s), from this Python's Unicode
    tables. The Basic Multilingual Plane gets a class of its own because Python compiles one of
    code points below U+10000 into a bitmap, looked up in one step; ranges beyond it are tried
    one after another for every character (150 times slower over a records file, measured)."""
    ranges: list[tuple[int, int]] = []
    for block in _LOOKED_AT:
        looked_at = range(max(block.start, planes.start), min(block.stop, planes.stop))
        start = None
        for code in looked_at:
            if is_hidden(chr(code)):
                start = code if start is None else start
            elif start is not None:
                ranges.append((start, code - 1))
                start = None
        if start is not None:
            ranges.append((start, looked_at[-1]))
    ranges.extend(whole for whole in _WHOLE_PLANES if whole[0] in planes)
    return re.compile("[" + "".join(
        re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else "")
        for first, last in ranges) + "]")


_BASIC_PLANE = range(0, 0x10000)
_ASTRAL_PLANES = range(0x10000, 0x110000)


def hidden_character(text: str) -> tuple[int, str] | None:
    """The position and the first hidden character of ``text``, or None."""
    if text.isascii():
        found = _ASCII_CONTROL.search(text)
        return (found.start(), found.group()) if found else None
    found = _hidden_pattern(_BASIC_PLANE).search(text)
    end = found.start() if found else len(text)
    # Only text with a character beyond U+FFFF, before the first hidden one found, is searched
    # again for the astral hidden characters.
    if astral := _ASTRAL.search(text, 0, end):
        found = _hidden_pattern(_ASTRAL_PLANES).search(text, astral.start(), end) or found
    return (found.start(), found.group()) if found else None


def describe(character: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: the code point and, where Unicode has one, its name."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" {name}" if name else "")


def hidden_problem(text: str) -> str | None:
    """Why ``text`` may not stand as it is, for a hidden character; None when it may."""
    found = hidden_character(text)
    if found is None:
        return None
    position, character = found
    return (f"holds the hidden or control character {describe(character)} at position "
            f"{position}: remove it")


def text_problem(text: str, limit: int = MAX_TEXT_CHARS) -> str | None:
    """Why ``text`` may not be a value: empty, blank, over ``limit`` or holding a hidden
    character. None when it may."""
    if not text.strip():
        return ("is empty: give the words, or leave the field out" if not text
                else "holds only spaces: give the words, or leave the field out")
    if len(text) > limit:
        return f"is {len(text):,} characters long, over the limit of {limit:,}: shorten it"
    return hidden_problem(text)


def has_a_word(text: str) -> bool:
    """Whether ``text`` holds at least one letter or digit: evidence must quote a word."""
    return _WORD.search(text) is not None


def clipped(text: str, limit: int = 60) -> str:
    """``text`` for a message: its repr, cut to ``limit`` characters with the length said, so
    a huge value is never echoed whole."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"
