"""The package's errors. They carry facts; ``sco_data.cli`` alone turns them into messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class CitationFix:
    """A citation to add to a record, after its existing ones: what ``python build.py fix``
    writes for a problem whose message offers one ready to paste."""

    file: Path  # the records file
    index: int  # the record's position in the file
    location: tuple[str | int, ...]  # the row inside the record: () or ("aliases", 0)
    article: str
    line: int
    evidence: str
    record: str = ""  # the row's table and id, for messages: "people/rufus-firefly"
    proposal: str | None = None  # set: written as a draft (draft: true) with this reason


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows."""

    path: str
    line: int
    record_id: str
    field: str
    message: str
    fix: CitationFix | None = field(default=None, compare=False)

    def __str__(self) -> str:
        record, field = self.record_id or "-", self.field or "-"
        return f"{self.path}:{self.line}: {record}: {field}: {self.message}"


class ScoDataError(Exception):
    """Base of every error the package raises on purpose."""


class InvalidData(ScoDataError):
    """The seeds or the curated records failed validation; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        # Outside the CLI (a notebook building its cache) the message is all a reader sees.
        listed = "".join(f"\n{problem}" for problem in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input:{listed}")


class DatabaseError(ScoDataError):
    """The database written from valid records broke one of its own constraints."""


class ReleaseRefused(ScoDataError):
    """The release would overwrite what it was not asked to, or the version is unclear."""


class CurationRefused(ScoDataError):
    """A curator tool would write something wrong or overwrite something; nothing was written."""
