"""The build at scale: synthetic corpora of N× the five articles and all their records.

Copy k of the corpus renames every id (``-c<k>``) and writes its articles and every value that
must stand in them (evidence, quote texts, aliases, kinds, origins, quoted spans) through a
letter substitution of its own: copies differ in ids, articles and text, every copy validates
as the original does, and no copy's words repeat another's (so the completeness checks have as
much to do in each copy as in the original, and no more). Copy 0 is the original.

Each size is generated, then built in a fresh process (``--one``), which reports:
``n``, ``rows`` (all tables), ``wall_s`` (the build, as ``python build.py`` runs it),
``peak_rss_mb`` (the process's peak, the build's imports included), and two baselines measured
right after in the same process, each the median of three into a new file: ``insert_all_s``
(sqlite-utils ``insert_all`` of the same rows, read back from the built database) and
``executemany_s`` (the same rows through Python's ``sqlite3`` ``executemany`` into tables of
the same columns, the least any writer of them could do); ``ratio`` (wall / insert_all),
``ratio_executemany`` and ``noop_s`` (``python build.py`` again with nothing changed, as a new
process). ``--profile`` adds ``stages``: the seconds, the resident memory (MB, at its end) and the
peak so far of each stage of the build, as its progress names them.

    python benchmarks/build.py [--sizes 1,10,100] [--json] [--with-1000] [--profile]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Values that name another record or an article, so take the copy's id suffix.
REFERENCES = {"id", "article", "person_id", "meeting_id", "country_id", "organization_id",
              "parent_id", "represented_by", "record_id", "join"}
# Values that must stand in the text without a line of their own, rewritten word by word.
WORDS_IN = {"organizations.yml": {"kind"}, "people.yml": {"title"}, "quotes.yml": set(),
            "meeting_facts.yml": {"value"}, "meetings.yml": {"place"}}
# Words the rules read as they are, left whole in every copy: a copy's "Wednesday" or "July 3
# and 4" must still name its day (numbers are left whole too), and "the Kremlin" is named
# "Kremlin".
DATE_WORDS = frozenset(word.casefold() for word in (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "today", "tomorrow", "yesterday", "tonight", "and", "to", "last",
    "this", "next", "year", "month", "the"))
# Lexicon entries naming a row: their value is an id, and takes the copy's suffix.
NAMED_TABLES = {"countries", "organizations", "people"}


class Rewriter:
    """Copy k's text: every word prefixed with ``k<k>x`` ("Putin" → "K7xPutin"), so no clause of
    one copy stands in another, while house-style folding treats each copy as the original
    ("Mr" and words folding needs whole, such as "programme", are left as they are)."""

    def __init__(self, copy: int) -> None:
        from sco_data.building.folding import WORD_PATTERN, fold_word

        self.prefix = f"k{copy}x" if copy else ""
        self.pattern, self.fold = WORD_PATTERN, fold_word
        self.lines: dict[tuple[str, int], tuple[str, list[int]]] = {}

    def _keeps_folding(self, word: str) -> bool:
        bare = word.removesuffix("’s").removesuffix("'s")
        if bare.casefold() in DATE_WORDS or bare.isdigit():
            return False
        folded = self.fold(word)
        return bool(folded) and self.fold(self.prefix + word) == self.prefix.casefold() + folded

    def text(self, text: str) -> tuple[str, list[int]]:
        """The rewritten text, and the original offsets where a prefix was put."""
        if not self.prefix:
            return text, []
        starts = [match.start() for match in self.pattern.finditer(text)
                  if self._keeps_folding(match.group())]
        pieces, position = [], 0
        for start in starts:
            # A capital stays first ("K7xPutin"), so sentences still begin with one and split
            # as the original's do; folding makes both prefixes one.
            prefix = self.prefix.capitalize() if text[start].isupper() else self.prefix
            pieces += [text[position:start], prefix]
            position = start
        return "".join([*pieces, text[position:]]), starts

    def span(self, original: str, starts: list[int], rewritten: str, part: str,
             quoted: bool = False) -> str:
        """``part`` of the original line (between quotation marks if ``quoted``), as it stands
        in the rewritten one."""
        if not self.prefix:
            return part
        start = original.find(part)
        while quoted and start > 0 and not (original[start - 1] in "\"“" and
                                           original[start + len(part):][:1] in "\"”"):
            start = original.find(part, start + 1)
        if start < 0:
            return self.text(part)[0]
        end = start + len(part)
        width = len(self.prefix)
        return rewritten[start + width * sum(1 for s in starts if s < start):
                         end + width * sum(1 for s in starts if s < end)]


def cipher_line(rewriter: Rewriter, texts: dict[str, list[str]], article: str, line: int,
                part: str, quoted: bool = False) -> str:
    """``part`` of the original article's line, rewritten as copy ``rewriter`` prints it."""
    key = (article, line)
    if key not in rewriter.lines:
        rewriter.lines[key] = rewriter.text(texts[article][line - 1])
    original = texts[article][line - 1]
    rewritten, starts = rewriter.lines[key]
    return rewriter.span(original, starts, rewritten, part, quoted)


