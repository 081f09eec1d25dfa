"""The source viewer: Datasette pages that lead from every record to its article line.

Registered through the ``datasette`` entry point, so installing the package installs it. It adds
``/-/articles`` and ``/-/articles/<id>`` (each article, line by line, cited lines marked),
``/-/coverage`` (what the records cite of each article, and what they leave uncited),
``/-/articles/<a>/compare/<b>`` (two articles of one source group side by side), ``/-/search``
(everything, grouped by kind, from a box in every page's header), ``/-/network`` and
``/-/timeline`` (who met whom, and when, drawn on the server), ``/-/records/<table>/<id>.json``
(a record with its sources; ``.bib`` and ``.csl.json`` its sources for reference managers); and,
under a record's row page, its cite box, corroboration and sources, with links from cells back
to the articles and foreign keys shown as named links.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_decode, urlsafe_components
from datasette.utils.asgi import Base400, NotFound, Response
from markupsafe import Markup

from sco_data.publish import datasette_compat
from sco_data.publish.datasette_plugin import (
    bounded_sql,
    cells,
    cite,
    columns,
    compare,
    lookups,
    not_found,
    picture_pages,
    search,
    sql_threads,
    table_parameters,
)
from sco_data.publish.datasette_plugin.page_cache import PageCache
from sco_data.publish.datasette_plugin.request_limits import RequestGuard
from sco_data.publish.metadata import PACKAGE_NOTE_CLASS, PACKAGE_PAGES

# The distribution's name: Datasette serves the plugin's static/ folder under it.
PLUGIN_NAME = "sco-data"


class MethodNotAllowed(Base400):
    """The plugin's pages are read with GET (or HEAD) only."""

    status = 405


@hookimpl
def prepare_connection(conn: Any) -> None:
    """Bound what one function call may cost, and which functions a statement may call, on
    every served connection (``bounded_sql``)."""
    bounded_sql.bound(conn)


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    """The column order of table pages (``columns.py``), for ``_table.html`` and
    ``table.html``."""
    env.globals["sco_column_order"] = columns.column_order
    env.globals["sco_cells_in_order"] = columns.cells_in_order
    env.globals["sco_described_columns"] = columns.described_columns
    env.globals["sco_readable_description"] = columns.readable_description
    env.globals["sco_breakable"] = columns.breakable
    env.globals["sco_without_internal"] = columns.without_internal
    env.globals["sco_package_pages"] = PACKAGE_PAGES
    env.filters["sco_without_package_note"] = without_package_note


def without_package_note(page: str) -> Markup:
    """The home page's description without the paragraph saying what installing the package
    adds: with the package installed, the home page links those pages instead."""
    return Markup(re.sub(rf'<p class="{PACKAGE_NOTE_CLASS}">.*?</p>', "", str(page),
                         flags=re.S))


@hookimpl
def startup(datasette: Any) -> Any:
    """Read the served databases' foreign keys once; bound every call into the SQL threads
    (``sql_threads``); keep Datasette's error pages working where rich is installed.

    Datasette 0.65's default error handler prints every error through rich when rich is
    importable, and rich raises when called outside an ``except`` block, as it is for a URL no
    route matches: a 404 becomes a bare 500. Without rich the same handler renders the right
    page and still prints a 500's traceback.
    """
    import datasette.handle_exception as default_handler

    datasette_compat.quiet_rich(default_handler)
    sql_threads.install(datasette)
    return lambda: lookups.load_foreign_keys(datasette)


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    """Refuse oversized or malformed requests and bound the rest in time (``request_limits``),
    before answering repeated requests for the same page of an immutable site from memory."""
    return lambda app: RequestGuard(PageCache(app, datasette))


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    """Datasette's own errors about a request (a bad ``_sort``…) answered 400, not 500; a
    stopped statement answered with the time limit it ran past; a mistyped record, table or
    article answered 404 with the closest ones that exist (``not_found``)."""
    import datasette.handle_exception as default_handler

    replacement = table_parameters.input_error(exception, datasette.setting("sql_time_limit_ms"),
                                               _parameters(request))
    if replacement is None:
        return not_found.answer(datasette, request, exception)
    return default_handler.handle_exception(datasette=datasette, request=request,
                                            exception=replacement)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/articles$", articles_page),
        (r"^/-/articles/(?P<article_id>[^/]+)$", article_page),
        (r"^/-/articles/(?P<article_id>[^/]+)/compare/(?P<other_id>[^/]+)$", compare_page),
        (r"^/-/coverage$", coverage_page),
        (cite.ROUTE, record_page),
        (r"^/-/search$", search_page),
        (r"^/-/network$", network_page),
        (r"^/-/timeline$", timeline_page),
    ]


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Any:
    return cells.render(row, value, column, table, database, datasette)


