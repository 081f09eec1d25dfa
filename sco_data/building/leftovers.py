"""What killed builds and releases leave behind, found and removed by the next run.

A build writes ``.<output>.<pid>.tmp`` (and SQLite's ``-journal`` beside it) and moves it over
the output only once it is complete. A release stages into ``.<dist>.<pid>.tmp``, moves the
previous release aside as ``.<dist>.<pid>.previous``, moves the staging folder into place and
removes the previous one. A process killed midway leaves these names behind; the next run
removes those whose process is gone. A kill between the release's two moves leaves no ``dist``
but a complete previous release: the next run puts it back before it does anything else, so a
kill at any point leaves the old or the new release whole.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (on this machine, as far as we may ask)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    return True


def dead_leftovers(folder: Path, name: str, kind: str) -> list[Path]:
    """``.<name>.<pid>.<kind>…`` entries in ``folder`` whose process is gone."""
    pattern = re.compile(rf"^\.{re.escape(name)}\.(\d+)\.{re.escape(kind)}(?:-\w+)?$")
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir()):
        match = pattern.match(entry.name)
        if match and not process_alive(int(match[1])):
            found.append(entry)
    return found


def remove_build_leftovers(output: Path) -> list[Path]:
    """Remove temporary databases (and their journals) of builds that were killed."""
    removed = dead_leftovers(output.parent, output.name, "tmp")
    for path in removed:
        _remove(path)
    return removed


def recover_release(dist: Path) -> list[Path]:
    """Put back a release a kill left aside, and remove dead releases' staging folders."""
    touched = []
    for previous in dead_leftovers(dist.parent, dist.name, "previous"):
        if not dist.exists():
            os.replace(previous, dist)  # the kill came between the two moves: restore the old
        else:
            _remove(previous)
        touched.append(previous)
    for staging in dead_leftovers(dist.parent, dist.name, "tmp"):
        _remove(staging)
        touched.append(staging)
    return touched


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
