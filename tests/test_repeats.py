"""A record cites every line that states it: a repeat of a cited clause is cited or declared."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_data.building.folding import fold
from sco_data.building.pipeline import validate
from sco_data.building.repeats import FoldedLines
from sco_data.building.sources import ArticleText
from sco_data.errors import InvalidData

from .conftest import Workspace, assert_refused, line_of

PA_34 = ("    - article: pa-putin-xi-kazakhstan-2024-07-03\n"
         "      line: 34\n"
         "      evidence: \"the Russian leader on Wednesday had multiple meetings with other "
         "leaders on the side-lines of the summit\"\n"
         "      states: [kind, status]\n")
# The summit record's own declarations begin so.
SUMMIT_NOT_CITED = "  not_cited:\n    - article: ap-leaders-meet-2024-07-03\n      line: 31\n"
PASTE = ('- {article: pa-putin-xi-kazakhstan-2024-07-03, line: 34, evidence: "the Russian leader '
         'on Wednesday had multiple meetings with other leaders on the side-lines of the summit"}')


def _drop_wire_copy(workspace: Workspace) -> None:
    """The summit record forgets the Press Association's copy of an AP sentence."""
    workspace.edit("records/meetings.yml", PA_34, "")


def test_a_missing_wire_copy_fails_with_a_ready_to_paste_source(workspace: Workspace, capsys):
    _drop_wire_copy(workspace)
    assert workspace.build() == 1
    error = capsys.readouterr().err
    meetings = workspace.records / "meetings.yml"
    # The summit is the file's first record: its citation is the first with these words, and
    # the message points at the citation's first line ("- article: …"), two lines above.
    cited_at = next(number for number, text in enumerate(
        meetings.read_text(encoding="utf-8").split("\n"), 1)
        if "evidence: \"the Russian leader on Wednesday had multiple meetings" in text) - 2
    # PA's line prints AP's sentence: a partner, which the partner check reports (once, though
    # the clause repeats there too).
    expected = (f"{meetings}:{cited_at}: sco-summit-astana-2024: sources: "
                "pa-putin-xi-kazakhstan-2024-07-03 line 34 prints the sentence of source")
    assert any(line.startswith(expected) and f"(ready to paste: {PASTE};" in line
               for line in error.splitlines()), error
    assert error.count("pa-putin-xi-kazakhstan-2024-07-03 line 34") == 1
    assert not workspace.output.exists()


def test_pasting_the_suggested_source_fixes_the_build(workspace: Workspace, capsys):
    _drop_wire_copy(workspace)
    with pytest.raises(InvalidData) as caught:
        validate(workspace.inputs)
    [message] = [p.message for p in caught.value.problems if "line 34" in p.message]
    paste = re.search(r"ready to paste: (- \{.*\});", message)[1]
    sources = "  sources:\n    - article: dedovic-putin-key-meetings-2024-07-03\n      line: 17\n"
    workspace.edit("records/meetings.yml", sources, f"  sources:\n    {paste}\n"
                   "    - article: dedovic-putin-key-meetings-2024-07-03\n      line: 17\n")
    assert workspace.build() == 0


def test_a_declared_repeat_passes_and_lands_in_not_cited(workspace: Workspace):
    _drop_wire_copy(workspace)
    workspace.edit(
        "records/meetings.yml", SUMMIT_NOT_CITED,
        "  not_cited:\n    - article: pa-putin-xi-kazakhstan-2024-07-03\n      line: 34\n"
        "      reason: a test declares it\n" + SUMMIT_NOT_CITED.removeprefix("  not_cited:\n"))
    assert workspace.build("--allow-shrink") == 0  # one citation fewer than curated
    connection = sqlite3.connect(workspace.output)
    rows = connection.execute(
        "select record_table, record_id, article_id, line, line_id, reason from not_cited "
        "where record_id = 'sco-summit-astana-2024' and line = 34").fetchall()
    assert rows == [("meetings", "sco-summit-astana-2024", "pa-putin-xi-kazakhstan-2024-07-03", 34,
                     "pa-putin-xi-kazakhstan-2024-07-03-L34", "a test declares it")]


