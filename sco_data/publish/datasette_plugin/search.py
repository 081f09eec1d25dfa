"""The search page, ``/-/search?q=…``, reached from the box in every page's header.

What is found, and in what order, is ``sco_data.searching``'s, which ``sco_data.search()`` in
Python shares: names (any spelling, case or accents, or the closest spelling), then what the
named people, organizations and countries said and did, then article lines. Here each hit gets
its link (a record's row page, a line's place in its article) and its searched words marked.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from sco_data import searching
from sco_data.publish.datasette_compat import statement_runner
from sco_data.publish.datasette_plugin import lookups

# The index of an immutable database, read once.
_index_cache: weakref.WeakKeyDictionary[Any, searching.Index] = weakref.WeakKeyDictionary()


@dataclass
class Hit:
    label: Markup
    url: str
    detail: str


@dataclass
class Group:
    kind: str
    hits: list[Hit]
    total: int
    more_url: str | None = None


async def search(datasette: Any, db: Any, query: str) -> list[Group]:
    """Every kind with at least one hit, in the order of ``searching.KINDS``."""
    # Through the method every statement passes, so the site's time limit bounds a search.
    run = getattr(db, statement_runner(db))
    index = None if db.is_mutable else _index_cache.get(db)
    if index is None:
        index = await run(searching.load_index)
        if not db.is_mutable:
            _index_cache[db] = index
    groups = await run(lambda connection: searching.search(connection, query, index))
    return [_shown(datasette, db, group, query) for group in groups]


def _shown(datasette: Any, db: Any, group: searching.Group, query: str) -> Group:
    hits = [Hit(marked(hit.label, hit.marks), _url(datasette, db, hit), hit.detail)
            for hit in group.hits]
    more_url = None
    if group.kind == "lines" and group.total > len(hits):
        words = " ".join(searching.query_words(query))
        more_url = datasette.urls.table(db.name, "lines") + "?" + urlencode({"_search": words})
    return Group(group.title, hits, group.total, more_url)


def _url(datasette: Any, db: Any, hit: searching.Hit) -> str:
    if hit.table == "lines" and hit.article_id is not None:
        return lookups.article_url(datasette, hit.article_id, hit.line)
    return lookups.row_url(datasette, db.name, hit.table, hit.id)


def marked(text: str, marks: tuple[tuple[int, int], ...]) -> Markup:
    """``text`` escaped, with the spans in ``marks`` as <mark>."""
    pieces, end = [], 0
    for start, stop in marks:
        pieces.append(escape(text[end:start]))
        pieces.append(Markup("<mark>{}</mark>").format(text[start:stop]))
        end = stop
    pieces.append(escape(text[end:]))
    return Markup("").join(pieces)
