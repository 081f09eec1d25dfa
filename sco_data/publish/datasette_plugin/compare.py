"""Two articles of one source group side by side, aligned by line group, wording compared.

Lines are paired through their line groups: each line of the left article is set beside the line
of the right article in its group whose folded words are closest; a line with no partner stands
alone on its side, after the partner of the line before it. In a pair, words are compared after
house-style folding (``sco_data.building.folding``): a word whose folded form is the same but whose
spelling differs ("organisation", "U.N.", "Mr") is marked as house style, and words one line has
and the other does not (a dropped clause, "will be" for "was") as an edit.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape
from rapidfuzz.distance import Indel

from sco_data.building.folding import WORD_PATTERN, fold_word

HOUSE_STYLE = "sco-house"
EDIT = "sco-edit"


@dataclass(frozen=True)
class Side:
    """One line of one article, as the page shows it."""

    line: int
    text: str
    html: Markup


@dataclass(frozen=True)
class Row:
    """A row of the comparison: a pair of lines of one group, or a line alone on its side."""

    left: Side | None
    right: Side | None
    kind: str  # identical, house_style, near, left_only, right_only


@dataclass(frozen=True)
class _Token:
    folded: str
    start: int
    end: int
    original: str


def align(left: Sequence[tuple[int, str, str | None]],
          right: Sequence[tuple[int, str, str | None]]) -> list[Row]:
    """The comparison's rows. Each side is ``(line, text, group id or None)`` for every
    non-empty line, in order."""
    partners: dict[str, list[tuple[int, str]]] = {}
    for line, text, group in right:
        if group is not None:
            partners.setdefault(group, []).append((line, text))
    used: set[int] = set()
    pairs: list[tuple[tuple[int, str], tuple[int, str] | None]] = []
    for line, text, group in left:
        choices = [(n, t) for n, t in partners.get(group or "", []) if n not in used]
        best = max(choices, key=lambda choice: _closeness(text, choice[1]), default=None)
        if best is not None:
            used.add(best[0])
        pairs.append(((line, text), best))
    rows = [_pair_row(one, other) for one, other in pairs]
    # A right line without a partner goes after the row holding the right line before it.
    placed = [other[0] if other else 0 for _, other in pairs]
    running = [max(placed[: index + 1]) for index in range(len(placed))]
    inserts: list[tuple[int, int, Row]] = []
    for line, text, _ in right:
        if line in used:
            continue
        after = bisect.bisect_left(running, line)
        inserts.append((after, line, Row(None, Side(line, text, escape(text)), "right_only")))
    for after, _, row in sorted(inserts, key=lambda item: (item[0], item[1]), reverse=True):
        rows.insert(after, row)
    return rows


def compared(left: str, right: str) -> tuple[Markup, Markup]:
    """Both lines as HTML, their house-style differences and their edits marked."""
    left_tokens, right_tokens = _tokens(left), _tokens(right)
    left_marks: dict[int, str] = {}
    right_marks: dict[int, str] = {}
    # Words that fold away entirely ("Mr") are house style wherever they stand.
    for marks, tokens in ((left_marks, left_tokens), (right_marks, right_tokens)):
        marks.update({index: HOUSE_STYLE for index, token in enumerate(tokens)
                      if not token.folded})
    left_words = [index for index, token in enumerate(left_tokens) if token.folded]
    right_words = [index for index, token in enumerate(right_tokens) if token.folded]
    matcher = SequenceMatcher(a=[left_tokens[i].folded for i in left_words],
                              b=[right_tokens[i].folded for i in right_words], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(left_words[i1:i2], right_words[j1:j2], strict=True):
                if left_tokens[a].original != right_tokens[b].original:
                    left_marks[a] = right_marks[b] = HOUSE_STYLE
            continue
        left_marks.update(dict.fromkeys(left_words[i1:i2], EDIT))
        right_marks.update(dict.fromkeys(right_words[j1:j2], EDIT))
    return _render(left, left_tokens, left_marks), _render(right, right_tokens, right_marks)


# --------------------------------------------------------------------------- internals


def _pair_row(one: tuple[int, str], other: tuple[int, str] | None) -> Row:
    line, text = one
    if other is None:
        return Row(Side(line, text, escape(text)), None, "left_only")
    left_html, right_html = compared(text, other[1])
    if text == other[1]:
        kind = "identical"
    elif _folded(text) == _folded(other[1]):
        kind = "house_style"
    else:
        kind = "near"
    return Row(Side(line, text, left_html), Side(other[0], other[1], right_html), kind)


def _closeness(left: str, right: str) -> float:
    return Indel.normalized_similarity(_folded(left), _folded(right))


def _folded(text: str) -> list[str]:
    return [token.folded for token in _tokens(text) if token.folded]


def _tokens(text: str) -> list[_Token]:
    return [_Token(fold_word(match.group()), match.start(), match.end(), match.group())
            for match in WORD_PATTERN.finditer(text)]


def _render(text: str, tokens: list[_Token], marks: dict[int, str]) -> Markup:
    """Escaped text; runs of marked words of one class (with what stands between them) in a
    <span> of that class."""
    runs: list[tuple[int, int, str]] = []
    for index in sorted(marks):
        token, css = tokens[index], marks[index]
        if runs and runs[-1][2] == css and _adjacent(tokens, marks, runs[-1][1], index, css):
            runs[-1] = (runs[-1][0], token.end, css)
        else:
            runs.append((token.start, token.end, css))
    html, position = Markup(""), 0
    for start, end, css in runs:
        html += escape(text[position:start])
        html += Markup('<span class="{}">{}</span>').format(css, text[start:end])
        position = end
    return html + escape(text[position:])


def _adjacent(tokens: list[_Token], marks: dict[int, str], run_end: int, index: int,
              css: str) -> bool:
    """Whether no unmarked word stands between the run ending at ``run_end`` and ``index``."""
    previous = index - 1
    return previous >= 0 and tokens[previous].end == run_end and marks.get(previous) == css
