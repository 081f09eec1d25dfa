"""The served site bounds every request: no call allocates gigabytes or runs for seconds, errors
answer with their status, and stopping `serve` stops the server."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sco_data.paths import ROOT
from sco_data.publish.datasette_compat import query_path
from sco_data.publish.datasette_plugin.bounded_sql import (
    MAX_VALUE_BYTES,
    TooWide,
    bound,
    check_widths,
)

from .conftest import Site, Workspace
from .serving import fetch, free_port, served_databases, serving_a_fresh_build

pytestmark = pytest.mark.datasette  # CI runs these again on Datasette 1.0

EXPENSIVE = [
    "select length(printf('%.*c', 900000000, 'x'))",
    "select length(printf('%900000000c', 'x'))",
    "select length(format('%.*c', 900000000, 'x'))",
    "select hex(randomblob(400000000))",
    "select length(zeroblob(400000000))",
]


def _status(url: str, method: str = "GET") -> tuple[int, bytes, float]:
    started = time.monotonic()
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


def _query_url(base: str, sql: str) -> str:
    return base + query_path("sco", sql, "json")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("served")
    with serving_a_fresh_build(folder) as base:
        yield base


@pytest.mark.parametrize("sql", EXPENSIVE)
def test_an_expensive_call_is_refused_at_once(server: str, sql: str):
    status, body, took = _status(_query_url(server, sql))
    assert status in (200, 400), status
    answer = json.loads(body)
    assert answer["ok"] is False and answer["rows"] == [], answer
    assert took < 1.0, took


def test_the_site_stays_responsive_under_expensive_calls(server: str):
    with ThreadPoolExecutor(max_workers=5) as pool:
        attacks = [pool.submit(_status, _query_url(server, sql)) for sql in EXPENSIVE[:4]]
        status, _, took = pool.submit(_status, f"{server}/sco/quotes").result()
        assert status == 200 and took < 2.0, took
        assert all(attack.result()[2] < 2.0 for attack in attacks)


def test_ordinary_formatting_still_works(server: str):
    sql = "select printf('%s said %d words', 'Putin', 7) as said, format('%5.1f', 3.14159) as f"
    answer = json.loads(_status(_query_url(server, sql) + "&_shape=array")[1])
    assert answer == [{"said": "Putin said 7 words", "f": "  3.1"}]


@pytest.mark.parametrize(("path", "method", "status"), [
    ("/sco.db.nope", "GET", 404),
    ("/nope", "GET", 404),
    ("/-/articles/nope", "GET", 404),
    ("/sco/quotes/nope", "GET", 404),
    ("/-/coverage", "POST", 405),
    ("/-/articles", "POST", 405),
    ("/-/articles/ap-leaders-meet-2024-07-03", "POST", 405),
    ("/-/coverage", "HEAD", 200),
])
def test_pages_answer_with_their_status(server: str, path: str, method: str, status: int):
    """rich is installed here (the test extra brings it): errors still keep their status."""
    pytest.importorskip("rich")
    assert _status(f"{server}{path}", method)[0] == status


def test_the_inspect_file_spares_counting_rows(server: str, tmp_path: Path):
    databases = served_databases(fetch(f"{server}/-/databases.json"))
    assert databases[0]["hash"]  # from the inspect file: an immutable database with its hash


def test_stopping_serve_stops_the_server(workspace: Workspace, tmp_path: Path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--port", str(port), *workspace.arguments()],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        fetch(f"http://127.0.0.1:{port}/-/versions.json", wait_s=60)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    finally:
        process.kill()
        log.close()
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))


@pytest.mark.parametrize(("arguments", "wide"), [
    (("%.*c", 900_000_000, "x"), True),
    (("%900000000c", "x"), True),
    (("%-*d", -2_000_000, 5), True),
    (("%d %s %*d", 1, "a", 1_000_000, 5), False),
    (("%%%.2000000f", 1.0), True),
    (("%s", "%.*c"), False),  # a directive inside an argument is no directive
    ((None,), False),
])
def test_printf_widths_are_checked(arguments: tuple, wide: bool):
    if wide:
        with pytest.raises(TooWide):
            check_widths(arguments)
    else:
        check_widths(arguments)


def test_a_bounded_connection_refuses_huge_values(tmp_path: Path):
    import sqlite3

    connection = sqlite3.connect(":memory:")
    bound(connection)
    with pytest.raises(sqlite3.DataError):
        connection.execute(f"select randomblob({MAX_VALUE_BYTES + 1})").fetchone()
    assert connection.execute(f"select length(randomblob({MAX_VALUE_BYTES}))").fetchone() == (
        MAX_VALUE_BYTES,)


def test_the_in_process_site_bounds_its_connections(site: Site):
    answer = site.get(query_path("sco", EXPENSIVE[3], "json"), status=400)
    assert "too big" in answer.json()["error"]