@hookimpl
def extra_template_vars(view_name: str, database: str | None, table: str | None, request: Any,
                        datasette: Any) -> Any:
    """Under a record's row page: its sources, and any discrepancy about it."""
    if view_name != "row" or not database or not table or request is None:
        return {}
    keys = urlsafe_components(request.url_vars.get("pks", ""))
    if len(keys) != 1:
        return {}

    async def row_vars() -> dict[str, Any]:
        if not await lookups.is_source_database(datasette, database):
            return {}
        db, record_id = datasette.get_database(database), keys[0]
        sources = await lookups.record_sources(datasette, db, table, record_id)
        found: dict[str, Any] = {
            "sco_sources": sources,
            "sco_cite": cite.cite_box(datasette, table, record_id, sources),
            "sco_script_url": datasette.urls.static_plugins(PLUGIN_NAME, "sco.js"),
            "sco_discrepancies": await lookups.discrepancies_about(datasette, db, table,
                                                                   record_id),
            "sco_corroboration": await lookups.corroboration(datasette, db, table, record_id),
            "sco_statements": await lookups.record_statements(datasette, db, table, record_id),
        }
        metadata = await datasette_compat.row_page_metadata(datasette, database, table)
        if metadata is not None:
            found["metadata"] = metadata
        if table == "articles":
            found["sco_article_url"] = lookups.article_url(datasette, record_id)
        line = lookups.LINE_ID.match(record_id)
        if table == "lines" and line:
            found["sco_line_url"] = lookups.article_url(datasette, line["article"],
                                                        int(line["line"]))
            found["sco_line_records"] = await lookups.line_citations(datasette, db, record_id)
        return found

    return row_vars


async def articles_page(datasette: Any, request: Any) -> Response:
    _only_get(request)
    db = await _source_database(datasette)
    found = await lookups.articles(db)
    for entry in found:
        entry["url"] = lookups.article_url(datasette, entry["id"])
        entry["row_url"] = lookups.row_url(datasette, db.name, "articles", entry["id"])
    return Response.html(await datasette.render_template(
        "sco_articles.html",
        {"articles": found, "database": db.name,
         "coverage_url": datasette.urls.path("/-/coverage")},
        request=request))


async def article_page(datasette: Any, request: Any) -> Response:
    _only_get(request)
    db = await _source_database(datasette)
    article_id = tilde_decode(request.url_vars["article_id"])
    found = await lookups.article(db, article_id)
    if found is None:
        raise NotFound(f"There is no article {article_id!r}; /-/articles lists them all")
    focus = request.args.get("citation")
    lines = await lookups.article_lines(datasette, db, article_id, focus)
    context = {
        "article": found,
        "lines": lines,
        "partners": await lookups.line_partners(datasette, db, article_id),
        "group": await lookups.group_members(datasette, db, article_id),
        "cited_lines": sum(1 for line in lines if line.records),
        "database": db.name,
        "articles_url": datasette.urls.path("/-/articles"),
        "row_url": lookups.row_url(datasette, db.name, "articles", article_id),
        "lines_url": _filtered(datasette, db.name, "lines", article_id=article_id),
        "citations_url": _filtered(datasette, db.name, "citations", article_id=article_id),
    }
    return Response.html(await datasette.render_template("sco_article.html", context,
                                                         request=request))


