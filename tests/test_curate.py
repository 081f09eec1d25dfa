"""The curator's path for a new article: add-article, find, a record citing it, build, coverage."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from .conftest import Workspace

NEW_ARTICLE = (
    "Leaders agree on a water-sharing plan for Central Asia\n"
    "\n"
    "By Test Reporter\n"
    "\n"
    "July 5, 2024\n"
    "\n"
    "Ministers of five Central Asian states agreed on Friday to share the waters of the Syr "
    "Darya under a plan drafted after the summit in Astana.\n"
    "\n"
    "The plan sets out seasonal quotas for each country and a joint commission to oversee "
    "them.\n"
    "\n"
    "Copyright 2024 Example Wire. All rights reserved."
)
NEW_ID = "water-2024-07-05"  # the label and the date, never the headline
FACT = """
- id: sco-summit-astana-2024-water-plan
  meeting_id: sco-summit-astana-2024
  aspect: "follow-up"
  value: "share the waters of the Syr Darya under a plan drafted after the summit"
  sources:
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "incoming" / "water.txt"
    path.parent.mkdir()
    path.write_bytes(NEW_ARTICLE.encode("utf-8"))
    return path


def snapshot(workspace: Workspace) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(workspace.seeds.iterdir())}


def test_a_new_article_from_file_to_cited_record(workspace: Workspace, article: Path, capsys):
    # 1. Add the article: the file is copied byte for byte, its entry written with proposals.
    assert workspace.build("add-article", str(article), "--label", "Water") == 0
    out = capsys.readouterr().out
    digest = hashlib.sha256(article.read_bytes()).hexdigest()
    copied = workspace.seeds / f"005_{digest[:16]}.txt"
    assert copied.read_bytes() == article.read_bytes()
    assert f"{digest}  {copied.name}" in (workspace.seeds / "SHA256SUMS").read_text()
    registry = workspace.registry.read_text(encoding="utf-8")
    assert f"- id: {NEW_ID}\n  file: {copied.name}\n  sha256: {digest}\n" in registry
    assert "  # 11 lines." in registry
    assert '    - line: 1\n      evidence: "Leaders agree on a water-sharing plan' in registry
    assert '  byline: "Test Reporter"' in registry and "  published: 2024-07-05" in registry
    assert "  origin:\n    name: \"Example Wire\"\n    line: 11\n" in registry
    assert '  publisher: "Example Wire"' in registry  # from the copyright line
    assert f"python build.py find \"WORDS\" --article {NEW_ID}" in out

    # 2. The proposals are a draft: the build refuses the entry until a person checks each
    # against its line and deletes the marker; then the build takes the new article in.
    capsys.readouterr()
    assert workspace.build() == 1
    assert (f"{NEW_ID}: draft: a draft, not yet reviewed: a record (add-article read the title "
            "(line 1), the byline (line 3), the date (line 5), the origin (line 11) from the "
            "text") in capsys.readouterr().err
    proposal = registry[registry.index("  draft: true\n"):registry.index("  # 11 lines.")]
    workspace.registry.write_text(registry.replace(proposal, ""), encoding="utf-8")
    assert workspace.build() == 0
    capsys.readouterr()

    # 3. Find the words, and paste the entry find prints into a new record.
    words = "share the waters of the Syr Darya under a plan drafted after the summit"
    assert workspace.build("find", words, "--article", NEW_ID) == 0
    found = capsys.readouterr().out
    entry = f'- {{article: {NEW_ID}, line: 7, evidence: "{words}"}}'
    assert f"# {NEW_ID} line 7 (exact; cited by none)\n{entry}" in found
    with (workspace.records / "meeting_facts.yml").open("a", encoding="utf-8") as file:
        file.write(FACT + "    " + entry + "\n")

    # 4. The build asks which line states each value, and names the citation a rule finds
    # them in; the states command writes them as a draft, which a person accepts.
    assert workspace.build() == 1
    refused = capsys.readouterr().err
    assert ("sco-summit-astana-2024-water-plan: meeting_id: no citation states meeting_id "
            f"'sco-summit-astana-2024': source 1 ({NEW_ID} line 7) does by the meeting rule "
            "('summit')") in refused
    assert "sco-summit-astana-2024-water-plan: value: no citation states value" in refused
    assert workspace.build("states", "meeting_facts/sco-summit-astana-2024-water-plan",
                           "--write") == 0
    facts = workspace.records / "meeting_facts.yml"
    written = facts.read_text(encoding="utf-8")
    drafted = (f'{entry[:-1]}, states: [meeting_id, value], draft: true, proposal: "states '
               "meeting_id by the meeting rule ('summit'); value by the text rule ('share the "
               "waters of the Syr Darya under a plan drafted after the summit')\"}")
    assert drafted in written
    assert workspace.build() == 1  # the draft is refused until a person accepts it
    facts.write_text(written.replace(drafted, f"{entry[:-1]}, states: [meeting_id, value]}}"),
                     encoding="utf-8")
    capsys.readouterr()

    # 5. Build: the record cites the new article; find now says so.
    assert workspace.build() == 0
    with sqlite3.connect(workspace.output) as db:
        assert db.execute("select article_id, line from meeting_facts where id = ?",
                          ["sco-summit-astana-2024-water-plan"]).fetchone() == (NEW_ID, 7)
        assert db.execute("select name from source_groups join articles on "
                          "articles.source_group = source_groups.id where articles.id = ?",
                          [NEW_ID]).fetchone() == ("Example Wire",)
        assert db.execute(
            "select summary from corroboration where record_id = ?",
            ["sco-summit-astana-2024-water-plan"]).fetchone() == (
            "Stated in 1 article from 1 independent source (Example Wire: Water)",)
    capsys.readouterr()
    assert workspace.build("find", "Syr Darya") == 0
    assert "cited by meeting_facts/sco-summit-astana-2024-water-plan" in capsys.readouterr().out

    # 6. Coverage of the new article: what is left to cite.
    assert workspace.build("coverage", "--article", NEW_ID) == 0
    report = capsys.readouterr().out
    assert "11 lines, 6 non-empty, 5 cited by a record" in report
    assert "    9  The plan sets out seasonal quotas" in report
    assert "    7  Ministers" not in report


