"""What the source viewer reads from a database: articles, their lines, and who cites them.

Every function takes Datasette's ``Database`` and runs plain, parameterised SQL. Table names
are never taken from a request: only names in ``RECORD_LABELS`` or the schema are interpolated.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from datasette.utils import escape_sqlite, tilde_encode
from markupsafe import Markup

from sco_data.publish.datasette_plugin.highlight import Span, marked
from sco_data.publish.metadata import RECORD_LABELS

# A database is one of ours when it has the tables the viewer reads.
SOURCE_TABLES = frozenset({"articles", "lines", "citations"})
LABEL_LENGTH = 90
LINE_ID = re.compile(r"^(?P<article>.+)-L(?P<line>[0-9]+)$")

# Served databases are immutable, so whether one is ours never changes while Datasette runs.
_is_ours: weakref.WeakKeyDictionary[Any, dict[str, bool]] = weakref.WeakKeyDictionary()
# Nor do an immutable database's lines: the citations table reads them once, not once per cell.
_lines: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()
# Nor its records' labels, read a table at a time where a row page shows a foreign key.
_labels: weakref.WeakKeyDictionary[Any, dict[str, dict[str, str]]] = weakref.WeakKeyDictionary()
# Nor its foreign keys, read at startup so a cell can tell at once whether it holds one:
# {database name: {table: {column: other table}}}.
_foreign_keys: weakref.WeakKeyDictionary[Any, dict[str, dict[str, dict[str, str]]]] = (
    weakref.WeakKeyDictionary())


@dataclass
class CitingRecord:
    """A record that cites a line, as the article page lists it."""

    table: str
    id: str
    label: str | None
    url: str
    focus: bool = False


@dataclass
class ArticleLine:
    number: int
    text: str
    html: Markup  # the text, escaped, cited words marked
    records: list[CitingRecord] = field(default_factory=list)


@dataclass
class Source:
    """One citation of a record: the article, the line, the evidence marked within it."""

    citation_id: str
    article_id: str
    article_title: str
    publisher: str | None
    published: str | None
    line: int
    evidence: str
    html: Markup  # the cited line, escaped, the evidence marked
    article_url: str
    citation_url: str
    article_label: str | None = None
    source_group: str | None = None  # the name of the article's source group
    byline: str | None = None
    published_precision: str | None = None
    line_text: str = ""
    char_start: int = 0
    char_end: int = 0


async def is_source_database(datasette: Any, database: str) -> bool:
    known = _is_ours.setdefault(datasette, {})
    if database not in known:
        try:
            db = datasette.get_database(database)
        except KeyError:
            return False
        known[database] = set(await db.table_names()) >= SOURCE_TABLES
    return known[database]


async def source_database(datasette: Any) -> Any | None:
    """The first served database that holds the articles and their citations."""
    for name, db in datasette.databases.items():
        if not name.startswith("_") and await is_source_database(datasette, name):
            return db
    return None


async def load_foreign_keys(datasette: Any) -> None:
    """Read the foreign keys of every source database once (they are immutable)."""
    found = _foreign_keys.setdefault(datasette, {})
    for name, db in datasette.databases.items():
        if name.startswith("_") or not await is_source_database(datasette, name):
            continue
        found[name] = {
            # A row's page is found by its id: keys to any other column are left as they are.
            table: {key["column"]: key["other_table"]
                    for key in await db.foreign_keys_for_table(table)
                    if key["other_column"] == "id"}
            for table in await db.table_names()
        }


def foreign_key_target(datasette: Any, database: str, table: str, column: str) -> str | None:
    """The table a column's value is the id of, when it is a foreign key."""
    return _foreign_keys.get(datasette, {}).get(database, {}).get(table, {}).get(column)


async def label_of(db: Any, table: str, record_id: str) -> str | None:
    """The label (name, title, quoted words…) of one record, when its table has one; an
    immutable database's labels are read once."""
    if table not in RECORD_LABELS:
        return None
    if db.is_mutable:
        return (await record_labels(db, {(table, record_id)})).get((table, record_id))
    known = _labels.setdefault(db, {})
    if table not in known:
        result = await db.execute(f"select id, {escape_sqlite(RECORD_LABELS[table])} as label "
                                  f"from {escape_sqlite(table)}")
        known[table] = {row["id"]: shorten(row["label"]) for row in result.rows
                        if row["label"] is not None}
    return known[table].get(record_id)


def article_url(datasette: Any, article_id: str, line: int | None = None,
                citation_id: str | None = None) -> str:
    """The article page, scrolled to ``line`` and marking ``citation_id`` when given."""
    url = datasette.urls.path(f"/-/articles/{tilde_encode(article_id)}")
    if citation_id:
        url += "?" + urlencode({"citation": citation_id})
    if line is not None:
        url += f"#L{line}"
    return url


