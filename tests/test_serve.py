"""`python build.py serve` builds, then serves the database over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sco_data.paths import ROOT

from .conftest import Workspace


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_builds_and_serves_read_only(workspace: Workspace, tmp_path: Path):
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--port", str(port), *workspace.arguments()],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        members = json.loads(_get(f"{base}/sco/members.json?_shape=array", time.monotonic() + 60))
        assert len(members) == 10
        assert workspace.output.is_file()
        home = _get(f"{base}/", time.monotonic() + 5).decode()
        assert "SCO summit, Astana" in home
        # Immutable: the database is offered for download, and nothing can write to it.
        assert 'href="/sco.db"' in _get(f"{base}/sco", time.monotonic() + 5).decode()
        settings = json.loads(_get(f"{base}/-/settings.json", time.monotonic() + 5))
        assert settings["sql_time_limit_ms"] == 2000
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert f"serving {workspace.output} at http://127.0.0.1:{port}/" in (
        tmp_path / "serve.log").read_text()
