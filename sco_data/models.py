"""The schema and the records, described once.

Each table has a ``…Fields`` base holding its columns and their descriptions. The SQLModel table
class (``table=True``) inherits it for the schema that Alembic migrates, and the ``…Record`` model
inherits it for the hand-curated YAML, adding the citations (``sources``) that the build turns
into ``article_id``/``line`` and ``citations`` rows. The descriptions written here are the ones
Datasette shows (``sco_data.publish.metadata``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from sco_data.text_rules import MAX_ID_CHARS, MAX_TEXT_CHARS, clipped, has_a_word

# --------------------------------------------------------------------------- value types

# ASCII digits only, the whole value (``$`` would let a trailing newline through).
_ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

RECORD_CONFIG = ConfigDict(extra="forbid", str_min_length=1, str_max_length=MAX_TEXT_CHARS)
"""Every curated model: no unknown key, and no text empty or over the limit the server keeps
(``text_rules``); hidden characters the loader refuses for every value at once."""


def _date_as_text(value: Any) -> Any:
    # YAML reads an unquoted 2001 as an int and 2024-07-04 as a date; both mean the text form.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _check_iso_date(value: str) -> str:
    match = _ISO_DATE.fullmatch(value)
    if not match:
        raise ValueError(
            f"{clipped(value)} is not an ISO 8601 date; write YYYY, YYYY-MM or YYYY-MM-DD "
            "(digits 0-9, nothing around them), at the precision the text gives"
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        # A month or day written 00 is none: it must not pass as January or the first.
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real date: {error}") from None
    return value


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(
            f"{clipped(value)} is not a slug; use lower-case letters, digits and single hyphens, "
            "nothing around them (e.g. 'putin-xi-astana-2024-07-03')"
        )
    if len(value) > MAX_ID_CHARS:
        raise ValueError(f"an id of {len(value):,} characters is over the limit of "
                         f"{MAX_ID_CHARS}: shorten it")
    return value


def _check_words(value: str) -> str:
    if not has_a_word(value):
        raise ValueError(f"{clipped(value)} quotes no word: copy the words of the line that "
                         "state the fact")
    return value


IsoDate = Annotated[str, BeforeValidator(_date_as_text), AfterValidator(_check_iso_date)]
"""A date at the precision the text gives: ``2024``, ``2024-07`` or ``2024-07-03``."""

Slug = Annotated[str, AfterValidator(_check_slug)]
"""A readable identifier: lower-case words joined by hyphens."""

Sha256 = Annotated[str, PydanticField(pattern=r"^[0-9a-f]{64}$")]
"""A SHA-256 digest in lower-case hexadecimal."""


class Attendance(StrEnum):
    """Whether a person was at the summit, as the latest article supports it."""

    attended = "attended"
    expected = "expected"
    absent = "absent"


class ObserverStatus(StrEnum):
    """A non-member's standing with an organization, in the article's words."""

    observer = "observer"
    dialogue_partner = "dialogue_partner"
    observer_or_dialogue_partner = "observer_or_dialogue_partner"


class MeetingKind(StrEnum):
    """What sort of meeting: the summit itself, or talks between two or more parties."""

    summit = "summit"
    bilateral = "bilateral"
    multilateral = "multilateral"


class MeetingStatus(StrEnum):
    """Whether a line says the meeting took place, or only that it was announced."""

    held = "held"
    planned = "planned"


class DatePrecision(StrEnum):
    """How much of a date the text gives: ``2024`` is a year, ``2024-05`` a month."""

    year = "year"
    month = "month"
    day = "day"


def date_precision(value: str | None) -> DatePrecision | None:
    """The precision of an ISO 8601 date at the text's precision; None for no date."""
    if value is None:
        return None
    return {4: DatePrecision.year, 7: DatePrecision.month, 10: DatePrecision.day}[len(value)]


def _precision_of(column: str) -> str:
    return (f"How much of {column} the text gives: year, month or day (pandas turns only days "
            f"into timestamps; see the README); empty when {column} is")


# --------------------------------------------------------------------------- citations


class LineRef(BaseModel):
    """A line of the article being described, and the words on it that state the fact."""

    model_config = RECORD_CONFIG

    line: int = PydanticField(ge=1, description="1-based line number in the seed file")
    evidence: Annotated[str, AfterValidator(_check_words)] = PydanticField(
        min_length=1, description="An exact, case-sensitive substring of that line"
    )


