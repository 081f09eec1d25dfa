"""Partner lines, and what a record owes them: the partner check and the citations it carries.

Two lines of different articles are partners when they hold sentences of one sentence group
(``sco_data.building.sentences``). A citation's partners are narrower: the lines holding the
partners of the sentences its evidence stands in, so a copy that merged the paragraph with the
next one is a partner, and a line that happens to sit beside it is not.

The rule (DESIGN, curation rule 9): a record that cites a line cites each of the citation's
partner lines too, in that article's own words, or declares the partner in ``not_cited`` with a
reason; for any length of evidence, names included. Entity rows (people, countries,
organizations and their aliases) keep their own rule, one citation per article naming them, the
first line that does: for them a partner in an article they already cite needs nothing.

Each requirement carries what a person needs to settle it: the partner's own words for the
evidence when every word carries (``sco_data.building.alignment``), ready to paste or to write
with ``python build.py cite-copies`` / ``fix``; otherwise the words that differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from sco_data.building.alignment import Carried, carry
from sco_data.building.citing import CitedSource, CitedUnit, cited_units
from sco_data.building.sentences import GroupedSentence
from sco_data.building.sources import ArticleText

LineKey = tuple[str, int]  # (article id, 1-based line)
ALIAS_TABLES = frozenset({"aliases", "organization_aliases", "country_aliases"})
SETTLED = Carried(None)  # what a partner the unit cites or declares carries: nothing needed


@dataclass(frozen=True)
class Owed:
    """A partner line a citation owes a citation (or a declaration), and what it would be."""

    article: str
    line: int
    source: CitedSource  # the record's citation whose sentence the partner prints
    carried: Carried  # the evidence in the partner's words (the line to cite, for an entity)
    cite_line: int  # the line to cite: the partner, or for an entity its first naming line
    whole: bool  # every evidence sentence has a partner in this article
    others: tuple[int, ...] = ()  # other lines of the article printing the rest of the evidence


class Partners:
    """The grouped sentences of every line, and of every sentence group."""

    def __init__(self, sentences: Iterable[GroupedSentence]) -> None:
        self._in_line: dict[LineKey, list[GroupedSentence]] = defaultdict(list)
        self._in_group: dict[str, list[GroupedSentence]] = defaultdict(list)
        for sentence in sentences:
            self._in_line[(sentence.article_id, sentence.line)].append(sentence)
            self._in_group[sentence.group].append(sentence)

    def has_line(self, article: str, line: int) -> bool:
        """Whether the line holds a sentence another article prints."""
        return (article, line) in self._in_line

    def lines(self, article: str) -> list[int]:
        """The lines of ``article`` that have a partner, in order."""
        return sorted(line for (name, line) in self._in_line if name == article)

    def of_span(self, article: str, line: int, start: int, end: int
                ) -> dict[LineKey, tuple[list[GroupedSentence], list[GroupedSentence]]]:
        """The partner lines of the sentences that ``[start, end)`` of a line overlaps: for each,
        those sentences of this line, and the partner's sentences of the same groups."""
        found: dict[LineKey, tuple[list[GroupedSentence], list[GroupedSentence]]] = {}
        for sentence in self._in_line.get((article, line), ()):
            if sentence.char_end <= start or sentence.char_start >= end:
                continue
            for other in self._in_group[sentence.group]:
                if other.article_id == article:
                    continue
                mine, theirs = found.setdefault((other.article_id, other.line), ([], []))
                if sentence not in mine:
                    mine.append(sentence)
                theirs.append(other)
        return found

    def evidence_sentences(self, article: str, line: int, start: int, end: int) -> int:
        """How many grouped sentences of the line ``[start, end)`` overlaps."""
        return sum(1 for sentence in self._in_line.get((article, line), ())
                   if sentence.char_start < end and sentence.char_end > start)


RowDebts = tuple[Any, CitedUnit, dict[LineKey, "Owed"]]  # a loaded record, a row, what it owes


def rows_and_debts(records: dict[str, list[Any]], partners: Partners | None,
                   texts: dict[str, ArticleText]) -> Iterator[RowDebts]:
    """Every row of every record (a record, an alias, a participant) with the partner lines
    it owes; nothing owed without ``partners``."""
    for table, loaded in records.items():
        for item in loaded:
            units = list(cited_units(table, item))
            record_articles = record_articles_of(units)
            for unit in units:
                yield item, unit, (owed(unit, partners, texts, record_articles) if partners
                                   else {})


