"""The repeat and partner checks: a record cites every line that states it, or says why not.

For each citation whose evidence is a clause (six words or more once folded), the folded words
are looked up on every line of every article (``sco_data.building.folding``). Each other line
where they stand must be cited by the same record, or declared in the record's ``not_cited`` with a
reason. Entity rows (people, aliases, countries, organizations) cite, in each article that names
them, the line that first does: for them only lines of articles they do not cite count.

Partner lines (lines of other articles printing a cited sentence, ``sco_data.building.partners``)
are checked here too, for any length of evidence; a line that is both a repeat and a partner is
reported once, as a partner.

Lookups go through an index of folded words, rarest word first, so the check grows with the
number of lines, not with lines times citations.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass

from sco_data.building.alignment import advice, describe
from sco_data.building.citing import CitedSource, CitedUnit
from sco_data.building.folding import fold_word_list, fold_words
from sco_data.building.load import Articles, Loaded, field_name
from sco_data.building.partners import Owed, Partners, rows_and_debts
from sco_data.building.sources import ArticleText
from sco_data.errors import CitationFix, Problem

CLAUSE_WORDS = 6
"""Evidence of this many folded words or more is a clause, and its repeats are checked."""

LineKey = tuple[str, int]  # (article id, 1-based line)


@dataclass(frozen=True)
class Repeat:
    """A line other than the cited one where a citation's folded words stand."""

    article: str
    line: int
    char_start: int
    char_end: int
    source: CitedSource


@dataclass(frozen=True)
class NotCitedRow:
    """A declared non-citation that passed its checks, as the ``not_cited`` table stores it."""

    record_table: str
    record_id: str
    number: int
    article: str
    line: int
    reason: str

    @property
    def id(self) -> str:
        return f"{self.record_table}-{self.record_id}-{self.number}"


class FoldedLines:
    """Every line of every article, folded, with an index from each folded word to its lines.

    Each line keeps its folded words (each distinct word stored once) and their offsets in the
    original text as one array of integers: a fraction of the size of one object per word, which
    matters for a corpus of millions of words."""

    def __init__(self, texts: dict[str, ArticleText]):
        self.words: dict[LineKey, tuple[str, ...]] = {}
        self._offsets: dict[LineKey, array[int]] = {}
        self._lines_with: dict[str, list[LineKey]] = defaultdict(list)
        shared: dict[str, str] = {}
        for article_id, text in texts.items():
            for number, line in enumerate(text.lines, 1):
                words = fold_words(line)
                if not words:
                    continue
                key = (article_id, number)
                self.words[key] = tuple(shared.setdefault(word.folded, word.folded)
                                        for word in words)
                self._offsets[key] = array("I", [edge for word in words
                                                 for edge in (word.start, word.end)])
                for folded in dict.fromkeys(self.words[key]):
                    self._lines_with[folded].append(key)

    def folded_span(self, article: str, number: int, start: int, end: int) -> list[str]:
        """The folded words of one line that stand within ``[start, end)`` of it."""
        words, offsets = self.words.get((article, number), ()), self._offsets.get((article,
                                                                                  number))
        if offsets is None:
            return []
        # The words are in order: find the first starting in the span and the first ending
        # past it by bisection, not by a walk over the line for each of its sentences.
        count = len(words)
        first = bisect_left(range(count), start, key=lambda index: offsets[2 * index])
        last = bisect_right(range(count), end, key=lambda index: offsets[2 * index + 1])
        return list(words[first:last])

    def find(self, needle: list[str]) -> list[tuple[LineKey, int, int]]:
        """Every line where the folded words ``needle`` stand, with their original offsets."""
        if not needle:
            return []
        rarest = min(set(needle), key=lambda word: len(self._lines_with.get(word, ())))
        size, first = len(needle), needle[0]
        found = []
        for key in sorted(self._lines_with.get(rarest, ())):
            words, offsets = self.words[key], self._offsets[key]
            for index in range(len(words) - size + 1):
                if words[index] == first and list(words[index:index + size]) == needle:
                    found.append((key, offsets[2 * index], offsets[2 * (index + size) - 1]))
        return found


def check_repeats(
    records: dict[str, list[Loaded]], articles: Articles, lines: FoldedLines,
    partners: Partners | None = None,
) -> tuple[list[Problem], list[NotCitedRow]]:
    """Problems for every undeclared repeat or partner line and every wrong declaration; the
    declared rows. Without ``partners`` only repeats are checked."""
    problems: list[Problem] = []
    declared_rows: list[NotCitedRow] = []
    for item, unit, owes in rows_and_debts(records, partners, articles.texts):
        repeats = _repeats_of(unit, lines)
        problems += _unsettled(item, unit, owes)
        problems += _undeclared(item, unit, {
            key: repeat for key, repeat in repeats.items() if key not in owes}, articles)
        found, rows = _declarations(item, unit, repeats.keys() | owes.keys(), articles)
        problems += found
        declared_rows += rows
    return problems, declared_rows


