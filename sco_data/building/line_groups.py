"""Line groups: the lines of different articles that print the same sentence.

Wire copies print one paragraph in several outlets: word for word, in another house style
("Mr Putin", "organisation"), or lightly edited (a clause dropped, "will be" turned into "was").
A *line group* holds every such line, however many outlets print it: 500 copies of a sentence
are one group of 500 lines, never 125,000 pairs.

How lines are grouped (the thresholds are tested on the real pairs of the five articles):

1. Every line is folded word by word (``sco_data.building.folding``). A line of fewer than
   ``MIN_WORDS`` folded words ("Advertisement", a heading, an empty line) is never grouped.
2. Lines whose folded words are equal are one *variant*: this joins identical and house-style
   copies in one dictionary lookup each.
3. Two variants are a *near* match when they share a run of ``SHINGLE`` consecutive words
   and their longest common word subsequence (rapidfuzz's ``LCSseq``) holds at least
   ``NEAR_MIN_SHARED`` words and at least ``NEAR_SHARE`` of the shorter line's words. A dropped
   clause keeps every word of the shorter line (share 1.0); "will be" → "was" keeps all but one.
   On the five articles the real pairs share 0.83 or more, and the closest unrelated lines
   (VOA's own sentence on the founding against AP's) 0.75.
4. Candidates come from blocking, not from all pairs: an index maps each run of three words to
   the groups holding it, and a new variant is compared only with up to ``EXEMPLARS`` variants
   of each group it shares a run with. The work grows with the number of lines times the
   (small) number of groups sharing a run, not with the square of the corpus.

Groups that stay within one article are dropped: a group is kept when it spans two articles or
more. Each line's ``kind`` says how it stands to the closest line of another article in its
group: ``identical`` (the same characters), ``house_style`` (the same words once folded) or
``near``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import LCSseq

from sco_data.building.folding import fold_word_list

MIN_WORDS = 6
SHINGLE = 3
NEAR_MIN_SHARED = 8
NEAR_SHARE = 0.8
EXEMPLARS = 4

KINDS = ("identical", "house_style", "near")


@dataclass(frozen=True)
class GroupedLine:
    """One line of one article, in the group of lines that print the same sentence."""

    group: str  # the group's id: the line id of its first line
    article_id: str
    line: int
    kind: str  # identical, house_style or near (see the module docstring)


@dataclass
class _Variant:
    """Lines whose folded words are equal, wherever they stand."""

    index: int
    words: tuple[int, ...]  # the key of ``by_words`` itself: never held twice
    lines: list[_Line] = field(default_factory=list)


@dataclass(frozen=True, order=True, slots=True)
class _Line:
    order: int  # position in the corpus: article in registry order, then line
    article: str
    number: int
    text: int  # the text's hash: equal hashes are the same characters (a 64-bit hash of a
    # corpus's lines does not collide in practice), and no line is held twice
    variant: int


def near(left: Sequence[int], right: Sequence[int]) -> bool:
    """Whether two lines' folded words (as word numbers) are a light edit of each other."""
    shorter = min(len(left), len(right))
    needed = max(NEAR_MIN_SHARED, math.ceil(NEAR_SHARE * shorter))
    if needed > shorter:
        return False
    return LCSseq.similarity(left, right, score_cutoff=needed) >= needed


def shared_share(left: str, right: str) -> float:
    """The share of the shorter line's folded words that the longer keeps, in order: the
    measure ``near`` compares with ``NEAR_SHARE``; for documentation and tests."""
    vocabulary: dict[str, int] = {}
    a = [vocabulary.setdefault(word, len(vocabulary)) for word in fold_word_list(left)]
    b = [vocabulary.setdefault(word, len(vocabulary)) for word in fold_word_list(right)]
    return LCSseq.similarity(a, b) / max(1, min(len(a), len(b)))


FoldLine = Callable[[str, int, str], Sequence[str]]
"""The folded words of an article's line: (article id, line number, text) → words."""


def _fold_line(article: str, number: int, text: str) -> Sequence[str]:
    return fold_word_list(text)


