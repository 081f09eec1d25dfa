"""Drafts: what a tool wrote and no person has reviewed yet.

``python build.py propose ARTICLE --write`` writes the records and citations it proposes marked
``draft: true``, each with its ``proposal`` (why the tool proposed it). A draft is not data: the
build refuses every one, naming where it stands and how to accept it (check it against its
line, then delete the marker). ``python build.py check --drafts`` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from sco_data.building.compact import is_model
from sco_data.building.load import Loaded, field_name
from sco_data.building.yaml_lines import Location
from sco_data.errors import Problem


@dataclass(frozen=True)
class Draft:
    """One entry marked ``draft: true``: a record, a row inside one, or a citation."""

    item: Loaded[Any]
    location: Location  # of the drafted entry inside the record; () for the record itself
    what: str  # what it proposes, in words
    proposal: str | None

    @property
    def line(self) -> int:
        return self.item.line_of(*self.location, "draft")

    def problem(self) -> Problem:
        why = f" ({self.proposal})" if self.proposal else ""
        return Problem(self.item.path, self.line, self.item.record_id,
                       field_name((*self.location, "draft")),
                       f"a draft, not yet reviewed: {self.what}{why}: check it against its line, "
                       "then delete `draft: true` and its proposal (or delete the entry)")


def find_drafts(records: dict[str, list[Loaded[Any]]]) -> list[Draft]:
    """Every draft among the records, in file order."""
    found = []
    for loaded in records.values():
        for item in loaded:
            for location, model in _models(item.record, ()):
                if getattr(model, "draft", False):
                    found.append(Draft(item, location, _what(model, location),
                                       getattr(model, "proposal", None)))
    return found


def check_drafts(records: dict[str, list[Loaded[Any]]]) -> list[Problem]:
    """A problem for each draft: the build refuses them."""
    return [draft.problem() for draft in find_drafts(records)]


def _models(model: BaseModel, location: Location) -> Iterator[tuple[Location, BaseModel]]:
    yield location, model
    for name in type(model).model_fields:
        value = getattr(model, name)
        if is_model(value):
            yield from _models(value, (*location, name))
        elif isinstance(value, list):
            for index, part in enumerate(value):
                if is_model(part):
                    yield from _models(part, (*location, name, index))


def _what(model: BaseModel, location: Location) -> str:
    if hasattr(model, "evidence") and hasattr(model, "article"):
        return f"a citation of {model.article} line {model.line}: {model.evidence!r}"
    if not location:
        return "a record"
    return f"{field_name(location)}"
