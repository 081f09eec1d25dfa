"""Page times of the published site, with the server warm.

Builds the database into a temporary folder, starts `python build.py serve` on 127.0.0.1, asks
for every page once to warm it, then times each page over repeated requests and prints the
median and the slowest, in milliseconds. Each request is rendered, not answered from the
server's page cache (see benchmarks/load.py for the cached site under load).

    python benchmarks/pages.py [--repeat 20] [--compare-plain]

``--compare-plain`` serves the same database a second time with Datasette alone (the project's
plugin unregistered, the same metadata), and times the pages both can show, interleaving the
two servers' requests so both meet the same machine; it prints each page's ratio.
"""

from __future__ import annotations

import argparse
import json
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

from sco_data.paths import CONFIG_FILE, METADATA_FILE
from sco_data.publish.datasette_compat import listed_databases, server_options

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
    "/sco/people/vladimir-putin",
    "/sco/who_met_whom?person=putin",
    "/-/search?q=putin",
    "/-/search?q=Mokhbar",
    "/-/network",
    "/-/timeline",
    "/-/records/quotes/putin-key-pillars.json",
    "/-/records/quotes/putin-key-pillars.bib",
]


# Pages plain Datasette shows too: what the plugin costs on them.
PLAIN_PAGES = ["/sco/quotes", "/sco/quotes/putin-key-pillars", "/sco/citations", "/sco/meetings",
               "/sco/attendees", "/"]
# The plugin's own pages, each timed against plain Datasette's quotes table page (the budget is
# 1.5 times that page).
BASELINE_PAGE = "/sco/quotes"
OWN_PAGES = ["/-/search?q=putin", "/-/network", "/-/timeline",
             "/-/records/quotes/putin-key-pillars.json", "/-/articles/ap-leaders-meet-2024-07-03"]

# Datasette without the project's plugin: the entry point is unregistered before the CLI runs.
PLAIN_DATASETTE = ("import sys; from datasette.plugins import pm; "
                   "pm.unregister(pm.get_plugin('sco_data')); "
                   "from datasette.cli import cli; sys.argv[0] = 'datasette'; cli()")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument("--compare-plain", action="store_true",
                        help="time pages against plain Datasette serving the same file")
    options = parser.parse_args()
    repeat = options.repeat
    if options.compare_plain:
        return compare_plain(repeat)
    with served() as base:
        print(f"{'page':<78} {'median ms':>9} {'max ms':>7}")
        for path in PAGES:
            _get(base + path)  # warm
            times = [_timed(base + path) for _ in range(repeat)]
            print(f"{path:<78} {statistics.median(times):9.1f} {max(times):7.1f}")
    return 0


def compare_plain(repeat: int) -> int:
    with served() as ours, plain_served(ours) as plain:
        print(f"{'page':<40} {'plain ms':>9} {'ours ms':>8} {'ratio':>6}")
        for path in PLAIN_PAGES:
            _get(ours + path), _get(plain + path)  # warm both
            _print_ratio(path, plain + path, ours + path, repeat)
        print(f"\n{'page (against plain ' + BASELINE_PAGE + ')':<40} {'plain ms':>9} "
              f"{'ours ms':>8} {'ratio':>6}")
        for path in OWN_PAGES:
            _get(ours + path)
            _print_ratio(path, plain + BASELINE_PAGE, ours + path, repeat)
    return 0


def _print_ratio(path: str, plain_url: str, our_url: str, repeat: int) -> None:
    """Median times of the two URLs, requests interleaved, and ours over plain's."""
    mine, theirs = [], []
    for _ in range(repeat):
        theirs.append(_timed(plain_url))
        mine.append(_timed(our_url))
    a, b = statistics.median(theirs), statistics.median(mine)
    print(f"{path:<40} {a:9.1f} {b:8.1f} {b / a:6.2f}")


@contextmanager
def plain_served(ours: str) -> Iterator[str]:
    """Plain Datasette on another port, serving the database ``ours`` serves, with the same
    metadata and settings."""
    database = _served_database(ours)
    port = _free_port()
    server = subprocess.Popen(
        ["timeout", "600", sys.executable, "-c", PLAIN_DATASETTE, "serve", "-i", str(database),
         *server_options(METADATA_FILE, CONFIG_FILE), "--port", str(port),
         "--setting", "sql_time_limit_ms", "2000"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base)
        plugins = json.loads(_get(f"{base}/-/plugins.json"))
        assert not any(plugin["name"] in ("sco_data", "sco-data") for plugin in plugins), plugins
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def _served_database(base: str) -> Path:
    databases = listed_databases(json.loads(_get(f"{base}/-/databases.json")))
    return Path(next(db["path"] for db in databases if db["name"] == "sco"))


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
