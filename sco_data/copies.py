"""The citations the tools write: ``cite-copies`` for a wire copy, ``fix`` for the build's
ready-to-paste suggestions. Both write with ``sco_data.record_writer``; a person reviews the
result (``git diff``) and decides what they could not.

``python build.py cite-copies ARTICLE``: for every line of ARTICLE that is the partner of a line
a record cites (``sco_data.building.partners``), the record gets a citation of ARTICLE's line,
the evidence carried through the word alignment into ARTICLE's own characters, after the
record's existing sources (the first stays the primary). An entity (a person, a country, an
organization) gets the first line of ARTICLE naming it, once. What the alignment cannot decide
is listed, never written: a partner in other words (a name spelled "Turkiye" where the record's
line has "Turkey"), or one printing only part of the evidence. Where the copy splits an evidence
of several sentences over lines, each line gets the part it prints, and the summary lists those
citations for a person to check: a part may not state the fact (the sentence naming the person
may be on the other line).

``python build.py fix``: applies every problem of the current build that carries a citation
ready to paste (a repeat of a cited clause, a partner line), and lists those it did not apply.
Citations it writes may owe partners of their own, so it runs the build's checks again until
nothing is left to apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sco_data.building.alignment import advice, describe
from sco_data.building.citing import CitedUnit, cited_units
from sco_data.building.load import Articles, Loaded, LoadRules, load_articles, load_records
from sco_data.building.partners import Owed, Partners, rows_and_debts
from sco_data.building.repeats import FoldedLines
from sco_data.building.sentences import group_article_sentences
from sco_data.building.validate import check_citations
from sco_data.errors import CitationFix, CurationRefused, InvalidData, Problem
from sco_data.record_writer import Written, add_citations

MAX_FIX_ROUNDS = 10


@dataclass(frozen=True)
class Undecided:
    """A partner line the tool left for a person: where, and why."""

    record: str  # table/id of the row
    path: str
    line: int  # the YAML line of the record's citation whose partner this is
    article: str
    partner_line: int
    why: str
    source_line: int = 0  # the article line of the record's citation, and its number
    source_number: int = 0


@dataclass
class CopyReport:
    """What ``cite-copies`` wrote and what it left."""

    article: str
    partner_lines: int
    written: Written
    undecided: list[Undecided] = field(default_factory=list)
    split: list[CitationFix] = field(default_factory=list)  # written; a person checks each


@dataclass
class FixReport:
    """What ``fix`` wrote, in how many rounds, and the problems it did not apply."""

    written: list[Written] = field(default_factory=list)
    left: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(round_.count for round_ in self.written)


def cite_copies(article: str, inputs: object) -> CopyReport:
    """Write the citations ARTICLE's partner lines are owed; see the module docstring."""
    articles, records = _valid_inputs(inputs)
    known = [entry.record.id for entry in articles.entries]
    if article not in known:
        from rapidfuzz import process

        close = [name for name, _, _ in process.extract(article, known, limit=3,
                                                        score_cutoff=60)]
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise CurationRefused(f"no article {article!r} in the registry{hint} (ids are in "
                              "seeds/articles.yml)")
    partners = _partners(articles)
    lines = partners.lines(article)
    if not lines:
        raise CurationRefused(f"{article} prints no sentence of another article: it has no "
                              "partner lines, so there is nothing to carry; cite it by hand "
                              "(python build.py find)")
    fixes: list[CitationFix] = []
    split: list[CitationFix] = []  # written, each holding part of an evidence the copy splits
    undecided: list[Undecided] = []
    for item, unit, owes in rows_and_debts(records, partners, articles.texts):
        settled = _settled(unit)
        for key, debt in sorted(owes.items()):
            if debt.article != article or key in settled:
                continue
            if debt.carried.evidence is not None and debt.whole:
                fixes.append(CitationFix(
                    item.document.path, item.index, unit.location, article, debt.cite_line,
                    debt.carried.evidence, f"{unit.record_table}/{unit.record_id}"))
                if debt.others:
                    split.append(fixes[-1])
            else:
                undecided.append(_undecided(item, unit, debt))
    written = add_citations(fixes)
    if written.count and undecided:
        undecided = _relocated(undecided, inputs)
    return CopyReport(article, len(lines), written, undecided,
                      [fix for fix in split if fix in written.all()])


def fix(inputs: object) -> FixReport:
    """Apply the build's ready-to-paste citations until none is left; see the module docstring."""
    from sco_data.building.pipeline import validate

    report = FixReport()
    for _ in range(MAX_FIX_ROUNDS):
        try:
            validate(inputs)  # type: ignore[arg-type]
            report.left = []
            return report
        except InvalidData as error:
            fixes = [problem.fix for problem in error.problems if problem.fix is not None]
            report.left = [problem for problem in error.problems if problem.fix is None]
            if not fixes:
                return report
            written = add_citations(fixes)
            if not written.count:
                return report
            report.written.append(written)
    return report


def _relocated(undecided: list[Undecided], inputs: object) -> list[Undecided]:
    """The undecided partners with the YAML lines of the files as written (added citations
    move the lines below them)."""
    records, _ = load_records(inputs.records_dir,  # type: ignore[attr-defined]
                              LoadRules(allow_empty=True))
    where: dict[tuple[str, int, int], int] = {}
    for table, loaded in records.items():
        for item in loaded:
            for unit in cited_units(table, item):
                for source in unit.sources:
                    key = (f"{unit.record_table}/{unit.record_id}", source.line, source.number)
                    where[key] = item.line_of(*source.location)
    return [replace(left, line=where.get((left.record, left.source_line, left.source_number),
                                          left.line)) for left in undecided]


def _valid_inputs(inputs: object) -> tuple[Articles, dict[str, list[Loaded]]]:
    """The articles and records, refused (InvalidData: nothing written) while either has a
    problem a citation cannot be carried through: a YAML error, a citation not on its line."""
    articles, problems = load_articles(inputs.registry, inputs.seeds_dir)  # type: ignore[attr-defined]
    rules = LoadRules(allow_empty=inputs.allow_shrink)  # type: ignore[attr-defined]
    records, record_problems = load_records(inputs.records_dir, rules)  # type: ignore[attr-defined]
    problems += record_problems
    if not problems:
        problems += check_citations(records, articles)
    if problems:
        raise InvalidData(problems)
    return articles, records


def _partners(articles: Articles) -> Partners:
    return Partners(group_article_sentences(articles, FoldedLines(articles.texts).folded_span))


def _settled(unit: CitedUnit) -> set[tuple[str, int]]:
    return ({(source.article, source.line) for source in unit.sources}
            | {(ref.article, ref.line) for ref in unit.not_cited})


def _undecided(item: Loaded, unit: CitedUnit, debt: Owed) -> Undecided:
    carried = debt.carried
    if carried.evidence is not None:
        why = (f"prints only part of the evidence ({carried.evidence!r}): cite that part or "
               "declare it under not_cited")
    else:
        why = f"in other words ({describe(carried.differing)}): {advice(carried.differing)}"
    return Undecided(f"{unit.record_table}/{unit.record_id}", item.path,
                     item.line_of(*debt.source.location), debt.article, debt.line, why,
                     debt.source.line, debt.source.number)