_DRAFT = ("Written by a tool (python build.py propose --write) and not yet reviewed: the build "
          "refuses it until a person checks it against its line and deletes the marker")
_PROPOSAL = "Why the tool proposed it (what it matched, and how well)"


def _claim_from_text(value: Any) -> Any:
    # ``states: [place]`` is short for ``states: [{field: place}]``.
    if isinstance(value, str):
        return {"field": value}
    if not isinstance(value, dict):
        raise ValueError(f"{value!r} is no claim: write a field's name (start_date), or "
                         "{field: start_date, reason: \"…\"} for an inference")
    return value


class StatedClaim(BaseModel):
    """A claim of the record that a citation states; where no rule finds the value in the
    evidence, the curator's reason why the line states it all the same (an inference)."""

    model_config = RECORD_CONFIG

    field: str = PydanticField(min_length=1, description="The claim: one of the record's fields")
    reason: str | None = PydanticField(
        default=None, min_length=1,
        description="Why the line states the value although no rule finds it in the evidence "
        "(\"the sentence before names the speaker\"); empty when a rule verifies it")


StatedClaims = list[Annotated[StatedClaim, BeforeValidator(_claim_from_text)]]


class SourceRef(LineRef):
    """An article line that states the record's fact: the article, the line, the words."""

    article: str = PydanticField(description="Id of the article in seeds/articles.yml")
    states: StatedClaims = PydanticField(
        default_factory=list,
        description="The record's claims this citation states (``states: [start_date, place]``)",
    )
    draft: bool = PydanticField(default=False, description=_DRAFT)
    proposal: str | None = PydanticField(default=None, description=_PROPOSAL)


Sources = Annotated[list[SourceRef], PydanticField(min_length=1)]
"""Every line that states the record; the first is its primary source."""


class NotCitedRef(BaseModel):
    """A line where a record's cited words stand again, deliberately not cited, and why."""

    model_config = RECORD_CONFIG

    article: str = PydanticField(description="Id of the article in seeds/articles.yml")
    line: int = PydanticField(ge=1, description="1-based line number in the seed file")
    reason: str = PydanticField(
        min_length=1, description="Why the line does not state this record although its words "
        "stand there"
    )


# --------------------------------------------------------------------------- shared columns

_NOTE = ("Where the sources differ on this record, and which claim is kept; the curator's "
         "words, not a claim")


class Cited(SQLModel):
    """A hand-curated record: no unknown keys, at least one citation, and the lines where its
    cited words stand again but are deliberately not cited."""

    model_config = RECORD_CONFIG

    # The fields whose values the articles state: each non-null value needs a citation that
    # states it (``states:``), checked by a rule or explained by a reason. Titles, notes and
    # other words the curator writes are not claims.
    CLAIMS: ClassVar[tuple[str, ...]] = ()

    sources: Sources
    not_cited: list[NotCitedRef] = PydanticField(default_factory=list)
    draft: bool = PydanticField(default=False, description=_DRAFT)
    proposal: str | None = PydanticField(default=None, description=_PROPOSAL)


class PrimarySource(SQLModel):
    """Where a record is first stated; derived by the build from the record's first citation."""

    article_id: str = Field(
        foreign_key="articles.id",
        index=True,
        description="The article of the record's primary source (its first citation)",
    )
    line: int = Field(description="The line of the primary source in that article (1-based)")
    line_id: str = Field(
        foreign_key="lines.id",
        index=True,
        description="The primary source line itself, as a row of the lines table",
    )


# --------------------------------------------------------------------------- articles and lines


class ArticleFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug of the article")
    file: str = Field(description="The article's file under seeds/, kept byte for byte")
    title: str = Field(description="The article's headline, as its text gives it")
    publisher: str | None = Field(
        default=None, description="Who published the article, where its text names them"
    )
    byline: str | None = Field(default=None, description="The author(s), where the text names them")
    published: IsoDate = Field(
        description="Publication date (ISO 8601), as the article's text or page debris gives it"
    )
    published_note: str = Field(description="Which words of the article give or imply that date")
    sha256: Sha256 = Field(description="SHA-256 of the file's bytes; a mismatch stops the build")


