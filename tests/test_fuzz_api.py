"""Fuzzing the Python API: every public function called with arguments of random types, sizes
and characters either answers or raises TypeError, ValueError or LookupError naming the argument,
in well under a second, with a short message; never AttributeError, RecursionError or an error
from deep inside.

The suite runs a fixed set of calls (``fuzz_settings``); ``SCO_FUZZ=long`` runs 1,000 new ones
and prints how many ended in each outcome.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sco_data

from .fuzzing import Outcomes, fuzz_settings

# Each public function, and its arguments as keywords (the getters' id is positional).
FUNCTIONS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "people": (sco_data.people, ("name",)),
    "meetings": (sco_data.meetings, ("person", "status", "kind", "place", "start", "end")),
    "attendees": (sco_data.attendees, ("attendance", "country", "person")),
    "quotes": (sco_data.quotes, ("speaker", "meeting", "article", "date")),
    "record": (sco_data.record, ("table", "id")),
    "bibliography": (sco_data.bibliography, ("format",)),
    **{name: (getattr(sco_data, name), ("id",)) for name in (
        "article", "country", "organization", "person", "member", "observer", "meeting",
        "meeting_fact", "attendee", "quote", "discrepancy")},
    **{name: (getattr(sco_data, name), ()) for name in (
        "articles", "countries", "organizations", "members", "observers", "discrepancies",
        "graph")},
}
# Words the dataset knows, so that some calls find something.
KNOWN = ["putin", "Xi Jinping", "held", "planned", "summit", "bilateral", "attended", "absent",
         "Astana", "china", "2024", "2024-07", "2024-07-03", "quotes", "people",
         "putin-key-pillars", "vladimir-putin", "bibtex", "csl-json", "AP 3 July", "sco"]
ODD = ["\x00", "\x7f", "\ufeff", "\u202e", "\u200b", "\udcff", "\u00ad", "\n", " ", "'", "%",
       "\\", "(", "*", ".*", "é", "\U0001f600"]

texts = st.lists(st.one_of(st.sampled_from(ODD), st.sampled_from(KNOWN), st.text(max_size=6)),
                 max_size=6).map("".join)
huge = st.sampled_from([10**6, 10**7]).map(lambda size: "x" * size)
values = st.one_of(
    st.sampled_from(KNOWN), texts, st.integers(), st.floats(), st.booleans(), st.none(),
    st.binary(max_size=8), st.lists(st.sampled_from(KNOWN), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.just(object()),
    st.just(sco_data.people), st.just(("putin",)), huge, st.text(min_size=190, max_size=260))

ALLOWED = (TypeError, ValueError, LookupError)


@pytest.fixture(scope="module")
def outcomes():
    sco_data.people()  # the dataset is read once per process: what is timed is each call
    with Outcomes("API fuzz") as tally:
        yield tally


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    name = draw(st.sampled_from(sorted(FUNCTIONS)))
    _, arguments = FUNCTIONS[name]
    chosen = {argument: draw(values) for argument in arguments if draw(st.booleans())}
    if name == "record":  # both required
        chosen = {argument: chosen.get(argument, draw(values)) for argument in arguments}
    elif arguments == ("id",):
        chosen = {"id": chosen.get("id", draw(values))}
    return name, chosen


@fuzz_settings(short=300, long=1_000)
@given(call=calls())
def test_any_arguments_are_answered_or_refused_by_name(outcomes: Outcomes,
                                                       call: tuple[str, dict[str, object]]):
    name, chosen = call
    function, _ = FUNCTIONS[name]
    started = time.perf_counter()
    try:
        function(**chosen)
    except ALLOWED as error:
        elapsed = time.perf_counter() - started
        message = str(error)
        assert len(message) < 500, message[:500]
        named = [argument for argument in chosen if message.strip("'\"").startswith(argument)]
        assert named or message.startswith('"no record '), (name, chosen, message)
        kind = type(error).__name__
        outcomes.add(f"{kind}: {_why(message)}")
    except Exception as error:  # what the fuzzer found before: AttributeError, deep TypeErrors
        raise AssertionError(f"{name}(**{chosen!r:.200}) raised {type(error).__name__}: "
                             f"{str(error)[:200]}") from error
    else:
        elapsed = time.perf_counter() - started
        outcomes.add("answered")
    limit = 2.0 if name == "graph" else 1.0
    assert elapsed < limit, f"{name}: {elapsed:.2f} s"


def _why(message: str) -> str:
    for words in ("must be", "over the limit", "hidden or control", "is empty", "only spaces",
                  "is not one of", "matches no", "no record", "comes before", "give a date"):
        if words in message:
            return words
    return message[:30]
