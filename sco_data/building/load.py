"""Load the seed registry, the seed texts and the curated records, collecting every problem.

Nothing here stops at the first mistake: each function returns what it could load together with
a list of ``Problem``s, so a curator sees all of them in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from sco_data.building.compact import compact
from sco_data.building.input_files import UnreadableInput, input_problem, read_input
from sco_data.building.sources import ArticleText, sha256_of, split_lines
from sco_data.building.yaml_lines import Location, YamlDocument, YamlSyntaxError, stream_yaml
from sco_data.errors import CitationFix, Problem
from sco_data.models import RECORD_KINDS, ArticleRecord
from sco_data.paths import display_path
from sco_data.text_rules import (
    MAX_LINE_CHARS,
    MAX_SEED_BYTES,
    MAX_TEXT_CHARS,
    clipped,
    describe,
    hidden_character,
    text_problem,
)

RecordT = TypeVar("RecordT", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[RecordT]):
    """A validated record, in its compact form (``compact``: it reads as ``RecordT`` does),
    and where it stands in its YAML file."""

    record: RecordT
    document: YamlDocument
    index: int

    @property
    def path(self) -> str:
        return self.document.shown

    def line_of(self, *location: int | str) -> int:
        """The YAML line of one of this record's fields (or of the record itself)."""
        return self.document.line_of((self.index, *location))

    @property
    def record_id(self) -> str:
        """The record's id, or its position in the file for a record without one."""
        return str(getattr(self.record, "id", "") or f"#{self.index + 1}")

    def problem(self, location: Location, message: str,
                fix: CitationFix | None = None) -> Problem:
        return Problem(
            self.path, self.line_of(*location), self.record_id, field_name(location), message,
            fix,
        )


@dataclass
class Articles:
    """The registry's entries and the verified text of each article whose bytes match."""

    entries: list[Loaded[ArticleRecord]]
    texts: dict[str, ArticleText]


def field_name(location: Location) -> str:
    """``("sources", 0, "evidence")`` → ``sources[0].evidence``."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


@dataclass(frozen=True)
class LoadRules:
    """What a file of records may hold beyond what its model says."""

    allow_empty: bool = False  # an empty file drops a whole table: only with --allow-shrink
    stands_in_articles: Callable[[str], bool] = lambda value: False  # may hold hidden characters


STRICT = LoadRules()
"""No empty file, no hidden character: the rules for every file unless a build relaxes them."""



def load_collection(
    path: Path, model: type[RecordT], rules: LoadRules = STRICT
) -> tuple[list[Loaded[RecordT]], list[Problem]]:
    """Validate every entry of a YAML list of records against ``model``, one entry at a time:
    only the validated records stay, never the parsed file."""
    shown = display_path(path)
    if problem := input_problem(path):
        if problem.startswith("is missing"):
            problem = "file is missing: create it (an empty list is [])"
        return [], [Problem(shown, 1, "", "", problem)]
    loaded: list[Loaded[RecordT]] = []
    problems: list[Problem] = []
    count = 0
    try:
        document, items = stream_yaml(path)
        for index, raw in items:
            count += 1
            problems += _item_problems(document, index, raw, rules.stands_in_articles)
            if not isinstance(raw, dict):
                problems.append(Problem(shown, document.line_of((index,)), f"#{index + 1}", "",
                                        "expected a mapping of field: value"))
                continue
            try:
                record = model.model_validate(raw)
            except ValidationError as error:
                problems.extend(_validation_problems(document, index, raw, error, model))
                continue
            loaded.append(Loaded(compact(record), document, index))
    except YamlSyntaxError as error:
        # The file is refused whole: what its first entries held is not to be trusted.
        return [], [Problem(shown, error.line, "", "", error.message)]
    if document.data is not None and document.data != []:
        problems += _item_problems(document, None, document.data, rules.stands_in_articles)
        problems.append(Problem(shown, 1, "", "", "expected a YAML list of records (- id: …)"))
        document.data = None
        return [], problems
    if not count and not rules.allow_empty:
        problems.append(Problem(shown, 1, "", "", (
            f"holds no records: building would drop every row it gives ({path.stem}); "
            "restore the records, or pass --allow-shrink to build without them"
        )))
    return loaded, problems


def load_records(
    records_dir: Path, rules: LoadRules = STRICT, stage: Callable[[str], None] = lambda name: None
) -> tuple[dict[str, list[Loaded[Any]]], list[Problem]]:
    """Every kind of curated record, from ``<records_dir>/<table>.yml``; ``stage`` is told
    each file as its reading starts."""
    records: dict[str, list[Loaded[Any]]] = {}
    problems: list[Problem] = []
    for kind in RECORD_KINDS:
        stage(f"reading {kind.table}.yml")
        records[kind.table], found = load_collection(
            records_dir / f"{kind.table}.yml", kind.record, rules)
        problems.extend(found)
    return records, problems


def load_articles(registry: Path, seeds_dir: Path) -> tuple[Articles, list[Problem]]:
    """The registry, and each article's lines once its bytes are proven to match its sha256."""
    entries, problems = load_collection(registry, ArticleRecord)
    texts: dict[str, ArticleText] = {}
    for entry in entries:
        article = entry.record
        seed = seeds_dir / article.file
        try:
            data = read_input(seed, MAX_SEED_BYTES)
        except UnreadableInput as error:
            problems.append(entry.problem(("file",),
                                          f"seed file {display_path(seed)} {error.message}"))
            continue
        actual = sha256_of(data)
        if actual != article.sha256:
            problems.append(entry.problem(("sha256",), (
                f"{display_path(seed)} has sha256 {actual}, the registry pins {article.sha256}: "
                "its line numbers can no longer be trusted. Restore the file byte for byte from "
                "the original article (never re-save or re-encode it)"
            )))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(entry.problem(("file",), f"{display_path(seed)} is not UTF-8: {error}"))
            continue
        lines = tuple(split_lines(text))
        if long_lines := [number for number, line in enumerate(lines, 1)
                          if len(line) > MAX_LINE_CHARS]:
            problems.append(entry.problem(("file",), (
                f"{display_path(seed)} line {long_lines[0]} is {len(lines[long_lines[0] - 1]):,} "
                f"characters long, over the limit of {MAX_LINE_CHARS:,} for one line: is it an "
                "article's text?")))
            continue
        texts[article.id] = ArticleText(article.id, tuple(lines))
    return Articles(entries, texts), problems


