"""Citations as text, BibTeX and CSL-JSON, read back by real consumers.

The BibTeX is parsed by bibtexparser and its values decoded by pylatexenc (a LaTeX-to-text
converter, told only what LaTeX itself defines the escapes' macros as); the CSL-JSON is checked
against the official schema (tests/data/csl-data.json, citation-style-language/schema v1.0.2)
and rendered by citeproc-py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from sco_data.publish.bibliography import (
    ArticleRef,
    SourceRef,
    bibtex,
    csl_json,
    csl_json_text,
    record_citation,
    source_citation,
)

ROOT = Path(__file__).resolve().parents[1]
CSL_SCHEMA = json.loads((ROOT / "tests" / "data" / "csl-data.json").read_text(encoding="utf-8"))

AP_MEET = ArticleRef(
    id="ap-leaders-meet-2024-07-03",
    title="Leaders of Russia and China meet at a Central Asian summit in a show of deepening "
          "cooperation",
    publisher="The Associated Press",
    byline="Burrows, with Simina Mistreanu, Krutika Pathi and Suzan Fraser",
    published="2024-07-03",
    published_precision="day",
)
VOA = ArticleRef(
    id="voa-xi-putin-talks-2024-07-03",
    title="China’s Xi, Russia’s Putin hold talks at Central Asian summit",
    publisher="Voice of America",
    byline="VOA News",
    published="2024-07-03",
    published_precision="day",
)
AP_ATTEND = ArticleRef(
    id="ap-leaders-attend-2024-07-04",
    title="Leaders of Russia, China attend summit of regional security grouping",
    publisher="The Associated Press",
    byline=None,
    published="2024-07-04",
    published_precision="day",
)
BELARUS = SourceRef(AP_ATTEND, 7, "Belarus, joined the SCO on Thursday.", "members-sco-belarus-1")
README_EXAMPLE = (
    'sco_data 0.1.0, members/sco-belarus: The Associated Press, "Leaders of Russia, China attend '
    'summit of regional security grouping" (2024-07-04), line 7: "Belarus, joined the SCO on '
    'Thursday."'
)

# Every character the escaper must handle, and TeX's ligatures.
NASTY = r"50% of A&B cost $5 (#1) a_b x^2 ~y {c} }x{ C:\path\ -- `` '' !` ?` @home “q” ž"

# BibTeX keys: no whitespace, commas, braces, quotes, '#', '%', '=', '~', '(', ')' or backslash.
VALID_KEY = re.compile(r"[^\s,{}\"'#%=~()\\]+")


# --- Helpers --------------------------------------------------------------------------------


def _latex_to_text() -> LatexNodes2Text:
    """pylatexenc, taught the text-mode macros LaTeX defines for the specials, as LaTeX does."""
    context = get_default_latex_context_db()
    context.add_context_category("specials", prepend=True, macros=[
        MacroTextSpec("textbackslash", "\\"),
        MacroTextSpec("textbraceleft", "{"),
        MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"),
        MacroTextSpec("textasciitilde", "~"),
    ])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


DECODER = _latex_to_text()


def decode(value: str) -> str:
    """A BibTeX field's value as text: one level of brace groups and the escapes undone."""
    return DECODER.latex_to_text(value)


def braces_balance(value: str) -> bool:
    """Whether BibTeX, which counts braces with no regard to backslashes, finds them balanced."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# What the escaper may write: a backslash starts one of these, and no special stands bare (LaTeX
# stops at a bare '_', '^', '$', '&' or '#'; '%' would start a comment, '~' a tie).
_ESCAPES = re.compile(
    r"\\(?:[%&$#_]|text(?:backslash|braceleft|braceright|asciicircum|asciitilde)\{\})")


def specials_escaped(value: str) -> bool:
    """Whether every LaTeX special in a field's value is escaped."""
    return not set(_ESCAPES.sub("", value)) & set("\\$&#_^~%")


def parse(text: str) -> bibtexparser.Library:
    """Parse BibTeX, failing the test on any block the parser could not read."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return library


def fields(entry: Any) -> dict[str, str]:
    """An entry's raw field values by name."""
    return {field.key: field.value for field in entry.fields}


def validate_csl(items: list[dict[str, Any]]) -> None:
    """Raise unless ``items`` is valid CSL-JSON by the official schema."""
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(items)


def render(items: list[dict[str, Any]]) -> list[str]:
    """The bibliography citeproc-py prints for ``items`` in the Harvard style it bundles."""
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items),
                                              citeproc_formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def article(**changes: Any) -> ArticleRef:
    """AP 3 July with some fields changed."""
    values = {**AP_MEET.__dict__, **changes}
    return ArticleRef(**values)


