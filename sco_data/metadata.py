"""Datasette's metadata.yml, generated from the models so descriptions are written only once.

``python build.py metadata`` rewrites metadata.yml; a test fails when the file and the models
disagree.
"""

from __future__ import annotations

import html
import inspect
from typing import Any

import yaml

DATABASE_NAME = "sco"

_HEADER = (
    "# Generated from sco_data/models.py and sco_data/metadata.py by `python build.py metadata`.\n"
    "# Edit those, not this file: a test fails when the two disagree.\n"
)

SITE: dict[str, Any] = {
    "title": "SCO summit, Astana, 3–4 July 2024: a cited dataset",
    "description": (
        "Members, observers, attendees, meetings and quotes of the Shanghai Cooperation "
        "Organisation summit in Astana, curated by hand from five news articles. Every record "
        "cites the article line that states it: see the citations table, whose evidence stands "
        "verbatim on the cited line of the lines table."
    ),
    "license": "CC BY 4.0 (curated records); article texts remain their publishers'",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "source": "Five news articles of 3–4 July 2024 (AP, VOA, Press Association and others)",
}


def table_metadata() -> dict[str, dict[str, Any]]:
    """Each table's description and its columns' descriptions, from the SQLModel classes."""
    from sqlmodel import SQLModel

    from sco_data import models

    tables: dict[str, dict[str, Any]] = {}
    for model in _table_models(models, SQLModel):
        columns = {
            column.name: model.model_fields[column.name].description
            for column in model.__table__.columns
        }
        tables[model.__tablename__] = {
            "description": inspect.cleandoc(model.__doc__ or ""),
            "columns": columns,
        }
    tables["alembic_version"] = {"hidden": True}
    return tables


def render_metadata() -> dict[str, Any]:
    tables = table_metadata()
    return {
        **SITE,
        "description_html": _home_page_html(tables),
        "databases": {DATABASE_NAME: {"tables": tables}},
    }


def _home_page_html(tables: dict[str, dict[str, Any]]) -> str:
    """The site description, then every table linked with its description (home page)."""
    items = "".join(
        f'<li><a href="/{DATABASE_NAME}/{name}">{name}</a>: '
        f"{html.escape(table['description'])}</li>"
        for name, table in tables.items() if not table.get("hidden")
    )
    return f"<p>{html.escape(SITE['description'])}</p><ul>{items}</ul>"


def metadata_yaml() -> str:
    body = yaml.safe_dump(render_metadata(), sort_keys=False, allow_unicode=True, width=100)
    return _HEADER + body


def _table_models(models: Any, base: type) -> list[type]:
    """The table classes of ``sco_data.models``, in the order they are defined there."""
    return [
        value for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, base) and hasattr(value, "__table__")
    ]
