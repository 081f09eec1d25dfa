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


def carry(source: str, start: int, end: int, partner: str, window: tuple[int, int] | None = None
          ) -> Carried:
    """Carry ``source[start:end]`` into ``partner`` (within ``window`` of it, if given)."""
    words = [word for word in fold_words(source) if word.start >= start and word.end <= end]
    low, high = window or (0, len(partner))
    theirs = [word for word in fold_words(partner[low:high])]
    theirs = [Word(word.folded, word.start + low, word.end + low) for word in theirs]
    if not words or not theirs:
        return Carried(None, differing=[(source[start:end], "")])
    mapped: list[int] = []
    differing: list[tuple[str, str]] = []
    mine = [word.folded for word in words]
    other = [word.folded for word in theirs]
    pending: list[tuple[str, int, int, int, int]] = []
    for opcode in Indel.opcodes(mine, other):
        tag, i1, i2, j1, j2 = opcode.tag, opcode.src_start, opcode.src_end, opcode.dest_start, \
            opcode.dest_end
        if tag == "equal":
            mapped += range(j1, j2)
        elif tag == "insert" and not 0 < i1 < len(words):
            continue  # the partner's words before or after the evidence
        else:
            pending.append((tag, i1, i2, j1, j2))
    differing = _differences(source, words, partner, theirs, pending)
    if differing:
        return Carried(None, differing=differing)
    first, last = theirs[mapped[0]], theirs[mapped[-1]]
    begin, finish = first.start, last.end
    lead, trail = _marks(source[start:words[0].start], True), _marks(source[words[-1].end:end],
                                                                     False)
    while lead and begin > 0 and partner[begin - 1] in _MARKS:
        begin, lead = begin - 1, lead - 1
    while trail and finish < len(partner) and partner[finish] in _MARKS + ",.":
        finish, trail = finish + 1, trail - 1
    return Carried(partner[begin:finish], begin, finish)


def _differences(source: str, words: list[Word], partner: str, theirs: list[Word],
                 edits: list[tuple[str, int, int, int, int]]) -> list[tuple[str, str]]:
    """The edits inside the evidence as (source's words, partner's words); a drop followed at
    the same place by an addition is one replacement ("Turkey" → "Turkiye")."""
    found: list[tuple[str, str]] = []
    index = 0
    while index < len(edits):
        tag, i1, i2, j1, j2 = edits[index]
        following = edits[index + 1] if index + 1 < len(edits) else None
        if tag == "delete" and following and following[0] == "insert" and following[1] == i2:
            found.append((_span(source, words, i1, i2),
                          _span(partner, theirs, following[3], following[4])))
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


def _marks(text: str, leading: bool) -> int:
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
        return ("a name spelled otherwise: cite the line in the copy's words and record the "
                "spelling as an alias of its person, country or organization, or declare it "
                "under not_cited with a reason")
    return ("cite the copy's own words if they state the fact, or declare the line under "
            "not_cited with a reason")
