"""What one request to the site may ask, checked before Datasette reads it, and how long it may
take.

Datasette 0.65 parses a query string in time that grows with the square of its parameters
(6,000 parameters took 40 s of the event loop, stalling every other request, cached pages
included), runs one query per ``_facet``, and answers methods it has no view for, or a NUL
character in a parameter, with a 500. So every request is checked first, by size alone, and
refused with its status and a message naming the limit and its value:

- a method other than GET or HEAD: 405, with ``Allow`` (the site is read-only: no page of it,
  nor any Datasette page it uses, takes a POST);
- a URL over ``MAX_URL_BYTES``: 414;
- more than ``MAX_HEADERS`` headers, or over ``MAX_HEADER_BYTES`` of them: 431;
- more than ``MAX_QUERY_PARAMETERS`` parameters, more than ``MAX_FACETS`` facets, a NUL
  character, or a parameter Datasette could not read (``table_parameters``): 400.

A request that passes runs under ``REQUEST_DEADLINE_S``: at the deadline it is stopped and
answered 503 (or, when its answer has begun, ended). A request carrying SQL of the reader's own
is marked (``sql_threads.READER_SQL``) so its statements take their share of the SQL threads
only.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from sco_data.publish.datasette_plugin import table_parameters
from sco_data.publish.datasette_plugin.sql_threads import READER_SQL

ALLOWED_METHODS = ("GET", "HEAD")
"""The methods the site answers: it is read-only and immutable."""

MAX_URL_BYTES = 8_192
"""The longest path and query string together, in bytes as sent: room for a saved query's SQL
typed into the query box (sent in the URL), as most servers and proxies allow."""

MAX_QUERY_PARAMETERS = 100
"""The most query parameters one request may carry: a table page with every filter, facet and
sort a reader can pick uses a few dozen; 100 parse in a few milliseconds, 6,000 took 40 s."""

MAX_FACETS = 10
"""The most ``_facet``, ``_facet_array`` and ``_facet_date`` parameters together: each runs a
query over the filtered table (200 of them took 10 s)."""

MAX_HEADERS = 64
"""The most request headers; a browser sends about a dozen."""

MAX_HEADER_BYTES = 8_192
"""The most bytes of request headers, names and values together; a browser sends under 2 KB."""

REQUEST_DEADLINE_S = 10.0
"""The longest one request may take, waiting included: a page runs several statements, each
stopped at the SQL time limit (2 s as ``python build.py serve`` sets it), and under a load of
32 clients whose every page is rendered (none from the page cache) the slowest page, the home
page, took up to 4.6 s on two cores."""

# Parameters whose value is SQL of the reader's own.
_READER_SQL_PARAMETERS = frozenset({"sql", "_where"})
_FACET_PARAMETERS = frozenset({"_facet", "_facet_array", "_facet_date"})

Scope = dict[str, Any]
Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Any, Send], Awaitable[None]]


@dataclass(frozen=True)
class Refusal:
    """A request refused before Datasette reads it: its status, and why."""

    status: int
    message: str
    headers: tuple[tuple[bytes, bytes], ...] = ()


class RequestGuard:
    """An ASGI wrapper that refuses oversized or malformed requests and bounds the rest in
    time."""

    def __init__(self, app: App, deadline_s: float = REQUEST_DEADLINE_S):
        self.app = app
        self.deadline_s = deadline_s

    async def __call__(self, scope: Scope, receive: Any, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        found = refusal(scope)
        if found is not None:
            await answer(send, scope, found)
            return
        token = READER_SQL.set(carries_reader_sql(scope))
        try:
            await self._within_deadline(scope, receive, send)
        finally:
            READER_SQL.reset(token)

    async def _within_deadline(self, scope: Scope, receive: Any, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.deadline_s):
                await self.app(scope, receive, tracked)
        except TimeoutError:
            if started:  # the answer has begun: end it where it stands
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await answer(send, scope, Refusal(503, (
                    f"the request took longer than the limit of {self.deadline_s:g} s per "
                    "request and was stopped: ask for less (fewer rows, facets or joins) or a "
                    "simpler query"), ((b"retry-after", b"5"),)))


def refusal(scope: Scope) -> Refusal | None:
    """Why the request must be refused before Datasette reads it, or None."""
    method = scope.get("method", "GET")
    if method not in ALLOWED_METHODS:
        return Refusal(405, f"{method} is not allowed: this site is read-only, read it with "
                            f"{' or '.join(ALLOWED_METHODS)}",
                       ((b"allow", ", ".join(ALLOWED_METHODS).encode()),))
    return _size_refusal(scope) or _parameter_refusal(scope)


def carries_reader_sql(scope: Scope) -> bool:
    """Whether the query string holds SQL of the reader's own (``sql=``, ``_where=``)."""
    query: bytes = scope.get("query_string", b"")
    return any(name in _READER_SQL_PARAMETERS for name, _ in _parameters(query))


