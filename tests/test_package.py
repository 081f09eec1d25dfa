"""`import sco_data` stays light: the build's heavy libraries load only when needed."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ["sqlite_utils", "sqlmodel", "sqlalchemy", "datasette", "pandas", "alembic", "yaml"]


def test_import_loads_no_heavy_library():
    code = (
        "import sys, sco_data\n"
        f"print(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == ""


def test_version_is_the_distributions():
    from importlib.metadata import version

    import sco_data

    assert sco_data.__version__ == version("sco-data")
