"""The rules that verify a statement: that a citation's evidence holds a claim's value.

Each rule names itself, and the words of the evidence it found are kept with the statement:

- ``text``: the evidence holds the value's words (a name, a title, an organization's kind, a
  meeting fact) in order, house style folded (``sco_data.building.folding``), case ignored,
  with at most ``TEXT_GAP`` words of the evidence between them in all ("President of Uzbekistan"
  in "President Shavkat Mirziyoyev of Uzbekistan").
- ``reference``: the evidence holds a name of the row the value refers to: its name or an
  alias; for a person, also one word of either ("Putin", "Mr Xi"); for a country, also a word
  the lexicon gives it ("Chinese", "Moscow"); for an attendee, a name of its person (or of its
  country, when it has no person).
- ``meeting``: for a reference to a meeting, the evidence holds a word the lexicon gives for a
  meeting of its kind ("summit", "talks"); a place alone does not name a meeting ("will meet in
  Astana" is no word of the summit).
- ``place``: the evidence holds the place, or its part before the comma ("Astana" of "Astana,
  Kazakhstan").
- ``date``: the evidence holds a date expression naming the value at its precision, resolved
  against the article's date (``sco_data.date_expressions``): "Wednesday", "July 3 and 4",
  "in May", "2001". A meeting of several days has its start and end stated only by a range
  ("July 3 and 4"): one day of it ("on Thursday") states neither.

A meeting's kind, status, dates and place are stated by a line only when it names the meeting:
a summit by the words of its kind, any other meeting by the name of one of its participants
(when it has any).
- ``lexicon``: the evidence holds a word the lexicon (``sco_data/records/lexicon.yml``) lists for
  the value ("will attend" → expected); words that a longer phrase of another value overlaps
  ("will attend" holds "attend"; "will hold a separate meeting" overlaps "meeting with") count for
  that value only. A founding member's evidence must also
  name the country ("established in 2001 by China and Russia" states China's founding, not
  Kazakhstan's).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic import Field as PydanticField

from sco_data.building.folding import WORD_PATTERN, fold_word
from sco_data.date_expressions import date_mentions, states_date
from sco_data.models import RECORD_CONFIG

LEXICON_FILE = "lexicon.yml"
TEXT_GAP = 5  # words a title may leave out of its line: a name, "a", "in London and a"

RULES = ("text", "reference", "meeting", "place", "date", "lexicon")
_TEXT_CLAIMS = frozenset({("countries", "name"), ("organizations", "name"), ("people", "name"),
                          ("organizations", "kind"), ("people", "title"),
                          ("meeting_facts", "value")})
_DATE_CLAIMS = frozenset({"start_date", "end_date", "joined"})
# A meeting's own facts: a line states them of a meeting other than a summit only when it names
# one of its participants ("the Russian leader on Wednesday had multiple meetings" dates none).
_MEETING_FACTS = frozenset({"kind", "status", "start_date", "end_date", "place"})
_REFERENCES = {"person_id": "people", "country_id": "countries",
               "organization_id": "organizations", "represented_by": "attendees",
               "meeting_id": "meetings", "parent_id": "meetings"}
# Claims whose values only the lexicon's words state.
LEXICON_CLAIMS = frozenset({("attendees", "attendance"), ("meetings", "status"),
                            ("meetings", "kind"), ("observers", "status"),
                            ("members", "founding")})
# Tables whose rows the lexicon may give naming words (for meetings: by kind).
LEXICON_NAMES = frozenset({"countries", "organizations", "people", "meetings"})


class LexiconEntry(BaseModel):
    """An entry of sco_data/records/lexicon.yml: words that state a value, or name a row."""

    model_config = RECORD_CONFIG

    field: str = PydanticField(
        min_length=1, description="<table>.<column> for a claim's value; <table> for the words "
        "naming a row of it in a reference")
    value: str = PydanticField(
        min_length=1, description="The value the words state; for a table, a row's id (a "
        "meeting's kind for meetings)")
    words: list[str] = PydanticField(
        min_length=1, description="The words, as articles print them; case and house style "
        "are ignored")


@dataclass(frozen=True)
class Found:
    """A rule that found a value in an evidence, and the evidence's words it found."""

    rule: str
    words: str


Phrase = tuple[str, ...]  # folded words


@lru_cache(maxsize=1 << 14)
def phrase(text: str) -> Phrase:
    """``text`` as folded words; a possessive "’s" is dropped so "Putin’s" names Putin."""
    return tuple(word for word, _, _ in _words(text))


