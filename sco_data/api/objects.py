"""The typed records ``sco_data.quotes()`` and its siblings return, each with its sources.

These are read-only views of the built database, with foreign keys resolved into objects
(``quote.person``, ``meeting.participants``). They import nothing but Pydantic, so
``import sco_data`` stays fast; the schema's own models live in ``sco_data.models``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    field_serializer,
)

if TYPE_CHECKING:
    from sco_data.publish.bibliography import ArticleRef, SourceRef

Attendance = Literal["attended", "expected", "absent"]
ObserverStatus = Literal["observer", "dialogue_partner", "observer_or_dialogue_partner"]
MeetingKind = Literal["summit", "bilateral", "multilateral"]
MeetingStatus = Literal["held", "planned"]
CitationStyle = Literal["text", "bibtex", "csl-json"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Line(_Frozen):
    """One line of an article, numbered from 1 as in the seed file."""

    number: int = Field(description="1-based line number in the seed file")
    text: str = Field(description="The line's text, exactly as in the article")
    cited: bool = Field(default=False, description="True for the line a citation points at")

    def __str__(self) -> str:
        return f"{'>' if self.cited else ' '}{self.number:>4}  {self.text}"


class SourceGroup(_Frozen):
    """Articles that print one story (a wire report and its copies): one independent source."""

    id: str = Field(description="Readable slug of the group's name")
    name: str = Field(description="The origin of the group's text, as one of its articles names it")
    note: str = Field(description="Why these articles are one source")
    article_ids: list[str] = Field(description="Its articles, in the registry's order")


class Article(_Frozen):
    """One of the five news articles, with its provenance; ``lines`` holds its whole text."""

    id: str = Field(description="Readable slug of the article")
    file: str = Field(description="The article's file under seeds/, kept byte for byte")
    title: str = Field(description="The article's headline, as its text gives it")
    publisher: str | None = Field(description="Who published it, where its text names them")
    byline: str | None = Field(description="The author(s), where the text names them")
    published: str = Field(description="Publication date (ISO 8601) the text gives or implies")
    published_note: str = Field(description="Which words of the article give or imply that date")
    sha256: str = Field(description="SHA-256 of the file's bytes")
    line_count: int = Field(description="Number of lines")
    label: str = Field(description="A short name for lists of sources (\"AP 3 July\")")
    source_group: SourceGroup | None = Field(
        default=None, description="The source group it belongs to", repr=False)
    _lines: tuple[str, ...] = PrivateAttr(default=())
    _sources: tuple[Citation, ...] = PrivateAttr(default=())

    @property
    def lines(self) -> tuple[str, ...]:
        """Every line of the article; ``article.lines[n - 1]`` is line ``n``."""
        return self._lines

    @property
    def sources(self) -> list[Citation]:
        """The article's own lines that give its title, publisher and date."""
        return list(self._sources)

    def line(self, number: int) -> Line:
        """Line ``number`` (1-based)."""
        from sco_data.api.arguments import integer

        number = integer("number", number)
        if not 1 <= number <= len(self._lines):
            raise IndexError(f"{self.id} has lines 1 to {len(self._lines)}, not {number}")
        return Line(number=number, text=self._lines[number - 1])

    def reference(self) -> ArticleRef:
        """The article as the bibliography's formats take it (BibTeX, CSL-JSON)."""
        from sco_data.dates import precision_of
        from sco_data.publish.bibliography import ArticleRef

        # The date is kept as the text gives it; its precision follows from its form.
        return ArticleRef(self.id, self.title, self.publisher, self.byline, self.published,
                          precision_of(self.published))


