"""Every request to the served site is bounded: its size before Datasette reads it, its time,
the cost of each SQL function it calls and the SQL threads it may hold; and no input is
answered with a 500. All over real HTTP, against `python build.py serve`."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from sco_data.cli import SQL_TIME_LIMIT_MS
from sco_data.publish.datasette_compat import query_path
from sco_data.publish.datasette_plugin.bounded_sql import (
    MAX_JSON_PATCH_BYTES,
    MAX_LIKE_PATTERN_BYTES,
    MAX_SEARCH_BYTES,
    MAX_TRIM_CHARACTERS,
)
from sco_data.publish.datasette_plugin.request_limits import (
    MAX_FACETS,
    MAX_HEADER_BYTES,
    MAX_HEADERS,
    MAX_QUERY_PARAMETERS,
    MAX_URL_BYTES,
    REQUEST_DEADLINE_S,
    RequestGuard,
)

from .conftest import Site
from .serving import serving_a_fresh_build

STATEMENT_DEADLINE_S = SQL_TIME_LIMIT_MS / 1000
# Generous: a loaded two-core machine is slow, never this slow.
MARGIN_S = 1.0


def long_text(characters: int, letter: str = "a") -> str:
    """SQL for a text of ``characters`` letters, built by the server, not sent."""
    return f"replace(hex(zeroblob({characters // 2})),'0','{letter}')"


# One call each that ran for seconds to minutes before: a pattern compared at every position
# of a 1 MB text.
BOMBS = {
    "like": f"{long_text(999_998)} like '%' || {long_text(49_998)} || 'b'",
    "glob": f"{long_text(999_998)} glob '*' || {long_text(49_998)} || 'b'",
    "instr": f"instr({long_text(999_998)}, {long_text(50_000)} || 'b')",
    "replace": f"length(replace({long_text(999_998)}, {long_text(50_000)} || 'b', 'x'))",
    "trim": f"length(trim({long_text(999_998)}, {long_text(10_000, 'b')} || 'a'))",
    "json_patch": f"json_patch('{{}}', '{{\"a\": \"' || {long_text(20_000)} || '\"}}')",
}
# What each refusal names: the limit's value.
BOMB_LIMITS = {"like": MAX_LIKE_PATTERN_BYTES, "glob": MAX_LIKE_PATTERN_BYTES,
               "instr": MAX_SEARCH_BYTES, "replace": MAX_SEARCH_BYTES,
               "trim": MAX_TRIM_CHARACTERS, "json_patch": MAX_JSON_PATCH_BYTES}
# Runs step after step until the statement deadline stops it.
ENDLESS = "(with recursive n(x) as (select 1 union all select x + 1 from n) select count(*) from n)"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    def error(self) -> str:
        """The error message: Datasette's JSON ``error``, else the whole body."""
        try:
            return str(json.loads(self.body).get("error"))
        except ValueError:
            return self.body


