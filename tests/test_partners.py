"""Wire copies curated by the tools: sentences grouped however the paragraphs break, the partner
check in the build, ``cite-copies`` and ``fix`` writing citations in place, named source groups
and coverage by record. The articles are written for these tests: an original wire story and a
copy of it with another house style ("Mr"), a name spelled otherwise ("Turkiye"), a paragraph
split in two, two merged into one, a sentence of its own and the original's last paragraph
dropped."""

from __future__ import annotations

import difflib
import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_data.building.alignment import carry
from sco_data.building.folding import fold_word_list
from sco_data.building.sentences import group_sentences, split_sentences
from sco_data.cli import main

ORIGINAL = "\n".join([
    "Two leaders meet at Arden for river talks",
    "",
    "By Test Wire",
    "",
    "July 3, 2024",
    "",
    "The leaders of Freedonia and Sylvania met on Wednesday in the lakeside city of Arden for "
    "talks on river trade. They signed a pact on shared ports and fishing rights.",
    "",
    "“We have opened a new chapter for both our peoples,” said Freedonian President Rufus "
    "Firefly after the talks.",
    "",
    "Officials from Turkey also attended the meeting in Arden as observers of the regional "
    "council.",
    "",
    "The council was founded in 1999 by six river states and meets every second year.",
    "",
    "Copyright 2024 Test Wire. All rights reserved.",
])
COPY = "\n".join([
    "Freedonia and Sylvania sign river pact",
    "",
    "By Copy Desk",
    "",
    "July 3, 2024",
    "",
    "The leaders of Freedonia and Sylvania met on Wednesday in the lakeside city of Arden for "
    "talks on river trade.",
    "",
    "They signed a pact on shared ports and fishing rights. “We have opened a new chapter for "
    "both our peoples,” said Freedonian President Mr Rufus Firefly after the talks.",
    "",
    "A local newspaper said the talks lasted four hours and ended with a long dinner.",
    "",
    "Officials from Turkiye also attended the meeting in Arden as observers of the regional "
    "council.",
])
ORIGINAL_ID, COPY_ID = "test-wire-arden-2024-07-03", "copy-desk-arden-2024-07-03"
REGISTRY = f"""\
# The registry of the test world.
- id: {ORIGINAL_ID}
  file: 000_original.txt
  sha256: {hashlib.sha256(ORIGINAL.encode()).hexdigest()}
  label: Test Wire
  title: Two leaders meet at Arden for river talks
  publisher: Test Wire
  published: 2024-07-03
  published_note: Line 5 gives the date.
  sources:
    - line: 1
      evidence: Two leaders meet at Arden for river talks
  origin:
    name: Test Wire
    line: 15
    evidence: Copyright 2024 Test Wire.
"""
MEETING_EVIDENCE = ("The leaders of Freedonia and Sylvania met on Wednesday in the lakeside city "
                    "of Arden for talks on river trade. They signed a pact on shared ports")
QUOTE_EVIDENCE = ("“We have opened a new chapter for both our peoples,” said Freedonian "
                  "President Rufus Firefly")
RECORDS = {
    "countries.yml": f"""\
# Countries of the test world.
- id: freedonia
  name: Freedonia
  sources:
    - {{article: {ORIGINAL_ID}, line: 7, evidence: "Freedonia", states: [name]}}

- id: turkey
  name: Turkey
  sources:
    - {{article: {ORIGINAL_ID}, line: 11, evidence: "Turkey", states: [name]}}
""",
    "people.yml": f"""\
- id: rufus-firefly
  name: "Rufus Firefly"
  country_id: freedonia
  title: "Freedonian President"
  sources:
    - article: {ORIGINAL_ID}
      line: 9
      evidence: "Freedonian President Rufus Firefly"
      states: [name, country_id, title]
""",
    "meetings.yml": f"""\
# Meetings of the test world.
- id: arden-talks
  title: "Talks in Arden"
  kind: bilateral
  status: held
  place: "Arden"
  sources:
    # The first citation is the primary source.
    - article: {ORIGINAL_ID}
      line: 7
      evidence: "{MEETING_EVIDENCE}"
      states: [kind, status, place]
""",
    "quotes.yml": f"""\
- id: firefly-new-chapter
  text: "We have opened a new chapter for both our peoples"
  speaker: "Freedonian President Rufus Firefly"
  person_id: rufus-firefly
  meeting_id: arden-talks
  sources:
    - {{article: {ORIGINAL_ID}, line: 9, evidence: "{QUOTE_EVIDENCE}",
       states: [person_id, {{field: meeting_id, reason: "the line goes on 'after the talks'"}}]}}
""",
    "lexicon.yml": """\
# The words that state the test world's values.
- {field: meetings.kind, value: bilateral, words: ["met"]}
- {field: meetings.status, value: held, words: ["met"]}
- {field: countries, value: freedonia, words: ["Freedonian"]}
""",
}
EMPTY = ["organizations.yml", "members.yml", "observers.yml", "attendees.yml",
         "meeting_facts.yml", "discrepancies.yml", "quoted_spans.yml"]


