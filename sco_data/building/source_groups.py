"""Source groups: articles that print one story count as one independent source.

Two articles belong to one source group when they share ``SHARED_SENTENCE_GROUPS`` sentence
groups or more (``sco_data.building.sentences``: sentences printed word for word, in another house
style or lightly edited, however the paragraphs are broken). One shared sentence can be a
quotation both took from a third source; three are a copied story. The groups are the
connected components of that relation, so a wire story and all its copies are one group however
many outlets print it.

The registry may overrule the lines (``seeds/articles.yml``): ``source_group: {join: <article>}``
puts an article in another's group, ``source_group: {split: true}`` keeps it in a group of its
own; each cites the line the decision rests on and gives a reason. A group is named for the
origin its articles state: ``origin: {name, line, evidence}`` cites the line (a copyright line, a
contributor line, a byline) that names where the article's text comes from. The article whose
origin says ``names_group: true`` names the group (the curator's choice, one per group); else the
earliest article (by date, then registry order) that states one does; a group none of whose articles
states an origin is an error, since "independent source" must say which source.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sco_data.building.load import Articles, Loaded
from sco_data.building.sentences import GroupedSentence
from sco_data.building.sources import CitationError
from sco_data.errors import Problem
from sco_data.models import ArticleRecord

SHARED_SENTENCE_GROUPS = 3


@dataclass(frozen=True)
class GroupCitation:
    """A line of one of the group's articles that names its origin or a curated decision."""

    article: str
    line: int
    evidence: str


@dataclass
class SourceGroupRow:
    """One source group: its articles in registry order and the lines that name it."""

    id: str
    name: str
    articles: list[str]
    note: str
    citations: list[GroupCitation] = field(default_factory=list)


def check_registry_groups(articles: Articles) -> list[Problem]:
    """Every ``origin`` and ``source_group`` of the registry: its line and evidence stand in
    the article, the origin's name stands in its evidence, a join names another article."""
    known = {entry.record.id for entry in articles.entries}
    problems: list[Problem] = []
    for entry in articles.entries:
        record, text = entry.record, articles.texts.get(entry.record.id)
        if text is None:
            continue  # the registry check already reports an article without verified text
        for name, ref in (("origin", record.origin), ("source_group", record.source_group)):
            if ref is None:
                continue
            try:
                text.locate(ref.line, ref.evidence)
            except CitationError as error:
                wrong = "line" if not 1 <= ref.line <= text.line_count else "evidence"
                problems.append(entry.problem((name, wrong), str(error)))
        if record.origin and record.origin.name not in record.origin.evidence:
            problems.append(entry.problem(("origin", "name"), (
                f"{record.origin.name!r} does not stand in the evidence "
                f"{record.origin.evidence!r}: copy the origin's name as the line writes it"
            )))
        join = record.source_group.join if record.source_group else None
        if join is not None and (join not in known or join == record.id):
            what = "this article itself" if join == record.id else "no article"
            others = ", ".join(sorted(known - {record.id}))
            problems.append(entry.problem(("source_group", "join"), (
                f"{join!r} is {what}: join names another article of the registry ({others})"
            )))
    return problems