def make_corpus(n: int, folder: Path) -> tuple[Path, Path, Path]:
    """Write N copies of the seeds and records under ``folder``; return registry, seeds,
    records."""
    from sco_data.building.sources import split_lines
    from sco_data.paths import RECORDS_DIR, REGISTRY_FILE, SEEDS_DIR

    seeds, records = folder / "seeds", folder / "records"
    seeds.mkdir(parents=True)
    records.mkdir()
    registry = yaml.load(REGISTRY_FILE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    tables = {path.name: yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
              for path in sorted(RECORDS_DIR.glob("*.yml"))}
    texts = {entry["id"]: split_lines((SEEDS_DIR / entry["file"]).read_text(encoding="utf-8"))
             for entry in registry}
    entries: list[dict[str, Any]] = []
    copies: dict[str, list[Any]] = {name: [] for name in tables}
    for copy in range(n):
        rewriter = Rewriter(copy)
        suffix = f"-c{copy}" if copy else ""
        for entry in registry:
            lines = [rewriter.text(line)[0] for line in texts[entry["id"]]]
            data = "\n".join(lines).encode("utf-8")
            name = f"{copy:05d}_{entry['file']}"
            (seeds / name).write_bytes(data)
            new = _copied(entry, rewriter, texts, suffix, "articles.yml", entry["id"])
            new.update(file=name, sha256=hashlib.sha256(data).hexdigest(),
                       label=f"{entry['label']}{suffix}")
            entries.append(new)
        for name, items in tables.items():
            if name == "lexicon.yml":  # the words as the copy prints them; named ids suffixed
                copies[name] += [{
                    **item, "words": [rewriter.text(word)[0] for word in item["words"]],
                    "value": item["value"] + (suffix if item["field"] in NAMED_TABLES else ""),
                } for item in items]
                continue
            copies[name] += [_copied(item, rewriter, texts, suffix, name) for item in items or []]
    _dump(folder / "seeds" / "articles.yml", entries)
    for name, items in copies.items():
        _dump(records / name, items)
    return seeds / "articles.yml", seeds, records


def _copied(value: Any, rewriter: Rewriter, texts: dict[str, list[str]], suffix: str, file: str,
            article: str | None = None) -> Any:
    """A record (or a part of one) as copy ``rewriter`` holds it."""
    if isinstance(value, list):
        return [_copied(item, rewriter, texts, suffix, file, article) for item in value]
    if not isinstance(value, dict):
        return value
    # Where this part's words stand: its own article and line, else its record's article.
    here = value.get("article", article)
    line = value.get("line")
    copied: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict | list):
            copied[key] = _copied(item, rewriter, texts, suffix, file, here)
        elif not isinstance(item, str):
            copied[key] = item
        elif key in REFERENCES and not (file == "articles.yml" and key == "article"):
            copied[key] = item + suffix
        elif key == "evidence" or (file == "quoted_spans.yml" and key == "text"):
            copied[key] = cipher_line(rewriter, texts, here, line, item,
                                      quoted=file == "quoted_spans.yml")
        elif (file == "quotes.yml" and key == "text") or key in WORDS_IN.get(file, ()) or (
                key == "name" and ("evidence" in value or "sources" in value)):
            copied[key] = rewriter.text(item)[0]
        else:
            copied[key] = item
    return copied


class _Dumper(yaml.CSafeDumper):
    """Writes shared values (a date many copies hold) out in full: the build refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                              width=1_000_000), encoding="utf-8")


class StageTimes:
    """The build's progress, kept as each stage's seconds, its resident memory at its end and
    the process's peak so far (the stage where the peak rises holds the build's peak)."""

    def __init__(self) -> None:
        self.stages: list[dict[str, Any]] = []
        self._name, self._started = "starting", time.perf_counter()

    def stage(self, name: str) -> None:
        now = time.perf_counter()
        self.stages.append({"stage": self._name, "s": round(now - self._started, 3),
                            "rss_mb": round(_resident_mb(), 1),
                            "peak_mb": round(_peak_mb(), 1)})
        self._name, self._started = name, now

    def close(self) -> None:
        self.stage("")


def _peak_mb() -> float:
    """This process's peak resident memory. Not ``getrusage``'s: Linux carries its maximum
    over ``exec`` from the process that forked this one (here the one that made the corpus)."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _median_seconds(folder: Path, write: Any) -> float:
    """The median of three timed writes of ``write(connection)`` into a new file."""
    import sqlite3

    times = []
    for attempt in range(3):  # the median of three: one insert alone is noisy on a shared machine
        target = folder / f"baseline_{attempt}.db"
        connection = sqlite3.connect(target)
        started = time.perf_counter()
        write(connection)
        connection.commit()
        times.append(time.perf_counter() - started)
        connection.close()
        target.unlink()
    return sorted(times)[1]


