"""The build, as named steps: load sources → load records (an entry at a time, kept compact) →
validate → write each table as its rows are made → index and check the keys.

``python build.py`` (the CLI in ``sco_data.cli``) runs ``build``; ``python build.py check``
runs ``validate`` alone and counts the rows. A failed step raises; the previous database is
never touched, because the new one is written to a temporary file and moved into place only
when complete. ``docs/building.md`` says which check runs in which step.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sco_data.building.citing import alias_id, cited_sources, participant_id
from sco_data.building.claim_rules import LexiconEntry
from sco_data.building.corroboration import ArticleInfo, corroboration_rows
from sco_data.building.digest import DIGEST_TABLE, inputs_digest
from sco_data.building.drafts import check_drafts
from sco_data.building.line_groups import GroupedLine
from sco_data.building.listing_order import (
    article_ranks,
    number_attendees,
    number_meetings,
    number_quotes,
    quote_start,
)
from sco_data.building.load import Articles, LoadRules, load_articles, load_records
from sco_data.building.partners import Partners
from sco_data.building.progress import NO_PROGRESS, Progress
from sco_data.building.quoted_spans import REASONS_FILE, SpanRow, account_for_spans, load_reasons
from sco_data.building.repeats import FoldedLines, NotCitedRow, check_repeats
from sco_data.building.sentences import (
    GroupedSentence,
    group_article_sentences,
    lines_of,
    sentence_id,
)
from sco_data.building.source_groups import SourceGroupRow, check_registry_groups, group_articles
from sco_data.building.statements import (
    StatementRow,
    check_discrepancies,
    check_lexicon,
    check_statements,
    load_lexicon,
)
from sco_data.building.validate import (
    Records,
    check_aliases,
    check_citations,
    check_cycles,
    check_quotes,
    check_record_rules,
    check_references,
    check_unique_ids,
)
from sco_data.errors import InvalidData, Problem
from sco_data.expectations import EXPECTATIONS_FILE, minimum_rows
from sco_data.models import (
    DATE_COLUMNS,
    RECORD_KINDS,
    PrimarySource,
    RecordKind,
    date_precision,
)
from sco_data.paths import DATABASE_FILE, RECORDS_DIR, REGISTRY_FILE, SEEDS_DIR, display_path

Row = dict[str, Any]
Citations = Callable[[], Iterable[Mapping[str, Any]]]
"""The citation rows again (their table, record, article and line), once they are written."""

# The tables whose names the attendees' listing order reads.
NAMED_TABLES = ("countries", "organizations", "people")


@dataclass(frozen=True)
class Inputs:
    """Where the build reads from; tests point it at copies."""

    registry: Path = REGISTRY_FILE
    seeds_dir: Path = SEEDS_DIR
    records_dir: Path = RECORDS_DIR
    allow_shrink: bool = False  # build even when a table has fewer rows than curated


@dataclass
class Validated:
    """Articles and records that passed every check, what the completeness checks found (the
    declared non-citations, every quoted span with what accounts for it), and the syndication
    found in the texts (line groups, source groups)."""

    articles: Articles
    records: Records
    not_cited: list[NotCitedRow] = field(default_factory=list)
    quoted_spans: list[SpanRow] = field(default_factory=list)
    line_groups: list[GroupedLine] = field(default_factory=list)
    source_groups: list[SourceGroupRow] = field(default_factory=list)
    source_group_of: dict[str, str] = field(default_factory=dict)  # article id → group id
    sentence_groups: list[GroupedSentence] = field(default_factory=list)
    statements: list[StatementRow] = field(default_factory=list)
    lexicon: list[LexiconEntry] = field(default_factory=list)


@dataclass
class BuildReport:
    """What a build wrote, and the counts that fell under the package's bounds."""

    database: Path | None
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


