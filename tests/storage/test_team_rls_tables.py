"""The team workspace's rules for cases, clips, consent, schemes, criteria and the
workspace's own facts, tried with plain SQL by people logged in as themselves (the rules
of coding, people and the audit trail: test_team_rls.py)."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors as pg

from tests.storage.team_world import Team, add_case, add_clip, add_run, drop_team, make_team
from vfa.storage.models import RunStatus

ADD_CONSENT = "INSERT INTO consent_record (clip_id, purposes, recorded_at) VALUES (%s, '{}', now())"


@pytest.fixture(scope="module")
def team(pg_url: str):
    made = make_team(pg_url)
    yield made
    drop_team(pg_url, made)


@pytest.fixture(scope="module")
def place(team: Team) -> dict[str, int]:
    """Two cases (one shared with Tom only), a clip in each, a hashed clip, a criterion."""
    ws = team.owner()
    try:
        ids = {
            "open": add_case(ws, "FAM-OPEN"),
            "toms": add_case(ws, "FAM-TOM", members=("Tom",)),
        }
        ids["open_clip"] = add_clip(ws, "FAM-OPEN")
        ids["toms_clip"] = add_clip(ws, "FAM-TOM")
        ids["hashed_clip"] = add_clip(ws, "FAM-OPEN")
        # coding on the open clip: removing the clip removes it too (cascades are the
        # server's own, never refused as someone else's)
        add_run(ws, ids["open_clip"], "Ann", blind=False, status=RunStatus.IN_PROGRESS)
        add_run(ws, ids["open_clip"], "Tia", blind=False, status=RunStatus.IN_PROGRESS,
                scheme="vig", moments=True)  # fmt: skip
        with ws.engine.begin() as conn:
            sql = conn.exec_driver_sql
            sql("UPDATE clip SET content_hash = 'abc' WHERE id = %s", (ids["hashed_clip"],))
            sql(
                "INSERT INTO reliability_criterion (scheme_key, statistic, threshold, "
                "\"window\", updated_at) VALUES ('kips', 'icc', 0.7, 5, now())"
            )
            sql(ADD_CONSENT, (ids["toms_clip"],))
            for key in ("open", "toms"):
                found = sql("SELECT id FROM session WHERE case_id = %s", (ids[key],))
                ids[f"{key}_session"] = found.scalar_one()
        return ids
    finally:
        ws.close()


def _count(team: Team, who: str, sql: str, *params: object) -> int:
    """Rows the person's statement touched (rolled back afterwards)."""
    with team.as_person(who) as conn:
        return conn.execute(sql, list(params)).rowcount


def _refused(team: Team, who: str, sql: str, *params: object) -> None:
    with team.as_person(who) as conn, pytest.raises(pg.InsufficientPrivilege):
        conn.execute(sql, list(params))


def _rows(conn: psycopg.Connection, sql: str, *params: object) -> list[tuple]:
    return conn.execute(sql, list(params)).fetchall()


def test_clinicians_add_and_change_cases_sessions_and_clips_they_see_coders_none(team, place):
    new_case = """INSERT INTO "case" (code, created_at) VALUES ('FAM-NEW', now())"""
    rename = """UPDATE "case" SET code = code || '-X' WHERE id = %s"""
    drop_case = """DELETE FROM "case" WHERE id = %s"""
    new_session = "INSERT INTO session (case_id, label, reel_version) VALUES (%s, 'Visit 9', 1)"
    relabel = "UPDATE session SET label = 'Visit 8' WHERE id = %s"
    move_session = "UPDATE session SET case_id = %s WHERE id = %s"
    drop_session = "DELETE FROM session WHERE id = %s"
    repath = "UPDATE clip SET path = '/elsewhere.mp4' WHERE id = %s"
    new_clip = (
        "INSERT INTO clip (session_id, path, fingerprint, file_size, file_mtime_ns, "
        "duration_ms, frame_count, fps, vfr, width, height, rotation, has_audio, codec, "
        "frame_table, added_at) VALUES (%s, '/new.mp4', 'f', 1, 0, 1000, 25, 25, false, 64, "
        "48, 0, false, 'h264', '', now())"
    )
    drop_clip = "DELETE FROM clip WHERE id = %s"
    for sql, params in (
        (new_case, ()),
        (rename, (place["open"],)),
        (new_session, (place["open"],)),
        (repath, (place["open_clip"],)),
        (new_clip, (place["open_session"],)),
    ):
        _refused(team, "Ann", sql, *params)  # a coder adds and changes no cases or clips
    for who in ("Tia", "Sue"):  # a clinician: the cases they see
        assert _count(team, who, new_case) == 1
        assert _count(team, who, rename, place["open"]) == 1
        assert _count(team, who, drop_case, place["open"]) == 1
        assert _count(team, who, new_session, place["open"]) == 1
        assert _count(team, who, relabel, place["open_session"]) == 1
        assert _count(team, who, drop_session, place["open_session"]) == 1
        assert _count(team, who, repath, place["open_clip"]) == 1
        assert _count(team, who, new_clip, place["open_session"]) == 1
        assert _count(team, who, drop_clip, place["open_clip"]) == 1  # and its coding
    # a therapist and a case shared with someone else: not seen, so not changed
    assert _count(team, "Tia", rename, place["toms"]) == 0
    assert _count(team, "Tia", drop_case, place["toms"]) == 0
    assert _count(team, "Tia", relabel, place["toms_session"]) == 0
    assert _count(team, "Tia", drop_session, place["toms_session"]) == 0
    assert _count(team, "Tia", repath, place["toms_clip"]) == 0
    assert _count(team, "Tia", drop_clip, place["toms_clip"]) == 0
    _refused(team, "Tia", new_session, place["toms"])
    _refused(team, "Tia", new_clip, place["toms_session"])
    _refused(team, "Tia", move_session, place["toms"], place["open_session"])
    assert _count(team, "Tom", repath, place["toms_clip"]) == 1


