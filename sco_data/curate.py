"""Curator tools: add an article to the seeds, and find where words stand in the articles.

``python build.py add-article PATH`` copies a file into the seeds byte for byte and writes its
registry entry (sha256, file, line count) with proposals read from its text for the curator to
confirm: the title (the first line of four words or more), the byline ("By …"), the date (an
ISO date or "July 3, 2024"), the origin (a copyright line, else the byline). Every option and the
file are checked before anything is written, by the rules the registry's loader applies
(``sco_data.text_rules``): it refuses a file that is not a regular file of UTF-8 text, a
duplicate of a seed (same sha256), an id already taken or not a slug, a date the build does not
read, an option holding a hidden character; on a refusal it writes nothing. Hidden characters of
the article's own lines are dropped from what it proposes, and the proposal says so.

``python build.py find "WORDS"`` lists every line of every article where the words stand,
exactly or after house-style folding, as ready-to-paste ``sources`` entries, each saying which
records already cite that line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sco_data.building.folding import find_folded, fold_word_list, fold_words
from sco_data.building.leftovers import dead_leftovers, process_alive
from sco_data.building.sources import split_lines
from sco_data.building.yaml_lines import YamlSyntaxError, load_yaml
from sco_data.dates import MONTHS, date_span
from sco_data.errors import CurationRefused
from sco_data.text_rules import (
    MAX_ID_CHARS,
    MAX_LINE_CHARS,
    MAX_SEED_BYTES,
    MAX_TEXT_CHARS,
    clipped,
    describe,
    has_a_word,
    hidden_character,
    is_hidden,
    text_problem,
)

_SLUG_WORDS = 6
_BYLINE = re.compile(r"^\s*[Bb]y\s+(?P<name>[A-Z][^\d,;:]{1,80}?)\s*$")
_COPYRIGHT = re.compile(r"(?:©|Copyright)\s*(?:©\s*)?(?:\d{4}\s+)?(?P<name>[A-Z][\w.&' -]{1,60}?)"
                        r"(?:\.|,|\s+All rights|$)")
_ISO_DATE = re.compile(r"\b(20\d\d-[01]\d-[0-3]\d)\b")
_LONG_DATE = re.compile(r"\b(" + "|".join(MONTHS) + r") ([0-3]?\d), (20\d\d)\b")
_DAY_MONTH_YEAR = re.compile(r"\b([0-3]?\d) (" + "|".join(MONTHS) + r") (20\d\d)\b")
_DOTTED_DATE = re.compile(r"\b([0-3]\d)\.([01]\d)\.(20\d\d)\b")  # 03.07.2024: day first
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r") ([0-3]?\d)\b(?!,? ?\d)")
_YEAR = re.compile(r"\b(20\d\d)\b")
# The forms of a date the build reads (models.IsoDate), in ASCII digits only.
_PUBLISHED = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The temporary copy of a seed a killed add-article leaves: .<NNN>_<sha>.txt.<pid>.tmp
_SEED_LEFTOVER = re.compile(r"^\.[0-9]{3}_[0-9a-f]{16}\.txt\.(\d+)\.tmp$")
# Control characters other than tab, line breaks and form feed: more than one in a hundred
# characters is a binary file that happens to decode, not an article.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_MOST_CONTROLS = 0.01
# Options holding an id: the id's limit (text_rules.MAX_ID_CHARS), not a text's.
_ID_OPTIONS = frozenset({"--id", "--article", "article"})
# Words that name a newsroom's people, not where the text comes from.
_NOT_AN_ORIGIN = re.compile(r"\s*\b(?:staff|correspondents?|reporters?|writers?)\b\.?\s*$",
                            re.IGNORECASE)


@dataclass(frozen=True)
class Proposal:
    """A value read from the article's text, with the line it stands on."""

    value: str
    line: int
    evidence: str


@dataclass(frozen=True)
class Shared:
    """An article of the seeds that prints sentences of the new one: how many, and the first."""

    article: str
    label: str
    sentences: int
    line: int  # the new article's line holding the first shared sentence
    their_line: int
    evidence: str  # that sentence, as the new article prints it


