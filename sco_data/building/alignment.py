"""Carrying a citation's evidence from a line to its partner, in the partner's own characters.

The two spans' words are folded (``sco_data.building.folding``) and aligned word by word
(rapidfuzz's Indel opcodes, the longest common subsequence, on lists of folded words: C++
speed, and it names each dropped or added word; a drop beside an addition is a replacement).
The evidence carries over when each of its words stands,
folded, in the partner, in order and with nothing added between them: the partner's evidence
is then its own characters from the first of those words to the last, with the quotation marks
or brackets that open or close the evidence where the partner has them too. Otherwise the
words that differ are named ("Turkey" → "Turkiye"), for a person to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from sco_data.building.folding import Word, fold_words

# Characters that may open or close evidence outside its words; carried when the partner has
# one of them at the same place.
_MARKS = "\"'“”‘’«»()[]"


@dataclass(frozen=True)
class Carried:
    """The evidence as the partner prints it, or the words that keep it from carrying."""

    evidence: str | None  # the partner's characters, when every word carries
    start: int = 0
    end: int = 0
    differing: list[tuple[str, str]] = field(default_factory=list)  # (source's, partner's)

    @property
    def complete(self) -> bool:
        return self.evidence is not None


def carry(source: str, start: int, end: int, partner: str, window: tuple[int, int] | None = None,
          context: tuple[int, int] | None = None) -> Carried:
    """Carry ``source[start:end]`` into ``partner`` (within ``window`` of it, if given). The
    source's words within ``context`` (the evidence's sentences; the whole line if not given)
    are aligned, so a one-word
    evidence replaced by another word ("Turkey" → "Turkiye") is told from one dropped."""
    low, high = context or (0, len(source))
    low, high = min(low, start), max(high, end)
    mine = _words(source, low, high)
    # Words the evidence holds, or cuts ("Kazakhstan" of "Kazakhstan’s"): a cut word carries
    # only to the same characters, cut the same way.
    inside = [index for index, word in enumerate(mine) if word.start < end and word.end > start]
    wlow, whigh = window or (0, len(partner))
    theirs = _words(partner, wlow, whigh)
    if not inside or not theirs:
        return Carried(None, differing=[(source[start:end], "")])
    first, last = inside[0], inside[-1] + 1
    mapped: list[int] = []
    edits: list[tuple[str, int, int, int, int]] = []
    opcodes = Indel.opcodes([word.folded for word in mine], [word.folded for word in theirs])
    for opcode in opcodes:
        tag, i1, i2, j1, j2 = (opcode.tag, opcode.src_start, opcode.src_end, opcode.dest_start,
                               opcode.dest_end)
        if tag == "equal":
            mapped += [j1 + i - i1 for i in range(max(i1, first), min(i2, last))]
        elif tag == "delete" and i1 < last and i2 > first:
            edits.append((tag, max(i1, first), min(i2, last), j1, j2))
        elif tag == "insert" and first <= i1 <= last:
            edits.append((tag, i1, i2, j1, j2))
    edits = _trim(edits, first, last)
    if edits:
        return Carried(None, differing=_differences(source, mine, partner, theirs, edits))
    head, tail = mine[first], mine[last - 1]
    their_head, their_tail = theirs[mapped[0]], theirs[mapped[-1]]
    begin, finish = their_head.start, their_tail.end
    if head.start < start or tail.end > end:
        if (source[head.start:head.end] != partner[their_head.start:their_head.end]
                or source[tail.start:tail.end] != partner[their_tail.start:their_tail.end]):
            return Carried(None, differing=[(source[head.start:tail.end],
                                             partner[begin:finish])])
        begin += max(0, start - head.start)
        finish -= max(0, tail.end - end)
    lead = _marks(source[start:max(start, head.start)])
    trail = _marks(source[min(end, tail.end):end])
    while lead and begin > 0 and partner[begin - 1] in _MARKS:
        begin, lead = begin - 1, lead - 1
    while trail and finish < len(partner) and partner[finish] in _MARKS + ",.":
        finish, trail = finish + 1, trail - 1
    return Carried(partner[begin:finish], begin, finish)


def _words(text: str, low: int, high: int) -> list[Word]:
    return [Word(word.folded, word.start + low, word.end + low)
            for word in fold_words(text[low:high])]


def _trim(edits: list[tuple[str, int, int, int, int]], first: int, last: int
          ) -> list[tuple[str, int, int, int, int]]:
    """The edits that touch the evidence: an addition at its edge counts only beside a drop
    (a word replaced), else it is the partner's own words before or after the evidence."""
    kept = []
    for index, edit in enumerate(edits):
        tag, i1 = edit[0], edit[1]
        if tag == "insert" and i1 in (first, last):
            neighbours = edits[max(0, index - 1):index] + edits[index + 1:index + 2]
            if not any(other[0] == "delete" and i1 in (other[1], other[2])
                       for other in neighbours):
                continue
        kept.append(edit)
    return kept


def _differences(source: str, words: list[Word], partner: str, theirs: list[Word],
                 edits: list[tuple[str, int, int, int, int]]) -> list[tuple[str, str]]:
    """The edits inside the evidence as (source's words, partner's words); a drop and an
    addition at the same place are one replacement ("Turkey" → "Turkiye")."""
    found: list[tuple[str, str]] = []
    index = 0
    while index < len(edits):
        tag, i1, i2, j1, j2 = edits[index]
        following = edits[index + 1] if index + 1 < len(edits) else None
        if following and {tag, following[0]} == {"delete", "insert"} and following[1] in (i1, i2):
            dropped, added = (edits[index], following) if tag == "delete" else (following,
                                                                               edits[index])
            found.append((_span(source, words, dropped[1], dropped[2]),
                          _span(partner, theirs, added[3], added[4])))
            index += 2
            continue
        if tag == "delete":
            found.append((_span(source, words, i1, i2), ""))
        elif tag == "insert":
            found.append(("", _span(partner, theirs, j1, j2)))
        else:
            found.append((_span(source, words, i1, i2), _span(partner, theirs, j1, j2)))
        index += 1
    return found


def _marks(text: str) -> int:
    """How many characters of ``text`` (before the first word, or after the last) to carry."""
    return len(text.strip()) if text.strip() and not text.strip(_MARKS + ",.") else 0


def _span(text: str, words: list[Word], first: int, last: int) -> str:
    return text[words[first].start:words[last - 1].end]


def describe(differing: list[tuple[str, str]]) -> str:
    """The differing words, for a message: ``'Turkey' → 'Turkiye'; 'Kazakh' not printed``."""
    return "; ".join(f"{mine!r} → {theirs!r}" if mine and theirs else
                     (f"{mine!r} not printed" if mine else f"{theirs!r} added")
                     for mine, theirs in differing)


def names_differ(differing: list[tuple[str, str]]) -> bool:
    """Whether a capitalized word stands where the partner has another: a name spelled
    otherwise ("Turkey" → "Turkiye"), rather than words added or dropped."""
    return any(mine and theirs and mine[:1].isupper() and theirs[:1].isupper()
               for mine, theirs in differing)


def advice(differing: list[tuple[str, str]]) -> str:
    """What a person does about a partner in other words."""
    if names_differ(differing):
        return ("a name spelled otherwise: cite the line in the copy's words (a person's, "
                "country's or organization's other spelling goes under its aliases), or declare "
                "it under not_cited with a reason")
    return ("cite the copy's own words if they state the fact, or declare the line under "
            "not_cited with a reason")
