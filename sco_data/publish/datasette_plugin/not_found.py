"""Helpful 404s: an address naming a record, table or article that does not exist answers 404
with the closest ones that do, each a link to the page that was meant, and a link searching the
dataset for what was typed.

What is missing, by the page asked for:

=========================================  ====================================================
``/<database>/<table>/<id>`` (a row page)  the record (the closest ids of the table), or the
                                           table (the closest table names)
``/<database>/<table>`` (a table page)     the table
``/-/articles/<id>``,                      the article (the closest article ids)
``/-/articles/<a>/compare/<b>``
``/-/records/<table>/<id>.json|.bib|…``    the record, or the table (the closest tables whose
                                           records have ids)
=========================================  ====================================================

Ids are ranked by the Python API's matcher (``sco_data.api.names.close_ids``), so the site and
``sco_data.person("vladimir-putn")`` suggest the same. Only the served source database is
helped; any other keeps Datasette's own 404, as does a 404 about something else (an article
pair of two source groups, a row page in an unknown format). The answer is Datasette's own
error page, in the site's look, or for a ``.json`` address its JSON error body with
``suggestions`` and ``search_url`` added, both through Datasette's default error handler.

A Datasette route naming a table that does not exist is a missing table whatever Datasette
raised for it: 1.0 raises ``TableNotFound``; 0.65 raises ``NotFound`` for a table page but, for
a row page, runs its statement on the missing table and answers SQLite's "no such table" as a
400 "Invalid SQL".
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from datasette.utils import escape_sqlite, tilde_decode, tilde_encode, urlsafe_components
from datasette.utils.asgi import NotFound
from markupsafe import Markup

from sco_data.api.names import close_ids, did_you_mean
from sco_data.publish.datasette_plugin import cite, lookups
from sco_data.text_rules import clipped

# A table with more ids than this gets the search link only: each 404 reads its ids.
MAX_IDS = 20_000
# How much of what was typed is echoed in the page and put in the search link.
SHOWN_CHARACTERS = 80
_SEPARATORS = re.compile(r"[\s\-_~.,]+")

Answer = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class Suggestion:
    """A record, article or table that exists, close to what was typed."""

    name: str
    url: str
    label: str | None = None


@dataclass(frozen=True)
class Miss:
    """What an address names that does not exist, and where to go instead."""

    kind: str  # "record", "table" or "article"
    typed: str
    place: str  # where it was looked for: a table, a database, the list of articles
    place_url: str
    suggestions: list[Suggestion]
    search_url: str
    query: str  # what the search link searches for

    @property
    def title(self) -> str:
        return f"{self.kind.capitalize()} not found"

    @property
    def suggestion_key(self) -> str:
        return "table" if self.kind == "table" else "id"


def answer(datasette: Any, request: Any, exception: Exception) -> Answer | None:
    """For ``handle_exception``: when ``exception`` may be a 404 for a mistyped record, table
    or article of the source database, a coroutine function giving the 404 with suggestions
    (or None when nothing is missing after all); else None, at once."""
    if request is None or request.method not in ("GET", "HEAD") or not _may_be_missing(
            exception):
        return None
    if not {"record_id", "article_id", "table"} & set(request.url_vars):
        return None

    async def respond() -> Any:
        try:
            miss = await find(datasette, request)
        except Exception:  # a suggestion is a courtesy: failing to find one leaves the 404
            return None
        if miss is None:
            return None
        import datasette.handle_exception as default_handler

        replacement = error(miss, as_json=request.path.split("?")[0].endswith(".json"))
        return await default_handler.handle_exception(datasette=datasette, request=request,
                                                      exception=replacement)()

    return respond


def _may_be_missing(exception: Exception) -> bool:
    from datasette.views.base import DatasetteError

    if isinstance(exception, NotFound):
        return True
    # Datasette 0.65's row page of a missing table (see above).
    return isinstance(exception, DatasetteError) and str(exception.message).startswith(
        "no such table: ")


async def find(datasette: Any, request: Any) -> Miss | None:
    """What the request's address names that does not exist, with suggestions; None when
    everything it names exists (the 404 is about something else) or it is not about the
    source database."""
    db = await lookups.source_database(datasette)
    if db is None:
        return None
    found = request.url_vars
    if "record_id" in found:
        return await _record_source_miss(datasette, db, found)
    if "article_id" in found:
        return await _article_miss(datasette, db, found)
    if "database" in found:
        return await _datasette_miss(datasette, db, found)
    return None


def error(miss: Miss, as_json: bool) -> Exception:
    """The 404 Datasette's default handler renders: HTML with links, or JSON with the same
    suggestions beside a plain message."""
    from datasette.views.base import DatasetteError

    plain = plain_message(miss)
    replacement = DatasetteError(plain if as_json else str(html_message(miss)), title=miss.title,
                                 error_dict=json_details(miss), status=404,
                                 message_is_html=not as_json)
    # Datasette 1.0 answers JSON and CSV with the plain message; 0.65 reads no such attribute.
    replacement.plain_message = plain
    return replacement


def html_message(miss: Miss) -> Markup:
    """The error's text for the page; every value is escaped."""
    parts = [Markup('<p>There is no {} <code>{}</code> in <a href="{}">{}</a>.</p>').format(
        miss.kind, _shown(miss.typed), miss.place_url, miss.place)]
    if miss.suggestions:
        items = Markup("").join(
            Markup('<li><a href="{}">{}</a>{}</li>').format(
                suggestion.url, suggestion.name,
                Markup(": {}").format(suggestion.label) if suggestion.label else "")
            for suggestion in miss.suggestions)
        parts.append(Markup("<p>Did you mean:</p><ul>{}</ul>").format(items))
    searched = Markup(" for “{}”").format(miss.query) if miss.query else ""
    parts.append(Markup('<p><a href="{}">Search the dataset{}</a></p>').format(
        miss.search_url, searched))
    return Markup("").join(parts)