@dataclass
class NewArticle:
    """What ``add_article`` wrote, and what it proposes the curator confirm."""

    id: str
    file: Path
    sha256: str
    line_count: int
    title: Proposal
    byline: Proposal | None
    published: str
    date: Proposal | None
    origin: Proposal | None
    entry: str = ""
    shared: list[Shared] = field(default_factory=list)  # articles it shares sentences with


@dataclass
class Found:
    """A line where the words stand: exactly, or once house style is folded."""

    article: str
    line: int
    evidence: str
    exact: bool
    cited_by: list[str] = field(default_factory=list)

    def as_yaml(self) -> str:
        how = "exact" if self.exact else "after house-style folding"
        cited = f"; cited by {', '.join(self.cited_by)}" if self.cited_by else "; cited by none"
        return (f"# {self.article} line {self.line} ({how}{cited})\n"
                f"- {{article: {self.article}, line: {self.line}, "
                f"evidence: {json.dumps(self.evidence, ensure_ascii=False)}}}")


def add_article(source: Path, seeds_dir: Path, registry: Path, article_id: str | None = None,
                publisher: str | None = None, published: str | None = None,
                label: str | None = None, title: str | None = None) -> NewArticle:
    """Copy ``source`` into ``seeds_dir`` and append its entry to ``registry``; all or nothing.

    Every value is checked before anything is written (``CurationRefused`` names the option or
    the file and the fix), so the registry never holds what its loader would refuse."""
    remove_leftovers(seeds_dir, registry)
    check_options({"--id": article_id, "--publisher": publisher, "--published": published,
                   "--label": label, "--title": title})
    if article_id is not None:
        _check_id(article_id)
    if published is not None:
        _check_date(published)
    if not seeds_dir.is_dir():
        raise CurationRefused(f"--seeds {seeds_dir} is not a folder: give the seeds folder")
    data = _read_source(source)
    digest = hashlib.sha256(data).hexdigest()
    entries = _registry_entries(registry)
    for entry in entries:
        if entry.get("sha256") == digest:
            raise CurationRefused(f"{source} is already in the seeds as {entry.get('id')!r} "
                                  f"({entry.get('file')}): same sha256 {digest}")
    lines = split_lines(data.decode("utf-8"))
    dropped: list[str] = []  # what was left out of the proposals, for the curator
    proposed = _given_title(title, lines) if title is not None else _visible(
        "the title", _title(lines, source), dropped)
    if proposed is None:  # the headline's words are all hidden characters
        raise CurationRefused(f"{source}: the line proposed as the title holds no visible "
                              "words: give --title")
    date = _date(lines)
    if published is None and date is None:
        raise CurationRefused(f"{source}: no date found in the text (an ISO date or "
                              "'July 3, 2024'): give --published YYYY-MM-DD")
    published = published or (date.value if date else "")
    byline = _visible("the byline", _byline(lines), dropped)
    copyright_owner = _visible("the origin", _origin(lines), dropped)
    origin = copyright_owner or _without_staff(byline)
    publisher = publisher or (copyright_owner.value if copyright_owner else None)
    # Named for who published it, not for a headline (which may quote another outlet's).
    article_id = article_id or _slug(label or publisher or proposed.value, published)
    if any(entry.get("id") == article_id for entry in entries):
        raise CurationRefused(f"the registry already has an article {article_id!r}: give "
                              "another --id")
    if not any(found is not None and found.line for found in (proposed, byline, date)):
        # The registry cites at least one line of each article: its title, byline or date.
        raise CurationRefused(f"{source}: no line of the text gives the title, a byline or a "
                              "date to cite: give a --title that stands on one of its lines")
    target = seeds_dir / f"{_next_index(seeds_dir):03d}_{digest[:16]}.txt"
    new = NewArticle(article_id, target, digest, len(lines), proposed, byline, published, date,
                     origin, shared=_shared_sentences(article_id, lines, registry, seeds_dir))
    new.entry = _entry(new, label or publisher or article_id, publisher, dropped)
    _write_all(target, data, registry, new.entry, seeds_dir / "SHA256SUMS", digest)
    return new


