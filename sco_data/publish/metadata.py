"""Datasette's metadata.yml and datasette.yaml, generated from the models so descriptions are
written only once.

Datasette 0.65 reads everything from the metadata: descriptions, licence, and how each table
opens (label column, sort, facets, full-text search, hidden) and the saved queries. Datasette 1.0
reads only descriptions and licences from it, and the rest from a configuration file,
datasette.yaml (``datasette_compat`` picks the files for the installed line). So the metadata
keeps everything, which 0.65 needs and 1.0 accepts, and the configuration repeats, from the same
tables below, what 1.0 reads only there. Datasette 1.0 also no longer lets a table inherit the
site's licence and source, so each database and table states them.

``python build.py metadata`` rewrites both files; a test fails when a file and the models
disagree.
"""

from __future__ import annotations

import html
import inspect
from typing import Any

import yaml

from sco_data import __version__
from sco_data.publish.canned_queries import CANNED_QUERIES

DATABASE_NAME = "sco"
ARTICLES_PAGE = "/-/articles"
COVERAGE_PAGE = "/-/coverage"

_HEADER = (
    "# Generated from sco_data/models.py and sco_data/publish/metadata.py\n"
    "# by `python build.py metadata`.\n"
    "# Edit those, not this file: a test fails when the two disagree.\n"
)
_CONFIG_HEADER = _HEADER + (
    "# Datasette 1.0 reads how tables open and the saved queries from here, 0.65 from\n"
    "# metadata.yml: datasette -m metadata.yml -c datasette.yaml\n"
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
    # The articles table, not the package's /-/articles: the release served by plain Datasette
    # has no such page, and every page links the source.
    "source_url": f"/{DATABASE_NAME}/articles",
    "about": (f"sco_data {__version__}: the citations table gives every row's sources, the "
              "article line and the exact words"),
}

# The pages the package's Datasette plugin adds, as the home page names them. Plain Datasette
# serving the release has none of them: the home page links them only when they exist
# (the plugin's index.html), and otherwise says what installing the package adds.
PACKAGE_PAGES = (
    (ARTICLES_PAGE, "The articles",
     "line by line, every cited line marked"),
    (COVERAGE_PAGE, "Coverage",
     "per article, the lines the records cite and the statements they leave uncited"),
    ("/-/search", "Search", "a name finds what its bearer said and did"),
    ("/-/network", "Who met whom", "people and their meetings as a network"),
    ("/-/timeline", "Timeline", "the meetings on a date axis"),
)
# The home page's paragraph that plain Datasette shows and the plugin leaves out.
PACKAGE_NOTE_CLASS = "sco-package-note"

# The column that names a row: Datasette shows it for foreign keys, the article pages beside
# each record citing a line.
RECORD_LABELS: dict[str, str] = {
    # An article's short label ("AP 3 July"): a foreign-key cell holding the whole headline
    # made every row of a table several lines tall.
    "articles": "label",
    "countries": "name",
    "organizations": "name",
    "people": "name",
    "aliases": "name",
    "organization_aliases": "name",
    "country_aliases": "name",
    "meetings": "title",
    "quotes": "text",
    "meeting_facts": "value",
    "discrepancies": "description",
    "source_groups": "name",
}

# Columns the build fills for its own use, not data: ``listing_order`` numbers the rows in the
# order their table opens in. The site's pages do not show them; the release's CSV, JSON and
# Parquet leave them out (its sco.db keeps them, so its tables open in that order).
INTERNAL_COLUMNS = ("listing_order",)

