"""The quoted-span inventory: every span in double quotation marks is a quote, or says why not.

A span is the text between an opening mark (“ or ") and the next closing mark (” or ") on the
same line, marks paired in order along the line: the articles mix a straight opening mark with a
curly closing one. Single quotation marks (‘ ’) are apostrophes as often as quotes and are not
spans. Each span on every line of every article, page debris included, is either

- an appearance of a quote: a quote cites the line and its text, house style folded, is the
  span's text (a comma or period inside the closing mark aside); or
- declared in ``sco_data/records/quoted_spans.yml`` with a reason it is no quote (no speaker
  given, a slogan recorded as a meeting fact, page debris).

The build fails on a span that is neither, on a reason given for a quote's appearance, and on a
quote citation with no span on its line to appear as.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sco_data.building.folding import fold
from sco_data.building.load import STRICT, Articles, Loaded, LoadRules, load_collection
from sco_data.errors import Problem
from sco_data.models import SpanReasonRecord
from sco_data.paths import display_path

OPENING = "“\""
CLOSING = "”\""
REASONS_FILE = "quoted_spans.yml"


@dataclass(frozen=True)
class Span:
    """Words between quotation marks on one line; offsets exclude the marks."""

    article: str
    line: int
    number: int  # 1-based, in order along the line
    char_start: int
    char_end: int
    text: str

    @property
    def id(self) -> str:
        return f"{self.article}-L{self.line}-q{self.number}"


@dataclass
class SpanRow:
    """A span and what accounts for it, as the ``quoted_spans`` table stores it."""

    span: Span
    quote_id: str | None = None
    reason: str | None = None


def spans_on(article: str, number: int, line: str) -> list[Span]:
    """The quoted spans of one line, marks paired in order; an unclosed mark opens no span."""
    spans: list[Span] = []
    opened: int | None = None
    for index, char in enumerate(line):
        if opened is None and char in OPENING:
            opened = index + 1
        elif opened is not None and char in CLOSING:
            spans.append(Span(article, number, len(spans) + 1, opened, index, line[opened:index]))
            opened = None
    return spans


def all_spans(articles: Articles) -> list[Span]:
    return [
        span
        for article_id, text in articles.texts.items()
        for number, line in enumerate(text.lines, 1)
        for span in spans_on(article_id, number, line)
    ]


def load_reasons(
    records_dir: Path, rules: LoadRules = STRICT
) -> tuple[list[Loaded[SpanReasonRecord]], list[Problem]]:
    return load_collection(records_dir / REASONS_FILE, SpanReasonRecord, rules)


def account_for_spans(
    quotes: list[Loaded[Any]],
    reasons: list[Loaded[SpanReasonRecord]],
    articles: Articles,
    seeds_dir: Path,
    reasons_file: Path,
) -> tuple[list[Problem], list[SpanRow]]:
    """Match every span to a quote or a reason; problems for whatever is left over."""
    rows = {(span.article, span.line, span.number): SpanRow(span) for span in all_spans(articles)}
    by_line: dict[tuple[str, int], list[SpanRow]] = {}
    for row in rows.values():
        by_line.setdefault((row.span.article, row.span.line), []).append(row)
    problems = _match_quotes(quotes, by_line)
    problems += _match_reasons(reasons, by_line, articles)
    files = {entry.record.id: seeds_dir / entry.record.file for entry in articles.entries}
    for row in rows.values():
        if row.quote_id is None and row.reason is None:
            problems.append(_unaccounted(row.span, files[row.span.article], reasons_file))
    return problems, list(rows.values())


def _match_quotes(quotes: list[Loaded[Any]],
                  by_line: dict[tuple[str, int], list[SpanRow]]) -> list[Problem]:
    problems = []
    for item in quotes:
        quote = item.record
        folded = fold(quote.text)
        for number, source in enumerate(quote.sources):
            candidates = by_line.get((source.article, source.line), [])
            matching = [row for row in candidates if fold(row.span.text) == folded]
            if not matching:
                shown = "; ".join(repr(row.span.text) for row in candidates) or "none"
                problems.append(item.problem(("sources", number, "line"), (
                    f"no span in quotation marks on line {source.line} of {source.article} reads "
                    f"as this quote's text (house style folded); the spans there: {shown}. Cite "
                    "the line where the quote is printed, or correct the text"
                )))
                continue
            free = [row for row in matching if row.quote_id in (None, quote.id)]
            if not free:
                problems.append(item.problem(("sources", number, "line"), (
                    f"the span on line {source.line} of {source.article} is already the quote "
                    f"{matching[0].quote_id!r}: merge the two quotes"
                )))
                continue
            free[0].quote_id = quote.id
    return problems


def _match_reasons(reasons: list[Loaded[SpanReasonRecord]],
                   by_line: dict[tuple[str, int], list[SpanRow]],
                   articles: Articles) -> list[Problem]:
    known = {entry.record.id for entry in articles.entries}
    problems = []
    for item in reasons:
        entry = item.record
        if entry.article not in known:
            problems.append(item.problem(("article",), (
                f"unknown id {entry.article!r}: no such record in seeds/articles.yml")))
            continue
        text = articles.texts.get(entry.article)
        if text is None:
            continue  # the seed failed its hash check, reported already
        if not 1 <= entry.line <= text.line_count:
            problems.append(item.problem(("line",), (
                f"line {entry.line} does not exist: {entry.article} has lines 1 to "
                f"{text.line_count}")))
            continue
        candidates = by_line.get((entry.article, entry.line), [])
        matching = [row for row in candidates if row.span.text == entry.text]
        if not matching:
            shown = "; ".join(repr(row.span.text) for row in candidates) or "none"
            problems.append(item.problem(("text",), (
                f"no span in quotation marks on line {entry.line} of {entry.article} is exactly "
                f"{entry.text!r}; the spans there: {shown}"
            )))
            continue
        quoted = [row for row in matching if row.quote_id is not None]
        free = [row for row in matching if row.quote_id is None and row.reason is None]
        if not free:
            message = (
                f"the span is the quote {quoted[0].quote_id!r}, which accounts for it: remove "
                "this reason" if quoted else "the span already has a reason: keep one"
            )
            problems.append(item.problem(("text",), message))
            continue
        free[0].reason = entry.reason
    return problems


def _unaccounted(span: Span, seed: Path, reasons_file: Path) -> Problem:
    paste = (f"- {{article: {span.article}, line: {span.line}, "
             f"text: {json.dumps(span.text, ensure_ascii=False)}, reason: …}}")
    return Problem(
        display_path(seed), span.line, span.article, "quoted span",
        f"{span.text!r} (characters {span.char_start}–{span.char_end}) is in quotation marks "
        f"but is no quote's appearance and has no reason: record the quote citing this line, "
        f"or declare the span in {display_path(reasons_file)} (ready to paste: {paste})",
    )