def check_options(options: dict[str, str | None]) -> None:
    """Refuse a curator's option whose value the registry or the records could not hold: not
    text (bytes that were not UTF-8 on the command line), empty, too long, or holding a hidden
    character. ``find``'s words are checked by ``check_words``."""
    for option, value in options.items():
        if value is None:
            continue
        _check_encodable(option, value)
        limit = MAX_ID_CHARS if option in _ID_OPTIONS else MAX_TEXT_CHARS
        problem = text_problem(value, limit)
        if problem is not None:
            raise CurationRefused(f"{option} {clipped(value)} {problem}")


def check_words(option: str, words: str) -> None:
    """Words to find may hold what an article line holds (a soft hyphen, a zero-width space):
    only text that is not text, or is over the limit, is refused."""
    _check_encodable(option, words)
    if len(words) > MAX_TEXT_CHARS:
        raise CurationRefused(f"{option} is {len(words):,} characters long, over the limit of "
                              f"{MAX_TEXT_CHARS:,}: give a clause of the line")


def remove_leftovers(seeds_dir: Path, registry: Path) -> list[Path]:
    """Remove the temporary files of add-article runs that were killed before they finished
    (their process is gone): ``.<NNN>_<sha>.txt.<pid>.tmp`` in the seeds folder, and the
    registry's and SHA256SUMS' ``.<name>.<pid>.tmp``, as the build does for its database."""
    found = [*dead_leftovers(registry.parent, registry.name, "tmp"),
             *dead_leftovers(seeds_dir, "SHA256SUMS", "tmp")]
    if seeds_dir.is_dir():
        for entry in sorted(seeds_dir.iterdir()):
            match = _SEED_LEFTOVER.match(entry.name)
            if match and not process_alive(int(match[1])) and entry.is_file():
                found.append(entry)
    for path in found:
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
    return found


def _shared_sentences(article_id: str, lines: list[str], registry: Path, seeds_dir: Path
                      ) -> list[Shared]:
    """The articles already in the seeds that print sentences of the new one, most first."""
    from sco_data.building.sentences import group_sentences

    # Read loosely: a registry entry still being curated may not validate yet, and what is
    # wanted here is only the text of each seed.
    texts: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for entry in _registry_entries(registry):
        seed = seeds_dir / str(entry.get("file", ""))
        try:
            texts[str(entry["id"])] = split_lines(seed.read_bytes().decode("utf-8"))
        except (KeyError, OSError, UnicodeDecodeError):
            continue
        labels[str(entry["id"])] = str(entry.get("label") or entry["id"])
    texts[article_id] = lines
    grouped = group_sentences(texts, lambda article, line, start, end: fold_word_list(
        texts[article][line - 1][start:end]))
    mine = {row.group: row for row in grouped if row.article_id == article_id}
    found: dict[str, list] = {}
    for row in grouped:
        if row.article_id != article_id and row.group in mine:
            found.setdefault(row.article_id, [])
            if row.group not in {first.group for first, _ in found[row.article_id]}:
                found[row.article_id].append((mine[row.group], row))
    shared = []
    for other, pairs in found.items():
        first, theirs = min(pairs, key=lambda pair: (pair[0].line, pair[0].sentence))
        text = lines[first.line - 1][first.char_start:first.char_end]
        shared.append(Shared(other, labels.get(other, other), len(pairs), first.line,
                             theirs.line, text))
    return sorted(shared, key=lambda item: -item.sentences)


