"""The summit, its attendees and its meetings, as the articles state them."""

from __future__ import annotations

import sqlite3

import pytest

SUMMIT = "sco-summit-astana-2024"


def _one(db: sqlite3.Connection, sql: str, *parameters: object) -> sqlite3.Row:
    row = db.execute(sql, parameters).fetchone()
    assert row is not None, (sql, parameters)
    return row


def test_the_summit(db: sqlite3.Connection):
    summit = _one(db, "select * from meetings where kind = 'summit' and parent_id is null "
                      "and start_date = '2024-07-03'")
    assert summit["id"] == SUMMIT
    assert (summit["end_date"], summit["status"]) == ("2024-07-04", "held")
    assert summit["place"] == "Astana, Kazakhstan"


def test_the_summits_name_slogan_and_expected_documents(db: sqlite3.Connection):
    facts = dict(db.execute("select aspect, value from meeting_facts where meeting_id = ?",
                            [SUMMIT]).fetchall())
    assert facts["formal name"] == "SCO Council of Heads of State"
    assert facts["slogan"].startswith("Strengthening Multilateral Dialogue - Pursuing")
    assert "24 documents" in facts["expected documents"]


# Who met whom, when, where, and whether it happened.
MEETINGS = {
    "putin-xi-astana-2024-07-03": ({"vladimir-putin", "xi-jinping"}, "2024-07-03", "held", SUMMIT),
    "putin-tokayev-astana-2024-07-03":
        ({"vladimir-putin", "kassym-jomart-tokayev"}, "2024-07-03", "held", SUMMIT),
    "putin-erdogan-astana-2024-07-03":
        ({"vladimir-putin", "recep-tayyip-erdogan"}, "2024-07-03", "held", SUMMIT),
    "putin-mokhber-astana-2024-07-04":
        ({"vladimir-putin", "mohammad-mokhber"}, "2024-07-04", "held", SUMMIT),
    "putin-khurelsukh-astana-2024":
        ({"vladimir-putin", "ukhnaagiin-khurelsukh"}, None, "planned", SUMMIT),
    "putin-aliyev-astana-2024": ({"vladimir-putin", "ilham-aliyev"}, None, "planned", SUMMIT),
    "putin-sharif-astana-2024": ({"vladimir-putin", "shehbaz-sharif"}, None, "planned", SUMMIT),
    "putin-xi-beijing-2024-05": ({"vladimir-putin", "xi-jinping"}, "2024-05", "held", None),
    "putin-erdogan-sochi-2023-09":
        ({"vladimir-putin", "recep-tayyip-erdogan"}, "2023-09", "held", None),
    "sco-meeting-2022": ({"vladimir-putin", "narendra-modi"}, "2022", "held", None),
}


@pytest.mark.parametrize("meeting_id", MEETINGS)
def test_who_met_whom_and_when(db: sqlite3.Connection, meeting_id: str):
    participants, date, status, parent = MEETINGS[meeting_id]
    meeting = _one(db, "select * from meetings where id = ?", meeting_id)
    found = {row[0] for row in db.execute(
        "select person_id from meeting_participants where meeting_id = ?", [meeting_id])}
    assert found == participants
    assert (meeting["start_date"], meeting["status"], meeting["parent_id"]) == (
        date, status, parent)


def test_the_may_meeting_was_in_beijing(db: sqlite3.Connection):
    assert _one(db, "select place from meetings where id = 'putin-xi-beijing-2024-05'")[0] == (
        "Beijing")


ATTENDANCE = {
    "vladimir-putin": "attended", "xi-jinping": "attended", "kassym-jomart-tokayev": "attended",
    "shehbaz-sharif": "attended", "shavkat-mirziyoyev": "attended", "emomali-rakhmon": "attended",
    "sadyr-zhaparov": "attended", "alexander-lukashenko": "attended",
    "mohammad-mokhber": "attended", "recep-tayyip-erdogan": "attended",
    "ilham-aliyev": "attended", "antonio-guterres": "attended",
    "subrahmanyam-jaishankar": "attended", "narendra-modi": "absent",
    "ukhnaagiin-khurelsukh": "expected",
}


def test_attendance_as_the_latest_article_supports_it(db: sqlite3.Connection):
    rows = db.execute("select person_id, attendance from attendees where meeting_id = ? "
                      "and person_id is not null", [SUMMIT]).fetchall()
    assert dict(rows) == ATTENDANCE


def test_absent_modi_is_represented_by_his_foreign_minister(db: sqlite3.Connection):
    row = _one(db, "select represented.person_id from attendees absent join attendees "
                   "represented on represented.id = absent.represented_by "
                   "where absent.person_id = 'narendra-modi'")
    assert row[0] == "subrahmanyam-jaishankar"


def test_roles(db: sqlite3.Connection):
    roles = dict(db.execute("select person_id, role from attendees where person_id is not null"))
    assert roles["kassym-jomart-tokayev"] == "summit host"
    assert roles["recep-tayyip-erdogan"] == roles["ilham-aliyev"] == "guest"
    assert roles["mohammad-mokhber"] == "acting President"
    assert roles["antonio-guterres"] == "U.N. Secretary-General"


def test_countries_without_a_named_person(db: sqlite3.Connection):
    rows = db.execute("select country_id, attendance from attendees where person_id is null "
                      "order by 1").fetchall()
    assert [tuple(row) for row in rows] == [
        ("qatar", "expected"), ("turkmenistan", "expected"), ("ukraine", "absent"),
        ("united-arab-emirates", "expected"),
    ]


def test_every_attendee_stands_for_a_country_or_an_organization(db: sqlite3.Connection):
    assert db.execute("select id from attendees where country_id is null "
                      "and organization_id is null").fetchall() == []


def test_name_spellings_are_cited_aliases(db: sqlite3.Connection):
    aliases = {}
    for person, name in db.execute("select person_id, name from aliases"):
        aliases.setdefault(person, set()).add(name)
    assert aliases["mohammad-mokhber"] == {"Mohammad Mokhber", "Mohammad Mokhbar", "Mokhber"}
    assert aliases["yury-ushakov"] == {"Yury Ushakov", "Yuri Ushakov"}
    assert aliases["antonio-guterres"] == {"António Guterres", "Antonio Guterres"}
    uncited = db.execute("select id from aliases where id not in "
                         "(select record_id from citations where record_table = 'aliases')")
    assert uncited.fetchall() == []


@pytest.mark.parametrize("point", [
    "sco-founders", "belarus-membership", "mokhber-spelling", "ushakov-spelling",
    "guterres-spelling", "mohammad-mokhber-attendance", "putin-erdogan-meeting-status",
])
def test_discrepancies_cite_every_side(db: sqlite3.Connection, point: str):
    cited = db.execute("select count(distinct article_id || line) from citations "
                       "where record_table = 'discrepancies' and record_id = ?", [point])
    assert cited.fetchone()[0] >= 2
