"""The curator's path for a new article: add-article, find, a record citing it, build, coverage."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from sco_data.building.load import load_collection
from sco_data.building.yaml_lines import load_yaml
from sco_data.curate import _check_date, _scalar
from sco_data.dates import date_span
from sco_data.errors import CurationRefused
from sco_data.models import ArticleRecord, IsoDate
from sco_data.text_rules import MAX_SEED_BYTES

from .conftest import Workspace, make_unreadable

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
    ("a binary file", "water.txt:3: holds a NUL byte: a binary file, not an article's text"),
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


# --------------------------------------------------------------------------- refused inputs
# What an outside fuzzer found add-article would write and the build then refuse: each is now
# refused before anything is written, with the option or the file named and the fix.


def refused(workspace: Workspace, capsys, *arguments: str) -> str:
    """Run a curator command that must be refused: exit 2, every input file byte for byte as
    it was, and no temporary file left; the message it printed."""
    before = snapshot(workspace)
    records = {path.name: path.read_bytes() for path in workspace.records.iterdir()}
    capsys.readouterr()
    assert workspace.build(*arguments) == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error and "internal error" not in error, error
    assert snapshot(workspace) == before
    assert {path.name: path.read_bytes() for path in workspace.records.iterdir()} == records
    return error


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--title", "Water\x7f plan", "--title 'Water\\x7f plan' holds the hidden or control "
     "character U+007F at position 5: remove it"),
    ("--title", "\ufeffWater plan", "--title '\\ufeffWater plan' holds the hidden or control "
     "character U+FEFF ZERO WIDTH NO-BREAK SPACE at position 0: remove it"),
    ("--label", "Water\u202e", "--label 'Water\\u202e' holds the hidden or control character "
     "U+202E RIGHT-TO-LEFT OVERRIDE at position 5"),
    ("--publisher", "Example\u200bWire", "--publisher 'Example\\u200bWire' holds the hidden or "
     "control character U+200B ZERO WIDTH SPACE at position 7"),
    ("--publisher", "Example\udcffWire", "--publisher holds '\\udcff', which is not text (a "
     "byte that is not UTF-8): give it as UTF-8"),
    ("--label", "", "--label '' is empty: give the words, or leave the field out"),
    ("--label", "x" * 5001, "--label 'xxxxx"),
    ("--published", "20240703", "--published '20240703' is not a date in a form the build "
     "reads: write YYYY, YYYY-MM or YYYY-MM-DD (2024-07-03)"),
    ("--published", "2024-13", "--published '2024-13' is not a date: no such day or month"),
    ("--published", "٢٠٢٤", "is not a date in a form the build reads"),  # other digits
    ("--id", "Water_2024", "--id 'Water_2024' is not a slug: lower-case letters, digits and "
     "single hyphens"),
    ("--id", "~", "--id '~' is not a slug"),
    ("--id", "1_000", "--id '1_000' is not a slug"),
    ("--id", "a" * 101, "is 101 characters long, over the limit of 100: shorten it"),
])
def test_add_article_refuses_an_option_the_registry_could_not_hold(
        workspace: Workspace, article: Path, capsys, option: str, value: str, message: str):
    error = refused(workspace, capsys, "add-article", str(article), option, value)
    assert error.startswith("add-article refused, nothing was written: ")
    assert message in error
    assert len(error) < 400  # a long value is clipped, never echoed whole


@pytest.mark.parametrize(("kind", "message"), [
    ("missing", "missing.txt does not exist: give the path of the article's text file"),
    ("folder", "incoming is a folder: give the article's text file"),
    ("fifo", "fifo.txt is a FIFO, not a regular file: save the article as a file first"),
    ("device", "/dev/zero is a device, not a regular file"),
    ("empty", "water.txt is empty: give a file holding the article's text"),
    ("blank", "water.txt is empty"),
    ("too large", "water.txt is 4,194,305 bytes, over the limit of 4,194,304 for an article"),
    ("controls", "control characters: a binary file, not an article's text"),
    ("a line too long", "water.txt:1: the line is 50,001 characters long, over the limit of "
     "50,000"),
    ("no title", "no line of four words or more to propose as a title: give --title"),
])
def test_add_article_refuses_a_file_that_is_no_article(workspace: Workspace, article: Path,
                                                       capsys, kind: str, message: str):
    path = article
    if kind == "missing":
        path = article.with_name("missing.txt")
    elif kind == "folder":
        path = article.parent
    elif kind == "fifo":
        path = article.with_name("fifo.txt")
        os.mkfifo(path)  # read, it would block for ever: the command must not open it
    elif kind == "device":
        path = Path("/dev/zero")  # read, it would never end
    elif kind == "empty":
        article.write_bytes(b"")
    elif kind == "blank":
        article.write_bytes(b" \n\n\t")
    elif kind == "too large":
        with article.open("r+b") as file:
            file.truncate(MAX_SEED_BYTES + 1)
    elif kind == "controls":
        article.write_bytes(bytes(range(1, 32)) * 40 + NEW_ARTICLE.encode("utf-8"))
    elif kind == "a line too long":
        article.write_text("word " * 10_000 + "x\n" + NEW_ARTICLE, encoding="utf-8")
    else:
        article.write_text("July 5, 2024\nWater", encoding="utf-8")
    error = refused(workspace, capsys, "add-article", str(path))
    assert error.startswith("add-article refused, nothing was written: ") and message in error


def test_add_article_refuses_a_file_it_may_not_read(workspace: Workspace, article: Path,
                                                    capsys):
    make_unreadable(article)
    error = refused(workspace, capsys, "add-article", str(article))
    assert "water.txt cannot be read (Permission denied): check its permissions" in error


# Ids YAML would read as another type unquoted: a number, a boolean, nothing, a date.
YAML_TYPED_IDS = ["2024", "yes", "no", "on", "off", "null", "true", "false", "1e3", "0x1f",
                  "0777", "0b101", "2024-07-03", "y", "n", "nan", "inf"]


@pytest.mark.parametrize("article_id", YAML_TYPED_IDS)
def test_an_id_yaml_would_read_as_another_type_is_written_quoted(
        workspace: Workspace, article: Path, article_id: str):
    assert workspace.build("add-article", str(article), "--id", article_id) == 0
    loaded, problems = load_collection(workspace.registry, ArticleRecord)
    assert [entry.record.id for entry in loaded][-1] == article_id
    assert [problem for problem in problems if "draft" not in problem.message] == []
    assert f"- id: {_scalar(article_id)}\n" in workspace.registry.read_text(encoding="utf-8")


@given(article_id=st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}", fullmatch=True))
@settings(max_examples=300, deadline=None)
def test_every_slug_reads_back_as_the_text_given(article_id: str):
    # The project's own loader (dates stay text) and PyYAML's (they do not) both read it back.
    text = f"- id: {_scalar(article_id)}\n"
    assert yaml.safe_load(text) == [{"id": article_id}]
    assert project_load(text) == [{"id": article_id}]


def project_load(text: str) -> object:
    """``text`` as the registry's loader reads it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "articles.yml"
        path.write_text(text, encoding="utf-8")
        return load_yaml(path).data