def _unsettled(item: Loaded, unit: CitedUnit, owes: dict[LineKey, Owed]) -> list[Problem]:
    """The partner check: each partner line the record neither cites nor declares."""
    settled = {(source.article, source.line) for source in unit.sources}
    settled |= {(ref.article, ref.line) for ref in unit.not_cited}
    problems = []
    for key, debt in sorted(owes.items()):
        if key in settled:
            continue
        source = debt.source
        where = (f"{debt.article} line {debt.line} prints the sentence of source {source.number}"
                 f" ({source.article} line {source.line}, {_short(source.evidence)!r})")
        field = field_name((*unit.location, "sources"))
        line = item.line_of(*source.location)
        carried = debt.carried
        if carried.evidence is not None and debt.whole:
            paste = (f"- {{article: {debt.article}, line: {debt.cite_line}, "
                     f"evidence: {json.dumps(carried.evidence, ensure_ascii=False)}}}")
            if debt.cite_line != debt.line:
                where += f"; line {debt.cite_line} is the first to name it there"
            if debt.others:
                where += (f"; it prints part of the evidence, the rest on line(s) "
                          f"{', '.join(map(str, debt.others))}: cite it if that part states "
                          "the fact")
            fix = CitationFix(item.document.path, item.index, unit.location, debt.article,
                              debt.cite_line, carried.evidence,
                              f"{unit.record_table}/{unit.record_id}")
            problems.append(Problem(item.path, line, item.record_id, field, (
                f"{where}: cite it (ready to paste: {paste}; python build.py fix writes it) or "
                "declare it under not_cited with a reason"), fix))
        elif carried.evidence is not None:
            problems.append(Problem(item.path, line, item.record_id, field, (
                f"{where}, but only part of the evidence: cite the part it prints (evidence "
                f"{json.dumps(carried.evidence, ensure_ascii=False)}) or declare it under "
                "not_cited with a reason")))
        else:
            problems.append(Problem(item.path, line, item.record_id, field, (
                f"{where}, in other words ({describe(carried.differing)}): "
                f"{advice(carried.differing)}")))
    return problems


def _repeats_of(unit: CitedUnit, lines: FoldedLines) -> dict[LineKey, Repeat]:
    cited = {(source.article, source.line) for source in unit.sources}
    cited_articles = {source.article for source in unit.sources}
    repeats: dict[LineKey, Repeat] = {}
    for source in unit.sources:
        needle = fold_word_list(source.evidence)
        if len(needle) < CLAUSE_WORDS:
            continue
        for key, start, end in lines.find(needle):
            if key in cited or (unit.is_entity and key[0] in cited_articles):
                continue
            repeats.setdefault(key, Repeat(key[0], key[1], start, end, source))
    return repeats


def _undeclared(item: Loaded, unit: CitedUnit, repeats: dict[LineKey, Repeat],
                articles: Articles) -> list[Problem]:
    declared = {(ref.article, ref.line) for ref in unit.not_cited}
    problems = []
    for key, repeat in sorted(repeats.items()):
        if key in declared:
            continue
        line_text = articles.texts[repeat.article].lines[repeat.line - 1]
        words = line_text[repeat.char_start:repeat.char_end]
        paste = (f"- {{article: {repeat.article}, line: {repeat.line}, "
                 f"evidence: {json.dumps(words, ensure_ascii=False)}}}")
        problems.append(Problem(
            item.path, item.line_of(*repeat.source.location), item.record_id,
            field_name((*unit.location, "sources")),
            f"the words also stand on {repeat.article} line {repeat.line} (those of source "
            f"{repeat.source.number}, {_short(repeat.source.evidence)!r}): cite it (ready to "
            f"paste: {paste}; python build.py fix writes it) or declare it under not_cited "
            "with a reason",
            CitationFix(item.document.path, item.index, unit.location, repeat.article,
                        repeat.line, words, f"{unit.record_table}/{unit.record_id}"),
        ))
    return problems


def _declarations(item: Loaded, unit: CitedUnit, repeats: Set[LineKey],
                  articles: Articles) -> tuple[list[Problem], list[NotCitedRow]]:
    cited = {(source.article, source.line) for source in unit.sources}
    problems, rows = [], []
    seen: set[LineKey] = set()
    for index, ref in enumerate(unit.not_cited):
        location = (*unit.location, "not_cited", index)
        key = (ref.article, ref.line)
        text = articles.texts.get(ref.article)
        if text is None:
            if ref.article not in {entry.record.id for entry in articles.entries}:
                problems.append(item.problem((*location, "article"), (
                    f"unknown id {ref.article!r}: no such record in seeds/articles.yml")))
            continue
        if not 1 <= ref.line <= text.line_count:
            problems.append(item.problem((*location, "line"), (
                f"line {ref.line} does not exist: {ref.article} has lines 1 to {text.line_count}")))
        elif key in seen:
            problems.append(item.problem((*location, "line"), (
                f"line {ref.line} of {ref.article} is declared twice: keep one declaration")))
        elif key in cited:
            problems.append(item.problem((*location, "line"), (
                f"line {ref.line} of {ref.article} is cited by this record: remove the "
                "declaration")))
        elif key not in repeats:
            problems.append(item.problem((*location, "line"), (
                f"none of this record's cited clauses ({CLAUSE_WORDS} words or more) stands on "
                f"line {ref.line} of {ref.article}, and it prints none of their sentences; it "
                "reads: "
                f"{_short(text.lines[ref.line - 1], 200)!r}: remove the declaration"
                + (" (an entity cites one line per article; this article is cited)"
                   if unit.is_entity and ref.article in {s.article for s in unit.sources}
                   else "")
            )))
        else:
            rows.append(NotCitedRow(unit.record_table, unit.record_id, len(rows) + 1,
                                    ref.article, ref.line, ref.reason))
        seen.add(key)
    return problems, rows


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