class Citation(_Frozen):
    """A line of an article that states a record, and the exact words that state it."""

    id: str = Field(description="<table>-<record>-<n>; n counts the record's citations")
    article: Article = Field(description="The article", repr=False)
    line: int = Field(description="1-based line number in the article")
    evidence: str = Field(description="The exact words on the line that state the fact")
    char_start: int = Field(description="Where the evidence starts in the line (0-based)")
    char_end: int = Field(description="Where the evidence ends in the line (exclusive)")

    @property
    def line_text(self) -> str:
        """The whole cited line; ``evidence`` stands in it at ``char_start:char_end``."""
        return self.article.lines[self.line - 1]

    @field_serializer("article")
    def _article_by_id(self, article: Article) -> dict[str, str]:
        # The article's whole text and provenance would swamp every record that cites it.
        return {"id": article.id, "title": article.title}

    def context(self, n: int = 2, skip_blank: bool = True) -> list[Line]:
        """The cited line with ``n`` lines either side; ``str()`` of each prints it.

        The articles alternate text and blank lines, so by default only non-empty lines count
        and blank ones are left out; ``skip_blank=False`` gives the ``n`` lines either side as
        they stand, blank or not.
        """
        from sco_data.api.arguments import flag, integer

        n, skip_blank = integer("n", n), flag("skip_blank", skip_blank)
        lines = self.article.lines
        if not skip_blank:
            numbers = range(max(1, self.line - n), min(len(lines), self.line + n) + 1)
        else:
            before = [number for number in range(self.line - 1, 0, -1)
                      if lines[number - 1].strip()][:n]
            after = [number for number in range(self.line + 1, len(lines) + 1)
                     if lines[number - 1].strip()][:n]
            numbers = [*reversed(before), self.line, *after]
        return [Line(number=number, text=lines[number - 1], cited=number == self.line)
                for number in numbers]

    def cite(self, style: CitationStyle = "text") -> str:
        """This source as a citation.

        ``"text"`` (the default): ``Byline, Publisher, "Title" (2024-07-03), line 51``, naming
        the byline and the publisher where the article gives them (a name both are, once);
        ``str(citation)`` adds the words, as the record's citation does. ``"bibtex"``: one
        BibTeX entry, ``"csl-json"``: one CSL-JSON item (a JSON list), each noting the line and
        the words.
        """
        from sco_data.api.arguments import choice

        choice("style", style, get_args(CitationStyle))
        from sco_data.api.display import cite_as

        return cite_as([self.reference()], style, evidence=False)

    def reference(self) -> SourceRef:
        """This source as the bibliography's formats take it: the article, line and words."""
        from sco_data.publish.bibliography import SourceRef

        return SourceRef(self.article.reference(), self.line, self.evidence, self.id)

    def __str__(self) -> str:
        """This source with its words: ``Byline, Publisher, "Title" (2024-07-03), line 51:
        "the words"``, exactly as the record's citation (``record.cite()``) gives it."""
        from sco_data.publish.bibliography import source_citation

        return source_citation(self.reference())


class Statement(_Frozen):
    """A claim value of a record and the citation whose line states it: verified by a rule
    that found the value in the cited words, or resting on the curator's reason (an
    inference)."""

    field: str = Field(description="The claim: one of the record's fields")
    value: str = Field(description="Its value, as text (true for a founding member)")
    citation: Citation = Field(description="The citation whose line states the value")
    rule: str = Field(description="The rule that found the value in the cited words (text, "
                      "reference, meeting, place, date, lexicon); empty for an inference")
    words: str = Field(description="The cited words the rule found; empty for an inference")
    reason: str = Field(description="Why the line states the value though no rule finds it; "
                        "empty when a rule verified it")

    @property
    def inferred(self) -> bool:
        """True when no rule verified the value: it rests on the curator's reason."""
        return not self.rule

    @field_serializer("citation")
    def _citation_by_id(self, citation: Citation) -> str:
        # The record's sources hold the citation whole; a statement names it.
        return citation.id

    def __str__(self) -> str:
        how = f"{self.rule} rule: {self.words!r}" if self.rule else f"inferred: {self.reason}"
        return f"{self.field} = {self.value!r}: {self.citation.cite()} ({how})"


class Corroboration(_Frozen):
    """How many lines, articles and independent sources state a record."""

    citations: int = Field(description="How many lines state the record")
    articles: int = Field(description="How many articles state it")
    independent_sources: int = Field(description="How many source groups state it")
    first_article_id: str = Field(description="The article of the earliest statement")
    first_line: int = Field(description="Its line: earliest by article date, then line")
    summary: str = Field(description="The same in words, the sources grouped")
    source_groups: list[SourceGroup] = Field(description="The source groups stating it")
    stated_by: dict[str, list[str]] = Field(
        description="For each of those groups' ids, the ids of its articles stating the record")

    def __str__(self) -> str:
        return self.summary


