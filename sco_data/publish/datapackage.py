"""The release's datapackage.json: a Frictionless Data Package describing every CSV file.

Field names, types, descriptions, primary and foreign keys come from the SQLModel tables (the
same descriptions Datasette shows), so the descriptor cannot drift from the schema.
"""

from __future__ import annotations

import enum
import typing
from typing import Any

from sco_data.publish.bibliography import ArticleRef, source_citation
from sco_data.publish.metadata import INTERNAL_COLUMNS, SITE, table_metadata, table_models

LICENSES = [
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 (the curated records)",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
]
TEXTS_NOTE = "The article texts in the lines table remain their publishers'."
# Data Package v2 (frictionless validates it): each descriptor names its profile.
PROFILES = {name: f"https://datapackage.org/profiles/2.0/{name}.json"
            for name in ("datapackage", "dataresource", "tableschema")}


def descriptor(version: str, articles: list[dict[str, Any]],
               files: dict[str, tuple[int, str]], lock: tuple[str, str]) -> dict[str, Any]:
    """The package: ``files`` maps each CSV's path to its size in bytes and SHA-256; ``lock``
    is the lock file's name and SHA-256 (the exact versions it was built with)."""
    described = table_metadata()
    resources = [
        _resource(model, described[model.__tablename__], files[csv_path(model.__tablename__)])
        for model in table_models()
    ]
    return {
        "$schema": PROFILES["datapackage"],
        "name": "sco-data",
        "title": SITE["title"],
        "description": f"{SITE['description']} {TEXTS_NOTE}",
        "version": version,
        "licenses": LICENSES,
        "sources": [_source(article) for article in articles],
        "resources": resources,
        "lock": {"path": lock[0], "hash": f"sha256:{lock[1]}"},
    }


def csv_path(table: str) -> str:
    return f"csv/{table}.csv"


def nullable_table(model: Any) -> bool:
    """Whether any column may be NULL: an empty CSV field then means NULL (missingValues)."""
    return any(column.nullable for column in model.__table__.columns)


def _resource(model: Any, described: dict[str, Any], file: tuple[int, str]) -> dict[str, Any]:
    table = model.__table__
    size, sha256 = file
    return {
        "name": table.name,
        "path": csv_path(table.name),
        "type": "table",
        "$schema": PROFILES["dataresource"],
        "title": table.name,
        "description": described["description"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": size,
        "hash": f"sha256:{sha256}",
        "schema": {
            "$schema": PROFILES["tableschema"],
            "fields": [_field(model, column, described["columns"][column.name])
                       for column in table.columns if column.name not in INTERNAL_COLUMNS],
            "primaryKey": [column.name for column in table.primary_key.columns],
            "foreignKeys": [
                {"fields": key.parent.name,
                 "reference": {"resource": "" if key.column.table is table
                               else key.column.table.name, "fields": key.column.name}}
                for key in sorted(table.foreign_keys, key=lambda key: key.parent.name)
            ],
            # A table with no nullable column has no missing values: its "" is text.
            "missingValues": [""] if nullable_table(model) else [],
        },
    }


def field_type(column: Any) -> str:
    """The Table Schema type of a column: boolean, integer or string."""
    from sqlalchemy import Boolean, Integer

    if isinstance(column.type, Boolean):
        return "boolean"
    return "integer" if isinstance(column.type, Integer) else "string"


def _field(model: Any, column: Any, description: str) -> dict[str, Any]:
    kind = field_type(column)
    field: dict[str, Any] = {"name": column.name, "type": kind, "description": description}
    if kind == "boolean":
        field |= {"trueValues": ["true"], "falseValues": ["false"]}
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    if column.primary_key:
        constraints["unique"] = True
    choices = _choices(model.model_fields[column.name].annotation)
    if choices:
        constraints["enum"] = choices
    if constraints:
        field["constraints"] = constraints
    return field


def _choices(annotation: Any) -> list[str]:
    """The allowed values of an enum-typed column (optional or not)."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return [member.value for member in candidate]
    return []


def _source(article: dict[str, Any]) -> dict[str, str]:
    """An article: cited as the record citations cite it (who wrote and published it, its
    title and date), its file and checksum, and where its text ships in the release (the rows
    of ``lines`` that carry its id)."""
    cited = source_citation(ArticleRef(
        article["id"], article["title"], article["publisher"], article.get("byline"),
        article["published"], article.get("published_precision")))
    return {"title": f'{cited}, {article["file"]}, sha256 {article["sha256"]}; its text: the '
                     f'rows of csv/lines.csv with article_id {article["id"]}',
            "path": csv_path("lines")}
