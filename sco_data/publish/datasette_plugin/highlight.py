"""Cut a line into plain and highlighted pieces, and render them as escaped HTML."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    """Characters ``start``–``end`` of a line that a citation quotes as its evidence."""

    start: int
    end: int
    focus: bool = False  # the one citation the reader followed, highlighted more strongly


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool = False
    focus: bool = False


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """``text`` as consecutive segments; overlapping or touching evidence merges into one mark.

    Offsets outside the line are clipped rather than trusted: a mark must never invent text.
    """
    boundaries = {0, len(text)}
    for span in spans:
        boundaries.update({_clip(span.start, text), _clip(span.end, text)})
    cuts = sorted(boundaries)
    pieces: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering = [span for span in spans if span.start <= start and end <= span.end]
        piece = Segment(text[start:end], marked=bool(covering),
                        focus=any(span.focus for span in covering))
        if pieces and (pieces[-1].marked, pieces[-1].focus) == (piece.marked, piece.focus):
            pieces[-1] = Segment(pieces[-1].text + piece.text, piece.marked, piece.focus)
        else:
            pieces.append(piece)
    return [piece for piece in pieces if piece.text] or [Segment("")]


def _clip(offset: int, text: str) -> int:
    return max(0, min(offset, len(text)))


def marked(text: str, spans: list[Span]) -> Markup:
    """The line as HTML: every piece escaped, the cited words inside <mark>."""
    return Markup("").join(
        Markup("<mark{}>{}</mark>").format(Markup(' class="sco-focus"') if piece.focus else "",
                                          piece.text)
        if piece.marked else escape(piece.text)
        for piece in segments(text, spans)
    )
