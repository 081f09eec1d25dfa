"""How records show themselves beyond ``str()``: as HTML in Jupyter, and their sources in the
formats reference managers read. Imported only when one of those is asked for."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from sco_data.publish.bibliography import ArticleRef, SourceRef, bibtex, csl_json, csl_json_text

if TYPE_CHECKING:
    from sco_data.api.objects import Article, Citation, Record

# Shown in a record's table of fields: everything but its relations, sources and corroboration.
_HIDDEN = {"sources", "corroboration"}


def article_ref(article: Article) -> ArticleRef:
    from sco_data.dates import precision_of

    # The API's article keeps its date as the text gives it; its precision follows from its form.
    return ArticleRef(article.id, article.title, article.publisher, article.byline,
                      article.published, precision_of(article.published))


def source_ref(citation: Citation) -> SourceRef:
    return SourceRef(article_ref(citation.article), citation.line, citation.evidence,
                     citation.id)


def cite_as(citation: Citation, style: str) -> str:
    """One source as BibTeX or CSL-JSON text."""
    if style == "bibtex":
        return bibtex([source_ref(citation)])
    if style == "csl-json":
        return csl_json_text(csl_json([source_ref(citation)]))
    raise ValueError(f"style={style!r} is not one of: text, bibtex, csl-json")


def record_html(record: Record) -> str:
    """The record's summary, its fields, and each source's line with the cited words marked."""
    from sco_data.api.objects import TABLES

    table = TABLES[type(record).__name__]
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
        f"<td style='text-align:left'>{html.escape(_shown(value))}</td></tr>"
        for name, value in _fields(record))
    sources = "".join(
        f"<li>{html.escape(source.cite())}<blockquote style='margin:0.2em 0 0.6em 1em'>"
        f"{_marked(source.line_text, source.char_start, source.char_end)}</blockquote></li>"
        for source in record.sources)
    corroboration = (f"<p>{html.escape(str(record.corroboration))}</p>"
                     if record.corroboration else "")
    return (
        f"<div class='sco-record'><p><strong>{html.escape(record.summary())}</strong> "
        f"<code>{html.escape(table)}/{html.escape(record.id)}</code></p>"
        f"<table>{rows}</table>{corroboration}"
        f"<p>Sources ({len(record.sources)}), primary first:</p><ol>{sources}</ol></div>"
    )


def _fields(record: Record) -> list[tuple[str, Any]]:
    found = []
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name in _HIDDEN or isinstance(value, BaseModel) or (
                isinstance(value, list) and value and isinstance(value[0], BaseModel)):
            continue  # a related record: its id is a field of its own
        found.append((name, value))
    return found


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def _marked(line: str, start: int, end: int) -> str:
    return (html.escape(line[:start]) + "<mark>" + html.escape(line[start:end]) + "</mark>"
            + html.escape(line[end:]))