class World:
    """The test world's inputs in a folder, and its commands."""

    def __init__(self, root: Path) -> None:
        self.root, self.seeds, self.records = root, root / "seeds", root / "records"
        self.seeds.mkdir(parents=True)
        self.records.mkdir()
        (self.seeds / "000_original.txt").write_bytes(ORIGINAL.encode())
        (self.seeds / "articles.yml").write_text(REGISTRY, encoding="utf-8")
        (self.seeds / "SHA256SUMS").write_text(
            f"{hashlib.sha256(ORIGINAL.encode()).hexdigest()}  000_original.txt\n")
        for name, text in RECORDS.items():
            (self.records / name).write_text(text, encoding="utf-8")
        for name in EMPTY:
            (self.records / name).write_text("[]\n", encoding="utf-8")
        self.copy_file = root / "incoming" / "copy.txt"
        self.copy_file.parent.mkdir()
        self.copy_file.write_bytes(COPY.encode())

    def run(self, *command: str) -> int:
        return main([*command, "--records", str(self.records), "--seeds", str(self.seeds),
                     "--registry", str(self.seeds / "articles.yml"),
                     "--output", str(self.root / "sco.db"), "--allow-shrink"])

    def add_copy(self) -> None:
        assert self.run("add-article", str(self.copy_file), "--id", COPY_ID, "--label",
                        "Copy Desk") == 0
        # The curator checks the entry's proposals against the article, and accepts them.
        registry = self.seeds / "articles.yml"
        text = registry.read_text(encoding="utf-8")
        assert "  draft: true\n" in text
        registry.write_text(re.sub(r'  draft: true\n  proposal: "(?:[^"\\]|\\.)*"\n', "", text),
                            encoding="utf-8")

    def texts(self) -> dict[str, str]:
        return {path.name: path.read_text(encoding="utf-8")
                for path in sorted(self.records.iterdir())}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path / "world")