# How each table opens in Datasette: the facets and the order a reader of it would want.
TABLE_VIEWS: dict[str, dict[str, Any]] = {
    "articles": {"sort": "published"},
    "lines": {"facets": ["article_id"]},
    "countries": {"sort": "name"},
    "organizations": {"sort": "name", "facets": ["kind"]},
    "people": {"sort": "name", "facets": ["country_id", "organization_id"]},
    "aliases": {"facets": ["person_id"]},
    "members": {"sort": "joined", "facets": ["founding", "joined"]},
    "observers": {"facets": ["status"]},
    "meetings": {"sort": "listing_order", "facets": ["kind", "status", "place_name"]},
    "meeting_participants": {"facets": ["meeting_id", "person_id"]},
    "attendees": {"sort": "listing_order", "facets": ["attendance", "country_id"]},
    "quotes": {"sort": "listing_order", "facets": ["person_id", "organization_id", "meeting_id"]},
    "meeting_facts": {"facets": ["aspect", "meeting_id"]},
    "discrepancies": {"facets": ["record_table"]},
    "citations": {"facets": ["record_table", "article_id"]},
    "organization_aliases": {"facets": ["organization_id"]},
    "country_aliases": {"facets": ["country_id"]},
    "not_cited": {"facets": ["record_table", "article_id"]},
    "quoted_spans": {"facets": ["article_id", "reason"]},
    "source_groups": {"sort_desc": "articles"},
    "line_groups": {"facets": ["kind", "article_id"]},
    "sentence_groups": {"facets": ["kind", "article_id"]},
    "corroboration": {"facets": ["independent_sources", "record_table", "articles"]},
    "statements": {"facets": ["record_table", "field", "rule"]},
    "lexicon": {"facets": ["field", "value"]},
}

# Appended to the description of every claim column: where its value's source is.
CLAIM_NOTE = ("A claim: the statements table gives the cited line that states each value, and "
              "the rule that found it there or the curator's reason.")

# Facets list this many values each (a link shows the rest): five keep the rows in the first
# screen of a 1000-pixel-high window, where Datasette's default of 30 pushed them below it.
FACET_SIZE = 5

# Full-text search boxes, on the indexes the build creates.
SEARCHABLE: dict[str, str] = {"lines": "lines_fts", "quotes": "quotes_fts"}


# What Datasette 1.0 no longer passes from the site to its databases and tables.
PROVENANCE = ("license", "license_url", "source", "source_url", "about")
# The table keys Datasette 1.0 reads from its configuration file, not from metadata.
TABLE_CONFIG_KEYS = ("hidden", "sort", "sort_desc", "size", "sortable_columns", "label_column",
                     "facets", "facet_size", "fts_table", "fts_pk", "searchmode")


def table_metadata() -> dict[str, dict[str, Any]]:
    """Each table's description and its columns' descriptions, from the SQLModel classes."""
    from sco_data.models import RECORD_KINDS

    claims = {kind.table: kind.record.CLAIMS for kind in RECORD_KINDS}  # type: ignore[attr-defined]
    tables: dict[str, dict[str, Any]] = {}
    for model in table_models():
        name = model.__tablename__
        columns = {
            column.name: _describe(model.model_fields[column.name].description,
                                   column.name in claims.get(name, ()))
            for column in model.__table__.columns
        }
        tables[name] = {
            "description": inspect.cleandoc(model.__doc__ or ""),
            **_provenance(),
            "columns": columns,
            **_view_of(name),
        }
    tables["alembic_version"] = {"hidden": True}
    return tables


def _provenance() -> dict[str, str]:
    return {key: SITE[key] for key in PROVENANCE}


def _describe(description: str | None, claim: bool) -> str | None:
    return f"{description}. {CLAIM_NOTE}" if claim and description else description


def _view_of(table: str) -> dict[str, Any]:
    view: dict[str, Any] = {}
    if table in RECORD_LABELS:
        view["label_column"] = RECORD_LABELS[table]
    view.update(TABLE_VIEWS.get(table, {}))
    if "facets" in view:
        view["facet_size"] = FACET_SIZE
    if table in SEARCHABLE:
        view.update({"fts_table": SEARCHABLE[table], "fts_pk": "rowid"})
    return view