def find_words(words: str, texts: dict[str, tuple[str, ...]],
               cited: dict[tuple[str, int], list[str]],
               article: str | None = None) -> list[Found]:
    """Every line where ``words`` stand, exactly or after folding, in registry order."""
    needle = fold_word_list(words)
    if not words.strip():
        raise CurationRefused("give the words to find, e.g. find \"key pillars\"")
    if article is not None and article not in texts:
        raise CurationRefused(f"--article {article!r} is no article: one of {', '.join(texts)}")
    found: list[Found] = []
    for article_id, lines in texts.items():
        if article is not None and article_id != article:
            continue
        for number, text in enumerate(lines, 1):
            places: dict[tuple[int, int], bool] = {}
            start = text.find(words)
            while start >= 0:
                places[(start, start + len(words))] = True
                start = text.find(words, start + 1)
            exact = list(places)
            for start, end in find_folded(needle, fold_words(text)) if needle else []:
                # A folded match inside an exact one is the same place ("Mr" folds away).
                if not any(start < e and s < end for s, e in exact):
                    places[(start, end)] = False
            for (start, end), exact in sorted(places.items()):
                found.append(Found(article_id, number, text[start:end], exact,
                                   cited.get((article_id, number), [])))
    return found


# --------------------------------------------------------------------------- internals


def _read_source(source: Path) -> bytes:
    """The article's bytes, once they are proven to be a regular file of UTF-8 text the build
    can take as a seed. The file's kind is read before it is opened: a FIFO would block a read
    forever, a device never end."""
    try:
        status = source.stat()
    except FileNotFoundError:
        raise CurationRefused(f"{source} does not exist: give the path of the article's text "
                              "file") from None
    except OSError as error:
        raise CurationRefused(f"{source} cannot be read ({error.strerror}): check the path and "
                              "its permissions") from None
    _check_regular(source, status.st_mode)
    if status.st_size > MAX_SEED_BYTES:
        raise CurationRefused(f"{source} is {status.st_size:,} bytes, over the limit of "
                              f"{MAX_SEED_BYTES:,} for an article: give the article's text alone")
    try:
        # Non-blocking, and checked again once open: the path may have changed since stat().
        handle = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as file:
            _check_regular(source, os.fstat(file.fileno()).st_mode)
            data = file.read(MAX_SEED_BYTES + 1)
    except OSError as error:
        raise CurationRefused(f"{source} cannot be read ({error.strerror}): check its "
                              "permissions") from None
    if len(data) > MAX_SEED_BYTES:
        raise CurationRefused(f"{source} is over the limit of {MAX_SEED_BYTES:,} bytes for an "
                              "article: give the article's text alone")
    return _check_article_text(source, data)


def _check_regular(source: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise CurationRefused(f"{source} is a folder: give the article's text file")
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode)
                or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "no file")
        raise CurationRefused(f"{source} is {kind}, not a regular file: save the article as a "
                              "file first")


def _check_article_text(source: Path, data: bytes) -> bytes:
    """Refuse bytes that are no article's text: empty, binary, a BOM, not UTF-8, a line longer
    than a seed's may be."""
    if not data.strip():
        raise CurationRefused(f"{source} is empty: give a file holding the article's text")
    if b"\x00" in data:
        at = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise CurationRefused(f"{source}:{at}: holds a NUL byte: a binary file, not an "
                              "article's text: save the article as UTF-8 text first")
    if data.startswith(b"\xef\xbb\xbf"):
        raise CurationRefused(f"{source}:1: the file starts with a byte order mark (U+FEFF), "
                              "an invisible character line 1 would keep: save the article as "
                              "UTF-8 without a BOM first")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        at = data[: error.start].count(b"\n") + 1
        raise CurationRefused(f"{source}:{at}: byte 0x{data[error.start]:02x} is not UTF-8: "
                              "save the article as UTF-8 text first") from None
    controls = len(_CONTROL.findall(text))
    if controls > _MOST_CONTROLS * len(text):
        raise CurationRefused(f"{source}: {controls:,} of its {len(text):,} characters are "
                              "control characters: a binary file, not an article's text: save "
                              "the article as UTF-8 text first")
    for number, line in enumerate(split_lines(text), 1):
        if len(line) > MAX_LINE_CHARS:
            raise CurationRefused(f"{source}:{number}: the line is {len(line):,} characters "
                                  f"long, over the limit of {MAX_LINE_CHARS:,} a seed's line "
                                  "may be: is the file the article's text?")
    return data


