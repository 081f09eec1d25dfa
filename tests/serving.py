"""Start `python build.py serve` as a real server on 127.0.0.1 for a test, and always stop it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sco_data.paths import ROOT
from sco_data.publish.datasette_compat import listed_databases

# However a test ends, even killed, the server exits by itself after this long.
SERVER_LIFETIME_S = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, wait_s: float = 5) -> bytes:
    """GET ``url``, retrying while the server starts, for at most ``wait_s`` seconds."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def served_databases(answer: bytes) -> list[dict]:
    """The databases of ``/-/databases.json``, on either line of Datasette."""
    return listed_databases(json.loads(answer))


def facet_results(table_json: dict) -> dict:
    """Each facet of a table's JSON asked for with ``_extra=facet_results`` (which 0.65 ignores
    and always answers), by column: Datasette 1.0 nests them under ``results``."""
    found = table_json["facet_results"]
    return found["results"] if "results" in found and "timed_out" in found else found


# What a table's JSON holds beside its rows on both lines (0.65 ignores ``_extra``).
TABLE_EXTRAS = "_extra=facet_results&_extra=human_description_en"


@contextmanager
def serving(arguments: list[str], log_path: Path) -> Iterator[str]:
    """Run ``build.py serve`` with ``arguments``; yield its base URL once it answers."""
    port = free_port()
    with log_path.open("w") as log:
        server = subprocess.Popen(
            ["timeout", str(SERVER_LIFETIME_S), sys.executable, "build.py", "serve",
             "--port", str(port), *arguments],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            fetch(f"{base}/-/versions.json", wait_s=60)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


@contextmanager
def serving_a_fresh_build(folder: Path) -> Iterator[str]:
    """``build.py serve`` building the repository's records into ``folder``; its base URL."""
    with serving(["--output", str(folder / "sco.db")], folder / "serve.log") as base:
        yield base
