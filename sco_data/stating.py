"""``python build.py states [TARGET]``: the statements a rule finds that the records do not
declare yet, each cited to its line, for a person to accept.

For every citation and every claim of its record that the citation does not state yet, the
build's rules (``sco_data.building.claim_rules``) are tried on the evidence; each rule that
finds the value is a proposal ("meetings/sco-summit-astana-2024: source 3 (ap-leaders-meet-2024-
07-03 line 21): start_date '2024-07-03' by the date rule: 'Wednesday'"). TARGET narrows them to
one article (its id) or one record (``table/id``).

``--write`` adds the proposed claims to each citation's ``states`` and marks the citation
``draft: true`` with the proposal: the build refuses it until a person has read the line, agreed
that it states each value, and deleted the marker. Claims no rule finds are for a person alone:
``{field: …, reason: "…"}``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sco_data.building.claim_rules import Found, value_text
from sco_data.building.load import LoadRules, load_articles, load_records
from sco_data.building.statements import (
    check_lexicon,
    check_statements,
    load_lexicon,
    proposed_states,
)
from sco_data.building.validate import check_references
from sco_data.errors import CurationRefused, InvalidData
from sco_data.record_writer import StatesFix, add_states


@dataclass(frozen=True)
class StateProposal:
    """A claim a rule finds in one citation's evidence."""

    path: str
    yaml_line: int  # the citation's line in the records file
    file: Path
    index: int  # the record's position in the file
    source: int  # the citation's position in the record's sources (0-based)
    record: str  # table/id
    article: str
    line: int
    field: str
    value: str
    found: Found


def propose_states(registry: Path, seeds_dir: Path, records_dir: Path,
                   target: str | None = None) -> list[StateProposal]:
    """What a rule finds and no citation states yet, for TARGET (an article id, a record as
    table/id) or everything."""
    articles, problems = load_articles(registry, seeds_dir)
    records, record_problems = load_records(records_dir, LoadRules(allow_empty=True))
    lexicon, lexicon_problems = load_lexicon(records_dir, LoadRules(allow_empty=True))
    problems += record_problems + lexicon_problems
    if not problems:
        problems += check_references(records, {entry.record.id for entry in articles.entries})
        problems += check_lexicon(lexicon, records)
    if problems:
        raise InvalidData(problems)
    _check_target(target, records, [entry.record.id for entry in articles.entries])
    _, _, rules = check_statements(records, articles, lexicon)
    found = []
    for table, item, index, field, verdict in proposed_states(records, rules):
        source = item.record.sources[index]
        record = f"{table}/{item.record.id}"
        if target not in (None, record, source.article):
            continue
        found.append(StateProposal(
            item.path, item.line_of("sources", index), item.document.path, item.index, index,
            record, source.article, source.line, field, value_text(getattr(item.record, field)),
            verdict))
    return found


def write_states(proposals: list[StateProposal]) -> dict[str, list[StatesFix]]:
    """Write the proposals as drafts: each citation gets its claims and ``draft: true``."""
    by_citation: dict[tuple[Path, int, int], list[StateProposal]] = defaultdict(list)
    for proposal in proposals:
        by_citation[(proposal.file, proposal.index, proposal.source)].append(proposal)
    fixes = [
        StatesFix(file, index, source, tuple(found.field for found in group), group[0].record,
                  "states " + "; ".join(f"{found.field} by the {found.found.rule} rule "
                                        f"({found.found.words!r})" for found in group))
        for (file, index, source), group in by_citation.items()
    ]
    return add_states(fixes)


def render(proposals: list[StateProposal]) -> str:
    """The proposals, one line each, as ``path:line: record: …``."""
    out = [f"{found.path}:{found.yaml_line}: {found.record}: source {found.source + 1} "
           f"({found.article} line {found.line}): {found.field} {found.value!r} by the "
           f"{found.found.rule} rule: {found.found.words!r}" for found in proposals]
    citations = len({(found.file, found.index, found.source) for found in proposals})
    out.append(f"{len(proposals)} statement(s) a rule finds in {citations} citation(s) that do "
               "not declare them yet")
    return "\n".join(out)


def _check_target(target: str | None, records: dict[str, list[Any]], articles: list[str]) -> None:
    if target is None or target in articles:
        return
    table, _, record_id = target.partition("/")
    if table in records and any(item.record.id == record_id for item in records[table]):
        return
    example = (f" (e.g. meetings/{records['meetings'][0].record.id})"
               if records.get("meetings") else "")
    raise CurationRefused(f"{target!r} is neither an article id ({', '.join(articles)}) nor a "
                          f"record as table/id{example}")