def _name(text: str) -> Phrase:
    """A name as folded words, without a leading "the": "the Kremlin" is named "Kremlin"."""
    words = phrase(text)
    return words[1:] if len(words) > 1 and words[0] == "the" else words


def _words(text: str) -> list[tuple[str, int, int]]:
    found = []
    for match in WORD_PATTERN.finditer(text):
        word = match.group()
        if word[-2:] in ("’s", "'s"):
            word = word[:-2]
        if folded := fold_word(word):
            found.append((folded, match.start(), match.end()))
    return found


@lru_cache(maxsize=1024)
def _evidence(text: str) -> Evidence:
    # A citation's claims are verified one after another: fold its words once.
    return Evidence(text)


class Evidence:
    """An evidence's folded words, with the offsets of the characters each came from."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = _words(text)

    def find(self, needle: Phrase) -> tuple[int, int] | None:
        """The offsets of the first place ``needle`` stands in the evidence, or None."""
        spans = self.find_all(needle)
        return spans[0] if spans else None

    def find_in_order(self, needle: Phrase, gap: int) -> tuple[int, int] | None:
        """The offsets of the first place ``needle``'s words stand in order with at most
        ``gap`` other words between them in all, or None."""
        folded = [word for word, _, _ in self.words]
        for start, word in enumerate(folded):
            if not needle or word != needle[0]:
                continue
            position, skipped = start, 0
            for wanted in needle[1:]:
                position += 1
                while position < len(folded) and folded[position] != wanted:
                    position, skipped = position + 1, skipped + 1
                if position >= len(folded) or skipped > gap:
                    break
            else:
                return self.words[start][1], self.words[position][2]
        return None

    def find_indexed(self, index: PhraseIndex) -> list[tuple[int, int, str]]:
        """Every place a phrase of ``index`` stands in the evidence: (start, end, its label).
        One look-up per word and phrase length, however many phrases the index holds."""
        folded = [word for word, _, _ in self.words]
        found = []
        for start in range(len(folded)):
            if folded[start] not in index.first_words:  # no phrase starts here
                continue
            for size in index.sizes:
                labels = index.phrases.get(tuple(folded[start:start + size]))
                if labels and start + size <= len(folded):
                    end = self.words[start + size - 1][2]
                    found += [(self.words[start][1], end, label) for label in labels]
        return sorted(found)

    def find_all(self, needle: Phrase) -> list[tuple[int, int]]:
        size = len(needle)
        if not size:
            return []
        folded = [word for word, _, _ in self.words]
        return [(self.words[index][1], self.words[index + size - 1][2])
                for index in range(len(folded) - size + 1)
                if tuple(folded[index:index + size]) == needle]


@dataclass
class PhraseIndex:
    """Phrases (folded words) with their labels, looked up by the words themselves: a lexicon
    grows with the articles, and the rules must not scan it once per citation."""

    phrases: dict[Phrase, list[str]] = field(default_factory=dict)
    sizes: tuple[int, ...] = ()
    first_words: set[str] = field(default_factory=set)

    def add(self, words: Phrase, label: str) -> None:
        if words:
            self.phrases.setdefault(words, []).append(label)
            self.first_words.add(words[0])
            self.sizes = tuple(sorted({*self.sizes, len(words)}))


@dataclass
class ClaimRules:
    """The rules, with what they need to know: every row's names, every meeting's kind and
    place, every article's date, and the lexicon."""

    names: dict[tuple[str, str], list[Phrase]]  # (table, id) → its names as folded words
    meetings: dict[str, str]  # id → kind
    published: dict[str, dt.date]  # article id → its date
    value_words: dict[str, PhraseIndex]  # "table.column" → its words, labelled by value
    meeting_words: PhraseIndex  # words naming a meeting, labelled by its kind

    def verify(self, table: str, field: str, record: Any, evidence: str,
               article: str) -> Found | None:
        """Which rule finds the value of ``record``'s ``field`` (a claim of ``table``) in
        ``evidence``, a citation of ``article``; None when none does."""
        value = getattr(record, field)
        text = _evidence(evidence)
        if table == "meetings" and field in _MEETING_FACTS and not self._names_participant(
                record, text):
            return None
        if (table, field) in _TEXT_CLAIMS:
            span = text.find_in_order(phrase(str(value)), TEXT_GAP)
            return Found("text", evidence[span[0]:span[1]]) if span else None
        if field in _DATE_CLAIMS:
            end = None
            if table == "meetings" and record.start_date and record.end_date:
                end = "first" if field == "start_date" else "last"
            mention = states_date(str(value), date_mentions(evidence, self.published[article]),
                                  end)
            return Found("date", mention.words) if mention else None
        if (table, field) == ("meetings", "place"):
            return _found("place", text, _place_words(str(value)))
        if (table, field) == ("members", "founding") and not _found(
                "reference", text, self.names.get(("countries", record.country_id), [])):
            return None
        if (table, field) in LEXICON_CLAIMS:
            return self._lexicon(f"{table}.{field}", value_text(value), text)
        target = _REFERENCES.get(field)
        if target == "meetings":
            kind = self.meetings.get(value, "")
            spans = [(start, end) for start, end, label in text.find_indexed(self.meeting_words)
                     if label == kind]
            if not spans:
                return None
            start, end = max(spans, key=lambda span: (span[1] - span[0], -span[0]))
            return Found("meeting", evidence[start:end])
        if target is not None:
            return _found("reference", text, self.names.get((target, value), []))
        return None

    def _names_participant(self, record: Any, text: Evidence) -> bool:
        """Whether the evidence names the meeting it speaks of: a summit by its own words (its
        kind), any other meeting by one of its participants."""
        if str(record.kind) == "summit" or not record.participants:
            return True  # a meeting with no named participant has no name to look for
        return any(_found("reference", text, self.names.get(("people", participant.person_id),
                                                              []))
                   for participant in record.participants)

    def _lexicon(self, claim: str, value: str, text: Evidence) -> Found | None:
        index = self.value_words.get(claim)
        matches = text.find_indexed(index) if index else []
        # Words a longer phrase of another value overlaps belong to that phrase: "meeting with"
        # is held, but not inside "will hold a separate meeting with".
        standing = [(start, end) for start, end, stated in matches if stated == value and not any(
            other != value and outer_start < end and start < outer_end
            and (outer_end - outer_start) > (end - start)
            for outer_start, outer_end, other in matches)]
        if not standing:
            return None
        # The longest of the value's phrases names it best ("held talks" rather than "held").
        start, end = max(standing, key=lambda span: (span[1] - span[0], -span[0]))
        return Found("lexicon", text.text[start:end])