async def compare_page(datasette: Any, request: Any) -> Response:
    """Two articles of one source group side by side, aligned by line group."""
    _only_get(request)
    db = await _source_database(datasette)
    ids = [tilde_decode(request.url_vars[key]) for key in ("article_id", "other_id")]
    found = [await lookups.article(db, article_id) for article_id in ids]
    for article_id, article in zip(ids, found, strict=True):
        if article is None:
            raise NotFound(f"There is no article {article_id!r}; /-/articles lists them all")
    left, right = found
    assert left is not None and right is not None
    if ids[0] == ids[1] or left.get("source_group") is None or (
            left["source_group"] != right["source_group"]):
        raise NotFound(
            f"{ids[0]!r} and {ids[1]!r} are not two articles of one source group: compare an "
            "article with the others its page lists under \"Printed in the same source group\"")
    rows = compare.align(await lookups.compare_lines(db, ids[0], ids[1]),
                         await lookups.compare_lines(db, ids[1], ids[0]))
    every_line = request.args.get("lines") == "all"
    here = lookups.compare_url(datasette, ids[0], ids[1])
    context = {
        "left": {**left, "url": lookups.article_url(datasette, ids[0])},
        "right": {**right, "url": lookups.article_url(datasette, ids[1])},
        # By default the lines the two print in common; ?lines=all adds each one's own lines.
        "rows": rows if every_line else [row for row in rows if row.left and row.right],
        "every_line": every_line,
        "toggle_url": here if every_line else here + "?lines=all",
        "paired": sum(1 for row in rows if row.left and row.right),
        "kinds": {kind: sum(1 for row in rows if row.kind == kind)
                  for kind in ("identical", "house_style", "near", "left_only", "right_only")},
        "articles_url": datasette.urls.path("/-/articles"),
        "swap_url": lookups.compare_url(datasette, ids[1], ids[0]),
        "group_url": lookups.row_url(datasette, db.name, "source_groups", left["source_group"]),
    }
    return Response.html(await datasette.render_template("sco_compare.html", context,
                                                         request=request))


async def record_page(datasette: Any, request: Any) -> Response:
    """A record with its sources as JSON, or its sources as BibTeX or CSL-JSON (``cite.py``)."""
    _only_get(request)
    return await cite.record_page(datasette, request)


async def search_page(datasette: Any, request: Any) -> Response:
    """What ``q`` names and the records it brings, then lines (``sco_data.searching``)."""
    _only_get(request)
    db = await _source_database(datasette)
    query = (request.args.get("q") or "").strip()
    groups = await search.search(datasette, db, query) if query else []
    return Response.html(await datasette.render_template("sco_search.html", {
        "query": query, "sco_query": query, "groups": groups,
        "total": sum(group.total for group in groups),
    }, request=request))


async def network_page(datasette: Any, request: Any) -> Response:
    """Who met whom: people as dots, each meeting a line (held solid, planned dashed)."""
    from sco_data.publish.pictures import network_svg

    _only_get(request)
    db = await _source_database(datasette)
    meetings, people, parents = await picture_pages.meetings_and_people(datasette, db)
    with_two = [meeting for meeting in meetings if len(meeting.participant_ids) >= 2]
    return await _picture(datasette, request, "Who met whom", network_svg(people, meetings), (
        "People the articles name as meeting one another, each meeting a line between each two "
        "of its participants: solid when a line says it was held, dashed when it was only "
        "planned. Select a line for the meeting and its sources, a name for the person."),
        picture_pages.listed(with_two, people, parents), "with two or more named participants")


async def timeline_page(datasette: Any, request: Any) -> Response:
    """The meetings on a date axis, each date at its precision, the summit days expanded."""
    from sco_data.publish.pictures import timeline_svg

    _only_get(request)
    db = await _source_database(datasette)
    meetings, people, parents = await picture_pages.meetings_and_people(datasette, db)
    days = await picture_pages.summit_days(db)
    svg = timeline_svg(meetings, *days) if days else timeline_svg(meetings)
    return await _picture(datasette, request, "Timeline of the meetings", svg, (
        "Every meeting the articles mention, on a date axis. A date the text gives only to the "
        "year or the month is drawn as that whole year or month; the summit's days are "
        "expanded below it, and meetings the text gives no date are listed last."),
        picture_pages.listed(meetings, people, parents), "")