_ARTICLE_LABEL = ("A short name for the article in lists of sources (\"AP 3 July\", \"VOA\"); "
                  "a display label, not a fact")


class Article(ArticleFields, table=True):
    """The five news articles the dataset is curated from, with their provenance."""

    __tablename__ = "articles"

    line_count: int = Field(description="Number of lines: newline characters plus one")
    label: str = Field(description=_ARTICLE_LABEL)
    source_group: str | None = Field(
        default=None,
        foreign_key="source_groups.id",
        index=True,
        description="The source group the article belongs to: articles printing one story "
        "count as one independent source",
    )
    published_precision: DatePrecision | None = Field(
        default=None, description=_precision_of("published"))


class OriginRef(LineRef):
    """A line of the article that names where its text comes from (a copyright line, a
    contributor line, a byline); a source group is named for the origin its articles state."""

    name: str = PydanticField(
        min_length=1, description="The origin, as the line names it; must stand in the evidence"
    )
    names_group: bool = PydanticField(
        default=False, description="The curator's choice: this origin names the article's "
        "source group (else the earliest article's origin does); one article per group"
    )


class SourceGroupOverride(LineRef):
    """The curator's decision to put an article in another article's source group (``join``)
    or to keep it in a group of its own (``split``), whatever lines they share; the cited line
    is what the decision rests on."""

    join: str | None = PydanticField(
        default=None, description="Id of the article whose source group this article joins"
    )
    split: bool = PydanticField(
        default=False, description="True to keep the article in a source group of its own"
    )
    reason: str = PydanticField(min_length=1, description="Why, in the curator's words")

    @model_validator(mode="after")
    def _join_or_split(self) -> SourceGroupOverride:
        if (self.join is None) == (not self.split):
            raise ValueError("give exactly one of join: <article id> or split: true")
        return self


class ArticleRecord(ArticleFields):
    """An entry of the seed registry, seeds/articles.yml."""

    model_config = RECORD_CONFIG

    label: str = PydanticField(min_length=1, description=_ARTICLE_LABEL)
    sources: list[LineRef] = PydanticField(
        min_length=1, description="Lines of this article that give its title, publisher and date"
    )
    origin: OriginRef | None = PydanticField(
        default=None, description="The line that names where the article's text comes from"
    )
    source_group: SourceGroupOverride | None = PydanticField(
        default=None, description="A curated join or split of the article's source group"
    )
    draft: bool = PydanticField(default=False, description=_DRAFT)
    proposal: str | None = PydanticField(default=None, description=_PROPOSAL)


class Line(SQLModel, table=True):
    """Every line of every article, exactly as in the seed files (split on newline only)."""

    __tablename__ = "lines"

    id: str = Field(primary_key=True, description="Article id and line number: <article>-L<n>")
    article_id: str = Field(foreign_key="articles.id", index=True, description="The article")
    line: int = Field(description="1-based line number in the seed file")
    text: str = Field(description="The line's text, without its newline; may be empty")


# --------------------------------------------------------------------------- entities


class CountryFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug of the country")
    name: str = Field(description="The country's name as the articles write it")


class Country(CountryFields, table=True):
    """Countries the records refer to."""

    __tablename__ = "countries"


class OrganizationFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug of the organization")
    name: str = Field(description="The organization's name as the articles write it")
    kind: str | None = Field(
        default=None,
        description="What a line says the organization is, in that line's words (a forum, a "
        "news agency, a think tank); empty when no line says",
    )


class Organization(OrganizationFields, table=True):
    """Organizations the records refer to: the SCO, ministries, think tanks, news agencies."""

    __tablename__ = "organizations"


_ALIAS_NAME = "A spelling of the name as one article writes it"


class AliasRecord(Cited):
    """A spelling of a name, with the lines that use it."""

    name: str = PydanticField(description=_ALIAS_NAME)


class CountryRecord(Cited, CountryFields):
    """An entry of sco_data/records/countries.yml: in each article that names the country, the
    line that first does; every other spelling an article uses ("Turkiye") is a cited alias."""

    CLAIMS = ("name",)

    aliases: list[AliasRecord] = PydanticField(default_factory=list)


class OrganizationRecord(Cited, OrganizationFields):
    """An entry of sco_data/records/organizations.yml: in each article that names the
    organization, the line that first does, and the line that states its kind."""

    CLAIMS = ("name", "kind")

    aliases: list[AliasRecord] = PydanticField(default_factory=list)