def record_articles_of(units: list[CitedUnit]) -> frozenset[str]:
    """The articles an entity's record cites in any of its rows (the entity, its aliases): an
    entity named in an article is cited there once, under whichever spelling."""
    if not units or not units[0].is_entity:
        return frozenset()
    return frozenset(source.article for unit in units for source in unit.sources)


def owed(unit: CitedUnit, partners: Partners, texts: dict[str, ArticleText],
         record_articles: frozenset[str] = frozenset()) -> dict[LineKey, Owed]:
    """The partner lines ``unit``'s citations owe, cited or not, keyed by partner line. An
    entity owes nothing in an article it, or another row of its record (an alias), cites
    (``record_articles``). Evidence is carried only to a partner the
    unit neither cites nor declares: the rest need no words (most partners, in a curated
    dataset)."""
    cited_articles = {source.article for source in unit.sources} | record_articles
    settled = ({(source.article, source.line) for source in unit.sources}
               | {(ref.article, ref.line) for ref in unit.not_cited})
    found: dict[LineKey, Owed] = {}
    for source in unit.sources:
        if not partners.has_line(source.article, source.line):
            continue  # most cited lines print no other article's sentence
        start, end = texts[source.article].locate(source.line, source.evidence)
        pairs = partners.of_span(source.article, source.line, start, end)
        if not pairs:
            continue
        overlapped = partners.evidence_sentences(source.article, source.line, start, end)
        by_article: dict[str, list[GroupedSentence]] = defaultdict(list)
        for (article, _), (mine, _) in pairs.items():
            by_article[article] += [sentence for sentence in mine
                                    if sentence not in by_article[article]]
        text = texts[source.article].lines[source.line - 1]
        for (article, line), (mine, theirs) in sorted(pairs.items()):
            if article == source.article or (unit.is_entity and article in cited_articles):
                continue
            if (article, line) in found:
                continue
            if (article, line) in settled:
                found[(article, line)] = Owed(article, line, source, SETTLED, line, True)
                continue
            debt = _debt(unit, source, (text, start, end), texts[article], line,
                         (mine, theirs))
            if debt is not None:
                whole = _whole(text, start, end, by_article[article], overlapped)
                others = tuple(sorted({other for (name, other), (rest, _) in pairs.items()
                                       if name == article and other != line
                                       and not set(rest) <= set(mine)}))
                found[(article, line)] = replace(debt, whole=whole, others=others)
    return found


def _debt(unit: CitedUnit, source: CitedSource, cited: tuple[str, int, int],
          partner: ArticleText, line: int,
          sentences: tuple[list[GroupedSentence], list[GroupedSentence]]) -> Owed | None:
    """What one partner line is owed: the evidence carried into its words (from the cited
    sentences it prints) and the line to cite; None when an entity owes it nothing."""
    text, start, end = cited
    mine, theirs = sentences
    low = max(start, min(s.char_start for s in mine))
    high = min(end, max(s.char_end for s in mine))
    window = (min(s.char_start for s in theirs), max(s.char_end for s in theirs))
    context = (min(s.char_start for s in mine), max(s.char_end for s in mine))
    carried = carry(text, low, high, partner.lines[line - 1], window, context)
    if unit.is_entity and _owes_nothing(unit, source, carried):
        return None
    cite_line = line
    if unit.is_entity and carried.evidence is not None:
        cite_line = first_naming(partner.lines, carried.evidence, line)
    return Owed(partner.id, line, source, carried, cite_line, False)


def _owes_nothing(unit: CitedUnit, source: CitedSource, carried: Carried) -> bool:
    """Whether an entity's partner names it otherwise than as the entity's rule needs: the
    partner drops the name (nothing to cite), or an alias row's partner prints another spelling
    (that spelling's own row cites it)."""
    if carried.evidence is None:
        return all(not theirs for _, theirs in carried.differing)
    return unit.record_table in ALIAS_TABLES and carried.evidence != source.evidence


def first_naming(article: tuple[str, ...], evidence: str, partner_line: int) -> int:
    """For an entity: the first line of the article up to the partner that holds the carried
    words (an entity cites the first line naming it in each article)."""
    for number, text in enumerate(article[:partner_line], 1):
        if evidence in text:
            return number
    return partner_line


def _whole(text: str, start: int, end: int, paired: list[GroupedSentence], overlapped: int
           ) -> bool:
    """Whether the article's partner sentences cover every sentence the evidence stands in,
    and every word of it: a copy that split the paragraph still prints it whole."""
    if len(paired) < overlapped:
        return False
    low = max(start, min(sentence.char_start for sentence in paired))
    high = min(end, max(sentence.char_end for sentence in paired))
    return not any(char.isalnum() for char in text[start:low] + text[high:end])
