"""Every claim value stated: each non-null claim of each record tied to a citation whose line
states it, verified by a rule (``claim_rules``) or explained by the curator's reason.

A citation says which of its record's claims it states (``states: [start_date, place]``). The
build checks, per record:

- each stated field is a claim of the record's table, with a value (a false ``founding`` or an
  empty ``place`` is stated by no line);
- each statement is verified by a rule, or carries a reason, never both;
- each non-null claim value is stated by at least one citation.

The statements become the ``statements`` table, one row per (citation, field).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sco_data.building.claim_rules import (
    LEXICON_CLAIMS,
    LEXICON_FILE,
    LEXICON_NAMES,
    ClaimRules,
    Found,
    LexiconEntry,
    build_rules,
    phrase,
    value_text,
)
from sco_data.building.load import Articles, Loaded, LoadRules, load_collection
from sco_data.dates import date_span
from sco_data.errors import CitationFix, Problem
from sco_data.models import RECORD_KINDS, MeetingKind, StatedClaim

Records = dict[str, list[Loaded[Any]]]


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One claim value of one record, and the citation stating it."""

    record_table: str
    record_id: str
    field: str
    value: str
    citation_id: str
    rule: str  # the rule that verified it; "" when a reason explains it
    reason: str  # "" when a rule verified it
    words: str  # the evidence's words the rule found; "" for a reason

    @property
    def id(self) -> str:
        return f"{self.citation_id}-{self.field}"


@dataclass(frozen=True)
class Unstated:
    """A claim value no citation states, and the citations a rule finds it in."""

    item: Loaded[Any]
    table: str
    field: str
    value: str
    candidates: tuple[tuple[int, Found], ...]  # (0-based source index, what the rule found)


def load_lexicon(records_dir: Path, rules: LoadRules) -> tuple[list[Loaded[LexiconEntry]],
                                                               list[Problem]]:
    """The lexicon's entries; none when the folder has no lexicon (the lexicon rule then finds
    nothing, and the other rules verify what they can)."""
    path = records_dir / LEXICON_FILE
    if not path.exists() and not path.is_symlink():
        return [], []
    return load_collection(path, LexiconEntry, LoadRules(allow_empty=True,
                                                         stands_in_articles=rules.stands_in_articles))


def check_lexicon(lexicon: list[Loaded[LexiconEntry]], records: Records) -> list[Problem]:
    """Each entry names a lexicon claim and one of its values, or a row (or meeting kind)."""
    ids = {table: {item.record.id for item in records[table]} for table in LEXICON_NAMES}
    ids["meetings"] = {kind.value for kind in MeetingKind}
    problems = []
    seen: dict[tuple[str, tuple[str, ...]], str] = {}  # (field, folded words) → the value
    for item in lexicon:
        entry = item.record
        for index, word in enumerate(entry.words if "." in entry.field else ()):
            # A claim's words state one value; words naming a row may name several ("meeting").
            key = (entry.field, phrase(word))
            if seen.setdefault(key, entry.value) != entry.value:
                problems.append(item.problem(("words", index), (
                    f"{word!r} is listed for {entry.field} {seen[key]!r} too: words state one "
                    "value; keep it under the one it states")))
        table, _, column = entry.field.partition(".")
        if column:
            values = _claim_values(table, column)
            if values is None:
                claims = ", ".join(sorted(f"{t}.{c}" for t, c in LEXICON_CLAIMS))
                problems.append(item.problem(("field",), (
                    f"{entry.field!r} is no claim the lexicon states: use one of {claims}, or a "
                    f"table ({', '.join(sorted(LEXICON_NAMES))}) for words naming its rows")))
            elif entry.value not in values:
                problems.append(item.problem(("value",), (
                    f"{entry.value!r} is no value of {entry.field}: use one of "
                    f"{', '.join(values)}")))
        elif table not in LEXICON_NAMES:
            problems.append(item.problem(("field",), (
                f"{entry.field!r} is neither <table>.<column> nor one of "
                f"{', '.join(sorted(LEXICON_NAMES))}")))
        elif entry.value not in ids[table]:
            known = ", ".join(sorted(ids[table])[:12])
            problems.append(item.problem(("value",), (
                f"{entry.value!r} is no {'meeting kind' if table == 'meetings' else 'id'} "
                f"of {table} (known: {known})")))
    return problems