class CountryAlias(SQLModel, table=True):
    """Every other spelling of a country's name that an article uses ("Turkiye"), each cited."""

    __tablename__ = "country_aliases"

    id: str = Field(primary_key=True, description="Country id and number: <country>-alias-<n>")
    country_id: str = Field(foreign_key="countries.id", index=True, description="The country")
    name: str = Field(description=_ALIAS_NAME)


class OrganizationAlias(SQLModel, table=True):
    """Every spelling of an organization's name that an article uses, each cited."""

    __tablename__ = "organization_aliases"

    id: str = Field(
        primary_key=True, description="Organization id and number: <organization>-alias-<n>"
    )
    organization_id: str = Field(
        foreign_key="organizations.id", index=True, description="The organization"
    )
    name: str = Field(description=_ALIAS_NAME)


class PersonFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug of the person")
    name: str = Field(description="The person's name in its most common spelling in the articles")
    country_id: str | None = Field(
        default=None,
        foreign_key="countries.id",
        index=True,
        description="The country the person serves or comes from, where the text says",
    )
    title: str | None = Field(default=None, description="The person's title, as the text gives it")
    organization_id: str | None = Field(
        default=None,
        foreign_key="organizations.id",
        index=True,
        description="The organization the person speaks for or works at, where the text says",
    )


class Person(PersonFields, table=True):
    """People named in the articles in a role relevant to the summit."""

    __tablename__ = "people"


class Alias(SQLModel, table=True):
    """Every spelling of a person's name that an article uses, each cited."""

    __tablename__ = "aliases"

    id: str = Field(primary_key=True, description="Person id and number: <person>-alias-<n>")
    person_id: str = Field(foreign_key="people.id", index=True, description="The person")
    name: str = Field(description=_ALIAS_NAME)


class PersonRecord(Cited, PersonFields):
    """An entry of sco_data/records/people.yml."""

    CLAIMS = ("name", "title", "country_id", "organization_id")

    aliases: list[AliasRecord] = PydanticField(default_factory=list)


# --------------------------------------------------------------------------- facts


class MemberFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug: <organization>-<country>")
    organization_id: str = Field(
        foreign_key="organizations.id", index=True, description="The organization"
    )
    country_id: str = Field(
        foreign_key="countries.id", index=True, description="The member country"
    )
    founding: bool = Field(description="True when a line names the country among the founders")
    joined: IsoDate | None = Field(
        default=None, description="When the country joined, at the precision a line states"
    )
    note: str | None = Field(default=None, description=_NOTE)


class Member(PrimarySource, MemberFields, table=True):
    """Countries that a line states are members of an organization, with when they joined."""

    __tablename__ = "members"

    joined_precision: DatePrecision | None = Field(
        default=None, description=_precision_of("joined"))


class MemberRecord(Cited, MemberFields):
    """An entry of sco_data/records/members.yml."""

    CLAIMS = ("organization_id", "country_id", "founding", "joined")


class ObserverFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug: <organization>-<country>")
    organization_id: str = Field(
        foreign_key="organizations.id", index=True, description="The organization"
    )
    country_id: str = Field(foreign_key="countries.id", index=True, description="The country")
    status: ObserverStatus = Field(
        description="observer, dialogue_partner, or observer_or_dialogue_partner when the text "
        "does not say which"
    )
    note: str | None = Field(default=None, description=_NOTE)


class Observer(PrimarySource, ObserverFields, table=True):
    """Countries that a line states are observers or dialogue partners of an organization."""

    __tablename__ = "observers"


class ObserverRecord(Cited, ObserverFields):
    """An entry of sco_data/records/observers.yml."""

    CLAIMS = ("organization_id", "country_id", "status")


class MeetingFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug: <who>-<place>-<date>")
    title: str = Field(
        description="A short title for the meeting, written by the curator: not a claim")
    kind: MeetingKind = Field(description="summit, bilateral or multilateral")
    status: MeetingStatus = Field(
        description="held, or planned when announced and no line says it took place"
    )
    start_date: IsoDate | None = Field(
        default=None, description="First day, at the precision the text gives"
    )
    end_date: IsoDate | None = Field(
        default=None, description="Last day, at the precision the text gives"
    )
    place: str | None = Field(default=None, description="Where it took place, as the text says")
    parent_id: str | None = Field(
        default=None,
        foreign_key="meetings.id",
        index=True,
        description="The summit a sideline meeting was held at",
    )
    note: str | None = Field(default=None, description=_NOTE)


