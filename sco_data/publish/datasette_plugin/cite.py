"""Cite one record: the text a reader pastes, its sources for reference managers, and the record
with its sources and corroboration as JSON.

``/-/records/<table>/<id>.json``, ``.bib`` and ``.csl.json``; the row page's "Cite this record"
box shows the same text and links the three, and its list of sources names each source the same
way. The formats themselves are ``sco_data.publish.bibliography``'s, which the Python API shares
(``record.cite()`` gives the same text, BibTeX and CSL-JSON).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from datasette.utils import escape_sqlite, tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response

from sco_data import __version__
from sco_data.publish.bibliography import (
    ArticleRef,
    SourceRef,
    bibtex,
    csl_json,
    csl_json_text,
    record_citation,
    source_citation,
)
from sco_data.publish.datasette_plugin import lookups

ROUTE = r"^/-/records/(?P<table>[^/]+)/(?P<record_id>[^/]+?)\.(?P<format>json|bib|csl\.json)$"
FORMATS = {
    "json": "application/json; charset=utf-8",
    "bib": "application/x-bibtex; charset=utf-8",
    "csl.json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}


@dataclass
class CiteBox:
    """What the row page's "Cite this record" box shows and links, and how its list of sources
    names each one (the citation's own words, ending at the line: the page shows the words)."""

    text: str
    json_url: str
    bibtex_url: str
    csl_url: str
    sources: list[str]


def record_url(datasette: Any, table: str, record_id: str, format: str) -> str:
    return datasette.urls.path(f"/-/records/{tilde_encode(table)}/{tilde_encode(record_id)}"
                               f".{format}")


def source_refs(sources: list[lookups.Source]) -> list[SourceRef]:
    return [
        SourceRef(ArticleRef(source.article_id, source.article_title, source.publisher,
                             source.byline, source.published, source.published_precision),
                  source.line, source.evidence, source.citation_id)
        for source in sources
    ]


def cite_box(datasette: Any, table: str, record_id: str,
             sources: list[lookups.Source]) -> CiteBox:
    refs = source_refs(sources)
    return CiteBox(
        text=record_citation(__version__, table, record_id, refs),
        json_url=record_url(datasette, table, record_id, "json"),
        bibtex_url=record_url(datasette, table, record_id, "bib"),
        csl_url=record_url(datasette, table, record_id, "csl.json"),
        sources=[source_citation(ref, evidence=False) for ref in refs],
    )


async def record_page(datasette: Any, request: Any) -> Response:
    """One record with its sources: JSON, BibTeX or CSL-JSON."""
    db = await lookups.source_database(datasette)
    if db is None:
        raise NotFound("No served database holds articles, lines and citations")
    table = tilde_decode(request.url_vars["table"])
    record_id = tilde_decode(request.url_vars["record_id"])
    record = await _record(db, table, record_id)
    sources = await lookups.record_sources(datasette, db, table, record_id)
    format = request.url_vars["format"]
    if format == "bib":
        body = bibtex(source_refs(sources))
    elif format == "csl.json":
        body = csl_json_text(csl_json(source_refs(sources)))
    else:
        body = json.dumps(await _record_json(datasette, db, table, record, sources),
                          ensure_ascii=False, indent=2) + "\n"
    headers = {}
    if format != "json":
        name = f"{table}-{record_id}.{format}".replace('"', "")
        headers["content-disposition"] = f'attachment; filename="{name}"'
    return Response(body, content_type=FORMATS[format], headers=headers)


async def _record(db: Any, table: str, record_id: str) -> dict[str, Any]:
    # The table name is checked against the schema before it is put into SQL.
    if table not in await db.table_names() or "id" not in await db.table_columns(table):
        raise NotFound(f"There is no table {table!r} of records with ids")
    result = await db.execute(f"select * from {escape_sqlite(table)} where id = :id",
                              {"id": record_id})
    if not result.rows:
        raise NotFound(f"There is no record {record_id!r} in {table}")
    return dict(result.rows[0])


async def _record_json(datasette: Any, db: Any, table: str, record: dict[str, Any],
                       sources: list[lookups.Source]) -> dict[str, Any]:
    record_id = record["id"]
    found = await lookups.corroboration(datasette, db, table, record_id)
    return {
        "dataset": "sco_data",
        "version": __version__,
        "table": table,
        "id": record_id,
        "url": lookups.row_url(datasette, db.name, table, record_id),
        "citation": record_citation(__version__, table, record_id, source_refs(sources)),
        "record": record,
        "sources": [
            {"citation_id": source.citation_id, "article_id": source.article_id,
             "article_title": source.article_title, "publisher": source.publisher,
             "published": source.published, "line": source.line, "evidence": source.evidence,
             "line_text": source.line_text, "char_start": source.char_start,
             "char_end": source.char_end, "source_group": source.source_group,
             "article_url": source.article_url}
            for source in sources
        ],
        "corroboration": dataclasses.asdict(found) if found else None,
    }
