"""`python build.py serve` builds, then serves the database over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from sco_data.expectations import dataset

from .conftest import Workspace
from .serving import fetch, serving

EXPECTED = dataset()


def test_serve_builds_and_serves_read_only(workspace: Workspace, tmp_path: Path):
    log = tmp_path / "serve.log"
    with serving(workspace.arguments(), log) as base:
        members = json.loads(fetch(f"{base}/sco/members.json?_shape=array"))
        assert len(members) == EXPECTED["members"]
        assert workspace.output.is_file()
        assert "SCO summit, Astana" in fetch(f"{base}/").decode()
        # Immutable: the database is offered for download, and nothing can write to it.
        assert 'href="/sco.db"' in fetch(f"{base}/sco").decode()
        settings = json.loads(fetch(f"{base}/-/settings.json"))
        assert settings["sql_time_limit_ms"] == 2000
        databases = json.loads(fetch(f"{base}/-/databases.json"))
        assert [(db["name"], db["is_mutable"]) for db in databases] == [("sco", False)]
        # The source viewer is installed with the package, through its entry point.
        plugins = json.loads(fetch(f"{base}/-/plugins.json"))
        assert {"register_routes", "render_cell", "extra_template_vars"} <= set(
            next(plugin for plugin in plugins if plugin["name"] == "sco-data")["hooks"])
        assert "line by line" in fetch(f"{base}/-/articles").decode()
    port = base.rsplit(":", 1)[1]
    assert f"serving {workspace.output} at http://127.0.0.1:{port}/" in log.read_text()