def row_url(datasette: Any, database: str, table: str, record_id: str) -> str:
    return datasette.urls.row(database, table, tilde_encode(record_id))


async def articles(db: Any) -> list[dict[str, Any]]:
    """Every article, with how many of its lines records cite."""
    result = await db.execute(
        "select articles.*, (select count(distinct line) from citations "
        "where citations.article_id = articles.id) as cited_lines "
        "from articles order by published, id"
    )
    return [dict(row) for row in result.rows]


async def article(db: Any, article_id: str) -> dict[str, Any] | None:
    result = await db.execute("select * from articles where id = :id", {"id": article_id})
    return dict(result.rows[0]) if result.rows else None


async def article_lines(datasette: Any, db: Any, article_id: str,
                        focus_citation: str | None) -> list[ArticleLine]:
    """Every line of the article, its cited words marked and the records citing it listed."""
    lines = await db.execute(
        "select line, text from lines where article_id = :id order by line", {"id": article_id})
    citations = await db.execute(
        "select id, record_table, record_id, line, char_start, char_end from citations "
        "where article_id = :id order by rowid", {"id": article_id})
    labels = await record_labels(db, {(row["record_table"], row["record_id"])
                                      for row in citations.rows})
    spans: dict[int, list[Span]] = {}
    records: dict[int, list[CitingRecord]] = {}
    for row in citations.rows:
        focus = row["id"] == focus_citation
        spans.setdefault(row["line"], []).append(Span(row["char_start"], row["char_end"], focus))
        citing = records.setdefault(row["line"], [])
        key = (row["record_table"], row["record_id"])
        # A record citing one line twice (two clauses) is listed once.
        listed = next((known for known in citing if (known.table, known.id) == key), None)
        if listed:
            listed.focus = listed.focus or focus
            continue
        citing.append(CitingRecord(
            table=row["record_table"], id=row["record_id"], label=labels.get(key),
            url=row_url(datasette, db.name, *key), focus=focus,
        ))
    return [
        ArticleLine(number=row["line"], text=row["text"],
                    html=marked(row["text"], spans.get(row["line"], [])),
                    records=records.get(row["line"], []))
        for row in lines.rows
    ]


async def record_sources(datasette: Any, db: Any, table: str, record_id: str) -> list[Source]:
    """Every citation of one record, primary first, each with its line and marked evidence."""
    grouped = await has_tables(db, "source_groups")
    group_columns = ("articles.label as article_label, source_groups.name as group_name"
                     if grouped else "null as article_label, null as group_name")
    group_join = ("left join source_groups on source_groups.id = articles.source_group "
                  if grouped else "")
    precision_column = ("articles.published_precision"
                        if "published_precision" in await db.table_columns("articles")
                        else "null as published_precision")
    result = await db.execute(
        "select citations.id, citations.article_id, citations.line, citations.evidence, "
        "citations.char_start, citations.char_end, lines.text, articles.title, "
        "articles.publisher, articles.published, articles.byline, "
        f"{precision_column}, {group_columns} "
        "from citations join lines on lines.id = citations.line_id "
        f"join articles on articles.id = citations.article_id {group_join}"
        "where citations.record_table = :table and citations.record_id = :id "
        "order by citations.rowid",
        {"table": table, "id": record_id},
    )
    return [
        Source(
            citation_id=row["id"], article_id=row["article_id"], article_title=row["title"],
            publisher=row["publisher"], published=row["published"], line=row["line"],
            evidence=row["evidence"],
            html=marked(row["text"], [Span(row["char_start"], row["char_end"])]),
            article_url=article_url(datasette, row["article_id"], row["line"], row["id"]),
            citation_url=row_url(datasette, db.name, "citations", row["id"]),
            article_label=row["article_label"], source_group=row["group_name"],
            byline=row["byline"], published_precision=row["published_precision"],
            line_text=row["text"], char_start=row["char_start"], char_end=row["char_end"],
        )
        for row in result.rows
    ]


@dataclass
class StatedBy:
    """One citation stating a claim value: its line, the evidence marked and the words a rule
    found marked more strongly, and how it was verified (a rule) or why (an inference)."""

    citation_id: str
    article_label: str
    line: int
    html: Markup
    article_url: str
    rule: str
    words: str
    reason: str


@dataclass
class StatedValue:
    """A claim of a record, its value and the citations stating it, verified ones first."""

    field: str
    value: str
    statements: list[StatedBy]
    label: str | None = None  # for a reference: the row's label, and its page
    url: str | None = None

    @property
    def inferred(self) -> bool:
        """True when no rule verified the value: every statement rests on a reason."""
        return all(not statement.rule for statement in self.statements)