async def answer(send: Send, scope: Scope, refused: Refusal) -> None:
    """Send ``refused`` as the response: JSON like Datasette's errors for a ``.json`` path,
    else plain text."""
    if scope.get("path", "").endswith(".json"):
        body = json.dumps({"ok": False, "error": refused.message, "status": refused.status,
                           "title": None}).encode()
        kind = b"application/json; charset=utf-8"
    else:
        body = (refused.message + "\n").encode()
        kind = b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
               *refused.headers]
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body",
                "body": b"" if scope.get("method") == "HEAD" else body})


def _size_refusal(scope: Scope) -> Refusal | None:
    path: bytes = scope.get("raw_path") or scope.get("path", "").encode()
    query: bytes = scope.get("query_string", b"")
    url_bytes = len(path) + len(query)
    if url_bytes > MAX_URL_BYTES:
        return Refusal(414, f"the URL is {url_bytes:,} bytes, over the limit of "
                            f"{MAX_URL_BYTES:,}")
    headers: list[tuple[bytes, bytes]] = scope.get("headers") or []
    if len(headers) > MAX_HEADERS:
        return Refusal(431, f"the request has {len(headers):,} headers, over the limit of "
                            f"{MAX_HEADERS:,}")
    header_bytes = sum(len(name) + len(value) for name, value in headers)
    if header_bytes > MAX_HEADER_BYTES:
        return Refusal(431, f"the request's headers are {header_bytes:,} bytes, over the limit "
                            f"of {MAX_HEADER_BYTES:,}")
    return None


def _parameter_refusal(scope: Scope) -> Refusal | None:
    query: bytes = scope.get("query_string", b"")
    # Counted on the raw string, before anything parses it; empty parts count too.
    count = query.count(b"&") + 1 if query else 0
    if count > MAX_QUERY_PARAMETERS:
        return Refusal(400, f"the URL has {count:,} query parameters, over the limit of "
                            f"{MAX_QUERY_PARAMETERS:,}")
    path: bytes = scope.get("raw_path") or scope.get("path", "").encode()
    if b"\x00" in unquote_to_bytes(path) or b"\x00" in unquote_to_bytes(query):
        return Refusal(400, "the URL holds a NUL character (%00), which no name or value of "
                            "this site holds")
    parameters = _parameters(query)
    facets = sum(1 for name, _ in parameters if name in _FACET_PARAMETERS)
    if facets > MAX_FACETS:
        return Refusal(400, f"the URL asks for {facets:,} facets (_facet, _facet_array, "
                            f"_facet_date), over the limit of {MAX_FACETS:,}")
    found = table_parameters.problem(parameters)
    return Refusal(400, found) if found else None


def _parameters(query: bytes) -> list[tuple[str, str]]:
    # As Datasette reads them: blank values kept, bytes decoded as UTF-8 with replacement.
    return parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8",
                     errors="replace")
