"""Writing citations into the records' YAML in place, keeping everything else as it was.

``python build.py cite-copies`` and ``fix`` add citations to records; a curator reads the result
with ``git diff``, which must show the added citations and nothing else. ruamel.yaml's
round-trip loader finds where each record's ``sources`` list stands (the line and column of every
item); the new item is written as text after the list's last item, in that item's own style
(flow ``- {article: …}`` or block), so comments, order, quoting, folded strings and the files'
indentation stay byte for byte. (Dumping the whole document through ruamel would re-indent every
line: it applies one indentation to every list, and these files indent the top-level list
differently from the lists inside records.) The edited text is then read back and must hold
exactly the old records plus the new citations, or nothing is written; files are replaced only
once every edited file is ready, each through a temporary file.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sco_data.errors import CitationFix, CurationRefused
from sco_data.paths import display_path


@dataclass
class Written:
    """What a write added, per file, and what it left because the record already had it."""

    added: dict[str, list[CitationFix]] = field(default_factory=dict)  # display path → fixes
    present: list[CitationFix] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(fixes) for fixes in self.added.values())

    def all(self) -> list[CitationFix]:
        return [fix for fixes in self.added.values() for fix in fixes]

    def records(self) -> int:
        return len({(fix.file, fix.index) for fixes in self.added.values() for fix in fixes})


def add_citations(fixes: Iterable[CitationFix]) -> Written:
    """Add each citation after its record's (or row's) existing sources; skip one the record
    already cites (same article and line). All files are written, or none."""
    by_file: dict[Path, list[CitationFix]] = defaultdict(list)
    for fix in fixes:
        by_file[fix.file].append(fix)
    written = Written()
    ready: dict[Path, str] = {}
    for path, items in sorted(by_file.items()):
        text, added = _edited(path, items, written)
        if added:
            ready[path] = text
            written.added[display_path(path)] = added
    _replace_all(ready)
    return written


def _read(path: Path) -> tuple[str, Any, Any]:
    """The file's text, its round-trip data (which locates every item) and its plain data (what
    the edited text must read back as, once the edits are made to it)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    original = path.read_text(encoding="utf-8")
    try:
        data = YAML(typ="rt", pure=True).load(original)
    except YAMLError as error:
        raise CurationRefused(
            f"{display_path(path)} is not valid YAML ({error}): fix it first") from None
    return original, data, _plain(YAML(typ="safe", pure=True).load(original))


def _edited(path: Path, fixes: list[CitationFix], written: Written
            ) -> tuple[str, list[CitationFix]]:
    original, data, expected = _read(path)
    lines = original.split("\n")
    inserts: dict[int, list[str]] = defaultdict(list)  # insert before this line index
    added: list[CitationFix] = []
    seen: set[tuple[int, tuple[Any, ...], str, int]] = set()
    for fix in fixes:
        row = _row(data, fix.index, fix.location, path)
        sources = row["sources"]
        key = (fix.index, fix.location, fix.article, fix.line)
        if key in seen or any(_cites(item, fix) for item in sources):
            written.present.append(fix)
            continue
        seen.add(key)
        _, column, end, flow = _item_at(lines, sources, len(sources) - 1)
        inserts[end].append(_item_text(fix, column, flow))
        _expected_row(expected, fix)["sources"].append(_citation(fix))
        added.append(fix)
    if not added:
        return original, []
    for index in sorted(inserts, reverse=True):
        lines[index:index] = inserts[index]
    return _checked("\n".join(lines), expected, path, "citations"), added


@dataclass(frozen=True)
class StatesFix:
    """Claims to add to the ``states`` of one citation of one record."""

    file: Path  # the records file
    index: int  # the record's position in the file
    source: int  # the citation's position in the record's sources (0-based)
    fields: tuple[str | dict[str, str], ...]  # "place", or {"field": …, "reason": …}
    record: str = ""  # the record's table and id, for messages: "meetings/summit"
    proposal: str | None = None  # set: the citation is marked draft: true with this reason


