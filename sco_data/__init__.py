"""sco_data: a cited dataset of the SCO summit in Astana (3–4 July 2024).

Every record points to the article and line that states it::

    import sco_data
    for quote in sco_data.quotes(speaker="putin"):
        print(quote.text, "—", quote.sources[0].cite())

``import sco_data`` loads nothing but this file: the functions and record types below are
imported on first use, and the build, the schema, Datasette and pandas only inside the
functions that need them. See docs/api.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [  # the record types (capitalised), the version, the functions
    "Article", "Attendee", "Citation", "Corroboration", "Country", "Discrepancy", "Line",
    "Meeting", "MeetingFact", "Member", "Observer", "Organization", "Person", "Quote", "Record",
    "Records", "SourceGroup", "Statement",
    "__version__",
    "article", "articles", "attendee", "attendees", "bibliography", "connect", "countries",
    "country", "db_path", "discrepancies", "discrepancy", "frame", "graph", "meeting",
    "meeting_fact", "meetings", "member", "members", "observer", "observers", "organization",
    "organizations", "people", "person", "quote", "quotes", "record", "search",
]
# Each public name is imported from its module when first used: types are capitalised.
_EXPORTS = {name: "sco_data.api.objects" if name[0].isupper() else "sco_data.api.functions"
            for name in __all__ if name != "__version__"}
_EXPORTS["Records"] = "sco_data.api.frames"

if TYPE_CHECKING:  # what editors and type checkers see
    from sco_data.api.frames import Records
    from sco_data.api.functions import (
        article,
        articles,
        attendee,
        attendees,
        bibliography,
        connect,
        countries,
        country,
        db_path,
        discrepancies,
        discrepancy,
        frame,
        graph,
        meeting,
        meeting_fact,
        meetings,
        member,
        members,
        observer,
        observers,
        organization,
        organizations,
        people,
        person,
        quote,
        quotes,
        record,
        search,
    )
    from sco_data.api.objects import (
        Article,
        Attendee,
        Citation,
        Corroboration,
        Country,
        Discrepancy,
        Line,
        Meeting,
        MeetingFact,
        Member,
        Observer,
        Organization,
        Person,
        Quote,
        Record,
        SourceGroup,
        Statement,
    )


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sco_data' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
