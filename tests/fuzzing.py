"""What the fuzz tests share: how many cases each runs, and the tally of outcomes they print.

By default (the suite, CI) each fuzz test runs a small fixed set of cases, the same every run.
``make fuzz`` sets ``SCO_FUZZ=long``: each runs its long count of new cases and prints how many
cases ended in each outcome class (refused with a named error, accepted, …), so a run shows what
it explored, not only that nothing broke. ``SCO_FUZZ_EXAMPLES=N`` runs N new cases of each.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

LONG = os.environ.get("SCO_FUZZ") == "long"
EXPLORING = LONG or "SCO_FUZZ_EXAMPLES" in os.environ


def examples(short: int, long: int) -> int:
    """How many cases a fuzz test runs: ``short`` in the suite, ``long`` under ``make fuzz``."""
    if "SCO_FUZZ_EXAMPLES" in os.environ:
        return int(os.environ["SCO_FUZZ_EXAMPLES"])
    return long if LONG else short


def fuzz_settings(short: int, long: int, deadline_s: float = 20) -> settings:
    """Hypothesis settings for a fuzz test: a fixed set of cases in the suite (derandomized, so
    CI runs the same inputs every time), new ones when exploring."""
    return settings(
        max_examples=examples(short, long), deadline=timedelta(seconds=deadline_s),
        derandomize=not EXPLORING, database=None if not EXPLORING else settings().database,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


class Outcomes:
    """A tally of outcome classes for one fuzz test, printed when the test ends."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counts: Counter[str] = Counter()

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1

    def report(self) -> str:
        total = sum(self.counts.values())
        parts = ", ".join(f"{outcome} {count}" for outcome, count in sorted(self.counts.items()))
        return f"{self.name}: {total} cases: {parts}"

    def __enter__(self) -> Outcomes:
        return self

    def __exit__(self, *exc: Any) -> None:
        print(f"\n{self.report()}")


def tally(name: str) -> Callable[[], Iterator[Outcomes]]:
    """A module-scoped fixture holding one ``Outcomes`` tally, printed when the module's tests
    end: ``value_outcomes = tally("broken values")``."""
    @pytest.fixture(scope="module")
    def outcomes() -> Iterator[Outcomes]:
        with Outcomes(name) as counted:
            yield counted

    return outcomes