def _added_lines(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """Per file, the lines the change added; fails if it removed or changed any."""
    added: dict[str, list[str]] = {}
    for name in before:
        diff = [line for line in difflib.ndiff(before[name].split("\n"), after[name].split("\n"))
                if line[:1] in "+-"]
        assert not [line for line in diff if line.startswith("-")], (name, diff)
        if diff:
            added[name] = [line[2:] for line in diff]
    return added


# --------------------------------------------------------------------------- sentences


def test_a_line_splits_into_sentences_with_their_offsets():
    line = ("Mr. Putin met U.S. officials on July 3. George W. Bush was not there! "
            "“Why not?” she asked. No. 10 replied.")
    sentences = [line[s.start:s.end] for s in split_sentences(line)]
    assert sentences == ["Mr. Putin met U.S. officials on July 3.",
                         "George W. Bush was not there!", "“Why not?” she asked.",
                         "No. 10 replied."]
    assert split_sentences("   ") == []
    assert [(s.start, s.end) for s in split_sentences("  One line, no end  ")] == [(2, 18)]


SENTENCE = st.lists(st.sampled_from(
    ["river", "trade", "ports", "leaders", "signed", "pact", "council", "talks", "Arden",
     "Freedonia", "fishing", "rights", "shared", "observers", "officials", "regional"]),
    min_size=6, max_size=14).map(lambda words: " ".join(words).capitalize() + ".")


def _fold(texts: dict[str, list[str]]):
    return lambda article, line, start, end: fold_word_list(texts[article][line - 1][start:end])


def _partition(texts: dict[str, list[str]]) -> set[frozenset[tuple[str, str]]]:
    """The sentence groups as sets of (article, sentence text): independent of line numbers."""
    groups: dict[str, set[tuple[str, str]]] = {}
    for row in group_sentences(texts, _fold(texts)):
        text = texts[row.article_id][row.line - 1][row.char_start:row.char_end]
        groups.setdefault(row.group, set()).add((row.article_id, text))
    return {frozenset(members) for members in groups.values()}


@settings(max_examples=60, deadline=None)
@given(sentences=st.lists(SENTENCE, min_size=2, max_size=8, unique=True),
       cuts=st.lists(st.booleans(), min_size=8, max_size=8))
def test_a_copy_groups_the_same_however_its_paragraphs_break(sentences, cuts):
    original = [" ".join(sentences)]  # one paragraph
    # The copy breaks the same sentences into paragraphs wherever ``cuts`` says.
    paragraphs, current = [], [sentences[0]]
    for sentence, cut in zip(sentences[1:], cuts, strict=False):
        if cut:
            paragraphs.append(" ".join(current))
            current = []
        current.append(sentence)
    paragraphs.append(" ".join(current))
    one_line = {"original": original, "copy": [" ".join(sentences)]}
    broken = {"original": original, "copy": [part for paragraph in paragraphs
                                             for part in (paragraph, "")][:-1]}
    assert _partition(broken) == _partition(one_line)
    assert len(_partition(one_line)) == len(sentences)


# --------------------------------------------------------------------------- alignment


def test_evidence_carries_in_the_partners_own_characters():
    source = "said Freedonian President Rufus Firefly after the talks."
    partner = "said Freedonian President Mr Rufus Firefly after the talks."
    carried = carry(source, 5, 39, partner)
    assert carried.evidence == "Freedonian President Mr Rufus Firefly"
    variant = carry("Officials from Turkey also attended", 0, 35,
                    "Officials from Turkiye also attended")
    assert variant.evidence is None and variant.differing == [("Turkey", "Turkiye")]
    # Evidence that cuts a word carries to the same characters, cut the same way.
    line = "their annual meeting in Kazakhstan’s capital of Astana."
    start = line.index("Kazakhstan")
    cut = carry(line, start, start + len("Kazakhstan"),
                "an annual meeting held in Kazakhstan’s capital")
    assert cut.evidence == "Kazakhstan"
    assert carry(line, start, start + len("Kazakhstan"),
                 "an annual meeting held in Kazakhstan's capital").evidence is None


# --------------------------------------------------------------------------- the wire copy


def test_add_article_proposes_the_source_group_of_the_story_it_copies(world: World, capsys):
    world.add_copy()
    registry = (world.seeds / "articles.yml").read_text(encoding="utf-8")
    assert "  # Shares 4 sentence(s) with Test Wire" in registry
    assert "It joins Test Wire's source group by itself" in registry


def test_cite_copies_carries_every_citation_but_the_name_variant(world: World, capsys):
    assert world.run("check") == 0
    world.add_copy()
    before = world.texts()
    capsys.readouterr()
    assert world.run("cite-copies", COPY_ID) == 0
    out = capsys.readouterr().out
    added = _added_lines(before, world.texts())
    # Only citations were added: the meeting (split paragraph: its first line, and its second
    # sentence on the merged line), the quote and the person (merged line, "Mr"), Freedonia.
    assert set(added) == {"meetings.yml", "quotes.yml", "people.yml", "countries.yml"}
    assert added["people.yml"] == [
        f"    - article: {COPY_ID}", "      line: 9",
        '      evidence: "Freedonian President Mr Rufus Firefly"']
    assert added["countries.yml"] == [
        f'    - {{article: {COPY_ID}, line: 1, evidence: "Freedonia"}}']
    assert "      line: 7" in added["meetings.yml"] and "      line: 9" in added["meetings.yml"]
    assert "wrote 5 citation(s) into 4 record(s)" in out
    # The two parts of the split paragraph are written and listed for a person to check.
    assert ("2 of them carry part of an evidence the copy splits over lines" in out
            and f"  meetings/arden-talks: {COPY_ID} line 9: 'They signed a pact on shared ports'"
            in out)
    assert "'Turkey' → 'Turkiye'" in out and "a name spelled otherwise" in out
    # The build fails on the variant alone, naming the words and both fixes.
    assert world.run() == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": turkey: " in line
              or "problem(s)" in line]
    assert errors[-1].startswith("1 problem(s)")
    assert f"{COPY_ID} line 13 prints the sentence of source 1" in errors[0]
    assert "'Turkey' → 'Turkiye'" in errors[0] and "alias" in errors[0]
    assert "not_cited" in errors[0]
    # Running it again changes nothing.
    after = world.texts()
    assert world.run("cite-copies", COPY_ID) == 0
    assert "wrote 0 citation(s)" in capsys.readouterr().out
    assert world.texts() == after