def test_anyone_stores_a_clips_missing_hash_and_nothing_else_of_it(team, place):
    fill = "UPDATE clip SET content_hash = 'h', file_mtime_ns = 1 WHERE id = %s"
    assert _count(team, "Ann", fill, place["open_clip"]) == 1
    assert _count(team, "Ann", fill, place["hashed_clip"]) == 0  # a stored hash stays
    _refused(team, "Ann", "UPDATE clip SET fps = 1 WHERE id = %s", place["open_clip"])
    assert _count(team, "Sue", fill, place["hashed_clip"]) == 1  # a clinician's to change


def test_case_members_are_seen_with_their_case_and_unshared_by_a_member(team, place):
    ws = team.owner()
    try:
        tia_case = add_case(ws, "FAM-TIA", members=("Tia",))
    finally:
        ws.close()
    members = "SELECT case_id FROM case_member"
    unshare = "DELETE FROM case_member WHERE case_id = %s"
    with team.as_person("Tia") as conn:
        assert {r[0] for r in _rows(conn, members)} == {tia_case}
    with team.as_person("Ada") as conn:
        assert {r[0] for r in _rows(conn, members)} >= {tia_case, place["toms"]}
    assert _count(team, "Tia", unshare, place["toms"]) == 0  # not hers
    assert _count(team, "Sue", unshare, place["toms"]) == 0  # seen, but not a member
    assert _count(team, "Tom", unshare, place["toms"]) == 1
    assert _count(team, "Ada", unshare, place["toms"]) == 1


def test_consent_is_recorded_by_clinicians_on_clips_they_see(team, place):
    assert _count(team, "Tia", ADD_CONSENT, place["open_clip"]) == 1
    _refused(team, "Tia", ADD_CONSENT, place["toms_clip"])
    _refused(team, "Ann", ADD_CONSENT, place["open_clip"])
    assert _count(team, "Tom", ADD_CONSENT, place["toms_clip"]) == 1
    shown = "SELECT id FROM consent_record WHERE clip_id = %s"
    with team.as_person("Tia") as conn:
        assert _rows(conn, shown, place["toms_clip"]) == []
    with team.as_person("Tom") as conn:
        assert len(_rows(conn, shown, place["toms_clip"])) == 1
    change = "UPDATE consent_record SET purposes = '{\"x\": 1}' WHERE clip_id = %s"
    _refused(team, "Tom", change, place["toms_clip"])
    assert _count(team, "Ada", change, place["toms_clip"]) == 1
    assert _count(team, "Ada", "DELETE FROM consent_record WHERE clip_id = %s",
                  place["toms_clip"]) == 1  # fmt: skip


def test_schemes_are_registered_by_anyone_and_changed_by_admins(team):
    add = (
        "INSERT INTO scheme (scheme_key, version, content_hash, name, content) "
        "VALUES ('mine', '1', 'h1', 'Mine', '{}')"
    )
    assert _count(team, "Ann", add) == 1
    ws = team.owner()
    try:
        with ws.engine.begin() as conn:
            conn.exec_driver_sql(add)
    finally:
        ws.close()
    rename = "UPDATE scheme SET name = 'Ours' WHERE scheme_key = 'mine'"
    _refused(team, "Ann", rename)
    _refused(team, "Sue", "DELETE FROM scheme WHERE scheme_key = 'mine'")
    assert _count(team, "Ada", rename) == 1
    assert _count(team, "Ada", "DELETE FROM scheme WHERE scheme_key = 'mine'") == 1


