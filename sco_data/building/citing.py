"""Which citations each loaded record carries, and under which table and id they are stored.

A YAML record may hold more than one row of the database: a person holds their aliases, an
organization its aliases, a meeting its participants. Each such row is a ``CitedUnit`` with its
own table, id, citations and declared non-citations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sco_data.building.compact import model_of
from sco_data.building.load import Loaded
from sco_data.building.yaml_lines import Location
from sco_data.models import (
    ArticleRecord,
    CountryRecord,
    MeetingRecord,
    NotCitedRef,
    OrganizationRecord,
    PersonRecord,
)

# Tables whose rows are things named rather than facts stated: such a row cites, in each
# article that names it, the line that first does, so further lines of that article that repeat
# its words need no citation.
ENTITY_TABLES = frozenset({"countries", "country_aliases", "organizations", "organization_aliases",
                           "people", "aliases"})


@dataclass(frozen=True)
class CitedSource:
    """One citation of one record, with the YAML location it was written at."""

    record_table: str
    record_id: str
    number: int  # 1-based position among the record's citations; 1 is the primary source
    article: str
    line: int
    evidence: str
    location: Location  # inside the loaded YAML record, e.g. ("aliases", 0, "sources", 1)

    @property
    def id(self) -> str:
        return f"{self.record_table}-{self.record_id}-{self.number}"


@dataclass(frozen=True)
class CitedUnit:
    """One database row that a YAML record holds, with its citations and non-citations."""

    record_table: str
    record_id: str
    location: Location  # of the row inside the loaded YAML record; () for the record itself
    sources: tuple[CitedSource, ...]
    not_cited: tuple[NotCitedRef, ...]

    @property
    def is_entity(self) -> bool:
        return self.record_table in ENTITY_TABLES


def alias_id(owner_id: str, number: int) -> str:
    """``mohammad-mokhber-alias-2``: numbered, since two spellings may share a slug."""
    return f"{owner_id}-alias-{number}"


def participant_id(meeting_id: str, person_id: str) -> str:
    return f"{meeting_id}-{person_id}"


def cited_units(table: str, loaded: Loaded[Any]) -> Iterator[CitedUnit]:
    """Every row a loaded record holds that carries citations: the record, then its parts."""
    record = loaded.record
    model = model_of(record)
    if model is ArticleRecord:
        # A registry entry cites lines of its own article, so its references name no article.
        sources = tuple(
            CitedSource(table, record.id, number, record.id, ref.line, ref.evidence,
                        ("sources", number - 1))
            for number, ref in enumerate(record.sources, 1)
        )
        yield CitedUnit(table, record.id, (), sources, ())
        return
    yield _unit(table, record.id, (), record)
    parts: list[tuple[str, str, str]] = []
    if model in (PersonRecord, OrganizationRecord, CountryRecord):
        alias_table = ("aliases" if model is PersonRecord else "organization_aliases"
                       if model is OrganizationRecord else "country_aliases")
        parts = [(alias_table, "aliases", alias_id(record.id, index + 1))
                 for index in range(len(record.aliases))]
    elif model is MeetingRecord:
        parts = [("meeting_participants", "participants",
                  participant_id(record.id, participant.person_id))
                 for participant in record.participants]
    for index, (part_table, field, part_id) in enumerate(parts):
        yield _unit(part_table, part_id, (field, index), getattr(record, field)[index])


def cited_sources(table: str, loaded: Loaded[Any]) -> Iterator[CitedSource]:
    """Every citation a loaded record carries (an article's own, its parts' too)."""
    for unit in cited_units(table, loaded):
        yield from unit.sources


def _unit(table: str, record_id: str, location: Location, part: Any) -> CitedUnit:
    sources = tuple(
        CitedSource(table, record_id, number, ref.article, ref.line, ref.evidence,
                    (*location, "sources", number - 1))
        for number, ref in enumerate(part.sources, 1)
    )
    return CitedUnit(table, record_id, location, sources, tuple(part.not_cited))
