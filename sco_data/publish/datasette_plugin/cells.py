"""Table and query cells that lead back to the articles: cited lines, record links.

Each rule is checked cheaply first; only a matching cell pays for the (async) lookups.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from markupsafe import Markup

from sco_data.publish.datasette_plugin import lookups
from sco_data.publish.datasette_plugin.highlight import Span, marked

Render = Callable[[], Awaitable[Markup | None]]

# In query results, a column named like these holds the id of a row of that table.
QUERY_ID_COLUMNS = {
    "quote_id": "quotes",
    "meeting_id": "meetings",
    "person_id": "people",
    "attendee_id": "attendees",
    "discrepancy_id": "discrepancies",
    "citation_id": "citations",
    "article_id": "articles",
}
RECORD_LINK_TABLES = {"citations", "discrepancies", "not_cited"}  # record_id names any record
# What a citations row needs (a page may hide columns) to show its line with the evidence marked.
CITATION_COLUMNS = {"id", "article_id", "line", "line_id", "char_start", "char_end"}


def render(row: Any, value: Any, column: str, table: str | None, database: str,
           datasette: Any) -> Render | None:
    """A coroutine function rendering this cell, or None to leave it to Datasette."""
    # Datasette hands a table page's keys over expanded, a row page's as they are.
    line_id = plain(value)
    line = lookups.LINE_ID.match(line_id) if isinstance(line_id, str) else None
    if table is not None and column == "line_id" and line:
        # "L35": the record's article and line stand beside it; the whole id is the tooltip.
        url = lookups.row_url(datasette, database, "lines", line_id)
        return _checked(datasette, database, _now(link(url, f"L{line['line']}",
                                                         title=line_id)))
    if table is not None and isinstance(value, str) and value:
        # A foreign key Datasette did not expand (a row page, or a table without labels).
        other = lookups.foreign_key_target(datasette, database, table, column)
        if other is not None:
            return lambda: _foreign_key(datasette, database, other, value)
    if table is not None and isinstance(value, dict) and value.get("label") and isinstance(
            value.get("value"), str):
        # An expanded foreign key: its label alone, the id in its tooltip and link. Datasette
        # adds the id after the label, which doubled the width of every such column.
        other = lookups.foreign_key_target(datasette, database, table, column)
        if other is not None:
            url = lookups.row_url(datasette, database, other, value["value"])
            return _checked(datasette, database, _now(link(url, value["label"],
                                                             title=value["value"])))
    value = plain(value)
    keys = set(row.keys())
    if table is None:
        rule = _query_cell(row, value, column, database, datasette, keys)
    else:
        rule = _table_cell(row, value, column, table, database, datasette, keys)
    if rule is None:
        return None
    return _checked(datasette, database, rule)


def _checked(datasette: Any, database: str, rule: Render) -> Render:
    """``rule``, on the databases the plugin serves (articles, lines, citations) only."""
    async def checked() -> Markup | None:
        if not await lookups.is_source_database(datasette, database):
            return None
        return await rule()

    return checked


def _table_cell(row: Any, value: Any, column: str, table: str, database: str, datasette: Any,
                keys: set[str]) -> Render | None:
    if table == "citations" and column == "evidence" and keys >= CITATION_COLUMNS:
        return lambda: _evidence_in_line(row, database, datasette)
    if column == "record_id" and table in RECORD_LINK_TABLES and "record_table" in keys:
        return _now(link(lookups.row_url(datasette, database, plain(row["record_table"]), value),
                         value))
    if column == "line" and isinstance(value, int) and "article_id" in keys:
        citation = plain(row["id"]) if table == "citations" and "id" in keys else None
        url = lookups.article_url(datasette, plain(row["article_id"]), value, citation)
        return _now(link(url, value, title=f"Read line {value} in the article"))
    if column == "first_line" and isinstance(value, int) and "first_article_id" in keys:
        url = lookups.article_url(datasette, plain(row["first_article_id"]), value)
        return _now(link(url, value, title=f"Read line {value} in the article"))
    if table == "articles" and column == "title" and "id" in keys:
        return _now(link(lookups.article_url(datasette, plain(row["id"])), value,
                         title="Read the article, line by line"))
    return None


def _query_cell(row: Any, value: Any, column: str, database: str, datasette: Any,
                keys: set[str]) -> Render | None:
    if column == "line" and isinstance(value, int) and "article_id" in keys and row["article_id"]:
        url = lookups.article_url(datasette, plain(row["article_id"]), value)
        return _now(link(url, value, title=f"Read line {value} in the article"))
    if not isinstance(value, str) or not value:
        return None
    if column == "line_id":
        match = lookups.LINE_ID.match(value)
        if match:
            url = lookups.article_url(datasette, match["article"], int(match["line"]))
            return _now(link(url, value, title="Read this line in the article"))
    if column == "record_id" and "record_table" in keys and row["record_table"]:
        return _now(link(lookups.row_url(datasette, database, row["record_table"], value), value))
    if column == "participants" and "participant_ids" in keys and row["participant_ids"]:
        return _now(_people_links(datasette, database, value, row["participant_ids"]))
    if column in QUERY_ID_COLUMNS:
        return _now(link(lookups.row_url(datasette, database, QUERY_ID_COLUMNS[column], value),
                         value))
    return None


async def _foreign_key(datasette: Any, database: str, other: str, value: str) -> Markup:
    """A link to the key's row, showing the row's label, the id in its tooltip: as expanded
    keys show on table pages."""
    url = lookups.row_url(datasette, database, other, value)
    label = await lookups.label_of(datasette.get_database(database), other, value)
    if label is None or label == value:
        return link(url, value)
    return link(url, label, title=value)


def _people_links(datasette: Any, database: str, names: str, ids: str) -> Markup:
    """"A; B" beside "a-id; b-id" (in the same order) as links to the people's rows."""
    pairs = zip(names.split("; "), ids.split("; "), strict=False)
    return Markup("; ").join(
        link(lookups.row_url(datasette, database, "people", person_id), name)
        for name, person_id in pairs)


async def _evidence_in_line(row: Any, database: str, datasette: Any) -> Markup | None:
    text = await lookups.line_text(datasette.get_database(database), plain(row["line_id"]))
    if text is None:
        return None
    html = marked(text, [Span(row["char_start"], row["char_end"])])
    article_id, line = plain(row["article_id"]), row["line"]
    url = lookups.article_url(datasette, article_id, line, plain(row["id"]))
    return Markup('<span class="sco-cited-line">{}</span> {}').format(
        html, link(url, f"line {line} in the article"))


def link(url: str, text: Any, title: str | None = None) -> Markup:
    if title:
        return Markup('<a href="{}" title="{}">{}</a>').format(url, title, text)
    return Markup('<a href="{}">{}</a>').format(url, text)


def plain(value: Any) -> Any:
    """A cell's value; Datasette hands expanded foreign keys over as {"value", "label"}."""
    return value["value"] if isinstance(value, dict) and "value" in value else value


def _now(markup: Markup) -> Render:
    async def ready() -> Markup:
        return markup

    return ready
