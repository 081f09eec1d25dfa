"""`import sco_data` stays light: the libraries load only when a function needs them."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sco_data

HEAVY = ["sqlite_utils", "sqlmodel", "sqlalchemy", "datasette", "pandas", "alembic", "yaml",
         "pydantic", "networkx", "rapidfuzz", "numpy"]


def _loaded_after(code: str) -> list[str]:
    program = (f"import sys\n{code}\n"
               f"print(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    output = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True).stdout.strip()
    return output.split(",") if output else []


def test_import_loads_no_heavy_library():
    assert _loaded_after("import sco_data") == []


def test_reading_records_loads_pydantic_but_not_the_build_or_datasette():
    sco_data.db_path()  # built (which needs the heavy libraries) before the process starts
    assert _loaded_after("import sco_data; sco_data.quotes()") == ["pydantic"]


def test_version_is_the_distributions():
    from importlib.metadata import version

    assert sco_data.__version__ == version("sco-data")


@pytest.mark.parametrize("name", [name for name in sco_data.__all__ if name != "__version__"])
def test_every_public_name_resolves_and_is_documented(name: str):
    value = getattr(sco_data, name)
    assert value.__doc__ and value.__doc__.strip(), name
    assert name in dir(sco_data)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'quotation'"):
        sco_data.quotation  # noqa: B018
