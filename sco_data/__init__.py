"""sco_data: a cited dataset of the SCO summit in Astana (3–4 July 2024).

Every record points to the article and line that states it::

    import sco_data
    for quote in sco_data.quotes(speaker="putin"):
        print(quote.text, "—", quote.sources[0].cite())

``import sco_data`` stays light (Pydantic and the standard library): the build, the schema,
Datasette and pandas load only inside the functions that need them. See docs/api.md.
"""

__version__ = "0.1.0"

from sco_data.api import (
    articles,
    attendees,
    connect,
    countries,
    db_path,
    discrepancies,
    frame,
    meetings,
    members,
    observers,
    organizations,
    people,
    quotes,
)
from sco_data.objects import (
    Article,
    Attendee,
    Citation,
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
)

__all__ = [
    "Article",
    "Attendee",
    "Citation",
    "Country",
    "Discrepancy",
    "Line",
    "Meeting",
    "MeetingFact",
    "Member",
    "Observer",
    "Organization",
    "Person",
    "Quote",
    "__version__",
    "articles",
    "attendees",
    "connect",
    "countries",
    "db_path",
    "discrepancies",
    "frame",
    "meetings",
    "members",
    "observers",
    "organizations",
    "people",
    "quotes",
]
