"""Fuzzing add-article: whatever its options and whatever the file, it exits 0 or 2, never with a
traceback; a refusal leaves every file byte for byte as it was and no temporary file; an
acceptance leaves a registry the build accepts once a person has reviewed the draft.

The suite runs a fixed set of cases (``fuzz_settings``); ``SCO_FUZZ=long`` runs 200 new ones and
prints how many ended in each outcome.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_data import cli
from sco_data.building.load import load_collection
from sco_data.models import ArticleRecord
from sco_data.text_rules import MAX_SEED_BYTES

from .conftest import copy_inputs
from .fuzzing import Outcomes, fuzz_settings, tally

# Characters that broke the curator's tools or mean something to YAML, to the loader or to
# the rules of text_rules.
ODD = ["\x7f", "\ufeff", "\u202e", "\u200b", "\udcff", "\x00", "\n", "\t", "\r", "\u2028",
       "\u00ad", "\x85", "é", "\U0001f600", '"', "'", ": ", "- ", "#", "&a", "*a", "{", "[",
       "\\", "~", "null", "yes", "2024", " "]
WORDS = ["Leaders", "agree", "on", "a", "water", "plan", "Wire", "Example", "Asia", "summit"]
YAML_TYPED = ["2024", "yes", "no", "on", "off", "null", "true", "~", "1e3", "0x1f", "1_000",
              "0777", "2024-07-03", "nan", ".inf"]

texts = st.lists(st.one_of(st.sampled_from(ODD), st.sampled_from(WORDS), st.text(max_size=6)),
                 max_size=8).map("".join)
long_texts = st.sampled_from(["x" * 5_001, "word " * 1_100, "a" * 101])
values = st.one_of(st.none(), texts, st.sampled_from(WORDS), long_texts)
ids = st.one_of(st.none(), st.sampled_from(YAML_TYPED),
                st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True), values)
dates = st.one_of(st.none(), st.sampled_from(
    ["2024", "2024-07", "2024-07-05", "20240703", "2024-02-30", "2024-13", "٢٠٢٤", "0000",
     "2024-7-5", " 2024", "2024-00"]), st.from_regex(r"[0-9-]{0,11}", fullmatch=True), texts)

DATE_LINES = ["July 5, 2024", "5 July 2024", "05.07.2024", "2024-07-05", "Friday", "July 32, 2024",
              "2024-19-39", "July 5"]
FILE_KINDS = ["text", "text", "text", "text", "bytes", "empty", "bom", "latin-1", "controls",
              "folder", "fifo", "missing", "device", "too large", "long line"]


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, bytes]:
    """A kind of file, and for files its bytes: mostly an article's text with odd lines."""
    kind = draw(st.sampled_from(FILE_KINDS))
    if kind == "bytes":
        return kind, draw(st.binary(max_size=300))
    title = draw(st.one_of(texts, st.just("Leaders agree on a water-sharing plan")))
    byline = draw(st.one_of(texts, st.sampled_from(["Test Reporter", "Wire staff"])))
    text = (f"{title}\n\nBy {byline}\n\n{draw(st.sampled_from(DATE_LINES))}\n\nMinisters of five "
            "states agreed on Friday to share the waters of a river under a new plan.\n\n"
            f"Copyright 2024 {draw(st.sampled_from(['Example Wire', 'Steppe Ledger']))}. All "
            "rights reserved.")
    data = text.encode("utf-8", "surrogatepass")
    return kind, {
        "bom": b"\xef\xbb\xbf" + data, "latin-1": data.replace(b"Ministers", b"Minist\xe9rs"),
        "controls": bytes(range(1, 9)) * 50 + data, "empty": b"",
        "long line": b"word " * 10_001 + b"\n" + data,
    }.get(kind, data)