def plain_message(miss: Miss) -> str:
    """The error's text for JSON, worded as the Python API words an unknown id."""
    names = [suggestion.name for suggestion in miss.suggestions]
    return f"There is no {miss.kind} {clipped(miss.typed)} in {miss.place}{did_you_mean(names)}"


def json_details(miss: Miss) -> dict[str, Any]:
    return {
        "suggestions": [{miss.suggestion_key: suggestion.name, "label": suggestion.label,
                         "url": suggestion.url} for suggestion in miss.suggestions],
        "search_url": miss.search_url,
    }


def readable(typed: str) -> str:
    """What was typed as words to search for: ``vladimir-putn`` is ``vladimir putn``."""
    return _SEPARATORS.sub(" ", typed[:SHOWN_CHARACTERS]).strip()


def search_url(datasette: Any, typed: str) -> str:
    query = readable(typed)
    url = datasette.urls.path("/-/search")
    return url + "?" + urlencode({"q": query}) if query else url


async def _datasette_miss(datasette: Any, db: Any, found: dict[str, str]) -> Miss | None:
    """A row or table page of the source database naming a table or row that is not there."""
    try:
        asked = datasette.get_database(route=tilde_decode(found["database"]))
    except KeyError:
        return None
    if asked.name != db.name:
        return None
    table, format = tilde_decode(found["table"]), found.get("format")
    known_format = format in _formats(datasette)
    if "pks" not in found:
        # The table route stops a name at its first dot: "a.b" is asked for as "a" in format b.
        typed = table if known_format or not format else f"{table}.{format}"
        link_format = format if known_format else None
        if await _has_table(db, table):
            return None

        async def table_page(name: str) -> str:
            return _table_url(datasette, db, name, link_format)
        return await _table_miss(datasette, db, typed, await _tables(db), table_page)
    record_id = ",".join(urlsafe_components(found["pks"]))
    # The row route stops an id at its first dot too: "status.attended" is asked for as
    # "status" in format "attended", so the whole of it is matched.
    typed = record_id if known_format or not format else f"{record_id}.{format}"
    link_format = format if known_format else None
    if not await _has_table(db, table):
        async def same_row(name: str) -> str:
            if await _record_exists(db, name, typed):
                return _row_url(datasette, db, name, typed, link_format)
            return _table_url(datasette, db, name, None)
        return await _table_miss(datasette, db, table, await _tables(db), same_row)
    key = await _single_key(db, table)
    if key is None or await _record_exists(db, table, record_id, key):
        return None
    return await _record_miss(datasette, db, table, typed, key,
                              lambda name: _row_url(datasette, db, table, name, link_format))