def request(base: str, target: str, method: str = "GET",
            headers: dict[str, str] | None = None) -> Answer:
    """One HTTP request with any method, target and headers, timed."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    started = time.monotonic()
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body,
                      time.monotonic() - started)
    finally:
        connection.close()


def query(sql: str) -> str:
    return query_path("sco", sql, "json")


def where(condition: str, suffix: str = ".json") -> str:
    return f"/sco/quotes{suffix}?" + urllib.parse.urlencode({"_where": condition})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("limits")
    with serving_a_fresh_build(folder) as base:
        yield base


# ------------------------------------------------------------------------------ request caps

@pytest.mark.parametrize(("target", "headers", "status", "named"), [
    ("/sco/quotes?" + "&" * 6_000, {}, 400, f"over the limit of {MAX_QUERY_PARAMETERS:,}"),
    ("/sco/quotes?" + "&".join(f"p{n}=1" for n in range(MAX_QUERY_PARAMETERS + 1)), {}, 400,
     f"{MAX_QUERY_PARAMETERS + 1:,} query parameters"),
    ("/sco/quotes?q=" + "a" * MAX_URL_BYTES, {}, 414, f"over the limit of {MAX_URL_BYTES:,}"),
    ("/sco/quotes", {"X-Padding": "a" * MAX_HEADER_BYTES}, 431,
     f"over the limit of {MAX_HEADER_BYTES:,}"),
    ("/sco/quotes", {f"X-Header-{n}": "1" for n in range(MAX_HEADERS + 1)}, 431,
     f"over the limit of {MAX_HEADERS:,}"),
    ("/sco/quotes?" + "&".join(["_facet=speaker"] * (MAX_FACETS + 1)), {}, 400,
     f"over the limit of {MAX_FACETS:,}"),
    ("/sco/quotes?" + "&".join(["_facet=speaker"] * 200), {}, 400,
     f"over the limit of {MAX_FACETS:,}"),
    ("/sco/quotes?_sort=%00", {}, 400, "NUL character"),
    ("/sco/quotes/%00", {}, 400, "NUL character"),
])
def test_each_cap_answers_its_status_and_names_the_limit(server: str, target: str,
                                                          headers: dict[str, str], status: int,
                                                          named: str):
    answer = request(server, target, headers=headers)
    assert answer.status == status, answer
    assert named in answer.body
    assert answer.seconds < REQUEST_DEADLINE_S


def test_a_json_refusal_is_json(server: str):
    answer = request(server, "/sco/quotes.json?" + "&" * (MAX_QUERY_PARAMETERS + 1))
    assert answer.status == 400
    assert json.loads(answer.body)["ok"] is False
    assert f"{MAX_QUERY_PARAMETERS:,}" in answer.error()


def test_requests_within_the_caps_are_served(server: str):
    filters = "&".join(f"_col={column}" for column in ("id", "text", "speaker"))
    facets = "&".join(["_facet=speaker", "_facet=article_id"])
    size = 5  # not a count: the page size asked for
    answer = request(server, f"/sco/quotes.json?{filters}&{facets}&_sort=id&_size={size}",
                     headers={"X-Padding": "a" * 1_000})
    assert answer.status == 200, answer
    assert len(json.loads(answer.body)["rows"]) == size


# ------------------------------------------------------------------------ expensive SQL calls

@pytest.mark.parametrize("name", sorted(BOMBS))
@pytest.mark.parametrize("route", ["sql", "_where", "_where page"])
def test_an_expensive_call_is_refused_within_the_deadline(server: str, name: str, route: str):
    target = {"sql": query(f"select {BOMBS[name]}"), "_where": where(BOMBS[name]),
              "_where page": where(BOMBS[name], suffix="")}[route]
    answer = request(server, target)
    assert answer.status == 400, answer
    assert f"over the limit of {BOMB_LIMITS[name]:,}" in answer.body
    assert answer.seconds < STATEMENT_DEADLINE_S + MARGIN_S


def test_a_saved_query_with_a_huge_parameter_is_refused_within_the_deadline(server: str):
    answer = request(server, "/sco/said_by.json?" + urllib.parse.urlencode(
        {"person": "a" * 2 * MAX_LIKE_PATTERN_BYTES}))
    assert answer.status == 400, answer
    assert f"over the limit of {MAX_LIKE_PATTERN_BYTES:,} bytes" in answer.error()
    assert answer.seconds < STATEMENT_DEADLINE_S + MARGIN_S


@pytest.mark.parametrize("target", [query(f"select {ENDLESS}"), where(f"{ENDLESS} > 0")])
def test_an_endless_statement_is_stopped_at_the_deadline(server: str, target: str):
    answer = request(server, target)
    assert answer.status == 400, answer
    assert f"{SQL_TIME_LIMIT_MS:,} ms" in answer.error()
    assert answer.seconds < STATEMENT_DEADLINE_S + MARGIN_S


def test_patterns_within_the_limits_still_match(server: str):
    sql = ("select 'Putin said' like '%' || 'said' as liked, instr('Putin said', 'said') as at,"
           " replace('a-b', '-', '+') as replaced, trim('..x..', '.') as trimmed,"
           " json_patch('{\"a\":1}', '{\"b\":2}') as patched")
    answer = request(server, query(sql) + "&_shape=array")
    assert json.loads(answer.body) == [
        {"liked": 1, "at": 7, "replaced": "a+b", "trimmed": "x", "patched": '{"a":1,"b":2}'}]


def test_pages_keep_a_thread_while_hostile_queries_run(server: str):
    """Three requests running SQL until the deadline: Datasette's three SQL threads would all be
    theirs; the site keeps one for the pages, so an uncached page answers at once."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        hostile = [pool.submit(request, server, query(f"select {ENDLESS}")) for _ in range(3)]
        time.sleep(0.5)  # all three running or queued
        # A cookie: rendered, not answered from the page cache.
        page = request(server, "/sco/quotes?_sort=speaker", headers={"Cookie": "fresh=1"})
        assert page.status == 200
        assert page.seconds < 1.0, page.seconds
        assert [attack.result().status for attack in hostile] == [400, 400, 400]


# ------------------------------------------------------------------------------- functions