@st.composite
def options(draw: st.DrawFn) -> list[str]:
    """Each option given one time in three, so that some cases pass every check."""
    chosen: list[str] = []
    for option, strategy in (("--id", ids), ("--title", values), ("--label", values),
                             ("--publisher", values), ("--published", dates)):
        value = draw(strategy) if draw(st.integers(0, 2)) == 0 else None
        if value is not None:  # --publisher=-x: a value may start with a dash
            chosen.append(f"{option}={value}")
    return chosen


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_inputs(tmp_path_factory.mktemp("fuzz-curator")).root


outcomes = tally("add-article fuzz")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def place_article(case: Path, kind: str, data: bytes) -> Path:
    path = case / "incoming" / "article.txt"
    path.parent.mkdir()
    if kind == "folder":
        return path.parent
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        return Path("/dev/zero")
    elif kind == "too large":
        path.write_bytes(data)
        with path.open("r+b") as file:
            file.truncate(MAX_SEED_BYTES + 1)
    elif kind != "missing":
        path.write_bytes(data)
    return path


def reviewed(registry: Path) -> None:
    """What a person does once each proposed line is checked: delete the new entry's draft
    marker and its proposal."""
    text = registry.read_text(encoding="utf-8")
    entry = text.rindex("\n- id: ")
    head, tail = text[:entry], text[entry:]
    kept = [line for line in tail.split("\n")
            if line != "  draft: true" and not line.startswith("  proposal: ")]
    registry.write_text(head + "\n".join(kept), encoding="utf-8")


def run(*arguments: str) -> tuple[int, str]:
    errors, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(out):
        code = cli.main(list(arguments))
    return code, errors.getvalue()


@fuzz_settings(short=30, long=200, deadline_s=60)
@given(article=articles(), chosen=options())
def test_add_article_refuses_cleanly_or_writes_what_the_build_accepts(
        pristine: Path, tmp_path_factory: pytest.TempPathFactory, outcomes: Outcomes,
        article: tuple[str, bytes], chosen: list[str]):
    case = tmp_path_factory.mktemp("case")
    seeds = case / "seeds"
    shutil.copytree(pristine / "seeds", seeds)
    where = ["--records", str(pristine / "records"), "--seeds", str(seeds),
             "--registry", str(seeds / "articles.yml"), "--output", str(case / "sco.db")]
    path = place_article(case, *article)
    before = snapshot(seeds)
    code, message = run("add-article", str(path), *chosen, *where)
    assert code in (cli.EXIT_OK, cli.EXIT_USAGE), message
    assert "Traceback" not in message and "internal error" not in message, message
    assert not [entry.name for entry in seeds.iterdir() if entry.name.startswith(".")]
    if code == cli.EXIT_USAGE:
        assert snapshot(seeds) == before, "a refusal writes nothing"
        assert message.startswith("add-article refused, nothing was written: "), message
        assert len(message) < 600, "a value is clipped, never echoed whole"
        reason = message.removeprefix("add-article refused, nothing was written: ")
        outcomes.add(f"refused: {_reason(reason)}")
    else:
        loaded, problems = load_collection(seeds / "articles.yml", ArticleRecord)
        assert [str(problem) for problem in problems if "draft" not in problem.message] == []
        new = loaded[-1].record
        given = [option.removeprefix("--id=") for option in chosen if option.startswith("--id=")]
        if given:
            assert new.id == given[0], "the id reads back as given"
        reviewed(seeds / "articles.yml")
        checked, refusal = run("check", *where)
        assert checked == cli.EXIT_OK, refusal
        outcomes.add("accepted: the build accepts it")
    shutil.rmtree(case)


def _reason(message: str) -> str:
    """The class of a refusal, for the tally: the option it names, else what the file is."""
    for option in ("--id", "--title", "--label", "--publisher", "--published"):
        if message.startswith(option):
            return option
    for words in ("NUL byte", "byte order mark", "is not UTF-8", "control characters",
                  "is empty", "a folder", "a FIFO", "a device", "does not exist", "over the limit",
                  "already", "no date", "no line", "title"):
        if words in message:
            return words
    return message.strip()[:40]