@given(published=st.one_of(
    st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True),
    st.text(alphabet="0123456789-/. T:", max_size=12), st.text(max_size=12)))
@settings(max_examples=300, deadline=None)
def test_published_is_taken_exactly_when_the_build_reads_it(published: str):
    try:
        _check_date(published)
    except CurationRefused as error:
        assert str(error).startswith(f"--published {published!r} is not a date")
        assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(error)
        # The registry's loader refuses it too, or takes a month or day 00 that the build's
        # dates (date_span) then refuse.
        with pytest.raises((ValidationError, ValueError)):
            _PublishedOnly(published=published)
            date_span(published)
    else:
        assert _PublishedOnly(published=published).published == published


class _PublishedOnly(BaseModel):
    published: IsoDate  # the registry loader's rule for an article's date


def test_hidden_characters_of_the_headline_are_dropped_and_said(workspace: Workspace,
                                                                article: Path, capsys):
    # A headline copied from a web page: a zero-width space and a right-to-left override.
    article.write_text(NEW_ARTICLE.replace("water-sharing plan", "water\u200b-sharing\u202e "
                                           "plan"), encoding="utf-8")
    assert workspace.build("add-article", str(article), "--label", "Water") == 0
    registry = workspace.registry.read_text(encoding="utf-8")
    assert '  title: "Leaders agree on a water-sharing plan for Central Asia"' in registry
    assert ("it dropped the hidden character(s) U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT "
            "OVERRIDE from the title (line 1)") in registry
    # The evidence stands on the line as it is: the longest run between the hidden characters.
    assert '      evidence: "plan for Central Asia"' not in registry
    assert '      evidence: "Leaders agree on a water"' in registry
    proposal = registry[registry.index("  draft: true\n"):registry.index("  # 11 lines.")]
    workspace.registry.write_text(registry.replace(proposal, ""), encoding="utf-8")
    capsys.readouterr()
    assert workspace.build() == 0, capsys.readouterr().err


def test_a_title_given_is_cited_where_it_stands(workspace: Workspace, article: Path):
    assert workspace.build("add-article", str(article), "--title", "Water plan",
                           "--label", "Water") == 0
    registry = workspace.registry.read_text(encoding="utf-8")
    assert '  title: "Water plan"' in registry
    assert "the title (line" not in registry  # no line gives it: not cited
    assert "the date (line 5)" in registry


def test_leftovers_of_a_killed_add_article_are_removed_by_the_next(
        workspace: Workspace, article: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = [workspace.seeds / f".005_0123456789abcdef.txt.{dead}.tmp",
            workspace.seeds / f".articles.yml.{dead}.tmp",
            workspace.seeds / f".SHA256SUMS.{dead}.tmp"]
    running = workspace.seeds / f".006_0123456789abcdef.txt.{os.getpid()}.tmp"  # still at work
    for path in [*left, running]:
        path.write_text("half written", encoding="utf-8")
    assert workspace.build("add-article", str(article), "--label", "Water") == 0
    assert [path for path in left if path.exists()] == []
    assert running.exists()
    assert not [path for path in workspace.seeds.iterdir() if path.name.startswith(".")
                and path != running]


@pytest.mark.parametrize(("arguments", "message"), [
    (["find", "Putin\udcff"], "find refused, nothing was written: WORDS holds '\\udcff', "
     "which is not text"),
    (["find", "x" * 5001], "WORDS is 5,001 characters long, over the limit of 5,000"),
    (["find", "Putin", "--article", "ap\u200b"], "--article 'ap\\u200b' holds the hidden or "
     "control character U+200B ZERO WIDTH SPACE"),
    (["propose", "ap\x00"], "propose refused, nothing was written: article 'ap\\x00' holds"),
    (["cite-copies", "a" * 101], "cite-copies refused, nothing was written: article 'aaaa"),
    (["states", "quotes/x\u202e"], "states refused, nothing was written: target "),
    (["propose", "ap\udcff", "--write"], "article holds '\\udcff', which is not text"),
])
def test_every_curator_command_checks_its_arguments_first(workspace: Workspace, capsys,
                                                           arguments: list[str], message: str):
    error = refused(workspace, capsys, *arguments)
    assert message in error
