"""Each kind of bad input is reported as path:line: record: field: message, and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sco_data.building.pipeline import validate
from sco_data.errors import InvalidData

from .conftest import BUILT_FOLDER, Workspace, line_of


@dataclass(frozen=True)
class Breakage:
    """An edit that breaks one input, and the message the build must give for it."""

    file: str  # relative to the workspace
    old: str
    new: str
    marker: str  # text on the line the message must point at, after the edit
    record: str
    field: str
    message: str


CHINA_EVIDENCE = (
    '      evidence: "The Shanghai Cooperation Organization was established in 2001 by China and '
    'Russia"'
)

BREAKAGES = {
    "unknown field": Breakage(
        "records/members.yml", "  country_id: china\n", "  country_id: china\n  colour: red\n",
        "colour: red", "sco-china", "colour", "unknown field; remove it or use one of: id,"),
    "missing field": Breakage(
        "records/observers.yml", "  country_id: turkey\n  status: observer_or_dialogue_partner\n",
        "  country_id: turkey\n", "- id: sco-turkey", "sco-turkey", "status",
        "required field is missing"),
    "bad status": Breakage(
        "records/observers.yml", "  country_id: egypt\n  status: observer_or_dialogue_partner",
        "  country_id: egypt\n  status: partner", "status: partner", "sco-egypt", "status",
        "Input should be 'observer', 'dialogue_partner' or 'observer_or_dialogue_partner'"),
    "bad date": Breakage(
        "records/members.yml", 'country_id: india\n  founding: false\n  joined: "2017"',
        'country_id: india\n  founding: false\n  joined: "2017-13"', 'joined: "2017-13"',
        "sco-india", "joined", "'2017-13' is not a real date"),
    "imprecise date format": Breakage(
        "records/members.yml", 'joined: "2023"', 'joined: "July 2023"', 'joined: "July 2023"',
        "sco-iran", "joined", "is not an ISO 8601 date"),
    "unknown country": Breakage(
        "records/members.yml", "  country_id: pakistan\n", "  country_id: pakistann\n",
        "country_id: pakistann", "sco-pakistan", "country_id",
        "unknown id 'pakistann': no such record in countries"),
    "unknown organization": Breakage(
        "records/observers.yml", "- id: sco-egypt\n  organization_id: sco\n",
        "- id: sco-egypt\n  organization_id: nato\n", "organization_id: nato", "sco-egypt",
        "organization_id", "unknown id 'nato': no such record in organizations"),
    "duplicate id": Breakage(
        "records/members.yml", "- id: sco-russia\n", "- id: sco-china  # was russia\n",
        "# was russia", "sco-china", "id", "duplicate id in members (first on line 4)"),
    "bad slug": Breakage(
        "records/countries.yml", "- id: egypt\n", "- id: Egypt\n",
        "- id: Egypt", "Egypt", "id", "'Egypt' is not a slug"),
    "evidence not on the line": Breakage(
        "records/members.yml", "evidence: \"India and Pakistan joined the group in 2017\"",
        "evidence: \"India and Pakistan joined the group in 2018\"", "in 2018", "sco-india",
        "sources[0].evidence",
        "'India and Pakistan joined the group in 2018' is not on line 39 of "
        "dedovic-putin-key-meetings-2024-07-03, which reads: '\"There was concern"),
    "evidence on another line": Breakage(
        "records/observers.yml",
        "      line: 17\n      evidence: \"Observer states and dialogue partners include Turkey",
        "      line: 18\n      evidence: \"Observer states and dialogue partners include Turkey",
        "line: 18", "sco-turkey", "sources[1].line",
        "which reads: ''; it occurs on line 17: cite that line"),
    "line out of range": Breakage(
        "records/members.yml", "      line: 39\n      evidence: \"Iran became",
        "      line: 390\n      evidence: \"Iran became", "line: 390", "sco-iran",
        "sources[0].line",
        "line 390 does not exist: dedovic-putin-key-meetings-2024-07-03 has lines 1 to 51"),
    "unknown article": Breakage(
        "records/observers.yml", "article: ap-leaders-attend-2024-07-04\n      line: 9\n",
        "article: ap-2024-07-04\n      line: 9\n", "article: ap-2024-07-04", "sco-turkey",
        "sources[2].article", "unknown id 'ap-2024-07-04': no such record in seeds/articles.yml"),
    "no sources": Breakage(
        "records/observers.yml", "  status: observer_or_dialogue_partner\n  sources:\n",
        "  status: observer_or_dialogue_partner\n  sources: []\n  unused:\n", "sources: []",
        "sco-turkey", "sources", "List should have at least 1 item"),
    "same line cited twice": Breakage(
        "records/members.yml", CHINA_EVIDENCE, CHINA_EVIDENCE + "\n    - article: "
        "ap-leaders-meet-2024-07-03\n      line: 25  # twice\n      evidence: \"China and Russia\"",
        "# twice", "sco-china", "sources[1].line",
        "cites line 25 of ap-leaders-meet-2024-07-03 again (already source 1)"),
    "duplicate key": Breakage(
        "records/members.yml", "  country_id: kazakhstan\n",
        "  country_id: kazakhstan\n  country_id: kyrgyzstan  # again\n", "# again",
        "sco-kazakhstan", "country_id", "key given twice (first on line"),
    "not YAML": Breakage(
        "records/observers.yml", "- id: sco-egypt\n", "- id: sco-egypt\n  note: a: b\n",
        "note: a: b", "-", "-", "not valid YAML: mapping values are not allowed"),
    "registry date": Breakage(
        "seeds/articles.yml", "  published: 2024-07-04\n", "  published: 2024-02-30\n",
        "published: 2024-02-30", "ap-leaders-attend-2024-07-04", "published",
        "'2024-02-30' is not a real date"),
    "registry evidence": Breakage(
        "seeds/articles.yml", "evidence: by Sededin Dedovic", "evidence: By Sededin Dedovic",
        "By Sededin Dedovic", "dedovic-putin-key-meetings-2024-07-03", "sources[1].evidence",
        "only if case, quotation marks, dashes or spaces are ignored"),
    "quote text not between the marks": Breakage(
        "records/quotes.yml", 'text: "ambivalent"', 'text: "ambivalence"', 'text: "ambivalence"',
        "gabuev-ambivalent", "text",
        "'ambivalence' does not stand between quotation marks on line 93 of "
        "ap-leaders-meet-2024-07-03"),
    "alias not in its evidence": Breakage(
        "records/people.yml", '- name: "Mokhber"', '- name: "Mokhbir"',
        'evidence: "Mokhber conveyed a message to Putin"', "mohammad-mokhber",
        "aliases[2].sources[0].evidence", "the evidence does not contain the alias 'Mokhbir'"),
    "discrepancy about no record": Breakage(
        "records/discrepancies.yml", "record_id: sco-belarus", "record_id: sco-belaruss",
        "record_id: sco-belaruss", "belarus-membership", "record_id",
        "unknown id 'sco-belaruss': no such record in members"),
    "source group override on a wrong line": Breakage(
        "seeds/articles.yml", "    split: true\n    line: 61\n", "    split: true\n    line: 60\n",
        "evidence: Some information in this report came from",
        "voa-xi-putin-talks-2024-07-03", "source_group.evidence",
        "is not on line 60 of voa-xi-putin-talks-2024-07-03"),
    "origin on a line the article does not have": Breakage(
        "seeds/articles.yml", "    name: Sededin Dedovic\n    line: 5\n",
        "    name: Sededin Dedovic\n    line: 999\n", "line: 999",
        "dedovic-putin-key-meetings-2024-07-03", "origin.line",
        "line 999 does not exist: dedovic-putin-key-meetings-2024-07-03 has lines 1 to 51"),
    "source group joining no article": Breakage(
        "seeds/articles.yml", "    split: true\n", "    join: ap-leaders-meet\n",
        "join: ap-leaders-meet", "voa-xi-putin-talks-2024-07-03", "source_group.join",
        "'ap-leaders-meet' is no article: join names another article of the registry"),
    "source group both joined and split": Breakage(
        "seeds/articles.yml", "    split: true\n",
        "    split: true\n    join: ap-leaders-meet-2024-07-03\n",
        "  source_group:", "voa-xi-putin-talks-2024-07-03", "source_group",
        "give exactly one of join: <article id> or split: true"),
    "origin not named in its evidence": Breakage(
        "seeds/articles.yml", "    name: Sededin Dedovic\n", "    name: Sedin Dedovic\n",
        "name: Sedin Dedovic", "dedovic-putin-key-meetings-2024-07-03", "origin.name",
        "'Sedin Dedovic' does not stand in the evidence 'by Sededin Dedovic'"),
    "source group naming no origin": Breakage(
        "seeds/articles.yml",
        "  origin:\n    name: Sededin Dedovic\n    line: 5\n    evidence: by Sededin Dedovic\n",
        "", "- id: dedovic-putin-key-meetings-2024-07-03",
        "dedovic-putin-key-meetings-2024-07-03", "origin",
        "no article of this source group (dedovic-putin-key-meetings-2024-07-03) names its "
        "origin"),
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_bad_input_is_named_and_nothing_is_written(workspace: Workspace, capsys, breakage):
    assert workspace.build() == 0
    before = workspace.output.read_bytes()
    capsys.readouterr()
    path = workspace.edit(breakage.file, breakage.old, breakage.new)

    assert workspace.build() == 1

    error = capsys.readouterr().err
    where = f"{path}:{line_of(path, breakage.marker)}: {breakage.record}: {breakage.field}: "
    reported = [line for line in error.splitlines() if line.startswith(where)]
    assert reported, f"no line starts with {where!r} in:\n{error}"
    assert any(breakage.message in line for line in reported), error
    assert "was not written; any previous one is unchanged" in error
    assert workspace.output.read_bytes() == before
    assert sorted(p.name for p in workspace.root.iterdir()) == BUILT_FOLDER


def test_every_problem_is_reported_in_one_run(workspace: Workspace):
    for name in ("unknown country", "imprecise date format", "evidence not on the line"):
        breakage = BREAKAGES[name]
        workspace.edit(breakage.file, breakage.old, breakage.new)
    with pytest.raises(InvalidData) as caught:
        validate(workspace.inputs)
    assert [problem.field for problem in caught.value.problems] == [
        "sources[0].evidence", "country_id", "joined",
    ]


def test_missing_records_file_is_named(workspace: Workspace, capsys):
    (workspace.records / "observers.yml").unlink()
    assert workspace.build("check") == 1
    error = capsys.readouterr().err
    assert f"{workspace.records / 'observers.yml'}:1: -: -: file is missing" in error


def test_unknown_person_meeting_and_representative_are_named(workspace: Workspace):
    attendees = workspace.records / "attendees.yml"
    attendees.write_text(
        "- id: modi-astana\n"
        "  meeting_id: sco-summit-astana-2025\n"
        "  person_id: narendra-modhi\n"
        "  attendance: absent\n"
        "  represented_by: jaishankar-astana\n"
        "  sources:\n"
        "    - article: ap-leaders-meet-2024-07-03\n"
        "      line: 39\n"
        "      evidence: Prime Minister Narendra Modi of India is sending his foreign minister.\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData) as caught:
        validate(workspace.inputs)
    found = {(p.line, p.record_id, p.field): p.message.split(" (known")[0]
             for p in caught.value.problems if p.path == str(attendees)}
    assert found == {
        (2, "modi-astana", "meeting_id"):
            "unknown id 'sco-summit-astana-2025': no such record in meetings",
        (3, "modi-astana", "person_id"):
            "unknown id 'narendra-modhi': no such record in people",
        (5, "modi-astana", "represented_by"):
            "unknown id 'jaishankar-astana': no such record in attendees",
    }
