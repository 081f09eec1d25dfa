"""Every span in quotation marks, on every line of every article, is a quote or has a reason."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_data.building.quoted_spans import spans_on
from sco_data.building.sources import sha256_of

from .conftest import Workspace, assert_refused, line_of


def _texts(line: str) -> list[str]:
    return [span.text for span in spans_on("a", 1, line)]


@pytest.mark.parametrize(("line", "spans"), [
    ("He said “yes” and “no”.", ["yes", "no"]),
    ('a straight "opening” and a curly “closing" mark', ["opening", "closing"]),
    ("Russia's ‘backyard,’\" she said", []),  # single marks are no span; a lone closing mark
    ("“unclosed at the end", []),
    ('the "f" mark. the "G" mark.', ["f", "G"]),
    ("“”", [""]),
])
def test_spans_pair_marks_in_order_along_the_line(line: str, spans: list[str]):
    assert _texts(line) == spans


def test_span_offsets_exclude_the_marks():
    [span] = spans_on("a", 7, "Putin hailed the SCO as “one of the key pillars,” and")
    line = "Putin hailed the SCO as “one of the key pillars,” and"
    assert line[span.char_start:span.char_end] == "one of the key pillars,"
    assert line[span.char_start - 1] == "“" and line[span.char_end] == "”"
    assert span.id == "a-L7-q1"


def test_every_span_is_a_quote_or_has_a_reason(db: sqlite3.Connection):
    rows = db.execute("select * from quoted_spans").fetchall()
    assert rows
    for row in rows:
        assert (row["quote_id"] is None) != (row["reason"] is None), row["id"]
        line = db.execute("select text from lines where id = ?", [row["line_id"]]).fetchone()[0]
        assert line[row["char_start"]:row["char_end"]] == row["text"], row["id"]
        assert line[row["char_start"] - 1] in "“\"" and line[row["char_end"]] in "”\"", row["id"]


def test_every_quote_citation_is_an_appearance_in_the_inventory(db: sqlite3.Connection):
    cited = db.execute(
        "select record_id, line_id from citations where record_table = 'quotes'").fetchall()
    spans = {(row[0], row[1]) for row in db.execute(
        "select quote_id, line_id from quoted_spans where quote_id is not null")}
    assert cited and {tuple(row) for row in cited} == spans


def test_the_inventory_holds_every_span_of_every_line(db: sqlite3.Connection):
    expected = sum(len(spans_on(row[0], row[1], row[2]))
                   for row in db.execute("select article_id, line, text from lines"))
    assert db.execute("select count(*) from quoted_spans").fetchone()[0] == expected


def _add_to_article(workspace: Workspace, file: str, old: str, new: str) -> None:
    """Edit a seed copy and re-pin its hash, as a curator adding a new version would."""
    path = workspace.seeds / file
    before = sha256_of(path.read_bytes())
    workspace.edit(f"seeds/{file}", old, new)
    workspace.edit("seeds/articles.yml", before, sha256_of(path.read_bytes()))


def test_a_new_quoted_span_in_a_copy_of_an_article_fails(workspace: Workspace, capsys):
    seed = workspace.seeds / "003_f8d36b30d32ee174.txt"
    line = "Putin also thanked SCO members for their proposals for a peace settlement"
    _add_to_article(workspace, seed.name, line, line.replace("peace settlement",
                                                              "“peace settlement”"))
    assert workspace.build() == 1
    error = capsys.readouterr().err
    number = line_of(seed, "“peace settlement”")
    assert (f"{seed}:{number}: ap-leaders-attend-2024-07-04: quoted span: 'peace settlement' "
            "(characters ") in error
    assert ("(ready to paste: - {article: ap-leaders-attend-2024-07-04, line: "
            f'{number}, text: "peace settlement", reason: …}})') in error
    assert not workspace.output.exists()


BAD_REASONS = {
    "a reason on a span that is a quote": (
        "ap-leaders-meet-2024-07-03", 93, "ambivalent",
        "the span is the quote 'gabuev-ambivalent', which accounts for it: remove this reason"),
    "words not in quotation marks on that line": (
        "ap-leaders-meet-2024-07-03", 93, "toward the war",
        "no span in quotation marks on line 93 of ap-leaders-meet-2024-07-03 is exactly "
        "'toward the war'; the spans there: 'big club of countries'; 'ambivalent'"),
    "a line the article does not have": (
        "ap-leaders-meet-2024-07-03", 300, "x",
        "line 300 does not exist: ap-leaders-meet-2024-07-03 has lines 1 to 102"),
}


@pytest.mark.parametrize(("article", "line", "text", "message"), BAD_REASONS.values(),
                         ids=BAD_REASONS.keys())
def test_a_wrong_reason_is_named_and_nothing_is_written(
    workspace: Workspace, capsys, article: str, line: int, text: str, message: str
):
    reasons = workspace.records / "quoted_spans.yml"

    def breaks() -> str:
        with reasons.open("a", encoding="utf-8") as handle:
            handle.write(f"- article: {article}\n  line: {line}\n  text: \"{text}\"  # added\n"
                         "  reason: a test gives it\n")
        field = "line" if "does not exist" in message else "text"
        marker = "# added" if field == "text" else f"line: {line}"
        return f"{reasons}:{line_of(reasons, marker)}: #"

    assert_refused(workspace, capsys, breaks, message)


MARKS = st.sampled_from(["“", "”", '"', "‘", "’", "a", "b", " ", ","])


@given(st.lists(MARKS, max_size=40).map("".join))
def test_spans_are_ordered_disjoint_and_framed_by_marks(line: str):
    spans = spans_on("a", 1, line)
    previous_end = -1
    for number, span in enumerate(spans, 1):
        assert span.number == number
        assert line[span.char_start - 1] in "“\"" and line[span.char_end] in "”\""
        assert previous_end < span.char_start - 1
        assert line[span.char_start:span.char_end] == span.text
        assert not any(mark in span.text for mark in "”\"")  # a span ends at the first closing
        previous_end = span.char_end
    # Outside the spans, no opening mark is left with a closing mark after it.
    rest = line[previous_end + 1:]
    opening = min((rest.find(mark) for mark in "“\"" if mark in rest), default=-1)
    assert opening == -1 or not any(mark in rest[opening + 1:] for mark in "”\"")