def _claim_values(table: str, column: str) -> tuple[str, ...] | None:
    if (table, column) not in LEXICON_CLAIMS:
        return None
    if (table, column) == ("members", "founding"):
        return ("true",)
    kind = next(kind for kind in RECORD_KINDS if kind.table == table)
    annotation = kind.record.model_fields[column].annotation
    return tuple(member.value for member in annotation)  # type: ignore[union-attr]


def check_statements(records: Records, articles: Articles, lexicon: list[Loaded[LexiconEntry]]
                     ) -> tuple[list[Problem], list[StatementRow], ClaimRules]:
    """Problems with the records' statements, and the statements as rows."""
    # An article dated to a month or a year resolves weekdays against its first day.
    published = {entry.record.id: date_span(entry.record.published)[0]
                 for entry in articles.entries}
    rules = build_rules(records, published, [item.record for item in lexicon])
    problems: list[Problem] = []
    rows: list[StatementRow] = []
    for kind in RECORD_KINDS:
        claims = kind.record.CLAIMS  # type: ignore[attr-defined]
        for item in records[kind.table]:
            found, stated = _record_statements(kind.table, claims, item, rules)
            problems += found
            rows += stated
            problems += _nested_states(item)
            # A statement that failed its check is reported there, not again as missing.
            fields = {claim.field for source in item.record.sources for claim in source.states}
            for field in claims:
                value = getattr(item.record, field)
                if _has_value(value) and field not in fields:
                    problems.append(_unstated(kind.table, field, item, rules))
    return problems, rows, rules


def _has_value(value: Any) -> bool:
    return value is not None and value is not False and value != ""


def _record_statements(table: str, claims: tuple[str, ...], item: Loaded[Any],
                       rules: ClaimRules) -> tuple[list[Problem], list[StatementRow]]:
    problems: list[Problem] = []
    rows: list[StatementRow] = []
    record = item.record
    for index, source in enumerate(record.sources):
        seen: set[str] = set()
        for number, claim in enumerate(source.states):
            location = ("sources", index, "states", number)
            problem = _bad_claim(table, claims, record, claim, seen)
            seen.add(claim.field)
            if problem:
                problems.append(item.problem(location, problem))
                continue
            value = getattr(record, claim.field)
            found = rules.verify(table, claim.field, record, source.evidence, source.article)
            message = _verdict_problem(table, claim, value, source.evidence, found)
            if message:
                problems.append(item.problem(location, message))
                continue
            rows.append(StatementRow(
                table, record.id, claim.field, value_text(value),
                f"{table}-{record.id}-{index + 1}", found.rule if found else "",
                claim.reason or "", found.words if found else ""))
    return problems, rows


def _bad_claim(table: str, claims: tuple[str, ...], record: Any, claim: StatedClaim,
               seen: set[str]) -> str | None:
    if claim.field not in claims:
        listed = ", ".join(claims) or "none"
        what = ("is not a field of" if claim.field not in type(record).model_fields
                else "is not a claim of")
        return (f"{claim.field!r} {what} {table} (its claims: {listed}): remove it from "
                "states")
    if claim.field in seen:
        return f"{claim.field!r} is stated twice by this citation: keep one"
    if not _has_value(getattr(record, claim.field)):
        return (f"the record has no {claim.field} to state ({getattr(record, claim.field)!r}): "
                "remove it from states")
    return None


def _verdict_problem(table: str, claim: StatedClaim, value: Any, evidence: str,
                     found: Found | None) -> str | None:
    if found and claim.reason:
        return (f"the {found.rule} rule finds {claim.field} {value_text(value)!r} in the evidence "
                f"({found.words!r}): a reason is only for what no rule finds; write "
                f"{claim.field} alone")
    if not found and not claim.reason:
        return (f"no rule finds {claim.field} {value_text(value)!r} in the evidence {evidence!r}: "
                f"cite words that state it ({_hint(table, claim.field)}), or give the reason "
                f"the line states it: {{field: {claim.field}, reason: \"…\"}}")
    return None


def _hint(table: str, field: str) -> str:
    if field in ("start_date", "end_date", "joined"):
        return 'a date, "July 3", "Wednesday", "in May", "2001"'
    if (table, field) in LEXICON_CLAIMS:
        return f"a word sco_data/records/lexicon.yml lists for {table}.{field}, or add one there"
    if field in ("meeting_id", "parent_id"):
        return "a word sco_data/records/lexicon.yml gives for a meeting of its kind"
    if field == "place":
        return "the place, or its part before a comma"
    if field.endswith("_id") or field == "represented_by":
        return "a name or alias of the row it refers to"
    return "the value's own words"


