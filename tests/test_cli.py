"""`python build.py`: the commands, their output and their exit codes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sco_data.cli import main
from sco_data.expectations import dataset
from sco_data.paths import ROOT

from .conftest import Workspace

EXPECTED = dataset()


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "build.py", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONUTF8": "1"})


def test_check_validates_without_writing(workspace: Workspace, capsys):
    assert workspace.build("check") == 0
    assert capsys.readouterr().out.startswith("valid: 5 articles, 338 lines,")
    assert not workspace.output.exists()


def test_build_writes_the_database(workspace: Workspace, capsys):
    assert workspace.build() == 0
    assert "10 members, 3 observers" in capsys.readouterr().out
    with sqlite3.connect(workspace.output) as connection:
        assert connection.execute("select count(*) from members").fetchone() == (
            EXPECTED["members"],)


def test_an_unchanged_build_does_nothing_and_says_so(workspace: Workspace, capsys):
    assert workspace.build() == 0
    capsys.readouterr()
    written = workspace.output.stat().st_mtime_ns
    assert workspace.build() == 0
    assert capsys.readouterr().out == (
        f"{workspace.output} is up to date: nothing changed in its inputs since it was built "
        "(--rebuild builds it anyway)\n")
    assert workspace.output.stat().st_mtime_ns == written
    with sqlite3.connect(workspace.output) as connection:
        (digest,) = connection.execute("select sha256 from build_inputs").fetchone()
    assert len(digest) == 64
    assert workspace.build("--rebuild") == 0
    assert capsys.readouterr().out.startswith("wrote ")


@pytest.mark.parametrize("change", ["a record", "a comment in a record file", "the registry",
                                    "a new file among the seeds", "a database of another kind"])
def test_any_change_to_the_inputs_builds_again(workspace: Workspace, capsys, change: str):
    assert workspace.build() == 0
    capsys.readouterr()
    if change == "a record":
        workspace.edit("records/quotes.yml", "speaker: \"China\"", "speaker: \"China,\"")
    elif change == "a comment in a record file":
        with (workspace.records / "members.yml").open("a", encoding="utf-8") as file:
            file.write("# checked again\n")
    elif change == "the registry":
        workspace.edit("seeds/articles.yml", "label: VOA", "label: Voice of America")
    elif change == "a new file among the seeds":
        (workspace.seeds / "notes.txt").write_text("to read", encoding="utf-8")
    else:
        with sqlite3.connect(workspace.output) as connection:
            connection.execute("drop table build_inputs")
    assert workspace.build() == 0
    assert capsys.readouterr().out.startswith("wrote "), change


def test_a_build_without_libyaml_says_it_reads_slower(workspace: Workspace, capsys,
                                                     monkeypatch):
    from sco_data.building import yaml_lines

    monkeypatch.setattr(yaml_lines, "CParser", None)
    monkeypatch.setattr(yaml_lines, "LOADER", yaml_lines._Loader)
    assert workspace.build() == 0
    captured = capsys.readouterr()
    assert "PyYAML has no libyaml here" in captured.err and captured.out.startswith("wrote ")


def test_count_under_the_bounds_fails_unless_allowed(workspace: Workspace, capsys):
    assert workspace.build() == 0
    before = workspace.output.read_bytes()
    text = (workspace.records / "observers.yml").read_text(encoding="utf-8")
    (workspace.records / "observers.yml").write_text(text.split("- id: sco-egypt")[0])
    capsys.readouterr()
    assert workspace.build() == 1
    error = capsys.readouterr().err
    assert (f"{workspace.records / 'observers.yml'}:1: -: -: observers has 2 rows, 1 fewer than "
            "the 3 curated (sco_data/expectations.yml): was a record lost?; pass --allow-shrink "
            "to build anyway") in error
    assert workspace.output.read_bytes() == before
    assert workspace.build("--allow-shrink") == 0
    assert "warning: observers has 2 rows, 1 fewer than the 3 curated" in capsys.readouterr().err
    with sqlite3.connect(workspace.output) as connection:
        assert connection.execute("select count(*) from observers").fetchone() == (2,)


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["publish"])
    assert caught.value.code == 2
    assert "invalid choice: 'publish'" in capsys.readouterr().err


def test_real_process_exit_codes(workspace: Workspace):
    assert _run("check").returncode == 0
    workspace.edit("records/members.yml", "country_id: iran", "country_id: persia")
    broken = _run("check", *workspace.arguments())
    assert broken.returncode == 1
    assert ": sco-iran: country_id: unknown id 'persia'" in broken.stderr
    assert _run("--no-such-option").returncode == 2


def test_output_left_untouched_when_it_exists_and_data_is_bad(workspace: Workspace):
    workspace.output.write_bytes(b"previous database")
    workspace.edit("records/members.yml", "founding: true", "founding: maybe")
    assert workspace.build() == 1
    assert workspace.output.read_bytes() == b"previous database"


def test_build_is_repeatable(workspace: Workspace, tmp_path: Path):
    assert workspace.build() == 0
    first = _dump(workspace.output)
    assert workspace.build() == 0
    assert _dump(workspace.output) == first


def _dump(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return list(connection.iterdump())


def test_the_digest_covers_the_build_code_and_is_the_caches_key():
    """Code in sco_data/building/ decides the database's bytes: an edit there must change the
    digest that skips builds and keys the user cache."""
    from sco_data.api import cache
    from sco_data.building import digest
    from sco_data.paths import RECORDS_DIR, REGISTRY_FILE, SEEDS_DIR

    labels = [label for label, _ in digest._input_files(REGISTRY_FILE, SEEDS_DIR, RECORDS_DIR)]
    assert {"code/building/pipeline.py", "code/building/folding.py", "code/sco_data/models.py",
            "code/building/claim_rules.py", "code/sco_data/date_expressions.py",
            "records/lexicon.yml",
            "registry", "records/quotes.yml"} <= set(labels)
    assert cache.inputs_digest.__wrapped__() == digest.inputs_digest(
        REGISTRY_FILE, SEEDS_DIR, RECORDS_DIR)


# Modules the build imports that decide no byte of the database: how problems are worded and
# raised, and which counts the build insists on.
_NOT_DECIDING = {"sco_data/errors.py", "sco_data/expectations.py"}


def test_the_digest_covers_every_module_the_build_imports():
    """A module the build imports but the digest leaves out could change the database while a
    build with "nothing changed" reuses the old one (the value rules once were such a module)."""
    from sco_data.building import digest
    from sco_data.paths import PACKAGE_DIR, RECORDS_DIR, REGISTRY_FILE, SEEDS_DIR

    listing = subprocess.run(
        [sys.executable, "-c", "import sys, sco_data.building.pipeline; print('\\n'.join("
         "m.__file__ for n, m in sys.modules.items() if n.startswith('sco_data') and "
         "getattr(m, '__file__', None)))"],
        capture_output=True, text=True, check=True).stdout.split()
    imported = {Path(path).resolve().relative_to(PACKAGE_DIR.parent).as_posix()
                for path in listing}
    covered = {path.resolve().relative_to(PACKAGE_DIR.parent).as_posix()
               for _, path in digest._input_files(REGISTRY_FILE, SEEDS_DIR, RECORDS_DIR)
               if path.suffix == ".py"}
    assert imported - covered - _NOT_DECIDING == set()
