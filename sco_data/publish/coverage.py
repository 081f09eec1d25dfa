"""How much of each article the records account for, read from a built database.

Per article: its lines, the non-empty ones, those cited by at least one record (the registry's
own citations of an article's title and date included), its quoted spans and what accounts for
each (a quote, or a curated reason), the lines declared not cited; then every non-empty line no
record cites, with its text, so what is left out is visible, sorted in two and counted apart:
statements no record covers, and page furniture (a line matching one of the curated patterns of
``sco_data.publish.page_furniture``, named beside it). A line matching no pattern is a statement,
so the count of statements never hides reporting behind "debris". Then, record by record, each
line whose partner (another article printing its sentence) the record cites while it does not
cite the line, with the reason it declares.

The same SQL serves ``python build.py coverage`` (through sqlite3) and the ``/-/coverage``
page (through Datasette's own connection), so the two cannot disagree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sco_data.publish.page_furniture import furniture

ARTICLE_COUNTS_SQL = """
select
  articles.id,
  articles.title,
  articles.line_count as lines,
  (select count(*) from lines
   where lines.article_id = articles.id and trim(lines.text) != '') as non_empty,
  (select count(distinct citations.line) from citations
   where citations.article_id = articles.id) as cited,
  (select count(*) from quoted_spans
   where quoted_spans.article_id = articles.id) as quoted_spans,
  (select count(*) from quoted_spans
   where quoted_spans.article_id = articles.id and quoted_spans.quote_id is not null) as quotes,
  (select count(*) from quoted_spans
   where quoted_spans.article_id = articles.id and quoted_spans.reason is not null) as reasons,
  (select count(*) from not_cited where not_cited.article_id = articles.id) as not_cited
from articles
order by articles.published, articles.id
"""

UNCITED_LINES_SQL = """
select lines.article_id, lines.line, lines.text
from lines
where trim(lines.text) != ''
  and not exists (
    select 1 from citations
    where citations.article_id = lines.article_id and citations.line = lines.line
  )
