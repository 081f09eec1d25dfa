"""Fuzzing the build: whatever the bytes of the records, the registry or a seed, whatever a value
holds and whatever kind of file stands where an input should, the build exits 0, 1 or 2, never
with a traceback or a hang; a failed build leaves the previous database as it was; a value that
breaks a rule is refused by name, never built; and what the build accepts, the release accepts.

The suite runs a fixed set of cases (about two minutes); ``make fuzz`` runs about 1,600 new
ones (1,200 byte mutations, 300 broken values, each of seven kinds of file in place of each of
the 13 inputs) and prints how each case ended.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_data import cli
from sco_data.paths import RECORDS_DIR
from sco_data.publish.release import read_tables
from sco_data.text_rules import MAX_ID_CHARS, MAX_RECORDS_BYTES, MAX_TEXT_CHARS

from .conftest import BUILT_FOLDER, copy_inputs
from .fuzzing import fuzz_settings, tally

HANG_S = 60
"""A build of the five articles takes about a second: one still running after this hangs."""

# Inputs a fuzzer may touch: every record file, the registry, and one seed.
TARGETS = [f"records/{path.name}" for path in sorted(RECORDS_DIR.glob("*.yml"))] + [
    "seeds/articles.yml", "seeds/004_03271e99830618a1.txt"]

# Pieces that mean something to YAML, to the models or to the checks.
TOKENS = [
    b"&a ", b"*a", b"[", b"]", b"{", b"}", b": ", b"- ", b"? ", b"|", b">", b"'", b'"', b"\n",
    b"  ", b"\t", b"#", b"!!binary ", b"!!python/object:os.system ", b"<<: *a", b"\x00",
    b"\xff", b"\xe9", b"\xef\xbb\xbf", b'"\\ud800"', b'"\\u202e"', b"\xe2\x80\x8b", b"id: ",
    b"sources: []", b"line: 0", b"line: 99999", b"article: nope", b"person_id: nope",
    b"evidence: ", b"null", b"~", b"2024-02-30", b"-1", b"1e999", b"true", b"[a, b, b]",
    b"not_cited: [{article: nope, line: 1, reason: x}]",
]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, list[tuple[str, float, float, bytes]]]:
    target = draw(st.sampled_from(TARGETS))
    steps = draw(st.lists(st.tuples(
        st.sampled_from(["insert", "delete", "replace", "duplicate", "truncate"]),
        st.floats(0, 1), st.floats(0, 0.05),
        st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8)),
    ), min_size=1, max_size=3))
    return target, steps


def mutate(data: bytes, steps: list[tuple[str, float, float, bytes]]) -> bytes:
    for kind, where, share, payload in steps:
        at = int(where * len(data))
        span = max(1, int(share * len(data)))
        if kind == "insert":
            data = data[:at] + payload + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + span:]
        elif kind == "replace":
            data = data[:at] + payload + data[at + len(payload):]
        elif kind == "duplicate":
            data = data[:at] + data[at:at + span] + data[at:]
        else:
            data = data[:at]
    return data


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_inputs(tmp_path_factory.mktemp("fuzz")).root
    assert cli.main(_arguments(root, root / "sco.db")) == 0
    return root


def _arguments(inputs: Path, output: Path) -> list[str]:
    return ["--records", str(inputs / "records"), "--seeds", str(inputs / "seeds"),
            "--registry", str(inputs / "seeds" / "articles.yml"), "--output", str(output)]


@contextlib.contextmanager
def _case(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    case = tmp_path_factory.mktemp("case")
    shutil.copytree(pristine / "records", case / "records")
    shutil.copytree(pristine / "seeds", case / "seeds")
    shutil.copyfile(pristine / "sco.db", case / "sco.db")
    yield case
    shutil.rmtree(case)


class Hang(Exception):
    """The build ran past HANG_S."""


def _raise_hang(signum: int, frame: object) -> None:
    raise Hang(f"the build ran for more than {HANG_S} s")


def _build(case: Path) -> tuple[int, str]:
    """Build the case in this process; its exit code and what it printed to stderr. A build
    that runs past HANG_S (blocked on a FIFO, reading without end) fails the test."""
    output = case / "sco.db"
    before = output.read_bytes()
    errors, out = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _raise_hang)
    signal.alarm(HANG_S)
    try:
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(out):
            code = cli.main(_arguments(case, output))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    message = errors.getvalue()
    assert code in (0, 1, 2), message
    assert "Traceback" not in message and "internal error" not in message, message
    if code != 0:
        assert output.read_bytes() == before
        assert message.strip(), "a refusal says why"
    else:
        read_tables(output)  # what the build accepts, the release accepts (ReleaseRefused if not)
    # A refused build writes no note of its inputs; one that builds (or finds nothing changed)
    # does.
    expected = BUILT_FOLDER if code == 0 else [name for name in BUILT_FOLDER
                                              if name != ".sco.db.inputs"]
    assert sorted(p.name for p in case.iterdir()) == expected
    return code, message


OUTCOME = {0: "built", 1: "refused by name", 2: "usage error"}


byte_outcomes = tally("byte mutations of the inputs")


@fuzz_settings(short=120, long=1200)
@given(mutation=mutations())
def test_any_bytes_give_a_clean_exit(pristine: Path, tmp_path_factory, byte_outcomes, mutation):
    target, steps = mutation
    with _case(pristine, tmp_path_factory) as case:
        path = case / target
        path.write_bytes(mutate(path.read_bytes(), steps))
        code, _ = _build(case)
    byte_outcomes.add(OUTCOME[code])


# --------------------------------------------------------------------------- broken values

# Lines of a records file that set one field to a value on the same line.
_FIELD_LINE = re.compile(r"^(?P<indent>\s*(?:- )?)(?P<key>[a-z_]+): (?P<value>\S.*)$", re.MULTILINE)
_TEXT_FIELDS = ("title", "note", "name", "place", "description", "reason", "role", "aspect")
_ID_FIELDS = ("id",)
_DATE_FIELDS = ("start_date", "end_date", "joined")
HIDDEN = "\x00\x07\x1b\x7f\x85\u00ad\u061c\u180e\u200b\u200e\u202e\u2060\u2066\u2800\u3164" \
    "\ufe0f\ufeff\ue000\U000e0041\u2028\u2029\U000f0000"
ARABIC_INDIC_DIGITS = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"


@st.composite
def broken_values(draw: st.DrawFn) -> tuple[str, tuple[str, ...], str, str]:
    """A field kind, how to break one value of that kind, and a label for the tally. Every
    break makes a value no rule allows: the build must refuse it by name."""
    kind = draw(st.sampled_from(["text", "id", "date", "any"]))
    if kind == "text":
        hidden = draw(st.sampled_from(HIDDEN))
        how = draw(st.sampled_from([
            ("insert", hidden), ("empty", ""), ("blank", " " * draw(st.integers(1, 3))),
            ("long", "x" * (MAX_TEXT_CHARS + 1 + draw(st.integers(0, 100_000)))),
        ]))
        return "text", _TEXT_FIELDS, how[0], how[1]
    if kind == "id":
        how = draw(st.sampled_from([
            ("around", draw(st.sampled_from(["\n", " ", "\t", "\u00a0", "\u200b"]))),
            ("long", "a" * (MAX_ID_CHARS + 1)), ("empty", ""),
        ]))
        return "id", _ID_FIELDS, how[0], how[1]
    if kind == "date":
        how = draw(st.sampled_from([
            ("around", draw(st.sampled_from(["\n", " ", "\t"]))),
            ("zero", draw(st.sampled_from(["-00", "-00-01", "-01-00"]))),
            ("digits", draw(st.sampled_from([ARABIC_INDIC_DIGITS, "\uff10\uff11\uff12\uff13"
                                             "\uff14\uff15\uff16\uff17\uff18\uff19"]))),
        ]))
        return "date", _DATE_FIELDS, how[0], how[1]
    if draw(st.booleans()):
        # A number's tag on words: they cannot be read as one. (On a year, "!!int 2001" is
        # the year, as plain 2001 is: no break.)
        return "text", _TEXT_FIELDS, "tag", draw(st.sampled_from(["!!int", "!!float"]))
    how = draw(st.sampled_from([
        ("number", draw(st.sampled_from(["9", "f"])) * draw(st.integers(19, 6000))),
        ("tag", draw(st.sampled_from(["!!timestamp", "!!binary", "!!set", "!!omap", "!!pairs",
                                      "!!python/object:os.system", "!!seq", "!!map"]))),
    ]))
    return "any", (*_TEXT_FIELDS, *_ID_FIELDS, *_DATE_FIELDS), how[0], how[1]


def _break(text: str, fields: tuple[str, ...], how: str, payload: str, pick: int) -> str | None:
    """``text`` with the value of one line of ``fields`` broken; None when no line fits."""
    lines = [m for m in _FIELD_LINE.finditer(text) if m["key"] in fields
             and not m["value"].startswith(("[", "{", "|", ">"))]
    if not lines:
        return None
    line = lines[pick % len(lines)]
    value = line["value"]
    old = json.loads(value) if value.startswith('"') else value
    if how == "insert":
        new = json.dumps(old[: len(old) // 2] + payload + old[len(old) // 2:])
    elif how in ("empty", "blank", "long"):
        new = json.dumps(payload)
    elif how == "around":
        new = json.dumps(payload + str(old) if pick % 2 else str(old) + payload)
    elif how == "zero":
        new = json.dumps(str(old)[:4] + payload)
    elif how == "digits":
        new = json.dumps("".join(payload[int(c)] if c.isdigit() else c for c in str(old)))
    elif how == "number":
        new = ("0x" + payload) if payload[0] == "f" else payload
    else:  # a tag before the value as it was written
        new = f"{payload} {value}"
    return text[:line.start("value")] + new + text[line.end("value"):]


value_outcomes = tally("broken values")


RECORD_FILES = [f"records/{path.name}" for path in sorted(RECORDS_DIR.glob("*.yml"))] + [
    "seeds/articles.yml"]


@fuzz_settings(short=40, long=300)
@given(broken=broken_values(), choice=st.data(), pick=st.integers(0, 10_000))
def test_a_broken_value_is_refused_by_name(pristine: Path, tmp_path_factory, value_outcomes,
                                           broken, choice, pick: int):
    kind, fields, how, payload = broken
    # An input with a line setting one of the fields (no date in countries.yml).
    target = choice.draw(st.sampled_from([
        target for target in RECORD_FILES if _break(
            (pristine / target).read_text(encoding="utf-8"), fields, how, payload, 0)]),
        label="target")
    with _case(pristine, tmp_path_factory) as case:
        path = case / target
        changed = _break(path.read_text(encoding="utf-8"), fields, how, payload, pick)
        assert changed is not None
        path.write_text(changed, encoding="utf-8")
        code, message = _build(case)
    assert code == 1, f"a {kind} value broken by {how} ({payload[:40]!r}) was not refused"
    assert f"{path}:" in message
    value_outcomes.add(f"{kind} {how}: refused by name")


# --------------------------------------------------------------------------- kinds of file


def _make(path: Path, kind: str) -> None:
    if kind == "sparse":  # over the size limit, without using the disk
        with path.open("r+b") as file:
            file.truncate(MAX_RECORDS_BYTES + 1)
        return
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link to nothing":
        path.symlink_to(path.with_name("nothing"))
    elif kind == "link loop":
        path.symlink_to(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    # "missing": unlinked, nothing in its place


FILE_KINDS = ["sparse", "missing", "folder", "fifo", "link to nothing", "link loop", "device"]


file_outcomes = tally("inputs of other kinds")


@fuzz_settings(short=14, long=200)
@given(target=st.sampled_from(RECORD_FILES), kind=st.sampled_from(FILE_KINDS))
def test_an_input_of_any_kind_is_named(pristine: Path, tmp_path_factory, file_outcomes,
                                       target: str, kind: str):
    with _case(pristine, tmp_path_factory) as case:
        path = case / target
        _make(path, kind)
        code, message = _build(case)
    # The lexicon alone may be left out: then the statements it verified are what is refused.
    optional = target == "records/lexicon.yml" and kind == "missing"
    assert code == 1, message
    if not optional:
        assert f"{path}:1:" in message
    file_outcomes.add(f"{kind}: {OUTCOME[code]}")
