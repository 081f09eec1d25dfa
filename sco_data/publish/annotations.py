"""The release's annotations.jsonld: every citation as a W3C Web Annotation.

A citation is a record (the body) stated by words of an article (the target); the body lists
the claims of the record those words state (``states``: each field and value, with the rule that
found it or the curator's reason). The target's
source is the article's SHA-256 as a URN, and two selectors find the words, a
``TextQuoteSelector`` (the exact words, up to 32 characters before and after) and a
``TextPositionSelector`` (``start``/``end`` over the article's whole text, its lines joined by
line feeds, counted in Unicode code points from 0, as the Web Annotation model counts them).
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote

from sco_data.publish.metadata import DATABASE_NAME, RECORD_LABELS

CONTEXT = [
    "http://www.w3.org/ns/anno.jsonld",
    {term: f"urn:sco-data:terms:{term}"
     for term in ("record_table", "record_id", "site_path", "file", "unit", "states", "field",
                  "rule", "words", "reason")},
]
AFFIX = 32  # characters of context on each side of the exact words
UNIT = "Unicode code points of the article's text, its lines joined by line feeds, from 0"


def annotation_collection(connection: sqlite3.Connection, version: str) -> dict[str, Any]:
    """Every citation of the database, in id order, as one AnnotationCollection."""
    articles = {row[0]: {"sha256": row[1], "file": row[2], "lines": []}
                for row in connection.execute("select id, sha256, file from articles")}
    for article_id, text in connection.execute(
            "select article_id, text from lines order by article_id, line"):
        articles[article_id]["lines"].append(text)
    starts: dict[str, list[int]] = {}
    for article_id, article in articles.items():
        article["text"] = "\n".join(article["lines"])
        offsets, position = [], 0
        for line in article["lines"]:
            offsets.append(position)
            position += len(line) + 1
        starts[article_id] = offsets
    labels = _labels(connection)
    states = _states(connection)
    items = []
    for (citation_id, table, record_id, article_id, line, evidence, char_start,
         char_end) in connection.execute(
            "select id, record_table, record_id, article_id, line, evidence, char_start, "
            "char_end from citations order by id"):
        article = articles[article_id]
        start = starts[article_id][line - 1] + char_start
        end = starts[article_id][line - 1] + char_end
        body: dict[str, Any] = {
            "id": f"urn:sco-data:record:{table}:{record_id}",
            "type": "Dataset",
            "record_table": table,
            "record_id": record_id,
            "site_path": f"/{DATABASE_NAME}/{table}/{quote(record_id, safe='')}",
        }
        if (table, record_id) in labels:
            body["label"] = labels[(table, record_id)]
        if citation_id in states:
            body["states"] = states[citation_id]
        items.append({
            "id": f"urn:sco-data:citation:{citation_id}",
            "type": "Annotation",
            "motivation": "linking",
            "body": body,
            "target": {
                "source": f"urn:sha256:{article['sha256']}",
                "type": "Text",
                "format": "text/plain",
                "file": article["file"],
                "selector": [
                    {"type": "TextQuoteSelector", "exact": evidence,
                     "prefix": article["text"][max(0, start - AFFIX):start],
                     "suffix": article["text"][end:end + AFFIX]},
                    {"type": "TextPositionSelector", "start": start, "end": end},
                ],
            },
        })
    return {
        "@context": CONTEXT,
        "id": f"urn:sco-data:{version}:annotations",
        "type": "AnnotationCollection",
        "label": f"sco-data {version}: every citation, the record it states and the words "
                 "of the article that state it",
        "unit": f"TextPositionSelector start and end count {UNIT}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def _states(connection: sqlite3.Connection) -> dict[str, list[dict[str, str]]]:
    """Each citation's statements: the claims of its record its words state, with the rule that
    found each, or the curator's reason for an inference."""
    found: dict[str, list[dict[str, str]]] = {}
    for citation_id, field, value, rule, words, reason in connection.execute(
            "select citation_id, field, value, rule, words, reason from statements order by id"):
        stated = {"field": field, "value": value}
        stated |= {"rule": rule, "words": words} if rule else {"reason": reason}
        found.setdefault(citation_id, []).append(stated)
    return found


def _labels(connection: sqlite3.Connection) -> dict[tuple[str, str], str]:
    tables = {row[0] for row in connection.execute(
        "select name from sqlite_master where type = 'table'")}
    found = {}
    for table, column in RECORD_LABELS.items():
        if table in tables:
            for record_id, label in connection.execute(
                    f'select id, "{column}" from "{table}"'):
                found[(table, record_id)] = label
    return found