def validate(inputs: Inputs = Inputs(), progress: Progress = NO_PROGRESS) -> Validated:
    """Load and check everything; raise InvalidData listing every problem found."""
    progress.stage("reading the articles")
    articles, problems = load_articles(inputs.registry, inputs.seeds_dir)
    rules = LoadRules(allow_empty=inputs.allow_shrink,
                      stands_in_articles=lambda value: _stands_in(value, articles))
    records, record_problems = load_records(inputs.records_dir, rules, progress.stage)
    problems += record_problems
    reasons, reason_problems = load_reasons(inputs.records_dir, rules)
    problems += reason_problems
    lexicon, lexicon_problems = load_lexicon(inputs.records_dir, rules)
    problems += lexicon_problems
    progress.stage("checking ids, references, citations and rules")
    problems += check_unique_ids("articles", articles.entries)
    for table, loaded in records.items():
        problems += check_unique_ids(table, loaded)
    problems += check_references(records, {entry.record.id for entry in articles.entries})
    problems += check_citations(records, articles)
    problems += check_record_rules(records)
    problems += check_cycles(records)
    problems += check_quotes(records, articles)
    problems += check_aliases(records)
    problems += check_registry_groups(articles)
    problems += check_drafts({"articles": articles.entries, **records})
    if not problems:  # the lexicon names rows: only once every reference resolves
        problems += check_lexicon(lexicon, records)
    if problems:
        # The completeness checks read citations as true: run them on valid records only.
        raise InvalidData(problems)
    progress.stage("finding repeated lines and sentences")
    folded = FoldedLines(articles.texts)
    sentences = group_article_sentences(articles, folded.folded_span)
    problems, not_cited = check_repeats(records, articles, folded, Partners(sentences))
    del folded  # nothing after needs the folded lines
    progress.stage("accounting for quoted spans and statements")
    span_problems, spans = account_for_spans(
        records["quotes"], reasons, articles, inputs.seeds_dir, inputs.records_dir / REASONS_FILE
    )
    problems += span_problems
    statement_problems, statements, _ = check_statements(records, articles, lexicon)
    problems += statement_problems + check_discrepancies(records, statements)
    progress.stage("grouping the articles into sources")
    groups, group_of, group_problems = group_articles(articles, sentences)
    problems += group_problems
    if problems:
        raise InvalidData(problems)
    return Validated(articles, records, not_cited, spans, lines_of(sentences, line_id),
                     groups, group_of, sentences, statements,
                     [item.record for item in lexicon])


# What corroboration reads of the citations written, in the order they were.
CITED_LINES = "select record_table, record_id, article_id, line from citations order by rowid"

# Every table, in the order the build writes them.
TABLES = ("articles", "lines", *(kind.table for kind in RECORD_KINDS), "aliases",
          "organization_aliases", "country_aliases", "meeting_participants", "citations",
          "source_groups", "line_groups", "sentence_groups", "corroboration", "not_cited",
          "statements", "lexicon", "quoted_spans")
# What the progress on a terminal counts: validating (each records file one), then each table
# written, then the full-text index and the key check.
STAGES = 5 + len(RECORD_KINDS) + len(TABLES) + 1