order by lines.article_id, lines.line
"""


PARTNER_GAPS_SQL = """
select article_id, line, record_table, record_id, partner_article, partner_line, reason
from (
  select distinct mine.article_id, mine.line, cited.record_table, cited.record_id,
    cited.article_id as partner_article, cited.line as partner_line, cited.evidence,
    (select reason from not_cited
     where not_cited.record_table = cited.record_table
       and not_cited.record_id = cited.record_id
       and not_cited.article_id = mine.article_id and not_cited.line = mine.line) as reason,
    (select text from lines
     where lines.article_id = mine.article_id and lines.line = mine.line) as text
  from sentence_groups mine
  join sentence_groups theirs
    on theirs.group_id = mine.group_id and theirs.article_id != mine.article_id
  join citations cited on cited.article_id = theirs.article_id and cited.line = theirs.line
    and cited.char_start < theirs.char_end and cited.char_end > theirs.char_start
  where cited.record_table not in ('articles', 'source_groups')
    and not exists (
      select 1 from citations own
      where own.record_table = cited.record_table and own.record_id = cited.record_id
        and own.article_id = mine.article_id
        and (own.line = mine.line or cited.record_table in
             ('countries', 'country_aliases', 'organizations', 'organization_aliases',
   'people', 'aliases'))
    )
)
-- A name (an entity's or an alias's evidence) the line does not print is owed nothing there:
-- the copy dropped it, or spells it otherwise (that spelling's own row cites it), unless the
-- record declares the line.
where reason is not null or instr(text, evidence) > 0 or record_table not in
  ('countries', 'country_aliases', 'organizations', 'organization_aliases',
   'people', 'aliases')
order by article_id, line, record_table, record_id, partner_line
"""
"""Records citing a partner of a line (a line of another article printing one of its sentences,
the citation's evidence standing in that sentence) but not the line itself, with the reason
where the record declares it not cited. An entity
(person, country, organization, alias) counts as citing the line when it cites its article: it
cites the first line naming it in each."""


@dataclass(frozen=True)
class UncitedLine:
    """A non-empty line no record cites; ``furniture`` names the page-furniture pattern it
    matches, None for a statement."""

    line: int
    text: str
    furniture: str | None = None


@dataclass(frozen=True)
class PartnerGap:
    """A record that cites a partner of the line, not the line: declared (a reason) or not."""

    line: int
    record_table: str
    record_id: str
    partner_article: str
    partner_line: int
    reason: str | None


@dataclass
class ArticleCoverage:
    """One article's coverage counts and its uncited non-empty lines."""

    id: str
    title: str
    lines: int
    non_empty: int
    cited: int
    quoted_spans: int
    quotes: int
    reasons: int
    not_cited: int
    uncited: list[UncitedLine] = field(default_factory=list)
    partner_gaps: list[PartnerGap] = field(default_factory=list)

    @property
    def cited_share(self) -> float:
        """Cited lines as a share of the non-empty ones."""
        return self.cited / self.non_empty if self.non_empty else 0.0

    @property
    def statements(self) -> list[UncitedLine]:
        """Uncited lines that match no page-furniture pattern: reporting no record covers."""
        return [line for line in self.uncited if line.furniture is None]

    @property
    def furniture(self) -> list[UncitedLine]:
        """Uncited lines of page furniture, each with the pattern it matches."""
        return [line for line in self.uncited if line.furniture is not None]


def from_rows(counts: Iterable[Sequence[Any]], uncited: Iterable[Sequence[Any]],
              gaps: Iterable[Sequence[Any]] = ()) -> list[ArticleCoverage]:
    """The report, from the rows of ``ARTICLE_COUNTS_SQL``, ``UNCITED_LINES_SQL`` and
    ``PARTNER_GAPS_SQL``."""
    report = {row[0]: ArticleCoverage(*row) for row in counts}
    for article_id, line, text in uncited:
        pattern = furniture(text)
        report[article_id].uncited.append(
            UncitedLine(line, text, pattern.name if pattern else None))
    for article_id, *gap in gaps:
        report[article_id].partner_gaps.append(PartnerGap(*gap))
    return list(report.values())


def read_coverage(connection: sqlite3.Connection) -> list[ArticleCoverage]:
    return from_rows(connection.execute(ARTICLE_COUNTS_SQL).fetchall(),
                     connection.execute(UNCITED_LINES_SQL).fetchall(),
                     connection.execute(PARTNER_GAPS_SQL).fetchall())


def uncited_summary(report: list[ArticleCoverage]) -> str:
    """What the uncited lines come to, in the words the page and the command both print. The
    claim that no statement is left uncited is made only when it holds."""
    statements = sum(len(article.statements) for article in report)
    furniture_lines = sum(len(article.furniture) for article in report)
    furniture_words = f"{furniture_lines} {_plural(furniture_lines, 'line')} of page furniture"
    if not statements:
        return (f"0 statements uncited: every non-empty line no record cites is page furniture "
                f"({furniture_words})")
    articles = sum(1 for article in report if article.statements)
    return (f"{statements} {_plural(statements, 'statement')} no record cites, in {articles} "
            f"{_plural(articles, 'article')}; {furniture_words}")


def render_text(report: list[ArticleCoverage]) -> str:
    """The report as the ``coverage`` command prints it."""
    out = []
    for article in report:
        out += [
            f"{article.id}: {article.title}",
            f"  {article.lines} lines, {article.non_empty} non-empty, {article.cited} cited by a "
            f"record ({article.cited_share:.0%} of the non-empty)",
            f"  {article.quoted_spans} quoted spans: {article.quotes} quotes' appearances, "
            f"{article.reasons} with a curated reason",
            f"  {article.not_cited} lines declared not cited",
            f"  {len(article.uncited)} non-empty lines no record cites: "
            f"{len(article.statements)} statements, {len(article.furniture)} page furniture",
            f"  {len(article.statements)} statements no record cites:",
            *(f"  {line.line:>5}  {_short(line.text)}" for line in article.statements),
            f"  {len(article.furniture)} lines of page furniture:",
            *(f"  {line.line:>5}  [{line.furniture}] {_short(line.text)}"
              for line in article.furniture),
            f"  {len(article.partner_gaps)} records cite a partner of a line (another article "
            "printing its sentence) but not the line:",
            *(f"  {gap.line:>5}  {gap.record_table}/{gap.record_id} cites {gap.partner_article} "
              f"line {gap.partner_line}: "
              + (f"declared: {_short(gap.reason, 80)}" if gap.reason else "not declared")
              for gap in article.partner_gaps),
            "",
        ]
    totals = [sum(getattr(a, name) for a in report)
              for name in ("lines", "non_empty", "cited", "quoted_spans", "quotes", "reasons",
                           "not_cited")]
    out.append(
        f"all {len(report)} articles: {totals[0]} lines, {totals[1]} non-empty, {totals[2]} cited; "
        f"{totals[3]} quoted spans ({totals[4]} quotes, {totals[5]} with a reason); "
        f"{totals[6]} declared not cited"
    )
    out.append(uncited_summary(report))
    return "\n".join(out)


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
