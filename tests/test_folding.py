"""House-style folding: one test per pair of styles the five articles print, and its properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_data.building.folding import fold, fold_word, fold_words
from sco_data.paths import SEEDS_DIR

# Each pair: the same words as two outlets print them, both taken from the seeds.
HOUSE_STYLE_PAIRS = {
    "Mr before a name": ("At a meeting with Xi on Wednesday, Putin hailed",
                         "At a meeting with Mr Xi on Wednesday, Mr Putin hailed"),
    "U.N. and UN": ("to position the U.N. as an inclusive", "to position the UN as an inclusive"),
    "U.S. and US": ("opposes the U.S.-led democratic order", "opposes the US-led democratic order"),
    "-ize and -ise": ("an inclusive organization that’s", "an inclusive organisation that’s"),
    "-or and -our": ("with bigger, more powerful neighbors",
                     "with bigger, more powerful neighbours"),
    "-er and -re": ("director of the Carnegie Russia Eurasia Center",
                    "director of the Carnegie Russia Eurasia Centre"),
    "co-operation": ("the Shanghai Cooperation Organization taking place",
                     "the Shanghai Co-operation Organisation taking place"),
    "side-lines": ("a lot of sideline discussions on Ukraine",
                   "a lot of side-line discussions on Ukraine"),
    "accents": ("U.N. Secretary-General António Guterres", "UN Secretary-General Antonio Guterres"),
    "em dash and en dash": ("major talks — or breakthroughs — on the war",
                            "major talks – or breakthroughs – on the war"),
    "curly and straight quotation marks": (
        "a platform where \"collective decisions are made",
        "a platform where “collective decisions are made"),
    "curly and straight apostrophes": ("Beijing's diplomatic support",
                                       "Beijing’s diplomatic support"),
    "Dr. before a name": ("Dr. Kuhrt says for BBC", "Kuhrt says for BBC"),
    "case": ("attend summit of regional security grouping",
             "Attend Summit of Regional Security Grouping"),
    "punctuation": ("summit host President Kassym-Jomart Tokayev, other leaders",
                    "summit host President Kassym-Jomart Tokayev; other leaders"),
}


def _seed_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt")))


@pytest.mark.parametrize("pair", HOUSE_STYLE_PAIRS.values(), ids=HOUSE_STYLE_PAIRS.keys())
def test_house_style_pair_folds_to_the_same_words(pair: tuple[str, str]):
    first, second = pair
    assert fold(first) == fold(second)
    assert first != second


# Made up, not printed: case, "Dr." (one article, one name), and quotation marks (the articles
# mix straight and curly marks within one quote, but no two outlets print the same span).
MADE_UP = ("case", "Dr. before a name", "curly and straight quotation marks")


@pytest.mark.parametrize("pair", [pair for name, pair in HOUSE_STYLE_PAIRS.items()
                                  if name not in MADE_UP],
                         ids=[name for name in HOUSE_STYLE_PAIRS if name not in MADE_UP])
def test_each_pair_is_printed_in_the_articles(pair: tuple[str, str]):
    """The pairs are the articles' own: both styles stand verbatim in the seeds."""
    seeds = _seed_text()
    assert all(side in seeds for side in pair), pair


@pytest.mark.parametrize(("first", "second"), [
    # A light edit is not house style: these are different words and must stay apart.
    ("Now they’ll be holding meetings", "Now they will be holding meetings"),
    ("taking place Wednesday and Thursday", "taking place on Wednesday and Thursday"),
    ("was established in 2001 by China and Russia", "was founded in 2001 by China and Russia"),
    ("Putin will attend", "Putin attended"),
    ("four", "for"),
    ("our", "or"),
])
def test_other_wording_does_not_fold_together(first: str, second: str):
    assert fold(first) != fold(second)


def test_words_keep_their_offsets_in_the_original():
    line = "At a meeting with Mr Xi on Wednesday, Mr Putin hailed the SCO as “one of the key"
    words = fold_words(line)
    assert [word.folded for word in words][:6] == ["at", "a", "meeting", "with", "xi", "on"]
    assert [line[word.start:word.end] for word in words][4:9] == [
        "Xi", "on", "Wednesday", "Putin", "hailed"]


def test_a_word_joins_across_inner_periods_and_hyphens():
    assert [word.folded for word in fold_words("the U.S.-led order; the U.N.")] == [
        "the", "usled", "order", "the", "un"]


def test_honorifics_and_dashes_are_no_words():
    assert len(fold_words("Mr Putin — and Mr Xi")) == 3


@given(st.text())
def test_folding_is_idempotent(text: str):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_each_folded_word_comes_from_its_offsets(text: str):
    for word in fold_words(text):
        assert 0 <= word.start < word.end <= len(text)
        assert fold_word(text[word.start:word.end]) == word.folded


@given(st.text(alphabet=st.characters(codec="utf-8")), st.sampled_from([
    ("“", '"'), ("”", '"'), ("’", "'"), ("—", "–"), ("Co-operation", "Cooperation"),
    ("Organisation", "Organization"), ("Mr ", ""),
]))
def test_house_style_substitutions_never_change_the_folded_text(text: str, swap: tuple[str, str]):
    sentence = f"The {swap[0]} summit {text} ends"
    assert fold(sentence) == fold(sentence.replace(swap[0], swap[1]))
