"""Read one input file of the build, or say in words why it cannot be read.

An input may be anything a folder can hold: a folder, a FIFO (which would block a read for
ever), a device (``/dev/zero`` has no end), a link to nothing or to itself, a name the system
refuses, a file no one may read. Each is named with its fix instead of surfacing as an
``OSError`` from deep inside the build; a special file is refused from its ``stat`` alone,
never opened. Standard library only: the build's no-change check reads its inputs through this.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket",
}


class UnreadableInput(Exception):
    """An input the build cannot read, and why, in words for the curator."""

    def __init__(self, path: Path, message: str) -> None:
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``; UnreadableInput for anything else, or for a
    file over ``limit`` bytes."""
    size = _regular_size(path)
    if size > limit:
        raise UnreadableInput(path, _too_large(size, limit))
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise UnreadableInput(path, _os_message(path, error)) from None
    if len(data) > limit:  # it grew since its stat
        raise UnreadableInput(path, _too_large(len(data), limit))
    return data


def input_problem(path: Path) -> str | None:
    """Why ``path`` is no regular file the build could read; None when it is one."""
    try:
        _regular_size(path)
    except UnreadableInput as error:
        return error.message
    return None


def _regular_size(path: Path) -> int:
    try:
        status = path.stat()
    except OSError as error:
        raise UnreadableInput(path, _os_message(path, error)) from None
    if stat.S_ISDIR(status.st_mode):
        raise UnreadableInput(path, "is a folder, not a file: put the file itself here")
    if not stat.S_ISREG(status.st_mode):
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "a special file")
        raise UnreadableInput(path, f"is {kind}, not a regular file: the build does not open "
                                    "it; put a regular file here")
    return status.st_size


def _os_message(path: Path, error: OSError) -> str:
    if error.errno == errno.ENOENT:
        if path.is_symlink():
            return (f"is a symbolic link to {os.readlink(path)}, which does not exist: point "
                    "it at the file, or put the file here")
        return "is missing: create it"
    if error.errno == errno.ELOOP:
        return "is a symbolic link that leads back to itself: replace it with the file"
    if error.errno == errno.ENAMETOOLONG:
        return "has a name longer than the system allows: shorten it"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied): give the user running the build read access"
    if error.errno == errno.ENOTDIR:
        return "lies under something that is not a folder: check the path"
    return f"cannot be read: {error.strerror or error}"


def _too_large(size: int, limit: int) -> str:
    return (f"is {size:,} bytes, over the limit of {limit:,} for this kind of input: is it the "
            "right file?")