def table_rows(valid: Validated, citations: Citations) -> Iterator[tuple[str, Iterable[Row]]]:
    """Every table's rows, a table at a time, in the order of ``TABLES``: each table's rows
    are made as the database takes them, and only what a later table needs of them is kept
    (names, article dates). ``citations`` gives the citations back for the corroboration (the
    build reads them from the database being written). Foreign keys are checked once every
    row is in."""
    article_rows = [_article_row(entry.record, valid) for entry in valid.articles.entries]
    _add_precisions("articles", article_rows)
    yield "articles", article_rows
    yield "lines", (
        {"id": line_id(text.id, number), "article_id": text.id, "line": number, "text": line}
        for text in valid.articles.texts.values() for number, line in enumerate(text.lines, 1)
    )
    names: dict[str, dict[str, str]] = {}
    for kind in RECORD_KINDS:
        rows = [_row(kind, item.record) for item in valid.records[kind.table]]
        _add_precisions(kind.table, rows)
        if kind.table in NAMED_TABLES:
            names[kind.table] = {row["id"]: row["name"] for row in rows}
        elif kind.table == "quotes":
            number_quotes(rows, article_ranks(article_rows), _quote_starts(valid))
        elif kind.table == "meetings":
            number_meetings(rows)
        elif kind.table == "attendees":
            number_attendees(rows, names)
        yield kind.table, rows
    yield "aliases", _alias_rows(valid.records["people"], "person_id")
    yield "organization_aliases", _alias_rows(valid.records["organizations"], "organization_id")
    yield "country_aliases", _alias_rows(valid.records["countries"], "country_id")
    yield "meeting_participants", (
        {"id": participant_id(item.record.id, participant.person_id),
         "meeting_id": item.record.id, "person_id": participant.person_id}
        for item in valid.records["meetings"] for participant in item.record.participants
    )
    yield "citations", _citation_rows(valid)
    yield "source_groups", (
        {"id": group.id, "name": group.name, "articles": len(group.articles), "note": group.note}
        for group in valid.source_groups
    )
    yield "line_groups", (
        {"id": line_id(row.article_id, row.line), "group_id": row.group,
         "line_id": line_id(row.article_id, row.line), "article_id": row.article_id,
         "line": row.line, "kind": row.kind}
        for row in valid.line_groups
    )
    yield "sentence_groups", (
        {"id": sentence_id(row.article_id, row.line, row.sentence),
         "group_id": row.group,
         "line_id": line_id(row.article_id, row.line), "article_id": row.article_id,
         "line": row.line, "sentence": row.sentence, "char_start": row.char_start,
         "char_end": row.char_end, "kind": row.kind}
        for row in valid.sentence_groups
    )
    yield "corroboration", corroboration_rows(
        citations(),
        {row["id"]: ArticleInfo(row["published"], row["label"], row["source_group"], position)
         for position, row in enumerate(article_rows)},
        {group.id: group.name for group in valid.source_groups},
        line_id,
    )
    yield "not_cited", (
        {"id": row.id, "record_table": row.record_table, "record_id": row.record_id,
         "article_id": row.article, "line": row.line, "line_id": line_id(row.article, row.line),
         "reason": row.reason}
        for row in valid.not_cited
    )
    yield "statements", (
        {"id": row.id, "record_table": row.record_table, "record_id": row.record_id,
         "field": row.field, "value": row.value, "citation_id": row.citation_id,
         "rule": row.rule, "words": row.words, "reason": row.reason}
        for row in valid.statements
    )
    yield "lexicon", _lexicon_rows(valid.lexicon)
    yield "quoted_spans", (
        {"id": row.span.id, "article_id": row.span.article, "line": row.span.line,
         "line_id": line_id(row.span.article, row.span.line), "char_start": row.span.char_start,
         "char_end": row.span.char_end, "text": row.span.text, "quote_id": row.quote_id,
         "reason": row.reason}
        for row in valid.quoted_spans
    )


def count_rows(valid: Validated) -> dict[str, int]:
    """How many rows each table would have, without writing any."""
    return {table: sum(1 for _ in rows)
            for table, rows in table_rows(valid, lambda: _citation_rows(valid))}


def check_bounds(counts: dict[str, int]) -> dict[str, str]:
    """For each table with fewer rows than the package records as curated, what it lost."""
    return {
        table: f"{table} has {counts.get(table, 0)} rows, {minimum - counts.get(table, 0)} "
        f"fewer than the {minimum} curated (sco_data/expectations.yml): was a record lost?"
        for table, minimum in minimum_rows().items()
        if counts.get(table, 0) < minimum
    }


def write_database(valid: Validated, output: Path, inputs: Inputs, digest: str,
                   progress: Progress = NO_PROGRESS) -> BuildReport:
    """Write every table of ``valid`` into a new database, table by table, and move it onto
    ``output`` only once it is complete and no table lost rows (unless ``inputs.allow_shrink``):
    on any failure the previous database stays as it was and the new one is deleted."""
    from sco_data.building.database import create_schema, write_tables
    from sco_data.building.leftovers import remove_build_leftovers

    output = output.resolve()
    remove_build_leftovers(output)
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        create_schema(temporary)
        with write_tables(temporary) as writer:
            for table, rows in table_rows(valid, lambda: writer.read(CITED_LINES)):
                progress.stage(f"writing {table}")
                writer.insert(table, rows)
            counts = dict(writer.counts)
            shrunk = refuse_shrinking(counts, inputs)
            writer.insert(DIGEST_TABLE, [{"id": 1, "sha256": digest}])
            progress.stage("indexing the text and checking keys")
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    return BuildReport(output, counts, shrunk)


def build(output: Path = DATABASE_FILE, inputs: Inputs = Inputs(),
          digest: str | None = None, progress: Progress = NO_PROGRESS) -> BuildReport:
    """Validate, then write ``output`` table by table; the steps above, in order. A table that
    lost rows stops the build unless ``inputs.allow_shrink``, and is then a warning."""
    # The caller may have hashed the inputs already (to see whether a build is needed).
    digest = digest or inputs_digest(inputs.registry, inputs.seeds_dir, inputs.records_dir)
    with _no_cycle_collection():
        return write_database(validate(inputs, progress), output, inputs, digest, progress)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Keep Python's cycle collector off while the build allocates: it makes millions of small
    objects that live until the end, which the collector would scan again and again (half the
    time of loading the records, measured). Reference counting still frees what is dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def refuse_shrinking(counts: dict[str, int], inputs: Inputs) -> list[str]:
    """InvalidData when a table lost rows, unless ``inputs.allow_shrink``: then the losses."""
    shrunk = check_bounds(counts)
    if shrunk and not inputs.allow_shrink:
        raise InvalidData([
            Problem(display_path(_bounds_source(table, inputs)), 1, "-", "-",
                    f"{message}; pass --allow-shrink to build anyway")
            for table, message in shrunk.items()
        ])
    return list(shrunk.values())