def _settle_the_variant(world: World) -> None:
    path = world.records / "countries.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(
        f'    - {{article: {ORIGINAL_ID}, line: 11, evidence: "Turkey", states: [name]}}\n',
        f'    - {{article: {ORIGINAL_ID}, line: 11, evidence: "Turkey", states: [name]}}\n'
        f'    - {{article: {COPY_ID}, line: 13, evidence: "Turkiye"}}\n'), encoding="utf-8")


def test_a_copy_cited_by_the_tools_builds_and_joins_its_originals_group(world: World, capsys):
    world.add_copy()
    assert world.run("cite-copies", COPY_ID) == 0
    _settle_the_variant(world)
    assert world.run() == 0, capsys.readouterr().err
    with sqlite3.connect(world.root / "sco.db") as db:
        groups = db.execute("select id, name, articles from source_groups").fetchall()
        assert groups == [("test-wire", "Test Wire", 2)]
        assert db.execute("select source_group from articles").fetchall() == [
            ("test-wire",), ("test-wire",)]
        # The split paragraph and the merged one: the copy's line 9 holds sentences of the
        # original's lines 7 and 9, so all four lines are one line group.
        lines = db.execute("select article_id, line, group_id from line_groups").fetchall()
        assert {(article, line) for article, line, _ in lines} == {
            (ORIGINAL_ID, 7), (ORIGINAL_ID, 9), (ORIGINAL_ID, 11),
            (COPY_ID, 7), (COPY_ID, 9), (COPY_ID, 13)}
        # Every record citing an original line cites its partners.
        missing = db.execute(
            "select count(*) from sentence_groups mine join sentence_groups theirs on "
            "theirs.group_id = mine.group_id and theirs.article_id != mine.article_id "
            "join citations c on c.article_id = theirs.article_id and c.line = theirs.line "
            "and c.record_table not in ('articles', 'source_groups') "
            "where mine.article_id = ? and not exists (select 1 from citations own where "
            "own.record_id = c.record_id and own.record_table = c.record_table and "
            "own.article_id = mine.article_id)", [COPY_ID]).fetchone()[0]
        assert missing == 0


def test_removing_a_carried_citation_fails_the_build_naming_record_and_partner(
        world: World, capsys):
    world.add_copy()
    assert world.run("cite-copies", COPY_ID) == 0
    _settle_the_variant(world)
    path = world.records / "people.yml"
    carried = path.read_text(encoding="utf-8")
    path.write_text(carried.replace(
        f"    - article: {COPY_ID}\n      line: 9\n"
        '      evidence: "Freedonian President Mr Rufus Firefly"\n', ""), encoding="utf-8")
    capsys.readouterr()
    assert world.run() == 1
    error = capsys.readouterr().err
    assert (f"people.yml:6: rufus-firefly: sources: {COPY_ID} line 9 prints the sentence of "
            f"source 1 ({ORIGINAL_ID} line 9") in error
    assert (f'ready to paste: - {{article: {COPY_ID}, line: 9, evidence: "Freedonian President '
            'Mr Rufus Firefly"}') in error
    # fix writes exactly what was removed, and the build passes again.
    assert world.run("fix") == 0
    assert "round 1: wrote 1 citation(s) into 1 record(s)" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == carried
    assert world.run() == 0


def test_a_declared_partner_is_listed_by_coverage_with_its_reason(world: World, capsys):
    world.add_copy()
    assert world.run("cite-copies", COPY_ID) == 0
    path = world.records / "countries.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(
        f'    - {{article: {ORIGINAL_ID}, line: 11, evidence: "Turkey", states: [name]}}\n',
        f'    - {{article: {ORIGINAL_ID}, line: 11, evidence: "Turkey", states: [name]}}\n'
        f"  not_cited:\n    - article: {COPY_ID}\n      line: 13\n"
        "      reason: \"The copy spells it Turkiye; left for the next curator.\"\n"),
        encoding="utf-8")
    capsys.readouterr()
    assert world.run("coverage", "--article", COPY_ID) == 0
    out = capsys.readouterr().out
    assert (f"     13  countries/turkey cites {ORIGINAL_ID} line 11: declared: The copy spells it "
            "Turkiye") in out