def group_lines(texts: Mapping[str, Sequence[str]], line_id: Callable[[str, int], str],
                fold_line: FoldLine = _fold_line) -> list[GroupedLine]:
    """Every line of ``texts`` (article id → lines, in registry order) that prints the same
    sentence as a line of another article, with its group; in order of article, then line.
    ``fold_line`` may hand over words a caller has already folded."""
    variants = _variants(texts, fold_line)
    group_of = _near_groups(variants)
    members: dict[int, list[_Line]] = defaultdict(list)
    for index, variant in enumerate(variants):
        members[group_of(index)].extend(variant.lines)
    grouped: list[tuple[int, GroupedLine]] = []
    for lines in members.values():
        if len({line.article for line in lines}) < 2:
            continue
        lines.sort()
        group = line_id(lines[0].article, lines[0].number)
        texts_in = _articles_by(lines, lambda line: line.text)
        variants_in = _articles_by(lines, lambda line: line.variant)
        for line in lines:
            # Each set holds the line's own article: more than one means another prints it.
            if len(texts_in[line.text]) > 1:
                kind = "identical"
            elif len(variants_in[line.variant]) > 1:
                kind = "house_style"
            else:
                kind = "near"
            grouped.append((line.order, GroupedLine(group, line.article, line.number, kind)))
    return [row for _, row in sorted(grouped, key=lambda pair: pair[0])]


# --------------------------------------------------------------------------- internals


def _articles_by(lines: list[_Line], key: Callable[[_Line], object]) -> dict[object, set[str]]:
    found: dict[object, set[str]] = defaultdict(set)
    for line in lines:
        found[key(line)].add(line.article)
    return found


def _variants(texts: Mapping[str, Sequence[str]], fold_line: FoldLine) -> list[_Variant]:
    vocabulary: dict[str, int] = {}
    by_words: dict[tuple[int, ...], _Variant] = {}
    order = 0
    for article, lines in texts.items():
        for number, text in enumerate(lines, 1):
            folded = fold_line(article, number, text)
            if len(folded) < MIN_WORDS:
                continue
            words = tuple(vocabulary.setdefault(word, len(vocabulary)) for word in folded)
            variant = by_words.get(words)
            if variant is None:
                variant = by_words[words] = _Variant(len(by_words), words)
            variant.lines.append(_Line(order, article, number, hash(text), variant.index))
            order += 1
    return list(by_words.values())


def _near_groups(variants: list[_Variant]) -> Callable[[int], int]:
    """Union the variants that are near matches; return the function giving a variant's group."""
    parent = list(range(len(variants)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    # A group's first variants, which a new variant is compared with.
    exemplars: dict[int, list[int]] = {}
    # Each run of three words (as its hash: a collision only adds a candidate, which ``near``
    # then checks) → the variant holding it, or the list of those holding it when several do
    # (most runs stand in one variant: no list for those); their groups are looked up when
    # needed.
    groups_holding: dict[int, int | list[int]] = {}
    for index, variant in enumerate(variants):
        if len(variant.words) < NEAR_MIN_SHARED:
            continue  # too short to be near anything: joined only by equal words
        runs = _runs(variant.words)
        candidates: set[int] = set()
        for run in runs:
            holders = groups_holding.get(run)
            if holders is None:
                continue
            if isinstance(holders, int):
                candidates.add(find(holders))
                continue
            current = {find(holder) for holder in holders}
            if len(current) < len(holders):
                groups_holding[run] = list(current)  # groups merged since: keep it small
            candidates |= current
        joined: list[int] = []
        for candidate in sorted(candidates):
            if any(near(variant.words, variants[other].words) for other in exemplars[candidate]):
                joined += exemplars.pop(candidate)
                parent[candidate] = index
        exemplars[index] = sorted([*joined, index])[:EXEMPLARS]
        for run in runs:
            holders = groups_holding.get(run)
            if holders is None:
                groups_holding[run] = index
            elif isinstance(holders, int):
                groups_holding[run] = [holders, index]
            else:
                holders.append(index)
    return find


def _runs(words: Sequence[int]) -> set[int]:
    return {hash(tuple(words[i:i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}