class Meeting(PrimarySource, MeetingFields, table=True):
    """The summit, meetings on its sidelines, and earlier meetings the articles recall."""

    __tablename__ = "meetings"

    start_date_precision: DatePrecision | None = Field(
        default=None, description=_precision_of("start_date"))
    end_date_precision: DatePrecision | None = Field(
        default=None, description=_precision_of("end_date"))
    place_name: str | None = Field(
        default=None,
        description="The place without the country the text may add (\"Astana\" for "
        "\"Astana, Kazakhstan\"), so one place is one facet value; filled by the build")
    listing_order: int = Field(
        default=0, index=True,
        description="Where the meeting comes when the table opens: by date, each date as the "
        "interval it names, undated meetings last; filled by the build")


class ParticipantRecord(Cited):
    """A person who took part in a meeting, with the lines that place them in it."""

    person_id: str = PydanticField(description="Id of the person who took part")


class MeetingRecord(Cited, MeetingFields):
    """An entry of sco_data/records/meetings.yml."""

    CLAIMS = ("kind", "status", "start_date", "end_date", "place", "parent_id")

    participants: list[ParticipantRecord] = PydanticField(
        default_factory=list, description="The people who took part, each cited"
    )


class MeetingParticipant(SQLModel, table=True):
    """Who took part in which meeting."""

    __tablename__ = "meeting_participants"

    id: str = Field(primary_key=True, description="Meeting id and person id: <meeting>-<person>")
    meeting_id: str = Field(foreign_key="meetings.id", index=True, description="The meeting")
    person_id: str = Field(foreign_key="people.id", index=True, description="The participant")


class AttendeeFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug: <person>-<meeting>")
    meeting_id: str = Field(foreign_key="meetings.id", index=True, description="The meeting")
    person_id: str | None = Field(
        default=None,
        foreign_key="people.id",
        index=True,
        description="The person; empty when a line names only a country's delegation",
    )
    attendance: Attendance = Field(
        description="attended, expected or absent, as the latest article supports it"
    )
    represented_by: str | None = Field(
        default=None,
        foreign_key="attendees.id",
        index=True,
        description="For an absent person: the attendee sent in their place",
    )
    country_id: str | None = Field(
        default=None,
        foreign_key="countries.id",
        index=True,
        description="The country the person represents",
    )
    organization_id: str | None = Field(
        default=None,
        foreign_key="organizations.id",
        index=True,
        description="The organization the person represents",
    )
    role: str | None = Field(
        default=None, description="Their role at the meeting as the text gives it (host, "
        "guest…), in the curator's words where it gives none: not a claim"
    )
    note: str | None = Field(default=None, description=_NOTE)


class Attendee(PrimarySource, AttendeeFields, table=True):
    """People a line places at the summit, expects there, or says will not come."""

    __tablename__ = "attendees"

    listing_order: int = Field(
        default=0, index=True,
        description="Where the attendee comes when the table opens: attended, then expected, "
        "then absent, each by country or organization and person; filled by the build")


class AttendeeRecord(Cited, AttendeeFields):
    """An entry of sco_data/records/attendees.yml."""

    CLAIMS = ("person_id", "meeting_id", "attendance", "represented_by", "country_id",
              "organization_id")


class QuoteFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug: <speaker>-<key words>")
    text: str = Field(description="Exactly the words inside the quotation marks")
    speaker: str = Field(description="The speaker as the article labels them")
    person_id: str | None = Field(
        default=None, foreign_key="people.id", index=True, description="The speaker, if a person"
    )
    organization_id: str | None = Field(
        default=None,
        foreign_key="organizations.id",
        index=True,
        description="The speaker, if an organization; or the speaker's organization",
    )
    meeting_id: str | None = Field(
        default=None,
        foreign_key="meetings.id",
        index=True,
        description="The meeting the words were said at, where known",
    )
    country_id: str | None = Field(
        default=None,
        foreign_key="countries.id",
        index=True,
        description="The speaker, if the article has a country speak (\"China declared\")",
    )
    note: str | None = Field(default=None, description=_NOTE)