def test_a_curator_names_the_group_for_another_origin(world: World, capsys):
    world.add_copy()
    assert world.run("cite-copies", COPY_ID) == 0
    _settle_the_variant(world)
    registry = world.seeds / "articles.yml"
    text = registry.read_text(encoding="utf-8")
    origin = '\n    evidence: "By Copy Desk"\n'  # the origin's (the source's is indented more)
    assert text.count(origin) == 1
    registry.write_text(text.replace(origin, origin + "    names_group: true\n"),
                        encoding="utf-8")
    assert world.run() == 0, capsys.readouterr().err
    with sqlite3.connect(world.root / "sco.db") as db:
        assert db.execute("select id, name from source_groups").fetchall() == [
            ("copy-desk", "Copy Desk")]
        note = db.execute("select note from source_groups").fetchone()[0]
        assert "the curator's choice (names_group)" in note


# --------------------------------------------------------------------------- refusals


def test_cite_copies_refuses_an_unknown_article_and_writes_nothing(world: World, capsys):
    world.add_copy()
    before = world.texts()
    capsys.readouterr()
    assert world.run("cite-copies", "copy-desk-arden-2024-07-30") == 2
    error = capsys.readouterr().err
    assert "no article 'copy-desk-arden-2024-07-30' in the registry; did you mean" in error
    assert f"'{COPY_ID}'" in error and world.texts() == before


def test_cite_copies_refuses_an_article_with_no_partners(world: World, capsys):
    capsys.readouterr()
    shutil.copy(world.seeds / "000_original.txt", world.root / "keep.txt")
    assert world.run("cite-copies", ORIGINAL_ID) == 2
    assert (f"{ORIGINAL_ID} prints no sentence of another article: it has no partner lines"
            in capsys.readouterr().err)


def test_cite_copies_refuses_records_with_a_syntax_error_and_writes_nothing(
        world: World, capsys):
    world.add_copy()
    path = world.records / "quotes.yml"
    path.write_text(path.read_text(encoding="utf-8") + "  - [unclosed\n", encoding="utf-8")
    before = world.texts()
    capsys.readouterr()
    assert world.run("cite-copies", COPY_ID) == 1
    error = capsys.readouterr().err
    assert "quotes.yml:" in error and "not valid YAML" in error
    assert world.texts() == before
    assert not list(world.records.glob(".*.tmp"))


def test_fix_says_what_it_left_and_exits_one_until_a_person_decides(world: World, capsys):
    assert world.run("fix") == 0
    assert "nothing to apply" in capsys.readouterr().out
    world.add_copy()
    before = world.texts()
    capsys.readouterr()
    # Without cite-copies, fix writes what the build offers ready to paste, round after round,
    # and leaves the name variant to a person.
    assert world.run("fix") == 1
    captured = capsys.readouterr()
    assert "round 1: wrote 5 citation(s) into 4 record(s)" in captured.out
    assert "1 problem(s) left, with no ready fix (a person decides):" in captured.err
    assert "'Turkey' → 'Turkiye'" in captured.err
    assert set(_added_lines(before, world.texts())) == {
        "meetings.yml", "quotes.yml", "people.yml", "countries.yml"}


def test_a_name_variant_recorded_as_an_alias_settles_the_country(world: World, capsys):
    world.add_copy()
    assert world.run("cite-copies", COPY_ID) == 0
    path = world.records / "countries.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(
        "- id: turkey\n  name: Turkey\n",
        "- id: turkey\n  name: Turkey\n  aliases:\n    - name: Turkiye\n      sources:\n"
        f'        - {{article: {COPY_ID}, line: 13, evidence: "Turkiye"}}\n'), encoding="utf-8")
    assert world.run() == 0, capsys.readouterr().err
    with sqlite3.connect(world.root / "sco.db") as db:
        assert db.execute("select id, country_id, name from country_aliases").fetchall() == [
            ("turkey-alias-1", "turkey", "Turkiye")]