# --- Plain text -----------------------------------------------------------------------------


def test_one_source_gives_the_readme_example_exactly():
    assert record_citation("0.1.0", "members", "sco-belarus", [BELARUS]) == README_EXAMPLE


def test_the_readme_still_documents_that_format():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How to cite a row", 1)[1]
    quoted = [line[2:] for line in section.splitlines() if line.startswith("> ")]
    assert " ".join(quoted).replace("`", "") == README_EXAMPLE


def test_the_release_codebook_gives_the_same_example():
    from sco_data.publish.codebook import render_codebook

    assert f"\n> {README_EXAMPLE}\n" in render_codebook("0.1.0")


def test_several_sources_in_the_order_given_joined_by_semicolons():
    second = SourceRef(VOA, 12, "held talks in Kazakhstan Wednesday")
    text = record_citation("0.1.0", "meetings", "xi-putin", [second, BELARUS])
    assert text == (
        'sco_data 0.1.0, meetings/xi-putin: VOA News, Voice of America, "China’s Xi, Russia’s '
        'Putin hold talks at Central Asian summit" (2024-07-03), line 12: "held talks in '
        'Kazakhstan Wednesday"; The Associated Press, "Leaders of Russia, China attend summit of '
        'regional security grouping" (2024-07-04), line 7: "Belarus, joined the SCO on '
        'Thursday."'
    )


def test_a_source_names_its_byline_then_its_publisher():
    source = SourceRef(AP_MEET, 51, "Putin hailed the SCO")
    assert source_citation(source) == (
        'Burrows, with Simina Mistreanu, Krutika Pathi and Suzan Fraser, The Associated Press, '
        f'"{AP_MEET.title}" (2024-07-03), line 51: "Putin hailed the SCO"')
    # Each segment of a record's citation is its source's citation.
    assert record_citation("0.1.0", "quotes", "q", [source, BELARUS]) == (
        f"sco_data 0.1.0, quotes/q: {source_citation(source)}; {source_citation(BELARUS)}")


@pytest.mark.parametrize(("publisher", "byline", "names"), [
    ("The Associated Press", "Burrows", "Burrows, The Associated Press, "),
    (None, "Sededin Dedovic", "Sededin Dedovic, "),
    ("Voice of America", None, "Voice of America, "),
    # A byline that is the publisher's name (the Press Association's) is said once.
    ("Press Association", "Press Association", "Press Association, "),
    ("press association ", "Press Association", "Press Association, "),
    (None, None, ""),
    ("", "  ", ""),
])
def test_a_source_names_who_the_article_says_and_no_placeholder(
        publisher: str | None, byline: str | None, names: str):
    source = SourceRef(article(publisher=publisher, byline=byline), 3, "words")
    assert source_citation(source) == f'{names}"{AP_MEET.title}" (2024-07-03), line 3: "words"'
    assert "not named" not in record_citation("0.2.0", "quotes", "q1", [source])


def test_missing_byline_publisher_and_date_leave_the_title_alone():
    bare = article(publisher=None, byline=None, published=None, published_precision=None)
    text = record_citation("0.2.0", "quotes", "q1", [SourceRef(bare, 3, "words")])
    assert text == f'sco_data 0.2.0, quotes/q1: "{bare.title}", line 3: "words"'


def test_a_source_without_its_words_and_an_article_alone():
    source = SourceRef(VOA, 12, "held talks")
    assert source_citation(source, evidence=False) == (
        f'VOA News, Voice of America, "{VOA.title}" (2024-07-03), line 12')
    assert source_citation(VOA) == f'VOA News, Voice of America, "{VOA.title}" (2024-07-03)'
    assert source_citation(source) == source_citation(source, evidence=False) + ': "held talks"'


def test_no_sources_gives_the_record_alone():
    assert record_citation("0.1.0", "members", "sco-belarus", []) == (
        "sco_data 0.1.0, members/sco-belarus")


def test_a_citation_is_one_line_without_an_added_period():
    broken = SourceRef(AP_MEET, 1, "first part\nsecond part\u2028third")
    text = record_citation("0.1.0", "t", "r", [broken])
    assert text.splitlines() == [text]
    assert text.endswith('line 1: "first part second part third"')
    split_names = article(byline="Burrows,\nwith others", publisher="AP\u2028News")
    text = source_citation(SourceRef(split_names, 1, "words"))
    assert text.splitlines() == [text]
    assert text.startswith('Burrows, with others, AP News, "')


# --- BibTeX ---------------------------------------------------------------------------------


