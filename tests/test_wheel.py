"""The built wheel, installed into a fresh virtual environment, works with no repository around."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path

from sco_data.expectations import dataset
from sco_data.paths import ROOT

# Run from a folder outside the repository, by the wheel's own Python.
USE_THE_API = r"""
import json, sco_data
from sco_data import paths
from datasette.plugins import get_plugins

quotes = sco_data.quotes(speaker="putin")
source = sco_data.quote("putin-key-pillars").sources[0]
try:
    sco_data.quotes(speaker="Puttin")
    suggestion = None
except ValueError as error:
    suggestion = str(error)
graph = sco_data.graph()
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
    "suggestion": suggestion,
    "graph": [graph.number_of_nodes(), graph.number_of_edges()],
    "bibtex_entries": sco_data.bibliography().count("@article{"),
    "typed": (paths.PACKAGE_DIR / "py.typed").is_file(),
    "quotes_in_sql": sco_data.connect().execute("select count(*) from quotes").fetchone()[0],
    "templates": plugin["templates_path"],
    "frame_error": frame_error,
}))
"""

EXPECTED = dataset()


def _fresh_environment(tmp_path: Path, *requirement: str) -> Path:
    """A new virtual environment holding ``requirement`` (pip's arguments) and its
    dependencies at the versions this suite runs with (the lock's, or the newest releases'
    when CI checks those); its Python."""
    running = sorted(f"{found.metadata['Name']}=={found.version}"
                     for found in metadata.distributions() if found.metadata["Name"] != "sco-data")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(running) + "\n", encoding="utf-8")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-c", str(constraints), *requirement],
        capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    return python


def _outside(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder outside the repository, and an environment for its processes."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    variables = {key: value for key, value in os.environ.items()
                 if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    variables["SCO_DATA_CACHE"] = str(tmp_path / "cache")
    return elsewhere, variables


def test_wheel_installs_and_the_api_works_outside_the_repository(tmp_path: Path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(wheels), str(ROOT)], check=True, capture_output=True)
    [wheel] = wheels.glob("sco_data-*.whl")
    python = _fresh_environment(tmp_path, str(wheel))
    environment = python.parents[1]
    elsewhere, variables = _outside(tmp_path)
    result = subprocess.run([str(python), "-c", USE_THE_API], cwd=elsewhere, env=variables,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["in_checkout"] is False
    assert found["package"].startswith(str(environment))
    assert found["db_path"].startswith(str(tmp_path / "cache"))
    assert len(found["members"]) == EXPECTED["members"] and "Belarus" in found["members"]
    assert (found["quotes"], found["putin"], found["quotes_in_sql"]) == (
        EXPECTED["quotes"], 5, EXPECTED["quotes"])
    assert found["cite"].startswith('Burrows, with Simina Mistreanu, Krutika Pathi and Suzan '
                                    'Fraser, The Associated Press, "Leaders of Russia and China')
    assert found["cite"].endswith("(2024-07-03), line 51")
    assert found["context"] == [49, 51, 53]
    assert found["suggestion"].endswith("did you mean 'Putin'?")
    assert found["graph"] == [11, 14]
    assert found["bibtex_entries"] == EXPECTED["articles"]
    assert found["typed"] is True
    assert found["templates"].startswith(str(environment))
    assert "sco-data[notebook]" in found["frame_error"]
    _types_check_strictly(python, elsewhere, variables)


def test_an_editable_install_shows_mypy_the_same_types(tmp_path: Path):
    """README's `pip install -e .`: the checkout on the path through a .pth file, which mypy
    follows, so a user's script sees Records[Quote] and str, as with the wheel."""
    python = _fresh_environment(tmp_path, "-e", str(ROOT))
    elsewhere, variables = _outside(tmp_path)
    located = subprocess.run(
        [str(python), "-c", "import sco_data, sco_data.paths as p; "
                            "print(sco_data.__file__, p.IN_CHECKOUT)"],
        cwd=elsewhere, env=variables, capture_output=True, text=True, check=True)
    assert located.stdout.split() == [str(ROOT / "sco_data" / "__init__.py"), "True"]
    _types_check_strictly(python, elsewhere, variables)


# A user's script, checked by mypy --strict against the installed wheel: the functions and
# records have real types (reveal_type shows them), not Any.
USER_SCRIPT = """\
import sco_data
from sco_data import Meeting, Quote, Records

quotes: Records[Quote] = sco_data.quotes(speaker="xi", date="2024-07-03")
first: Quote = sco_data.quote("putin-key-pillars")
words: str = first.text
lines: list[int] = [line.number for line in first.sources[0].context(1)]
held: list[Meeting] = sco_data.meetings(status="held", start="2024")
named: str | None = held[0].participants[0].title
bibtex: str = sco_data.bibliography(format="bibtex")
reveal_type(sco_data.quotes)
reveal_type(sco_data.record)
reveal_type(first.sources[0].cite)
"""


def _types_check_strictly(python: Path, folder: Path, variables: dict[str, str]) -> None:
    script = folder / "analysis.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(python),
         "--no-incremental", "--cache-dir", str(folder / ".mypy_cache"), str(script)],
        cwd=folder, env=variables, capture_output=True, text=True)
    revealed = result.stdout
    assert result.returncode == 0, revealed
    assert ('Revealed type is "def (speaker: str | None =, meeting: str | None =, article: '
            'str | None =, date: str | None =) -> '
            'sco_data.api.frames.Records[sco_data.api.objects.Quote]"') in revealed
    assert ('"def (table: str, id: str) -> sco_data.api.objects.Record | '
            'sco_data.api.objects.Article"') in revealed
    assert "(style: Literal['text'] | Literal['bibtex'] | Literal['csl-json'] =) -> str" in (
        revealed)
    assert "Any" not in revealed and "Success: no issues found" in revealed