def _nested_states(item: Loaded[Any]) -> list[Problem]:
    """States on a citation of an alias or a participant: those rows state no claims."""
    problems = []
    for part in ("aliases", "participants"):
        for index, row in enumerate(getattr(item.record, part, [])):
            for number, source in enumerate(row.sources):
                if source.states:
                    problems.append(item.problem((part, index, "sources", number, "states"), (
                        f"a citation of one of the record's {part} states no claim: move "
                        "states to a citation of the record itself")))
    return problems


def _unstated(table: str, field: str, item: Loaded[Any], rules: ClaimRules) -> Problem:
    record = item.record
    value = getattr(record, field)
    for index, source in enumerate(record.sources):
        found = rules.verify(table, field, record, source.evidence, source.article)
        if found:
            return item.problem((field,), (
                f"no citation states {field} {value_text(value)!r}: source {index + 1} "
                f"({source.article} line {source.line}) does by the {found.rule} rule "
                f"({found.words!r}); add {field} to its states (python build.py states "
                f"{table}/{record.id} writes it)"))
    return item.problem((field,), (
        f"no citation states {field} {value_text(value)!r}, and no rule finds it in any: cite a "
        f"line whose words state it ({_hint(table, field)}) with states: [{field}], or add "
        f"{{field: {field}, reason: \"…\"}} to the states of the citation it rests on"))


def check_discrepancies(records: Records, statements: list[StatementRow]) -> list[Problem]:
    """A discrepancy over a claim cites every line stating the value its record keeps, or
    declares it in not_cited: a reader comparing the sides sees all of the kept one."""
    stated: dict[tuple[str, str, str], list[StatementRow]] = {}
    for row in statements:
        stated.setdefault((row.record_table, row.record_id, row.field), []).append(row)
    citations = {(table, item.record.id): item.record.sources
                 for table, loaded in records.items() for item in loaded}
    problems = []
    for item in records["discrepancies"]:
        record = item.record
        if record.field is None:
            continue
        kind = next((kind for kind in RECORD_KINDS if kind.table == record.record_table), None)
        claims = kind.record.CLAIMS if kind else ()  # type: ignore[attr-defined]
        if record.field not in claims:
            problems.append(item.problem(("field",), (
                f"{record.field!r} is no claim of {record.record_table} (its claims: "
                f"{', '.join(claims) or 'none'}): name the claim the articles disagree on, or "
                "leave field out")))
            continue
        cited = {(source.article, source.line) for source in record.sources}
        cited |= {(declared.article, declared.line) for declared in record.not_cited}
        compared = citations.get((record.record_table, record.record_id), [])
        for row in stated.get((record.record_table, record.record_id, record.field), []):
            source = compared[int(row.citation_id.rsplit("-", 1)[1]) - 1]
            if (source.article, source.line) in cited:
                continue
            cited.add((source.article, source.line))
            fix = CitationFix(item.document.path, item.index, (), source.article, source.line,
                              source.evidence, f"discrepancies/{record.id}")
            problems.append(item.problem(("sources",), (
                f"{source.article} line {source.line} states {record.record_table}/"
                f"{record.record_id}'s {record.field} {row.value!r} (the record's citation "
                f"{row.citation_id}), and this comparison does not cite it: cite it (ready to "
                f"paste: {{article: {source.article}, line: {source.line}, evidence: "
                f"{json.dumps(source.evidence, ensure_ascii=False)}}}; python build.py fix "
                "writes it), or declare it in not_cited with the reason"), fix=fix))
    return problems



def proposed_states(records: Records, rules: ClaimRules
                    ) -> list[tuple[str, Loaded[Any], int, str, Found]]:
    """Every (table, record, source index, field, what the rule found) a rule verifies that
    the citation does not state yet: what ``python build.py states`` writes."""
    proposals = []
    for kind in RECORD_KINDS:
        for item in records[kind.table]:
            for index, source in enumerate(item.record.sources):
                stated = {claim.field for claim in source.states}
                for field in kind.record.CLAIMS:  # type: ignore[attr-defined]
                    value = getattr(item.record, field)
                    if field in stated or not _has_value(value):
                        continue
                    found = rules.verify(kind.table, field, item.record, source.evidence,
                                         source.article)
                    if found:
                        proposals.append((kind.table, item, index, field, found))
    return proposals
