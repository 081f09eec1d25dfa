"""The two SVG pictures: who met whom (a network) and when (a time line), from plain data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_data.publish.pictures import Meeting, Person, date_span, network_svg, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def person(pid: str, name: str | None = None) -> Person:
    return Person(pid, name or pid.title(), f"/people/{pid}")


def meeting(
    mid: str,
    participants: tuple[str, ...] = (),
    start: str | None = None,
    precision: str | None = None,
    *,
    end: str | None = None,
    end_precision: str | None = None,
    status: str = "held",
    title: str | None = None,
    place: str | None = "Astana",
) -> Meeting:
    return Meeting(
        id=mid, title=title or f"Meeting {mid}", kind="bilateral", status=status,
        start_date=start, start_precision=precision, end_date=end, end_precision=end_precision,
        place=place, url=f"/meetings/{mid}", sources_url=f"/meetings/{mid}#sources",
        participant_ids=participants,
    )


PEOPLE = [person(pid) for pid in ("putin", "xi", "tokayev", "erdogan", "sharif", "lavrov")]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if name in classes(element)]


def parents(root: ET.Element) -> dict[ET.Element, ET.Element]:
    return {child: parent for parent in root.iter() for child in parent}


def link_of(root: ET.Element, element: ET.Element) -> str | None:
    """The href of the nearest enclosing <a>."""
    up = parents(root)
    while element in up:
        element = up[element]
        if element.tag == f"{SVG}a":
            return element.get("href")
    return None


def edges(root: ET.Element) -> list[ET.Element]:
    return with_class(root, "sco-edge")


def line_of(edge: ET.Element) -> ET.Element:
    (line,) = [p for p in edge.iter(f"{SVG}path") if "sco-line" in classes(p)]
    return line


def rect_of(group: ET.Element) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 of a meeting's box."""
    rect = group.find(f"{SVG}rect")
    assert rect is not None
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def panel(root: ET.Element, name: str) -> ET.Element:
    (found,) = with_class(root, f"sco-panel-{name}")
    return found


def in_panel(root: ET.Element, name: str) -> dict[str, ET.Element]:
    return {g.get("data-meeting"): g for g in with_class(panel(root, name), "sco-meeting")}


# --- Both pictures ---------------------------------------------------------------------------

def sample_meetings() -> list[Meeting]:
    return [
        meeting("m2022", ("putin", "xi"), "2022", "year"),
        meeting("m2023-09", ("putin", "erdogan"), "2023-09", "month"),
        meeting("summit", (), "2024-07-03", "day", end="2024-07-04", end_precision="day",
                title="SCO summit"),
        meeting("day1", ("putin", "xi", "tokayev"), "2024-07-03", "day"),
        meeting("day2", ("putin", "erdogan"), "2024-07-04", "day"),
        meeting("undated", ("putin", "sharif"), status="planned"),
    ]


@pytest.mark.parametrize("draw", [
    lambda: network_svg(PEOPLE, sample_meetings()),
    lambda: timeline_svg(sample_meetings()),
])
def test_pictures_are_well_formed_accessible_svg(draw):
    svg = draw()
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
    assert int(root.get("width")) <= 1400
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").text
    # Self-contained: nothing fetched, nothing run.
    assert "<script" not in svg
    assert "@import" not in svg and "url(" not in svg
    assert not [href for a in root.iter(f"{SVG}a") if (href := a.get("href")).startswith("http")]