def add_states(fixes: Iterable[StatesFix]) -> dict[str, list[StatesFix]]:
    """Add each fix's claims to its citation's ``states`` (after those it has), rewriting that
    citation alone, in its own style; all files are written, or none. The fixes written, per
    file."""
    by_file: dict[Path, list[StatesFix]] = defaultdict(list)
    for fix in fixes:
        by_file[fix.file].append(fix)
    ready: dict[Path, str] = {}
    written: dict[str, list[StatesFix]] = {}
    for path, items in sorted(by_file.items()):
        text, added = _edited_states(path, items)
        if added:
            ready[path] = text
            written[display_path(path)] = added
    _replace_all(ready)
    return written


def _edited_states(path: Path, fixes: list[StatesFix]) -> tuple[str, list[StatesFix]]:
    original, data, expected = _read(path)
    lines = original.split("\n")
    rewritten: dict[int, tuple[int, list[str]]] = {}  # first line → (end, new lines)
    added: list[StatesFix] = []
    for fix in fixes:
        sources = _row(data, fix.index, (), path)["sources"]
        if not 0 <= fix.source < len(sources) or not isinstance(sources[fix.source], dict):
            raise CurationRefused(f"{display_path(path)}: record {fix.index + 1} changed since "
                                  "it was read: run the command again")
        cited = _plain(sources[fix.source])
        target = expected[fix.index]["sources"][fix.source]
        have = [_claim_field(claim) for claim in cited.get("states", [])]
        new = [claim for claim in fix.fields if _claim_field(claim) not in have]
        if not new:
            continue
        cited["states"] = [*cited.get("states", []), *new]
        target["states"] = list(cited["states"])
        if fix.proposal is not None:
            # A draft already (a citation a tool proposed): its reasons are kept, and joined.
            proposal = "; ".join(filter(None, [cited.get("proposal"), fix.proposal]))
            cited |= {"draft": True, "proposal": proposal}
            target |= {"draft": True, "proposal": proposal}
        line, column, end, flow = _item_at(lines, sources, fix.source)
        rewritten[line] = (end, _mapping_text(cited, column, flow).split("\n"))
        added.append(fix)
    if not added:
        return original, []
    for start in sorted(rewritten, reverse=True):
        end, new_lines = rewritten[start]
        lines[start:end] = new_lines
    return _checked("\n".join(lines), expected, path, "statements"), added


