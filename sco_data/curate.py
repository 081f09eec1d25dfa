"""Curator tools: add an article to the seeds, and find where words stand in the articles.

``python build.py add-article PATH`` copies a file into the seeds byte for byte and writes its
registry entry (sha256, file, line count) with proposals read from its text for the curator to
confirm: the title (the first line of four words or more), the byline ("By …"), the date (an
ISO date or "July 3, 2024"), the origin (a copyright line, else the byline). It refuses a file
that is not UTF-8 text, a duplicate of a seed (same sha256) and an id already taken, and on a
refusal it writes nothing. ``python build.py find "WORDS"`` lists every line of every article
where the words stand, exactly or after house-style folding, as ready-to-paste ``sources``
entries, each saying which records already cite that line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sco_data.building.folding import find_folded, fold_word_list, fold_words
from sco_data.building.sources import split_lines
from sco_data.building.yaml_lines import load_yaml
from sco_data.dates import MONTHS
from sco_data.errors import CurationRefused

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
                label: str | None = None) -> NewArticle:
    """Copy ``source`` into ``seeds_dir`` and append its entry to ``registry``; all or nothing."""
    for option, value in (("--id", article_id), ("--publisher", publisher),
                          ("--published", published), ("--label", label)):
        _check_text(option, value)
    data = _read_source(source)
    digest = hashlib.sha256(data).hexdigest()
    entries = _registry_entries(registry)
    for entry in entries:
        if entry.get("sha256") == digest:
            raise CurationRefused(f"{source} is already in the seeds as {entry.get('id')!r} "
                                  f"({entry.get('file')}): same sha256 {digest}")
    lines = split_lines(data.decode("utf-8"))
    title = _title(lines, source)
    date = _date(lines)
    if published is None and date is None:
        raise CurationRefused(f"{source}: no date found in the text (an ISO date or "
                              "'July 3, 2024'): give --published YYYY-MM-DD")
    published = published or (date.value if date else "")
    _check_date(published)
    byline = _byline(lines)
    copyright_owner = _origin(lines)
    origin = copyright_owner or _without_staff(byline)
    publisher = publisher or (copyright_owner.value if copyright_owner else None)
    # Named for who published it, not for a headline (which may quote another outlet's).
    article_id = article_id or _slug(label or publisher or title.value, published)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", article_id):
        raise CurationRefused(f"--id {article_id!r} is not a slug: lower-case letters, digits "
                              "and single hyphens")
    if any(entry.get("id") == article_id for entry in entries):
        raise CurationRefused(f"the registry already has an article {article_id!r}: give "
                              "another --id")
    target = seeds_dir / f"{_next_index(seeds_dir):03d}_{digest[:16]}.txt"
    new = NewArticle(article_id, target, digest, len(lines), title, byline, published, date,
                     origin, shared=_shared_sentences(article_id, lines, registry, seeds_dir))
    new.entry = _entry(new, label or publisher or article_id, publisher)
    _write_all(target, data, registry, new.entry, seeds_dir / "SHA256SUMS", digest)
    return new


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
    if not source.is_file():
        raise CurationRefused(f"{source} is not a file")
    data = source.read_bytes()
    if not data.strip():
        raise CurationRefused(f"{source} is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        raise CurationRefused(f"{source}:1: the file starts with a byte order mark (U+FEFF), "
                              "an invisible character line 1 would keep: save the article as "
                              "UTF-8 without a BOM first")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CurationRefused(f"{source}:{line}: byte 0x{data[error.start]:02x} is not UTF-8: "
                              "save the article as UTF-8 text first") from None
    return data


def _check_text(option: str, value: str | None) -> None:
    """Refuse an option's value that is no text (a lone surrogate from bytes that were not
    UTF-8 on the command line): it could not be written to the registry."""
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise CurationRefused(f"{option} holds {value[error.start]!r}, which is not text: give "
                              "it as UTF-8") from None


def _registry_entries(registry: Path) -> list[dict]:
    document = load_yaml(registry)
    entries = document.data or []
    if not isinstance(entries, list):
        raise CurationRefused(f"{registry} is not a YAML list of articles")
    return [entry for entry in entries if isinstance(entry, dict)]


def _title(lines: list[str], source: Path) -> Proposal:
    for number, line in enumerate(lines, 1):
        if len(line.split()) >= 4:
            return Proposal(line.strip(), number, line.strip())
    raise CurationRefused(f"{source}: no line of four words or more to propose as a title")


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
        if found:
            return Proposal(found[0], number, found[1])
    year = next((match.group(1) for line in lines if (match := _YEAR.search(line))), None)
    for number, line in enumerate(lines, 1):
        match = _MONTH_DAY.search(line)
        if match and year:
            month = MONTHS.index(match.group(1)) + 1
            return Proposal(f"{year}-{month:02d}-{int(match.group(2)):02d}", number,
                            match.group(0))
    return None


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


def _check_date(value: str) -> None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise CurationRefused(f"--published {value!r} is not a date: write YYYY-MM-DD") from None


def _slug(title: str, published: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.casefold())[:_SLUG_WORDS]
    return "-".join([*words, published]) if words else f"article-{published}"


def _next_index(seeds_dir: Path) -> int:
    numbers = [int(path.name[:3]) for path in seeds_dir.glob("[0-9][0-9][0-9]_*.txt")]
    return max(numbers, default=-1) + 1


def _entry(new: NewArticle, label: str, publisher: str | None) -> str:
    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    rows = [
        f"- id: {new.id}",
        f"  file: {new.file.name}",
        f"  sha256: {new.sha256}",
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
        ("the origin", new.origin)) if found is not None)
    proposal = (f"add-article read {read} from the text: check each against its line, then "
                "delete draft: true and this proposal")
    rows += ["  draft: true", f"  proposal: {text(proposal)}", f"  # {new.line_count} lines."]
    rows.append("  sources:")
    for proposal in (new.title, new.byline, new.date):
        if proposal is not None:
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
    finally:
        for temp in temporary:
            temp.unlink(missing_ok=True)