def _bounds_source(table: str, inputs: Inputs) -> Path:
    """Where a table's rows are curated: its records file, else the expectations."""
    curated = inputs.records_dir / f"{table}.yml"
    return curated if curated.is_file() else EXPECTATIONS_FILE


def _stands_in(value: str, articles: Articles) -> bool:
    return any(value in line for text in articles.texts.values() for line in text.lines)


def line_id(article_id: str, line: int) -> str:
    return f"{article_id}-L{line}"


def _article_row(record: Any, valid: Validated) -> Row:
    text = valid.articles.texts[record.id]
    return {**record.model_dump(exclude={"sources", "origin", "source_group", "draft",
                                          "proposal"}),
            "line_count": text.line_count, "source_group": valid.source_group_of[text.id]}


def _add_precisions(table: str, rows: list[Row]) -> None:
    columns = DATE_COLUMNS.get(table, ())
    for row in rows:
        row.update({f"{column}_precision": date_precision(row[column]) for column in columns})


def _quote_starts(valid: Validated) -> dict[str, int]:
    """Where each quote's words start on the line of its primary source."""
    starts = {}
    for item in valid.records["quotes"]:
        primary = next(source for source in cited_sources("quotes", item)
                       if source.record_table == "quotes")
        start, _ = valid.articles.texts[primary.article].locate(primary.line, primary.evidence)
        starts[item.record.id] = quote_start(primary.evidence, start, item.record.text)
    return starts


def _row(kind: RecordKind, record: Any) -> Row:
    columns = [column.name for column in kind.model.__table__.columns]
    row = record.model_dump(mode="json", include=set(columns) - set(PrimarySource.model_fields))
    sources = getattr(record, "sources", None)
    if sources and "article_id" in columns:
        primary = sources[0]
        row |= {"article_id": primary.article, "line": primary.line,
                "line_id": line_id(primary.article, primary.line)}
    return {column: row.get(column) for column in columns}


def _alias_rows(owners: list[Any], owner_column: str) -> Iterator[Row]:
    for item in owners:
        for number, alias in enumerate(item.record.aliases, 1):
            yield {"id": alias_id(item.record.id, number), owner_column: item.record.id,
                   "name": alias.name}


def _lexicon_rows(lexicon: list[LexiconEntry]) -> Iterator[Row]:
    """One row per word; words are numbered per field and value, over every entry giving them
    (a value may have several entries)."""
    counts: dict[tuple[str, str], int] = {}
    for entry in lexicon:
        for word in entry.words:
            number = counts[(entry.field, entry.value)] = counts.get(
                (entry.field, entry.value), 0) + 1
            yield {"id": f"{entry.field}-{entry.value}-{number}", "field": entry.field,
                   "value": entry.value, "word": word}


def _citation_rows(valid: Validated) -> Iterator[Row]:
    tables = [("articles", valid.articles.entries), *valid.records.items()]
    for table, loaded in tables:
        for item in loaded:
            for source in cited_sources(table, item):
                start, end = valid.articles.texts[source.article].locate(
                    source.line, source.evidence
                )
                yield {
                    "id": source.id, "record_table": source.record_table,
                    "record_id": source.record_id, "article_id": source.article,
                    "line": source.line, "line_id": line_id(source.article, source.line),
                    "evidence": source.evidence, "char_start": start, "char_end": end,
                }
    for group in valid.source_groups:
        for number, cited in enumerate(group.citations, 1):
            start, end = valid.articles.texts[cited.article].locate(cited.line, cited.evidence)
            yield {
                "id": f"source_groups-{group.id}-{number}", "record_table": "source_groups",
                "record_id": group.id, "article_id": cited.article, "line": cited.line,
                "line_id": line_id(cited.article, cited.line), "evidence": cited.evidence,
                "char_start": start, "char_end": end,
            }
