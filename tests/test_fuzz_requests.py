"""Fuzzing the served site over HTTP: whatever the method, the parameters (any table parameter
Datasette reads, with junk, unknown columns, huge values or NUL characters, up to thousands of
them), the headers or the SQL (expensive functions through ``sql=`` and ``_where=``), the server
never answers 500, answers with a status from a known set, and within the request deadline and
a second.

The suite runs a fixed set of cases against one `python build.py serve` for the module (about a
minute); ``make fuzz`` runs 300 new ones and prints how many ended in each class.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_data.publish.datasette_plugin.request_limits import REQUEST_DEADLINE_S

from .fuzzing import Outcomes, fuzz_settings, tally
from .serving import serving_a_fresh_build
from .test_request_limits import BOMBS, ENDLESS, Answer, request

ALLOWED_STATUSES = {200, 301, 302, 400, 403, 404, 405, 414, 431, 503}
"""What a request may be answered: a page, a redirect, the reader's mistake or a limit, a page
that does not exist, a method not allowed, the deadline."""

PATHS = [
    "/", "/sco", "/sco.json", "/sco/quotes", "/sco/quotes.json", "/sco/quotes.csv", "/sco/lines",
    "/sco/lines.json", "/sco/citations", "/sco/people.json", "/sco/lines_fts",
    "/sco/said_by", "/sco/said_by.json", "/sco/sources_of_record", "/sco/who_met_whom.json",
    "/sco/quotes/putin-key-pillars", "/sco/quotes/putin-key-pillars.json", "/-/articles",
    "/-/articles/ap-leaders-meet-2024-07-03", "/-/coverage", "/-/search", "/-/network",
    "/-/records/quotes/putin-key-pillars.json", "/-/versions.json", "/sco/nope",
]
# Every parameter a table, query or plugin page reads.
NAMES = [
    "_sort", "_sort_desc", "_sort_by_desc", "_facet", "_facet_array", "_facet_date",
    "_facet_size", "_through", "_size", "_next", "_col", "_nocol", "_search", "_search_text",
    "_search_nope", "_searchmode", "_fts_table", "_fts_pk", "_where", "_timelimit", "_shape",
    "_labels", "_label", "_nocount", "_nofacet", "_nosuggest", "_json", "_json_infinity",
    "_stream", "_dl", "_nl", "_trace", "_filter_column", "_filter_op", "_filter_value",
    "sql", "person", "record_table", "record_id", "q", "citation", "lines", "id", "text",
    "speaker", "id__in", "id__notin", "text__contains", "text__glob", "text__like",
    "line__gt", "text__nope", "nope__exact", "id__isnull", "text__arraycontains",
    "published__date",
]
JUNK = [
    "", "nope", "\x00", "a\x00b", "id", "text", "rowid", "~", "$null", ",", "a,b,c", "-1",
    "0", "1e999", "99999999999999999999", "[", "[1]", "[[1]]", "{}", '{"table":1}',
    '{"table":"quotes","column":"id","value":"x"}', "'", '"', ";", "%", "*", "_", "max",
    "on", "off", "array", "objects", "\u202e", "\ud7ff", "NULL", "1)", "(select 1)",
    "random() > 0.5",
]
EXPENSIVE_SQL = [*BOMBS.values(), ENDLESS, "hex(fts3_tokenizer('simple'))",
                 "length(printf('%.*c', 900000000, 'x'))", "length(randomblob(400000000))"]
# uvicorn (h11) refuses a request head over 16 KB before the site sees it.
UVICORN_HEAD_BYTES = 16 * 1024 - 1_024
METHODS = ["GET"] * 12 + ["HEAD", "POST", "PUT", "DELETE", "TRACE", "PROPFIND", "OPTIONS"]


def values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(JUNK),
        st.text(max_size=20),
        st.builds(lambda letter, size: letter * size, st.sampled_from("a%_*[~"),
                  st.integers(100, 12_000)),
        st.sampled_from(EXPENSIVE_SQL).map(lambda sql: f"select {sql}"),
        st.sampled_from(EXPENSIVE_SQL),
    )


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    """A method, a target (path and query string) and headers."""
    parameters = draw(st.lists(st.tuples(st.sampled_from(NAMES), values()), max_size=5))
    if draw(st.integers(0, 4)) == 0:  # one short parameter repeated up to thousands of times
        repeated = (draw(st.sampled_from(NAMES)), draw(st.sampled_from(JUNK)))
        parameters += [repeated] * draw(st.integers(2, 3_000))
    if draw(st.integers(0, 4)) == 0:  # expensive SQL where the reader's SQL goes
        parameters.append((draw(st.sampled_from(["sql", "_where"])),
                           draw(st.sampled_from(EXPENSIVE_SQL))))
    query = urllib.parse.urlencode(parameters)
    headers = {}
    if draw(st.integers(0, 9)) == 0:
        headers["X-Padding"] = "a" * draw(st.integers(1, 12_000))
    if draw(st.integers(0, 4)) == 0:  # rendered, not answered from the page cache
        headers["Cookie"] = "fuzz=1"
    target = draw(st.sampled_from(PATHS)) + (f"?{query}" if query else "")
    return draw(st.sampled_from(METHODS)), target, headers


def answered(base: str, method: str, target: str, headers: dict[str, str]) -> Answer | None:
    """The answer, or None when the HTTP server (uvicorn) closed the connection on a request
    head over its own 16 KB limit, which only a request over this site's limits can reach."""
    try:
        return request(base, target, method=method, headers=headers)
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
        head_bytes = len(target) + sum(len(k) + len(v) for k, v in headers.items())
        assert head_bytes > UVICORN_HEAD_BYTES, (method, target[:300], head_bytes)
        return None


def outcome(answer: Answer) -> str:
    """The class of an answer, for the tally."""
    if answer.status == 400:
        limit = "over the limit of" in answer.body or "NUL character" in answer.body
        return "400 limit" if limit else "400 refused"
    if answer.status in (301, 302):
        return "3xx redirect"
    return str(answer.status)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("fuzz-served")
    with serving_a_fresh_build(folder) as base:
        yield base


request_outcomes = tally("requests to the served site")


@fuzz_settings(short=250, long=300)
@given(case=requests())
def test_any_request_is_answered_in_time_without_a_500(server: str, request_outcomes: Outcomes,
                                                       case: tuple[str, str, dict[str, str]]):
    method, target, headers = case
    answer = answered(server, method, target, headers)
    if answer is None:
        request_outcomes.add("closed by uvicorn")
        return
    assert answer.status != 500, (method, target[:300], answer.body[:500])
    assert answer.status in ALLOWED_STATUSES, (method, target[:300], answer.status)
    assert answer.seconds < REQUEST_DEADLINE_S + 1, (method, target[:300], answer.seconds)
    request_outcomes.add(outcome(answer))
