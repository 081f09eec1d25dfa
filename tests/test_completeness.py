"""Every row of every record table cites a line, and every value it holds is stated."""

from __future__ import annotations

import sqlite3

import pytest

from sco_data.building.pipeline import validate
from sco_data.errors import InvalidData

from .conftest import Workspace

RECORD_TABLES = ["countries", "organizations", "organization_aliases", "people", "aliases",
                 "members", "observers", "meetings", "meeting_participants", "attendees",
                 "quotes", "meeting_facts", "discrepancies"]


@pytest.mark.parametrize("table", RECORD_TABLES)
def test_every_row_has_a_verified_citation(db: sqlite3.Connection, table: str):
    rows = db.execute(f"select id from {table}").fetchall()
    assert rows
    uncited = db.execute(
        f"select id from {table} where id not in "
        "(select record_id from citations where record_table = ?)", [table]).fetchall()
    assert [row["id"] for row in uncited] == []
    for citation in db.execute(
        "select citations.*, lines.text from citations join lines on lines.id = line_id "
        "where record_table = ?", [table]
    ):
        assert citation["text"][citation["char_start"]:citation["char_end"]] == (
            citation["evidence"]), citation["id"]


def test_an_organization_kind_is_stated_by_one_of_its_citations(db: sqlite3.Connection):
    kinds = dict(db.execute("select id, kind from organizations where kind is not null"))
    assert kinds == {"sco": "forum", "xinhua": "news agency",
                     "chatham-house": "foreign affairs think tank"}
    for organization, kind in kinds.items():
        evidence = [row[0] for row in db.execute(
            "select evidence from citations where record_table = 'organizations' "
            "and record_id = ?", [organization])]
        assert any(kind in words for words in evidence), organization


def test_organization_aliases_are_every_spelling_printed(db: sqlite3.Connection):
    names = {row[0]: sorted(row[1].split("|")) for row in db.execute(
        "select organization_id, group_concat(name, '|') from organization_aliases "
        "group by organization_id")}
    assert names == {
        "sco": ["SCO", "Shanghai Co-operation Organisation", "Shanghai Cooperation Organisation",
                "Shanghai Cooperation Organization"],
        "united-nations": ["U.N.", "UN", "United Nations"],
        "carnegie-russia-eurasia-center": ["Carnegie Russia Eurasia Center",
                                           "Carnegie Russia Eurasia Centre"],
    }
    for alias_id, name in db.execute("select id, name from organization_aliases"):
        for (evidence,) in db.execute("select evidence from citations where record_table = "
                                      "'organization_aliases' and record_id = ?", [alias_id]):
            assert name in evidence, alias_id


def test_a_participant_cites_lines_that_name_them(db: sqlite3.Connection):
    """Putin's place in the Sochi meeting rests on the line's "The Russian President"."""
    rows = db.execute("select article_id, line, evidence from citations where record_table = "
                      "'meeting_participants' and record_id = ?",
                      ["putin-erdogan-sochi-2023-09-vladimir-putin"]).fetchall()
    assert [(row[0], row[1]) for row in rows] == [("dedovic-putin-key-meetings-2024-07-03", 23)]
    assert rows[0][2].startswith("The Russian President is \"likely to meet\"")
    assert rows[0][2].endswith("The two leaders last met in September 2023 in Sochi, Russia.")


BROKEN = {
    "a kind no citation states": (
        "records/organizations.yml", "  kind: news agency\n", "  kind: state news agency\n",
        "xinhua", "sources[0].states[1]",
        "no rule finds kind 'state news agency' in the evidence 'the official Xinhua news "
        "agency'"),
    "a participant without sources": (
        "records/meetings.yml",
        "    - person_id: ukhnaagiin-khurelsukh\n      sources:\n",
        "    - person_id: ukhnaagiin-khurelsukh\n      sources: []\n      unused:\n",
        "putin-khurelsukh-astana-2024", "participants[1].sources",
        "List should have at least 1 item"),
    "a participant listed twice": (
        "records/meetings.yml", "    - person_id: ukhnaagiin-khurelsukh\n",
        "    - person_id: vladimir-putin\n", "putin-khurelsukh-astana-2024",
        "participants[1].person_id", "'vladimir-putin' is already participant 1 of this meeting"),
    "a participant as a bare id, without its sources": (
        "records/meetings.yml",
        "  participants:\n    - person_id: vladimir-putin\n      sources:\n",
        "  participants:\n    - vladimir-putin\n  unused:\n    - sources:\n",
        "putin-xi-astana-2024-07-03", "participants[0]",
        "expected a mapping of field: value here, got 'vladimir-putin'"),
    "a country without sources": (
        "records/countries.yml", "- id: qatar\n  name: Qatar\n  sources:\n",
        "- id: qatar\n  name: Qatar\n  unused:\n", "qatar", "sources",
        "required field is missing"),
}


@pytest.mark.parametrize(("file", "old", "new", "record", "field", "message"), BROKEN.values(),
                         ids=BROKEN.keys())
def test_a_row_without_a_stated_value_or_citation_is_refused(
    workspace: Workspace, file: str, old: str, new: str, record: str, field: str, message: str
):
    workspace.edit(file, old, new)
    with pytest.raises(InvalidData) as caught:
        validate(workspace.inputs)
    found = [(p.record_id, p.field, p.message) for p in caught.value.problems]
    assert any((r, f) == (record, field) and message in m for r, f, m in found), found
