"""``python build.py propose ARTICLE``: what a machine can find in a new article, each proposal
cited to its line, for a person to accept.

- **Names.** Every run of capitalized words is matched against the names the records know
  (people, organizations and countries, with their aliases): exactly, or nearly, a spelling or
  transliteration variant ("Rahmon" for "Rakhmon", "Japarov" for "Zhaparov", "Lukashenka" for
  "Lukashenko", "Turkiye" for "Turkey"). Words are compared after house-style folding (accents,
  case) and a folding of common transliteration pairs (``zh``/``j``, ``kh``/``h``…), scored with
  rapidfuzz (``fuzz.ratio``, 0–100); a near miss needs ``NEAR_SCORE``. A run no known name
  matches is listed as a possible new person, organization or country.
- **Quotes.** Every span in quotation marks, with its speaker guessed from the sentence ("…,"
  said X; X said; according to X; X added), a pronoun ("she added") resolved to the last person
  the article named before it, as curation rule 2 asks, and the speaker's id when known.
- **Dates.** Weekdays resolved against the article's date (the nearest such day), and month-day
  dates ("July 3") given the article's year.

``--write`` writes what can be written as drafts (``draft: true`` with the proposal's reason,
refused by the build until a person reviews each): a citation of each known person,
organization and country on the first line of the article naming it (when its record cites no
line of the article yet), and a quote record for each quote whose speaker was found. Names no
record holds and dates are listed only: a person decides what they are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sco_data.building.folding import fold, fold_word
from sco_data.building.quoted_spans import spans_on
from sco_data.dates import MONTHS, WEEKDAYS

NEAR_SCORE = 85
# Transliteration pairs folded away before names are compared: spellings of one sound that
# the press uses for Central Asian and Turkish names.
_TRANSLITERATION = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("iye", "ey"), ("yy", "y"),
                    ("ii", "i"), ("ou", "u"), ("w", "v"))
# A run of capitalized words, joined by the particles names carry.
_NAME = re.compile(r"\b[A-Z][\w’'.-]*[\w](?:\s+(?:(?:of|al|bin|de|la|van|von)\s+)?[A-Z][\w’'.-]*"
                   r"[\w])*")
# Capitalized words that start sentences or name no one.
_COMMON = frozenset((  # noqa: SIM905 (eighty words read better as words)
    "a an the it its he she they his her their this that these those in on at for from with by "
    "as but and or if when while after before during since then there here also besides we i "
    "you our my mr mrs ms dr president prime minister foreign secretary general leader leaders "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december advertisement photo read more"
).split())
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r") ([0-3]?\d)\b(?!,? \d{4})")
_VERB = r"(?:said|says|added|told|wrote|warned|noted|stressed|insisted)"
_PRONOUN_AFTER = re.compile(r"^[,.]?\s*(?P<who>he|she|they)\s+" + _VERB + r"\b", re.IGNORECASE)
_SAID_AFTER = re.compile(r"^[,.]?\s*(?:(?:he|she|they)\s+)?(?:said|says|added|told|wrote)\b\s*"
                         r"(?P<who>[^,.;:]*)", re.IGNORECASE)
_NAMED = r"(?:[A-Z][\w’'.-]*\s+)*[A-Z][\w’'-]*"  # capitalized words only: a name
_WHO_SAID_AFTER = re.compile(r"^[,.]?\s*(?P<who>" + _NAMED + r")\s+" + _VERB + r"\b")
_SAID_BEFORE = re.compile(r"(?P<who>" + _NAMED + r"|[Hh]e|[Ss]he|[Tt]hey)\s+" + _VERB
                          + r"[,:]?\s*$")
_ACCORDING = re.compile(r"according to (?P<who>[^,.;:“\"]+)")
_PRONOUNS = frozenset({"he", "she", "they"})
_ATTENDED = re.compile(r"\b(?:attended|joined|took part in|arrived (?:in|at)|was present|were "
                       r"present|participated in)\b")
_MET = re.compile(r"\b(?:met|held talks|talked)\b")


@dataclass(frozen=True)
class Known:
    """A name the records know: the record's table and id, and the spelling."""

    table: str
    id: str
    name: str


@dataclass(frozen=True)
class NameProposal:
    line: int
    text: str  # as the article writes it
    candidate: Known | None  # None: no known name matches
    score: int  # 100: the same words once folded

    @property
    def exact(self) -> bool:
        """The same words as a known spelling once house style is folded; else a variant."""
        return self.candidate is not None and any(
            fold(self.text) == fold(known) or fold(known).endswith(" " + fold(self.text))
            for known in (self.candidate.name,))


@dataclass(frozen=True)
class QuoteProposal:
    line: int
    start: int  # the words' offsets in the line, marks excluded
    end: int
    text: str
    speaker: str | None  # as the article writes it
    person: Known | None
    how: str  # how the speaker was found