class Record(_Frozen):
    """A curated record: every one carries the lines that state it, primary source first."""

    id: str = Field(description="Readable slug of the record")
    sources: list[Citation] = Field(default_factory=list, repr=False,
                                    description="Every line that states it, primary first")
    corroboration: Corroboration | None = Field(
        default=None, repr=False,
        description="How many articles and independent sources state it (wire copies count once)")
    statements: list[Statement] = Field(
        default_factory=list, repr=False,
        description="Each claim value with the citations whose lines state it")

    def stated_by(self, field: str) -> list[Statement]:
        """The statements of one claim (``meeting.stated_by("start_date")``): each citation
        whose line states the field's value, verified ones first. ValueError for a field that
        is no claim of the record."""
        from sco_data.api.arguments import text
        from sco_data.models import RECORD_KINDS

        field = text("field", field, what="a claim's field such as 'start_date'")
        table = TABLES[type(self).__name__]
        claims = next(kind.record.CLAIMS for kind in RECORD_KINDS  # type: ignore[attr-defined]
                      if kind.table == table)
        if field not in claims:
            raise ValueError(f"{field!r} is no claim of {table}: its claims are "
                             f"{', '.join(claims)}")
        found = [statement for statement in self.statements if statement.field == field]
        return sorted(found, key=lambda statement: statement.inferred)

    def summary(self) -> str:
        """The record in a few words: a quote's words and speaker, a person's name…"""
        return self.id

    def cite(self, style: CitationStyle = "text") -> str:
        """The record as a citation, every source in order, primary first.

        ``"text"`` (the default): the one line a reader pastes, exactly the site's "Cite this
        record" box: ``sco_data <version>, <table>/<id>: `` then each source as ``str()`` of
        it writes it (``Byline, Publisher, "Title" (2024-07-03), line 51: "the words"``), joined
        by ``; ``. ``"bibtex"`` and ``"csl-json"``: the sources for a reference manager, one
        entry or item per cited line, exactly the site's ``/-/records/<table>/<id>.bib`` and
        ``.csl.json``.
        """
        from sco_data import __version__
        from sco_data.api.arguments import choice
        from sco_data.api.display import cite_record

        choice("style", style, get_args(CitationStyle))
        return cite_record(__version__, TABLES[type(self).__name__], self.id,
                           [source.reference() for source in self.sources], style)

    @field_serializer("*", mode="wrap")
    def _related_by_reference(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        # A related record is written as its id and summary, not whole: a quote's person would
        # otherwise bring every citation of that person, and a meeting its participants'.
        if isinstance(value, Record):
            return {"id": value.id, "summary": value.summary()}
        if isinstance(value, list) and value and all(isinstance(item, Record) for item in value):
            return [{"id": item.id, "summary": item.summary()} for item in value]
        return handler(value)

    def __str__(self) -> str:
        """The record, its table and id, and its primary source."""
        head = f"{self.summary()} ({TABLES[type(self).__name__]}/{self.id})"
        return f"{head}; source: {self.sources[0].cite()}" if self.sources else head

    def _repr_html_(self) -> str:
        """In Jupyter: the record, then each source with the cited words marked in its line."""
        from sco_data.api.display import ShownSource, record_html

        return record_html(
            self.summary(), f"{TABLES[type(self).__name__]}/{self.id}", self._shown_fields(),
            [ShownSource(source.cite(), source.line_text, source.char_start, source.char_end)
             for source in self.sources],
            str(self.corroboration) if self.corroboration else None)

    def _shown_fields(self) -> list[tuple[str, Any]]:
        """The fields a reader sees in the HTML table: not the sources and corroboration
        (shown below it), nor related records (their ids are fields of their own)."""
        found = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name in ("sources", "corroboration", "statements") or isinstance(
                    value, BaseModel) or (
                    isinstance(value, list) and value and isinstance(value[0], BaseModel)):
                continue
            found.append((name, value))
        return found


class Country(Record):
    """A country the records refer to."""

    name: str = Field(description="The country's name as the articles write it")
    aliases: list[str] = Field(default_factory=list,
                               description="Every other spelling of the name an article uses")

    def summary(self) -> str:
        return self.name


class Organization(Record):
    """An organization the records refer to: the SCO, a ministry, a think tank…"""

    name: str = Field(description="The organization's name as the articles write it")
    kind: str | None = Field(description="What a line says it is (a forum, a news agency…)")
    aliases: list[str] = Field(default_factory=list,
                               description="Every spelling of the name an article uses")

    def summary(self) -> str:
        return self.name


class Person(Record):
    """A person named in the articles in a role relevant to the summit."""

    name: str = Field(description="The name in its most common spelling in the articles")
    title: str | None = Field(description="The person's title, as the text gives it")
    country_id: str | None = Field(description="The country the person serves or comes from")
    country: Country | None = Field(description="That country", repr=False)
    organization_id: str | None = Field(description="The organization the person speaks for")
    organization: Organization | None = Field(description="That organization", repr=False)
    aliases: list[str] = Field(description="Every spelling of the name an article uses")

    def summary(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


class _Standing(Record):
    """A country's standing with an organization: member, observer or dialogue partner."""

    organization_id: str = Field(description="The organization (the SCO)")
    organization: Organization = Field(description="That organization", repr=False)
    country_id: str = Field(description="The country")
    country: Country = Field(description="That country", repr=False)
    note: str | None = Field(description="Where the sources differ, and which claim is kept")


class Member(_Standing):
    """A country a line states is a member of an organization."""

    founding: bool = Field(description="True when a line names the country among the founders")
    joined: str | None = Field(description="When it joined (ISO 8601, at the text's precision)")

    def summary(self) -> str:
        how = "a founding member" if self.founding else "a member"
        since = f" since {self.joined}" if self.joined else ""
        return f"{self.country.name}: {how} of the {self.organization.name}{since}"


class Observer(_Standing):
    """A country a line states is an observer or dialogue partner of an organization."""

    status: ObserverStatus = Field(description="Observer, dialogue partner, or either")

    def summary(self) -> str:
        standing = self.status.replace("_", " ")
        return f"{self.country.name}: {standing} of the {self.organization.name}"


class MeetingFact(Record):
    """What an article says of a meeting beyond its date and place: its name, slogan…"""

    meeting_id: str = Field(description="The meeting")
    aspect: str = Field(description="What the fact is about: formal name, slogan, documents…")
    value: str = Field(description="The fact, in the article's words")

    def summary(self) -> str:
        return f"{self.aspect}: {self.value}"


class Meeting(Record):
    """The summit, a meeting on its sidelines, or an earlier meeting an article recalls."""

    title: str = Field(description="A short title")
    kind: MeetingKind = Field(description="summit, bilateral or multilateral")
    status: MeetingStatus = Field(description="held, or planned (announced, not reported held)")
    start_date: str | None = Field(description="ISO 8601, at the precision the text gives")
    end_date: str | None = Field(description="ISO 8601, for meetings over several days")
    place: str | None = Field(description="Where it took place or will take place")
    parent_id: str | None = Field(description="The summit a sideline meeting belongs to")
    parent: Meeting | None = Field(description="That summit", repr=False)
    note: str | None = Field(description="Where the sources differ, and which claim is kept")
    participants: list[Person] = Field(description="Who took part", repr=False)
    facts: list[MeetingFact] = Field(description="Its name, slogan, documents…", repr=False)

    def summary(self) -> str:
        when = self.start_date or "date not given"
        if self.end_date:
            when += f" to {self.end_date}"
        return f"{self.title} ({when}, {self.status})"


class Attendee(Record):
    """Someone (or a country) a line places at the summit, expects there, or says stays away."""

    meeting_id: str = Field(description="The meeting attended: the summit")
    meeting: Meeting = Field(description="That meeting", repr=False)
    person_id: str | None = Field(description="The person, where one is named")
    person: Person | None = Field(description="That person", repr=False)
    attendance: Attendance = Field(description="attended, expected or absent")
    represented_by_id: str | None = Field(description="The attendee sent in an absentee's place")
    represented_by: Attendee | None = Field(description="That attendee", repr=False)
    country_id: str | None = Field(description="The country attending")
    country: Country | None = Field(description="That country", repr=False)
    organization_id: str | None = Field(description="The organization attending")
    organization: Organization | None = Field(description="That organization", repr=False)
    role: str | None = Field(description="The role in which they attend, in the text's words")
    note: str | None = Field(description="Where the sources differ, and which claim is kept")

    def summary(self) -> str:
        who = self.person.name if self.person else (
            self.country.name if self.country else
            self.organization.name if self.organization else self.id)
        return f"{who}: {self.attendance}"


class Quote(Record):
    """Words in quotation marks that an article attributes to a speaker."""

    text: str = Field(description="Exactly the words inside the quotation marks")
    speaker: str = Field(description="The speaker as the article labels them")
    person_id: str | None = Field(description="The speaker, if a person")
    person: Person | None = Field(description="That person", repr=False)
    organization_id: str | None = Field(description="The speaker, if an organization")
    organization: Organization | None = Field(description="That organization", repr=False)
    country_id: str | None = Field(description="The speaker, if a country speaks")
    country: Country | None = Field(description="That country", repr=False)
    meeting_id: str | None = Field(description="The meeting the words were said at")
    meeting: Meeting | None = Field(description="That meeting", repr=False)
    note: str | None = Field(description="Where the sources differ, and which claim is kept")

    def summary(self) -> str:
        return f"“{self.text}” ({self.person.name if self.person else self.speaker})"


class Discrepancy(Record):
    """A point where the articles disagree or change over time; each side is a source."""

    description: str = Field(description="What the articles disagree on, and what is kept")
    record_table: str = Field(description="The table of the record concerned")
    record_id: str = Field(description="The id of the record concerned")
    field: str | None = Field(default=None, description="The claim of that record the articles "
                              "disagree on, where the dispute is over one")

    def summary(self) -> str:
        return self.description


# The table each record type is read from, by class name.
TABLES = {
    "Country": "countries", "Organization": "organizations", "Person": "people",
    "Member": "members", "Observer": "observers", "Meeting": "meetings",
    "MeetingFact": "meeting_facts", "Attendee": "attendees", "Quote": "quotes",
    "Discrepancy": "discrepancies", "Article": "articles",
}

Article.model_rebuild()
