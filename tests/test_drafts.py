"""Drafts are not data: an entry a tool wrote (``draft: true``) stops the build until a person
reviews it and deletes the marker; ``check --drafts`` lists them."""

from __future__ import annotations

from .conftest import Workspace, line_of

# A citation of Putin's second naming in AP 3 July, proposed but not reviewed.
DRAFT_SOURCE = ('    - {article: ap-leaders-meet-2024-07-03, line: 13, evidence: "Russian '
                'President Vladimir Putin", draft: true, proposal: "names vladimir-putin '
                'exactly"}\n')
DRAFT_RECORD = """
- id: draft-country
  name: Uzbekistan
  draft: true
  proposal: "a capitalized name no record holds"
  sources:
    - {article: ap-leaders-meet-2024-07-03, line: 29, evidence: "Uzbekistan"}
"""


def _add_drafts(workspace: Workspace) -> None:
    workspace.edit("records/people.yml", '''  title: "Russian President"
  sources:
''', '''  title: "Russian President"
  sources:
''' + DRAFT_SOURCE)
    path = workspace.records / "countries.yml"
    path.write_text(path.read_text(encoding="utf-8") + DRAFT_RECORD, encoding="utf-8")


def test_the_build_refuses_each_draft_naming_it_and_how_to_accept_it(workspace: Workspace,
                                                                     capsys):
    _add_drafts(workspace)
    assert workspace.build() == 1
    error = capsys.readouterr().err
    people, countries = workspace.records / "people.yml", workspace.records / "countries.yml"
    assert (f"{people}:{line_of(people, 'names vladimir-putin exactly')}: vladimir-putin: "
            "sources[0].draft: a draft, not yet reviewed: a citation of ap-leaders-meet-2024-07-03 "
            "line 13: 'Russian President Vladimir Putin' (names vladimir-putin exactly): check it "
            "against its line, then delete `draft: true` and its proposal") in error
    assert (f"{countries}:{line_of(countries, '  draft: true')}: draft-country: draft: a draft, "
            "not yet reviewed: a record (a capitalized name no record holds)") in error
    assert not workspace.output.exists()


def test_check_drafts_lists_them_and_a_reviewed_entry_is_data(workspace: Workspace, capsys):
    _add_drafts(workspace)
    capsys.readouterr()
    assert workspace.build("check", "--drafts") == 0
    out = capsys.readouterr().out
    assert out.count("a draft, not yet reviewed") == 2 and "2 draft(s) to review" in out
    # Reviewed: the markers go, and the entries are ordinary data.
    workspace.edit("records/people.yml", ', draft: true, proposal: "names vladimir-putin exactly"',
                   "")
    workspace.edit("records/countries.yml", "  draft: true\n  proposal: \"a capitalized name no "
                   "record holds\"\n", "")
    assert workspace.build("check", "--drafts") == 0
    assert "no drafts: every entry is reviewed" in capsys.readouterr().out
