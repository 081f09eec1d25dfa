"""The SCO's members and observers, as the articles state them: a regression fails loudly."""

from __future__ import annotations

import sqlite3

import pytest

from sco_data.expectations import minimum_rows

MEMBERS = {  # country: (founding, joined)
    "china": (1, "2001"),
    "russia": (1, "2001"),
    "kazakhstan": (1, "2001"),
    "kyrgyzstan": (1, "2001"),
    "tajikistan": (1, "2001"),
    "uzbekistan": (1, "2001"),
    "india": (0, "2017"),
    "pakistan": (0, "2017"),
    "iran": (0, "2023"),
    "belarus": (0, "2024-07-04"),
}

AP_3 = "ap-leaders-meet-2024-07-03"
VOA = "voa-xi-putin-talks-2024-07-03"
PA = "pa-putin-xi-kazakhstan-2024-07-03"
AP_4 = "ap-leaders-attend-2024-07-04"
DEDOVIC = "dedovic-putin-key-meetings-2024-07-03"

# Every line that states each record's fact: a dropped citation fails here.
CITED_LINES = {
    "sco-china": {(AP_3, 25), (VOA, 14), (PA, 12), (AP_4, 3), (AP_4, 5), (AP_4, 7), (DEDOVIC, 17),
                  (DEDOVIC, 33), (DEDOVIC, 35)},
    "sco-kazakhstan": {(AP_4, 7), (DEDOVIC, 35), (AP_3, 25), (PA, 12)},
    "sco-india": {(DEDOVIC, 39), (AP_4, 7), (AP_3, 25), (PA, 12), (AP_3, 75)},
    "sco-iran": {(DEDOVIC, 39), (AP_4, 7), (AP_3, 25), (PA, 12), (DEDOVIC, 33)},
    "sco-belarus": {(AP_4, 7), (AP_3, 29), (AP_3, 71), (PA, 21), (PA, 49)},
}


def _cited(db: sqlite3.Connection, table: str, record_id: str) -> set[tuple[str, int]]:
    rows = db.execute("select article_id, line from citations where record_table = ? and "
                      "record_id = ?", [table, record_id])
    return {(row[0], row[1]) for row in rows}


def test_members_of_the_sco(db: sqlite3.Connection):
    rows = db.execute("select country_id, founding, joined from members "
                      "where organization_id = 'sco'").fetchall()
    assert {row[0]: (row[1], row[2]) for row in rows} == MEMBERS


@pytest.mark.parametrize("record_id", CITED_LINES)
def test_member_cites_every_line_that_states_it(db: sqlite3.Connection, record_id: str):
    assert _cited(db, "members", record_id) == CITED_LINES[record_id]


def test_belarus_joined_is_the_later_claim(db: sqlite3.Connection):
    row = db.execute("select article_id, line, note from members where id = 'sco-belarus'")
    article_id, line, note = row.fetchone()
    assert (article_id, line) == (AP_4, 7)
    assert "joined the SCO on Thursday" in note and "will become" in note


@pytest.mark.parametrize("country", ["kazakhstan", "kyrgyzstan", "tajikistan", "uzbekistan"])
def test_central_asian_founders_explain_the_disagreement(db: sqlite3.Connection, country: str):
    note = db.execute("select note from members where country_id = ?", [country]).fetchone()[0]
    assert "name six founders" in note and "only China and Russia" in note


def test_observers_and_dialogue_partners(db: sqlite3.Connection):
    rows = db.execute("select country_id, status from observers where organization_id = 'sco'")
    assert dict(rows.fetchall()) == {
        "turkey": "observer_or_dialogue_partner",
        "saudi-arabia": "observer_or_dialogue_partner",
        "egypt": "observer_or_dialogue_partner",
    }


@pytest.mark.parametrize("record_id", ["sco-turkey", "sco-saudi-arabia", "sco-egypt"])
def test_observer_cites_all_three_articles(db: sqlite3.Connection, record_id: str):
    assert _cited(db, "observers", record_id) == {(AP_3, 25), (PA, 17), (AP_4, 9)}


def test_guests_are_not_observers(db: sqlite3.Connection):
    # Azerbaijan's president is a summit guest; no line calls it an observer.
    assert db.execute("select count(*) from observers where country_id = 'azerbaijan'"
                      ).fetchone()[0] == 0


def test_no_member_is_also_an_observer(db: sqlite3.Connection):
    both = db.execute("select country_id from members intersect select country_id from observers")
    assert both.fetchall() == []


def test_membership_lines_are_all_cited(db: sqlite3.Connection):
    # Lines with these words state a membership or observer fact; each must back some record.
    phrases = ["Other members are", "Observer states and dialogue partners", "full member",
               "established in 2001", "founded in 2001", "joined the", "became a member"]
    stated = db.execute(
        "select article_id, line from lines where "
        + " or ".join("text like ?" for _ in phrases), [f"%{phrase}%" for phrase in phrases]
    ).fetchall()
    cited = {tuple(row) for row in db.execute(
        "select article_id, line from citations where record_table in ('members', 'observers')")}
    assert len(stated) >= 12
    assert {tuple(row) for row in stated} <= cited


def test_counts_meet_the_package_bounds(db: sqlite3.Connection):
    for table, minimum in minimum_rows().items():
        assert db.execute(f"select count(*) from {table}").fetchone()[0] >= minimum, table
