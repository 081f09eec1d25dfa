"""Checks that span records: unique ids, references that resolve, citations that hold.

Each check returns the problems it found; the build raises them all together.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sco_data.building.citing import CitedSource, cited_sources
from sco_data.building.load import Articles, Loaded
from sco_data.building.sources import CitationError
from sco_data.errors import Problem
from sco_data.models import (
    RECORD_KINDS,
    AttendeeRecord,
    MeetingRecord,
    PrimarySource,
    QuoteRecord,
)

Records = dict[str, list[Loaded[Any]]]

# Columns the build derives from the first citation: not written in YAML, not checked here.
_DERIVED = frozenset(PrimarySource.model_fields)
# References held in YAML lists of parts that are not columns of the record's own table:
# (table, list field, the part's field) → the table referred to.
_LIST_REFERENCES = {("meetings", "participants", "person_id"): "people"}


def check_unique_ids(table: str, loaded: list[Loaded[Any]]) -> list[Problem]:
    first: dict[str, Loaded[Any]] = {}
    problems = []
    for item in loaded:
        record_id = item.record.id
        if record_id in first:
            problems.append(item.problem(("id",), (
                f"duplicate id in {table} (first on line {first[record_id].line_of('id')}): "
                "merge the two records, or give this one its own id"
            )))
        else:
            first[record_id] = item  # its line is looked up only if the id comes again
    return problems


def check_references(records: Records, article_ids: set[str]) -> list[Problem]:
    """Every id a record names must be the id of a record of the table it points to."""
    ids = {table: {item.record.id for item in loaded} for table, loaded in records.items()}
    ids["articles"] = article_ids
    problems = []
    for kind in RECORD_KINDS:
        for item in records[kind.table]:
            for field, value, target in _references(kind.table, kind.model, item.record):
                if value not in ids[target]:
                    problems.append(item.problem(field, _unknown(value, target, ids[target])))
    for item in records["discrepancies"]:
        table, record_id = item.record.record_table, item.record.record_id
        if table not in ids:
            problems.append(item.problem(("record_table",), (
                f"unknown table {table!r}; use one of: {', '.join(sorted(ids))}"
            )))
        elif record_id not in ids[table]:
            problems.append(item.problem(("record_id",), _unknown(record_id, table, ids[table])))
    return problems


def check_citations(records: Records, articles: Articles) -> list[Problem]:
    """Each citation names a known article, a line it has, and words that stand on that line."""
    registry_ids = {entry.record.id for entry in articles.entries}
    problems = []
    for table, loaded in [("articles", articles.entries), *records.items()]:
        for item in loaded:
            seen: dict[tuple[str, str, str, int], int] = {}
            for source in cited_sources(table, item):
                problems.extend(_check_citation(item, source, articles, registry_ids, seen))
    return problems


def check_record_rules(records: Records) -> list[Problem]:
    """Rules within one record that field types alone cannot express."""
    problems = []
    for item in records["meetings"]:
        meeting: MeetingRecord = item.record
        if meeting.start_date and meeting.end_date:
            width = min(len(meeting.start_date), len(meeting.end_date))
            if meeting.end_date[:width] < meeting.start_date[:width]:
                problems.append(item.problem(("end_date",), (
                    f"ends ({meeting.end_date}) before it starts ({meeting.start_date})"
                )))
        first: dict[str, int] = {}
        for index, participant in enumerate(meeting.participants):
            person = participant.person_id
            if person in first:
                problems.append(item.problem(("participants", index, "person_id"), (
                    f"{person!r} is already participant {first[person] + 1} of this meeting: "
                    "merge the two entries' sources into one"
                )))
            first.setdefault(person, index)
    for item in records["attendees"]:
        attendee: AttendeeRecord = item.record
        if attendee.represented_by and attendee.attendance != "absent":
            problems.append(item.problem(("represented_by",), (
                f"only an absent person is represented by someone else; attendance is "
                f"{attendee.attendance.value!r}: set it to 'absent' or remove represented_by"
            )))
    return problems


def check_cycles(records: Records) -> list[Problem]:
    """No chain of a self-referencing field (a meeting's ``parent_id``, an attendee's
    ``represented_by``) may lead back to where it started: every reader that follows the chain
    (the API's ``meeting.parent``, the site's links) would follow it for ever.

    Each record holds at most one such reference per field, so following it is a walk, not a
    graph search: each record is walked once, and a walk that meets its own trail found a cycle.
    """
    problems = []
    for kind in RECORD_KINDS:
        for column in _self_references(kind):
            loaded = {item.record.id: item for item in records[kind.table]}
            target = {record_id: getattr(item.record, column) for record_id, item in loaded.items()
                      if getattr(item.record, column) in loaded}
            done: set[str] = set()
            for start in sorted(target):
                trail: list[str] = []
                current: str | None = start
                while current is not None and current not in done and current not in trail:
                    trail.append(current)
                    current = target.get(current)
                done.update(trail)
                if current is not None and current in trail:
                    cycle = trail[trail.index(current):]
                    first = min(cycle)
                    cycle = cycle[cycle.index(first):] + cycle[:cycle.index(first)]
                    shown = " → ".join(f"{kind.table}/{record_id}" for record_id in
                                       [*cycle, first])
                    problems.append(loaded[first].problem((column,), (
                        f"goes round in a cycle: {shown}; a chain of {column} must end "
                        f"at a record without one: remove {column} from the record that does "
                        "not belong to the next one")))
    return problems


def _self_references(kind: Any) -> list[str]:
    """The columns of ``kind``'s table that refer to rows of the same table."""
    return [column.name for column in kind.model.__table__.columns
            if any(key.column.table.name == kind.table for key in column.foreign_keys)]


