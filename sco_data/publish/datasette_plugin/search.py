"""Search everything at once: people (any spelling), organizations, countries, meetings, quotes
and article lines, grouped by kind, each hit linked.

Served at ``/-/search?q=…`` and reached from the box in every page's header. Names are matched
in Python after the build's own folding (case, accents, house style), at the start of any word,
so "erdogan" finds "Recep Tayyip Erdoğan" and "Erdogan" finds him by his alias; quotes and lines
are matched with the full-text indexes the build creates, every word as a prefix.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from sco_data.building.folding import fold
from sco_data.publish.datasette_plugin import lookups

# Hits listed per kind; the rest are counted and linked to the table's own search.
SHOWN = 20
QUERY_LENGTH = 200  # longer queries are cut: no name or line needs more
_WORD = re.compile(r"\w+")
_MARK_START, _MARK_END = "\x01", "\x02"


@dataclass
class Hit:
    label: Markup
    url: str
    detail: Markup


@dataclass
class Group:
    kind: str
    hits: list[Hit]
    total: int
    more_url: str | None = None


@dataclass
class Named:
    """A record found by its names: its id, main name, other spellings and what to show."""

    id: str
    name: str
    spellings: tuple[str, ...]
    detail: str
    folded: tuple[str, ...]  # " " + each spelling folded, so a match can start at any word


# The small named tables of an immutable database, folded once.
_named_cache: weakref.WeakKeyDictionary[Any, dict[str, list[Named]]] = weakref.WeakKeyDictionary()

NAMED_SQL = {
    "people": (
        "select people.id, people.name, people.name as shown, "
        "coalesce(people.title, '') as detail, "
        "(select group_concat(name, char(31)) from aliases "
        " where aliases.person_id = people.id) as spellings from people order by people.name"),
    "organizations": (
        "select organizations.id, organizations.name, organizations.name as shown, "
        "organizations.kind as detail, "
        "(select group_concat(name, char(31)) from organization_aliases "
        " where organization_aliases.organization_id = organizations.id) as spellings "
        "from organizations order by organizations.name"),
    "countries": ("select id, name, name as shown, '' as detail, "
                  "(select group_concat(name, char(31)) from country_aliases "
                  " where country_aliases.country_id = countries.id) as spellings "
                  "from countries order by name"),
    # A meeting is found by its title or its place; neither is another spelling of it.
    "meetings": (
        "select id, title || coalesce(' ' || place, '') as name, title as shown, "
        "coalesce(start_date, 'date not given') || coalesce(', ' || place, '') || ', ' || "
        "status as detail, null as spellings from meetings order by listing_order"),
}
KINDS = {"people": "People", "organizations": "Organizations", "countries": "Countries",
         "meetings": "Meetings", "quotes": "Quotes", "lines": "Article lines"}


async def search(datasette: Any, db: Any, query: str) -> list[Group]:
    """Every kind with at least one hit, in the order of ``KINDS``."""
    query = query[:QUERY_LENGTH]
    folded = fold(query)
    folded = " " + folded if folded else ""
    words = _WORD.findall(query)
    groups = []
    named = await _named_records(db)
    for table, records in named.items():
        found = [record for record in records if folded and any(
            folded in spelling for spelling in record.folded)]
        hits = [_named_hit(datasette, db, table, record, folded) for record in found[:SHOWN]]
        groups.append(Group(KINDS[table], hits, len(found)))
    for table in ("quotes", "lines"):
        groups.append(await _text_hits(datasette, db, table, words))
    return [group for group in groups if group.total]


async def _named_records(db: Any) -> dict[str, list[Named]]:
    cached = None if db.is_mutable else _named_cache.get(db)
    if cached is not None:
        return cached
    tables = set(await db.table_names())
    found: dict[str, list[Named]] = {}
    for table, sql in NAMED_SQL.items():
        if table not in tables:
            continue
        rows = (await db.execute(sql)).rows
        found[table] = [_named_record(row) for row in rows]
    if not db.is_mutable:
        _named_cache[db] = found
    return found


def _named_record(row: Any) -> Named:
    spellings = tuple(filter(None, (row["spellings"] or "").split("\x1f")))
    every = (row["name"], *spellings)
    return Named(row["id"], row["shown"], spellings, row["detail"] or "",
                 tuple(" " + fold(spelling) for spelling in every))


def _named_hit(datasette: Any, db: Any, table: str, record: Named, folded: str) -> Hit:
    url = lookups.row_url(datasette, db.name, table, record.id)
    detail = escape(record.detail)
    if folded not in record.folded[0]:
        spelling = next(spelling for spelling, folded_spelling
                        in zip(record.spellings, record.folded[1:], strict=True)
                        if folded in folded_spelling)
        detail = Markup("{}{}also written “{}”").format(detail, "; " if detail else "", spelling)
    return Hit(escape(record.name), url, detail)


async def _text_hits(datasette: Any, db: Any, table: str, words: list[str]) -> Group:
    """Quotes or lines matching every word (as a prefix) in the full-text index."""
    if not words or not await lookups.has_tables(db, table, f"{table}_fts"):
        return Group(KINDS[table], [], 0)
    # Each word quoted, so nothing typed is read as FTS syntax; a trailing * makes it a prefix.
    match = " ".join(f'"{word}"*' for word in words)
    index = f"{table}_fts"
    extra = ("quotes.speaker as about, quotes.id as record_id"
             if table == "quotes" else
             "articles.label as about, lines.article_id, lines.line")
    join = ("" if table == "quotes"
            else "join articles on articles.id = lines.article_id ")
    rows = (await db.execute(
        f"select highlight({index}, 0, char(1), char(2)) as marked, {extra} "
        f"from {index} join {table} on {table}.rowid = {index}.rowid {join}"
        f"where {index} match :match order by rank limit {SHOWN}", {"match": match})).rows
    total = (await db.execute(f"select count(*) from {index} where {index} match :match",
                              {"match": match})).rows[0][0]
    hits = []
    for row in rows:
        if table == "quotes":
            url = lookups.row_url(datasette, db.name, "quotes", row["record_id"])
            detail = escape(row["about"])
        else:
            url = lookups.article_url(datasette, row["article_id"], row["line"])
            detail = Markup("{}, line {}").format(row["about"], row["line"])
        hits.append(Hit(_marked(row["marked"]), url, detail))
    more_url = (datasette.urls.table(db.name, table) + "?" + urlencode({"_search": " ".join(words)})
                if total > len(hits) else None)
    return Group(KINDS[table], hits, total, more_url)


def _marked(text: str) -> Markup:
    """FTS highlight markers as <mark>, everything else escaped."""
    return Markup(str(escape(text)).replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>"))
