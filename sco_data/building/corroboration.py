"""How many citations, articles and independent sources back each record.

A record cited by AP's report, the Press Association's copy of it and AP's follow-up has three
citations in three articles and one independent source: the three articles are one source
group (``sco_data.building.source_groups``). This module counts them from the citation rows,
per record, and says it in words: "Stated in 3 articles from 1 independent source
(Associated Press: AP 3 July, PA, AP 4 July)".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

# Rows that cite but are no record: an article's own provenance, a source group's naming lines.
NOT_RECORDS = frozenset({"articles", "source_groups"})


@dataclass(frozen=True)
class ArticleInfo:
    """What corroboration needs of an article: its date, label, group and registry position."""

    published: str
    label: str
    source_group: str
    position: int


def corroboration_rows(citations: Iterable[Mapping[str, Any]],
                       articles: Mapping[str, ArticleInfo],
                       group_names: Mapping[str, str],
                       line_id: Callable[[str, int], str]) -> Iterator[dict[str, Any]]:
    """One row per record that cites (every record does), in the order records first cite.
    ``citations`` come as the build makes them: each record's together, so only one record's
    are held at a time."""
    records = groupby((row for row in citations if row["record_table"] not in NOT_RECORDS),
                      key=lambda row: (row["record_table"], row["record_id"]))
    for (table, record_id), rows in records:
        cited = list(rows)
        first = min(cited, key=lambda row: _earliest(row, articles))
        stating = sorted({row["article_id"] for row in cited},
                         key=lambda article: _article_order(article, articles))
        groups = list(dict.fromkeys(articles[article].source_group for article in stating))
        yield {
            "id": f"{table}-{record_id}", "record_table": table, "record_id": record_id,
            "citations": len(cited), "articles": len(stating),
            "independent_sources": len(groups), "source_groups": ", ".join(groups),
            "first_article_id": first["article_id"], "first_line": first["line"],
            "first_line_id": line_id(first["article_id"], first["line"]),
            "summary": summary(stating, articles, group_names),
        }


def summary(stating: list[str], articles: Mapping[str, ArticleInfo],
            group_names: Mapping[str, str]) -> str:
    """"Stated in 3 articles from 1 independent source (Associated Press: AP 3 July, PA, …)"."""
    by_group: dict[str, list[str]] = {}
    for article in stating:
        by_group.setdefault(articles[article].source_group, []).append(articles[article].label)
    listed = "; ".join(f"{group_names[group]}: {', '.join(labels)}"
                       for group, labels in by_group.items())
    return (f"Stated in {_count(len(stating), 'article')} from "
            f"{_count(len(by_group), 'independent source')} ({listed})")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _article_order(article: str, articles: Mapping[str, ArticleInfo]) -> tuple[str, int]:
    return articles[article].published, articles[article].position


def _earliest(row: Mapping[str, Any], articles: Mapping[str, ArticleInfo]) -> tuple[str, int, int]:
    # By article date, then line; articles of one date and one line by registry order.
    info = articles[row["article_id"]]
    return info.published, row["line"], info.position