def test_bibtex_of_the_real_articles_parses_and_round_trips():
    items: list[ArticleRef | SourceRef] = [AP_MEET, VOA, BELARUS]
    text = bibtex(items)
    entries = parse(text).entries
    assert [entry.key for entry in entries] == [
        "ap-leaders-meet-2024-07-03", "voa-xi-putin-talks-2024-07-03",
        "ap-leaders-attend-2024-07-04-L7"]
    assert {entry.entry_type for entry in entries} == {"article"}
    ap, voa, belarus = (fields(entry) for entry in entries)
    assert decode(ap["title"]) == AP_MEET.title
    assert decode(ap["author"]) == AP_MEET.byline
    assert decode(voa["title"]) == VOA.title
    assert decode(voa["journal"]) == "Voice of America"
    assert (voa["entrysubtype"], voa["date"], voa["year"], voa["month"]) == (
        "newspaper", "2024-07-03", "2024", "jul")
    assert "author" not in belarus  # AP 4 July has no byline
    assert decode(belarus["note"]) == "Line 7: “Belarus, joined the SCO on Thursday.”"
    assert "note" not in ap


def test_byline_is_one_literal_name_and_title_keeps_its_capitals():
    text = bibtex([AP_MEET])
    # Doubly braced, so neither the comma nor the "and"s split it into several people, and no
    # style lowercases "Russia".
    byline = "Burrows, with Simina Mistreanu, Krutika Pathi and Suzan Fraser"
    assert f"  author = {{{{{byline}}}}},\n" in text
    assert "  title = {{Leaders of Russia and China meet" in text


def test_bibtex_escapes_every_special_and_reads_back_the_same():
    nasty = article(id="nasty", title=NASTY, publisher=NASTY, byline=NASTY)
    text = bibtex([nasty, SourceRef(nasty, 9, NASTY)])
    entries = parse(text).entries
    assert len(entries) == 2
    for entry in entries:
        values = fields(entry)
        for name in ("title", "journal", "author"):
            assert braces_balance(values[name]), name
            assert specials_escaped(values[name]), name
            assert decode(values[name]) == NASTY, name
    assert decode(fields(entries[1])["note"]) == f"Line 9: “{NASTY}”"
    assert "%" not in text.replace(r"\%", "")  # an unescaped % would start a comment in TeX


def test_bibtex_keys_are_sanitised_and_unique():
    odd = article(id='ap leaders, {meet} "#1" %=~ (x)')
    items: list[ArticleRef | SourceRef] = [
        odd, odd, SourceRef(odd, 5, "a"), SourceRef(odd, 5, "b"), article(id="a-2"),
        article(id="a"), article(id="a"), article(id="}{")]
    keys = [entry.key for entry in parse(bibtex(items)).entries]
    assert len(keys) == len(items) == len(set(keys))
    assert all(VALID_KEY.fullmatch(key) for key in keys), keys
    assert keys[0] == "ap-leaders-meet-1-x"
    assert keys[2] == "ap-leaders-meet-1-x-L5"
    # 'a-2' is an article's own id, so the second 'a' must skip it.
    assert keys[4:7] == ["a-2", "a", "a-3"]
    assert keys[7] == "ref"
    assert [item["id"] for item in csl_json(items)] == keys


def test_bibtex_dates_follow_their_precision():
    by_precision = {
        "day": article(id="d", published="2024-07-03", published_precision="day"),
        "month": article(id="m", published="2024-07", published_precision="month"),
        "year": article(id="y", published="2024", published_precision="year"),
        "narrowed": article(id="n", published="2024-07-03", published_precision="month"),
        "undated": article(id="u", published=None, published_precision=None),
        "invalid": article(id="i", published="2024-02-30", published_precision="day"),
    }
    entries = parse(bibtex(list(by_precision.values()))).entries
    dates = {name: {key: value for key, value in fields(entry).items()
                    if key in ("date", "year", "month")}
             for name, entry in zip(by_precision, entries, strict=True)}
    assert dates == {
        "day": {"date": "2024-07-03", "year": "2024", "month": "jul"},
        "month": {"date": "2024-07", "year": "2024", "month": "jul"},
        "year": {"date": "2024", "year": "2024"},
        "narrowed": {"date": "2024-07", "year": "2024", "month": "jul"},
        "undated": {},
        "invalid": {},
    }


def test_bibtex_file_layout_is_deterministic():
    items: list[ArticleRef | SourceRef] = [AP_MEET, BELARUS]
    text = bibtex(items)
    assert text == bibtex(items)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.count("\n\n@") == 1 and text.startswith("@article{")
    assert bibtex([]) == ""


