"""Who met whom as a networkx graph (networkx is imported only here)."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx

    from sco_data.api.objects import Meeting, Person


def meeting_graph(people: list[Person], meetings: list[Meeting]) -> networkx.MultiGraph:
    """People as nodes; each meeting an edge between each two of its participants.

    A ``MultiGraph``: two people who met three times have three edges, keyed by meeting id, each
    with the meeting's ``title``, ``kind``, ``status`` (held or planned), ``start_date``,
    ``end_date`` (ISO at the text's precision, or None) and ``place``. Nodes are person ids with
    ``name``, ``title`` and ``country`` (a country id or None); everyone who took part in a
    meeting is a node, even alone in it.
    """
    import networkx

    graph = networkx.MultiGraph(name="Who met whom: sco_data")
    taking_part = {person.id for meeting in meetings for person in meeting.participants}
    for person in people:
        if person.id in taking_part:
            graph.add_node(person.id, name=person.name, title=person.title,
                           country=person.country_id)
    for meeting in meetings:
        ids = list(dict.fromkeys(person.id for person in meeting.participants))
        for first, second in combinations(ids, 2):
            graph.add_edge(first, second, key=meeting.id, meeting=meeting.id,
                           title=meeting.title, kind=meeting.kind, status=meeting.status,
                           start_date=meeting.start_date, end_date=meeting.end_date,
                           place=meeting.place)
    return graph
