"""Where the project's files live, in one place."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
RECORDS_DIR = PACKAGE_DIR / "records"
SEEDS_DIR = ROOT / "seeds"
REGISTRY_FILE = SEEDS_DIR / "articles.yml"
MIGRATIONS_DIR = ROOT / "migrations"
METADATA_FILE = ROOT / "metadata.yml"
DATABASE_FILE = ROOT / "sco.db"


def display_path(path: Path) -> str:
    """A path as a person at the repository root would type it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