def _item_problems(document: YamlDocument, index: int | None, raw: Any,
                   stands_in_articles: Callable[[str], bool]) -> list[Problem]:
    """The keys given twice in one entry (or in a file that is no list, ``index`` None), and
    each text that holds only spaces, or a hidden character no article line holds with it."""
    shown = document.shown
    record_id = _raw_id(raw, index)
    repeated, document.duplicate_keys = document.duplicate_keys, []
    problems = [
        Problem(shown, line, record_id, field_name(location[1:]),
                f"key given twice (first on line {first}): keep one")
        for location, first, line in repeated
    ]
    if not document.may_hide_characters:
        return problems
    for location, value in _strings(raw, () if index is None else (index,)):
        if value and not value.strip():  # an empty value, the model refuses by its field
            problems.append(Problem(
                shown, document.line_of(location), record_id, field_name(location[1:]),
                "holds only spaces: give the words, or leave the field out"))
            continue
        found = hidden_character(value)
        if found and not stands_in_articles(value):
            position, character = found
            problems.append(Problem(
                shown, document.line_of(location), record_id, field_name(location[1:]),
                f"holds the hidden or control character {describe(character)} at position "
                f"{position}: remove it (only words copied from an article line that holds it "
                "may)",
            ))
    return problems


def _strings(value: Any, location: Location) -> Iterator[tuple[Location, str]]:
    # Iterative rather than recursive is not needed: the loader bounds nesting (MAX_DEPTH).
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*location, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and hidden_character(key):
                yield location, key
            yield from _strings(item, (*location, str(key)))


def _raw_id(raw: Any, index: int | None) -> str:
    """The id an entry gives, or its position in the file."""
    if index is None:
        return ""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return raw["id"]
    return f"#{index + 1}"


def _validation_problems(
    document: YamlDocument, index: int, raw: Any, error: ValidationError,
    model: type[BaseModel]
) -> list[Problem]:
    shown = document.shown
    record_id = _raw_id(raw, index)
    problems = []
    for detail in error.errors():
        location = tuple(detail["loc"])
        problems.append(Problem(
            shown, document.line_of((index, *location)), record_id, field_name(location),
            _describe(detail, model),
        ))
    return problems


def _describe(detail: dict[str, Any], model: type[BaseModel]) -> str:
    """Pydantic's message, with the value it got and what to do about it."""
    kind = detail["type"]
    if kind == "extra_forbidden":
        allowed = ", ".join(_fields_at(model, tuple(detail["loc"][:-1])))
        return f"unknown field; remove it or use one of: {allowed}"
    if kind == "missing":
        return "required field is missing: add it"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (f"expected a mapping of field: value here, got "
                f"{_clipped_repr(detail['input'])} (see "
                "docs/curating.md for this field's form)")
    got = detail["input"]
    if kind in ("string_too_short", "string_too_long") and isinstance(got, str):
        limit = detail.get("ctx", {}).get("max_length", MAX_TEXT_CHARS)
        return text_problem(got, limit) or detail["msg"]
    message = detail["msg"].removeprefix("Value error, ")
    return f"{message} (got {clipped(got) if isinstance(got, str) else _clipped_repr(got)})"


def _clipped_repr(value: Any) -> str:
    # A list or mapping may be as long as a file: its first characters say enough.
    shown = repr(value)
    return shown if len(shown) <= 80 else f"{shown[:80]}… ({len(shown):,} characters)"


def _fields_at(model: type[BaseModel], location: Location) -> list[str]:
    """The field names allowed at ``location`` inside ``model`` (for nested models too)."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        current = next(
            (arg for arg in getattr(annotation, "__args__", ())
             if isinstance(arg, type) and issubclass(arg, BaseModel)),
            annotation,
        )
    return list(current.model_fields) if isinstance(current, type) else []