async def _picture(datasette: Any, request: Any, title: str, svg: str, intro: str,
                   meetings: list[Any], listed_note: str) -> Response:
    from markupsafe import Markup

    pages = [("Who met whom", "/-/network"), ("Timeline of the meetings", "/-/timeline")]
    return Response.html(await datasette.render_template("sco_picture.html", {
        # The SVG is built with every label escaped (sco_data.publish.pictures).
        "title": title, "svg": Markup(svg), "intro": intro, "meetings": meetings,
        "listed_note": listed_note,
        "others": [{"title": name, "url": datasette.urls.path(path)}
                   for name, path in pages if name != title],
    }, request=request))


async def coverage_page(datasette: Any, request: Any) -> Response:
    """Per article, what the records cite, and every non-empty line none cites: the statements
    first, then the page furniture."""
    _only_get(request)
    from sco_data.publish.coverage import (
        ARTICLE_COUNTS_SQL,
        PARTNER_GAPS_SQL,
        UNCITED_LINES_SQL,
        UncitedLine,
        from_rows,
        uncited_summary,
    )
    from sco_data.publish.page_furniture import PATTERNS

    why = {pattern.name: pattern.why for pattern in PATTERNS}

    def listed(article_id: str, lines: list[UncitedLine]) -> list[dict[str, Any]]:
        return [{"line": line.line, "text": line.text, "furniture": line.furniture,
                 "why": why.get(line.furniture or ""),
                 "url": lookups.article_url(datasette, article_id, line.line)}
                for line in lines]

    db = await _source_database(datasette)
    counts = await db.execute(ARTICLE_COUNTS_SQL)
    uncited = await db.execute(UNCITED_LINES_SQL)
    gaps = (await db.execute(PARTNER_GAPS_SQL)).rows if await lookups.has_tables(
        db, "sentence_groups") else []
    articles = from_rows(counts.rows, uncited.rows, gaps)
    report = [
        {**vars(article), "cited_share": article.cited_share,
         "url": lookups.article_url(datasette, article.id),
         "uncited": listed(article.id, article.uncited),
         "statements": listed(article.id, article.statements),
         "furniture": listed(article.id, article.furniture),
         "partner_gaps": [{**vars(gap),
                           "url": lookups.article_url(datasette, article.id, gap.line),
                           "record_url": datasette.urls.row(db.name, gap.record_table,
                                                            gap.record_id),
                           "partner_url": lookups.article_url(datasette, gap.partner_article,
                                                              gap.partner_line)}
                          for gap in article.partner_gaps]}
        for article in articles
    ]
    context = {
        "report": report,
        "summary": uncited_summary(articles),
        "statements": sum(len(article.statements) for article in articles),
        "furniture": sum(len(article.furniture) for article in articles),
        "articles_url": datasette.urls.path("/-/articles"),
        "spans_url": datasette.urls.table(db.name, "quoted_spans"),
        "not_cited_url": datasette.urls.table(db.name, "not_cited"),
    }
    return Response.html(await datasette.render_template("sco_coverage.html", context,
                                                         request=request))


def _parameters(request: Any) -> list[tuple[str, str]]:
    if request is None:
        return []
    return [(name, value) for name in request.args for value in request.args.getlist(name)]


def _only_get(request: Any) -> None:
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"{request.method} is not allowed here: read this page with GET")


def _filtered(datasette: Any, database: str, table: str, **where: str) -> str:
    return datasette.urls.table(database, table) + "?" + urlencode(where)


async def _source_database(datasette: Any) -> Any:
    db = await lookups.source_database(datasette)
    if db is None:
        raise NotFound("No served database holds articles, lines and citations")
    return db
