"""The pinned counts of the curated dataset, read from ``expectations.yml`` beside this module:
the build's bounds (``minimum_rows``) and the facts the tests check (``dataset``,
``coverage``). One file, so that adding an article changes it and nothing else."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

EXPECTATIONS_FILE = Path(__file__).with_name("expectations.yml")


@cache
def expectations() -> dict[str, Any]:
    import yaml

    loaded = yaml.safe_load(EXPECTATIONS_FILE.read_text(encoding="utf-8"))
    return loaded


def minimum_rows() -> dict[str, int]:
    """The least each table holds: a build with fewer stops (unless --allow-shrink)."""
    return dict(expectations()["minimum_rows"])


def coverage() -> dict[str, Any]:
    """Per article, what the records cite of it: counts and the uncited lines."""
    return dict(expectations()["coverage"])


def dataset() -> dict[str, Any]:
    """Facts of the curated dataset the tests check exactly."""
    return dict(expectations()["dataset"])
