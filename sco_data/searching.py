"""Search the built database as a reader asks it: a name leads to what its bearer said and did.

One function, ``search(connection, query)``, answers both the site's search box (``/-/search``)
and ``sco_data.search()`` in Python, so the two cannot list different things. It reads only
SQLite through the standard library's ``sqlite3`` interface.

How a query is read:

1. **Names.** The query is folded as the build folds text (case, accents, house style:
   ``sco_data.building.folding``) and cut into the longest runs of words that name a person,
   an organization or a country at the start of a word of any of their spellings: "putin xi"
   is two names, "vladimir putin" one. A run naming someone by a whole word ("xi") names only
   those it names whole (Xi Jinping, not the Xinhua news agency, which is still listed). A word
   naming no one is matched to the closest spelling (rapidfuzz, the API's own matcher), so
   "Mokhbar" and "mokhbr" find Mohammad Mokhber either way.
2. **Their records.** Each named person brings their meetings, quotes and attendance; an
   organization or a country its people, its meetings (through its people), its quotes,
   attendance and standing (members, observers). A record reached from every name of the query
   ("putin xi": the meetings of the two) comes first in its kind.
3. **Words.** Meetings whose title or place holds the query, and quotes and article lines
   holding every word (each as the start of a word, through the full-text indexes), follow.

Hits are grouped by kind, in the order of ``KINDS``: the names, then their records, then lines.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sco_data.building.folding import fold

# Hits listed per kind; the rest are counted.
SHOWN = 20
QUERY_LENGTH = 200  # longer queries are cut: no name or line needs more
# A word naming no one is matched to the closest spelling only from this length: shorter ones
# ("of", "in") would be close to too many names.
FUZZY_LENGTH = 4
_MARK_START, _MARK_END = "\x01", "\x02"
_WORD = re.compile(r"\w+")

KINDS = {
    "people": "People", "organizations": "Organizations", "countries": "Countries",
    "meetings": "Meetings", "quotes": "Quotes", "attendees": "Attendees",
    "members": "Members", "observers": "Observers", "lines": "Article lines",
}
NAMED = ("people", "organizations", "countries")

# Each named table's records: id, main name, what to show beside it, other spellings.
NAMES_SQL = {
    "people": (
        "select id, name, coalesce(title, '') as detail, "
        "(select group_concat(name, char(31)) from aliases where aliases.person_id = people.id)"
        " from people order by name"),
    "organizations": (
        "select id, name, coalesce(kind, '') as detail, "
        "(select group_concat(name, char(31)) from organization_aliases "
        " where organization_aliases.organization_id = organizations.id) "
        "from organizations order by name"),
    "countries": (
        "select id, name, '' as detail, "
        "(select group_concat(name, char(31)) from country_aliases "
        " where country_aliases.country_id = countries.id) from countries order by name"),
}

# Each kind of record as a hit: id, the record in words, a detail, and the order it lists in.
# A meeting is also found by its title or place (``words``): neither is a name of anyone.
RECORDS_SQL = {
    "meetings": (
        "select id, title, coalesce(start_date, 'date not given') || coalesce(', ' || place, '')"
        " || ', ' || status, listing_order, title || coalesce(' ' || place, '') as words "
        "from meetings"),
    "quotes": (
        "select quotes.id, quotes.text, quotes.speaker, quotes.listing_order, '' from quotes"),
    "attendees": (
        "select attendees.id, coalesce(people.name, countries.name, organizations.name, "
        "attendees.id) || ': ' || attendees.attendance, coalesce(attendees.role, ''), "
        "attendees.listing_order, '' from attendees "
        "left join people on people.id = attendees.person_id "
        "left join countries on countries.id = attendees.country_id "
        "left join organizations on organizations.id = attendees.organization_id"),
    "members": (
        "select members.id, countries.name || ': ' || case when members.founding "
        "then 'a founding member' else 'a member' end || ' of the ' || organizations.name, "
        "coalesce('since ' || members.joined, ''), countries.name, '' from members "
        "join countries on countries.id = members.country_id "
        "join organizations on organizations.id = members.organization_id"),
    "observers": (
        "select observers.id, countries.name || ': ' || replace(observers.status, '_', ' ') "
        "|| ' of the ' || organizations.name, '', countries.name, '' from observers "
        "join countries on countries.id = observers.country_id "
        "join organizations on organizations.id = observers.organization_id"),
}

# What a named record brings: (kind of record, SQL giving (named id, record id) pairs).
RELATED_SQL: dict[str, list[tuple[str, str]]] = {
    "people": [
        ("meetings", "select person_id, meeting_id from meeting_participants"),
        ("quotes", "select person_id, id from quotes where person_id is not null"),
        ("attendees", "select person_id, id from attendees where person_id is not null"),
    ],
    "organizations": [
        ("people", "select organization_id, id from people where organization_id is not null"),
        ("meetings", "select distinct people.organization_id, meeting_participants.meeting_id "
                     "from meeting_participants join people on people.id = "
                     "meeting_participants.person_id where people.organization_id is not null"),
        ("quotes", "select organization_id, id from quotes where organization_id is not null"),
        ("attendees", "select organization_id, id from attendees "
                      "where organization_id is not null"),
        ("members", "select organization_id, id from members"),
        ("observers", "select organization_id, id from observers"),
    ],
    "countries": [
        ("people", "select country_id, id from people where country_id is not null"),
        ("meetings", "select distinct people.country_id, meeting_participants.meeting_id "
                     "from meeting_participants join people on people.id = "
                     "meeting_participants.person_id where people.country_id is not null"),
        ("quotes", "select country_id, id from quotes where country_id is not null"),
        ("attendees", "select country_id, id from attendees where country_id is not null"),
        ("members", "select country_id, id from members"),
        ("observers", "select country_id, id from observers"),
    ],
}

# Words that name no one by themselves, though names hold them ("Center for Strategic and
# International Studies"): a run of these alone is not read as a name.
STOP_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with"})

# How well a run of words names a record; lower is better.
WHOLE, START, CLOSE = 0, 1, 2


@dataclass(frozen=True)
class Hit:
    """One record or article line found.

    ``table`` and ``id`` address it (``lines`` and the line's id for an article line);
    ``label`` is the record in words, ``detail`` what the list shows beside it, ``marks`` the
    spans of ``label`` that hold the searched words, as (start, end) pairs.
    """

    table: str
    id: str
    label: str
    detail: str
    marks: tuple[tuple[int, int], ...] = ()
    article_id: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.label} ({self.table}/{self.id})" + (f": {self.detail}" if self.detail
                                                           else "")


@dataclass(frozen=True)
class Group:
    """The hits of one kind, best first: at most ``SHOWN`` of ``total``."""

    kind: str
    title: str
    hits: tuple[Hit, ...]
    total: int

    def __str__(self) -> str:
        listed = "".join(f"\n  {hit}" for hit in self.hits)
        more = f"\n  … and {self.total - len(self.hits)} more" if self.total > len(
            self.hits) else ""
        return f"{self.title} ({self.total}){listed}{more}"


@dataclass(frozen=True)
class Named:
    """A person, organization or country, with every spelling folded once."""

    table: str
    id: str
    name: str
    detail: str
    spellings: tuple[str, ...]  # the other spellings, as written
    folded: tuple[str, ...]  # " " + each spelling (the name first) folded, + " "


@dataclass(frozen=True)
class Shown:
    """A record as a hit shows it, and where its kind lists it."""

    label: str
    detail: str
    order: object
    words: str  # folded " title place " of a meeting, matched by the query as words


@dataclass
class Index:
    """What a search reads of a database besides its full-text indexes: small, read once."""

    named: list[Named]
    records: dict[str, dict[str, Shown]]
    related: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class _Term:
    """A run of the query's words and what it names: at its best closeness only."""

    words: str
    named: list[tuple[int, Named]]  # (closeness, record), every match, best first

    @property
    def anchors(self) -> list[Named]:
        best = min(closeness for closeness, _ in self.named)
        return [record for closeness, record in self.named if closeness == best]


def load_index(connection: sqlite3.Connection) -> Index:
    """The names, records and relations of ``connection``'s database; tables it lacks are
    skipped (a database of another shape gets the search its tables allow)."""
    tables = {row[0] for row in connection.execute(
        "select name from sqlite_master where type in ('table', 'view')")}
    named = [
        _named(table, *row)
        for table, sql in NAMES_SQL.items() if _has(tables, sql)
        for row in connection.execute(sql)
    ]
    records = {
        kind: {row[0]: Shown(row[1], row[2] or "", row[3], " " + fold(row[4] or "") + " ")
               for row in connection.execute(sql)}
        for kind, sql in RECORDS_SQL.items() if _has(tables, sql)
    }
    related: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for table, relations in RELATED_SQL.items():
        for kind, sql in relations:
            if _has(tables, sql):
                for named_id, record_id in connection.execute(sql):
                    related[(table, named_id)].append((kind, record_id))
    return Index(named, records, dict(related))


def search(connection: sqlite3.Connection, query: str, index: Index | None = None) -> list[Group]:
    """Every kind with at least one hit, in the order of ``KINDS``, best hits first."""
    query = query[:QUERY_LENGTH]
    index = index or load_index(connection)
    folded = fold(query)
    if not folded:
        return []
    terms = _terms(index.named, folded.split(), lambda word: _printed(connection, word))
    found: dict[str, dict[str, tuple[int, ...]]] = defaultdict(dict)  # kind → id → rank
    by_id = {(record.table, record.id): record for record in index.named}
    whole = " " + folded
    for closeness, record in sorted(_matches(index.named, whole) + [
            match for term in terms for match in term.named], key=lambda match: match[0]):
        found[record.table].setdefault(record.id, (0, closeness))
    reached = _reached(index, terms)
    for (kind, record_id), term_numbers in reached.items():
        # Shared by more of the names first; then the kind's own order.
        found[kind].setdefault(record_id, (1, -len(term_numbers)))
    for record_id, shown in index.records.get("meetings", {}).items():
        if whole in shown.words:
            found["meetings"].setdefault(record_id, (2, 0))
    words = query_words(query)
    groups = []
    for kind, title in KINDS.items():
        if kind == "lines":
            groups.append(_lines(connection, words))
            continue
        marked = _text_matches(connection, "quotes", words) if kind == "quotes" else {}
        for record_id in marked:
            found[kind].setdefault(record_id, (2, 0))
        ranked = sorted(found.get(kind, {}).items(),
                        key=lambda item: (item[1], _order(index, kind, item[0], by_id)))
        hits = tuple(_hit(index, kind, record_id, by_id, reached.get((kind, record_id), ()),
                          terms, marked.get(record_id))
                     for record_id, _ in ranked[:SHOWN])
        groups.append(Group(kind, title, hits, len(ranked)))
    return [group for group in groups if group.total]


def query_words(query: str) -> list[str]:
    """The words quotes and lines are searched for."""
    return _WORD.findall(query[:QUERY_LENGTH])


def _has(tables: set[str], sql: str) -> bool:
    """Whether every table ``sql`` reads is in the database."""
    return all(table in tables for table in re.findall(r"\b(?:from|join) (\w+)", sql))


def _named(table: str, record_id: str, name: str, detail: str, spellings: str | None) -> Named:
    others = tuple(spelling for spelling in (spellings or "").split("\x1f")
                   if spelling and spelling != name)
    folded = tuple(" " + fold(spelling) + " " for spelling in (name, *others))
    return Named(table, record_id, name, detail, others, folded)


def _matches(named: Iterable[Named], words: str) -> list[tuple[int, Named]]:
    """The records ``words`` (folded, with a leading space) names: as whole words, or at the
    start of a word of one of their spellings."""
    found = []
    for record in named:
        if any(words + " " in spelling for spelling in record.folded):
            found.append((WHOLE, record))
        elif any(words in spelling for spelling in record.folded):
            found.append((START, record))
    return found


def _terms(named: list[Named], words: list[str], printed: Callable[[str], bool]) -> list[_Term]:
    """The query's words cut into the longest runs that each name someone; a word naming no
    one and printed nowhere is read as a misspelling of the closest name, if one is close
    enough ("astana" names no one but is a word of the articles: it is not a misspelling)."""
    terms, start = [], 0
    while start < len(words):
        for end in range(len(words), start, -1):
            if STOP_WORDS.issuperset(words[start:end]):
                continue
            run = " ".join(words[start:end])
            matched = _matches(named, " " + run)
            if matched:
                terms.append(_Term(run, matched))
                start = end
                break
        else:
            close = [] if printed(words[start]) or words[start] in STOP_WORDS else _close(
                named, words[start])
            if close:
                terms.append(_Term(words[start], close))
            start += 1
    return terms


def _close(named: list[Named], word: str) -> list[tuple[int, Named]]:
    """The records with a word of a spelling closest to ``word`` (the API's matcher)."""
    if len(word) < FUZZY_LENGTH:
        return []
    from sco_data.api.names import close_matches

    vocabulary = {part for record in named for spelling in record.folded
                  for part in spelling.split()}
    nearest = close_matches(word, vocabulary)[:1]
    return [(CLOSE, record) for record in named if nearest and any(
        f" {nearest[0]} " in spelling for spelling in record.folded)]


def _reached(index: Index, terms: list[_Term]) -> dict[tuple[str, str], set[int]]:
    """Each record some name of the query brings, with the numbers of the terms that do."""
    reached: dict[tuple[str, str], set[int]] = defaultdict(set)
    for number, term in enumerate(terms):
        for record in term.anchors:
            for kind, record_id in index.related.get((record.table, record.id), ()):
                reached[(kind, record_id)].add(number)
    return reached


def _order(index: Index, kind: str, record_id: str, by_id: dict[tuple[str, str], Named]
           ) -> tuple[object, str]:
    if kind in NAMED:
        record = by_id.get((kind, record_id))
        return (record.name if record else "", record_id)
    shown = index.records.get(kind, {}).get(record_id)
    return (shown.order if shown and shown.order is not None else "", record_id)


def _hit(index: Index, kind: str, record_id: str, by_id: dict[tuple[str, str], Named],
         term_numbers: Iterable[int], terms: list[_Term], marked: str | None) -> Hit:
    if kind in NAMED:
        record = by_id[(kind, record_id)]
        return Hit(kind, record_id, record.name, _named_detail(record, terms))
    shown = index.records[kind][record_id]
    numbers = sorted(term_numbers)
    detail = shown.detail
    if len(terms) > 1 and len(numbers) == len(terms):
        names = [", ".join(record.name for record in terms[number].anchors)
                 for number in numbers]
        detail += ("; " if detail else "") + "names " + " and ".join(names)
    label, marks = _unmark(marked) if marked else (shown.label, ())
    return Hit(kind, record_id, label, detail, marks)


def _named_detail(record: Named, terms: list[_Term]) -> str:
    """The record's detail, and the spelling the query matched where it is not the name."""
    detail = record.detail
    for term in terms:
        closeness = next((closeness for closeness, match in term.named if match is record), None)
        if closeness is None:
            continue
        if closeness == CLOSE:
            return detail + ("; " if detail else "") + f"closest to “{term.words}”"
        if not _matches([_named(record.table, record.id, record.name, "", None)],
                        " " + term.words):
            spelling = next(spelling for spelling, folded in zip(
                record.spellings, record.folded[1:], strict=True) if " " + term.words in folded)
            return detail + ("; " if detail else "") + f"also written “{spelling}”"
    return detail


def _text_matches(connection: sqlite3.Connection, table: str, words: list[str]
                  ) -> dict[str, str]:
    """Quotes holding every word (as a prefix), best first: id → text with the words marked."""
    if not words or not _fts(connection, table):
        return {}
    rows = connection.execute(
        f"select {table}.id, highlight({table}_fts, 0, char(1), char(2)) from {table}_fts "
        f"join {table} on {table}.rowid = {table}_fts.rowid "
        f"where {table}_fts match :match order by rank", {"match": _match(words)})
    return dict(rows.fetchall())


def _lines(connection: sqlite3.Connection, words: list[str]) -> Group:
    """Article lines holding every word (as a prefix), best first."""
    if not words or not _fts(connection, "lines"):
        return Group("lines", KINDS["lines"], (), 0)
    match = _match(words)
    rows = connection.execute(
        "select lines.id, highlight(lines_fts, 0, char(1), char(2)), articles.label, "
        "lines.article_id, lines.line from lines_fts "
        "join lines on lines.rowid = lines_fts.rowid "
        "join articles on articles.id = lines.article_id "
        f"where lines_fts match :match order by rank limit {SHOWN}", {"match": match})
    hits = tuple(_line_hit(*row) for row in rows.fetchall())
    total = connection.execute("select count(*) from lines_fts where lines_fts match :match",
                               {"match": match}).fetchone()[0]
    return Group("lines", KINDS["lines"], hits, total)


def _line_hit(line_id: str, marked: str, label: str, article_id: str, line: int) -> Hit:
    text, marks = _unmark(marked)
    return Hit("lines", line_id, text, f"{label}, line {line}", marks, article_id, line)


def _printed(connection: sqlite3.Connection, word: str) -> bool:
    """Whether a word of an article line starts with ``word``."""
    if not _fts(connection, "lines"):
        return False
    return connection.execute("select exists (select 1 from lines_fts where lines_fts match ?)",
                              (_match([word]),)).fetchone()[0] == 1


def _match(words: list[str]) -> str:
    # Each word quoted, so nothing typed is read as FTS syntax; a trailing * makes it a prefix.
    return " ".join(f'"{word}"*' for word in words)


def _fts(connection: sqlite3.Connection, table: str) -> bool:
    names = {row[0] for row in connection.execute(
        "select name from sqlite_master where name in (?, ?)", (table, f"{table}_fts"))}
    return names == {table, f"{table}_fts"}


def _unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text with the full-text index's markers taken out, and where they stood."""
    text, marks, start = [], [], 0
    length = 0
    for piece in re.split(f"([{_MARK_START}{_MARK_END}])", marked):
        if piece == _MARK_START:
            start = length
        elif piece == _MARK_END:
            marks.append((start, length))
        else:
            text.append(piece)
            length += len(piece)
    return "".join(text), tuple(marks)
