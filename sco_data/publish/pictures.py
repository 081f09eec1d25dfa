"""Two server-side SVG pictures of the meetings around the summit, for the Datasette pages.

- ``network_svg``: who met whom. People are dots; every meeting of two or more of them is a
  line between each pair of its participants (solid when held, dashed when only planned).
  Two people who met several times get one curve per meeting, bowed apart, so each curve
  still links to its own meeting's page.
- ``timeline_svg``: the meetings on a date axis. A date given only to the year or the month
  is drawn as the whole year or month it names, so reduced precision stays visible. The
  summit's days are expanded below into one column per day, and meetings without a date are
  listed in a strip of their own.

Both take plain data (``Person``, ``Meeting``) and return SVG text: readable without
JavaScript, with every label escaped, no external resource, and byte-identical output for
the same input (coordinates are rounded, the layout's random seed is fixed, and day and month
names come from constants rather than the locale).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from sco_data.dates import date_span, precision_of

__all__ = ["Meeting", "Person", "date_span", "network_svg", "timeline_svg"]


@dataclass(frozen=True)
class Person:
    """A person who can be a node of the network, with the page the node links to."""

    id: str
    name: str
    url: str


@dataclass(frozen=True)
class Meeting:
    """A meeting as the pictures need it: what, when (at its precision), where, and who."""

    id: str
    title: str
    kind: str
    status: str
    start_date: str | None
    start_precision: str | None
    end_date: str | None
    end_precision: str | None
    place: str | None
    url: str
    sources_url: str
    participant_ids: tuple[str, ...]


# --- Shared: escaping, numbers, text widths, dates -------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK = "#1d2b3a"
MUTED = "#5a6878"
LINE_COLOUR = "#3d5a80"
HELD_FILL = "#c9dcf2"
PLANNED_FILL = "#f5f8fc"
DASH = "5 3"

# Characters XML 1.0 cannot carry at all: dropped, since no escape can represent them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A parser turns literal tabs and line breaks in attributes into spaces, and a literal carriage
# return anywhere into a line feed; character references keep them as they were.
_ATTR_WHITESPACE = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def _text(value: str) -> str:
    """Escape text content from the data."""
    return html.escape(_XML_ILLEGAL.sub("", value), quote=True).replace("\r", "&#13;")


def _attr(value: str) -> str:
    """Escape an attribute value from the data."""
    escaped = html.escape(_XML_ILLEGAL.sub("", value), quote=True)
    for character, reference in _ATTR_WHITESPACE.items():
        escaped = escaped.replace(character, reference)
    return escaped


def _n(value: float) -> str:
    """A coordinate at one decimal, without a trailing '.0' or a negative zero."""
    rounded = round(value, 1)
    if rounded == 0:
        return "0"
    text = f"{rounded:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float) -> float:
    """An estimate of the rendered width: no font metrics server-side, so err on the wide side."""
    return len(text) * size * 0.58


def _fit(text: str, width: float, size: float) -> str:
    """The text, or its longest prefix plus an ellipsis that fits; empty if nothing useful does."""
    if _text_width(text, size) <= width:
        return text
    keep = int(width / (size * 0.58)) - 1
    return text[:keep] + "…" if keep >= 3 else ""


def _wrap(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """Lines of at most ``width``; each line is a slice of the text, so nothing is rewritten."""
    per_line = max(1, int(width / (size * 0.58)))
    lines: list[str] = []
    start = 0
    while start < len(text) and len(lines) < max_lines:
        if len(text) - start <= per_line:
            lines.append(text[start:])
            start = len(text)
            break
        cut = text.rfind(" ", start, start + per_line + 1)
        if cut <= start:  # one long word: break it
            cut = start + per_line
            lines.append(text[start:cut])
            start = cut
        else:
            lines.append(text[start:cut])
            start = cut + 1
    if start < len(text) and lines:
        last = lines[-1]
        lines[-1] = (last[: per_line - 1] if len(last) >= per_line else last) + "…"
    return lines


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
def _human_date(value: str, precision: str | None) -> str:
    """'2022', 'May 2024' or '3 July 2024': the date in words, at its own precision."""
    first, _ = date_span(value, precision)
    precision = precision or precision_of(value)
    if precision == "year":
        return str(first.year)
    if precision == "month":
        return f"{MONTHS[first.month - 1]} {first.year}"
    return f"{first.day} {MONTHS[first.month - 1]} {first.year}"


def describe_date(meeting: Meeting) -> str:
    """The meeting's date in words, a range if it has an end, or 'date not given'."""
    if meeting.start_date is None:
        return "date not given"
    start = _human_date(meeting.start_date, meeting.start_precision)
    if meeting.end_date is None or meeting.end_date == meeting.start_date:
        return start
    end = _human_date(meeting.end_date, meeting.end_precision)
    first, _ = date_span(meeting.start_date, meeting.start_precision)
    last, _ = date_span(meeting.end_date, meeting.end_precision)
    both_days = (meeting.start_precision or precision_of(meeting.start_date)) == "day" and (
        meeting.end_precision or precision_of(meeting.end_date)
    ) == "day"
    if both_days and (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{end}"  # '3–4 July 2024'
    return f"{start} – {end}"


def _meeting_tooltip(meeting: Meeting) -> str:
    """What hovering a meeting shows: title, date, place and status."""
    parts = [meeting.title, describe_date(meeting)]
    if meeting.place:
        parts.append(meeting.place)
    parts.append(meeting.status)
    return " — ".join(parts)


def _status_class(meeting: Meeting) -> str:
    """Held is drawn solid; anything else (planned, or a status yet unknown) dashed."""
    return "sco-held" if meeting.status == "held" else "sco-planned"


def _svg_open(name: str, width: int, height: int, title: str, desc: str) -> list[str]:
    """The root element with its accessible name and description, and the shared styles."""
    return [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{name}-title {name}-desc" '
        f'class="sco-picture sco-{name}" font-family="{_attr(FONT)}">',
        f'<title id="{name}-title">{_text(title)}</title>',
        f'<desc id="{name}-desc">{_text(desc)}</desc>',
        # Hover and keyboard focus thicken what is under the pointer; no script needed.
        "<style>"
        "a:focus{outline:none}"
        ".sco-edge:hover .sco-line,a:focus .sco-edge .sco-line{stroke-width:4;stroke:#e07a1f}"
        ".sco-node:hover circle,a:focus .sco-node circle{fill:#e07a1f}"
        ".sco-meeting:hover rect,a:focus .sco-meeting rect{stroke:#e07a1f;stroke-width:2.5}"
        "</style>",
    ]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# --- The network: who met whom ---------------------------------------------------------------

NET_WIDTH = 1000
NET_HEIGHT = 640
NET_TOP = 56  # below the legend
NET_MARGIN_X = 120  # room for a name left or right of a node at the edge
NET_MARGIN_Y = 36
NET_LABEL_SIZE = 13.0
CURVE_SPACING = 13.0  # px between the crests of two curves joining the same pair
LAYOUT_SEED = 20240703
LAYOUT_ITERATIONS = 200

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


def _meeting_edges(
    people: Sequence[Person], meetings: Sequence[Meeting]
) -> tuple[list[str], list[tuple[str, str, Meeting]]]:
    """The people who become nodes, in input order, and one (a, b, meeting) per edge."""
    known = {person.id for person in people}
    order = {pid: index for index, pid in enumerate(dict.fromkeys(p.id for p in people))}
    edges: list[tuple[str, str, Meeting]] = []
    for meeting in meetings:
        # Unknown ids have no name to draw; repeated ids are one participant.
        ids = [pid for pid in dict.fromkeys(meeting.participant_ids) if pid in known]
        for a, b in combinations(ids, 2):
            # The pair in one orientation, so curves of the same pair bow consistently.
            edges.append((a, b, meeting) if order[a] < order[b] else (b, a, meeting))
    used = {pid for a, b, _ in edges for pid in (a, b)}
    return [pid for pid in order if pid in used], edges


def _layout(node_ids: list[str], edges: list[tuple[str, str, Meeting]]) -> dict[str, Point]:
    """Node positions in the drawing area, from a seeded spring layout (numpy only)."""
    import networkx as nx  # lazy: importing this module must stay light

    graph = nx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from((a, b) for a, b, _ in edges)
    # Unweighted on purpose: pairs who met often must not be pulled so close that their
    # several curves have no room to bow apart.
    k = 1.6 / math.sqrt(max(len(node_ids), 1))
    raw = nx.spring_layout(graph, seed=LAYOUT_SEED, iterations=LAYOUT_ITERATIONS, k=k)
    xs = [float(raw[n][0]) for n in node_ids]
    ys = [float(raw[n][1]) for n in node_ids]
    left, right = NET_MARGIN_X, NET_WIDTH - NET_MARGIN_X
    top, bottom = NET_TOP + NET_MARGIN_Y, NET_HEIGHT - NET_MARGIN_Y

    def scale(value: float, low: float, high: float, start: float, end: float) -> float:
        if high - low < 1e-9:
            return (start + end) / 2
        return start + (value - low) / (high - low) * (end - start)

    return {
        n: (
            round(scale(x, min(xs), max(xs), left, right), 1),
            round(scale(y, min(ys), max(ys), top, bottom), 1),
        )
        for n, x, y in zip(node_ids, xs, ys, strict=True)
    }


def _curve_offsets(edges: list[tuple[str, str, Meeting]]) -> list[float]:
    """Per edge, how far its crest bows from the straight line: 0 alone, spread if repeated."""
    per_pair: dict[tuple[str, str], list[int]] = {}
    for index, (a, b, _) in enumerate(edges):
        per_pair.setdefault((a, b), []).append(index)
    offsets = [0.0] * len(edges)
    for indexes in per_pair.values():
        count = len(indexes)
        for rank, index in enumerate(indexes):
            # Centred on the straight line: 2 → ±0.5, 3 → -1, 0, +1, ... spacings.
            offsets[index] = (rank - (count - 1) / 2) * CURVE_SPACING
    return offsets


def _control_point(start: Point, end: Point, offset: float) -> Point:
    """The control point of a quadratic Bézier whose crest lies ``offset`` px off the chord."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    # The crest of a quadratic is halfway to its control point, hence twice the offset.
    return (x1 + x2) / 2 - dy / length * offset * 2, (y1 + y2) / 2 + dx / length * offset * 2


def _curve(start: Point, control: Point, end: Point) -> str:
    """The path data of a quadratic Bézier."""
    return (
        f"M{_n(start[0])} {_n(start[1])} Q{_n(control[0])} {_n(control[1])} "
        f"{_n(end[0])} {_n(end[1])}"
    )


def _curve_boxes(start: Point, control: Point, end: Point) -> list[Box]:
    """Small boxes along a curve, so names can be kept off the lines where there is room."""
    (x1, y1), (cx, cy), (x2, y2) = start, control, end
    steps = max(2, int(math.hypot(x2 - x1, y2 - y1) / 8))
    boxes = []
    for step in range(1, steps):
        t = step / steps
        x = (1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t * t * x2
        y = (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t * t * y2
        boxes.append((x - 2, y - 2, x + 2, y + 2))
    return boxes


def _node_radius(meeting_count: int) -> float:
    return 6.0 + 1.6 * math.sqrt(meeting_count)


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _place_labels(
    node_ids: list[str], names: dict[str, str], positions: dict[str, Point],
    radii: dict[str, float], lines: list[Box],
) -> dict[str, tuple[float, float, str]]:
    """Per node, where its name goes (x, y, text-anchor): below, above, right or left of the
    dot, whichever first overlaps no name, dot or line (else the least overlapping; crossing a
    line costs less than covering a name, as the halo keeps the name readable)."""
    obstacles: list[Box] = [
        (x - radii[n], y - radii[n], x + radii[n], y + radii[n])
        for n, (x, y) in positions.items()
    ]
    placed: dict[str, tuple[float, float, str]] = {}
    size = NET_LABEL_SIZE
    # Busiest people first: their names matter most and have the most lines around them.
    for node in sorted(node_ids, key=lambda n: (-radii[n], node_ids.index(n))):
        x, y = positions[node]
        r = radii[node]
        width = _text_width(names[node], size)
        candidates = [
            (x, y + r + size + 1, "middle"),
            (x, y - r - 5, "middle"),
            (x + r + 5, y + size * 0.35, "start"),
            (x - r - 5, y + size * 0.35, "end"),
        ]
        best: tuple[float, int] | None = None
        own = (x - r, y - r, x + r, y + r)
        for rank, (lx, ly, anchor) in enumerate(candidates):
            left = {"middle": lx - width / 2, "start": lx, "end": lx - width}[anchor]
            box = (left, ly - size * 0.8, left + width, ly + size * 0.25)
            outside = max(0.0, -box[0]) + max(0.0, box[2] - NET_WIDTH)
            cost = (
                sum(_overlap(box, other) for other in obstacles if other != own)
                + sum(_overlap(box, line) for line in lines) * 0.5
                + outside * 50
            )
            if best is None or cost < best[0]:
                best = (cost, rank)
            if cost == 0:
                break
        assert best is not None
        lx, ly, anchor = candidates[best[1]]
        placed[node] = (lx, ly, anchor)
        left = {"middle": lx - width / 2, "start": lx, "end": lx - width}[anchor]
        obstacles.append((left, ly - size * 0.8, left + width, ly + size * 0.25))
    return placed


def _network_legend() -> list[str]:
    y = 20
    return [
        '<g class="sco-legend" font-size="12" fill="#33404d">',
        f'<line x1="16" y1="{y}" x2="52" y2="{y}" stroke="{LINE_COLOUR}" stroke-width="2.2"/>',
        f'<text x="58" y="{y + 4}">held meeting</text>',
        f'<line x1="160" y1="{y}" x2="196" y2="{y}" stroke="{LINE_COLOUR}" stroke-width="2.2" '
        f'stroke-dasharray="{DASH}"/>',
        f'<text x="202" y="{y + 4}">planned meeting</text>',
        f'<text x="16" y="{y + 22}" fill="{MUTED}">One line per meeting, between each two of its '
        "participants; the bigger the dot, the more meetings. Select a line or a name to open "
        "its page.</text>",
        "</g>",
    ]


def network_svg(people: Sequence[Person], meetings: Sequence[Meeting]) -> str:
    """Who met whom: people as linked dots, each meeting a linked line between each pair."""
    node_ids, edges = _meeting_edges(people, meetings)
    names = {p.id: p.name for p in reversed(people)}  # reversed: the first of a repeated id wins
    urls = {p.id: p.url for p in reversed(people)}
    drawn_meetings = list(dict.fromkeys(m.id for _, _, m in edges))
    held = len({m.id for _, _, m in edges if m.status == "held"})
    desc = (
        f"{_plural(len(node_ids), 'person')} and {_plural(len(drawn_meetings), 'meeting')} "
        f"between them ({held} held, {len(drawn_meetings) - held} not held, drawn dashed). "
        "Each meeting is a line between each two of its participants."
    ).replace("persons", "people")
    out = _svg_open("network", NET_WIDTH, NET_HEIGHT, "Who met whom", desc)
    out += _network_legend()
    if not edges:
        out.append(
            f'<text x="{NET_WIDTH // 2}" y="{NET_HEIGHT // 2}" text-anchor="middle" '
            f'font-size="15" fill="{MUTED}">No meeting of two or more people to draw.</text>'
        )
        out.append("</svg>")
        return "\n".join(out) + "\n"

    positions = _layout(node_ids, edges)
    counts = {n: len({m.id for a, b, m in edges if n in (a, b)}) for n in node_ids}
    radii = {n: _node_radius(counts[n]) for n in node_ids}

    line_boxes: list[Box] = []
    out.append('<g class="sco-edges" fill="none">')
    for (a, b, meeting), offset in zip(edges, _curve_offsets(edges), strict=True):
        control = _control_point(positions[a], positions[b], offset)
        d = _curve(positions[a], control, positions[b])
        line_boxes += _curve_boxes(positions[a], control, positions[b])
        dash = f' stroke-dasharray="{DASH}"' if meeting.status != "held" else ""
        out += [
            f'<a href="{_attr(meeting.url)}">',
            f'<g class="sco-edge {_status_class(meeting)}" data-meeting="{_attr(meeting.id)}">',
            f"<title>{_text(_meeting_tooltip(meeting))}</title>",
            # A wide invisible stroke under the thin one: easier to point at.
            f'<path class="sco-hit" d="{d}" stroke="transparent" stroke-width="10"/>',
            f'<path class="sco-line" d="{d}" stroke="{LINE_COLOUR}" stroke-width="2" '
            f'stroke-opacity="0.8"{dash}/>',
            "</g>",
            "</a>",
        ]
    out.append("</g>")

    labels = _place_labels(node_ids, names, positions, radii, line_boxes)
    out.append(f'<g class="sco-nodes" font-size="{_n(NET_LABEL_SIZE)}">')
    for node in node_ids:
        x, y = positions[node]
        lx, ly, anchor = labels[node]
        tooltip = f"{names[node]} — {_plural(counts[node], 'meeting')} drawn"
        out += [
            f'<a href="{_attr(urls[node])}">',
            f'<g class="sco-node" data-person="{_attr(node)}">',
            f"<title>{_text(tooltip)}</title>",
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radii[node])}" fill="#1f3b63" '
            'stroke="#ffffff" stroke-width="2"/>',
            # The white halo keeps the name readable where it crosses a line.
            f'<text x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}" fill="{INK}" '
            'font-weight="600" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" '
            f'paint-order="stroke">{_text(names[node])}</text>',
            "</g>",
            "</a>",
        ]
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --- The timeline ----------------------------------------------------------------------------

TL_WIDTH = 1000
TL_LEFT = 24
TL_RIGHT = TL_WIDTH - 24
LANE_HEIGHT = 22
BAR_HEIGHT = 16
MIN_BAR = 4.0  # px: a single day is under 1 px over three years
BAR_LABEL_SIZE = 11.0
LABEL_ROOM = 230.0  # px at most for a label beside a bar too narrow to hold it
LANE_GAP = 6.0
SUMMIT_FILL = "#fde7a6"
SUMMIT_LIGHT = "#fff6dc"
BOX_LABEL_SIZE = 13.0
BOX_LINE = 16
BOX_PAD = 6


@dataclass(frozen=True)
class _Dated:
    """A dated meeting with the first and last day it covers."""

    meeting: Meeting
    first: date
    last: date
    precision: str


def _dated(meeting: Meeting) -> _Dated:
    """The days a dated meeting covers: from the start of its start to the end of its end."""
    assert meeting.start_date is not None
    first, last = date_span(meeting.start_date, meeting.start_precision)
    if meeting.end_date is not None:
        # An end before the start would be a data error; the start alone is then drawn.
        last = max(last, date_span(meeting.end_date, meeting.end_precision)[1])
    precision = meeting.start_precision or precision_of(meeting.start_date)
    return _Dated(meeting, first, last, precision)


def _meeting_classes(meeting: Meeting, precision: str) -> str:
    return f"sco-meeting {_status_class(meeting)} sco-precision-{precision}"


def _rect_style(meeting: Meeting) -> str:
    """Held: filled, solid outline; otherwise: lighter fill, dashed outline."""
    if meeting.status == "held":
        return f'fill="{HELD_FILL}" stroke="{LINE_COLOUR}" stroke-width="1.2"'
    return (
        f'fill="{PLANNED_FILL}" stroke="{LINE_COLOUR}" stroke-width="1.2" '
        f'stroke-dasharray="{DASH}"'
    )


def _greedy_lanes(extents: Sequence[tuple[float, float]], gap: float) -> list[int]:
    """First-fit lanes for intervals taken in the given (start-sorted) order: as few lanes as
    intervals overlapping at one point, and no two intervals of a lane within ``gap``."""
    ends: list[float] = []
    lanes: list[int] = []
    for start, end in extents:
        for lane, lane_end in enumerate(ends):
            if lane_end + gap <= start:
                ends[lane] = end
                lanes.append(lane)
                break
        else:
            ends.append(end)
            lanes.append(len(ends) - 1)
    return lanes


@dataclass(frozen=True)
class _Bar:
    """One overview bar, its label and the lane it was given."""

    item: _Dated
    x0: float
    x1: float
    label: str
    label_x: float
    label_anchor: str
    label_inside: bool
    extent: tuple[float, float]


def _overview_bars(
    items: list[_Dated], to_x: Callable[[date], float], summit: tuple[date, date], right: float,
) -> list[_Bar]:
    """Bars with their labels: inside when it fits, else beside, where the lane reserves room."""
    bars = []
    for item in items:
        x0 = to_x(item.first)
        x1 = max(to_x(item.last + timedelta(days=1)), x0 + MIN_BAR)
        title = item.meeting.title
        width = x1 - x0
        within_summit = summit[0] <= item.first and item.last <= summit[1]
        if _text_width(title, BAR_LABEL_SIZE) <= width - 8 or width >= 120:
            label = _fit(title, width - 8, BAR_LABEL_SIZE)
            bars.append(_Bar(item, x0, x1, label, x0 + 4, "start", True, (x0, x1)))
        elif within_summit:
            # Its label is in the expanded summit panel below; here the bar alone says when.
            bars.append(_Bar(item, x0, x1, "", x0, "start", False, (x0, x1)))
        elif right - x1 >= 90 or right - x1 >= x0 - TL_LEFT:
            label = _fit(title, min(LABEL_ROOM, right - x1 - 6), BAR_LABEL_SIZE)
            end = x1 + 5 + _text_width(label, BAR_LABEL_SIZE) + LANE_GAP
            bars.append(_Bar(item, x0, x1, label, x1 + 5, "start", False, (x0, end)))
        else:  # near the right edge: the label goes left of the bar
            label = _fit(title, min(LABEL_ROOM, x0 - TL_LEFT - 6), BAR_LABEL_SIZE)
            begin = x0 - 5 - _text_width(label, BAR_LABEL_SIZE) - LANE_GAP
            bars.append(_Bar(item, x0, x1, label, x0 - 5, "end", False, (begin, x1)))
    return bars


def _axis(
    first: date, last: date, to_x: Callable[[date], float], top: float, bottom: float,
) -> list[str]:
    """Year labels and lines, month ticks and initials (or names, if there is room)."""
    out = ['<g class="sco-axis">']
    month_px = to_x(date(first.year, 2, 1)) - to_x(date(first.year, 1, 1))
    for year in range(first.year, last.year + 1):
        x0, x1 = to_x(date(year, 1, 1)), to_x(date(year + 1, 1, 1))
        out.append(
            f'<text x="{_n((x0 + x1) / 2)}" y="{_n(top + 14)}" text-anchor="middle" '
            f'font-size="14" font-weight="700" fill="{INK}">{year}</text>'
        )
        out.append(
            f'<line x1="{_n(x0)}" y1="{_n(top)}" x2="{_n(x0)}" y2="{_n(bottom)}" '
            'stroke="#8795a6" stroke-width="1"/>'
        )
        for month in range(1, 13):
            mx0 = to_x(date(year, month, 1))
            next_month = date(year + month // 12, month % 12 + 1, 1)
            mx1 = to_x(next_month)
            if month > 1:
                out.append(
                    f'<line x1="{_n(mx0)}" y1="{_n(top + 32)}" x2="{_n(mx0)}" '
                    f'y2="{_n(bottom)}" stroke="#e3e8ee" stroke-width="1"/>'
                )
            name = MONTHS[month - 1]
            short = name[:3] if month_px >= 26 else name[0] if month_px >= 9 else ""
            if short:
                out.append(
                    f'<text x="{_n((mx0 + mx1) / 2)}" y="{_n(top + 30)}" text-anchor="middle" '
                    f'font-size="10" fill="{MUTED}">{short}</text>'
                )
    end_x = to_x(date(last.year + 1, 1, 1))
    out.append(
        f'<line x1="{_n(end_x)}" y1="{_n(top)}" x2="{_n(end_x)}" y2="{_n(bottom)}" '
        'stroke="#8795a6" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{_n(to_x(first))}" y1="{_n(top + 35)}" x2="{_n(end_x)}" y2="{_n(top + 35)}" '
        'stroke="#8795a6" stroke-width="1"/>'
    )
    out.append("</g>")
    return out


def _meeting_group(meeting: Meeting, precision: str, lane: int | None) -> list[str]:
    """The opening of a linked, titled meeting shape; the caller closes with </g></a>."""
    lane_attr = f' data-lane="{lane}"' if lane is not None else ""
    return [
        f'<a href="{_attr(meeting.url)}">',
        f'<g class="{_meeting_classes(meeting, precision)}" '
        f'data-meeting="{_attr(meeting.id)}"{lane_attr}>',
        f"<title>{_text(_meeting_tooltip(meeting))}</title>",
    ]


def _day_heading(day: date) -> str:
    """'Wed 3 July 2024', from constants so the output does not depend on the locale."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _summit_panel(
    items: list[_Dated], summit: tuple[date, date], top: float,
) -> tuple[list[str], float]:
    """The summit's days as wide columns, each meeting a box across the days it covers."""
    first_day, last_day = summit
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    column = (TL_RIGHT - TL_LEFT) / len(days)
    heading_height = 30
    # Meetings covering every day first (the summit itself), then day by day, as given.
    chosen = [item for item in items if item.first <= last_day and item.last >= first_day]
    spans = [
        ((max(item.first, first_day) - first_day).days,
         (min(item.last, last_day) - first_day).days)
        for item in chosen
    ]
    order = sorted(range(len(chosen)), key=lambda i: (spans[i][0], -spans[i][1], i))
    lanes = _greedy_lanes([(spans[i][0], spans[i][1]) for i in order], gap=1)

    boxes: list[tuple[int, int, list[str], str]] = []  # (item index, lane, lines, subline)
    for i, lane in zip(order, lanes, strict=True):
        item = chosen[i]
        c0, c1 = spans[i]
        width = column * (c1 - c0 + 1) - 2 * BOX_PAD - 16
        lines = _wrap(item.meeting.title, width, BOX_LABEL_SIZE, max_lines=3)
        details = []
        if item.precision != "day" or not (first_day <= item.first and item.last <= last_day):
            details.append(describe_date(item.meeting))  # a span beyond these days: say so
        if item.meeting.place:
            details.append(item.meeting.place)
        details.append(item.meeting.status)
        subline = _fit(" · ".join(details), width, 11)
        boxes.append((i, lane, lines, subline))

    lane_heights: dict[int, float] = {}
    for _, lane, lines, _ in boxes:
        height = BOX_PAD * 2 + BOX_LINE * len(lines) + 14
        lane_heights[lane] = max(lane_heights.get(lane, 0), height)
    lane_tops: dict[int, float] = {}
    y = top + heading_height + 6
    for lane in sorted(lane_heights):
        lane_tops[lane] = y
        y += lane_heights[lane] + 6
    bottom = max(y, top + heading_height + 40) + 4

    out = ['<g class="sco-panel-summit">']
    for index, day in enumerate(days):
        x0 = TL_LEFT + index * column
        out.append(
            f'<rect x="{_n(x0 + 1)}" y="{_n(top)}" width="{_n(column - 2)}" '
            f'height="{_n(bottom - top)}" fill="{SUMMIT_LIGHT}" stroke="{SUMMIT_FILL}"/>'
        )
        out.append(
            f'<text class="sco-day" x="{_n(x0 + column / 2)}" y="{_n(top + 20)}" '
            f'text-anchor="middle" font-size="14" font-weight="700" fill="{INK}">'
            f"{_day_heading(day)}</text>"
        )
    if not boxes:
        out.append(
            f'<text x="{_n((TL_LEFT + TL_RIGHT) / 2)}" y="{_n(top + heading_height + 26)}" '
            f'text-anchor="middle" font-size="13" fill="{MUTED}">No meeting recorded on these '
            "days.</text>"
        )
    for i, lane, lines, subline in boxes:
        item = chosen[i]
        c0, c1 = spans[i]
        x = TL_LEFT + c0 * column + BOX_PAD
        width = column * (c1 - c0 + 1) - 2 * BOX_PAD
        y = lane_tops[lane]
        height = BOX_PAD * 2 + BOX_LINE * len(lines) + 14
        out += _meeting_group(item.meeting, item.precision, lane)
        out.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" rx="4" '
            f"{_rect_style(item.meeting)}/>"
        )
        if lines:
            # One line of markup: whitespace between the tspans would be drawn as spaces.
            tspans = "".join(
                f'<tspan x="{_n(x + 8)}" y="{_n(y + BOX_PAD + 12 + number * BOX_LINE)}">'
                f"{_text(line)}</tspan>"
                for number, line in enumerate(lines)
            )
            out.append(
                f'<text font-size="{_n(BOX_LABEL_SIZE)}" font-weight="600" fill="{INK}">'
                f"{tspans}</text>"
            )
        out.append(
            f'<text class="sco-details" x="{_n(x + 8)}" '
            f'y="{_n(y + BOX_PAD + 10 + len(lines) * BOX_LINE)}" font-size="11" '
            f'fill="{MUTED}">{_text(subline)}</text>'
        )
        out.append("</g>")
        out.append("</a>")
    out.append("</g>")
    return out, bottom


