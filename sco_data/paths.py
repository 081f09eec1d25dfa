"""Where the project's files live, in one place.

In a checkout, the articles and the migrations sit beside the package (``seeds/``,
``migrations/``). An installed wheel carries copies inside the package instead
(``sco_data/_seeds``, ``sco_data/_migrations``: see ``[tool.hatch.build]`` in pyproject.toml),
so the database can be built from any directory.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
IN_CHECKOUT = (ROOT / "build.py").is_file() and (ROOT / "seeds").is_dir()
RECORDS_DIR = PACKAGE_DIR / "records"
SEEDS_DIR = ROOT / "seeds" if IN_CHECKOUT else PACKAGE_DIR / "_seeds"
REGISTRY_FILE = SEEDS_DIR / "articles.yml"
MIGRATIONS_DIR = ROOT / "migrations" if IN_CHECKOUT else PACKAGE_DIR / "_migrations"
METADATA_FILE = ROOT / "metadata.yml"
CONFIG_FILE = ROOT / "datasette.yaml"  # what Datasette 1.0 reads beside the metadata
DATABASE_FILE = ROOT / "sco.db"
PYPROJECT = ROOT / "pyproject.toml"
LOCK_FILE = ROOT / "requirements-lock.txt"
# The same with Datasette of the 1.0 line, on which CI runs the site's tests again.
DATASETTE_1_LOCK_FILE = ROOT / "requirements-lock-datasette-1.txt"
DIST_DIR = ROOT / "dist"


def display_path(path: Path) -> str:
    """A path as a person at the repository root would type it."""
    try:
        # The folder resolved, not the file: a link keeps its own name (and a link that loops
        # is still a name to show).
        return str((path.parent.resolve() / path.name).relative_to(ROOT))
    except (ValueError, OSError, RuntimeError):
        return str(path)
