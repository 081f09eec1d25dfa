"""The dataset's pinned counts live in one file, sco_data/expectations.yml: the build's bounds
read it, the tests read it, and no test writes one of its counts as a number of its own, so
adding an article changes that file and nothing else."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sco_data.expectations import EXPECTATIONS_FILE, expectations, minimum_rows
from sco_data.models import RECORD_KINDS

TESTS = Path(__file__).parent
# A number compared with ``==`` (either side) on a test's line.
_COMPARED = re.compile(r"==\s*\(?\s*(\d+)\b|\b(\d+)\s*\)?\s*==")
# Counts this small are shapes of synthetic inputs (two sources, three lines) as often as data.
SMALLEST_PINNED = 5
NOT_A_COUNT = "# not a count:"


def _numbers(value: Any) -> set[int]:
    if isinstance(value, dict):
        return set().union(*(_numbers(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_numbers(item) for item in value))
    return {value} if isinstance(value, int) and not isinstance(value, bool) else set()


def pinned_elsewhere(text: str, pinned: set[int]) -> list[tuple[int, str]]:
    """The lines of ``text`` comparing with a pinned count written as a number."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        if NOT_A_COUNT in line:
            continue
        for match in _COMPARED.finditer(line):
            value = int(match.group(1) or match.group(2))
            if value >= SMALLEST_PINNED and value in pinned:
                found.append((number, line.strip()))
    return found


def _pinned() -> set[int]:
    """The counts of the file (line numbers of uncited lines are places, not counts)."""
    loaded = expectations()
    return (_numbers(loaded["minimum_rows"]) | _numbers(loaded["dataset"])
            | _numbers([article["counts"] for article in loaded["coverage"].values()]))


def test_no_test_writes_a_pinned_count_of_its_own():
    pinned = _pinned()
    offenders = [f"{path.name}:{number}: {line}"
                 for path in sorted(TESTS.glob("*.py"))
                 for number, line in pinned_elsewhere(path.read_text(encoding="utf-8"), pinned)]
    assert not offenders, (
        "pinned counts written in tests (read them from sco_data.expectations instead, or mark "
        f"a number that is no count with '{NOT_A_COUNT} why'):\n" + "\n".join(offenders))


def test_the_guard_finds_a_count_written_in_a_test():
    pinned = _pinned()
    quotes = expectations()["dataset"]["quotes"]
    assert pinned_elsewhere(f"    assert len(quotes) == {quotes}\n", pinned) == [
        (1, f"assert len(quotes) == {quotes}")]
    assert pinned_elsewhere(f"    assert {quotes} == count\n", pinned)
    assert not pinned_elsewhere(f"    assert len(rows) == {quotes}  {NOT_A_COUNT} a page size",
                                pinned)


def test_every_table_the_build_writes_has_a_bound(db):
    tables = {row[0] for row in db.execute(
        "select name from sqlite_master where type = 'table' and name not like '%_fts%' "
        "and name not like 'sqlite_%' and name not in ('alembic_version', 'build_inputs')")}
    bounded = set(minimum_rows())
    assert {kind.table for kind in RECORD_KINDS} <= bounded
    # No country has an alias yet; a claim value losing its statement fails the build anyway.
    assert tables - bounded <= {"country_aliases", "statements"}, tables - bounded


def test_the_file_is_yaml_with_three_sections():
    loaded = yaml.safe_load(EXPECTATIONS_FILE.read_text(encoding="utf-8"))
    assert set(loaded) == {"minimum_rows", "dataset", "coverage"}
    assert all(isinstance(value, int) and value > 0 for value in loaded["minimum_rows"].values())
