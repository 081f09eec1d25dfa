"""Page furniture: the lines of a saved web page that are no part of the reporting.

The seeds keep each page whole, menus and photo credits included, so that line numbers stay the
page's own. A non-empty line no record cites is therefore one of two things: page furniture (a
menu, an icon's caption, a photo credit, a section heading asked as a question, a row of topic
tags) or a statement no record covers yet. ``PATTERNS`` tells them apart; a line that matches
none of them is a statement, so an unknown kind of debris is counted as reporting, never the
other way round.

The patterns were written by reading every uncited line of the articles. Each matches a whole
line (``re.fullmatch``, after the line's outer spaces are set aside) and is narrow enough that no
sentence of reporting fits it: a literal label, a number in a widget's shape, or a heading's
shape with no sentence punctuation. ``tests/test_coverage.py`` keeps them honest: a line any
record cites never matches a pattern; every pattern sorts at least one uncited line of the
articles (none is kept for a page the articles do not have); and a furniture line with a
sentence of reporting put before or after it, or a quotation mark put in it, matches none.

Bylines, datelines and copyright notices are not furniture here: the registry's own records cite
them (they state an article's author, date and publisher).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class FurniturePattern(NamedTuple):
    """One kind of page furniture: its name (shown beside each line it matches), the pattern a
    whole line must match, and why such a line states nothing."""

    name: str
    regex: re.Pattern[str]
    why: str


# The names a topic-tag row is made of (PA's picture keywords, the tags closing a page). A row
# naming anything else is read as a statement until its name is added here. "SCO" is left out
# on purpose: PA's "Kazakhstan SCO" row is the first line naming the organisation in that
# article, so a record cites it, and a cited line can never be furniture.
TAG_NAMES: tuple[str, ...] = (
    "Kazakhstan", "China", "Russia", "Nato", "Xi Jinping", "Vladimir Putin",
)

_TAG = "(?:" + "|".join(re.escape(name) for name in TAG_NAMES) + ")"

PATTERNS: tuple[FurniturePattern, ...] = (
    FurniturePattern(
        "accessibility link",
        # "Skip to main content", "Accessibility links": the screen-reader menu at a page's top.
        re.compile(r"Skip to (?:main )?content|Accessibility links"),
        "a screen-reader link or menu at the top of the page"),
    FurniturePattern(
        "icon caption",
        # "Clear icon": a button's icon read out as text; one capitalised word, then "icon".
        re.compile(r"[A-Z][a-z]+ icon"),
        "the text label of a button's icon"),
    FurniturePattern(
        "weather widget",
        # "52º": a temperature in the site's header, with the ordinal or the degree sign.
        re.compile(r"-?\d{1,3} ?[º°](?: ?[CF])?"),
        "the temperature shown in the site's header"),
    FurniturePattern(
        "gallery counter",
        # "1 / 20": the position in a photo gallery.
        re.compile(r"\d{1,3} / \d{1,3}"),
        "a photo gallery's position counter"),
    FurniturePattern(
        "photo credit",
        # "Sputnik" alone under a picture; "© ANI News / Youtube channel". A credit never holds
        # a full stop, so "© 2024 The Associated Press. All rights reserved." (cited: it names
        # the publisher) stays out.
        re.compile(r"Sputnik|©\s?[^.!?\"“”]{1,60}"),
        "who took or supplied a picture"),
    FurniturePattern(
        "site widget",
        # Headings and placeholders of the site's own boxes, not the article's.
        re.compile(r"Recommended Videos|Breaking News|Loading(?:\.\.\.|…)|update"),
        "a heading, banner or placeholder of the site's own boxes"),
    FurniturePattern(
        "account prompt",
        # "Sign up", "Log in to your WTOP account for notifications and alerts ...": one
        # sentence, so reporting run on after it on the same line does not fit.
        re.compile(r"Sign up"
                   r"|Log in to your [A-Za-z]+ account for notifications[^.!?\"“”]*\.?"),
        "an invitation to sign up or log in to the site"),
    FurniturePattern(
        "separator",
        # "—-": a rule of dashes between the story and its credits.
        re.compile(r"[—–-]{2,}"),
        "a rule of dashes between parts of the page"),
    FurniturePattern(
        "image options",
        # "• 16x9 Image", "XS", "SM", "MD", "LG": an embedded picture's aspect ratio and sizes.
        re.compile(r"(?:• ?)?\d{1,2}x\d{1,2} Image|XS|SM|MD|LG"),
        "the aspect ratio or a size of an embedded picture"),
    FurniturePattern(
        "topic tags",
        # "Kazakhstan China", "Xi Jinping Nato Vladimir Putin": two or more of TAG_NAMES and
        # nothing else, not even a comma.
        re.compile(rf"{_TAG}(?: {_TAG})+"),
        "a row of topic tags or picture keywords"),
    FurniturePattern(
        "question heading",
        # "What is the Shanghai Cooperation Organization?": a section heading asked as one short
        # question. No comma, full stop, colon or quotation mark, so a sentence of reporting (or
        # a quoted question) does not fit.
        re.compile(r"(?:What|Who|Whom|Whose|Which|Where|When|Why|How|Will|Are|Is|Does|Do"
                   r"|Can)\b[^.,;:!?\"“”]{1,80}\?"),
        "a section heading asked as a question: it announces, it states nothing"),
)


def furniture(line: str) -> FurniturePattern | None:
    """The first pattern the whole line matches (outer spaces set aside), or None: a statement."""
    text = line.strip()
    return next((pattern for pattern in PATTERNS if pattern.regex.fullmatch(text)), None)