def test_importing_the_module_does_not_import_networkx():
    code = "import sys, sco_data.publish.pictures; assert 'networkx' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_output_does_not_depend_on_hash_seed_or_call():
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, sys.argv[1])
        from test_pictures import PEOPLE, sample_meetings
        from sco_data.publish.pictures import network_svg, timeline_svg
        sys.stdout.write(network_svg(PEOPLE, sample_meetings()))
        sys.stdout.write(timeline_svg(sample_meetings()))
    """)
    here = os.path.dirname(__file__)
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, here], check=True, capture_output=True, text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert outputs == {network_svg(PEOPLE, sample_meetings()) + timeline_svg(sample_meetings())}


# --- The network -----------------------------------------------------------------------------

def test_a_three_person_meeting_gives_three_edges():
    root = parse(network_svg(PEOPLE, [meeting("trio", ("putin", "xi", "tokayev"))]))
    found = edges(root)
    assert len(found) == 3
    assert {e.get("data-meeting") for e in found} == {"trio"}
    assert {n.get("data-person") for n in with_class(root, "sco-node")} == {
        "putin", "xi", "tokayev"}
    # Three different chords of the triangle.
    assert len({line_of(e).get("d") for e in found}) == 3


def test_a_meeting_of_one_gives_no_edge_and_no_node():
    root = parse(network_svg(PEOPLE, [
        meeting("pair", ("putin", "xi")),
        meeting("alone", ("lavrov",)),
        meeting("nobody", ()),
        meeting("unknown-and-repeated", ("sharif", "sharif", "someone-not-listed")),
    ]))
    assert [e.get("data-meeting") for e in edges(root)] == ["pair"]
    assert [n.get("data-person") for n in with_class(root, "sco-node")] == ["putin", "xi"]


def test_nothing_to_draw_still_gives_a_picture():
    root = parse(network_svg(PEOPLE, [meeting("alone", ("lavrov",))]))
    assert edges(root) == []
    assert with_class(root, "sco-node") == []
    assert "No meeting of two or more people" in "".join(root.itertext())


def test_held_edges_are_solid_and_planned_ones_dashed():
    root = parse(network_svg(PEOPLE, [
        meeting("held", ("putin", "xi")),
        meeting("planned", ("putin", "sharif"), status="planned"),
        meeting("cancelled", ("putin", "lavrov"), status="cancelled"),
    ]))
    by_id = {e.get("data-meeting"): e for e in edges(root)}
    assert "sco-held" in classes(by_id["held"])
    assert all(p.get("stroke-dasharray") is None for p in by_id["held"].iter(f"{SVG}path"))
    for mid in ("planned", "cancelled"):
        assert "sco-planned" in classes(by_id[mid])
        assert line_of(by_id[mid]).get("stroke-dasharray")


def test_repeated_meetings_of_a_pair_are_separate_curves():
    root = parse(network_svg(PEOPLE, [
        meeting("first", ("putin", "xi")),
        meeting("second", ("xi", "putin")),  # the other order bows the other way, not the same
        meeting("third", ("putin", "xi")),
    ]))
    found = edges(root)
    assert [e.get("data-meeting") for e in found] == ["first", "second", "third"]
    paths = [line_of(e).get("d") for e in found]
    assert len(set(paths)) == 3
    # Same two ends, different control points.
    parts = [re.fullmatch(r"M(\S+ \S+) Q(\S+ \S+) (\S+ \S+)", d).groups() for d in paths]
    assert len({(start, end) for start, _, end in parts}) == 1
    assert len({control for _, control, _ in parts}) == 3


def test_every_edge_links_to_its_meeting_and_every_node_to_its_person():
    meetings = sample_meetings()
    root = parse(network_svg(PEOPLE, meetings))
    urls = {m.id: m.url for m in meetings}
    assert edges(root)
    for edge in edges(root):
        assert link_of(root, edge) == urls[edge.get("data-meeting")]
    for node in with_class(root, "sco-node"):
        assert link_of(root, node) == f"/people/{node.get('data-person')}"


def test_edge_titles_give_title_date_and_status():
    root = parse(network_svg(PEOPLE, sample_meetings()))
    titles = {e.get("data-meeting"): e.find(f"{SVG}title").text for e in edges(root)}
    assert titles["m2022"] == "Meeting m2022 — 2022 — Astana — held"
    assert titles["m2023-09"] == "Meeting m2023-09 — September 2023 — Astana — held"
    assert titles["day1"] == "Meeting day1 — 3 July 2024 — Astana — held"
    assert titles["undated"] == "Meeting undated — date not given — Astana — planned"


def test_network_layout_fits_the_view_box():
    root = parse(network_svg(PEOPLE, sample_meetings()))
    _, _, width, height = map(float, root.get("viewBox").split())
    for circle in root.iter(f"{SVG}circle"):
        x, y, r = (float(circle.get(k)) for k in ("cx", "cy", "r"))
        assert r <= x <= width - r and r <= y <= height - r
    for node in with_class(root, "sco-node"):
        label = node.find(f"{SVG}text")
        assert 0 < float(label.get("x")) < width and 0 < float(label.get("y")) < height


# --- The time line ---------------------------------------------------------------------------

def test_bar_widths_follow_the_precision_of_the_date():
    root = parse(timeline_svg([
        meeting("year", (), "2023", "year"),
        meeting("month", (), "2023-05", "month"),
        meeting("day", (), "2023-05-17", "day"),
    ]))
    bars = in_panel(root, "overview")
    width = {mid: rect_of(g)[2] - rect_of(g)[0] for mid, g in bars.items()}
    assert width["year"] > width["month"] > width["day"] > 0
    assert width["year"] / width["month"] == pytest.approx(365 / 31, rel=0.02)
    assert "sco-precision-year" in classes(bars["year"])
    assert "sco-precision-month" in classes(bars["month"])
    assert "sco-precision-day" in classes(bars["day"])
    # May 2023 starts 120 days into 2023.
    assert rect_of(bars["month"])[0] - rect_of(bars["year"])[0] == pytest.approx(
        width["year"] * 120 / 365, abs=0.2)


def test_axis_runs_over_whole_years_of_the_dated_meetings():
    root = parse(timeline_svg([meeting("a", (), "2022", "year"), meeting("b", (), "2024-05")]))
    years = [t.text for t in with_class(root, "sco-axis")[0].iter(f"{SVG}text")
             if t.text and t.text.isdigit()]
    assert years == ["2022", "2023", "2024"]


def test_a_meeting_with_an_end_date_spans_both_summit_days():
    root = parse(timeline_svg(sample_meetings()))
    summit_panel = panel(root, "summit")
    headings = [t for t in summit_panel.iter(f"{SVG}text") if "sco-day" in classes(t)]
    assert [h.text for h in headings] == ["Wed 3 July 2024", "Thu 4 July 2024"]
    day1_x, day2_x = (float(h.get("x")) for h in headings)
    boxes = in_panel(root, "summit")
    assert set(boxes) == {"summit", "day1", "day2"}
    x0, _, x1, _ = rect_of(boxes["summit"])
    assert x0 < day1_x < day2_x < x1
    x0, _, x1, _ = rect_of(boxes["day1"])
    assert x0 < day1_x < x1 < day2_x
    x0, _, x1, _ = rect_of(boxes["day2"])
    assert day1_x < x0 < day2_x < x1
    # In the overview too, the summit's bar runs over its two days, and the band marks them.
    assert with_class(root, "sco-summit-band")
    overview = in_panel(root, "overview")
    assert rect_of(overview["summit"])[2] - rect_of(overview["summit"])[0] >= rect_of(
        overview["day1"])[2] - rect_of(overview["day1"])[0]


def test_a_coarser_date_overlapping_the_summit_shows_in_the_summit_panel_with_its_date():
    root = parse(timeline_svg([meeting("july", (), "2024-07", "month")]))
    box = in_panel(root, "summit")["july"]
    details = [t for t in box.iter(f"{SVG}text") if "sco-details" in classes(t)]
    assert details[0].text.startswith("July 2024")


def test_the_summit_days_are_stacked_without_overlap_and_titles_are_wrapped_not_lost():
    long_title = "A very long title of a bilateral meeting " * 4
    root = parse(timeline_svg([
        meeting(f"d{i}", (), "2024-07-03" if i % 2 else "2024-07-04", "day", title=long_title)
        for i in range(6)
    ] + [meeting("both", (), "2024-07-03", "day", end="2024-07-04", end_precision="day")]))
    boxes = [rect_of(g) for g in in_panel(root, "summit").values()]
    assert len(boxes) == 7  # not a count: the six meetings above and one over both days
    for a, b in combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    group = in_panel(root, "summit")["d0"]
    lines = [t.text for t in group.iter(f"{SVG}tspan")]
    assert len(lines) > 1
    assert all(line.removesuffix("…") in long_title for line in lines)
    assert long_title in group.find(f"{SVG}title").text


def test_undated_meetings_are_listed_under_date_not_given():
    root = parse(timeline_svg(sample_meetings()))
    strip = panel(root, "undated")
    assert "Date not given" in "".join(strip.itertext())
    undated = in_panel(root, "undated")
    assert list(undated) == ["undated"]
    group = undated["undated"]
    assert {"sco-meeting", "sco-planned", "sco-precision-none"} <= classes(group)
    assert link_of(root, group) == "/meetings/undated"
    assert "undated" not in in_panel(root, "overview")
    # Planned: dashed outline.
    assert group.find(f"{SVG}rect").get("stroke-dasharray")


def test_no_undated_strip_without_undated_meetings():
    root = parse(timeline_svg([meeting("a", (), "2024-07-03", "day")]))
    assert with_class(root, "sco-panel-undated") == []


def test_bars_link_to_their_meetings_and_say_when_in_their_titles():
    root = parse(timeline_svg(sample_meetings()))
    for name in ("overview", "summit", "undated"):
        for mid, group in in_panel(root, name).items():
            assert link_of(root, group) == f"/meetings/{mid}"
    title = in_panel(root, "overview")["summit"].find(f"{SVG}title").text
    assert title == "SCO summit — 3–4 July 2024 — Astana — held"


def test_meetings_that_do_not_overlap_share_one_lane():
    root = parse(timeline_svg([
        meeting("y2022", (), "2022", "year"),
        meeting("y2023", (), "2023", "year"),
        meeting("y2024", (), "2024", "year"),
    ]))
    assert len({rect_of(g)[1] for g in in_panel(root, "overview").values()}) == 1


PRECISIONS = st.sampled_from(["year", "month", "day"])


@st.composite
def dated_meetings(draw) -> list[Meeting]:
    found = []
    for index in range(draw(st.integers(1, 14))):
        day = date(2022, 1, 1) + timedelta(days=draw(st.integers(0, 3 * 365)))
        precision = draw(PRECISIONS)
        value = {"year": day.isoformat()[:4], "month": day.isoformat()[:7],
                 "day": day.isoformat()}[precision]
        end = None
        if precision == "day" and draw(st.booleans()):
            end = (day + timedelta(days=draw(st.integers(1, 40)))).isoformat()
        found.append(meeting(f"m{index}", (), value, precision, end=end,
                             end_precision="day" if end else None,
                             status=draw(st.sampled_from(["held", "planned"])),
                             title=draw(st.sampled_from(["Talks", "A much longer title " * 3]))))
    return found


@settings(max_examples=40, deadline=None)
@given(dated_meetings())
def test_bars_never_overlap(meetings):
    root = parse(timeline_svg(meetings))
    bars = in_panel(root, "overview")
    assert set(bars) == {m.id for m in meetings}
    boxes = {mid: rect_of(g) for mid, g in bars.items()}
    for (a_id, a), (b_id, b) in combinations(boxes.items(), 2):
        same_lane = bars[a_id].get("data-lane") == bars[b_id].get("data-lane")
        assert same_lane == (a[1] == b[1])
        if same_lane:
            assert a[2] <= b[0] or b[2] <= a[0], (a_id, b_id)
        else:
            assert a[3] <= b[1] or b[3] <= a[1]
    # Few lanes: never more than one per meeting, and one suffices for a single meeting.
    assert len({b[1] for b in boxes.values()}) <= len(meetings)


def test_a_malformed_date_is_refused():
    with pytest.raises(ValueError, match="2024-13"):
        timeline_svg([meeting("bad", (), "2024-13", "month")])


# --- date_span -------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "precision", "span"), [
    ("2022", "year", (date(2022, 1, 1), date(2022, 12, 31))),
    ("2024-02", "month", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2023-02", "month", (date(2023, 2, 1), date(2023, 2, 28))),
    ("2024-12", "month", (date(2024, 12, 1), date(2024, 12, 31))),
    ("2024-07-03", "day", (date(2024, 7, 3), date(2024, 7, 3))),
    ("2024-02", None, (date(2024, 2, 1), date(2024, 2, 29))),  # precision read from the value
])
def test_date_span(value, precision, span):
    assert date_span(value, precision) == span


@pytest.mark.parametrize(("value", "precision", "message"), [
    ("2024-13", "month", "does not exist"),
    ("2023-02-29", "day", "does not exist"),
    ("2024-00", "month", "does not exist"),
    ("2024-7", "month", "not written at month precision"),
    ("2024", "day", "not written at day precision"),
    ("24", None, "not an ISO date"),
    ("2024-07-03T10:00", None, "not an ISO date"),
    ("2024", "week", "unknown date precision"),
    ("", "year", "not written at year precision"),
])
def test_date_span_refuses_malformed_values(value, precision, message):
    with pytest.raises(ValueError, match=message):
        date_span(value, precision)


# --- Escaping --------------------------------------------------------------------------------

# Anything XML can carry (control characters, surrogates and the two non-characters cannot
# be), with the characters that break markup made likely.
TEXT = st.lists(
    st.one_of(
        st.text(
            st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
            max_size=8,
        ),
        st.sampled_from(["<", ">", "&", '"', "'", "]]>", "&amp;", "<!--", "…", " "]),
    ),
    max_size=6,
).map("".join)


def visible_lines(group: ET.Element) -> list[str]:
    """The label text a meeting's group shows, line by line (its details line aside)."""
    found = []
    for text in group.iter(f"{SVG}text"):
        if "sco-details" in classes(text):
            continue
        tspans = list(text.iter(f"{SVG}tspan"))
        assert not (tspans and (text.text or "").strip()), "text outside the lines"
        found += [part.text or "" for part in tspans or [text]]
    return found


