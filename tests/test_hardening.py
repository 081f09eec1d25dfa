"""No traceback, no hang, no leftover: each crash once found is a named error now, with the exit
code that says what kind of failure it is."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from sco_data import cli
from sco_data.building.leftovers import recover_release, remove_build_leftovers
from sco_data.building.yaml_lines import YamlSyntaxError
from sco_data.paths import ROOT

from .conftest import BUILT_FOLDER, Workspace, make_unreadable

OBSERVERS = "records/observers.yml"


def _append(workspace: Workspace, relative: str, data: bytes) -> Path:
    path = workspace.root / relative
    path.write_bytes(path.read_bytes() + data)
    return path


def _refused(workspace: Workspace, capsys, expected: str, code: int = 1) -> str:
    """Build once, then again after the caller broke the input: exit ``code``, ``expected``
    in the message, no traceback, the first database unchanged."""
    before = workspace.output.read_bytes()
    capsys.readouterr()
    assert workspace.build() == code
    error = capsys.readouterr().err
    assert expected in error, error
    assert "Traceback" not in error
    assert workspace.output.read_bytes() == before
    return error


@pytest.fixture
def built(workspace: Workspace) -> Workspace:
    assert workspace.build() == 0
    return workspace


# Each reproducer is appended to a copy of one record file, as the fuzzing that found it did.
REPRODUCERS = {
    "a stray non-UTF-8 byte": (
        b"# caf\xe9\n", "not UTF-8: byte 0xe9 at byte offset"),
    "a NUL in a comment": (
        b"# \x00\n", "holds the control character U+0000, which YAML does not allow"),
    "deep nesting": (
        b"- " + b"[" * 1000 + b"]" * 1000 + b"\n", "values nest deeper than 12 levels"),
    "a self-referencing alias": (
        b"- &a [*a]\n", "anchors and aliases (&name, *name) are not allowed"),
    "a lone surrogate": (
        b'- {id: x, note: "\\ud800"}\n', "not valid YAML"),
    "a right-to-left override": (
        b'- {id: sco-x, organization_id: sco, country_id: egypt, status: observer, note: '
        b'"\\u202e", sources: []}\n', "holds the hidden or control character U+202E"),
    "an integer of 5,000 digits": (
        b"- {id: sco-x, line: " + b"9" * 5000 + b"}\n", "a number of 5,000 characters"),
    "0x and 5,000 fs": (
        b"- {id: sco-x, line: 0x" + b"f" * 5000 + b"}\n", "a number of 5,002 characters"),
    "a tag that cannot read its value": (
        b"- {id: !!int China}\n", "'China' cannot be read as int"),
    "a timestamp tag": (
        b"- {id: !!timestamp 2024-01-01}\n", "the tag !!timestamp is not allowed"),
    "a binary tag": (
        b"- {id: !!binary aGk=}\n", "the tag !!binary is not allowed"),
    "a set tag": (
        b"- !!set {a, b}\n", "the tag !!set is not allowed"),
    "an alias bomb": (
        b"".join(f"- &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n".encode() if n else b"- &a0 x\n"
                 for n in range(10)),
        "anchors and aliases (&name, *name) are not allowed"),
}


@pytest.mark.parametrize(("data", "expected"), REPRODUCERS.values(), ids=REPRODUCERS.keys())
def test_a_reproducer_is_a_named_error(built: Workspace, capsys, data: bytes, expected: str):
    path = _append(built, OBSERVERS, data)
    started = time.monotonic()
    error = _refused(built, capsys, expected)
    assert time.monotonic() - started < 10
    assert error.startswith(f"{path}:")


# Each replaces words of one copied record file; the message names the record and the field.
VALUE_REPRODUCERS = {
    "a date with a trailing newline": (
        "records/members.yml", 'joined: "2001"', 'joined: "2001\\n"',
        "sco-china: joined: '2001\\n' is not an ISO 8601 date"),
    "Arabic-Indic digits in a year": (
        "records/members.yml", 'joined: "2001"', 'joined: "\u0662\u0660\u0660\u0661"',
        "sco-china: joined: '\u0662\u0660\u0660\u0661' is not an ISO 8601 date"),
    "a month written 00": (
        "records/members.yml", 'joined: "2001"', 'joined: "2001-00"',
        "sco-china: joined: '2001-00' is not a real date: month must be in 1..12"),
    "a value of spaces": (
        "records/meetings.yml", 'place: "Astana, Kazakhstan"', 'place: "  "',
        "sco-summit-astana-2024: place: holds only spaces: give the words"),
    "an id with a trailing newline": (
        "records/countries.yml", "- id: china", '- id: "china\\n"',
        "id: 'china\\n' is not a slug"),
    "an id of 101 characters": (
        "records/countries.yml", "- id: china", "- id: " + "c" * 101,
        "id: an id of 101 characters is over the limit of 100"),
    "evidence of one space": (
        "records/members.yml",
        'evidence: "The Shanghai Cooperation Organization was established in 2001 by China and '
        'Russia"', 'evidence: " "',
        "sources[0].evidence: ' ' quotes no word"),
    "an empty place": (
        "records/meetings.yml", 'place: "Astana, Kazakhstan"', 'place: ""',
        "sco-summit-astana-2024: place: is empty: give the words, or leave the field out"),
    "a title of 2 MB": (
        "records/meetings.yml", 'title: "SCO summit in Astana"', "title: " + "a" * 2_000_000,
        "sco-summit-astana-2024: title: is 2,000,000 characters long, over the limit of 5,000"),
    "a summit whose parent is one of its sideline meetings": (
        "records/meetings.yml", 'title: "SCO summit in Astana"',
        'title: "SCO summit in Astana"\n  parent_id: putin-xi-astana-2024-07-03',
        "putin-xi-astana-2024-07-03: parent_id: goes round in a cycle: "
        "meetings/putin-xi-astana-2024-07-03 → meetings/sco-summit-astana-2024 → "
        "meetings/putin-xi-astana-2024-07-03"),
    "an absent attendee represented by himself": (
        "records/attendees.yml", "represented_by: subrahmanyam-jaishankar-astana-2024",
        "represented_by: narendra-modi-astana-2024",
        "narendra-modi-astana-2024: represented_by: goes round in a cycle: "
        "attendees/narendra-modi-astana-2024 → attendees/narendra-modi-astana-2024"),
} | {
    f"U+{ord(hidden):04X} in a title": (
        "records/meetings.yml", 'title: "SCO summit in Astana"',
        f'title: "SCO summit in Astana{hidden}"',
        f"title: holds the hidden or control character U+{ord(hidden):04X}")
    # Format, blank-drawn and variation characters the first round let through.
    for hidden in "\u061c\u00ad\u180e\u2800\u3164\ufe0f\U000e0041\u2028\ue000"
}


@pytest.mark.parametrize(("relative", "old", "new", "expected"), VALUE_REPRODUCERS.values(),
                         ids=VALUE_REPRODUCERS.keys())
def test_a_value_reproducer_is_a_named_error(built: Workspace, capsys, relative: str, old: str,
                                             new: str, expected: str):
    path = built.edit(relative, old, new)
    error = _refused(built, capsys, expected)
    assert f"{path}:" in error
    assert len(error) < 100_000, "a huge value is never echoed whole"


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _link_to_nothing(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.with_name("nothing-here.yml"))


def _link_to_itself(path: Path) -> None:
    path.unlink()
    path.symlink_to(path)


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _endless(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


def _too_large(path: Path) -> None:
    from sco_data.text_rules import MAX_RECORDS_BYTES

    with path.open("r+b") as file:  # sparse: no disk is used
        file.truncate(MAX_RECORDS_BYTES + 1)


FILE_KINDS = {
    "a folder": (_folder, "is a folder, not a file"),
    "missing": (Path.unlink, "file is missing: create it"),
    "a link to nothing": (_link_to_nothing, "which does not exist: point it at the file"),
    "a link to itself": (_link_to_itself, "is a symbolic link that leads back to itself"),
    "a FIFO": (_fifo, "is a FIFO (named pipe), not a regular file: the build does not open it"),
    "/dev/zero": (_endless, "is a character device, not a regular file"),
    "over the size limit": (_too_large, "bytes, over the limit of 268,435,456"),
}


@pytest.mark.parametrize("target", ["records/quotes.yml", "seeds/articles.yml"])
@pytest.mark.parametrize(("make", "expected"), FILE_KINDS.values(), ids=FILE_KINDS.keys())
def test_an_input_that_is_no_file_is_named_without_being_opened(built: Workspace, capsys,
                                                                 target: str, make, expected):
    """A FIFO would block a read for ever and /dev/zero never ends: both are refused from their
    stat, so the build answers at once, for a records file and for the registry alike."""
    path = built.root / target
    make(path)
    if "missing" in expected and target == "seeds/articles.yml":
        expected = "is missing: create it"
    started = time.monotonic()
    error = _refused(built, capsys, expected)
    assert time.monotonic() - started < 10
    assert f"{path}:1:" in error


def test_an_unreadable_input_is_named(built: Workspace, capsys):
    make_unreadable(built.records / "quotes.yml")
    _refused(built, capsys, "cannot be read (permission denied): give the user running the "
                            "build read access")


def test_a_seed_that_is_a_fifo_is_named(built: Workspace, capsys):
    seed = next(built.seeds.glob("001_*.txt"))
    _fifo(seed)
    _refused(built, capsys, f"seed file {seed} is a FIFO (named pipe)")


def test_a_name_too_long_is_named(built: Workspace, capsys):
    registry = built.seeds / ("r" * 300 + ".yml")
    capsys.readouterr()
    code = cli.main(["--records", str(built.records), "--seeds", str(built.seeds),
                 "--registry", str(registry), "--output", str(built.output)])
    error = capsys.readouterr().err
    assert code == 1, error
    assert "has a name longer than the system allows: shorten it" in error


@pytest.mark.parametrize("option", ["--records", "--seeds"])
@pytest.mark.parametrize(("name", "expected"), [
    ("nowhere", "is no folder: create it"), ("r" * 300, "cannot be used: File name too long")])
def test_an_input_folder_that_is_none_is_a_usage_error(built: Workspace, capsys, option: str,
                                                       name: str, expected: str):
    arguments = built.arguments()
    arguments[arguments.index(option) + 1] = str(built.root / name)
    capsys.readouterr()
    assert cli.main(arguments) == 2
    assert expected in capsys.readouterr().err


def test_a_utf16_file_is_not_utf8(built: Workspace, capsys):
    path = built.root / OBSERVERS
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    _refused(built, capsys, f"{path}:1: -: -: not UTF-8: byte 0xff at byte offset 0")


def test_a_participant_given_twice_is_named(built: Workspace, capsys):
    built.edit("records/meetings.yml", "    - person_id: ukhnaagiin-khurelsukh\n",
               "    - person_id: vladimir-putin\n")
    _refused(built, capsys, "'vladimir-putin' is already participant 1 of this meeting")


def test_a_hidden_character_copied_from_no_line_is_refused(built: Workspace, capsys):
    built.edit("records/people.yml", 'title: "Foreign Minister"',
               'title: "Foreign\\u200bMinister"')
    _refused(built, capsys, "subrahmanyam-jaishankar: title: holds the hidden or control "
                            "character U+200B ZERO WIDTH SPACE at position 7")


# Characters around the edges of the two searches: the Basic Multilingual Plane's last code
# points, the first astral ones, planes hidden whole, tags, variation selectors, emoji.
_EDGES = [0x61, 0xAD, 0x200B, 0x2019, 0xD7FF, 0xFFEF, 0xFFFF, 0x10000, 0x1D173, 0x1F600,
          0x3FFFF, 0x40000, 0xDFFFF, 0xE0001, 0xE0100, 0xEFFFF, 0xF0000, 0x10FFFF]


@given(st.text(st.one_of(st.sampled_from([chr(code) for code in _EDGES]), st.characters()),
               max_size=12))
def test_the_first_hidden_character_is_found_wherever_it_stands(text: str):
    # Records files are searched in one step per plane; a miss would let a zero-width space
    # or a tag character into the dataset unseen.
    from sco_data.text_rules import hidden_character, is_hidden

    assert hidden_character(text) == next(
        ((position, character) for position, character in enumerate(text)
         if is_hidden(character)), None)


@given(st.text(st.one_of(st.sampled_from([chr(code) for code in _EDGES] + [" ", "\\", '"']),
                         st.characters()), max_size=8),
       st.sampled_from(["ascii", "unicode", "single"]))
def test_a_value_that_may_hide_a_character_is_looked_at(value: str, quoting: str):
    # A file whose text shows no hidden character, escape or blank value has its values
    # skipped one by one: a value that is blank or hides a character must never be skipped,
    # however it is escaped.
    import tempfile

    from sco_data.building.yaml_lines import stream_yaml
    from sco_data.text_rules import hidden_character

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "people.yml"
        if quoting == "single":  # no escapes: a quotation mark is written twice
            assume(all(character.isprintable() for character in value))
            written = "'" + value.replace("'", "''") + "'"
        else:
            written = json.dumps(value, ensure_ascii=quoting == "ascii")
        # A lone surrogate is written as its bytes, which are no UTF-8: refused as such.
        path.write_text(f"- title: {written}\n", encoding="utf-8", errors="surrogatepass")
        try:
            document, items = stream_yaml(path)
            read = [item for _, item in items]
        except YamlSyntaxError:
            return  # a control character YAML refuses: refused by name elsewhere
    [[(_, title)]] = [list(item.items()) for item in read]  # as written, or folded by YAML
    if hidden_character(title) or (title and not title.strip()):
        assert document.may_hide_characters
    if quoting != "unicode":  # no raw line break for YAML to fold: read as written
        assert title == value


# The plain statement of a quoted blank value where a value starts, or a kept block: the
# faster search must find one wherever this does.
_BLANK_VALUE = re.compile(
    r"""(?:(?<=[:\-\[,{?])[ \t]*(["'])\s*\1(?=[ \t]*(?:[,\]}:#\r\n]|$)))|[|>][1-9]?\+""")


@given(st.lists(st.sampled_from([*":-[,{?'\" \t\n|>+1x#]}", "''", '""', "' '", "- ", ": "]),
                max_size=12))
@example(["- ", "''"])
@example(["key", ": ", "' '", " # a note"])
@example(["[", '""', "]"])
@example(["key", ": ", "'''his words'' he said'"])
@example(["|", "+"])
def test_a_blank_value_is_found_as_the_plain_search_finds_it(pieces: list[str]):
    from sco_data.building.yaml_lines import _may_be_blank

    text = "".join(pieces)
    assert _may_be_blank(text) == bool(_BLANK_VALUE.search(text))


@pytest.mark.parametrize("content", ["", "[]\n", "null\n", "# nothing here\n", "\ufeff"],
                         ids=["empty", "empty list", "null", "a comment", "a byte order mark"])
def test_an_emptied_record_file_stops_the_build(built: Workspace, capsys, content: str):
    path = built.root / OBSERVERS
    path.write_text(content, encoding="utf-8")
    _refused(built, capsys, f"{path}:1: -: -: holds no records: building would drop every row "
                            "it gives (observers); restore the records, or pass --allow-shrink")
    assert built.build("--allow-shrink") == 0
    assert "warning: observers has 0 rows, 3 fewer than the 3 curated" in capsys.readouterr().err


@pytest.mark.parametrize(("output", "message"), [
    ("missing/sco.db", "the folder"),
    ("", "names no file"),
    (".", "names no file"),
    ("records", "is a folder"),
])
def test_an_unusable_output_is_a_usage_error(workspace: Workspace, capsys, monkeypatch,
                                             output: str, message: str):
    monkeypatch.chdir(workspace.root)
    arguments = [*workspace.arguments()[:-1], output]
    assert cli.main(arguments) == 2
    error = capsys.readouterr().err
    assert error.startswith("build.py build: --output") and message in error, error
    assert sorted(p.name for p in workspace.root.iterdir()) == ["records", "seeds"]


def _release(workspace: Workspace, dist: Path | str, *extra: str) -> int:
    return cli.main(["release", *workspace.arguments()[:-2], "--dist", str(dist), *extra])


@pytest.mark.parametrize(("descriptor", "found"), [
    (b"{not json", "JSONDecodeError"),
    (b"[1, 2]", "TypeError"),
    (b"\xff\xfe{}", "UnicodeDecodeError"),
    (b'{"name": "x"}', "KeyError"),
])
def test_release_refuses_a_corrupt_data_package(workspace: Workspace, capsys, descriptor: bytes,
                                                found: str):
    dist = workspace.root / "dist"
    dist.mkdir()
    (dist / "datapackage.json").write_bytes(descriptor)
    assert _release(workspace, dist) == 2
    error = capsys.readouterr().err
    assert f"release refused: {dist / 'datapackage.json'} is not a release's data package " \
           f"({found}" in error, error
    assert (dist / "datapackage.json").read_bytes() == descriptor


@pytest.mark.parametrize("where", ["file", "cwd", "records"])
def test_release_refuses_a_dist_it_cannot_own(workspace: Workspace, capsys, monkeypatch,
                                              where: str):
    monkeypatch.chdir(workspace.root)
    if where == "file":
        (workspace.root / "a-file").write_text("x")
        dist, message = "a-file", "is a file, not a folder"
    elif where == "cwd":
        dist, message = ".", "which it holds: give a folder of its own"
    else:
        dist, message = str(workspace.records), "which it holds: give a folder of its own"
    assert _release(workspace, dist, "--force") == 2
    assert message in capsys.readouterr().err
    assert (workspace.records / "members.yml").is_file()


def test_an_unforeseen_error_exits_70_and_saves_its_traceback(workspace: Workspace, capsys,
                                                              monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("sco_data.building.pipeline.table_rows", broken)
    assert workspace.build() == 70
    error = capsys.readouterr().err
    assert error.startswith("internal error: RuntimeError: a bug. This is a bug in sco_data")
    saved = Path(error.split("the traceback is saved in ")[1].split(". ")[0])
    assert "Traceback" in saved.read_text() and "raise RuntimeError" in saved.read_text()
    assert "Traceback" not in error
    saved.unlink()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_build_removes_what_killed_builds_left(built: Workspace):
    dead, folder = _dead_pid(), built.output.parent
    left = [folder / f".sco.db.{dead}.tmp", folder / f".sco.db.{dead}.tmp-journal"]
    for path in left:
        path.write_bytes(b"half a database")
    alive = folder / f".sco.db.{os.getppid()}.tmp"  # a build still running: left alone
    alive.write_bytes(b"in progress")
    assert built.build() == 0
    assert not any(path.exists() for path in left)
    assert alive.exists()
    assert remove_build_leftovers(built.output) == []


def test_a_release_killed_between_its_moves_is_put_back(tmp_path: Path):
    dead = _dead_pid()
    dist = tmp_path / "dist"
    previous = tmp_path / f".dist.{dead}.previous"
    staging = tmp_path / f".dist.{dead}.tmp"
    for folder, version in [(previous, "old"), (staging, "new")]:
        folder.mkdir()
        (folder / "datapackage.json").write_text(json.dumps({"version": version}))
    recover_release(dist)
    assert json.loads((dist / "datapackage.json").read_text())["version"] == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dist"]


def test_a_release_cleans_dead_staging_and_keeps_its_dist(tmp_path: Path):
    dead = _dead_pid()
    dist = tmp_path / "dist"
    dist.mkdir()
    (tmp_path / f".dist.{dead}.previous").mkdir()
    (tmp_path / f".dist.{dead}.tmp").mkdir()
    recover_release(dist)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dist"]


KILL_DELAYS_S = [0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.8, 2.2, 2.8]


def test_killed_builds_leave_the_database_whole_and_nothing_behind(built: Workspace):
    """SIGKILL a real build at points across its run: the database is always the complete one,
    and the next build removes whatever the killed ones left."""
    good = built.output.read_bytes()
    for delay in KILL_DELAYS_S:
        process = subprocess.Popen(
            [sys.executable, "build.py", *built.arguments()], cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert built.output.read_bytes() == good, delay  # builds are reproducible
    assert built.build() == 0
    assert sorted(path.name for path in built.root.iterdir()) == BUILT_FOLDER


def test_killed_releases_leave_a_whole_release(workspace: Workspace, tmp_path: Path):
    """SIGKILL real releases at points across their run: the next release finds its folder,
    puts back what a kill left aside, and leaves one complete release and nothing else."""
    (tmp_path / "out").mkdir()
    dist = tmp_path / "out" / "dist"
    arguments = [*workspace.arguments()[:-2], "--dist", str(dist)]
    assert subprocess.run([sys.executable, "build.py", "release", *arguments], cwd=ROOT,
                          capture_output=True).returncode == 0
    for delay in [0.3, 1.0, 1.6, 2.2, 3.0]:
        process = subprocess.Popen([sys.executable, "build.py", "release", *arguments],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finished = subprocess.run([sys.executable, "build.py", "release", *arguments], cwd=ROOT,
                              capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert sorted(path.name for path in dist.parent.iterdir()) == ["dist"]
    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stdout


def test_a_reader_that_stops_reading_is_no_error(workspace: Workspace):
    """`build.py coverage | head`: the pipe closes early, the command ends quietly."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        finished = subprocess.run(
            [sys.executable, "build.py", "coverage", *workspace.arguments()], cwd=ROOT,
            stdout=write_end, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_end)
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr and "internal error" not in finished.stderr


@pytest.mark.parametrize("name", sorted(path.name for path in (ROOT / "sco_data" / "records")
                                        .glob("*.yml")))
def test_the_pure_python_fallback_reads_as_libyaml_does(monkeypatch, name: str):
    """Without libyaml the records load to the same values, each on the same line."""
    from sco_data.building import yaml_lines

    path = ROOT / "sco_data" / "records" / name
    assert yaml_lines.LOADER.__name__ == "_FastLoader"  # PyYAML's wheels bring libyaml
    fast = yaml_lines.load_yaml(path)
    fast_lines = fast.lines  # mapped now, by libyaml (lines are mapped when first asked for)
    monkeypatch.setattr(yaml_lines, "LOADER", yaml_lines._Loader)
    slow = yaml_lines.load_yaml(path)
    assert (slow.data, slow.lines, slow.duplicate_keys) == (
        fast.data, fast_lines, fast.duplicate_keys)


@pytest.mark.parametrize("name", sorted(path.name for path in (ROOT / "sco_data" / "records")
                                        .glob("*.yml")))
def test_libyaml_composing_alone_reads_as_the_guarded_composer(monkeypatch, name: str):
    """Plain files are composed by libyaml alone: the same values on the same lines as
    through the guarded composer."""
    from sco_data.building import yaml_lines

    path = ROOT / "sco_data" / "records" / name
    assert yaml_lines._plain(path.read_text(encoding="utf-8"))
    alone = yaml_lines.load_yaml(path)
    alone_lines = alone.lines
    monkeypatch.setattr(yaml_lines, "PLAIN_LOADER", None)
    guarded = yaml_lines.load_yaml(path)
    assert (alone.data, alone_lines, alone.duplicate_keys) == (
        guarded.data, guarded.lines, guarded.duplicate_keys)
    assert len(alone_lines) > 30


@pytest.mark.parametrize(("text", "plain"), [
    ("- {a: [1, {b: 2}]}\n", True),
    ('- a: "brackets [[[[[[[[[[[[[[[[[[[[[[[ in quotes"\n', True),
    ("- " + "[" * 30 + "]" * 30 + "\n", False),  # flow nesting: the guarded composer
    ("- &anchor a\n", False),
    ("- - - a\n", False),
    ("- a: " + " " * 90 + "b\n", True),  # spaces inside a line are no indentation
    ("a:\n" + " " * 80 + "b: c\n", False),
])
def test_which_text_libyaml_composes_alone(text: str, plain: bool):
    from sco_data.building import yaml_lines

    assert yaml_lines._plain(text) is plain


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # the same patch for all
@given(depth=st.integers(min_value=13, max_value=3000), opener=st.sampled_from("[{"),
       leading=st.integers(min_value=0, max_value=3))
def test_deep_flow_nesting_is_refused_in_the_projects_words_whatever_libyaml_says(
        tmp_path_factory, monkeypatch, depth: int, opener: str, leading: int):
    """Deep text never reaches libyaml, whose own nesting limit (and its wording) changes with
    PyYAML's release: the refusal names the file, the line and the project's limit."""
    from sco_data.building import yaml_lines

    def not_libyaml(text: str):
        raise AssertionError("text that may nest deep was handed to libyaml")

    monkeypatch.setattr(yaml_lines, "LOADER", not_libyaml)
    monkeypatch.setattr(yaml_lines, "PLAIN_LOADER", not_libyaml)
    inner = "[" * depth + "]" * depth if opener == "[" else "{a: " * depth + "b" + "}" * depth
    text = "# a comment\n" * leading + f"- {inner}\n"
    path = tmp_path_factory.mktemp("deep") / "records.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yaml_lines.YamlSyntaxError) as refused:
        yaml_lines.load_yaml(path)
    assert (refused.value.path, refused.value.line) == (path, leading + 1)
    assert refused.value.message.startswith(
        f"not valid YAML: values nest deeper than {yaml_lines.MAX_DEPTH} levels")


def test_block_nesting_too_deep_is_refused_on_its_line(tmp_path: Path):
    """Thirteen levels of indented mappings: plain text, composed by libyaml, refused by the
    depth check on the composed nodes with the guarded composer's message."""
    from sco_data.building import yaml_lines

    lines = ["- a:"] + [" " * (2 * level) + "  b:" for level in range(1, 12)]
    text = "\n".join(lines) + "\n" + " " * 26 + "c: d\n"
    path = tmp_path / "deep.yml"
    path.write_text(text, encoding="utf-8")
    assert yaml_lines._plain(text)
    with pytest.raises(yaml_lines.YamlSyntaxError) as refused:
        yaml_lines.load_yaml(path)
    assert refused.value.line == 12  # not a count: the YAML line
    assert "values nest deeper than 12 levels" in refused.value.message


def test_a_missing_dependency_is_named_not_called_a_bug(workspace: Workspace, capsys,
                                                        monkeypatch):
    def missing(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'sqlmodel'", name="sqlmodel")

    monkeypatch.setattr("sco_data.building.pipeline.table_rows", missing)
    assert workspace.build() == 69
    error = capsys.readouterr().err
    assert error.startswith("the package 'sqlmodel' is not installed for ")
    assert "internal error" not in error and "Traceback" not in error


def test_without_its_dependencies_the_command_says_so(tmp_path: Path):
    """A Python that has only the standard library runs build.py to a clear message."""
    finished = subprocess.run(
        [sys.executable, "-S", "-c", "import sys; sys.path.insert(0, '.'); "
         "from sco_data.cli import main; sys.exit(main(['check']))"],
        cwd=ROOT, capture_output=True, text=True)
    assert finished.returncode == 69, finished.stderr
    assert "is not installed for" in finished.stderr


def test_the_longest_values_the_build_accepts_are_served(built: Workspace):
    """What the build accepts, the site serves: a title at the length limit, in characters of
    four bytes each, shows on the table, the row, its JSON and in search (a value over the
    server's limit once made every one of these pages answer 500)."""
    from sco_data.text_rules import MAX_TEXT_CHARS

    from .conftest import Site

    title = "\U0001d538" * (MAX_TEXT_CHARS - len(" summit")) + " summit"
    built.edit("records/meetings.yml", 'title: "SCO summit in Astana"', f'title: "{title}"')
    assert built.build() == 0
    site = Site(built.output)
    try:
        for path in ["/sco/meetings", "/sco/meetings/sco-summit-astana-2024",
                     "/sco/meetings/sco-summit-astana-2024.json",
                     "/-/records/meetings/sco-summit-astana-2024.json", "/-/search?q=summit",
                     "/-/timeline", "/-/network"]:
            response = site.get(path)
            shown = (json.dumps(response.json(), ensure_ascii=False) if ".json" in path
                     else response.text)
            assert title[:50] in shown, path
    finally:
        site.close()
