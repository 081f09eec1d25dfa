"""Line groups: which lines of the five articles print the same sentence, and which do not."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_data.building.folding import fold_word_list
from sco_data.building.line_groups import NEAR_SHARE, GroupedLine, group_lines, near, shared_share
from sco_data.building.load import load_articles
from sco_data.building.pipeline import line_id
from sco_data.paths import REGISTRY_FILE, SEEDS_DIR

AP = "ap-leaders-meet-2024-07-03"
VOA = "voa-xi-putin-talks-2024-07-03"
PA = "pa-putin-xi-kazakhstan-2024-07-03"
AP4 = "ap-leaders-attend-2024-07-04"
DEDOVIC = "dedovic-putin-key-meetings-2024-07-03"

# The Press Association's lines that print an AP sentence: every paragraph of its body but the
# ones it wrote itself.
PA_GROUPED = [6, 8, 10, 12, 17, 19, 21, 23, 28, 30, 32, 34, 39, 41, 43, 45, 47, 49, 51, 53, 55,
              57, 59]

# Real pairs of lines, each with what the edit is.
NEAR_PAIRS = [
    ((AP, 13), (PA, 6), "'met Wednesday' → 'met on Wednesday'"),
    ((AP, 21), (PA, 10), "PA drops 'A look at the summit:' and adds 'on'"),
    ((AP, 25), (PA, 12), "PA drops the last sentence (it prints it on line 17)"),
    ((AP, 35), (AP4, 27), "'will be' → 'was', the second sentence dropped"),
    ((AP, 39), (AP4, 19), "'is sending' → 'has sent', the last sentence dropped"),
    ((AP, 31), (AP4, 21), "'will attend' → 'attended the summit'"),
    ((AP, 29), (AP4, 17), "the 4 July list of leaders, reworded"),
    ((PA, 43), (AP4, 41), "the May meeting, rewritten around the same sentence"),
]
# Real lines on the same subject that are not the same sentence.
NOT_PAIRS = [
    ((VOA, 14), (AP, 25), "VOA's own wording of the founding"),
    ((VOA, 14), (PA, 12), "VOA's own wording of the founding"),
    ((VOA, 26), (AP, 15), "the May meeting, in VOA's words"),
    ((VOA, 22), (PA, 47), "Kazakhstan's interest, in VOA's words"),
    ((AP, 43), (AP4, 29), "Putin's aim, rewritten by AP on 4 July"),
    ((AP, 23), (DEDOVIC, 31), "two headings of six and nine words"),
]


@pytest.fixture(scope="module")
def texts() -> dict[str, tuple[str, ...]]:
    articles, problems = load_articles(REGISTRY_FILE, SEEDS_DIR)
    assert not problems
    return {entry.record.id: articles.texts[entry.record.id].lines for entry in articles.entries}


@pytest.fixture(scope="module")
def grouped(texts) -> list[GroupedLine]:
    return group_lines(texts, line_id)


def where(grouped: list[GroupedLine]) -> dict[tuple[str, int], GroupedLine]:
    return {(row.article_id, row.line): row for row in grouped}


def test_a_quote_printed_three_times_is_one_group_of_three(grouped):
    found = where(grouped)
    group = found[(AP, 51)].group
    assert [(row.article_id, row.line, row.kind) for row in grouped if row.group == group] == [
        (AP, 51, "identical"), (PA, 39, "house_style"), (AP4, 39, "identical")]
    assert group == f"{AP}-L51"


def test_the_press_association_prints_these_ap_lines_and_no_others(grouped):
    assert sorted(row.line for row in grouped if row.article_id == PA) == PA_GROUPED
    found = where(grouped)
    assert all(found[(PA, line)].group.startswith(AP) for line in PA_GROUPED)


def test_voa_and_dedovic_print_no_other_articles_sentence(grouped):
    assert {row.article_id for row in grouped} == {AP, PA, AP4}


@pytest.mark.parametrize(("one", "other", "edit"), NEAR_PAIRS)
def test_a_light_edit_is_a_near_match(texts, grouped, one, other, edit):
    found = where(grouped)
    assert found[one].group == found[other].group, edit
    left, right = texts[one[0]][one[1] - 1], texts[other[0]][other[1] - 1]
    assert shared_share(left, right) >= NEAR_SHARE


@pytest.mark.parametrize(("one", "other", "why"), NOT_PAIRS)
def test_lines_on_the_same_subject_are_not_grouped(texts, grouped, one, other, why):
    found = where(grouped)
    assert one not in found or other not in found or found[one].group != found[other].group, why


def test_the_threshold_separates_the_real_pairs_from_the_real_non_pairs(texts):
    """The documented margin: real pairs keep 0.83 or more of the shorter line's words, the
    closest non-pair 0.75; a threshold outside that range would misgroup a real line."""
    def share(pair):
        (a, n), (b, m), _ = pair
        return shared_share(texts[a][n - 1], texts[b][m - 1])

    lowest_pair = min(share(pair) for pair in NEAR_PAIRS)
    highest_non_pair = max(share(pair) for pair in NOT_PAIRS[:4])
    assert highest_non_pair < NEAR_SHARE <= lowest_pair
    assert round(lowest_pair, 2) == 0.83 and round(highest_non_pair, 2) == 0.75


def test_kinds_say_how_each_line_stands_to_its_partners(grouped):
    found = where(grouped)
    assert found[(AP, 45)].kind == found[(PA, 30)].kind == "identical"
    assert found[(AP, 15)].kind == found[(PA, 8)].kind == "house_style"  # "Mr Putin and Mr Xi"
    assert found[(AP, 13)].kind == "near"
    # PA 17 prints AP 4 July's line 9 word for word, and is in the group of AP 25, which it ends.
    assert found[(PA, 17)].kind == found[(AP4, 9)].kind == "identical"
    assert found[(PA, 17)].group == found[(AP, 25)].group


def test_blocking_finds_every_pair_all_pairs_would(texts, grouped):
    """The index of three-word runs loses no pair of these articles: comparing every line with
    every other gives the same groups."""
    lines = [(article, number, fold_word_list(text)) for article, article_lines in texts.items()
             for number, text in enumerate(article_lines, 1) if len(fold_word_list(text)) >= 6]
    vocabulary: dict[str, int] = {}
    numbered = [(article, number, [vocabulary.setdefault(w, len(vocabulary)) for w in words])
                for article, number, words in lines]
    parent = {(a, n): (a, n) for a, n, _ in numbered}

    def find(key):
        while parent[key] != key:
            key = parent[key]
        return key

    for (a, n, x), (b, m, y) in itertools.combinations(numbered, 2):
        if x == y or near(x, y):
            parent[find((a, n))] = find((b, m))
    components = defaultdict(set)
    for a, n, _ in numbered:
        components[find((a, n))].add((a, n))
    expected = {frozenset(c) for c in components.values() if len({a for a, _ in c}) > 1}
    by_group = defaultdict(set)
    for row in grouped:
        by_group[row.group].add((row.article_id, row.line))
    assert {frozenset(c) for c in by_group.values()} == expected


def test_a_group_of_many_copies_is_one_group_not_pairs(texts):
    """A sentence republished by 50 outlets: one group of 50 rows."""
    sentence = texts[AP][50]
    corpus = {f"outlet-{n}": ("Headline", sentence.replace("Putin", "Mr Putin") if n % 2 else
                             sentence) for n in range(50)}
    rows = group_lines(corpus, line_id)
    assert len(rows) == 50 and len({row.group for row in rows}) == 1
    assert {row.kind for row in rows} == {"identical"}


WORDS = st.sampled_from([
    "the", "summit", "leaders", "met", "in", "Astana", "on", "Wednesday", "and", "Thursday",
    "to", "discuss", "security", "trade", "Russia", "China", "India", "Kazakhstan",
    "organization",
])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.lists(WORDS, min_size=0, max_size=14), min_size=1, max_size=12),
       st.integers(min_value=2, max_value=4))
def test_grouping_invariants(sentences, copies):
    """Whatever the text: a line is in at most one group, every group spans two articles, and
    a line copied word for word into another article is grouped with it as identical."""
    articles = {f"a{n}": [" ".join(words) for words in sentences] for n in range(copies)}
    rows = group_lines(articles, line_id)
    keys = [(row.article_id, row.line) for row in rows]
    assert len(keys) == len(set(keys))
    by_group = defaultdict(set)
    for row in rows:
        by_group[row.group].add(row.article_id)
    assert all(len(members) >= 2 for members in by_group.values())
    long_enough = [n for n, words in enumerate(sentences, 1) if len(words) >= 6]
    assert {(row.article_id, row.line) for row in rows if row.kind == "identical"} >= {
        (article, n) for article in articles for n in long_enough}
