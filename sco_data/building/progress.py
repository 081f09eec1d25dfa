"""What a long build is doing, shown on a terminal.

A build of the five articles takes about two seconds and shows nothing; one of thousands takes
a minute, and says stage by stage where it is (tqdm: one line, redrawn in place, on standard
error). Nothing is shown when standard error is no terminal or under CI, so logs and the
tests' captured output stay as they were.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

# A build that ends sooner shows nothing at all.
SHOWN_AFTER_SECONDS = 2.0


class Progress:
    """Told each stage as it starts; shows nothing (the default, for tests and scripts)."""

    def stage(self, name: str) -> None:
        """The build has begun ``name``."""

    def close(self) -> None:
        """The build is over, whatever its end."""


NO_PROGRESS = Progress()


class TerminalProgress(Progress):
    """The current stage, the stages done and the time taken, on one line of the terminal."""

    def __init__(self, stages: int, stream: Any = None,
                 delay: float = SHOWN_AFTER_SECONDS) -> None:
        from tqdm import tqdm

        self._bar: Any = tqdm(total=stages, delay=delay, file=stream or sys.stderr,
                              unit="stage", leave=False, dynamic_ncols=True,
                              bar_format="{desc} [{n_fmt}/{total_fmt} stages, {elapsed}]")
        self._started = False
        self._shown_after = time.monotonic() + delay

    def stage(self, name: str) -> None:
        if self._started:
            self._bar.update(1)
        self._started = True
        self._bar.set_description_str(f"build: {name}", refresh=False)
        if time.monotonic() >= self._shown_after:  # tqdm's delay holds back updates, not this
            self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def progress_for(stream: Any, stages: int) -> Progress:
    """A terminal's progress for a build of ``stages`` stages, or none when ``stream`` is no
    terminal or the build runs under CI."""
    if os.environ.get("CI") or not getattr(stream, "isatty", lambda: False)():
        return NO_PROGRESS
    return TerminalProgress(stages, stream)
