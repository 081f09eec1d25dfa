"""The lock: every dependency pinned at a version pyproject.toml admits; drift named."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from sco_data.lock import Drift, LockError, drift, locked_versions, normalize
from sco_data.paths import DATASETTE_1_LOCK_FILE, LOCK_FILE, PYPROJECT, ROOT
from sco_data.publish.datasette_compat import is_one_point_oh

PROJECT = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
DECLARED = [*PROJECT["project"]["dependencies"],
            *(requirement for extra in PROJECT["project"]["optional-dependencies"].values()
              for requirement in extra)]


@pytest.mark.parametrize("lock", [LOCK_FILE, DATASETTE_1_LOCK_FILE], ids=lambda path: path.name)
@pytest.mark.parametrize("declared", sorted(set(DECLARED)))
def test_every_dependency_is_locked_at_a_version_its_range_admits(declared: str, lock: Path):
    """A range raised in pyproject.toml without `make lock` fails here, not on a user's
    machine."""
    requirement = Requirement(declared)
    versions = locked_versions(lock).get(normalize(requirement.name))
    assert versions, f"{requirement.name} is not in {lock.name}: run `make lock`"
    for version in versions:
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {requirement.name}=={version}, outside {declared!r}: "
            "run `make lock`")


def test_the_two_locks_hold_the_two_lines_of_datasette():
    """CI's two runs of the site's tests are on Datasette 0.65 and on 1.0."""
    assert is_one_point_oh(locked_versions(LOCK_FILE)["datasette"][0]) is False
    assert is_one_point_oh(locked_versions(DATASETTE_1_LOCK_FILE)["datasette"][0]) is True


def test_the_build_backend_is_pinned_exactly():
    [backend] = PROJECT["build-system"]["requires"]
    assert Requirement(backend).name == "hatchling"
    assert str(Requirement(backend).specifier).startswith("==")


def test_a_package_off_the_lock_is_named_with_both_versions(tmp_path: Path):
    installed = metadata.version("PyYAML")
    lock = tmp_path / "lock.txt"
    lock.write_text(f"# a comment\nPyYAML==1.0\n    # via sco-data\n"
                    f"pydantic=={metadata.version('pydantic')}\nnot-installed==2.0\n",
                    encoding="utf-8")
    assert drift(lock) == [Drift("pyyaml", ("1.0",), installed)]
    assert str(drift(lock)[0]) == f"pyyaml 1.0 (locked) -> {installed} (installed)"


def test_one_version_per_marker_is_no_drift_when_either_is_installed(tmp_path: Path):
    installed = metadata.version("numpy")
    lock = tmp_path / "lock.txt"
    lock.write_text(f"numpy==0.1 ; python_full_version >= '9'\n"
                    f"numpy=={installed} ; python_full_version < '9'\n", encoding="utf-8")
    assert locked_versions(lock) == {"numpy": ("0.1", installed)}
    assert drift(lock) == []


@pytest.mark.parametrize(("text", "message"), [
    ("pyyaml>=6\n", "lock.txt:1: 'pyyaml>=6' is not name==version: run `make lock`"),
    ("a==1\n\n-e .\n", "lock.txt:3: '-e .' is not name==version: run `make lock`"),
])
def test_a_line_that_pins_nothing_is_refused_with_its_line(tmp_path: Path, text: str,
                                                          message: str):
    lock = tmp_path / "lock.txt"
    lock.write_text(text, encoding="utf-8")
    with pytest.raises(LockError) as refused:
        locked_versions(lock)
    assert str(refused.value) == f"{tmp_path}/{message}"


def test_the_ci_report_names_the_drift_and_each_failed_test(tmp_path: Path):
    """`.ci/drift.py report`, as CI runs it after the suite on the newest releases."""
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite tests="3" failures="1" errors="0" skipped="0">'
        '<testcase classname="tests.test_hardening" name="test_a[deep nesting]">'
        '<failure message="no"/></testcase><testcase classname="tests.test_api" name="test_b"/>'
        '<testcase classname="tests.test_api" name="test_c"/></testsuite></testsuites>',
        encoding="utf-8")
    reported = subprocess.run([sys.executable, ".ci/drift.py", "report", str(junit), "1"],
                              cwd=ROOT, capture_output=True, text=True)
    assert reported.returncode == 0, reported.stderr
    assert "The suite on the newest releases: 2 passed, 1 failed, 0 errors, 0 skipped" in (
        reported.stdout)
    assert "  FAILED tests/test_hardening.py::test_a[deep nesting]\n" in reported.stdout
    for found in drift():
        assert f"  {found}\n" in reported.stdout