def build_rules(records: dict[str, list[Any]], published: dict[str, dt.date],
                lexicon: list[LexiconEntry]) -> ClaimRules:
    """The rules for a set of loaded records (``Loaded`` items) and lexicon entries."""
    names: dict[tuple[str, str], list[Phrase]] = defaultdict(list)
    for table in ("countries", "organizations", "people"):
        for item in records[table]:
            record = item.record
            spellings = [record.name, *(alias.name for alias in record.aliases)]
            names[(table, record.id)] += [_name(spelling) for spelling in spellings]
            if table == "people":  # one word of a person's name names them: "Putin", "Xi"
                names[(table, record.id)] += [(word,) for spelling in spellings
                                              for word in phrase(spelling) if len(word) > 1]
    value_words: dict[str, PhraseIndex] = defaultdict(PhraseIndex)
    meeting_words = PhraseIndex()
    for entry in lexicon:
        words = [phrase(word) for word in entry.words]
        if entry.field == "meetings":
            for word in words:
                meeting_words.add(word, entry.value)
        elif "." in entry.field:
            for word in words:
                value_words[entry.field].add(word, entry.value)
        else:
            names[(entry.field, entry.value)] += words
    for item in records["attendees"]:
        record = item.record
        owner = ("people", record.person_id) if record.person_id else (
            "countries", record.country_id)
        names[("attendees", record.id)] = names.get(owner, [])
    meetings = {item.record.id: str(item.record.kind) for item in records["meetings"]}
    return ClaimRules(dict(names), meetings, published, dict(value_words), meeting_words)


def value_text(value: Any) -> str:
    """A claim's value as the statements table holds it: an enum's value, true for a flag."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))


def _place_words(place: str) -> list[Phrase]:
    return [phrase(place), phrase(place.split(",")[0])]


def _found(rule: str, text: Evidence, needles: list[Phrase]) -> Found | None:
    for needle in needles:
        if span := text.find(needle):
            return Found(rule, text.text[span[0]:span[1]])
    return None