class Quote(PrimarySource, QuoteFields, table=True):
    """Words in quotation marks that an article attributes to a speaker."""

    __tablename__ = "quotes"

    listing_order: int = Field(
        default=0, index=True,
        description="Where the quote comes when the table opens: in reading order of its "
        "primary source (articles by date, then line); filled by the build")


class QuoteRecord(Cited, QuoteFields):
    """An entry of sco_data/records/quotes.yml."""

    CLAIMS = ("person_id", "organization_id", "meeting_id", "country_id")


class MeetingFactFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug: <meeting>-<aspect>")
    meeting_id: str = Field(foreign_key="meetings.id", index=True, description="The meeting")
    aspect: str = Field(
        description="What the fact is about: formal name, slogan, expected outcome, agenda…; the "
        "curator's label, not a claim"
    )
    value: str = Field(description="The fact, in the article's words where it has them")


class MeetingFact(PrimarySource, MeetingFactFields, table=True):
    """What the articles say of a meeting beyond its date and place: its formal name, slogan,
    the documents expected to be signed."""

    __tablename__ = "meeting_facts"


class MeetingFactRecord(Cited, MeetingFactFields):
    """An entry of sco_data/records/meeting_facts.yml."""

    CLAIMS = ("meeting_id", "value")


class DiscrepancyFields(SQLModel):
    id: Slug = Field(primary_key=True, description="Readable slug of the point in dispute")
    description: str = Field(
        description="What the articles disagree on or change over time, and which claim is "
        "kept; the curator's words, not a claim"
    )
    record_table: str = Field(index=True, description="The table of the record concerned")
    record_id: str = Field(index=True, description="The id of the record concerned")


# Declared on the table and the record, not on DiscrepancyFields: the column came after the
# primary source's columns (migration 0009 adds it at the end), and the table's columns are in
# the model's order so that the release's CSV and its data package agree.
_DISPUTED_FIELD = ("The claim of that record the articles disagree on, where the dispute is over "
                   "one; this record then cites every line stating the value kept")


class Discrepancy(PrimarySource, DiscrepancyFields, table=True):
    """Points where the articles disagree or change over time; each side is cited."""

    __tablename__ = "discrepancies"

    field: str | None = Field(default=None, description=_DISPUTED_FIELD)


class DiscrepancyRecord(Cited, DiscrepancyFields):
    """An entry of sco_data/records/discrepancies.yml."""

    field: str | None = PydanticField(default=None, description=_DISPUTED_FIELD)


class Citation(SQLModel, table=True):
    """Every line that states every record: the article, the line and the exact words."""

    __tablename__ = "citations"

    id: str = Field(primary_key=True, description="<table>-<record id>-<n>, n counting from 1")
    record_table: str = Field(index=True, description="The table of the cited record")
    record_id: str = Field(index=True, description="The id of the cited record in that table")
    article_id: str = Field(foreign_key="articles.id", index=True, description="The article")
    line: int = Field(description="The line in that article (1-based)")
    line_id: str = Field(foreign_key="lines.id", index=True, description="The cited line itself")
    evidence: str = Field(description="The words on that line that state the fact, verbatim")
    char_start: int = Field(
        description="Offset of the evidence's first character in the line (0-based)"
    )
    char_end: int = Field(description="Offset just past the evidence's last character")


class Statement(SQLModel, table=True):
    """Every claim value of every record, with the citation whose line states it: verified by a
    rule that finds the value in the cited words, or explained by the curator's reason (an
    inference). A value may have several statements; each non-null claim has at least one."""

    __tablename__ = "statements"

    id: str = Field(primary_key=True, description="The citation's id and the field: "
                    "<citation id>-<field>")
    record_table: str = Field(index=True, description="The table of the record")
    record_id: str = Field(index=True, description="The id of the record in that table")
    field: str = Field(index=True, description="The claim: a column of that table")
    value: str = Field(description="The claim's value, as text (true for a founding member)")
    citation_id: str = Field(foreign_key="citations.id", index=True,
                             description="The citation whose line states the value")
    rule: str = Field(index=True, description="The rule that found the value in the cited "
                      "words (text, reference, meeting, place, date, lexicon); empty for an "
                      "inference")
    words: str = Field(description="The cited words the rule found; empty for an inference")
    reason: str = Field(description="Why the line states the value though no rule finds it "
                        "(the curator's words): an inference; empty when a rule verified it")


