"""Sentences, and the sentences of different articles that print one another.

Outlets break one wire story into paragraphs of their own: one prints in a single line what
another spreads over three. Lines are therefore grouped through their sentences: each line is
split into sentences (each keeping its character offsets in the line), the sentences are grouped
across articles by the rules of ``sco_data.building.line_groups`` (identical, house style, near),
and two lines of different articles are *partners* when they hold sentences of one group. A copy
that merges or splits paragraphs groups exactly as one that does not.

How a line is split: a sentence ends at ``.``, ``!`` or ``?`` (and any closing quotation marks
or brackets after it) followed by white space and a capital letter, a digit or an opening
quotation mark. A period does not end a sentence after a single capital letter (an initial:
"George W. Bush"), after a word holding another period ("U.S.", "a.m.") or after a title or
short form that is followed by a name or a number ("Mr.", "Gen.", "No.", "Jan."). A line with
no such ending is one sentence. The splitter is written here rather than taken from a library
because the grouping needs only the boundaries both copies of a sentence agree on, and it runs
on every line of the corpus (a rule-based library such as pysbd takes about a millisecond a
sentence, the whole build's budget at scale).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

from sco_data.building.line_groups import KINDS, GroupedLine, group_lines
from sco_data.building.load import Articles

_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9À-Þ])")
# Short forms after which a period is no sentence's end (compared case-folded, period removed).
_SHORT_FORMS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "rep",
    "sen", "gov", "pres", "st", "jr", "sr", "rev", "no", "nos", "vol", "art", "fig", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mt", "ft", "inc", "co", "corp", "ltd", "dept", "approx", "est", "cf", "eg", "ie", "etc",
})


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a line: its 1-based place in the line and its characters there."""

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GroupedSentence:
    """A sentence in the group of sentences that different articles print."""

    group: str  # the group's id: the sentence id of its first sentence
    article_id: str
    line: int
    sentence: int
    char_start: int
    char_end: int
    kind: str  # identical, house_style or near, to the closest sentence of another article


def sentence_id(article_id: str, line: int, sentence: int) -> str:
    return f"{article_id}-L{line}-S{sentence}"


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of one line, white space around them left out; none for a blank line."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        if match.group().startswith(".") and len(match.group()) == 1 and _abbreviation(
                text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    sentences = []
    for begin, end in spans:
        piece = text[begin:end]
        stripped = piece.strip()
        if not stripped:
            continue
        begin += len(piece) - len(piece.lstrip())
        sentences.append(Sentence(len(sentences) + 1, begin, begin + len(stripped)))
    return sentences


def _abbreviation(text: str, period: int) -> bool:
    """Whether the period at ``period`` closes a short form rather than a sentence."""
    start = period
    while start > 0 and not text[start - 1].isspace():  # back to the word's start: words are
        start -= 1  # short, where a regex searching from the line's start is not
    if start == period:
        return False
    word = text[start:period].lstrip("\"'“‘«([")
    if "." in word:  # "U.S", "a.m": a dotted short form
        return True
    if len(word) == 1 and word.isupper():  # an initial
        return True
    return word.casefold() in _SHORT_FORMS


FoldSpan = Callable[[str, int, int, int], Sequence[str]]
"""The folded words of a span of an article's line: (article id, line, start, end) → words."""


def group_article_sentences(articles: Articles, fold_span: FoldSpan) -> list[GroupedSentence]:
    """``group_sentences`` over the registry's articles, in registry order."""
    texts = {entry.record.id: articles.texts[entry.record.id].lines for entry in articles.entries}
    return group_sentences(texts, fold_span)


def group_sentences(texts: Mapping[str, Sequence[str]], fold_span: FoldSpan
                    ) -> list[GroupedSentence]:
    """Every sentence of ``texts`` (article id → lines, in registry order) that another article
    prints, with its group; in order of article, line and sentence."""
    places: dict[str, list[tuple[int, Sentence]]] = {}
    units: dict[str, _Sentences] = {}
    for article, lines in texts.items():
        places[article] = [(number, sentence) for number, line in enumerate(lines, 1)
                           for sentence in split_sentences(line)]
        units[article] = _Sentences(lines, places[article])

    def place(article: str, unit: int) -> tuple[int, Sentence]:
        return places[article][unit - 1]

    def unit_id(article: str, unit: int) -> str:
        number, sentence = place(article, unit)
        return sentence_id(article, number, sentence.number)

    def fold_unit(article: str, unit: int, text: str) -> Sequence[str]:
        number, sentence = place(article, unit)
        return fold_span(article, number, sentence.start, sentence.end)

    grouped = []
    for row in group_lines(units, unit_id, fold_unit):
        number, sentence = place(row.article_id, row.line)
        grouped.append(GroupedSentence(row.group, row.article_id, number, sentence.number,
                                       sentence.start, sentence.end, row.kind))
    return grouped


class _Sentences(Sequence[str]):
    """An article's sentences, cut from its lines when asked for: the corpus is never held
    twice."""

    def __init__(self, lines: Sequence[str], places: list[tuple[int, Sentence]]) -> None:
        self._lines, self._places = lines, places

    def __len__(self) -> int:
        return len(self._places)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[position] for position in range(len(self))[index]]
        number, sentence = self._places[index]
        return self._lines[number - 1][sentence.start:sentence.end]


def lines_of(sentences: Sequence[GroupedSentence], line_id: Callable[[str, int], str]
             ) -> list[GroupedLine]:
    """The line groups the sentence groups make: lines holding sentences of one group are in
    one line group (and so are lines linked through others); a line's kind is the closest of
    its grouped sentences'. In order of article, then line."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(key: tuple[str, int]) -> tuple[str, int]:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    order: dict[str, int] = {}
    first_line: dict[str, tuple[str, int]] = {}
    kind_of: dict[tuple[str, int], str] = {}
    for row in sentences:
        key = (row.article_id, row.line)
        order.setdefault(row.article_id, len(order))
        parent.setdefault(key, key)
        previous = kind_of.get(key)
        if previous is None or KINDS.index(row.kind) < KINDS.index(previous):
            kind_of[key] = row.kind
        if row.group in first_line:
            left, right = find(first_line[row.group]), find(key)
            if left != right:
                # The earlier line stays the root, so a group is named by its first line.
                left, right = sorted((left, right), key=lambda k: (order[k[0]], k[1]))
                parent[right] = left
        else:
            first_line[row.group] = key
    keys = sorted(parent, key=lambda k: (order[k[0]], k[1]))
    return [GroupedLine(line_id(*find(key)), key[0], key[1], kind_of[key]) for key in keys]