def measure(n: int, folder: Path, profile: bool = False) -> dict[str, Any]:
    """Build the corpus in ``folder`` as ``python build.py`` does; then time the baselines."""
    from sco_data.building import progress
    from sco_data.cli import main

    seeds, records = folder / "seeds", folder / "records"
    registry = seeds / "articles.yml"
    output = folder / "sco.db"
    arguments = ["--registry", str(registry), "--seeds", str(seeds), "--records", str(records),
                 "--output", str(output), "--allow-shrink"]
    timer = StageTimes()
    if profile:  # the build's own progress reports, in place of the terminal's
        progress.progress_for = lambda stream, stages: timer  # type: ignore[assignment]
    started = time.perf_counter()
    code = main(arguments)
    wall = time.perf_counter() - started
    peak = _peak_mb()
    assert code == 0, f"the {n}× corpus did not build"
    import sqlite_utils  # only now: it brings pandas, which the build does not load

    built = sqlite_utils.Database(output)
    names = [name for name in built.table_names()
             if not name.startswith(("lines_fts", "quotes_fts")) and name != "alembic_version"]
    tables = {name: list(built[name].rows) for name in names}
    built.close()

    def insert_all(connection: Any) -> None:
        plain = sqlite_utils.Database(connection)
        for name, rows in tables.items():
            plain[name].insert_all(rows)

    def executemany(connection: Any) -> None:
        for name, rows in tables.items():
            columns = list(rows[0]) if rows else []
            if not columns:
                continue
            listed = ", ".join(f"[{column}]" for column in columns)
            connection.execute(f"create table [{name}] ({listed})")
            connection.executemany(
                f"insert into [{name}] ({listed}) values ({', '.join('?' for _ in columns)})",
                [tuple(row.values()) for row in rows])

    insert_all_s = _median_seconds(folder, insert_all)
    executemany_s = _median_seconds(folder, executemany)
    started = time.perf_counter()
    noop = subprocess.run([sys.executable, str(ROOT / "build.py"), *arguments],
                          capture_output=True, text=True, check=True)
    noop_s = time.perf_counter() - started
    assert "is up to date" in noop.stdout, noop.stdout
    found = {"n": n, "rows": sum(len(rows) for rows in tables.values()),
             "wall_s": round(wall, 2), "peak_rss_mb": round(peak, 1),
             "insert_all_s": round(insert_all_s, 2), "ratio": round(wall / insert_all_s, 2),
             "executemany_s": round(executemany_s, 2),
             "ratio_executemany": round(wall / executemany_s, 2), "noop_s": round(noop_s, 3)}
    if profile:
        found["stages"] = timer.stages
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated N")
    parser.add_argument("--with-1000", action="store_true", help="also N = 1,000 (minutes)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--profile", action="store_true",
                        help="also each stage's seconds and memory")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # build one generated size
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one is not None:
        print(json.dumps(measure(options.one, options.folder, options.profile)))
        return 0
    sizes = [int(part) for part in options.sizes.split(",")] + ([1000] if options.with_1000 else [])
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"sco-build-{size}x-"))
        try:
            started = time.perf_counter()
            make_corpus(size, folder)
            generated = time.perf_counter() - started
            result = subprocess.run([sys.executable, __file__, "--one", str(size), "--folder",
                                     str(folder), *(["--profile"] if options.profile else [])],
                                    capture_output=True, text=True)
            if result.returncode:
                print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
                return 1
            found = json.loads(result.stdout.strip().splitlines()[-1])
            found["generate_s"] = round(generated, 1)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if options.json:
            print(json.dumps(found), flush=True)
        else:
            print(f"{found['n']:>5}×  {found['rows']:>9,} rows  build {found['wall_s']:>7.2f} s  "
                  f"peak {found['peak_rss_mb']:>6,.0f} MB  "
                  f"insert_all {found['insert_all_s']:>6.2f} s ({found['ratio']:.1f}×)  "
                  f"executemany {found['executemany_s']:>6.2f} s "
                  f"({found['ratio_executemany']:.1f}×)  "
                  f"nothing changed {found['noop_s']:.2f} s", flush=True)
            for stage in found.get("stages", []):
                print(f"         {stage['stage']:<48} {stage['s']:>7.2f} s "
                      f"{stage['rss_mb']:>7,.0f} MB  peak {stage['peak_mb']:>7,.0f} MB",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
