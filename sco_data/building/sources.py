"""The articles' text, line by line, and the check that a citation's words stand on its line.

A line is a 1-based line of the seed file split on "\\n" only. ``str.splitlines()`` would also
split on form feeds, U+0085, U+2028 and others, shifting every later line number, so it is never
used here. No seed ends with a newline: a file has ``text.count("\\n") + 1`` lines.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sco_data.errors import ScoDataError

# Characters a hand-typed citation often gets "wrong" against the article's typography.
_LOOSE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\xa0": " "})
_SHOWN_LINE_CHARS = 400


def split_lines(text: str) -> list[str]:
    """The article's lines, split on newline only (see the module docstring)."""
    return text.split("\n")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class CitationError(ScoDataError):
    """A citation's line or evidence does not match the article."""


@dataclass(frozen=True)
class ArticleText:
    """One article's verified text."""

    id: str
    lines: tuple[str, ...]

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line``; CitationError when the article has no such line."""
        if not 1 <= line <= self.line_count:
            raise CitationError(
                f"line {line} does not exist: {self.id} has lines 1 to {self.line_count}"
            )
        return self.lines[line - 1]

    def lines_containing(self, evidence: str) -> list[int]:
        return [number for number, text in enumerate(self.lines, 1) if evidence in text]

    def locate(self, line: int, evidence: str) -> tuple[int, int]:
        """Offsets ``(start, end)`` of ``evidence`` in ``line``; else CitationError saying why."""
        text = self.line_text(line)
        if not evidence:
            raise CitationError("evidence is empty; copy the words that state the fact")
        start = text.find(evidence)
        if start >= 0:
            return start, start + len(evidence)
        raise CitationError(self._explain_miss(line, text, evidence))

    def _explain_miss(self, line: int, text: str, evidence: str) -> str:
        shown = text if len(text) <= _SHOWN_LINE_CHARS else text[:_SHOWN_LINE_CHARS] + "…"
        message = f"{evidence!r} is not on line {line} of {self.id}, which reads: {shown!r}"
        elsewhere = self.lines_containing(evidence)
        if elsewhere:
            return message + f"; it occurs on line {_join_numbers(elsewhere)}: cite that line"
        loose = evidence.translate(_LOOSE).casefold()
        near = [n for n, t in enumerate(self.lines, 1) if loose in t.translate(_LOOSE).casefold()]
        if near:
            return message + (
                f"; it occurs on line {_join_numbers(near)} only if case, quotation marks, "
                "dashes or spaces are ignored: copy the evidence from the line exactly"
            )
        return message + "; it occurs nowhere in this article"


def _join_numbers(numbers: list[int]) -> str:
    return ", ".join(str(number) for number in numbers)