def _checked(text: str, expected: Any, path: Path, what: str) -> str:
    """``text``, once it is read back as exactly the ``expected`` data; else nothing is written."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        same = _plain(YAML(typ="safe", pure=True).load(text)) == expected
    except YAMLError:
        same = False
    if not same:
        raise CurationRefused(f"{display_path(path)}: the {what} could not be written without "
                              "changing something else; nothing was written")
    return text


def _item_at(lines: list[str], sources: Any, index: int) -> tuple[int, int, int, bool]:
    """Where item ``index`` of a located ``sources`` list stands: its first line, its dash's
    column, the line after it, and whether it is written in flow style."""
    line, content = sources.lc.item(index)  # where the item's value starts
    column = lines[line].rfind("-", 0, content)  # its dash
    return line, column, _item_end(lines, line, column), lines[line][content:].startswith("{")


def _claim_field(claim: Any) -> Any:
    return claim.get("field") if isinstance(claim, dict) else claim


def _row(data: Any, index: int, location: tuple[Any, ...], path: Path) -> Any:
    """The row at ``location`` in record ``index``, which must have its sources list."""
    try:
        row = data[index]
        for part in location:
            row = row[part]
        if not isinstance(row.get("sources"), list) or not row["sources"]:
            raise KeyError("sources")
    except (IndexError, KeyError, TypeError, AttributeError):
        raise CurationRefused(f"{display_path(path)}: record {index + 1} changed since it "
                              "was read (no sources list where one was): run the command "
                              "again") from None
    return row


def _cites(item: Any, fix: CitationFix) -> bool:
    return (isinstance(item, dict) and item.get("article") == fix.article
            and item.get("line") == fix.line)


def _expected_row(data: Any, fix: CitationFix) -> Any:
    row = data[fix.index]
    for part in fix.location:
        row = row[part]
    return row


def _item_end(lines: list[str], start: int, column: int) -> int:
    """The index of the line after the list item starting on ``start`` (its dash at
    ``column``): the item runs on while lines are blank or indented deeper than the dash."""
    end = start + 1
    last = start
    while end < len(lines):
        text = lines[end]
        if text.strip():
            if len(text) - len(text.lstrip(" ")) <= column:
                break
            last = end
        end += 1
    return last + 1


def _citation(fix: CitationFix) -> dict[str, Any]:
    cited: dict[str, Any] = {"article": fix.article, "line": fix.line, "evidence": fix.evidence}
    if fix.proposal is not None:
        cited |= {"draft": True, "proposal": fix.proposal}
    return cited


def _scalar(key: str, value: Any) -> str:
    """A value as the records write it: ids and numbers plain, words double-quoted; a list of
    claims in flow style (``[place, {field: start_date, reason: "…"}]``)."""
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) if isinstance(item, dict) else _scalar("id", item)
                               for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and key not in ("article", "id", "field"):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{key}: {_scalar(key, value)}" for key, value in mapping.items()) + "}"


def _item_text(fix: CitationFix, column: int, flow: bool) -> str:
    return _mapping_text(_citation(fix), column, flow)


def _mapping_text(cited: dict[str, Any], column: int, flow: bool) -> str:
    """A citation as a list item whose dash stands at ``column``, in flow or block style."""
    pad = " " * column
    if flow:
        return f"{pad}- {_flow(cited)}"
    return "\n".join(f"{pad}{'- ' if index == 0 else '  '}{key}: {_scalar(key, value)}"
                     for index, (key, value) in enumerate(cited.items()))


def append_records(path: Path, records: list[dict[str, Any]], comment: str) -> int:
    """Append ``records`` to the end of a records file, after ``comment`` (one line saying who
    wrote them), each as block YAML in the files' own layout; the file is read back and must
    hold its old records and these, or nothing is written. How many were appended."""
    from ruamel.yaml import YAML

    if not records:
        return 0
    original = path.read_text(encoding="utf-8")
    loaded = YAML(typ="safe", pure=True).load(original) or []
    blocks = [_record_text(record) for record in records]
    text = original.rstrip("\n") + "\n\n" + f"# {comment}\n" + "\n\n".join(blocks) + "\n"
    if _plain(YAML(typ="safe", pure=True).load(text)) != _plain([*loaded, *records]):
        raise CurationRefused(f"{display_path(path)}: the records could not be appended as "
                              "written; nothing was written")
    _replace_all({path: text})
    return len(records)


def _record_text(record: dict[str, Any]) -> str:
    rows = []
    for index, (key, value) in enumerate(record.items()):
        lead = "- " if index == 0 else "  "
        if key == "sources":
            rows.append(f"{lead}sources:")
            rows += [f"    - {_flow(cited)}" for cited in value]
        else:
            rows.append(f"{lead}{key}: {_scalar(key, value)}")
    return "\n".join(rows)


def _plain(value: Any) -> Any:
    """A loaded document as plain dicts, lists and scalars, for comparison."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _replace_all(ready: dict[Path, str]) -> None:
    temporary: dict[Path, Path] = {}
    try:
        for path, text in ready.items():
            temporary[path] = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary[path].write_text(text, encoding="utf-8")
        for path, written in temporary.items():
            os.replace(written, path)
    finally:
        for written in temporary.values():
            written.unlink(missing_ok=True)
