"""Pages of the immutable site are answered from memory the second time, and only those that
cannot differ between two identical requests."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sco_data.publish.datasette_plugin import page_cache
from sco_data.publish.datasette_plugin.page_cache import MAX_PAGES, PageCache

from .conftest import Site

pytestmark = pytest.mark.datasette  # CI runs these again on Datasette 1.0


class _Database:
    def __init__(self, mutable: bool):
        self.is_mutable = mutable


class _Datasette:
    def __init__(self, mutable: bool = False):
        self.databases = {"_internal": _Database(True), "sco": _Database(mutable)}


def _counting_app(status: int = 200, headers: list | None = None):
    calls: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": status,
                    "headers": headers or [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": f"page {len(calls)}".encode()})

    return app, calls


def _get(cache: PageCache, path: str, query: bytes = b"", method: str = "GET",
         headers: list | None = None) -> bytes:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query,
             "headers": headers or [(b"host", b"127.0.0.1")]}
    asyncio.run(cache(scope, None, send))
    return b"".join(message.get("body", b"") for message in sent[1:])


def test_a_page_is_rendered_once():
    app, calls = _counting_app()
    cache = PageCache(app, _Datasette())
    assert _get(cache, "/sco/quotes") == _get(cache, "/sco/quotes") == b"page 1"
    assert calls == ["/sco/quotes"]
    assert _get(cache, "/sco/quotes", b"_sort=text") == b"page 2"


@pytest.mark.parametrize(("path", "query", "method", "headers"), [
    ("/sco", b"sql=select+random()", "GET", None),
    ("/sco/quotes", b"", "POST", None),
    ("/sco/quotes", b"", "GET", [(b"cookie", b"ds_actor=x")]),
    ("/sco/quotes", b"", "GET", [(b"authorization", b"Bearer x")]),
    ("/-/threads", b"", "GET", None),
])
def test_what_may_differ_is_never_kept(path: str, query: bytes, method: str, headers: Any):
    app, calls = _counting_app()
    cache = PageCache(app, _Datasette())
    _get(cache, path, query, method, headers)
    _get(cache, path, query, method, headers)
    assert len(calls) == 2


@pytest.mark.parametrize(("status", "headers"), [
    (404, None), (500, None), (200, [(b"set-cookie", b"a=b")]),
])
def test_errors_and_cookies_are_never_kept(status: int, headers: Any):
    app, calls = _counting_app(status, headers)
    cache = PageCache(app, _Datasette())
    _get(cache, "/sco/nope")
    _get(cache, "/sco/nope")
    assert len(calls) == 2


def test_a_mutable_database_turns_the_cache_off():
    app, calls = _counting_app()
    cache = PageCache(app, _Datasette(mutable=True))
    _get(cache, "/sco/quotes")
    _get(cache, "/sco/quotes")
    assert len(calls) == 2


def test_memory_is_bounded():
    app, calls = _counting_app()
    cache = PageCache(app, _Datasette())
    for number in range(MAX_PAGES + 10):
        _get(cache, f"/sco/quotes/{number}")
    assert len(cache.pages) == MAX_PAGES
    _get(cache, "/sco/quotes/0")  # the oldest was dropped: rendered again
    assert calls.count("/sco/quotes/0") == 2


def test_memory_is_bounded_in_bytes_too(monkeypatch):
    monkeypatch.setattr(page_cache, "MAX_TOTAL_BYTES", 20)
    app, _ = _counting_app()
    cache = PageCache(app, _Datasette())
    for number in range(5):
        _get(cache, f"/sco/quotes/{number}")  # 6 bytes each: "page n"
    assert len(cache.pages) == 3 and cache.size == 18
    assert [key[1] for key in cache.pages] == ["/sco/quotes/2", "/sco/quotes/3", "/sco/quotes/4"]


def test_the_site_answers_the_same_page_twice(site: Site):
    first = site.page("/sco/quotes?_sort=id")
    assert site.page("/sco/quotes?_sort=id") == first
    assert "putin-key-pillars" in first
