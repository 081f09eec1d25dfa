"""Names and ids as a reader types them: whole-word matching, and help when nothing matches.

A filter value that names nothing in the dataset is almost always a typo, so it raises
``ValueError`` with the closest known names ("did you mean 'Putin'?") rather than quietly
returning an empty list; a name that exists but has no matching records returns ``[]``. Close
names are ranked with rapidfuzz (already a dependency, for the build's line groups), imported
only when a message needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sco_data.text_rules import clipped

# Suggestions: at most this many, each at least this similar (rapidfuzz ratio, 0–100).
SUGGESTIONS = 3
SIMILARITY = 70
_WORDS = re.compile(r"[^\W\d_]{3,}")


def names_match(query: str, *names: str | None) -> bool:
    """Whether ``query`` equals a name or id, or stands in one as whole words, ignoring case."""
    wanted = query.strip().casefold()
    if not wanted:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    return any(name is not None and (name.casefold() == wanted
                                     or pattern.search(name.casefold()) is not None)
               for name in names)


def close_matches(query: str, known: Iterable[str]) -> list[str]:
    """The known names (and the words of them) closest to ``query``, best first."""
    from rapidfuzz import fuzz, process, utils

    choices = sorted({*known, *(word for name in known for word in _WORDS.findall(name))})
    found = process.extract(query, choices, scorer=fuzz.ratio, processor=utils.default_process,
                            limit=SUGGESTIONS * 3, score_cutoff=SIMILARITY)
    ranked = sorted(found, key=lambda match: (-match[1], len(match[0]), match[0]))
    return list(dict.fromkeys(name for name, _, _ in ranked))[:SUGGESTIONS]


def close_ids(query: str, ids: Iterable[str]) -> list[str]:
    """The ids closest to ``query`` by ``close_matches``: first those close as a whole, best
    first, then for each close word the ids it is a word of, shortest first. A word of an id is
    no id itself, and a link to it would lead nowhere (``putn`` finds ``vladimir-putin`` through
    ``putin``)."""
    ids = list(ids)
    known = set(ids)
    matches = close_matches(query, ids)
    found = [match for match in matches if match in known]
    for word in (match for match in matches if match not in known):
        holders = (name for name in ids if word in _WORDS.findall(name))
        found += sorted(holders, key=lambda name: (len(name), name))
    return list(dict.fromkeys(found))[:SUGGESTIONS]


def did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    quoted = [repr(name) for name in names]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {listed}?"


def unknown_name(argument: str, query: str, what: str, known: Iterable[str]) -> ValueError:
    """The error for a filter value that names nothing: what it should name, and the closest."""
    known = list(known)
    return ValueError(f"{argument}={clipped(query)} matches no {what} in the dataset"
                      f"{did_you_mean(close_matches(query, known))}")


def unknown_id(table: str, record_id: str, known: Iterable[str]) -> KeyError:
    """The error for an id that is not in its table, with the closest ids."""
    hint = did_you_mean(close_matches(record_id, known))
    return KeyError(f"no record {clipped(record_id)} in {table}{hint}")
