"""Page times of the published site, with the server warm.

Builds the database into a temporary folder, starts `python build.py serve` on 127.0.0.1, asks
for every page once to warm it, then times each page over repeated requests and prints the
median and the slowest, in milliseconds. Each request is rendered, not answered from the
server's page cache (see benchmarks/load.py for the cached site under load).

    python benchmarks/pages.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/sco",
    "/sco/quotes",
    "/sco/quotes/putin-key-pillars",
    "/sco/attendees",
    "/sco/meetings",
    "/sco/citations",
    "/sco/lines/ap-leaders-meet-2024-07-03-L51",
    "/sco/quotes?_search=multipolar",
    "/-/articles",
    "/-/articles/ap-leaders-meet-2024-07-03",
    "/-/articles/ap-leaders-meet-2024-07-03?citation=quotes-putin-key-pillars-1",
    "/-/coverage",
    "/-/articles/ap-leaders-meet-2024-07-03/compare/pa-putin-xi-kazakhstan-2024-07-03",
    "/-/articles/ap-leaders-meet-2024-07-03/compare/pa-putin-xi-kazakhstan-2024-07-03?lines=all",
    "/sco/corroboration",
    "/sco/quoted_spans",
    "/sco/said_by?person=putin",
    "/sco/who_met_whom",
    "/sco/sources_of_record?record_table=quotes&record_id=putin-key-pillars",
    "/sco/single_source_facts",
    "/sco/attendees_by_country",
    "/sco/disagreements",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    repeat = parser.parse_args().repeat
    with served() as base:
        print(f"{'page':<78} {'median ms':>9} {'max ms':>7}")
        for path in PAGES:
            _get(base + path)  # warm
            times = [_timed(base + path) for _ in range(repeat)]
            print(f"{path:<78} {statistics.median(times):9.1f} {max(times):7.1f}")
    return 0


@contextmanager
def served() -> Iterator[str]:
    """`python build.py serve` on a free port of 127.0.0.1, with the database built into a
    temporary folder; yields the base URL once it answers, and stops the server after."""
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        server = subprocess.Popen(
            ["timeout", "600", sys.executable, "build.py", "serve", "--port", str(port),
             "--output", str(Path(folder) / "sco.db")],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


def _timed(url: str) -> float:
    started = time.perf_counter()
    _get(url)
    return (time.perf_counter() - started) * 1000


def _get(url: str) -> bytes:
    # A cookie makes the server render the page instead of answering from its page cache
    # (sco_data/publish/datasette_plugin/page_cache.py): these are rendering times.
    request = urllib.request.Request(url, headers={"Cookie": "sco-benchmark=render"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(f"{base}/-/versions.json")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