@dataclass(frozen=True)
class DateProposal:
    line: int
    text: str
    value: str  # ISO 8601
    how: str


@dataclass(frozen=True)
class StaleProposal:
    """A record whose status this article's line states later: expected → attended,
    planned → held."""

    line: int
    words: str  # the line's words that state the later status
    record: str  # table/id
    status: str  # the record's status now
    later: str  # the status the line states
    cited: str  # where the record's status is stated now: article line N


@dataclass
class Proposals:
    article: str
    names: list[NameProposal] = field(default_factory=list)
    quotes: list[QuoteProposal] = field(default_factory=list)
    dates: list[DateProposal] = field(default_factory=list)
    stale: list[StaleProposal] = field(default_factory=list)


def transliterated(text: str) -> str:
    """A name's words folded for comparison: house style, then the transliteration pairs."""
    words = []
    for word in re.findall(r"[\w’'-]+", text):
        folded = fold_word(re.sub(r"[’']s$", "", word))  # "Kazakhstan’s" names Kazakhstan
        for old, new in _TRANSLITERATION:
            folded = folded.replace(old, new)
        if folded:
            words.append(folded)
    return " ".join(words)


class Lexicon:
    """The known names, folded, with the single words of people's names (a surname alone
    names its person: "Rahmon")."""

    def __init__(self, known: list[Known]) -> None:
        self.known = known
        self._folded = {transliterated(item.name): item for item in known}
        self._words: dict[str, Known] = {}
        for item in known:
            if item.table == "people":
                for word in transliterated(item.name).split():
                    if len(word) > 1:
                        self._words.setdefault(word, item)

    def match(self, text: str) -> tuple[Known, int] | None:
        """The known name ``text`` is, or nearly is, with the score; else None."""
        from rapidfuzz import fuzz, process

        folded = transliterated(text)
        if not folded:
            return None
        if folded in self._folded:
            return self._folded[folded], 100
        if folded in self._words:  # a known person's single name: "Xi", "Modi"
            return self._words[folded], 100
        found = process.extractOne(folded, list(self._folded), scorer=fuzz.ratio,
                                   score_cutoff=NEAR_SCORE)
        if found is not None:
            return self._folded[found[0]], int(found[1])
        # A known person's surname inside a longer run ("President Emomali Rahmon of …").
        best: tuple[Known, int] | None = None
        for word in folded.split():
            if len(word) <= 3:
                continue
            hit = process.extractOne(word, list(self._words), scorer=fuzz.ratio,
                                     score_cutoff=NEAR_SCORE)
            if hit is not None and (best is None or hit[1] > best[1]):
                best = (self._words[hit[0]], int(hit[1]))
        return best


def known_names(records: dict[str, list[Any]]) -> list[Known]:
    """Every name and alias of every person, organization and country the records hold."""
    found = []
    for table in ("people", "organizations", "countries"):
        for item in records.get(table, []):
            record = item.record
            found.append(Known(table, record.id, record.name))
            found += [Known(table, record.id, alias.name) for alias in record.aliases]
    return found


def propose(article: str, lines: tuple[str, ...], published: str, lexicon: Lexicon) -> Proposals:
    """Every proposal for one article's lines."""
    proposals = Proposals(article)
    last_person: tuple[str, Known | None] | None = None  # the person named last: label, record
    for number, text in enumerate(lines, 1):
        placed = [(run.start(), found) for run in _NAME.finditer(text)
                  for found in _names(number, run.group(), lexicon)
                  if found.candidate or not _starts_sentence(text, run.start(), found.text)]
        named = [found for _, found in placed]
        proposals.names += named
        for span in spans_on(article, number, text):
            before = [(found.text, found.candidate) for start, found in placed
                      if start < span.char_start and _is_person(found)]
            quote = _quote(number, text, span.char_start, span.char_end, span.text, lexicon,
                           last_person, before[-1] if before else None)
            proposals.quotes.append(quote)
        people = [(found.text, found.candidate) for found in named if _is_person(found)]
        if people:
            last_person = people[-1]
        # A quote's named speaker is who the next "she said" is about, more surely than the
        # last name of the line (an institute, a place).
        speakers = [(quote.speaker, quote.person) for quote in proposals.quotes
                    if quote.line == number and quote.speaker
                    and "pronoun" not in quote.how and "named last" not in quote.how]
        if speakers:
            last_person = speakers[-1]
        proposals.dates += _dates(number, text, published)
    return proposals


def _starts_sentence(text: str, start: int, name: str) -> bool:
    """A single capitalized word that opens a sentence ("Officials", "Expansion") is no name
    the article gives."""
    if " " in name:
        return False
    before = text[:start].rstrip(" “\"‘'(")
    return not before or before[-1] in ".!?:"