def test_find_matches_another_house_style_and_gives_the_lines_own_words(workspace: Workspace,
                                                                        capsys):
    assert workspace.build("find", "Mr Xi last got together") == 0
    out = capsys.readouterr().out
    assert ('- {article: ap-leaders-meet-2024-07-03, line: 15, evidence: "Xi last got together"}'
            in out)
    assert ('- {article: pa-putin-xi-kazakhstan-2024-07-03, line: 8, evidence: '
            '"Mr Xi last got together"}') in out
    assert "line 15 (after house-style folding; cited by" in out


@pytest.mark.parametrize(("change", "message"), [
    ("the same file again", "is already in the seeds as 'example-wire-2024-07-05'"),
    ("an id already taken", "the registry already has an article 'ap-leaders-meet-2024-07-03'"),
    ("bytes that are not UTF-8", "water.txt:3: byte 0xe9 is not UTF-8"),
    ("no date anywhere", "no date found in the text"),
    ("a published date that is not one", "--published '2024-02-30' is not a date"),
    ("a byte order mark", "water.txt:1: the file starts with a byte order mark (U+FEFF)"),
    ("a binary file", "water.txt:1: byte 0x89 is not UTF-8"),
    ("a label with a lone surrogate", "--label holds '\\udcff', which is not text"),
])
def test_add_article_refusals_write_nothing(workspace: Workspace, article: Path, capsys,
                                            change: str, message: str):
    arguments = ["add-article", str(article)]
    if change == "the same file again":
        assert workspace.build(*arguments) == 0
    elif change == "an id already taken":
        arguments += ["--id", "ap-leaders-meet-2024-07-03"]
    elif change == "bytes that are not UTF-8":
        article.write_bytes(NEW_ARTICLE.encode("utf-8").replace(b"By Test", b"By T\xe9st"))
    elif change == "no date anywhere":
        article.write_text(NEW_ARTICLE.replace("July 5, 2024", "Friday"), encoding="utf-8")
    elif change == "a byte order mark":
        article.write_bytes(b"\xef\xbb\xbf" + NEW_ARTICLE.encode("utf-8"))
    elif change == "a binary file":
        article.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    elif change == "a label with a lone surrogate":
        arguments += ["--label", "Water\udcff"]  # bytes not UTF-8, as argv decodes them
    else:
        arguments += ["--published", "2024-02-30"]
    before = snapshot(workspace)
    capsys.readouterr()
    assert workspace.build(*arguments) == 2
    error = capsys.readouterr().err
    assert error.startswith("add-article refused, nothing was written: ") and message in error
    assert snapshot(workspace) == before


def test_find_names_an_unknown_article(workspace: Workspace, capsys):
    assert workspace.build("find", "Putin", "--article", "no-such-article") == 2
    assert "--article 'no-such-article' is no article" in capsys.readouterr().err


@pytest.mark.parametrize(("date_line", "published"), [
    ("ASTANA, July 4, 2024 — Leaders met on Thursday.", "2024-07-04"),
    ("Published 03.07.2024 at 10:15", "2024-07-03"),
    ("Updated 3 July 2024", "2024-07-03"),
    ("Astana, July 3 — Leaders met on Wednesday.", "2024-07-03"),  # the year: line 11's
])
def test_add_article_reads_the_dates_outlets_write(workspace: Workspace, article: Path,
                                                   date_line: str, published: str):
    article.write_text(NEW_ARTICLE.replace("July 5, 2024", date_line), encoding="utf-8")
    assert workspace.build("add-article", str(article), "--label", "Water") == 0
    registry = workspace.registry.read_text(encoding="utf-8")
    assert f"  published: {published}\n" in registry
    assert f"- id: water-{published}\n" in registry


def test_add_article_reads_a_publisher_and_keeps_staff_out_of_an_origin(
        workspace: Workspace, article: Path):
    text = (NEW_ARTICLE.replace("By Test Reporter", "By Steppe Ledger staff")
            .replace("Copyright 2024 Example Wire. All rights reserved.", "Read more"))
    article.write_text(text, encoding="utf-8")
    assert workspace.build("add-article", str(article)) == 0
    registry = workspace.registry.read_text(encoding="utf-8")
    assert '  origin:\n    name: "Steppe Ledger"\n    line: 3\n' in registry
    article.write_text(NEW_ARTICLE.replace("Copyright 2024 Example Wire", "© 2024 The Steppe "
                                           "Ledger").replace("July 5", "July 6"), encoding="utf-8")
    assert workspace.build("add-article", str(article)) == 0
    registry = workspace.registry.read_text(encoding="utf-8")
    assert '  publisher: "The Steppe Ledger"' in registry
    assert "- id: the-steppe-ledger-2024-07-06\n" in registry