_OPENING, _CLOSING = ("“", '"'), ("”", '"')


def check_quotes(records: Records, articles: Articles) -> list[Problem]:
    """A quote's text stands between quotation marks on its primary line.

    The text is the words inside the marks; a comma or period that house style puts inside the
    closing mark is left out.
    """
    problems = []
    for item in records["quotes"]:
        quote: QuoteRecord = item.record
        primary = quote.sources[0]
        text = articles.texts.get(primary.article)
        if text is None or not 1 <= primary.line <= text.line_count:
            continue  # reported by the citation check
        line = text.lines[primary.line - 1]
        if not _quoted_on(line, quote.text):
            problems.append(item.problem(("text",), (
                f"{quote.text!r} does not stand between quotation marks on line "
                f"{primary.line} of {primary.article} (its primary source), which reads: "
                f"{line!r}; copy the words inside the marks, leaving out a final comma or period"
            )))
        if quote.text not in primary.evidence:
            problems.append(item.problem(("sources", 0, "evidence"), (
                "the primary citation's evidence must hold the quote's text"
            )))
    return problems


def check_aliases(records: Records) -> list[Problem]:
    """Each citation of an alias shows that spelling of the name."""
    problems = []
    for item in [*records["people"], *records["organizations"], *records["countries"]]:
        seen: set[str] = set()
        for index, alias in enumerate(item.record.aliases):
            if alias.name in seen:
                problems.append(item.problem(("aliases", index, "name"), (
                    f"alias {alias.name!r} is given twice: merge its citations into one alias"
                )))
            seen.add(alias.name)
            for number, source in enumerate(alias.sources):
                if alias.name not in source.evidence:
                    problems.append(item.problem(
                        ("aliases", index, "sources", number, "evidence"),
                        f"the evidence does not contain the alias {alias.name!r}",
                    ))
    return problems


def _quoted_on(line: str, text: str) -> bool:
    return any(
        f"{opening}{text}{punctuation}{closing}" in line
        for opening in _OPENING for closing in _CLOSING for punctuation in ("", ",", ".")
    )


def _references(table: str, model: Any, record: Any) -> Iterator[tuple[tuple, str, str]]:
    """``(location, value, target table)`` for every id the record refers to."""
    for column in model.__table__.columns:
        if column.name in _DERIVED:
            continue
        for foreign_key in column.foreign_keys:
            value = getattr(record, column.name, None)
            if value is not None:
                yield (column.name,), value, foreign_key.column.table.name
    for (kind_table, field, part_field), target in _LIST_REFERENCES.items():
        if kind_table == table:
            for index, part in enumerate(getattr(record, field)):
                yield (field, index, part_field), getattr(part, part_field), target


def _unknown(value: str, target: str, known: set[str]) -> str:
    listed = ", ".join(sorted(known)[:12]) + (", …" if len(known) > 12 else "")
    return f"unknown id {value!r}: no such record in {target} (known: {listed or 'none'})"


def _check_citation(
    item: Loaded[Any],
    source: CitedSource,
    articles: Articles,
    registry_ids: set[str],
    seen: dict[tuple[str, str, str, int], int],
) -> list[Problem]:
    if source.article not in registry_ids:
        return [item.problem((*source.location, "article"), _unknown(
            source.article, "seeds/articles.yml", registry_ids))]
    text = articles.texts.get(source.article)
    if text is None:
        return []  # the seed itself failed its hash check; that problem is already reported
    key = (source.record_table, source.record_id, source.article, source.line)
    problems = []
    if key in seen:
        problems.append(item.problem((*source.location, "line"), (
            f"cites line {source.line} of {source.article} again (already source "
            f"{seen[key]}): keep one citation per line"
        )))
    seen[key] = source.number
    try:
        text.locate(source.line, source.evidence)
    except CitationError as error:
        # When the words stand on another line, the line number is what to fix.
        misplaced = not 1 <= source.line <= text.line_count or text.lines_containing(
            source.evidence
        )
        field = "line" if misplaced else "evidence"
        problems.append(item.problem((*source.location, field), str(error)))
    return problems
