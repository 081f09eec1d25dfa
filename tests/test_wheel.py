"""The built wheel, installed into a fresh virtual environment, works with no repository around."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

from sco_data.paths import ROOT

# Run from a folder outside the repository, by the wheel's own Python.
USE_THE_API = r"""
import json, sco_data
from sco_data import paths
from datasette.plugins import get_plugins

quotes = sco_data.quotes(speaker="putin")
source = next(q for q in quotes if q.id == "putin-key-pillars").sources[0]
plugin = next(p for p in get_plugins() if p["name"] == "sco-data")
try:
    sco_data.frame("quotes")
    frame_error = None
except ImportError as error:
    frame_error = str(error)
print(json.dumps({
    "in_checkout": paths.IN_CHECKOUT,
    "package": str(paths.PACKAGE_DIR),
    "db_path": str(sco_data.db_path()),
    "members": sorted(m.country.name for m in sco_data.members()),
    "quotes": len(sco_data.quotes()),
    "putin": len(quotes),
    "cite": source.cite(),
    "context": [line.number for line in source.context(n=1)],
    "quotes_in_sql": sco_data.connect().execute("select count(*) from quotes").fetchone()[0],
    "templates": plugin["templates_path"],
    "frame_error": frame_error,
}))
"""


def test_wheel_installs_and_the_api_works_outside_the_repository(tmp_path: Path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(wheels), str(ROOT)], check=True, capture_output=True)
    [wheel] = wheels.glob("sco_data-*.whl")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    variables = {key: value for key, value in os.environ.items()
                 if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    variables["SCO_DATA_CACHE"] = str(tmp_path / "cache")
    result = subprocess.run([str(python), "-c", USE_THE_API], cwd=elsewhere, env=variables,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["in_checkout"] is False
    assert found["package"].startswith(str(environment))
    assert found["db_path"].startswith(str(tmp_path / "cache"))
    assert len(found["members"]) == 10 and "Belarus" in found["members"]
    assert (found["quotes"], found["putin"], found["quotes_in_sql"]) == (41, 5, 41)
    assert found["cite"].startswith('The Associated Press, "Leaders of Russia and China meet')
    assert found["cite"].endswith("(2024-07-03), line 51")
    assert found["context"] == [50, 51, 52]
    assert found["templates"].startswith(str(environment))
    assert "sco-data[notebook]" in found["frame_error"]