class StatingWord(SQLModel, table=True):
    """The curated lexicon: words that state a claim's value ("will attend" → expected) or name
    a row besides its name ("Chinese" → China), which the lexicon rule finds in cited words."""

    __tablename__ = "lexicon"

    id: str = Field(primary_key=True, description="<field>-<value>-<n>")
    field: str = Field(index=True, description="<table>.<column> of a claim, or a table whose "
                       "rows the words name")
    value: str = Field(index=True, description="The value the words state, or the row they "
                       "name (a meeting's kind for meetings)")
    word: str = Field(description="The words, as articles print them; case and house style "
                      "are ignored")


class NotCited(SQLModel, table=True):
    """Lines where a record's cited words stand again (house style folded), or partner lines of
    its citations (another article printing the cited sentence), that the record deliberately
    does not cite, each with the curator's reason."""

    __tablename__ = "not_cited"

    id: str = Field(primary_key=True, description="<table>-<record id>-<n>, n counting from 1")
    record_table: str = Field(index=True, description="The table of the record")
    record_id: str = Field(index=True, description="The id of the record in that table")
    article_id: str = Field(foreign_key="articles.id", index=True, description="The article")
    line: int = Field(description="The line in that article (1-based)")
    line_id: str = Field(foreign_key="lines.id", index=True, description="The line itself")
    reason: str = Field(description="Why the line does not state this record")


class QuotedSpan(SQLModel, table=True):
    """Every span between double quotation marks on every line of every article, and what it
    is: a quote's appearance, or words in quotation marks with the reason they are no quote."""

    __tablename__ = "quoted_spans"

    id: str = Field(primary_key=True, description="Line id and number: <article>-L<line>-q<n>")
    article_id: str = Field(foreign_key="articles.id", index=True, description="The article")
    line: int = Field(description="The line in that article (1-based)")
    line_id: str = Field(foreign_key="lines.id", index=True, description="The line itself")
    char_start: int = Field(
        description="Offset of the first character inside the opening mark (0-based)"
    )
    char_end: int = Field(description="Offset of the closing mark")
    text: str = Field(description="The words between the marks, exactly as printed")
    quote_id: str | None = Field(
        default=None,
        foreign_key="quotes.id",
        index=True,
        description="The quote this span is an appearance of; empty when reason says why not",
    )
    reason: str | None = Field(
        default=None,
        description="Why the span is no quote (no speaker given, a slogan, page debris…); "
        "empty when quote_id is set",
    )


class SourceGroup(SQLModel, table=True):
    """Articles that print one story: copies of a wire report, however many outlets carry
    it, are one independent source. Articles sharing three or more sentence groups are one source
    group; the registry may join or split groups. Each group cites the lines naming its
    origin."""

    __tablename__ = "source_groups"

    id: str = Field(primary_key=True, description="Readable slug of the group's name")
    name: str = Field(description="The origin of the group's text, as one of its articles names it")
    articles: int = Field(description="How many articles the group holds")
    note: str = Field(description="Why these articles are one source: the sentence groups they "
                      "share, the curator's joins and splits, the names each article gives its "
                      "origin")


class LineGroup(SQLModel, table=True):
    """Lines of different articles that print the same sentence: word for word, in another
    house style, or lightly edited. One row per line; a sentence printed by 500 outlets is one
    group of 500 rows. Lines are grouped through their sentences (sentence_groups), so a line a
    copy merged from two paragraphs joins both paragraphs' groups into one."""

    __tablename__ = "line_groups"

    id: str = Field(primary_key=True, description="The line's id: <article>-L<line>")
    group_id: str = Field(
        foreign_key="lines.id",
        index=True,
        description="The group, named by its first line (first article in the registry, then "
        "line)",
    )
    line_id: str = Field(foreign_key="lines.id", index=True, description="The line itself")
    article_id: str = Field(foreign_key="articles.id", index=True, description="The article")
    line: int = Field(description="The line in that article (1-based)")
    kind: str = Field(
        index=True,
        description="The closest of its sentences': identical: another article prints the same "
        "characters; house_style: the same words once house style is folded; near: a light "
        "edit (a dropped clause, \"will be\" → \"was\")",
    )


