"""`python build.py serve` builds, then serves the database over real HTTP on 127.0.0.1."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from sco_data.expectations import dataset
from sco_data.publish.metadata import FACET_SIZE

from .conftest import Workspace
from .serving import TABLE_EXTRAS, facet_results, fetch, served_databases, serving

pytestmark = pytest.mark.datasette  # CI runs these again on Datasette 1.0

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
        databases = served_databases(fetch(f"{base}/-/databases.json"))
        assert [(db["name"], db["is_mutable"]) for db in databases] == [("sco", False)]
        # The source viewer is installed with the package, through its entry point.
        plugins = json.loads(fetch(f"{base}/-/plugins.json"))
        assert {"register_routes", "render_cell", "extra_template_vars"} <= set(
            next(plugin for plugin in plugins if plugin["name"] == "sco-data")["hooks"])
        assert "line by line" in fetch(f"{base}/-/articles").decode()
        # Its configuration too, which Datasette 1.0 reads only from datasette.yaml: a saved
        # query, a facet size, a label column.
        assert "Everything one person said" in html.unescape(fetch(f"{base}/sco/said_by").decode())
        attendees = json.loads(fetch(f"{base}/sco/attendees.json?{TABLE_EXTRAS}"))
        assert all(len(facet["results"]) <= FACET_SIZE
                   for facet in facet_results(attendees).values())
        assert "Vladimir Putin" in fetch(f"{base}/sco/quotes").decode()
    port = base.rsplit(":", 1)[1]
    assert f"serving {workspace.output} at http://127.0.0.1:{port}/" in log.read_text()