def _undated_strip(meetings: list[Meeting], top: float) -> tuple[list[str], float]:
    """Meetings without a date, as a flow of linked boxes under a 'Date not given' heading."""
    out = [
        '<g class="sco-panel-undated">',
        f'<text x="{TL_LEFT}" y="{_n(top + 16)}" font-size="14" font-weight="700" '
        f'fill="{INK}">Date not given</text>',
    ]
    x, y = float(TL_LEFT), top + 26
    height = 24
    for meeting in meetings:
        label = _fit(meeting.title, 280, 12)
        width = max(_text_width(label, 12) + 16, 40)
        if x + width > TL_RIGHT and x > TL_LEFT:
            x, y = float(TL_LEFT), y + height + 6
        out += _meeting_group(meeting, "none", None)
        out.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{height}" rx="4" '
            f"{_rect_style(meeting)}/>"
        )
        out.append(
            f'<text x="{_n(x + 8)}" y="{_n(y + 16)}" font-size="12" fill="{INK}">'
            f"{_text(label)}</text>"
        )
        out += ["</g>", "</a>"]
        x += width + 6
    out.append("</g>")
    return out, y + height + 8


def _timeline_legend() -> list[str]:
    y = 8
    return [
        '<g class="sco-legend" font-size="12" fill="#33404d">',
        f'<rect x="{TL_LEFT}" y="{y}" width="28" height="12" rx="2" fill="{HELD_FILL}" '
        f'stroke="{LINE_COLOUR}" stroke-width="1.2"/>',
        f'<text x="{TL_LEFT + 34}" y="{y + 10}">held</text>',
        f'<rect x="{TL_LEFT + 80}" y="{y}" width="28" height="12" rx="2" fill="{PLANNED_FILL}" '
        f'stroke="{LINE_COLOUR}" stroke-width="1.2" stroke-dasharray="{DASH}"/>',
        f'<text x="{TL_LEFT + 114}" y="{y + 10}">planned</text>',
        f'<rect x="{TL_LEFT + 180}" y="{y}" width="28" height="12" fill="{SUMMIT_FILL}"/>',
        f'<text x="{TL_LEFT + 214}" y="{y + 10}">summit days, expanded below</text>',
        f'<text x="{TL_LEFT + 420}" y="{y + 10}" fill="{MUTED}">A date known only to the year '
        "or the month is drawn as that whole year or month.</text>",
        "</g>",
    ]


