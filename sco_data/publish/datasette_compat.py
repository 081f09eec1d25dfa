"""What differs between Datasette 0.65 and the 1.0 line, for the server and the plugin.

Everything else works the same on both. The differences, from Datasette's upgrade guide and
its source:

- **Configuration.** 0.65 reads how tables open (label column, sort, facets, full-text search,
  hidden) and the saved queries from the metadata. 1.0 reads them from a configuration file
  (``datasette.yaml``, passed with ``--config``), and only descriptions and licences from the
  metadata; 0.65 has no such file, and its ``--config`` takes ``name:value`` settings instead.
  So the server is given ``metadata.yml`` on both lines and ``datasette.yaml`` on 1.0 only.
- **Where statements run.** 0.65 sends every statement through ``Database.execute_fn``; 1.0's
  ``Database.execute`` calls ``Database._execute_fn`` directly, and its ``execute_fn`` calls that
  too. The guards of ``sql_threads`` wrap the function every statement passes through.
- **SQL pages.** 1.0 answers reader SQL at ``/<database>/-/query?sql=`` and redirects
  ``/<database>?sql=`` there; 0.65 has only the second. ``query_path`` gives the line's own.
- **Errors 1.0 lets through.** SQLite's error for a facet on a missing column and
  ``QueryInterrupted`` reach ``handle_exception`` unconverted; ``table_parameters.input_error``
  answers both 400, as 0.65 does.
- **Table JSON** (for readers of it, not the plugin): 1.0 adds facets, the row count and the
  rest to a table's JSON only when asked with ``_extra=``; 0.65 always adds them and ignores
  ``_extra``.
- **Row pages.** 1.0 renders a row page with empty metadata, so the table's description,
  licence and source vanish there; ``row_page_metadata`` gives the table's own, as 0.65 shows.
- **Introspection JSON and the HTTP client.** ``/-/databases.json`` is a list on 0.65 and an
  object holding it under ``databases`` on 1.0 (``listed_databases``); Datasette brings httpx
  with 0.65 and httpx2 with 1.0 (``http_client``), for tests and benchmarks that speak to it.
- **Error pages.** 0.65's default error handler prints through ``rich`` when it can import it,
  which fails outside an ``except`` block (a URL no route matches becomes a 500); 1.0 has no
  such call.

This module imports nothing from Datasette, so the command line can read the line installed
without loading the server.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

LINES = ("0.65", "1.0")
"""The lines of Datasette the project is tested on (CI runs the site's tests on both)."""


@cache
def datasette_version() -> str:
    try:
        return version("datasette")
    except PackageNotFoundError:
        return "0"


def is_one_point_oh(found: str | None = None) -> bool:
    """Whether ``found`` (by default the installed Datasette) is of the 1.0 line or later."""
    match = re.match(r"(\d+)", found if found is not None else datasette_version())
    return bool(match) and int(match[1]) >= 1


def line() -> str:
    """The line of the installed Datasette, as ``LINES`` names it."""
    return LINES[1] if is_one_point_oh() else LINES[0]


def server_options(metadata: Path, config: Path) -> list[str]:
    """The options giving ``datasette serve`` the project's metadata and configuration."""
    options = ["--metadata", str(metadata)]
    if is_one_point_oh():
        options += ["--config", str(config)]
    return options


def datasette_arguments(metadata: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments giving an in-process ``Datasette`` the same."""
    arguments: dict[str, Any] = {"metadata": metadata}
    if is_one_point_oh():
        arguments["config"] = config
    return arguments


def statement_runner(database: Any) -> str:
    """The name of the ``Database`` method every statement of ``database`` passes through."""
    return "_execute_fn" if hasattr(database, "_execute_fn") else "execute_fn"


def query_path(database: str, sql: str, format: str | None = None) -> str:
    """The address answering ``sql`` on ``database``, without a redirect on either line."""
    suffix = f".{format}" if format else ""
    place = f"/{database}/-/query{suffix}" if is_one_point_oh() else f"/{database}{suffix}"
    return f"{place}?{urlencode({'sql': sql})}"


async def row_page_metadata(datasette: Any, database: str, table: str) -> dict[str, Any] | None:
    """The table's metadata for its row pages on 1.0 (see above); None on 0.65, which has it."""
    if not hasattr(datasette, "get_resource_metadata"):
        return None
    return dict(await datasette.get_resource_metadata(database, table))


def listed_databases(databases_json: Any) -> list[dict[str, Any]]:
    """The databases of a parsed ``/-/databases.json``, on either line."""
    if isinstance(databases_json, dict):
        return databases_json["databases"]
    return databases_json


def http_client() -> Any:
    """The HTTP client library Datasette installs: httpx2 with 1.0, httpx with 0.65."""
    import importlib

    try:
        return importlib.import_module("httpx2")
    except ImportError:
        return importlib.import_module("httpx")


def quiet_rich(default_handler: Any) -> None:
    """Keep 0.65's default error handler from printing through rich (see above)."""
    if hasattr(default_handler, "rich"):
        default_handler.rich = None