async def record_statements(datasette: Any, db: Any, table: str,
                            record_id: str) -> list[StatedValue]:
    """Each claim value of one record with the lines that state it (empty on a database
    without statements)."""
    if not await has_tables(db, "statements"):
        return []
    result = await db.execute(
        "select statements.field, statements.value, statements.rule, statements.words, "
        "statements.reason, citations.id as citation_id, citations.article_id, citations.line, "
        "citations.evidence, citations.char_start, citations.char_end, lines.text, "
        "articles.label from statements "
        "join citations on citations.id = statements.citation_id "
        "join lines on lines.id = citations.line_id "
        "join articles on articles.id = citations.article_id "
        "where statements.record_table = :table and statements.record_id = :id "
        "order by statements.rule = '', citations.rowid",
        {"table": table, "id": record_id})
    values: dict[str, StatedValue] = {}
    for row in result.rows:
        spans = [Span(row["char_start"], row["char_end"])]
        offset = row["evidence"].find(row["words"]) if row["words"] else -1
        if offset >= 0:
            start = row["char_start"] + offset
            spans.append(Span(start, start + len(row["words"]), focus=True))
        values.setdefault(row["field"], StatedValue(row["field"], row["value"], [])
                          ).statements.append(StatedBy(
            citation_id=row["citation_id"], article_label=row["label"], line=row["line"],
            html=marked(row["text"], spans),
            article_url=article_url(datasette, row["article_id"], row["line"],
                                    row["citation_id"]),
            rule=row["rule"], words=row["words"], reason=row["reason"]))
    targets = {item.field: foreign_key_target(datasette, db.name, table, item.field)
               for item in values.values()}
    labels = await record_labels(db, {(target, values[column].value)
                                      for column, target in targets.items() if target})
    for column, target in targets.items():
        if target:
            item = values[column]
            item.label = labels.get((target, item.value))
            item.url = row_url(datasette, db.name, target, item.value)
    columns = await db.table_columns(table)
    return sorted(values.values(), key=lambda value: columns.index(value.field)
                  if value.field in columns else len(columns))


async def line_citations(datasette: Any, db: Any, line_id: str) -> list[CitingRecord]:
    """The records that cite one line (for the lines row page)."""
    result = await db.execute(
        "select record_table, record_id from citations where line_id = :id order by rowid",
        {"id": line_id})
    keys = list(dict.fromkeys((row["record_table"], row["record_id"]) for row in result.rows))
    labels = await record_labels(db, set(keys))
    return [CitingRecord(table=table, id=record_id, label=labels.get((table, record_id)),
                         url=row_url(datasette, db.name, table, record_id))
            for table, record_id in keys]


async def discrepancies_about(datasette: Any, db: Any, table: str,
                              record_id: str) -> list[dict[str, str]]:
    """The discrepancies that concern one record, linked."""
    if "discrepancies" not in await db.table_names():
        return []
    result = await db.execute(
        "select id, description from discrepancies "
        "where record_table = :table and record_id = :id order by rowid",
        {"table": table, "id": record_id})
    return [{"id": row["id"], "description": row["description"],
             "url": row_url(datasette, db.name, "discrepancies", row["id"])}
            for row in result.rows]


async def line_text(db: Any, line_id: str) -> str | None:
    if db.is_mutable:
        result = await db.execute("select text from lines where id = :id", {"id": line_id})
        return result.rows[0]["text"] if result.rows else None
    if db not in _lines:
        result = await db.execute("select id, text from lines")
        _lines[db] = {row["id"]: row["text"] for row in result.rows}
    return _lines[db].get(line_id)


