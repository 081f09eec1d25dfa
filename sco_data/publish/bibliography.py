"""Citations of the dataset's records and of its source articles: plain text, BibTeX, CSL-JSON.

``source_citation`` writes one source as text, naming who wrote and who published the article
where it says (``Byline, Publisher, "Title" (2024-07-03), line 51: "the words"``);
``record_citation`` gives the one line a reader pastes to cite a record, its sources in that
format (the format the README's "How to cite a row" documents); ``bibtex`` and ``csl_json``
give the source articles, or the cited lines of them, to reference managers and citation
processors. Everything here is a pure function over the plain dataclasses below, so the
Datasette "Cite this record" box, the download endpoints and the Python API format a citation
the same way, without touching the database.

BibTeX and CSL-JSON share their keys: an article is keyed by its id, a cited line by
``<article id>-L<line>``, made safe for BibTeX and unique within one call.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ArticleRef",
    "SourceRef",
    "bibtex",
    "csl_json",
    "csl_json_text",
    "record_citation",
    "source_citation",
]


@dataclass(frozen=True)
class ArticleRef:
    """One source article, as its registry entry describes it."""

    id: str
    title: str
    publisher: str | None
    byline: str | None
    published: str | None
    published_precision: str | None


@dataclass(frozen=True)
class SourceRef:
    """One cited line of an article and the exact words cited on it."""

    article: ArticleRef
    line: int
    evidence: str
    citation_id: str | None = None


Item = ArticleRef | SourceRef


def _article(item: Item) -> ArticleRef:
    """The article an item is, or cites."""
    return item.article if isinstance(item, SourceRef) else item


# --- Plain text -------------------------------------------------------------------------------

# Anything that would break the citation onto a second line (str.splitlines' set of breaks).
_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+\s*")


def _one_line(text: str) -> str:
    """``text`` with every line break (and the spaces around it) turned into one space."""
    return _LINE_BREAKS.sub(" ", text)


def _names(article: ArticleRef) -> list[str]:
    """Who wrote and who published the article, as far as it says: the byline, then the
    publisher; one name once (a byline that is the publisher's name is not said twice)."""
    names: list[str] = []
    for name in (article.byline, article.publisher):
        name = (name or "").strip()
        if name and name.casefold() not in {named.casefold() for named in names}:
            names.append(name)
    return names


def source_citation(item: Item, *, evidence: bool = True) -> str:
    """One source as text: ``Byline, Publisher, "Title" (2024-07-03), line 51: "the words"``.

    The byline and the publisher are named where the article gives them (a name both are is
    said once), the date where it has one; an article without either is cited by its title
    alone, with no placeholder. An article (not a line of it) ends after its date;
    ``evidence=False`` ends a line's citation at its number, for where the words are shown
    apart. Always one line: a line break in the data becomes a space.
    """
    article = _article(item)
    text = ", ".join([*_names(article), f'"{article.title}"'])
    if article.published:
        text += f" ({article.published})"
    if isinstance(item, SourceRef):
        text += f", line {item.line}"
        if evidence:
            text += f': "{item.evidence}"'
    return _one_line(text)


def record_citation(version: str, table: str, record_id: str,
                    sources: Sequence[SourceRef]) -> str:
    """The one-line citation of a record: ``sco_data <version>, <table>/<id>: `` then each
    source's ``source_citation``, in the order given, joined by ``; ``."""
    # A pasted citation is a single line: a stray line break in the data must not split it.
    head = _one_line(f"sco_data {version}, {table}/{record_id}")
    if not sources:
        return head
    return f"{head}: " + "; ".join(source_citation(source) for source in sources)


# --- Shared by BibTeX and CSL-JSON ------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
_PRECISION_PARTS = {"year": 1, "month": 2, "day": 3}


def _date_parts(article: ArticleRef) -> list[int] | None:
    """Year, month, day of the article's date, as far as its precision goes; None if unusable."""
    if not article.published:
        return None
    match = _ISO_DATE.fullmatch(article.published.strip())
    if match is None:
        return None
    parts = [int(group) for group in match.groups() if group is not None]
    # The precision can only narrow what the string says: a '2024-07-03' of precision 'month'
    # is July 2024, but a '2024' cannot become a day.
    keep = _PRECISION_PARTS.get(article.published_precision or "", 3)
    parts = parts[:keep]
    year, month, day = [*parts, 1, 1][:3]
    try:  # reject '2024-13' or '2024-02-30' rather than hand a reference manager nonsense
        datetime.date(year, month, day)
    except ValueError:
        return None
    return parts


def _note(source: SourceRef) -> str:
    """What a bibliography says of the cited line: ``Line 51: “the words”``."""
    return f"Line {source.line}: “{_one_line(source.evidence)}”"


# BibTeX and biber reject these in a key (and LaTeX's \cite dislikes more); keep a safe ASCII set.
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.:+-]+")


def _base_key(item: Item) -> str:
    """The item's key before de-duplication: the article id, ``-L<line>`` for a source."""
    key = _KEY_UNSAFE.sub("-", _article(item).id).strip("-") or "ref"
    return f"{key}-L{item.line}" if isinstance(item, SourceRef) else key


def _keys(items: Sequence[Item]) -> list[str]:
    """A unique key per item: the first of a base key keeps it, later ones get ``-2``, ``-3``."""
    bases = [_base_key(item) for item in items]
    # A suffixed key must not take a base key that another item has as is (say 'a-2').
    taken = set(bases)
    seen: set[str] = set()
    keys = []
    for base in bases:
        key, n = base, 1
        if base in seen:
            while key in taken:
                n += 1
                key = f"{base}-{n}"
            taken.add(key)
        seen.add(base)
        keys.append(key)
    return keys