@settings(max_examples=50, deadline=None)
@given(name=TEXT, title=TEXT, pid=TEXT, url=TEXT, place=TEXT)
def test_any_text_is_escaped_not_mangled(name, title, pid, url, place):
    people = [Person(pid + "a", name, url + "a"), Person(pid + "b", name + "b", url + "b")]
    meetings = [
        Meeting(mid, title, "bilateral", status, start, precision, None, None, place, url,
                url + "#sources", (pid + "a", pid + "b"))
        for mid, status, start, precision in [
            (pid + "1", "held", "2024-07-03", "day"),
            (pid + "2", "planned", "2023-05", "month"),
            (pid + "3", "planned", None, None),
        ]
    ]
    network = parse(network_svg(people, meetings))
    nodes = {n.get("data-person"): n for n in with_class(network, "sco-node")}
    assert set(nodes) == {pid + "a", pid + "b"}
    for who in people:
        node = nodes[who.id]
        assert (node.find(f"{SVG}text").text or "") == who.name
        assert who.name in node.find(f"{SVG}title").text
        assert link_of(network, node) == who.url
    drawn = edges(network)
    assert [e.get("data-meeting") for e in drawn] == [m.id for m in meetings]
    when = ["3 July 2024 — held", "May 2023 — planned", "date not given — planned"]
    for edge, (date_text, status) in zip(drawn, (w.split(" — ") for w in when), strict=True):
        where = f" — {place}" if place else ""  # an empty place is no place
        assert edge.find(f"{SVG}title").text == f"{title} — {date_text}{where} — {status}"
        assert link_of(network, edge) == url

    timeline = parse(timeline_svg(meetings))
    groups = with_class(timeline, "sco-meeting")
    assert {g.get("data-meeting") for g in groups} == {m.id for m in meetings}
    for group in groups:
        assert group.find(f"{SVG}title").text.startswith(title + " — ")
        assert link_of(timeline, group) == url
        for line in visible_lines(group):
            assert line.removesuffix("…") in title


def test_characters_xml_cannot_carry_are_dropped_and_whitespace_in_attributes_kept():
    people = [Person("a\x00", "Na\x01me\ufffe", "/p?a=1\tb"), Person("b", "B", "/b")]
    svg = network_svg(people, [meeting("m\x1f", ("a\x00", "b"), title="T\ud800itle")])
    root = parse(svg)
    (edge,) = edges(root)
    assert edge.get("data-meeting") == "m"
    assert edge.find(f"{SVG}title").text.startswith("Title — ")
    node = with_class(root, "sco-node")[0]
    assert node.find(f"{SVG}text").text == "Name"
    assert link_of(root, node) == "/p?a=1\tb"