class SentenceGroup(SQLModel, table=True):
    """Sentences of different articles that print one another: word for word, in another house
    style, or lightly edited, however each outlet breaks its paragraphs. One row per sentence;
    lines holding sentences of one group are partners, and a record citing one cites the
    others or declares them in not_cited."""

    __tablename__ = "sentence_groups"

    id: str = Field(primary_key=True, description="The sentence's id: <article>-L<line>-S<n>")
    group_id: str = Field(
        foreign_key="sentence_groups.id",
        index=True,
        description="The group, named by its first sentence (first article in the registry, "
        "then line)",
    )
    line_id: str = Field(foreign_key="lines.id", index=True, description="The line holding it")
    article_id: str = Field(foreign_key="articles.id", index=True, description="The article")
    line: int = Field(description="The line in that article (1-based)")
    sentence: int = Field(description="The sentence's place in its line (1-based)")
    char_start: int = Field(description="Offset of the sentence's first character in the line")
    char_end: int = Field(description="Offset just past the sentence's last character")
    kind: str = Field(
        index=True,
        description="identical: another article prints the same characters; house_style: the "
        "same words once house style is folded; near: a light edit",
    )


class Corroboration(SQLModel, table=True):
    """How many citations, articles and independent sources back each record: articles of
    one source group (wire copies of one story) count as one source."""

    __tablename__ = "corroboration"

    id: str = Field(primary_key=True, description="<table>-<record id>")
    record_table: str = Field(index=True, description="The table of the record")
    record_id: str = Field(index=True, description="The id of the record in that table")
    citations: int = Field(description="How many lines state the record")
    articles: int = Field(description="How many articles state it")
    independent_sources: int = Field(
        index=True, description="How many source groups state it: wire copies count once"
    )
    source_groups: str = Field(description="Those source groups' ids, comma-separated")
    first_article_id: str = Field(
        foreign_key="articles.id",
        index=True,
        description="The article of the earliest statement: by article date, then line",
    )
    first_line: int = Field(description="The line of the earliest statement in that article")
    first_line_id: str = Field(
        foreign_key="lines.id", index=True, description="That line itself"
    )
    summary: str = Field(
        description="The same in words, sources grouped: \"Stated in 3 articles from 1 "
        "independent source (Associated Press: AP 3 July, PA, AP 4 July)\""
    )


class BuildInputs(SQLModel, table=True):
    """What this database was built from, as one digest: ``python build.py`` compares it with
    the inputs and skips a build when they have not changed."""

    __tablename__ = "build_inputs"

    id: int = Field(primary_key=True, description="Always 1: a database records one build")
    sha256: str = Field(
        description="SHA-256 over the registry, the article files, the records files, and the "
        "code and migrations that build the database"
    )


class SpanReasonRecord(BaseModel):
    """An entry of sco_data/records/quoted_spans.yml: words in quotation marks that are no
    quote, and why."""

    model_config = RECORD_CONFIG

    article: str = PydanticField(description="Id of the article in seeds/articles.yml")
    line: int = PydanticField(ge=1, description="1-based line number in the seed file")
    text: str = PydanticField(
        min_length=1, description="The words between the marks, exactly as printed"
    )
    reason: str = PydanticField(min_length=1, description="Why these words are no quote")


# --------------------------------------------------------------------------- the curated kinds


@dataclass(frozen=True)
class RecordKind:
    """A kind of hand-curated record: its YAML file's name is its table's name."""

    table: str
    record: type[BaseModel]
    model: type[SQLModel]


# The date columns at the text's precision, each with a ``<column>_precision`` sibling the
# build fills.
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("published",),
    "members": ("joined",),
    "meetings": ("start_date", "end_date"),
}

# In dependency order: a kind only refers to kinds above it (or to itself).
RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("countries", CountryRecord, Country),
    RecordKind("organizations", OrganizationRecord, Organization),
    RecordKind("people", PersonRecord, Person),
    RecordKind("members", MemberRecord, Member),
    RecordKind("observers", ObserverRecord, Observer),
    RecordKind("meetings", MeetingRecord, Meeting),
    RecordKind("attendees", AttendeeRecord, Attendee),
    RecordKind("quotes", QuoteRecord, Quote),
    RecordKind("meeting_facts", MeetingFactRecord, MeetingFact),
    RecordKind("discrepancies", DiscrepancyRecord, Discrepancy),
)