# Text a headline, byline or quotation might hold: any character but surrogates and controls
# (line and paragraph separators included: a field is one line).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40)
IDS = st.text(min_size=1, max_size=20)


@st.composite
def items_strategy(draw: st.DrawFn) -> list[ArticleRef | SourceRef]:
    """A few articles and sources with arbitrary text, ids and dates."""
    articles = draw(st.lists(st.builds(
        ArticleRef, id=IDS, title=TEXT, publisher=st.none() | TEXT, byline=st.none() | TEXT,
        published=st.sampled_from([None, "2024", "2024-07", "2024-07-03", "July 2024"]),
        published_precision=st.sampled_from([None, "year", "month", "day"])),
        min_size=1, max_size=3))
    chosen: list[ArticleRef | SourceRef] = []
    for item in articles:
        chosen.append(item)
        chosen += draw(st.lists(st.builds(SourceRef, article=st.just(item),
                                          line=st.integers(1, 500), evidence=TEXT), max_size=2))
    return draw(st.permutations(chosen))


def _expected_base(item: ArticleRef | SourceRef) -> str:
    """The key an item starts from: its article id made safe, then -L<line> for a source."""
    source = item if isinstance(item, SourceRef) else None
    article_id = item.article.id if isinstance(item, SourceRef) else item.id
    base = re.sub(r"[^A-Za-z0-9_.:+-]+", "-", article_id).strip("-") or "ref"
    return f"{base}-L{source.line}" if source else base


@settings(max_examples=150, deadline=None)
@given(items_strategy())
def test_any_text_gives_bibtex_that_parses_and_round_trips(items: Sequence[ArticleRef | SourceRef]):
    entries = parse(bibtex(items)).entries
    assert len(entries) == len(items)
    keys = [entry.key for entry in entries]
    assert len(set(keys)) == len(keys)
    for key, entry, item in zip(keys, entries, items, strict=True):
        assert VALID_KEY.fullmatch(key)
        assert key == _expected_base(item) or key.startswith(_expected_base(item) + "-")
        article_ref = item.article if isinstance(item, SourceRef) else item
        values = fields(entry)
        assert braces_balance(values["title"])
        assert all(specials_escaped(value) for value in values.values())
        assert decode(values["title"]) == article_ref.title
        if article_ref.byline:
            assert decode(values["author"]) == article_ref.byline
        if isinstance(item, SourceRef):
            assert decode(values["note"]) == f"Line {item.line}: “{item.evidence}”"


# --- CSL-JSON -------------------------------------------------------------------------------


def test_the_schema_is_the_official_one():
    assert CSL_SCHEMA["$id"] == (
        "https://resource.citationstyles.org/schema/v1.0/input/json/csl-data.json")
    assert "article-newspaper" in CSL_SCHEMA["items"]["properties"]["type"]["enum"]


def test_csl_json_of_the_real_articles_is_valid_and_complete():
    items = csl_json([AP_MEET, VOA, BELARUS])
    validate_csl(items)
    assert items[0] == {
        "id": "ap-leaders-meet-2024-07-03",
        "type": "article-newspaper",
        "title": AP_MEET.title,
        "author": [{"literal": "Burrows, with Simina Mistreanu, Krutika Pathi and Suzan Fraser"}],
        "container-title": "The Associated Press",
        "publisher": "The Associated Press",
        "issued": {"date-parts": [[2024, 7, 3]]},
    }
    assert items[1]["author"] == [{"literal": "VOA News"}]
    assert items[2]["id"] == "ap-leaders-attend-2024-07-04-L7"
    assert "author" not in items[2]
    assert items[2]["note"] == "Line 7: “Belarus, joined the SCO on Thursday.”"


def test_schema_catches_what_it_should():
    # The validation above means something: a wrong type or an unknown field is refused.
    item = csl_json([AP_MEET])[0]
    with pytest.raises(jsonschema.ValidationError):
        validate_csl([{**item, "type": "newspaper"}])
    with pytest.raises(jsonschema.ValidationError):
        validate_csl([{**item, "byline": "x"}])


@pytest.mark.parametrize(("published", "precision", "issued"), [
    ("2024-07-03", "day", {"date-parts": [[2024, 7, 3]]}),
    ("2024-07", "month", {"date-parts": [[2024, 7]]}),
    ("2024", "year", {"date-parts": [[2024]]}),
    ("2024-07-03", "year", {"date-parts": [[2024]]}),
    ("2024-07", None, {"date-parts": [[2024, 7]]}),
    ("early July 2024", None, {"literal": "early July 2024"}),
    (None, None, None),
])
def test_csl_dates_follow_their_precision(published: str | None, precision: str | None,
                                          issued: dict[str, Any] | None):
    items = csl_json([article(published=published, published_precision=precision)])
    validate_csl(items)
    assert items[0].get("issued") == issued


