"""Line grouping at scale: synthetic corpora of N× the five articles, edited like syndication.

Each copy of an article keeps most lines word for word, prints some in another house style
("Mr Putin", "organisation", "UN"), edits some lightly (drops the last clause, "will" →
"would") and writes some in its own words (a sentence of words no other copy uses), so a
sentence of the five articles ends as a group of roughly N to 3N lines, not as N identical
rows, and every copy adds lines that match nothing.

Each size runs in a fresh process, so its peak memory is its own. The baseline, measured in
the same process on the same corpus, is folding every line once (``fold_word_list``): the least
any grouping by folded words must do. Prints one line per size; ``--json`` prints one JSON
object per line with ``n``, ``lines``, ``grouped``, ``groups``, ``wall_s``, ``fold_s``,
``ratio`` (wall / fold) and ``peak_rss_mb``.

    python benchmarks/line_groups.py [--sizes 1,100,1000] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# How a copy treats each line of its article: keep, restyle, edit, or replace.
SHARES = {"keep": 0.6, "house_style": 0.15, "edit": 0.15, "own_words": 0.1}
HOUSE_STYLE = [("Putin", "Mr Putin"), ("Xi", "Mr Xi"), ("organization", "organisation"),
               ("U.N.", "UN"), ("neighbors", "neighbours"), ("cooperation", "co-operation")]


def corpus(n: int, seed: int = 2024) -> dict[str, list[str]]:
    """N edited copies of the five articles, article id → lines."""
    from sco_data.building.load import load_articles
    from sco_data.paths import REGISTRY_FILE, SEEDS_DIR

    articles, problems = load_articles(REGISTRY_FILE, SEEDS_DIR)
    assert not problems, problems
    random_ = random.Random(seed)
    texts: dict[str, list[str]] = {}
    for copy in range(n):
        for entry in articles.entries:
            lines = articles.texts[entry.record.id].lines
            texts[f"{entry.record.id}-copy{copy}"] = [
                _edited(line, copy, number, random_) for number, line in enumerate(lines)]
    return texts


def _edited(line: str, copy: int, number: int, random_: random.Random) -> str:
    if copy == 0 or not line.strip():
        return line
    choice = random_.choices(list(SHARES), weights=list(SHARES.values()))[0]
    if choice == "house_style":
        for american, british in HOUSE_STYLE:
            line = line.replace(american, british)
        return line
    if choice == "edit":
        head, comma, _ = line.rpartition(",")
        return (head + ".") if comma and len(head) > len(line) // 2 else line.replace(
            " will ", " would ")
    if choice == "own_words":
        return " ".join(f"w{copy}x{number}x{word}" for word in range(12))
    return line


def measure(n: int) -> dict[str, float | int]:
    from sco_data.building.folding import fold_word, fold_word_list
    from sco_data.building.line_groups import group_lines
    from sco_data.building.pipeline import line_id

    texts = corpus(n)
    fold_word.cache_clear()
    started = time.perf_counter()
    for lines in texts.values():
        for line in lines:
            fold_word_list(line)
    fold_s = time.perf_counter() - started
    fold_word.cache_clear()  # grouping folds from a cold cache, as a build does
    started = time.perf_counter()
    rows = group_lines(texts, line_id)
    wall_s = time.perf_counter() - started
    return {
        "n": n, "lines": sum(len(lines) for lines in texts.values()), "grouped": len(rows),
        "groups": len({row.group for row in rows}), "wall_s": round(wall_s, 3),
        "fold_s": round(fold_s, 3), "ratio": round(wall_s / fold_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000", help="comma-separated N")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in-process
    options = parser.parse_args()
    if options.one is not None:
        print(json.dumps(measure(options.one)))
        return 0
    for size in (int(part) for part in options.sizes.split(",")):
        result = subprocess.run([sys.executable, __file__, "--one", str(size)],
                                capture_output=True, text=True, check=True)
        found = json.loads(result.stdout)
        if options.json:
            print(json.dumps(found), flush=True)
        else:
            print(f"{found['n']:>5}×  {found['lines']:>8,} lines  {found['grouped']:>8,} grouped "
                  f"in {found['groups']:>6,} groups  {found['wall_s']:>7.2f} s "
                  f"({found['ratio']:.1f}× folding)  peak {found['peak_rss_mb']:,.0f} MB",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
