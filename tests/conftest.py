"""Shared fixtures: one database built from the real records; disposable copies of the inputs."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from sco_data.building.pipeline import Inputs, build
from sco_data.cli import main
from sco_data.paths import CONFIG_FILE, METADATA_FILE, RECORDS_DIR, REGISTRY_FILE, SEEDS_DIR
from sco_data.publish.datasette_compat import datasette_arguments, http_client


@pytest.fixture(scope="session", autouse=True)
def api_cache(tmp_path_factory: pytest.TempPathFactory):
    """The database ``import sco_data`` builds on first use goes to a temporary cache."""
    from sco_data.api.cache import CACHE_VARIABLE

    folder = tmp_path_factory.mktemp("api-cache")
    previous = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = str(folder)
    yield folder
    if previous is None:
        del os.environ[CACHE_VARIABLE]
    else:
        os.environ[CACHE_VARIABLE] = previous


# A test that uses one of these runs Datasette: it is marked `datasette`, and CI runs it again on
# Datasette 1.0 (`make test-datasette-1`). Modules that start Datasette otherwise mark
# themselves.
DATASETTE_FIXTURES = {"site", "server", "browser", "dist"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if DATASETTE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.datasette)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sco.db built once, from the repository's seeds and records, into a temporary folder."""
    database = tmp_path_factory.mktemp("built") / "sco.db"
    report = build(database)
    assert report.warnings == []
    return database


@pytest.fixture
def db(built_db: Path):
    connection = sqlite3.connect(f"file:{built_db}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


class Site:
    """Datasette, with the project's metadata and plugin, serving one database in-process.

    Requests go to one ASGI app, built once as a server builds it: Datasette 1.0's own test
    client builds a new app, with new plugin wrappers, for every request.
    """

    def __init__(self, database: Path):
        from datasette.app import Datasette

        httpx = http_client()

        metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
        config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
        self.datasette = Datasette(immutables=[str(database)],
                                   **datasette_arguments(metadata, config),
                                   settings={"sql_time_limit_ms": 2000})
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.datasette.invoke_startup())
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.datasette.app()),
                                        base_url="http://localhost")

    def get(self, path: str, status: int = 200) -> Any:
        response = self.loop.run_until_complete(self.client.get(path))
        assert response.status_code == status, (path, response.status_code, response.text[:500])
        return response

    def page(self, path: str) -> str:
        return self.get(path).text

    def rows(self, path: str) -> list[dict[str, Any]]:
        """The rows of a table or query, as JSON objects (all of them)."""
        joiner = "&" if "?" in path else "?"
        return self.get(f"{path}{joiner}_shape=array&_size=max").json()

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


@pytest.fixture(scope="session")
def site(built_db: Path):
    served = Site(built_db)
    yield served
    served.close()


@dataclass
class Workspace:
    """A copy of the build's inputs that a test may break, and where its build writes."""

    root: Path

    @property
    def records(self) -> Path:
        return self.root / "records"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def registry(self) -> Path:
        return self.seeds / "articles.yml"

    @property
    def output(self) -> Path:
        return self.root / "sco.db"

    @property
    def inputs(self) -> Inputs:
        return Inputs(registry=self.registry, seeds_dir=self.seeds, records_dir=self.records)

    def arguments(self) -> list[str]:
        return ["--records", str(self.records), "--seeds", str(self.seeds),
                "--registry", str(self.registry), "--output", str(self.output)]

    def edit(self, relative: str, old: str, new: str, count: int = 1) -> Path:
        """Replace ``old`` (which must be present) in a copied input file."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return path

    def build(self, *command: str) -> int:
        return main([*command, *self.arguments()])


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return copy_inputs(tmp_path)


# What a folder holds after a build of its copied inputs: the inputs, the database, and the note
# of the inputs' signature that lets the next run skip hashing them (digest.signature_file).
BUILT_FOLDER = [".sco.db.inputs", "records", "sco.db", "seeds"]


def copy_inputs(root: Path) -> Workspace:
    """The repository's records and seeds copied into ``root``, for a test to break."""
    shutil.copytree(RECORDS_DIR, root / "records")
    shutil.copytree(SEEDS_DIR, root / "seeds")
    assert (root / "seeds" / REGISTRY_FILE.name).is_file()
    return Workspace(root)


def line_of(path: Path, marker: str) -> int:
    """The 1-based line of ``path`` that holds ``marker`` (which must occur exactly once)."""
    found = [n for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
             if marker in text]
    assert len(found) == 1, f"{marker!r} found on lines {found} of {path}"
    return found[0]


def assert_refused(workspace: Workspace, capsys: pytest.CaptureFixture[str],
                   breaks: Callable[[], str], message: str) -> None:
    """Build, break the input with ``breaks`` (it returns where the error must point:
    ``path:line: record: field: ``), then check the build fails there with ``message``, exit 1,
    and leaves the database it wrote before byte for byte as it was."""
    assert workspace.build() == 0
    before = workspace.output.read_bytes()
    capsys.readouterr()
    where = breaks()
    assert workspace.build() == 1
    error = capsys.readouterr().err
    assert any(line.startswith(where) and message in line for line in error.splitlines()), error
    assert workspace.output.read_bytes() == before


def make_unreadable(path: Path) -> None:
    """Make ``path`` a file this user may not read. Root reads any file whatever its mode, so
    for root it becomes a link to a file the kernel refuses to root as well (another process's
    memory); where even that can be read, the test is skipped and says why."""
    path.chmod(0)
    if not os.access(path, os.R_OK):
        return
    path.unlink()
    path.symlink_to("/proc/1/mem")
    try:
        with path.open("rb") as file:
            file.read(1)
    except PermissionError:
        return
    except OSError:
        pass
    pytest.skip("this user may read every file: no unreadable input can be made here")
