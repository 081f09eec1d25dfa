"""House-style folding: the one definition of "the same words, in another outlet's style".

Wire copies print one sentence in several house styles: the Press Association writes "Mr Putin",
"UN", "organisation", "neighbours", "Centre", "co-operation" and "side-lines" where the
Associated Press writes "Putin", "U.N.", "organization", "neighbors", "Center", "cooperation"
and "sidelines"; outlets differ in curly or straight quotation marks, dashes and accents. The
completeness checks compare words after folding all of that away.

Folding works word by word, so every folded word keeps the offsets of the original text it came
from: a match found in folded text maps back to the exact characters of the line, which is what
a curator pastes as evidence.

The rules, in order, for each word (a run of letters and digits, joined by inner hyphens,
periods and apostrophes, so "U.S.-led", "co-operation" and "it's" are one word each):

1. accents are dropped (NFKD, combining marks removed): "António" → "antonio";
2. case is folded: "SCO" → "sco";
3. inner hyphens, periods and apostrophes (anything but letters and digits) are removed:
   "U.N" → "un", "side-lines" → "sidelines", "co-operation" → "cooperation", "Beijing’s" →
   "beijings";
4. honorifics are dropped: "Mr", "Mrs", "Ms", "Dr" (with or without their period);
5. British spellings become American ones, on words of five letters or more: "-our" → "-or"
   (neighbours, neighbourly), "-tre"/"-bre" → "-ter"/"-ber" (Centre, fibre), "-is-" → "-iz-"
   and "-ys-" → "-yz-" before "e", "es", "ed", "ing", "ation", "ations" (organisation,
   recognised, analyse); and a few words no suffix rule covers (programme, defence, travelled).

Everything that is not part of a word (quotation marks, dashes, commas, brackets) is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# A word: letters or digits, possibly joined by inner hyphens, periods or apostrophes (a run of
# them, so "U.S.-led" is one word, as "US-led" is). A dash between spaces ("talks – or") is not
# inside a word, so it separates words.
_WORD = re.compile(r"\w+(?:[-‐‑.'’]+\w+)*")
WORD_PATTERN = _WORD  # what counts as one word, for code that folds words one by one
_NON_WORD = re.compile(r"\W")
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr"})
_BRITISH = (
    (re.compile(r"(?<=[a-z]{2})our(s|ly|ed|ing|ite|ites|able|ful|hood)?$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{2})([tb])re(s?)$"), r"\1er\2"),
    (re.compile(r"(?<=[a-z]{2})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing)$"), r"yz\1"),
)
# British spellings no suffix rule covers safely.
_BRITISH_WORDS = {
    "programme": "program", "programmes": "programs", "defence": "defense",
    "offence": "offense", "licence": "license", "travelled": "traveled",
    "travelling": "traveling", "cancelled": "canceled", "grey": "gray",
}
_SPELLING_MIN_LENGTH = 5
# Whether any of the rules above could apply: most words end otherwise, and one search is
# cheaper than four substitutions (a rule applies only to an ending it matches, so a word no
# rule matches is left as it is).
_ANY_BRITISH = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _BRITISH))


class Word(NamedTuple):
    """A folded word and the characters of the original text it was folded from (a tuple:
    a corpus holds millions of them)."""

    folded: str
    start: int
    end: int


# A corpus repeats its words endlessly: folding each distinct word once makes folding a large
# corpus a dictionary lookup per word.
@lru_cache(maxsize=1 << 18)
def fold_word(word: str) -> str:
    """One word in the common style; an empty string for a word that folding drops."""
    # Case folding can yield characters that decompose further, so decompose after it too; what
    # is left of a word is word characters only (NFKD turns "¼" into "1⁄4").
    if word.isascii():  # no accents to drop, and case folds as lower() does
        folded = _NON_WORD.sub("", word.lower())
    else:
        folded = _NON_WORD.sub("", _strip_accents(_strip_accents(word).casefold()))
    if folded in _HONORIFICS:
        return ""
    if folded in _BRITISH_WORDS:
        return _BRITISH_WORDS[folded]
    if len(folded) >= _SPELLING_MIN_LENGTH and _ANY_BRITISH.search(folded):
        for pattern, replacement in _BRITISH:
            folded = pattern.sub(replacement, folded)
    return folded


def _strip_accents(text: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )


def fold_words(text: str) -> list[Word]:
    """The folded words of ``text``, each with its original offsets."""
    return [Word(folded, match.start(), match.end()) for match in _WORD.finditer(text)
            if (folded := fold_word(match.group()))]


def fold_word_list(text: str) -> list[str]:
    """The folded words of ``text``, without their offsets."""
    return [folded for folded in map(fold_word, _WORD.findall(text)) if folded]


def fold(text: str) -> str:
    """``text`` in the common style, words separated by single spaces."""
    return " ".join(word.folded for word in fold_words(text))


def find_folded(needle: list[str], words: list[Word]) -> list[tuple[int, int]]:
    """The original ``(start, end)`` of every place the folded words ``needle`` stand in
    ``words``, consecutively."""
    if not needle:
        return []
    size = len(needle)
    found = []
    for index in range(len(words) - size + 1):
        if words[index].folded == needle[0] and all(
            words[index + offset].folded == needle[offset] for offset in range(1, size)
        ):
            found.append((words[index].start, words[index + size - 1].end))
    return found
