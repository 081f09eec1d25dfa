"""The digest of a build's inputs, which the database records: an unchanged build is skipped.

The inputs are everything that decides the database's content: the registry, every file of the
seeds folder, every records file, and the code that builds (``sco_data/building/``, the models,
the dates, the value rules, the package version) with the migrations. Reading and hashing them
takes milliseconds, and this module imports nothing beyond the standard library and the
package's modules that import nothing else, so ``python build.py`` with nothing changed answers
without loading the build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sco_data.building.input_files import UnreadableInput, read_input
from sco_data.errors import InvalidData, Problem
from sco_data.paths import MIGRATIONS_DIR, PACKAGE_DIR, display_path
from sco_data.text_rules import MAX_RECORDS_BYTES, MAX_SEED_BYTES

DIGEST_TABLE = "build_inputs"


def inputs_digest(registry: Path, seeds_dir: Path, records_dir: Path) -> str:
    """SHA-256 over the inputs' names and bytes, in a fixed order; InvalidData naming every
    input that is no readable file (a folder, a FIFO, a broken link, …)."""
    digest = hashlib.sha256()
    problems = []
    for label, path in _input_files(registry, seeds_dir, records_dir):
        limit = MAX_SEED_BYTES if label.startswith("seeds/") else MAX_RECORDS_BYTES
        try:
            data = path.read_bytes() if label.startswith("code/") else read_input(path, limit)
        except UnreadableInput as error:
            problems.append(Problem(display_path(path), 1, "", "", error.message))
            continue
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)
    if problems:
        raise InvalidData(problems)
    return digest.hexdigest()


def inputs_signature(registry: Path, seeds_dir: Path, records_dir: Path) -> str:
    """SHA-256 over each input's name and what ``stat`` says of it (size, modification and
    change times, file number): the same while no input is written to, read without reading
    a byte. ``ctime`` changes with any write and no tool sets it back, so a changed file never
    keeps its signature (a restored modification time included)."""
    digest = hashlib.sha256()
    for label, path in _input_files(registry, seeds_dir, records_dir):
        try:
            found = path.stat()
        except OSError:
            digest.update(f"{label}\0missing\0".encode())
            continue
        digest.update(f"{label}\0{found.st_size}\0{found.st_mtime_ns}\0{found.st_ctime_ns}\0"
                      f"{found.st_ino}\0{found.st_dev}\0{found.st_mode}\0".encode())
    return digest.hexdigest()


def signature_file(database: Path) -> Path:
    """Where a build notes the signature of the inputs it hashed: ``.<database>.inputs``."""
    return database.with_name(f".{database.name}.inputs")


def known_digest(database: Path, signature: str) -> str | None:
    """The inputs' digest a build noted beside ``database`` for inputs of this very
    signature; None when the inputs were touched since, or nothing was noted."""
    try:
        noted = json.loads(signature_file(database).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(noted, dict) or noted.get("signature") != signature:
        return None
    digest = noted.get("digest")
    return digest if isinstance(digest, str) else None


def note_digest(database: Path, signature: str, digest: str) -> None:
    """Note that inputs of ``signature`` hash to ``digest``, so the next run with nothing
    changed need not read them; best effort, as the note only saves time."""
    note = signature_file(database)
    # Named as the build's own temporary files, so a run killed here leaves nothing the next
    # one does not remove (``leftovers``).
    temporary = database.with_name(f".{database.name}.{os.getpid()}.tmp-inputs")
    try:
        temporary.write_text(json.dumps({"signature": signature, "digest": digest}),
                             encoding="utf-8")
        os.replace(temporary, note)
    except OSError:
        temporary.unlink(missing_ok=True)


def recorded_digest(database: Path) -> str | None:
    """The digest a database was built from; None for a missing, foreign or damaged file."""
    if not database.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute(f"select sha256 from {DIGEST_TABLE} where id = 1").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _input_files(registry: Path, seeds_dir: Path, records_dir: Path) -> Iterator[tuple[str, Path]]:
    yield "registry", registry
    # Seeds: the regular files of the folder (what else it holds, no article can name: the
    # registry's own check says so for a listed seed that is no file).
    for path in sorted(seeds_dir.iterdir()):
        if path.is_file() and path != registry:
            yield f"seeds/{path.name}", path
    for path in sorted(records_dir.glob("*.yml")):
        yield f"records/{path.name}", path
    code = [PACKAGE_DIR / "__init__.py", PACKAGE_DIR / "models.py", PACKAGE_DIR / "paths.py",
            PACKAGE_DIR / "dates.py", PACKAGE_DIR / "date_expressions.py",
            PACKAGE_DIR / "text_rules.py",
            *sorted((PACKAGE_DIR / "building").rglob("*.py")),
            *sorted(MIGRATIONS_DIR.rglob("*.py"))]
    for path in code:
        yield f"code/{path.relative_to(path.parents[1]).as_posix()}", path