@pytest.mark.parametrize(("sql", "name"), [
    ("select hex(fts3_tokenizer('simple'))", "fts3_tokenizer"),
    ("select fts3_tokenizer('porter', x'00')", "fts3_tokenizer"),
    ("select load_extension('/tmp/nothing')", "load_extension"),
    ("select fts5(null)", "fts5"),
])
def test_pointer_and_configuration_functions_are_refused(server: str, sql: str, name: str):
    answer = request(server, query(sql))
    assert answer.status == 400, answer
    assert f"the function {name}() is not available here" in answer.error()
    assert "rows" not in json.loads(answer.body) or json.loads(answer.body)["rows"] == []


# --------------------------------------------------------------------------- bad parameters

BAD_PARAMETERS = [
    "_sort=nope", "_sort_desc=nope", "_sort=%00", "_sort=id&_sort_desc=id", "_sort=rowid",
    "_facet=%00", "_facet_array=%00", "_facet=nope", "_facet_date=nope",
    "_through=nope", "_through=[1]", "_through=-1", "_through=%7B%22table%22%3A1%7D",
    '_through={"table":"nope","column":"x","value":1}',
    "_timelimit=nope", "_timelimit=1e999", "_size=nope", "_size=-1", "_size=99999999999",
    "_next=a,b,c&_sort=text", "_col=nope", "_nocol=nope", "_nocol=id",
    "_search_nope=a", "_where=$null", "_where=1)", "_where=1;select%201", "id__in=[",
    "id__in=[[1]]", "id__in=" + "[" * 5_000, "_through=" + "[" * 5_000,
    "_json_infinity=nope", "_fts_table=nope&_search=a", "_shape=nope",
    "_search=%22", "_labels=nope", "text__nope=1",
]


@pytest.mark.parametrize("parameters", BAD_PARAMETERS)
def test_a_bad_table_parameter_is_the_readers_mistake(server: str, parameters: str):
    for suffix in ("", ".json", ".csv"):
        answer = request(server, f"/sco/quotes{suffix}?{parameters}")
        assert answer.status in (200, 400), (suffix, answer)
        if answer.status == 400:
            assert answer.error().strip(), "a refusal says why"


def test_an_unknown_sort_column_is_named(server: str):
    answer = request(server, "/sco/quotes.json?_sort=nope")
    assert answer.status == 400
    assert "'nope' is not one" in answer.error()


@pytest.mark.parametrize("name", ["said_by", "sources_of_record", "who_met_whom"])
def test_a_saved_query_without_its_parameter_shows_its_form(server: str, name: str):
    answer = request(server, f"/sco/{name}")
    assert answer.status == 200
    assert re.search(r'<form class="sql[ "]', answer.body) and "<input" in answer.body


# --------------------------------------------------------------------------------- methods

@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "POST", "PUT", "DELETE", "PATCH",
                                    "OPTIONS", "BREW"])
@pytest.mark.parametrize("target", ["/", "/sco/quotes", "/sco/said_by", "/-/articles",
                                    "/sco.json"])
def test_a_method_other_than_get_or_head_is_not_allowed(server: str, method: str, target: str):
    answer = request(server, target, method=method)
    assert answer.status == 405, answer
    assert answer.headers["allow"] == "GET, HEAD"
    assert f"{method} is not allowed" in answer.body


def test_head_is_answered(server: str):
    answer = request(server, "/sco/quotes", method="HEAD")
    assert answer.status == 200 and answer.body == ""


# ---------------------------------------------------------------------------- the deadline

def test_the_request_deadline_outlasts_the_statements_of_a_page():
    assert REQUEST_DEADLINE_S >= 2 * STATEMENT_DEADLINE_S + MARGIN_S


async def _slow_page(scope: dict, receive: object, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"begun", "more_body": True})
    await asyncio.sleep(60)


async def _slow_start(scope: dict, receive: object, send) -> None:
    await asyncio.sleep(60)


@pytest.mark.parametrize(("app", "status", "body"), [
    (_slow_start, 503, b"longer than the limit of 0.2 s per request"),
    (_slow_page, 200, b"begun"),
])
def test_a_request_past_its_deadline_is_stopped(app, status: int, body: bytes):
    """Not yet answered: 503 naming the limit; already answering: the answer is ended."""
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/sco/quotes", "query_string": b"",
             "headers": []}
    started = time.monotonic()
    asyncio.run(RequestGuard(app, deadline_s=0.2)(scope, None, send))
    assert time.monotonic() - started < 0.2 + MARGIN_S
    assert sent[0]["status"] == status
    assert body in b"".join(message.get("body", b"") for message in sent[1:])
    assert sent[-1].get("more_body", False) is False


def test_the_in_process_site_refuses_the_same(site: Site):
    assert "'nope' is not one" in site.get("/sco/quotes.json?_sort=nope", status=400).text
    assert site.get("/sco/quotes?" + "&" * 1_000, status=400)