def _is_person(found: NameProposal) -> bool:
    """A known person, or an unknown run of two words or more (a possible new person)."""
    if found.candidate is not None:
        return found.candidate.table == "people"
    return len(found.text.split()) >= 2


def _names(number: int, run: str, lexicon: Lexicon) -> list[NameProposal]:
    """The proposals for one run of capitalized words: the run itself when it is a known name,
    else its parts around "of" ("Emomali Rahmon of Tajikistan": a person and a country)."""
    name = _trim(run)
    if not name:
        return []
    hit = lexicon.match(name)
    parts = [_trim(part) for part in name.split(" of ")] if " of " in name else []
    if parts and not (hit and hit[1] == 100 and transliterated(hit[0].name) ==
                      transliterated(name)):
        split = [NameProposal(number, part, *(lexicon.match(part) or (None, 0)))
                 for part in parts if part]
        if any(found.candidate for found in split):
            return split
    return [NameProposal(number, name, *(hit or (None, 0)))]


def _trim(name: str) -> str:
    """The run without leading words that start sentences or name no one ("The", "Mr")."""
    words = name.split()
    while words and words[0].casefold().strip(".") in _COMMON:
        words.pop(0)
    return " ".join(words)


def _quote(number: int, text: str, start: int, end: int, quoted: str, lexicon: Lexicon,
           last_person: tuple[str, Known | None] | None,
           subject: tuple[str, Known | None] | None) -> QuoteProposal:
    after, before = text[end + 1:], text[:max(0, start - 1)]
    who, how = None, "no speaker found in the sentence"
    for pattern, where in ((_PRONOUN_AFTER, after), (_WHO_SAID_AFTER, after),
                           (_SAID_AFTER, after), (_SAID_BEFORE, before)):
        found = pattern.search(where)
        if found and found.group("who").strip():
            who = found.group("who").strip()
            how = {_PRONOUN_AFTER: "he or she said after the quote",
                   _WHO_SAID_AFTER: "X said after the quote", _SAID_AFTER: "said X after the "
                   "quote", _SAID_BEFORE: "X said before the quote"}[pattern]
            break
    person = None
    if who is None and subject is not None:
        (who, person), how = subject, "the person named last before it in the line"
    elif who is None and (source := _ACCORDING.search(text)):
        who, how = source.group("who").strip(), "according to X"
    elif who is not None and who.casefold() in _PRONOUNS:
        if last_person is None:
            how += f": the pronoun {who!r}, and no person named before it"
        else:
            how += (f": the pronoun {who!r} is {last_person[0]!r}, the person named last "
                    "before it")
            who, person = last_person
    elif who is not None:
        hit = lexicon.match(who)
        person = hit[0] if hit and hit[0].table == "people" else None
    return QuoteProposal(number, start, end, quoted, who, person, how)


def _dates(number: int, text: str, published: str) -> list[DateProposal]:
    try:
        day = dt.date.fromisoformat(published)
    except ValueError:
        return []
    found = []
    for match in _WEEKDAY.finditer(text):
        offset = (WEEKDAYS.index(match.group(1)) - day.weekday() + 3) % 7 - 3
        value = day + dt.timedelta(days=offset)
        found.append(DateProposal(number, match.group(1), value.isoformat(),
                                  f"the {match.group(1)} nearest the article's date, {published}"))
    for match in _MONTH_DAY.finditer(text):
        month, date = MONTHS.index(match.group(1)) + 1, int(match.group(2))
        try:
            value = dt.date(day.year, month, date)
        except ValueError:
            continue
        found.append(DateProposal(number, match.group(), value.isoformat(),
                                  f"the year of the article's date, {published}"))
    return found


def render(proposals: Proposals) -> str:
    """The proposals as ``propose`` prints them, grouped, each with its line."""
    out = [f"# Proposals for {proposals.article}: check each against its line."]
    known = [found for found in proposals.names if found.candidate is not None]
    unknown = [found for found in proposals.names if found.candidate is None]
    out.append(f"## names: {len(known)} known ({sum(f.exact for f in known)} exact)")
    for found in known:
        how = "exact" if found.exact else f"another spelling, score {found.score}"
        out.append(f"  line {found.line}: {found.text!r} → {found.candidate.table}/"
                   f"{found.candidate.id} ({found.candidate.name!r}, {how})")
    out.append(f"## names no record holds: {len(unknown)}")
    out += [f"  line {found.line}: {found.text!r}" for found in unknown]
    out.append(f"## quotes: {len(proposals.quotes)}")
    for quote in proposals.quotes:
        speaker = (f"{quote.speaker!r}" if quote.speaker else "no speaker") + (
            f" → people/{quote.person.id}" if quote.person else "")
        out.append(f"  line {quote.line}: {quote.text!r}: {speaker} ({quote.how})")
    out.append(f"## records this article states later: {len(proposals.stale)}")
    out += [f"  line {stale.line}: {stale.record} is {stale.status!r} ({stale.cited}); this line "
            f"says {stale.words!r}: {stale.later} (rule 5: cite both, keep the later)"
            for stale in proposals.stale]
    out.append(f"## dates: {len(proposals.dates)}")
    out += [f"  line {date.line}: {date.text!r} → {date.value} ({date.how})"
            for date in proposals.dates]
    return "\n".join(out)