BAD_DECLARATIONS = {
    "the words do not stand there": (
        "pa-putin-xi-kazakhstan-2024-07-03", 41, "line",
        "none of this record's cited clauses (6 words or more) stands on line 41 of "
        "pa-putin-xi-kazakhstan-2024-07-03, and it prints none of their sentences; it reads: "
        "'Both face soaring tensions"),
    "the line is cited": (
        "ap-leaders-meet-2024-07-03", 21, "line",
        "line 21 of ap-leaders-meet-2024-07-03 is cited by this record: remove the declaration"),
    "no such line": (
        "ap-leaders-meet-2024-07-03", 500, "line",
        "line 500 does not exist: ap-leaders-meet-2024-07-03 has lines 1 to 102"),
    "no such article": (
        "ap-2024", 3, "article", "unknown id 'ap-2024': no such record in seeds/articles.yml"),
}


@pytest.mark.parametrize(("article", "line", "field", "message"), BAD_DECLARATIONS.values(),
                         ids=BAD_DECLARATIONS.keys())
def test_a_wrong_declaration_is_named_and_nothing_is_written(
    workspace: Workspace, capsys, article: str, line: int, field: str, message: str
):
    def breaks() -> str:
        meetings = workspace.edit(
            "records/meetings.yml", SUMMIT_NOT_CITED,
            f"  not_cited:\n    - article: {article}\n      line: {line}  # declared\n"
            "      reason: a test declares it\n" + SUMMIT_NOT_CITED.removeprefix("  not_cited:\n"))
        marker = "# declared" if field == "line" else f"article: {article}"
        return (f"{meetings}:{line_of(meetings, marker)}: sco-summit-astana-2024: "
                f"not_cited[0].{field}: ")

    assert_refused(workspace, capsys, breaks, message)


def test_an_entity_cites_one_line_per_article(workspace: Workspace):
    """A person named again later in an article they cite needs no further citation."""
    report = validate(workspace.inputs)
    putin = next(item for item in report.records["people"] if item.record.id == "vladimir-putin")
    cited = {(source.article, source.line) for source in putin.record.sources}
    assert ("ap-leaders-meet-2024-07-03", 11) in cited
    assert ("ap-leaders-meet-2024-07-03", 13) not in cited  # "Russian President Vladimir Putin"


def test_every_declaration_in_the_data_names_a_real_repeat(db: sqlite3.Connection):
    """Each not_cited row points at an existing line of another record's words, with a reason."""
    rows = db.execute("select not_cited.*, lines.text from not_cited "
                      "join lines on lines.id = not_cited.line_id").fetchall()
    assert len(rows) == db.execute("select count(*) from not_cited").fetchone()[0]
    for row in rows:
        assert row["reason"].strip(), row["id"]
        assert not db.execute(
            "select 1 from citations where record_table = ? and record_id = ? and line_id = ?",
            [row["record_table"], row["record_id"], row["line_id"]]).fetchall(), row["id"]


WORDS = st.sampled_from(["Putin", "Mr", "Xi", "met", "the", "U.N.", "UN", "summit", "co-operation",
                         "cooperation", "—", "“talks”", "Organisation", "organization"])


@given(st.dictionaries(st.integers(1, 6), st.lists(WORDS, max_size=12).map(" ".join),
                       max_size=6),
       st.lists(WORDS, min_size=1, max_size=4).map(" ".join))
def test_the_word_index_finds_what_a_scan_of_every_line_finds(lines: dict[int, str], words: str):
    """The index (rarest word first) finds exactly the lines a plain scan of folded text finds."""
    texts = {"a": ArticleText("a", tuple(lines.get(n, "") for n in range(1, 7)))}
    needle = fold(words).split()
    found = {key for key, _, _ in FoldedLines(texts).find(needle)}
    scanned = {("a", n) for n, text in enumerate(texts["a"].lines, 1)
               if needle and f" {' '.join(needle)} " in f" {fold(text)} "}
    assert found == scanned