# --- BibTeX -----------------------------------------------------------------------------------

# Entry type: @article, with `journal` naming the outlet and `entrysubtype = {newspaper}`.
# - It is what Zotero's own BibTeX and BibLaTeX exporters write for a newspaper article, and
#   what Better BibTeX writes (with entrysubtype) for biblatex; Zotero and JabRef import it back
#   as an article whose publication is the outlet named by `journal`.
# - Classic BibTeX styles know @article and print `journal`; biber maps `journal` to
#   `journaltitle`; biblatex's manual gives @article for newspaper articles, and `entrysubtype`
#   (ignored by the standard styles) lets styles that treat newspapers apart tell them so.
# - @online would be the web page, not the news report: classic BibTeX has no such type, and
#   Zotero imports it as a web page, losing the outlet.

# Escapes for LaTeX's specials. Braces become \textbraceleft{} and \textbraceright{}, not \{ and
# \}: BibTeX counts braces without regard to backslashes, so an unbalanced \{ would end (or
# never end) the field. str.translate maps each character once, so escapes are not re-escaped.
_LATEX_ESCAPES = str.maketrans({
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
})

# BibTeX's month macros: classic styles print them as month names, biber reads them as numbers.
_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun",
                 "jul", "aug", "sep", "oct", "nov", "dec")


# TeX's ligatures would turn the cited words' "--" into a dash and "``" or "''" into curly
# quotes; an empty group between the two characters keeps them as typed.
_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")


def _latex(text: str) -> str:
    """``text`` for a braced BibTeX value: LaTeX specials escaped, line breaks made spaces."""
    return _LIGATURES.sub("{}", _one_line(text).translate(_LATEX_ESCAPES))


def _bibtex_fields(item: Item) -> list[tuple[str, str]]:
    """The entry's fields in print order, each value exactly as it goes between ``=`` and ``,``."""
    article = _article(item)
    fields: list[tuple[str, str]] = []
    if article.byline:
        # Doubly braced: one literal name, so "Burrows, with ... and Suzan Fraser" is not split
        # at its commas and "and"s into family and given names of several people.
        fields.append(("author", f"{{{{{_latex(article.byline)}}}}}"))
    # Doubly braced too: classic styles lowercase titles ("Leaders of russia"), and a headline's
    # capitals are its proper nouns.
    fields.append(("title", f"{{{{{_latex(article.title)}}}}}"))
    if article.publisher:
        fields.append(("journal", f"{{{_latex(article.publisher)}}}"))
    fields.append(("entrysubtype", "{newspaper}"))
    parts = _date_parts(article)
    if parts is not None:
        # biblatex reads `date` at its precision; classic BibTeX only `year` and `month`. Since
        # biber 2.6 the two agreeing raises no "Overwriting field 'year'" warning.
        fields.append(("date", "{" + "-".join(f"{part:02d}" for part in parts) + "}"))
        fields.append(("year", f"{{{parts[0]}}}"))
        if len(parts) > 1:
            fields.append(("month", _MONTH_MACROS[parts[1] - 1]))
    if isinstance(item, SourceRef):
        fields.append(("note", f"{{{_latex(_note(item))}}}"))
    return fields


def _bibtex_entry(key: str, item: Item) -> str:
    """One ``@article{...}`` entry, fields one a line."""
    body = ",\n".join(f"  {name} = {value}" for name, value in _bibtex_fields(item))
    return f"@article{{{key},\n{body}\n}}\n"


def bibtex(articles_or_sources: Sequence[ArticleRef | SourceRef]) -> str:
    """A BibTeX file (UTF-8 text), one entry per article or cited line in order; "" for none."""
    items = list(articles_or_sources)
    return "\n".join(_bibtex_entry(key, item) for key, item in zip(_keys(items), items,
                                                                    strict=True))


# --- CSL-JSON ---------------------------------------------------------------------------------


def _csl_item(key: str, item: Item) -> dict[str, Any]:
    """One CSL-JSON item for an article or a cited line of one."""
    article = _article(item)
    data: dict[str, Any] = {"id": key, "type": "article-newspaper", "title": article.title}
    if article.byline:
        # A literal name: CSL processors print it as is rather than invert "Burrows, with ...".
        data["author"] = [{"literal": article.byline}]
    if article.publisher:
        # The outlet is both the container (the "newspaper") and the publisher; styles print
        # one or the other for article-newspaper.
        data["container-title"] = article.publisher
        data["publisher"] = article.publisher
    parts = _date_parts(article)
    if parts is not None:
        data["issued"] = {"date-parts": [parts]}
    elif article.published:
        data["issued"] = {"literal": article.published}
    if isinstance(item, SourceRef):
        data["note"] = _note(item)
    return data


def csl_json(articles_or_sources: Sequence[ArticleRef | SourceRef]) -> list[dict[str, Any]]:
    """CSL-JSON items, one per article or cited line, in the order given."""
    items = list(articles_or_sources)
    return [_csl_item(key, item) for key, item in zip(_keys(items), items, strict=True)]


def csl_json_text(items: list[dict[str, Any]]) -> str:
    """CSL-JSON items as a UTF-8 JSON document, indented, ending with a newline."""
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
