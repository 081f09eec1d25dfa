"""The lock: the exact version of every package the README's commands install.

``requirements-lock.txt`` is written by ``uv pip compile`` from pyproject.toml, every extra
included (``make lock``; docs/curating.md says when and how). The README's commands install
through it (``pip install -c requirements-lock.txt …``). A release ships it and records its
digest, and warns when the running environment is not the lock's; CI compares the newest
releases with it. Standard library only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sco_data.paths import LOCK_FILE

# "name==version", then an optional "; marker" (uv writes one version per marker).
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;.*)?$")


class LockError(Exception):
    """The lock file is missing or a line of it is not ``name==version``."""


@dataclass(frozen=True)
class Drift:
    """A package installed at another version than the lock's."""

    name: str
    locked: tuple[str, ...]  # one version per marker the lock distinguishes; usually one
    installed: str

    def __str__(self) -> str:
        return f"{self.name} {' or '.join(self.locked)} (locked) -> {self.installed} (installed)"


def normalize(name: str) -> str:
    """A distribution's name as package indexes compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_digest(path: Path = LOCK_FILE) -> str:
    """SHA-256 of the lock file's bytes."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise LockError(f"{path}: cannot read the lock ({error.strerror or error}): run "
                        "`make lock`") from None


def locked_versions(path: Path = LOCK_FILE) -> dict[str, tuple[str, ...]]:
    """Each locked package's normalized name and its version(s)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LockError(f"{path}: cannot read the lock ({error.strerror or error}): run "
                        "`make lock`") from None
    versions: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pinned = _PINNED.match(line)
        if pinned is None:
            raise LockError(f"{path}:{number}: {line!r} is not name==version: run `make lock`")
        name, version = normalize(pinned.group(1)), pinned.group(2)
        if version not in versions.get(name, ()):
            versions[name] = (*versions.get(name, ()), version)
    return versions


def drift(path: Path = LOCK_FILE) -> list[Drift]:
    """The installed packages the lock pins to another version, by name. Packages the lock
    does not name (installers, the project itself) and locked ones not installed (an extra
    not asked for) are no drift."""
    locked = locked_versions(path)
    found = []
    for name, version in sorted(installed_versions().items()):
        if name in locked and version not in locked[name]:
            found.append(Drift(name, locked[name], version))
    return found


def installed_versions() -> dict[str, str]:
    """Every distribution installed beside this package, by normalized name."""
    return {normalize(found.metadata["Name"]): found.version
            for found in metadata.distributions() if found.metadata["Name"]}
