"""How the installed packages differ from the lock, and which tests that broke.

    python .ci/drift.py check [LOCK]               exit 1 if any package is off the lock
                                                   (requirements-lock.txt by default)
    python .ci/drift.py report JUNIT_XML STATUS    the newest releases against the lock, and
                                                   the suite's failures on them (exit 0)

The build backend pinned in pyproject.toml counts as locked too.
"""

from __future__ import annotations

import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from sco_data.lock import Drift, drift, installed_versions, normalize
from sco_data.paths import LOCK_FILE, PYPROJECT


def backend_drift() -> list[Drift]:
    """The build backend's pins ("hatchling==1.33.0") against what is installed."""
    requires = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["build-system"]["requires"]
    installed = installed_versions()
    found = []
    for requirement in requires:
        name, _, version = requirement.partition("==")
        name = normalize(name.strip())
        if name in installed and installed[name] != version.strip():
            found.append(Drift(name, (version.strip(),), installed[name]))
    return found


def failures(junit: Path) -> list[str]:
    """Each failed or erring test as pytest names it (``tests/test_x.py::test_y[case]``)."""
    if not junit.is_file():
        return []
    named = []
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            module = case.get("classname", "").replace(".", "/")
            named.append(f"{module}.py::{case.get('name')}")
    return named


def counts(junit: Path) -> str:
    if not junit.is_file():
        return "no results (the suite did not start)"
    suite = next(ElementTree.parse(junit).getroot().iter("testsuite"))
    tests, failed, errors, skipped = (int(suite.get(key, 0))
                                      for key in ("tests", "failures", "errors", "skipped"))
    return (f"{tests - failed - errors - skipped} passed, {failed} failed, {errors} errors, "
            f"{skipped} skipped")


def main(arguments: list[str]) -> int:
    lock = Path(arguments[1]) if arguments[:1] == ["check"] and len(arguments) > 1 else LOCK_FILE
    found = [*drift(lock), *backend_drift()]
    if arguments[:1] == ["check"]:
        for item in found:
            print(f"off the lock: {item}")
        return 1 if found else 0
    junit, status = Path(arguments[1]), int(arguments[2])
    print(f"== Drift: the newest releases against {LOCK_FILE.name} and the build backend pin ==")
    for item in found:
        print(f"  {item}")
    print(f"  ({len(found)} packages differ)")
    print(f"== The suite on the newest releases: {counts(junit)} (exit {status}) ==")
    for name in failures(junit):
        print(f"  FAILED {name}")
    if status != 0:
        print("The README's commands install from the lock, which passed above. Before the "
              "next `make lock`, fix what fails here: the packages above are the suspects.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