def timeline_svg(
    meetings: Sequence[Meeting], summit_start: str = "2024-07-03", summit_end: str = "2024-07-04",
) -> str:
    """The meetings on a date axis, the summit's days expanded below, undated ones listed."""
    summit = (date_span(summit_start, "day")[0], date_span(summit_end, "day")[1])
    if summit[1] < summit[0]:
        raise ValueError(f"the summit ends ({summit_end}) before it starts ({summit_start})")
    dated = [_dated(m) for m in meetings if m.start_date is not None]
    undated = [m for m in meetings if m.start_date is None]
    # Whole years, from the first year with a meeting to the last; the summit always shows.
    first = date(min([d.first.year for d in dated] + [summit[0].year]), 1, 1)
    last = date(max([d.last.year for d in dated] + [summit[1].year]), 12, 31)
    total_days = (last - first).days + 1

    def to_x(day: date) -> float:
        return TL_LEFT + (day - first).days / total_days * (TL_RIGHT - TL_LEFT)

    # Earliest first, longer first on the same day, then as given: a stable, readable order.
    ordered = sorted(
        range(len(dated)), key=lambda i: (dated[i].first, -dated[i].last.toordinal(), i)
    )
    bars = _overview_bars([dated[i] for i in ordered], to_x, summit, TL_RIGHT)
    # No gap: bars that only touch (one year after another) share a lane; a label beside
    # a bar already reserves its own margin in the bar's extent.
    lanes = _greedy_lanes([bar.extent for bar in bars], gap=0)
    lane_count = max(lanes, default=-1) + 1

    axis_top = 30.0
    lanes_top = axis_top + 42
    overview_bottom = lanes_top + max(lane_count, 1) * LANE_HEIGHT + 6
    summit_top = overview_bottom + 56
    summit_out, summit_bottom = _summit_panel(dated, summit, summit_top)
    undated_out, undated_bottom = _undated_strip(undated, summit_bottom + 14) if undated else (
        [], summit_bottom)
    height = math.ceil(undated_bottom + 8)

    years = f"{first.year}" if first.year == last.year else f"{first.year} to {last.year}"
    desc = (
        f"{_plural(len(dated), 'dated meeting')} on a time line, {years}; the summit days, "
        f"{describe_date(_summit_meeting(summit_start, summit_end))}, expanded day by day below"
        f"; {_plural(len(undated), 'meeting')} without a date listed at the bottom."
    )
    out = _svg_open("timeline", TL_WIDTH, height, "Meetings on a time line", desc)
    out += _timeline_legend()

    # The summit band and the wedge that opens it into the day-by-day panel.
    band_x0 = to_x(summit[0])
    band_x1 = to_x(summit[1] + timedelta(days=1))
    if band_x1 - band_x0 < 10:  # a few days are a sliver over years: widen it to be seen
        middle = (band_x0 + band_x1) / 2
        band_x0, band_x1 = middle - 5, middle + 5
    out += [
        '<g class="sco-summit-band">',
        f'<polygon points="{_n(band_x0)},{_n(overview_bottom)} {_n(band_x1)},'
        f"{_n(overview_bottom)} {_n(TL_RIGHT)},{_n(summit_top)} {_n(TL_LEFT)},{_n(summit_top)}\" "
        f'fill="{SUMMIT_LIGHT}"/>',
        f'<rect x="{_n(band_x0)}" y="{_n(axis_top + 35)}" width="{_n(band_x1 - band_x0)}" '
        f'height="{_n(overview_bottom - axis_top - 35)}" fill="{SUMMIT_FILL}"/>',
        f'<text x="{TL_LEFT}" y="{_n(summit_top - 10)}" font-size="13" font-weight="700" '
        f'fill="{INK}">The summit days, one column each</text>',
        "</g>",
    ]
    out += _axis(first, last, to_x, axis_top, overview_bottom)

    out.append('<g class="sco-panel-overview">')
    for bar, lane in zip(bars, lanes, strict=True):
        meeting = bar.item.meeting
        y = lanes_top + lane * LANE_HEIGHT
        out += _meeting_group(meeting, bar.item.precision, lane)
        out.append(
            f'<rect x="{_n(bar.x0)}" y="{_n(y)}" width="{_n(bar.x1 - bar.x0)}" '
            f'height="{BAR_HEIGHT}" rx="2" {_rect_style(meeting)}/>'
        )
        if bar.label:
            out.append(
                f'<text x="{_n(bar.label_x)}" y="{_n(y + 12)}" text-anchor="{bar.label_anchor}" '
                f'font-size="{_n(BAR_LABEL_SIZE)}" fill="{INK}">{_text(bar.label)}</text>'
            )
        out += ["</g>", "</a>"]
    if not bars:
        out.append(
            f'<text x="{_n((TL_LEFT + TL_RIGHT) / 2)}" y="{_n(lanes_top + 14)}" '
            f'text-anchor="middle" font-size="13" fill="{MUTED}">No dated meeting.</text>'
        )
    out.append("</g>")
    out += summit_out
    out += undated_out
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _summit_meeting(start: str, end: str) -> Meeting:
    """A stand-in meeting, only to word the summit's dates the same way as a meeting's."""
    return Meeting("", "", "", "", start, "day", end, "day", None, "", "", ())