def test_csl_without_publisher_or_byline_leaves_them_out():
    items = csl_json([article(publisher=None, byline=None)])
    validate_csl(items)
    assert not {"author", "container-title", "publisher"} & items[0].keys()


def test_csl_json_text_is_utf8_json_ending_with_a_newline():
    items = csl_json([VOA, BELARUS])
    text = csl_json_text(items)
    assert text.endswith("}\n]\n")
    assert "China’s Xi" in text  # not \u2019
    assert json.loads(text) == items


@settings(max_examples=100, deadline=None)
@given(items_strategy())
def test_any_text_gives_valid_csl_json(items: Sequence[ArticleRef | SourceRef]):
    data = csl_json(items)
    validate_csl(data)
    assert [item["id"] for item in data] == [entry.key for entry in parse(bibtex(items)).entries]
    assert json.loads(csl_json_text(data)) == data


def test_citeproc_renders_the_csl_json():
    lines = render(csl_json([AP_MEET, VOA, BELARUS]))
    assert len(lines) == 3
    text = "\n".join(lines)
    for title in (AP_MEET.title, VOA.title, AP_ATTEND.title):
        assert title in text
    assert "Voice of America" in text and "The Associated Press" in text
    # The byline printed as it stands, not inverted or cut at its commas.
    assert "Burrows, with Simina Mistreanu, Krutika Pathi and Suzan Fraser (2024)" in text
    assert "3 July" in text


# --- One citation everywhere ----------------------------------------------------------------


def _every_record() -> list[tuple[str, Any]]:
    """Every record of every table, as the Python API lists them: (table, record)."""
    import sco_data

    listed: list[tuple[str, Any]] = [
        (table, record)
        for table, listing in (
            ("articles", sco_data.articles), ("countries", sco_data.countries),
            ("organizations", sco_data.organizations), ("people", sco_data.people),
            ("members", sco_data.members), ("observers", sco_data.observers),
            ("meetings", sco_data.meetings), ("attendees", sco_data.attendees),
            ("quotes", sco_data.quotes), ("discrepancies", sco_data.discrepancies))
        for record in listing()]
    listed += [("meeting_facts", fact) for meeting in sco_data.meetings()
               for fact in meeting.facts]
    return listed


def _cites(table: str, record: Any, style: str) -> str:
    """``record.cite(style)``; an article (the source itself, not a record citing one) is cited
    by the function ``Record.cite`` calls, over its own lines that give its title and date."""
    from sco_data import __version__
    from sco_data.api.display import cite_record

    if table != "articles":
        return record.cite(style)
    return cite_record(__version__, table, record.id,
                       [source.reference() for source in record.sources], style)


def test_every_record_is_cited_alike_on_its_page_in_its_downloads_and_in_python(
        site: Any, db: Any):
    import html as html_escapes

    from datasette.utils import tilde_encode

    records = _every_record()
    tables = {table for table, _ in records}
    assert sorted((table, record.id) for table, record in records) == sorted(
        (table, row[0]) for table in tables
        for row in db.execute(f"select id from {table}"))
    named = 0
    for table, record in records:
        key = f"{tilde_encode(table)}/{tilde_encode(record.id)}"
        page = site.page(f"/sco/{key}")
        box = html_escapes.unescape(re.search(r'id="sco-cite-text">(.*?)</p>', page, re.S)[1])
        text = _cites(table, record, "text")
        assert box == text, (table, record.id)
        assert site.get(f"/-/records/{key}.json").json()["citation"] == text
        bib = site.get(f"/-/records/{key}.bib").text
        assert bib == _cites(table, record, "bibtex"), (table, record.id)
        csl = site.get(f"/-/records/{key}.csl.json").text
        assert csl == _cites(table, record, "csl-json"), (table, record.id)
        # Each source's segment is str() of it, and the page's list of sources names each
        # source the same way, up to its line.
        assert text.endswith(": " + "; ".join(str(source) for source in record.sources))
        listed = html_escapes.unescape(page.split('<ol class="sco-sources">', 1)[1])
        for source in record.sources:
            assert source.cite() in listed
        bylines = {source.article.byline for source in record.sources} - {None}
        for byline in bylines:
            assert byline in text
            assert byline in {decode(fields(entry).get("author", ""))
                              for entry in parse(bib).entries}
            assert [{"literal": byline}] in [item.get("author") for item in json.loads(csl)]
            named += 1
    # Not a count: bylines were checked (most records cite two articles that have one).
    assert named > len(records)
