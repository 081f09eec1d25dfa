"""/-/network and /-/timeline as served: every meeting drawn, linked, and listed as a table."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from itertools import combinations

import pytest

from sco_data.expectations import dataset

from .conftest import Site

SVG = "{http://www.w3.org/2000/svg}"

EXPECTED = dataset()


def _svg(page: str) -> ET.Element:
    return ET.fromstring(re.search(r'<svg [^>]*class="sco-picture.*?</svg>', page, re.S)[0])


def _participants(db: sqlite3.Connection) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meeting, person in db.execute("select meeting_id, person_id from meeting_participants"):
        found.setdefault(meeting, []).append(person)
    return found


def test_the_network_draws_one_line_per_pair_of_every_meetings_participants(
        site: Site, db: sqlite3.Connection):
    svg = _svg(site.page("/-/network"))
    edges = svg.findall(f".//{SVG}g[@data-meeting]")
    expected = sorted((meeting, pair) for meeting, people in _participants(db).items()
                      for pair in combinations(sorted(people), 2))
    assert len(edges) == len(expected) == EXPECTED["network_edges"]
    assert sorted(edge.get("data-meeting") for edge in edges) == sorted(
        meeting for meeting, _ in expected)
    status = dict(db.execute("select id, status from meetings"))
    for edge in edges:
        meeting = edge.get("data-meeting")
        assert f"sco-{status[meeting]}" in edge.get("class")
        dashed = edge.find(f"{SVG}path[@class='sco-line']").get("stroke-dasharray")
        assert (dashed is not None) == (status[meeting] == "planned"), meeting


def test_the_networks_lines_and_dots_link_meetings_and_people(site: Site):
    page = site.page("/-/network")
    links = re.findall(r'<a href="([^"]+)"[^>]*>\s*<g class="sco-(edge|node)[^"]*" '
                       r'data-(?:meeting|person)="([^"]+)"', page)
    assert links
    for url, kind, record in links:
        assert url == f"/sco/{'meetings' if kind == 'edge' else 'people'}/{record}"
    names = {text.text for text in _svg(page).iter(f"{SVG}text")}
    assert {"Vladimir Putin", "Xi Jinping"} <= names


def test_the_network_lists_its_meetings_with_participants_and_sources(site: Site,
                                                                      db: sqlite3.Connection):
    page = site.page("/-/network")
    table = page.split('class="rows-and-columns sco-meetings-list"')[1]
    with_two = [meeting for meeting, people in _participants(db).items() if len(people) >= 2]
    for meeting in with_two:
        assert f'href="/sco/meetings/{meeting}#sources">sources</a>' in table
    assert table.count('#sources">sources</a>') == len(with_two)
    assert '<a href="/sco/people/xi-jinping">Xi Jinping</a>' in table


def test_the_timeline_draws_every_meeting_once_at_its_precision(site: Site,
                                                                db: sqlite3.Connection):
    svg = _svg(site.page("/-/timeline"))
    overview = svg.find(f".//{SVG}g[@class='sco-panel-overview']")
    undated = svg.find(f".//{SVG}g[@class='sco-panel-undated']")
    drawn = {element.get("data-meeting"): element.get("class")
             for element in overview.iter() if element.get("data-meeting")}
    not_dated = {element.get("data-meeting")
                 for element in undated.iter() if element.get("data-meeting")}
    rows = db.execute("select id, start_date_precision from meetings").fetchall()
    assert set(drawn) == {row[0] for row in rows if row[1]}
    assert not_dated == {row[0] for row in rows if row[1] is None}
    for meeting, precision in rows:
        if precision:
            assert f"sco-precision-{precision}" in drawn[meeting]
    assert "sco-precision-year" in drawn["sco-meeting-2022"]


def test_the_timeline_expands_the_two_summit_days(site: Site):
    svg = _svg(site.page("/-/timeline"))
    summit = svg.find(f".//{SVG}g[@class='sco-panel-summit']")
    days = [text.text for text in summit.iter(f"{SVG}text") if text.get("class") == "sco-day"]
    assert days == ["Wed 3 July 2024", "Thu 4 July 2024"]
    inside = {element.get("data-meeting") for element in summit.iter()
              if element.get("data-meeting")}
    assert {"sco-summit-astana-2024", "putin-xi-astana-2024-07-03",
            "putin-mokhber-astana-2024-07-04"} <= inside


@pytest.mark.parametrize("path", ["/-/network", "/-/timeline"])
def test_pictures_need_no_script_and_nothing_from_outside(site: Site, path: str):
    page = site.page(path)
    svg = re.search(r"<svg .*?</svg>", page, re.S)[0]
    assert "<script" not in svg and "http://" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    response = site.loop.run_until_complete(site.datasette.client.post(path))
    assert response.status_code == 405