async def record_labels(db: Any, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A short human label (name, title, quoted words…) for each record that has one."""
    tables = await db.table_names()
    labels: dict[tuple[str, str], str] = {}
    for table, column in RECORD_LABELS.items():
        ids = sorted(record_id for record_table, record_id in keys if record_table == table)
        if not ids or table not in tables:
            continue
        placeholders = ", ".join(f":id{n}" for n in range(len(ids)))
        result = await db.execute(
            f"select id, {escape_sqlite(column)} as label from {escape_sqlite(table)} "
            f"where id in ({placeholders})",
            {f"id{n}": record_id for n, record_id in enumerate(ids)},
        )
        for row in result.rows:
            labels[(table, row["id"])] = shorten(row["label"])
    return labels


def shorten(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --------------------------------------------------------------------------- syndication

# How many partner lines an article line lists before linking to the rest of its group.
PARTNERS_SHOWN = 8


@dataclass
class Partner:
    """A line of another article that prints the same sentence."""

    label: str
    line: int
    url: str


@dataclass
class LinePartners:
    """The other articles' lines in one line's group."""

    kind: str
    partners: list[Partner]
    more: int  # partners not listed
    group_url: str


async def has_tables(db: Any, *tables: str) -> bool:
    return set(tables) <= set(await db.table_names())


async def line_partners(datasette: Any, db: Any, article_id: str) -> dict[int, LinePartners]:
    """For each line of the article in a line group: its kind and its partners elsewhere."""
    if not await has_tables(db, "line_groups"):
        return {}
    result = await db.execute(
        "select mine.line as line, mine.kind as kind, mine.group_id as group_id, "
        "other.article_id as article_id, other.line as other_line, articles.label as label "
        "from line_groups mine join line_groups other on other.group_id = mine.group_id "
        "and other.article_id != mine.article_id "
        "join articles on articles.id = other.article_id "
        "where mine.article_id = :id "
        "order by mine.line, articles.published, articles.rowid, other.line",
        {"id": article_id})
    found: dict[int, LinePartners] = {}
    for row in result.rows:
        entry = found.get(row["line"])
        if entry is None:
            group_url = (datasette.urls.table(db.name, "line_groups") + "?"
                         + urlencode({"group_id": row["group_id"]}))
            entry = found[row["line"]] = LinePartners(row["kind"], [], 0, group_url)
        if len(entry.partners) < PARTNERS_SHOWN:
            entry.partners.append(Partner(row["label"], row["other_line"],
                                          article_url(datasette, row["article_id"],
                                                      row["other_line"])))
        else:
            entry.more += 1
    return found


async def group_members(datasette: Any, db: Any, article_id: str) -> dict[str, Any] | None:
    """The article's source group, and its other articles with a link comparing each."""
    if not await has_tables(db, "source_groups"):
        return None
    result = await db.execute(
        "select source_groups.id, source_groups.name from articles join source_groups "
        "on source_groups.id = articles.source_group where articles.id = :id",
        {"id": article_id})
    if not result.rows:
        return None
    group = dict(result.rows[0])
    others = await db.execute(
        "select id, label from articles where source_group = :group and id != :id "
        "order by published, rowid", {"group": group["id"], "id": article_id})
    group["url"] = row_url(datasette, db.name, "source_groups", group["id"])
    group["others"] = [
        {"label": row["label"], "url": article_url(datasette, row["id"]),
         "compare_url": compare_url(datasette, article_id, row["id"])}
        for row in others.rows
    ]
    return group


def compare_url(datasette: Any, left: str, right: str) -> str:
    return datasette.urls.path(
        f"/-/articles/{tilde_encode(left)}/compare/{tilde_encode(right)}")


async def compare_lines(db: Any, article_id: str, other_id: str
                        ) -> list[tuple[int, str, str | None]]:
    """The article's non-empty lines, each with its line group when the other article has a
    line in that group."""
    result = await db.execute(
        "select lines.line, lines.text, (select mine.group_id from line_groups mine "
        "where mine.line_id = lines.id and exists (select 1 from line_groups other "
        "where other.group_id = mine.group_id and other.article_id = :other)) as group_id "
        "from lines where lines.article_id = :id and lines.text != '' order by lines.line",
        {"id": article_id, "other": other_id})
    return [(row["line"], row["text"], row["group_id"]) for row in result.rows]


@dataclass
class Corroborated:
    """How many articles and independent sources state a record, sources grouped."""

    summary: str
    citations: int
    articles: int
    independent_sources: int
    url: str
    groups: list[dict[str, Any]]


async def corroboration(datasette: Any, db: Any, table: str,
                        record_id: str) -> Corroborated | None:
    if not await has_tables(db, "corroboration", "source_groups"):
        return None
    result = await db.execute(
        "select * from corroboration where record_table = :table and record_id = :id",
        {"table": table, "id": record_id})
    if not result.rows:
        return None
    row = result.rows[0]
    stating = await db.execute(
        "select distinct articles.id, articles.label, articles.published, articles.rowid, "
        "source_groups.id as group_id, source_groups.name as group_name "
        "from citations join articles on articles.id = citations.article_id "
        "join source_groups on source_groups.id = articles.source_group "
        "where citations.record_table = :table and citations.record_id = :id "
        "order by articles.published, articles.rowid",
        {"table": table, "id": record_id})
    groups: dict[str, dict[str, Any]] = {}
    for article in stating.rows:
        group = groups.setdefault(article["group_id"], {
            "name": article["group_name"],
            "url": row_url(datasette, db.name, "source_groups", article["group_id"]),
            "articles": [],
        })
        group["articles"].append({"label": article["label"],
                                  "url": article_url(datasette, article["id"])})
    return Corroborated(row["summary"], row["citations"], row["articles"],
                        row["independent_sources"],
                        row_url(datasette, db.name, "corroboration", row["id"]),
                        list(groups.values()))
