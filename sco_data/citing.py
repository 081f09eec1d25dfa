"""Which citations each loaded record carries, and under which table and id they are stored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sco_data.load import Loaded
from sco_data.models import ArticleRecord, PersonRecord
from sco_data.yaml_lines import Location


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


def alias_id(person_id: str, number: int) -> str:
    """``mohammad-mokhber-alias-2``: numbered, since two spellings may share a slug."""
    return f"{person_id}-alias-{number}"


def cited_sources(table: str, loaded: Loaded[Any]) -> Iterator[CitedSource]:
    """Every citation a loaded record carries (an article's own, a person's aliases' too)."""
    record = loaded.record
    for number, ref in enumerate(getattr(record, "sources", ()), 1):
        # A registry entry cites lines of its own article, so its references name no article.
        article = record.id if isinstance(record, ArticleRecord) else ref.article
        yield CitedSource(table, record.id, number, article, ref.line, ref.evidence,
                          ("sources", number - 1))
    if isinstance(record, PersonRecord):
        for index, alias in enumerate(record.aliases):
            for number, ref in enumerate(alias.sources, 1):
                yield CitedSource("aliases", alias_id(record.id, index + 1), number, ref.article,
                                  ref.line, ref.evidence, ("aliases", index, "sources", number - 1))