async def _article_miss(datasette: Any, db: Any, found: dict[str, str]) -> Miss | None:
    """An article page, or two articles compared, naming an article that is not there."""
    ids = [tilde_decode(found[key]) for key in ("article_id", "other_id") if key in found]
    known = [row["id"] for row in (await db.execute("select id from articles")).rows]
    missing = [index for index, article_id in enumerate(ids) if article_id not in known]
    if not missing:
        return None
    which = missing[0]

    def url(name: str) -> str:
        if len(ids) == 1:
            return lookups.article_url(datasette, name)
        chosen = [*ids[:which], name, *ids[which + 1:]]
        return lookups.compare_url(datasette, chosen[0], chosen[1])

    typed = ids[which]
    suggestions = [Suggestion(name, url(name), await lookups.label_of(db, "articles", name))
                   for name in close_ids(typed, known)]
    return Miss("article", typed, "the articles", datasette.urls.path("/-/articles"),
                suggestions, search_url(datasette, typed), readable(typed))


async def _record_source_miss(datasette: Any, db: Any, found: dict[str, str]) -> Miss | None:
    """``/-/records/<table>/<id>.<format>`` naming a table of records, or a record, that is not
    there (``cite.record_page`` takes tables whose records have an ``id``)."""
    table, record_id = tilde_decode(found["table"]), tilde_decode(found["record_id"])
    format = found["format"]
    if await _record_exists(db, table, record_id):
        return None
    if not await _has_table(db, table) or "id" not in await db.table_columns(table):
        async def same_record(name: str) -> str:
            if await _record_exists(db, name, record_id):
                return cite.record_url(datasette, name, record_id, format)
            return _table_url(datasette, db, name, None)
        with_ids = [name for name in await _tables(db) if "id" in await db.table_columns(name)]
        return await _table_miss(datasette, db, table, with_ids, same_record)
    return await _record_miss(datasette, db, table, record_id, "id",
                              lambda name: cite.record_url(datasette, table, name, format))


async def _record_miss(datasette: Any, db: Any, table: str, typed: str, key: str,
                       url: Callable[[str], str]) -> Miss:
    ids = await _ids(db, table, key)
    suggestions = [Suggestion(name, url(name), await lookups.label_of(db, table, name))
                   for name in close_ids(typed, ids)]
    return Miss("record", typed, table, datasette.urls.table(db.name, table), suggestions,
                search_url(datasette, typed), readable(typed))


async def _table_miss(datasette: Any, db: Any, typed: str, known: list[str],
                      url: Callable[[str], Awaitable[str]]) -> Miss:
    """``url`` gives a suggested table's link: the same record in it where it has one."""
    suggestions = [Suggestion(name, await url(name)) for name in close_ids(typed, known)]
    return Miss("table", typed, db.name, datasette.urls.database(db.name), suggestions,
                search_url(datasette, typed), readable(typed))


def _formats(datasette: Any) -> set[str]:
    """The formats Datasette answers a table or row page in, besides HTML."""
    return {"csv", *datasette.renderers}


async def _tables(db: Any) -> list[str]:
    """The tables and views a reader browses: not the full-text indexes' own tables."""
    hidden = set(await db.hidden_table_names())
    return [name for name in await db.table_names() if name not in hidden] + list(
        await db.view_names())


async def _has_table(db: Any, table: str) -> bool:
    return table in await db.table_names() or table in await db.view_names()


async def _single_key(db: Any, table: str) -> str | None:
    """The table's primary key when it is one column: a row page's address is its value."""
    keys = await db.primary_keys(table)
    return keys[0] if len(keys) == 1 else None


async def _record_exists(db: Any, table: str, record_id: str, key: str = "id") -> bool:
    # Table and column names come from the schema, never from the request, before they are
    # put into SQL.
    if table not in await db.table_names() or key not in await db.table_columns(table):
        return False
    result = await db.execute(
        f"select 1 from {escape_sqlite(table)} where {escape_sqlite(key)} = :id limit 1",
        {"id": record_id})
    return bool(result.rows)


async def _ids(db: Any, table: str, key: str) -> list[str]:
    """The table's ids, or none when it has more than ``MAX_IDS``."""
    result = await db.execute(
        f"select {escape_sqlite(key)} from {escape_sqlite(table)} "
        f"where {escape_sqlite(key)} is not null limit {MAX_IDS + 1}")
    if len(result.rows) > MAX_IDS:
        return []
    return [str(row[0]) for row in result.rows]


def _row_url(datasette: Any, db: Any, table: str, record_id: str, format: str | None) -> str:
    return datasette.urls.row(db.name, table, tilde_encode(record_id), format=format)


def _table_url(datasette: Any, db: Any, table: str, format: str | None) -> str:
    return datasette.urls.table(db.name, table, format=format)


def _shown(typed: str) -> str:
    return typed if len(typed) <= SHOWN_CHARACTERS else typed[:SHOWN_CHARACTERS] + "…"
