"""The database that ``import sco_data`` reads: built on first use into a user cache.

The package ships its inputs (the records, the articles, the migrations) rather than a
database, and builds one the first time it is asked, with the same build and checks as
``python build.py``. The cache folder is keyed by the package version and a hash of everything
the build reads, so an edited record in a checkout, or a new release, gets a fresh database.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from sco_data import __version__
from sco_data.building.digest import inputs_digest as build_digest
from sco_data.paths import RECORDS_DIR, REGISTRY_FILE, SEEDS_DIR

CACHE_VARIABLE = "SCO_DATA_CACHE"

def cache_dir() -> Path:
    """``$SCO_DATA_CACHE``, else ``$XDG_CACHE_HOME/sco_data``, else ``~/.cache/sco_data``."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sco_data"


@cache
def inputs_digest() -> str:
    """The digest of everything the build reads (the one a built database records)."""
    return build_digest(REGISTRY_FILE, SEEDS_DIR, RECORDS_DIR)


def database_path() -> Path:
    """Where this version's database lives in the cache (it may not be built yet)."""
    return cache_dir() / f"{__version__}-{inputs_digest()[:16]}" / "sco.db"


def ensure_database() -> Path:
    """The cached database, built first if it is missing."""
    path = database_path()
    if not path.is_file():
        from sco_data.building.pipeline import build

        path.parent.mkdir(parents=True, exist_ok=True)
        build(path)  # validated like `python build.py`, written to a temporary file first
    return path