def canned_queries() -> dict[str, dict[str, Any]]:
    return {
        # The SQL stays one click away ("Show SQL"): the page opens with its parameters and rows.
        name: {**query, "sql": query["sql"].strip() + "\n", "hide_sql": True}
        for name, query in CANNED_QUERIES.items()
    }


def render_metadata() -> dict[str, Any]:
    """Everything, as Datasette 0.65 reads it; Datasette 1.0 takes its descriptions."""
    tables = table_metadata()
    return {
        **SITE,
        "description_html": _home_page_html(tables),
        "databases": {DATABASE_NAME: {**_provenance(), "tables": tables,
                                      "queries": canned_queries()}},
    }


def render_config() -> dict[str, Any]:
    """What Datasette 1.0 reads only from its configuration: how each table opens, which are
    hidden, and the saved queries. The same values as in ``render_metadata``."""
    tables = {
        name: {key: value for key, value in table.items() if key in TABLE_CONFIG_KEYS}
        for name, table in table_metadata().items()
    }
    return {"databases": {DATABASE_NAME: {
        "tables": {name: view for name, view in tables.items() if view},
        "queries": canned_queries(),
    }}}



def _home_page_html(tables: dict[str, dict[str, Any]]) -> str:
    """The home page: what the dataset is, where to start, every table and every question."""
    items = "".join(
        f'<li><a href="/{DATABASE_NAME}/{name}">{name}</a>: '
        f"{html.escape(table['description'])}</li>"
        for name, table in tables.items() if not table.get("hidden")
    )
    questions = "".join(
        f'<li><a href="/{DATABASE_NAME}/{name}">{html.escape(query["title"])}</a></li>'
        for name, query in CANNED_QUERIES.items()
    )
    start = (
        f'<p>Start with the <a href="/{DATABASE_NAME}/quotes">quotes</a>, the '
        f'<a href="/{DATABASE_NAME}/attendees">attendees</a> or the '
        f'<a href="/{DATABASE_NAME}/meetings">meetings</a>: each row names its primary source '
        f'(<code>article_id</code> and <code>line</code>), and the '
        f'<a href="/{DATABASE_NAME}/citations">citations</a> table gives all its sources, each '
        "with the exact words on the line.</p>"
    )
    adds = "; ".join(f"{html.escape(title.lower())} (<code>{path}</code>): {html.escape(what)}"
                     for path, title, what in PACKAGE_PAGES)
    # Plain Datasette shows this; the plugin's home page links the pages instead.
    note = (
        f'<p class="{PACKAGE_NOTE_CLASS}">Installing the package (<code>pip install '
        "sco-data</code>) adds to this same site: "
        f"{adds}; and on every row's page, its sources with the cited words highlighted and a "
        "citation to copy.</p>"
    )
    return (
        f"<p>{html.escape(SITE['description'])}</p>{start}{note}"
        f"<h2>Questions</h2><ul>{questions}</ul><h2>Tables</h2><ul>{items}</ul>"
    )


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text (the canned queries' SQL) as readable literal blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def metadata_yaml() -> str:
    return _HEADER + _dump(render_metadata())


def config_yaml() -> str:
    return _CONFIG_HEADER + _dump(render_config())


def release_config_yaml() -> str:
    """The release's datasette.yaml: the same configuration, headed by how to use it."""
    return ("# Datasette 1.0 reads how the tables of sco.db open and its saved queries from\n"
            "# here: datasette sco.db -m metadata.json -c datasette.yaml\n"
            "# (Datasette 0.65 reads them from metadata.json: datasette sco.db -m metadata.json)\n"
            + _dump(render_config()))


def _dump(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def table_models() -> list[Any]:
    """The table classes of ``sco_data.models``, in the order they are defined there."""
    from sqlmodel import SQLModel

    from sco_data import models

    return [
        value for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, SQLModel) and hasattr(value, "__table__")
    ]
