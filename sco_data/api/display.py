"""How records show themselves beyond ``str()``: as HTML in Jupyter, and cited (as text, or
their sources in the formats reference managers read), with the same functions the site's
"Cite this record" box and downloads use. Imported only when one of those is asked for.

It formats plain values (the bibliography's references, a record's fields and its sources'
lines) that ``objects`` hands it, and imports nothing of ``sco_data.api``: the records call
it, never the other way round.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, NamedTuple

from sco_data.publish.bibliography import (
    SourceRef,
    bibtex,
    csl_json,
    csl_json_text,
    record_citation,
    source_citation,
)


class ShownSource(NamedTuple):
    """One source of a record as the HTML shows it: its citation and its line, cited words
    at ``start:end``."""

    cite: str
    line: str
    start: int
    end: int


def cite_as(sources: Sequence[SourceRef], style: str, *, evidence: bool = True) -> str:
    """Sources as text (each with its words, unless ``evidence=False``; joined by ``; ``),
    BibTeX or CSL-JSON."""
    if style == "text":
        return "; ".join(source_citation(source, evidence=evidence) for source in sources)
    if style == "bibtex":
        return bibtex(sources)
    if style == "csl-json":
        return csl_json_text(csl_json(sources))
    raise ValueError(f"style={style!r} is not one of: text, bibtex, csl-json")


def cite_record(version: str, table: str, record_id: str, sources: Sequence[SourceRef],
                style: str) -> str:
    """A record with its sources: the site's citation text, or its sources as BibTeX or
    CSL-JSON, as the record's page and its downloads give them."""
    if style == "text":
        return record_citation(version, table, record_id, sources)
    return cite_as(sources, style)


def record_html(summary: str, address: str, fields: Sequence[tuple[str, Any]],
                sources: Sequence[ShownSource], corroboration: str | None) -> str:
    """The record's summary and address (``table/id``), its fields, and each source's line
    with the cited words marked."""
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
        f"<td style='text-align:left'>{html.escape(_shown(value))}</td></tr>"
        for name, value in fields)
    listed = "".join(
        f"<li>{html.escape(source.cite)}<blockquote style='margin:0.2em 0 0.6em 1em'>"
        f"{_marked(source.line, source.start, source.end)}</blockquote></li>"
        for source in sources)
    said = f"<p>{html.escape(corroboration)}</p>" if corroboration else ""
    return (
        f"<div class='sco-record'><p><strong>{html.escape(summary)}</strong> "
        f"<code>{html.escape(address)}</code></p>"
        f"<table>{rows}</table>{said}"
        f"<p>Sources ({len(sources)}), primary first:</p><ol>{listed}</ol></div>"
    )


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def _marked(line: str, start: int, end: int) -> str:
    return (html.escape(line[:start]) + "<mark>" + html.escape(line[start:end]) + "</mark>"
            + html.escape(line[end:]))