def _check_encodable(option: str, value: str) -> None:
    """Refuse an option's value that is no text (a lone surrogate from bytes that were not
    UTF-8 on the command line): it could not be written to the registry."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise CurationRefused(f"{option} holds {value[error.start]!r}, which is not text (a "
                              "byte that is not UTF-8): give it as UTF-8") from None


def _check_id(article_id: str) -> None:
    if not _SLUG.fullmatch(article_id):
        raise CurationRefused(f"--id {clipped(article_id)} is not a slug: lower-case letters, "
                              "digits and single hyphens, such as ap-2024-07-03")


def _check_date(value: str) -> None:
    """A date in a form the build reads, and a real one."""
    if not _PUBLISHED.fullmatch(value):
        raise CurationRefused(f"--published {clipped(value)} is not a date in a form the build "
                              "reads: write YYYY, YYYY-MM or YYYY-MM-DD (2024-07-03)")
    try:
        date_span(value)
    except ValueError:
        raise CurationRefused(f"--published {value!r} is not a date: no such day or month; "
                              "write a real one as YYYY, YYYY-MM or YYYY-MM-DD") from None


def _registry_entries(registry: Path) -> list[dict]:
    if not registry.is_file():
        raise CurationRefused(f"--registry {registry} is not a file: give the article registry "
                              "(seeds/articles.yml)")
    try:
        document = load_yaml(registry)
    except YamlSyntaxError as error:
        raise CurationRefused(f"{error}: mend the registry first (python build.py check lists "
                              "every problem)") from None
    entries = document.data or []
    if not isinstance(entries, list):
        raise CurationRefused(f"{registry} is not a YAML list of articles")
    return [entry for entry in entries if isinstance(entry, dict)]


def _title(lines: list[str], source: Path) -> Proposal:
    # A line longer than a value may be is a paragraph, not a headline.
    for number, line in enumerate(lines, 1):
        if len(line.split()) >= 4 and len(line.strip()) <= MAX_TEXT_CHARS:
            return Proposal(line.strip(), number, line.strip())
    raise CurationRefused(f"{source}: no line of four words or more to propose as a title: "
                          "give --title")


def _given_title(title: str, lines: list[str]) -> Proposal:
    """The title given with --title, cited on the first line it stands on (line 0: none)."""
    number = next((number for number, line in enumerate(lines, 1) if title in line), 0)
    return Proposal(title, number, title if number else "")


def _visible(what: str, proposal: Proposal | None, dropped: list[str]) -> Proposal | None:
    """``proposal`` without the hidden characters a copy from the web brings (a zero-width
    space, a soft hyphen, U+202E): the registry may hold none. The value drops them; the
    evidence, which must stand on the line as it is, becomes the longest run of the line
    between them. What was dropped is noted in ``dropped`` for the proposal; None when no
    visible words are left."""
    if proposal is None or (hidden_character(proposal.value) is None
                            and hidden_character(proposal.evidence) is None):
        return proposal
    value = "".join(character for character in proposal.value if not is_hidden(character))
    value = value.strip()
    worded = [run.strip() for run in _visible_runs(proposal.evidence) if has_a_word(run)]
    if text_problem(value) is not None or not worded:
        dropped.append(f"{what} (line {proposal.line}, its words hidden characters)")
        return None
    hidden = sorted({describe(c) for c in proposal.value + proposal.evidence if is_hidden(c)})
    dropped.append(f"{', '.join(hidden)} from {what} (line {proposal.line})")
    return Proposal(value, proposal.line, max(worded, key=len))


def _byline(lines: list[str]) -> Proposal | None:
    for number, line in enumerate(lines, 1):
        match = _BYLINE.match(line)
        if match:
            return Proposal(match["name"].strip(), number, line.strip())
    return None


def _origin(lines: list[str]) -> Proposal | None:
    for number, line in enumerate(lines, 1):
        match = _COPYRIGHT.search(line)
        if match:
            name = _NOT_AN_ORIGIN.sub("", match["name"]).strip()
            if name:
                return Proposal(name, number, match.group(0).rstrip(".,").strip())
    return None


def _without_staff(proposal: Proposal | None) -> Proposal | None:
    """A byline as an origin, without "staff" or "correspondents": those are people of the
    newsroom the rest names ("Reuters staff" → "Reuters"); nothing left, no origin."""
    if proposal is None:
        return None
    name = _NOT_AN_ORIGIN.sub("", proposal.value).strip()
    return Proposal(name, proposal.line, proposal.evidence) if name else None


def _date(lines: list[str]) -> Proposal | None:
    """The first full date of the text (ISO, "July 4, 2024", "4 July 2024", "04.07.2024", a
    dateline's); else the first "July 4" with the year a line of the text gives."""
    for number, line in enumerate(lines, 1):
        found = _full_date(line)
        if found and _is_date(found[0]):
            return Proposal(found[0], number, found[1])
    year = next((match.group(1) for line in lines if (match := _YEAR.search(line))), None)
    for number, line in enumerate(lines, 1):
        match = _MONTH_DAY.search(line)
        if match and year:
            month = MONTHS.index(match.group(1)) + 1
            value = f"{year}-{month:02d}-{int(match.group(2)):02d}"
            if _is_date(value):
                return Proposal(value, number, match.group(0))
    return None


def _is_date(value: str) -> bool:
    """Whether the build reads ``value`` as a real date (not "July 32", not other digits)."""
    try:
        date_span(value)
    except ValueError:
        return False
    return _PUBLISHED.fullmatch(value) is not None


def _full_date(line: str) -> tuple[str, str] | None:
    """(ISO value, the words as the line writes them), for the first full date on a line."""
    if iso := _ISO_DATE.search(line):
        return iso.group(1), iso.group(1)
    if long := _LONG_DATE.search(line):
        month = MONTHS.index(long.group(1)) + 1
        return f"{long.group(3)}-{month:02d}-{int(long.group(2)):02d}", long.group(0)
    if british := _DAY_MONTH_YEAR.search(line):
        month = MONTHS.index(british.group(2)) + 1
        return f"{british.group(3)}-{month:02d}-{int(british.group(1)):02d}", british.group(0)
    if dotted := _DOTTED_DATE.search(line):
        return (f"{dotted.group(3)}-{dotted.group(2)}-{dotted.group(1)}", dotted.group(0))
    return None


def _visible_runs(text: str) -> list[str]:
    """The pieces of ``text`` between its hidden characters."""
    runs: list[str] = []
    current: list[str] = []
    for character in text:
        if is_hidden(character):
            runs.append("".join(current))
            current = []
        else:
            current.append(character)
    return [*runs, "".join(current)]


def _slug(title: str, published: str) -> str:
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", title.casefold())[:_SLUG_WORDS]:
        if len("-".join([*words, word, published])) > MAX_ID_CHARS:
            break  # an id stands in every address and key: keep it short
        words.append(word)
    return "-".join([*words, published]) if words else f"article-{published}"


def _scalar(value: str) -> str:
    """``value`` as YAML that reads back as this very text: plain where YAML reads it so,
    else double-quoted. Unquoted, ``2024``, ``yes``, ``on``, ``null`` or ``2024-07-03`` would
    come back as a number, a boolean, nothing or a date."""
    try:
        if yaml.safe_load(value) == value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _next_index(seeds_dir: Path) -> int:
    numbers = [int(path.name[:3]) for path in seeds_dir.glob("[0-9][0-9][0-9]_*.txt")]
    return max(numbers, default=-1) + 1


def _entry(new: NewArticle, label: str, publisher: str | None, dropped: list[str]) -> str:
    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    rows = [
        f"- id: {_scalar(new.id)}",
        f"  file: {_scalar(new.file.name)}",
        f"  sha256: {_scalar(new.sha256)}",
        f"  label: {text(label)}",
        f"  title: {text(new.title.value)}",
    ]
    if publisher:
        rows.append(f"  publisher: {text(publisher)}")
    if new.byline:
        rows.append(f"  byline: {text(new.byline.value)}")
    rows.append(f"  published: {new.published}")
    where = (f"Line {new.date.line} gives {text(new.date.evidence)}." if new.date
             else "Given on the command line.")
    rows.append(f"  published_note: {text(where)}")
    read = ", ".join(f"{what} (line {found.line})" for what, found in (
        ("the title", new.title), ("the byline", new.byline), ("the date", new.date),
        ("the origin", new.origin)) if found is not None and found.line)
    note = (f"add-article read {read} from the text" if read else "add-article read nothing "
            "from the text")
    if dropped:  # the registry holds no hidden character, so the proposal says what it left
        note += f"; it dropped the hidden character(s) {'; '.join(dropped)}"
    note += ": check each against its line, then delete draft: true and this proposal"
    rows += ["  draft: true", f"  proposal: {text(note)}", f"  # {new.line_count} lines."]
    rows.append("  sources:")
    for proposal in (new.title, new.byline, new.date):
        if proposal is not None and proposal.line:  # line 0: a --title no line gives
            rows += [f"    - line: {proposal.line}", f"      evidence: {text(proposal.evidence)}"]
    if new.origin:
        rows += ["  origin:", f"    name: {text(new.origin.value)}",
                 f"    line: {new.origin.line}", f"    evidence: {text(new.origin.evidence)}"]
    rows += _join_proposal(new)
    return "\n".join(rows) + "\n"


def _join_proposal(new: NewArticle) -> list[str]:
    """Comment lines proposing the source group the article's shared sentences point to."""
    from sco_data.building.source_groups import SHARED_SENTENCE_GROUPS

    if not new.shared:
        return []
    best = new.shared[0]
    says = (f"  # Shares {best.sentences} sentence(s) with {best.label} ({best.article}); the "
            f"first is its line {best.line}, {best.label}'s line {best.their_line}.")
    if best.sentences >= SHARED_SENTENCE_GROUPS:
        return [says, f"  # It joins {best.label}'s source group by itself. To name the group "
                "for this article's origin, add names_group: true under its origin."]
    evidence = json.dumps(best.evidence, ensure_ascii=False)
    return [says, f"  # Fewer than {SHARED_SENTENCE_GROUPS} join source groups by themselves. "
            "If it copies that story, uncomment this and give the reason:",
            f"  # source_group: {{join: {best.article}, line: {best.line}, evidence: "
            f"{evidence}, reason: \"…\"}}"]


def _write_all(target: Path, data: bytes, registry: Path, entry: str, sums: Path,
               digest: str) -> None:
    """Write the seed, the registry and the checksums through temporary files, then move each
    into place; a failure before the moves leaves every file as it was."""
    registry_text = registry.read_text(encoding="utf-8")
    separator = "" if registry_text.endswith("\n\n") else ("\n" if registry_text.endswith("\n")
                                                           else "\n\n")
    sums_text = sums.read_text(encoding="utf-8") if sums.is_file() else ""
    if sums_text and not sums_text.endswith("\n"):
        sums_text += "\n"
    planned = [
        (target, data),
        (registry, (registry_text + separator + entry).encode("utf-8")),
        (sums, (sums_text + f"{digest}  {target.name}\n").encode("utf-8")),
    ]
    temporary = [path.with_name(f".{path.name}.{os.getpid()}.tmp") for path, _ in planned]
    try:
        for (_, content), temp in zip(planned, temporary, strict=True):
            temp.write_bytes(content)
        for (path, _), temp in zip(planned, temporary, strict=True):
            os.replace(temp, path)
    except OSError as error:  # a full disk, a read-only folder: the curator's to mend
        raise CurationRefused(f"cannot write {error.filename or registry} ({error.strerror}): "
                              "check the folder's space and permissions") from None
    finally:
        for temp in temporary:
            temp.unlink(missing_ok=True)
