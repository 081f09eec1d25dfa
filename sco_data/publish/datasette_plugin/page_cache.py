"""Pages of an immutable database, kept in memory once rendered.

Served immutable, the database cannot change, nor can the metadata or the plugin while the
server runs, so the same URL always renders the same page. Rendering a table page costs tens of
milliseconds of one core; answering from memory costs well under one. Under load that is the
difference between a page in seconds and a page in milliseconds.

Only what cannot differ between two identical requests is kept: GET requests without cookies
or credentials (Datasette varies on both), whose query string runs no SQL of the reader's own
(``sql=`` or ``_where=`` may call ``random()`` or ``datetime('now')``), that answer 200 with no
cookie, under ``MAX_PAGE_BYTES``; introspection pages under ``/-/`` other than the source
viewer's are never kept. At most ``MAX_PAGES`` pages and ``MAX_TOTAL_BYTES`` of them are kept,
the least recently asked for dropped first, so no sequence of URLs can grow the server's memory
without bound.
When any served database is mutable, nothing is kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

MAX_PAGES = 512
MAX_PAGE_BYTES = 2_000_000
MAX_TOTAL_BYTES = 64_000_000
KEPT_PREFIXES = ("/-/articles", "/-/coverage")
# Parameters whose value is SQL of the reader's own, which may call random() or datetime('now').
READER_SQL_PARAMETERS = {"sql", "_where"}

Scope = dict[str, Any]
Send = Callable[[dict[str, Any]], Awaitable[None]]
App = Callable[[Scope, Any, Send], Awaitable[None]]


class PageCache:
    """An ASGI wrapper that answers repeated GETs of an immutable site from memory."""

    def __init__(self, app: App, datasette: Any):
        self.app = app
        self.datasette = datasette
        self.pages: OrderedDict[tuple[bytes, str, bytes], tuple[dict, list[dict], int]] = (
            OrderedDict())
        self.size = 0  # bytes of all kept pages' bodies

    async def __call__(self, scope: Scope, receive: Any, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        if key in self.pages:
            self.pages.move_to_end(key)
            start, body, _ = self.pages[key]
            await send(start)
            for message in body:
                await send(message)
            return
        await self.app(scope, receive, self._recorder(key, send))

    def _key(self, scope: Scope) -> tuple[bytes, str, bytes] | None:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            return None
        path: str = scope.get("path", "")
        if path.startswith("/-/") and not path.startswith(KEPT_PREFIXES):
            return None
        headers = dict(scope.get("headers") or [])
        if b"cookie" in headers or b"authorization" in headers:
            return None
        query: bytes = scope.get("query_string", b"")
        if READER_SQL_PARAMETERS & parse_qs(query.decode("latin-1")).keys():
            return None
        if any(db.is_mutable for name, db in self.datasette.databases.items()
               if name != "_internal"):
            return None
        return headers.get(b"host", b""), path, query

    def _recorder(self, key: tuple[bytes, str, bytes], send: Send) -> Send:
        start: dict[str, Any] = {}
        body: list[dict[str, Any]] = []
        size = 0

        async def record(message: dict[str, Any]) -> None:
            nonlocal size
            await send(message)
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
                body.append(message)
                if not message.get("more_body") and self._keepable(start, size):
                    self._keep(key, (start, body, size))

        return record

    def _keep(self, key: tuple[bytes, str, bytes], page: tuple[dict, list[dict], int]) -> None:
        if key in self.pages:
            self.size -= self.pages.pop(key)[2]
        self.pages[key] = page
        self.size += page[2]
        while len(self.pages) > MAX_PAGES or self.size > MAX_TOTAL_BYTES:
            self.size -= self.pages.popitem(last=False)[1][2]

    @staticmethod
    def _keepable(start: dict[str, Any], size: int) -> bool:
        names = {name.lower() for name, _ in start.get("headers", [])}
        return start.get("status") == 200 and b"set-cookie" not in names and (
            size <= MAX_PAGE_BYTES)
