"""`import sco_data`: typed records, relations resolved, every fact carrying its sources."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import sco_data
from sco_data.api.arguments import MAX_FILTER_CHARS
from sco_data.api.cache import cache_dir
from sco_data.expectations import dataset
from sco_data.text_rules import MAX_ID_CHARS

from .test_members import MEMBERS

AP_3 = ("Leaders of Russia and China meet at a Central Asian summit in a show of deepening "
        "cooperation")
RECORD_FUNCTIONS: dict[str, Callable[[], list]] = {
    "articles": sco_data.articles,
    "countries": sco_data.countries,
    "organizations": sco_data.organizations,
    "people": sco_data.people,
    "members": sco_data.members,
    "observers": sco_data.observers,
    "meetings": sco_data.meetings,
    "attendees": sco_data.attendees,
    "quotes": sco_data.quotes,
    "discrepancies": sco_data.discrepancies,
}
CITED = ["articles", "people", "members", "observers", "meetings", "attendees", "quotes",
         "discrepancies"]

EXPECTED = dataset()
DOCS = Path(__file__).parent.parent / "docs"


def ids(records: list) -> list[str]:
    return [record.id for record in records]


@pytest.mark.parametrize("table", list(RECORD_FUNCTIONS))
def test_each_function_returns_every_row_of_its_table(db: sqlite3.Connection, table: str):
    records = RECORD_FUNCTIONS[table]()
    assert sorted(ids(records)) == sorted(row[0] for row in db.execute(f"select id from {table}"))
    assert records == RECORD_FUNCTIONS[table](), "the order must be stable"


@pytest.mark.parametrize("table", CITED)
def test_every_record_carries_its_citations_in_order(db: sqlite3.Connection, table: str):
    for record in RECORD_FUNCTIONS[table]():
        expected = [row[0] for row in db.execute(
            "select id from citations where record_table = ? and record_id = ? order by rowid",
            [table, record.id])]
        assert [source.id for source in record.sources] == expected, record.id
        assert expected, f"{table}/{record.id} has no source"
        for source in record.sources:
            assert source.line_text[source.char_start:source.char_end] == source.evidence
            assert source.evidence in source.line_text


def test_members_are_the_ten_with_their_countries_resolved():
    members = sco_data.members()
    assert {member.country_id: (int(member.founding), member.joined) for member in members} == (
        MEMBERS)
    belarus = next(member for member in members if member.country_id == "belarus")
    assert belarus.country.name == "Belarus"
    assert belarus.organization.id == "sco"


def test_observers_and_their_status():
    # No line says which of the two each one is.
    assert {(o.country.name, o.status) for o in sco_data.observers()} == {
        ("Turkey", "observer_or_dialogue_partner"),
        ("Saudi Arabia", "observer_or_dialogue_partner"),
        ("Egypt", "observer_or_dialogue_partner"),
    }


def test_articles_hold_their_whole_text_oldest_first(db: sqlite3.Connection):
    articles = sco_data.articles()
    assert [article.published for article in articles] == sorted(
        article.published for article in articles)
    for article in articles:
        assert len(article.lines) == article.line_count
        assert article.line(1).text == db.execute(
            "select text from lines where article_id = ? and line = 1", [article.id]).fetchone()[0]
        assert article.sources, "the registry cites the article's title and date lines"
    with pytest.raises(IndexError, match="has lines 1 to"):
        articles[0].line(10_000)


def test_people_by_any_spelling_of_their_name():
    assert ids(sco_data.people(name="Mokhbar")) == ["mohammad-mokhber"]
    assert ids(sco_data.people(name="yuri ushakov")) == ["yury-ushakov"]
    mokhber = sco_data.people(name="mohammad-mokhber")[0]
    assert mokhber.aliases == ["Mohammad Mokhber", "Mohammad Mokhbar", "Mokhber"]
    assert mokhber.country.name == "Iran"


def test_organizations_carry_their_spellings_and_only_a_stated_kind():
    by_id = {organization.id: organization for organization in sco_data.organizations()}
    assert by_id["united-nations"].aliases == ["United Nations", "U.N.", "UN"]
    assert by_id["united-nations"].kind is None
    assert by_id["xinhua"].kind == "news agency"
    assert any("news agency" in source.evidence for source in by_id["xinhua"].sources)


def test_meetings_ordered_by_date_undated_last():
    dates = [meeting.start_date for meeting in sco_data.meetings()]
    dated = [date for date in dates if date is not None]
    assert dates == dated + [None] * (len(dates) - len(dated))
    assert dated == sorted(dated)


def test_meetings_of_one_person_with_participants_and_summit_resolved():
    meetings = {meeting.id: meeting for meeting in sco_data.meetings(person="xi")}
    assert set(meetings) == {"putin-xi-beijing-2024-05", "putin-xi-astana-2024-07-03",
                             "xi-tokayev-astana-2024"}
    sideline = meetings["putin-xi-astana-2024-07-03"]
    assert [person.name for person in sideline.participants] == ["Vladimir Putin", "Xi Jinping"]
    assert sideline.parent.id == "sco-summit-astana-2024"
    assert sideline.parent.place == "Astana, Kazakhstan"
    assert sco_data.meetings(person="XI JINPING") == list(meetings.values())


def test_meetings_by_status():
    planned = sco_data.meetings(status="planned")
    assert planned and all(meeting.status == "planned" for meeting in planned)
    with pytest.raises(ValueError, match="status='cancelled' is not one of: held, planned"):
        sco_data.meetings(status="cancelled")


def test_summit_facts_hang_off_the_summit():
    summit = next(m for m in sco_data.meetings() if m.id == "sco-summit-astana-2024")
    assert {fact.aspect for fact in summit.facts} >= {"formal name", "slogan", "agenda"}
    assert len(summit.facts) == EXPECTED["summit_facts"]
    assert all(fact.sources for fact in summit.facts)


def test_absent_attendees_and_who_stood_in_for_them():
    absent = {attendee.id: attendee for attendee in sco_data.attendees(attendance="absent")}
    assert set(absent) == {"narendra-modi-astana-2024", "ukraine-astana-2024"}
    modi = absent["narendra-modi-astana-2024"]
    assert modi.person.name == "Narendra Modi"
    assert modi.represented_by.person.name == "Subrahmanyam Jaishankar"
    assert modi.meeting.kind == "summit"
    assert absent["ukraine-astana-2024"].person is None
    assert absent["ukraine-astana-2024"].country.name == "Ukraine"


def test_attendees_by_country_and_a_wrong_attendance_named():
    assert ids(sco_data.attendees(country="india")) == [
        "narendra-modi-astana-2024", "subrahmanyam-jaishankar-astana-2024"]
    assert ids(sco_data.attendees(attendance="attended", country="Russia")) == [
        "vladimir-putin-astana-2024"]
    with pytest.raises(ValueError, match="attendance='came' is not one of: attended, expected"):
        sco_data.attendees(attendance="came")


PUTIN_QUOTES = {"putin-key-pillars", "putin-best-period", "putin-concerns",
                "putin-take-this-seriously"}


@pytest.mark.parametrize("speaker", ["putin", "PUTIN", "Vladimir Putin"])
def test_quotes_of_one_speaker(speaker: str):
    # Also the words Xi and Putin said together ("… Russian counterpart Vladimir Putin").
    assert set(ids(sco_data.quotes(speaker=speaker))) == PUTIN_QUOTES | {"xi-putin-hegemony"}


def test_quotes_of_one_person_by_id():
    assert set(ids(sco_data.quotes(speaker="vladimir-putin"))) == PUTIN_QUOTES


def test_quotes_match_aliases_labels_and_organizations_but_only_whole_words():
    assert ids(sco_data.quotes(speaker="Mokhbar")) == ["mokhber-power-equations"]
    assert ids(sco_data.quotes(speaker="a senior Kazakh official")) == [
        "kazakh-official-sideline-discussions"]
    assert set(ids(sco_data.quotes(speaker="kremlin"))) == {
        "kremlin-putin-has-arrived", "kremlin-leaders-will-discuss",
        "ushakov-main-pillars"}  # "Kremlin aide Yury Ushakov"
    # Part of a word names nobody: an error that offers the whole word.
    with pytest.raises(ValueError, match="did you mean 'Putin'"):
        sco_data.quotes(speaker="put")


def test_quote_relations_and_reading_order():
    quotes = sco_data.quotes(speaker="putin")
    key_pillars = next(quote for quote in quotes if quote.id == "putin-key-pillars")
    assert key_pillars.person.name == "Vladimir Putin"
    assert key_pillars.meeting.id == "putin-xi-astana-2024-07-03"
    # Two quotes on one line come in the order they are printed.
    assert ids(quotes).index("putin-key-pillars") < ids(quotes).index("putin-best-period")


def test_cite_gives_byline_publisher_title_date_and_line():
    source = next(q for q in sco_data.quotes() if q.id == "putin-key-pillars").sources[0]
    assert source.cite() == (f'Burrows, with Simina Mistreanu, Krutika Pathi and Suzan Fraser, '
                             f'The Associated Press, "{AP_3}" (2024-07-03), line 51')
    assert str(source) == f'{source.cite()}: "{source.evidence}"'
    no_publisher = next(a for a in sco_data.articles() if a.publisher is None)
    assert no_publisher.sources[0].cite().startswith(f'{no_publisher.byline}, "')
    no_byline = next(a for a in sco_data.articles() if a.byline is None)
    assert no_byline.sources[0].cite().startswith(f'{no_byline.publisher}, "')


def test_a_record_cites_itself_with_every_source_in_order():
    quote = sco_data.quote("putin-key-pillars")
    assert quote.cite() == quote.cite(style="text") == (
        f"sco_data {sco_data.__version__}, quotes/putin-key-pillars: "
        + "; ".join(str(source) for source in quote.sources))
    assert quote.cite(style="bibtex").count("@article{") == len(quote.sources)
    assert quote.cite(style="csl-json").startswith("[\n")


def test_context_gives_the_lines_around_the_cited_one():
    source = next(q for q in sco_data.quotes() if q.id == "putin-key-pillars").sources[0]
    # The articles alternate text and blank lines: by default only text lines count.
    context = source.context()
    assert [line.number for line in context] == [47, 49, 51, 53, 55]
    assert all(line.text.strip() for line in context)
    assert [line.cited for line in context] == [False, False, True, False, False]
    assert context[2].text == source.line_text
    assert str(context[2]).startswith(">  51  At a meeting with Xi")
    as_they_stand = source.context(skip_blank=False)
    assert [line.number for line in as_they_stand] == [49, 50, 51, 52, 53]
    first_line = sco_data.articles()[0].sources[0]
    if first_line.line == 1:
        assert [line.number for line in first_line.context(n=1, skip_blank=False)] == [1, 2]


def test_every_record_knows_its_corroboration(db: sqlite3.Connection):
    expected = {(row[0], row[1]): row[2:] for row in db.execute(
        "select record_table, record_id, citations, articles, independent_sources, summary "
        "from corroboration")}
    for table, function in RECORD_FUNCTIONS.items():
        if table == "articles":
            continue
        for record in function():
            found = record.corroboration
            assert found is not None, (table, record.id)
            assert (found.citations, found.articles, found.independent_sources,
                    found.summary) == expected[(table, record.id)]
            assert found.independent_sources == len(found.source_groups) == len(found.stated_by)


def test_a_quote_of_three_wire_copies_rests_on_one_source():
    quote = next(q for q in sco_data.quotes() if q.id == "putin-key-pillars")
    found = quote.corroboration
    assert (found.citations, found.articles, found.independent_sources) == (3, 3, 1)
    assert [group.name for group in found.source_groups] == ["Associated Press"]
    assert found.stated_by == {"associated-press": [
        "ap-leaders-meet-2024-07-03", "pa-putin-xi-kazakhstan-2024-07-03",
        "ap-leaders-attend-2024-07-04"]}
    assert str(found) == ("Stated in 3 articles from 1 independent source "
                          "(Associated Press: AP 3 July, PA, AP 4 July)")
    china = next(m for m in sco_data.members() if m.country_id == "china")
    assert china.corroboration.independent_sources == 3


def test_articles_carry_their_label_and_source_group():
    found = {article.label: article.source_group for article in sco_data.articles()}
    assert {label: group.id for label, group in found.items()} == {
        "AP 3 July": "associated-press", "VOA": "voice-of-america", "PA": "associated-press",
        "Dedovic": "sededin-dedovic", "AP 4 July": "associated-press"}
    assert found["PA"].article_ids == ["ap-leaders-meet-2024-07-03",
                                       "pa-putin-xi-kazakhstan-2024-07-03",
                                       "ap-leaders-attend-2024-07-04"]
    assert isinstance(found["VOA"], sco_data.SourceGroup)


def test_records_cannot_be_changed_by_accident():
    quote = sco_data.quotes()[0]
    with pytest.raises(ValidationError):
        quote.text = "something else"
    listed = sco_data.quotes()
    listed.clear()
    assert sco_data.quotes()


def test_connect_is_read_only_and_db_path_is_in_the_cache(api_cache: Path):
    path = sco_data.db_path()
    assert path.is_file() and path.is_relative_to(cache_dir()) and cache_dir() == api_cache
    assert path.parent.name.startswith(f"{sco_data.__version__}-")
    with closing(sco_data.connect()) as connection:
        assert (connection.execute("select count(*) from quotes").fetchone()[0]
                == EXPECTED["quotes"])
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("delete from quotes")


def test_a_second_process_reuses_the_cached_database(api_cache: Path):
    path = sco_data.db_path()
    before = path.stat().st_mtime_ns
    code = "import sco_data; print(sco_data.db_path()); print(len(sco_data.quotes()))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert output == [str(path), str(EXPECTED["quotes"])]
    assert path.stat().st_mtime_ns == before


def test_frame_gives_a_table_as_a_dataframe(db: sqlite3.Connection):
    quotes = sco_data.frame("quotes")
    columns = [row[1] for row in db.execute("pragma table_info(quotes)")]
    assert [column for column in quotes.columns if column in columns] == columns
    assert set(quotes.columns) - set(columns) == {
        "person", "organization", "meeting", "country", "article", "source", "evidence"}
    assert len(quotes) == EXPECTED["quotes"]
    with pytest.raises(ValueError, match="no table 'quote'; the tables are: aliases, articles"):
        sco_data.frame("quote")


def test_frame_without_pandas_says_which_extra_to_install():
    code = ("import sys; sys.modules['pandas'] = None\n"
            "import sco_data\n"
            "try:\n    sco_data.frame('quotes')\n"
            "except ImportError as error:\n    print(error)\n")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert "pip install 'sco-data[notebook]'" in output


# --------------------------------------------------------------------------- arguments
# Every public function checks its arguments at the door (sco_data.api.arguments): a wrong type
# is a TypeError naming the argument and the type; a value too long, empty or hiding a character
# a ValueError naming the argument and the limit, fast and without echoing the value whole.

TEXT_FILTERS: list[tuple[Callable[..., Any], str]] = [
    (sco_data.people, "name"), (sco_data.meetings, "person"), (sco_data.meetings, "place"),
    (sco_data.attendees, "country"), (sco_data.attendees, "person"),
    (sco_data.quotes, "speaker"), (sco_data.quotes, "meeting"), (sco_data.quotes, "article"),
]
DATE_FILTERS = [(sco_data.meetings, "start"), (sco_data.meetings, "end"),
                (sco_data.quotes, "date")]
CHOICES = [(sco_data.meetings, "status"), (sco_data.meetings, "kind"),
           (sco_data.attendees, "attendance"), (sco_data.bibliography, "format")]
GETTERS = [sco_data.article, sco_data.country, sco_data.organization, sco_data.person,
           sco_data.member, sco_data.observer, sco_data.meeting, sco_data.meeting_fact,
           sco_data.attendee, sco_data.quote, sco_data.discrepancy]
EVERY_ARGUMENT = [*TEXT_FILTERS, *DATE_FILTERS, *CHOICES,
                  *((getter, "id") for getter in GETTERS)]


def call(function: Callable[..., Any], argument: str, value: object) -> Any:
    if argument == "id":
        return function(value)
    return function(**{argument: value})


@pytest.mark.parametrize(("function", "argument", "value"), [
    (sco_data.people, "name", 0), (sco_data.quote, "id", 0), (sco_data.meetings, "start", 2024),
    (sco_data.quotes, "speaker", b"putin"), (sco_data.attendees, "attendance", ["attended"]),
    (sco_data.record, "table", None), (sco_data.bibliography, "format", 1),
])
def test_the_fuzzers_wrong_types_are_type_errors_naming_the_argument(
        function: Callable[..., Any], argument: str, value: object):
    with pytest.raises(TypeError, match=rf"^{argument} must be a str \(.*\), not "
                                        rf"{type(value).__name__}$"):
        if function is sco_data.record:
            function(value, "putin-key-pillars")
        else:
            call(function, argument, value)


@given(data=st.data(), value=st.one_of(
    st.integers(), st.floats(), st.booleans(), st.binary(max_size=5), st.lists(st.text()),
    st.dictionaries(st.text(), st.integers(), max_size=2), st.just(object())))
@settings(max_examples=200, deadline=None)
def test_anything_but_text_is_a_type_error_naming_the_argument(data, value: object):
    function, argument = data.draw(st.sampled_from(EVERY_ARGUMENT))
    with pytest.raises(TypeError) as raised:
        call(function, argument, value)
    assert str(raised.value).startswith(f"{argument} must be a str (")


@pytest.mark.parametrize(("function", "argument"), EVERY_ARGUMENT)
def test_a_ten_megabyte_value_fails_at_once_without_being_echoed(
        function: Callable[..., Any], argument: str):
    sco_data.people()  # the dataset is read once; what is timed is the argument's check
    huge = "Putin " * 2_000_000
    started = time.perf_counter()
    with pytest.raises(ValueError) as raised:
        call(function, argument, huge)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"{elapsed:.2f} s"
    message = str(raised.value)
    assert message.startswith(f"{argument}") and "12,000,000 characters" in message
    assert len(message) < 300


@pytest.mark.parametrize(("function", "argument", "limit"), [
    *((function, argument, MAX_FILTER_CHARS) for function, argument in TEXT_FILTERS),
    *((function, argument, 10) for function, argument in DATE_FILTERS),
    (sco_data.quote, "id", MAX_ID_CHARS),
])
def test_the_limits_are_the_documented_ones(function: Callable[..., Any], argument: str,
                                           limit: int):
    with pytest.raises(ValueError, match=rf"^{argument} is {limit + 1} characters long, over "
                                         rf"the limit of {limit}: "):
        call(function, argument, "a" * (limit + 1))
    assert f"{limit} characters" in (DOCS / "api.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["Put\u200bin", "\u202ePutin", "Putin\x00", "Put\udcffin",
                                   "Putin\u00ad"])
def test_a_filter_hiding_a_character_names_it(value: str):
    with pytest.raises(ValueError, match=r"^speaker='.*' holds the hidden or control character "
                                         r"U\+[0-9A-F]{4}"):
        sco_data.quotes(speaker=value)


def test_an_empty_filter_is_named_not_matched():
    with pytest.raises(ValueError, match=r"^name='' is empty"):
        sco_data.people(name="")
    with pytest.raises(ValueError, match=r"^speaker='  ' holds only spaces"):
        sco_data.quotes(speaker="  ")


def test_methods_check_their_arguments_too():
    source = sco_data.quote("putin-key-pillars").sources[0]
    with pytest.raises(TypeError, match=r"^n must be an int, not str"):
        source.context(n="2")
    with pytest.raises(TypeError, match=r"^skip_blank must be a bool"):
        source.context(skip_blank=None)
    with pytest.raises(ValueError, match=r"^style='apa' is not one of: text, bibtex, csl-json"):
        source.cite(style="apa")
    with pytest.raises(ValueError, match=r"^style='apa' is not one of: text, bibtex, csl-json"):
        sco_data.quote("putin-key-pillars").cite(style="apa")
    with pytest.raises(TypeError, match=r"^number must be an int, not float"):
        source.article.line(1.0)
    with pytest.raises(TypeError, match=r"^field must be a str"):
        sco_data.meeting("sco-summit-astana-2024").stated_by(None)
    with pytest.raises(TypeError, match=r"^data must be a table's name"):
        sco_data.frame(42)