def test_everyone_stamps_the_version_only_an_admin_renames_the_workspace(team):
    stamp = "UPDATE workspace_info SET value = '9.9' WHERE key = 'written_by'"
    rename = "UPDATE workspace_info SET value = 'ours' WHERE key = 'name'"
    add = "INSERT INTO workspace_info (key, value) VALUES ('backups_keep', '3')"
    assert _count(team, "Ann", stamp) == 1
    assert _count(team, "Ann", rename) == 0
    _refused(team, "Ann", add)
    _refused(team, "Ann", "DELETE FROM workspace_info")
    assert _count(team, "Ada", rename) == 1
    assert _count(team, "Ada", add) == 1
    assert _count(team, "Ada", "DELETE FROM workspace_info WHERE key = 'name'") == 1


def test_criteria_are_read_by_everyone_and_changed_by_leads(team, place):
    change = "UPDATE reliability_criterion SET threshold = 0.8 WHERE scheme_key = 'kips'"
    remove = "DELETE FROM reliability_criterion WHERE scheme_key = 'kips'"
    with team.as_person("Ann") as conn:
        assert _rows(conn, "SELECT scheme_key FROM reliability_criterion") == [("kips",)]
    _refused(team, "Ann", change)
    _refused(team, "Tia", remove)
    assert _count(team, "Sue", change) == 1
    assert _count(team, "Sue", remove) == 1


def test_a_login_that_is_none_of_the_people_sees_none_of_these(team, place):
    stray = f"stray_{team.database[-8:]}"
    team.strays.append(stray)
    with team.as_login(team.owner_login) as conn:
        conn.execute(f'CREATE ROLE "{stray}" LOGIN IN ROLE vfa_supervisor')
        conn.commit()
    with team.as_login(stray) as conn:
        for table in (
            "session", "case_member", "consent_record", "workspace_info",
            "reliability_criterion", "audit_entry",
        ):  # fmt: skip
            assert _rows(conn, f"SELECT count(*) FROM {table}") == [(0,)], table
    with team.as_person("Sue") as conn:
        assert _rows(conn, "SELECT count(*) FROM workspace_info") != [(0,)]


# a statement over a whole table sets a constant (reading no column): only the UPDATE and
# DELETE policies decide which rows it touches, not the SELECT policy
BLANKET = {
    '"case"': "created_at = now()",
    "session": "context = 'x'",
    "clip": "codec = 'x'",
    "coder": "role = 'admin'",
    "case_member": None,
    "scheme": "name = 'x'",
    "coding_run": "status = 'submitted'",
    "annotation": "caption = 'x'",
    "rating": "note = 'x'",
    "moment": "comment = 'x'",
    "consent_record": "purposes = '{}'",
    "workspace_info": "value = 'x'",
    "reliability_criterion": "threshold = 0.5",
}


def test_statements_over_whole_tables_touch_only_what_the_person_may_change(team, place):
    stray = f"blanket_{team.database[-8:]}"
    team.strays.append(stray)
    with team.as_login(team.owner_login) as conn:  # in the group with every grant
        conn.execute(f'CREATE ROLE "{stray}" LOGIN IN ROLE vfa_admin')
        conn.commit()
    for table, assignment in BLANKET.items():
        statements = [f"DELETE FROM {table}"]
        statements += [f"UPDATE {table} SET {assignment}"] if assignment else []
        for sql in statements:
            with team.as_login(stray) as conn:
                assert conn.execute(sql).rowcount == 0, sql
    for table, assignment in (('"case"', "created_at = now()"), ("session", "context = 'x'"),
                              ("clip", "codec = 'x'")):  # fmt: skip
        with team.as_person("Tia") as conn:
            (seen,) = _rows(conn, f"SELECT count(*) FROM {table}")[0]
            assert conn.execute(f"UPDATE {table} SET {assignment}").rowcount == seen
        with team.as_person("Tia") as conn:
            assert conn.execute(f"DELETE FROM {table}").rowcount == seen
        with team.as_person("Sue") as conn:  # a supervisor sees (and changes) all of them
            assert conn.execute(f"UPDATE {table} SET {assignment}").rowcount > seen