def group_articles(articles: Articles, grouped: list[GroupedSentence]
                   ) -> tuple[list[SourceGroupRow], dict[str, str], list[Problem]]:
    """The source groups, each article's group id, and the problems (a group naming no origin).
    Run on a registry that ``check_registry_groups`` passed."""
    entries = {entry.record.id: entry for entry in articles.entries}
    order = {article: position for position, article in enumerate(entries)}
    parent = {article: article for article in entries}

    def find(article: str) -> str:
        while parent[article] != article:
            parent[article] = parent[parent[article]]
            article = parent[article]
        return article

    def union(left: str, right: str) -> None:
        # The earlier article in the registry stays the root, so groups come out in its order.
        left, right = sorted((find(left), find(right)), key=order.__getitem__)
        parent[right] = left

    split = {article for article, entry in entries.items()
             if entry.record.source_group and entry.record.source_group.split}
    by_group = _articles_by_sentence_group(grouped)
    shared: Counter[tuple[str, str]] = Counter()
    for members in by_group.values():
        joinable = sorted(members - split, key=order.__getitem__)
        if len({find(article) for article in joinable}) < 2:
            continue  # already one group: counting its pairs again changes nothing
        for position, left in enumerate(joinable):
            for right in joinable[position + 1:]:
                if find(left) != find(right):
                    shared[(left, right)] += 1
                    if shared[(left, right)] >= SHARED_SENTENCE_GROUPS:
                        union(left, right)
    for article, entry in entries.items():
        override = entry.record.source_group
        if override and override.join:
            union(article, override.join)

    components: dict[str, list[str]] = defaultdict(list)
    for article in entries:
        components[find(article)].append(article)
    rows, membership, problems, taken = [], {}, [], Counter()
    for members in components.values():
        row = _group_row(members, entries, by_group, taken)
        if isinstance(row, Problem):
            problems.append(row)
            continue
        rows.append(row)
        membership.update(dict.fromkeys(members, row.id))
    return rows, membership, problems


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "source"


# --------------------------------------------------------------------------- internals


def _articles_by_sentence_group(grouped: Iterable[GroupedSentence]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in grouped:
        found[row.group].add(row.article_id)
    return found


def _group_row(members: list[str], entries: dict[str, Loaded[ArticleRecord]],
               by_group: dict[str, set[str]], taken: Counter[str]) -> SourceGroupRow | Problem:
    records = {article: entries[article].record for article in members}
    by_date = sorted(members, key=lambda article: records[article].published)  # stable: registry
    origins = {article: origin for article in by_date
               if (origin := records[article].origin) is not None}
    if not origins:
        return entries[members[0]].problem(("origin",), (
            f"no article of this source group ({', '.join(members)}) names its origin: give "
            "one of them an origin (name, line, evidence) citing the line that says where its "
            "text comes from (a copyright line, a contributor line, a byline)"
        ))
    chosen = [article for article, origin in origins.items() if origin.names_group]
    if len(chosen) > 1:
        return entries[chosen[1]].problem(("origin", "names_group"), (
            f"{', '.join(chosen)} each say their origin names the source group they share: "
            "keep names_group: true on one of them"))
    namer = chosen[0] if chosen else next(iter(origins))
    named = origins[namer]
    base = slug(named.name)
    taken[base] += 1
    group_id = base if taken[base] == 1 else f"{base}-{taken[base]}"
    citations = [GroupCitation(article, origin.line, origin.evidence)
                 for article, origin in origins.items()]
    notes = [_membership_note(members, records, by_group),
             f"Named for the origin {records[namer].label} states on line {named.line}"
             + (", the curator's choice (names_group)." if chosen else ".")]
    notes += [f"{records[article].label} names it {origin.name!r} (line {origin.line})."
              for article, origin in origins.items() if origin.name != named.name]
    for article in members:
        override = records[article].source_group
        if override is None:
            continue
        citations.append(GroupCitation(article, override.line, override.evidence))
        if override.join is None:
            notes.append(f"{records[article].label} is kept in a group of its own by the "
                         f"curator (line {override.line}): {override.reason}")
        else:
            target = entries[override.join].record.label
            notes.append(f"{records[article].label} joins {target}'s group by the curator "
                         f"(line {override.line}): {override.reason}")
    return SourceGroupRow(group_id, named.name, members, " ".join(notes), citations)


def _membership_note(members: list[str], records: dict[str, ArticleRecord],
                     by_group: dict[str, set[str]]) -> str:
    if len(members) == 1:
        return (f"One article: it shares fewer than {SHARED_SENTENCE_GROUPS} sentence groups with "
                "any other.")
    inside = set(members)
    shared = sum(1 for articles in by_group.values() if len(articles & inside) >= 2)
    labels = ", ".join(records[article].label for article in members)
    return (f"{len(members)} articles ({labels}) print one story: {shared} sentence groups "
            f"stand in two or more of them, and articles sharing {SHARED_SENTENCE_GROUPS} or "
            "more are one source.")