@dataclass
class Written:
    citations: int = 0
    quotes: int = 0


def write_drafts(proposals: Proposals, lines: tuple[str, ...], records: dict[str, list[Any]],
                 quotes_file: Any) -> Written:
    """Write the proposals that can be drafts; see the module docstring."""
    from sco_data.errors import CitationFix
    from sco_data.record_writer import add_citations, append_records

    items = {(table, item.record.id): item for table in ("people", "organizations", "countries")
             for item in records.get(table, [])}
    fixes, seen = [], set()
    for found in proposals.names:
        if found.candidate is None or (found.candidate.table, found.candidate.id) in seen:
            continue
        key = (found.candidate.table, found.candidate.id)
        seen.add(key)
        item = items.get(key)
        line = lines[found.line - 1]
        if item is None or found.text not in line or _cites_article(item, proposals.article):
            continue
        how = "exact" if found.exact else f"another spelling, score {found.score}: an alias?"
        fixes.append(CitationFix(item.document.path, item.index, (), proposals.article,
                                 found.line, found.text, f"{key[0]}/{key[1]}",
                                 f"propose: the first line naming {key[1]} ({how})"))
    written = Written(citations=add_citations(fixes).count)
    taken = {item.record.id for item in records.get("quotes", [])}
    drafts = [_quote_record(quote, lines, proposals.article, taken) for quote in proposals.quotes
              if quote.speaker]
    written.quotes = append_records(quotes_file, drafts,
                                    f"Drafts proposed for {proposals.article}: review each.")
    return written


def _cites_article(item: Any, article: str) -> bool:
    from sco_data.building.citing import cited_sources

    table = type(item.record).__name__
    return any(source.article == article for source in cited_sources(table, item))


def _quote_record(quote: QuoteProposal, lines: tuple[str, ...], article: str,
                  taken: set[str]) -> dict[str, Any]:
    from sco_data.building.source_groups import slug

    text = quote.text.rstrip(",.")
    base = slug(f"{(quote.speaker or 'unknown').split()[-1]} {' '.join(text.split()[:3])}")
    record_id, number = base, 1
    while record_id in taken:
        number += 1
        record_id = f"{base}-{number}"
    taken.add(record_id)
    record: dict[str, Any] = {"id": record_id, "text": text, "speaker": quote.speaker}
    if quote.person is not None:
        record["person_id"] = quote.person.id
    if "pronoun" in quote.how:
        record["note"] = f"The article's words are a pronoun, resolved: {quote.how}."
    record |= {"draft": True, "proposal": f"propose: speaker found by {quote.how}"}
    line = lines[quote.line - 1]
    record["sources"] = [{"article": article, "line": quote.line,
                          "evidence": line[max(0, quote.start - 1):quote.end + 1]}]
    return record


def stale_records(proposals: Proposals, lines: tuple[str, ...], records: dict[str, list[Any]]
                  ) -> list[StaleProposal]:
    """Records whose status a line of the article states later (curation rule 5: "will
    attend" then "attended" ends as attended, with both citations)."""
    people_on: dict[int, set[str]] = {}
    for found in proposals.names:
        if found.candidate is not None and found.candidate.table == "people":
            people_on.setdefault(found.line, set()).add(found.candidate.id)
    found_stale = []
    for number, people in sorted(people_on.items()):
        line = lines[number - 1]
        if attended := _ATTENDED.search(line):
            for item in records.get("attendees", []):
                record = item.record
                if record.person_id in people and record.attendance == "expected":
                    found_stale.append(StaleProposal(
                        number, attended.group(), f"attendees/{record.id}", "expected",
                        "attended", _primary(record)))
        if met := _MET.search(line):
            for item in records.get("meetings", []):
                record = item.record
                ids = {participant.person_id for participant in record.participants}
                if record.status == "planned" and len(ids) >= 2 and ids <= people:
                    found_stale.append(StaleProposal(
                        number, met.group(), f"meetings/{record.id}", "planned", "held",
                        _primary(record)))
    return found_stale


def _primary(record: Any) -> str:
    source = record.sources[0]
    return f"{source.article} line {source.line}"
