"""The README's promises are the ones CI keeps: its commands are the ones .ci/run runs."""

from __future__ import annotations

import re

from sco_data.cli import _parser
from sco_data.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")

RUN_COMMAND = "pip install -c requirements-lock.txt -e . && python build.py serve"
TEST_COMMAND = "pip install -c requirements-lock.txt -e '.[test]' && pytest"


def test_readme_gives_the_two_commands():
    assert RUN_COMMAND in README
    assert TEST_COMMAND in README


def test_ci_runs_the_readme_test_command():
    assert re.search(rf"^{re.escape(TEST_COMMAND)}$", CI, re.M)


def test_every_build_command_is_documented():
    commands = _parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"python build.py {command}" in README or command == "build", command


def test_changelog_has_an_entry_for_the_current_version():
    from sco_data import __version__

    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {__version__}" in changelog


def test_every_public_name_is_in_the_api_docs():
    import sco_data

    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in sco_data.__all__:
        if name != "__version__":
            assert f"`{name}" in api, name
