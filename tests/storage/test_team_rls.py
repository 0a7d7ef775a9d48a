"""The team workspace's rules, held by the PostgreSQL server: people log in as
themselves and try to break each rule with plain SQL, as they could with `psql`.

Every test asserts both sides of its rule (what is refused and what is still allowed), so
dropping the policy, or row-level security on the table, fails it."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy import text

from tests.storage.team_world import (
    Team,
    add_case,
    add_clip,
    add_run,
    blind_clip,
    drop_team,
    make_team,
    set_status,
)
from vfa.storage.models import RunStatus
from vfa.storage.workspace import Workspace

ASSIGNED, IN_PROGRESS, SUBMITTED = RunStatus.ASSIGNED, RunStatus.IN_PROGRESS, RunStatus.SUBMITTED


@pytest.fixture(scope="module")
def team(pg_url: str):
    made = make_team(pg_url)
    ws = made.owner()
    try:
        add_case(ws, "FAM-OPEN")  # no members: every therapist's
        add_case(ws, "FAM-TOM", members=("Tom",))
    finally:
        ws.close()
    yield made
    drop_team(pg_url, made)


@pytest.fixture
def owner(team: Team):
    ws = team.owner()
    yield ws
    ws.close()


def _seen(conn: psycopg.Connection, table: str, ids: tuple[int, ...] | list[int]) -> set[int]:
    key = "annotation_id" if table == "moment" else "id"
    rows = conn.execute(f"SELECT {key} FROM {table} WHERE {key} = ANY(%s)", [list(ids)])
    return {row[0] for row in rows}


def _scalar(ws: Workspace, sql: str, **params: Any) -> Any:
    with ws.sessions() as db:
        return db.execute(text(sql), params).scalar_one()


def _ids(ws: Workspace) -> dict[str, int]:
    with ws.sessions() as db:
        return {name: id_ for name, id_ in db.execute(text("SELECT name, id FROM coder"))}


def _count(conn: psycopg.Connection, sql: str, *params: object) -> int:
    """Rows a statement touched (an UPDATE or DELETE that policies filter touches none)."""
    return conn.execute(sql, list(params)).rowcount


# -- blind coding ----------------------------------------------------------------------------


@pytest.mark.parametrize("ben", [ASSIGNED, IN_PROGRESS])
def test_a_coders_blind_run_is_hidden_from_the_other_coder_and_the_supervisor_until_all_are_submitted(  # noqa: E501
    team, owner, ben
):
    c = blind_clip(owner, IN_PROGRESS, ben)
    for person, own_events, other_events, other_ratings in (
        ("Ann", c.ann_events, c.ben_events, c.ben_ratings),
        ("Ben", c.ben_events, c.ann_events, c.ann_ratings),
    ):
        with team.as_person(person) as conn:
            assert _seen(conn, "annotation", own_events) == set(own_events)
            assert _seen(conn, "annotation", other_events) == set()
            assert _seen(conn, "rating", other_ratings) == set()
            # that the other run exists, whose it is and its status stay open
            status = conn.execute(
                "SELECT r.status, c.name FROM coding_run r JOIN coder c ON c.id = r.coder_id "
                "WHERE r.id = %s",
                [c.ben_run if person == "Ann" else c.ann_run],
            ).fetchone()
            assert status is not None
    with team.as_person("Sue") as conn:
        assert _seen(conn, "annotation", c.ann_events + c.ben_events) == set()
        assert _seen(conn, "rating", c.ann_ratings + c.ben_ratings) == set()
    set_status(owner, c.ann_run, SUBMITTED)  # one submitted: the coding is still open
    with team.as_person("Ann") as conn:
        assert _seen(conn, "annotation", c.ben_events) == set()
    with team.as_person("Sue") as conn:
        assert _seen(conn, "annotation", c.ann_events) == set()
    set_status(owner, c.ben_run, SUBMITTED)  # every blind run submitted: open to all
    for person in ("Ann", "Ben", "Sue"):
        with team.as_person(person) as conn:
            assert _seen(conn, "annotation", c.ann_events + c.ben_events) == set(
                c.ann_events + c.ben_events
            )
            assert _seen(conn, "rating", c.ann_ratings + c.ben_ratings) == set(
                c.ann_ratings + c.ben_ratings
            )
    set_status(owner, c.ben_run, IN_PROGRESS)  # reopened: closed again
    with team.as_person("Ann") as conn:
        assert _seen(conn, "annotation", c.ben_events) == set()


def test_a_coder_coding_a_clip_blind_sees_no_one_elses_coding_of_that_clip(team, owner):
    c = blind_clip(owner, IN_PROGRESS, SUBMITTED)
    # Tia's open moment run on the clip: hidden from the blind coders, not from others
    for person in ("Ann", "Ben"):
        with team.as_person(person) as conn:
            assert _seen(conn, "annotation", c.tia_events) == set()
            assert _seen(conn, "moment", c.tia_events) == set()
    for person in ("Sue", "Tom", "Tia"):
        with team.as_person(person) as conn:
            assert _seen(conn, "annotation", c.tia_events) == set(c.tia_events)
            assert _seen(conn, "moment", c.tia_events) == set(c.tia_events)
    # the same coders see another clip's open coding
    other = add_clip(owner, "FAM-OPEN")
    _, tia_other, _ = add_run(owner, other, "Tia", blind=False, status=IN_PROGRESS, scheme="vig")
    with team.as_person("Ann") as conn:
        assert _seen(conn, "annotation", tia_other) == set(tia_other)
    set_status(owner, c.ann_run, SUBMITTED)
    with team.as_person("Ann") as conn:
        assert _seen(conn, "annotation", c.tia_events) == set(c.tia_events)
        assert _seen(conn, "moment", c.tia_events) == set(c.tia_events)


def test_the_audit_trail_hides_entries_about_runs_the_reader_may_not_see(team, owner):
    c = blind_clip(owner, IN_PROGRESS, IN_PROGRESS)
    with owner.writes.begin() as db:
        from vfa.storage.models import AuditEntry

        entries = [
            AuditEntry(actor="Ben", action="code", entity="annotation", run_id=c.ben_run),
            AuditEntry(actor="Ann", action="code", entity="annotation", run_id=c.ann_run),
        ]
        db.add_all(entries)
        db.flush()
        ben_entry, ann_entry = (e.id for e in entries)
    with team.as_person("Ann") as conn:
        assert _seen(conn, "audit_entry", [ben_entry, ann_entry]) == {ann_entry}


def test_an_entry_about_a_case_hidden_from_a_therapist_is_hidden_without_naming_its_place(
    team, owner
):
    tom_case = _scalar(owner, "SELECT id FROM \"case\" WHERE code = 'FAM-TOM'")
    open_case = _scalar(owner, "SELECT id FROM \"case\" WHERE code = 'FAM-OPEN'")
    with owner.writes.begin() as db:  # as older workspaces wrote a share: no case_id
        from vfa.storage.models import AuditEntry

        entries = [
            AuditEntry(actor="Tom", action="share", entity="case", entity_id=case_id,
                       detail={"code": code})
            for case_id, code in ((tom_case, "FAM-TOM"), (open_case, "FAM-OPEN"))
        ]  # fmt: skip
        db.add_all(entries)
        db.flush()
        about_tom, about_open = (e.id for e in entries)
    with team.as_person("Tia") as conn:
        assert _seen(conn, "audit_entry", [about_tom, about_open]) == {about_open}
    for person in ("Tom", "Sue", "Ann"):
        with team.as_person(person) as conn:
            assert _seen(conn, "audit_entry", [about_tom, about_open]) == {about_tom, about_open}


# -- nobody changes someone else's coding ------------------------------------------------------


# a new event and a new rating in the run given, as anyone could type them in psql
ADD_EVENT = (
    "INSERT INTO annotation (run_id, code, start_ms, start_frame, modifiers, created_at, "
    "version) VALUES (%s, 'PE', 0, 0, '{}', now(), 1)"
)
ADD_RATING = (
    "INSERT INTO rating (run_id, item, value, evidence, version) VALUES (%s, 'new', 2, '{}', 1)"
)


def _refused(team: Team, who: str, sql: str, *params: object, match: str | None = None) -> None:
    """As the person (or login), the statement fails with "insufficient privilege"."""
    login = team.logins.get(who, who)
    with team.as_login(login) as conn, pytest.raises(pg.InsufficientPrivilege, match=match):
        conn.execute(sql, list(params))


def test_nobody_changes_or_adds_to_another_persons_run(team, owner):
    c = blind_clip(owner, SUBMITTED, SUBMITTED)  # all open to read: only writing is refused
    ben_event, ben_rating = c.ben_events[0], c.ben_ratings[0]
    for person in ("Ann", "Sue", "Ada"):
        with team.as_person(person) as conn:
            assert _seen(conn, "annotation", [ben_event]) == {ben_event}  # seen, but ...
        for sql, key in (
            ("UPDATE annotation SET caption = 'forged' WHERE id = %s", ben_event),
            ("DELETE FROM annotation WHERE id = %s", ben_event),
            ("UPDATE rating SET value = 1 WHERE id = %s", ben_rating),
            ("DELETE FROM rating WHERE id = %s", ben_rating),
            (ADD_EVENT, c.ben_run),
            (ADD_RATING, c.ben_run),
        ):
            _refused(team, person, sql, key)  # ... not changed, deleted or added to
    # nor moved into one's own run
    _refused(team, "Ann", "UPDATE annotation SET run_id = %s WHERE id = %s", c.ann_run, ben_event)
    set_status(owner, c.ben_run, IN_PROGRESS)  # reopened (a submitted run is locked)
    with team.as_person("Ben") as conn:  # his own: yes
        sql = "UPDATE annotation SET caption = 'mine' WHERE id = %s"
        assert _count(conn, sql, ben_event) == 1
        assert _count(conn, "UPDATE rating SET value = 1 WHERE id = %s", ben_rating) == 1
        assert _count(conn, "DELETE FROM annotation WHERE id = %s", c.ben_events[1]) == 1
        assert _count(conn, "DELETE FROM rating WHERE id = %s", ben_rating) == 1
        assert _count(conn, ADD_EVENT, c.ben_run) == 1
        assert _count(conn, ADD_RATING, c.ben_run) == 1
    add_moment = (
        "INSERT INTO moment (annotation_id, key_ms, key_frame, tags, feedback, version) "
        "VALUES (%s, 0, 0, '{}', false, 1)"
    )
    _refused(team, "Tom", add_moment, c.ben_events[0])  # a moment of someone else's event
    with team.as_person("Ben") as conn:
        assert _count(conn, add_moment, c.ben_events[0]) == 1  # of his own
    tia_moment = c.tia_events[0]
    comment = "UPDATE moment SET comment = 'x' WHERE annotation_id = %s"
    _refused(team, "Tom", comment, tia_moment)  # a therapist: only their own moments
    _refused(team, "Tom", "DELETE FROM moment WHERE annotation_id = %s", tia_moment)
    with team.as_person("Tia") as conn:
        assert _count(conn, comment, tia_moment) == 1
        assert _count(conn, "DELETE FROM moment WHERE annotation_id = %s", tia_moment) == 1


def test_a_coder_makes_and_changes_only_their_own_runs_a_supervisor_anyones(team, owner):
    c = blind_clip(owner, SUBMITTED, SUBMITTED)
    kips = _scalar(owner, "SELECT id FROM scheme WHERE scheme_key = 'kips'")
    ids = _ids(owner)
    other_clip = add_clip(owner, "FAM-OPEN")
    insert = (
        "INSERT INTO coding_run (clip_id, scheme_id, coder_id, status, blind, created_at) "
        "VALUES (%s, %s, %s, 'assigned', true, now())"
    )
    reopen = "UPDATE coding_run SET status = 'in_progress' WHERE id = %s"
    _refused(team, "Ann", reopen, c.ben_run)  # Ben's run: not hers to reopen
    _refused(team, "Ann", "DELETE FROM coding_run WHERE id = %s", c.ben_run)
    _refused(team, "Ann", insert, other_clip, kips, ids["Ben"])  # assigning Ben
    # her own run's blind flag, or whose it is: a lead's to set
    _refused(team, "Ann", "UPDATE coding_run SET blind = false WHERE id = %s", c.ann_run)
    _refused(team, "Ann", "UPDATE coding_run SET coder_id = %s WHERE id = %s", ids["Ben"],
             c.ann_run)  # fmt: skip
    _refused(team, "Ann", reopen, c.ann_run)  # her own, submitted: a lead's to reopen
    with team.as_person("Ann") as conn:  # her own run: she makes it, starts and submits it
        assert _count(conn, insert, other_clip, kips, ids["Ann"]) == 1
        mine = "UPDATE coding_run SET status = %s WHERE clip_id = %s AND coder_id = %s"
        assert _count(conn, mine, "in_progress", other_clip, ids["Ann"]) == 1
        assert _count(conn, mine, "submitted", other_clip, ids["Ann"]) == 1
    with team.as_person("Sue") as conn:  # a supervisor assigns and reopens
        assert _count(conn, reopen, c.ben_run) == 1
        assert _count(conn, insert, other_clip, kips, ids["Ben"]) == 1
        assert _count(conn, "UPDATE coding_run SET blind = false WHERE id = %s", c.ben_run) == 1
        assert _count(conn, "DELETE FROM coding_run WHERE id = %s", c.ann_run) == 1


def test_a_submitted_run_is_locked_to_its_own_coder_too_until_a_supervisor_reopens_it(team, owner):
    c = blind_clip(owner, SUBMITTED, SUBMITTED)
    with team.as_person("Ann") as conn:  # every blind run submitted: Ann reads Ben's coding
        assert _seen(conn, "rating", c.ben_ratings) == set(c.ben_ratings)
    event, rating = c.ann_events[0], c.ann_ratings[0]
    change_rating = "UPDATE rating SET value = 5 WHERE id = %s"
    for sql, key in (  # ... and may not change her own coding after it
        (change_rating, rating),
        ("UPDATE annotation SET start_ms = 9 WHERE id = %s", event),
        ("DELETE FROM rating WHERE id = %s", rating),
        ("DELETE FROM annotation WHERE id = %s", event),
        (ADD_EVENT, c.ann_run),
        (ADD_RATING, c.ann_run),
        ("UPDATE coding_run SET submitted_at = now() WHERE id = %s", c.ann_run),
    ):
        _refused(team, "Ann", sql, key)
    reopen = "UPDATE coding_run SET status = 'in_progress', submitted_at = NULL WHERE id = %s"
    _refused(team, "Ann", reopen, c.ann_run, match="submitted and is locked")
    _refused(team, "Ann", "DELETE FROM coding_run WHERE id = %s", c.ann_run)  # to make anew
    with team.as_person("Ann") as conn:
        assert _seen(conn, "rating", [rating]) == {rating}  # still hers to read
    with team.as_person("Sue") as conn:  # the supervisor reopens it ...
        assert _count(conn, reopen, c.ann_run) == 1
        conn.commit()
    with team.as_person("Ann") as conn:  # ... and it is hers to change again
        assert _count(conn, change_rating, rating) == 1
        assert _count(conn, "DELETE FROM annotation WHERE id = %s", event) == 1
        # submitted in this transaction, the run still takes what comes with it (a merge
        # writes the run's status, then its events and ratings)
        assert _count(conn, "UPDATE coding_run SET status = 'submitted' WHERE id = %s",
                      c.ann_run) == 1  # fmt: skip
        assert _count(conn, ADD_RATING, c.ann_run) == 1
        assert _count(conn, ADD_EVENT, c.ann_run) == 1


def test_only_supervisors_and_admins_set_reliability_criteria(team):
    sql = (
        'INSERT INTO reliability_criterion (scheme_key, statistic, threshold, "window", '
        "updated_at) VALUES ('kips', 'icc', 0.7, 5, now())"
    )
    for person in ("Ann", "Tia"):
        _refused(team, person, sql)
    for person in ("Sue", "Ada"):
        with team.as_person(person) as conn:
            assert _count(conn, sql) == 1


# -- the audit trail ------------------------------------------------------------------------------


def test_the_audit_trail_is_append_only_for_everyone_and_names_who_adds_to_it(team, owner):
    insert = "INSERT INTO audit_entry (at, actor, action, entity, detail) VALUES (now(), %s, 'x', 'y', '{}')"  # noqa: E501
    with team.as_person("Ann") as conn:
        assert _count(conn, insert, "Ann") == 1  # in her own name
        rows = conn.execute("SELECT count(*) FROM audit_entry").fetchone()
        assert rows is not None and rows[0] >= 1  # and read
    _refused(team, "Ann", insert, "Ben", match="row-level security")  # in someone else's
    for person in ("Ann", "Sue", "Ada"):
        for sql in ("UPDATE audit_entry SET actor = 'nobody'", "DELETE FROM audit_entry"):
            _refused(team, person, sql)
    with owner.writes.begin() as db:  # at least one entry for the owner to try on
        from vfa.storage.models import AuditEntry

        db.add(AuditEntry(actor="owner", action="x", entity="y"))
    for sql in (
        "UPDATE audit_entry SET actor = 'nobody'",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
    ):
        _refused(team, team.owner_login, sql, match="append-only")


def test_the_server_dates_the_entries_people_add_so_none_is_backdated(team, owner):
    insert = (
        "INSERT INTO audit_entry (at, actor, action, entity, detail) "
        "VALUES (%s, %s, 'backdated', 'y', '{}')"
    )
    for person in ("Ann", "Ada"):
        with team.as_person(person) as conn:
            conn.execute(insert, ["2001-02-03T04:05:06+00:00", person])
            conn.commit()
    with owner.writes.begin() as db:  # the owner's: as given (a merge carries times so)
        db.execute(text(insert.replace("%s", ":at", 1).replace("%s", ":who")),
                   {"at": "2001-02-03T04:05:06+00:00", "who": "owner"})  # fmt: skip
    lateness = (
        "SELECT actor, now() - at < interval '1 hour' FROM audit_entry "
        "WHERE action = 'backdated' ORDER BY actor"
    )
    with owner.sessions() as db:
        dated = [tuple(row) for row in db.execute(text(lateness))]
    assert dated == [("Ada", True), ("Ann", True), ("owner", False)]


# -- people and cases ----------------------------------------------------------------------------


def test_only_an_admin_manages_people(team):
    add = "INSERT INTO coder (name, role) VALUES ('Eve', 'admin')"
    promote = "UPDATE coder SET role = 'admin' WHERE name = %s"
    for person in ("Ann", "Sue", "Tia"):
        _refused(team, person, add)
        _refused(team, person, promote, person)
    _refused(team, "Sue", "DELETE FROM coder WHERE name = 'Ann'")
    with team.as_person("Ada") as conn:
        assert _count(conn, add) == 1
        assert _count(conn, promote, "Sue") == 1
        assert _count(conn, "DELETE FROM coder WHERE name = 'Eve'") == 1


def test_a_therapist_reads_only_the_cases_shared_with_them_or_with_nobody(team, owner):
    toms = add_clip(owner, "FAM-TOM")
    _, tom_events, _ = add_run(owner, toms, "Tom", blind=False, status=IN_PROGRESS, scheme="vig")
    open_clip = add_clip(owner, "FAM-OPEN")

    def cases(conn: psycopg.Connection) -> set[str]:
        return {row[0] for row in conn.execute('SELECT code FROM "case"')}

    with team.as_person("Tia") as conn:
        assert cases(conn) == {"FAM-OPEN"}
        assert _seen(conn, "clip", [toms, open_clip]) == {open_clip}
        sessions = conn.execute(
            'SELECT s.id FROM session s JOIN "case" c ON c.id = s.case_id'
        ).fetchall()
        assert len(sessions) == 1
        assert _seen(conn, "annotation", tom_events) == set()
        runs = conn.execute("SELECT id FROM coding_run WHERE clip_id = %s", [toms]).fetchall()
        assert runs == []
    with team.as_person("Tom") as conn:
        assert cases(conn) == {"FAM-OPEN", "FAM-TOM"}
        assert _seen(conn, "annotation", tom_events) == set(tom_events)
    for person in ("Ann", "Sue"):  # not therapists: every case
        with team.as_person(person) as conn:
            assert {"FAM-OPEN", "FAM-TOM"} <= cases(conn)


def test_a_therapist_claims_an_unshared_case_and_shares_only_their_own(team, owner):
    case = add_case(owner, "FAM-NEW")
    ids = _ids(owner)
    member = "INSERT INTO case_member (case_id, coder_id) VALUES (%s, %s)"
    _refused(team, "Tia", member, case, ids["Tom"])  # giving a case to someone else
    with team.as_person("Tia") as conn:
        assert _count(conn, member, case, ids["Tia"]) == 1  # claiming it
        assert _count(conn, member, case, ids["Tom"]) == 1  # then sharing it
    tom_case = _scalar(owner, """SELECT id FROM "case" WHERE code = 'FAM-TOM'""")
    _refused(team, "Tia", member, tom_case, ids["Tia"])  # Tom's case: not hers to join
    _refused(team, "Ann", member, case, ids["Ann"])  # a coder: no cases to share


def test_a_login_that_is_none_of_the_people_sees_and_adds_nothing(team, owner):
    blind_clip(owner, SUBMITTED, SUBMITTED)
    stray = f"stray_{team.database[-8:]}"
    team.strays.append(stray)
    with team.as_login(team.owner_login) as conn:  # even in the group with every grant
        conn.execute(f'CREATE ROLE "{stray}" LOGIN IN ROLE vfa_admin')
        conn.commit()
    with team.as_login(stray) as conn:
        for table in ("annotation", "rating", "coding_run", '"case"', "clip", "coder", "scheme"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    for sql in (
        """INSERT INTO "case" (code, created_at) VALUES ('FAM-STRAY', now())""",
        "INSERT INTO coder (name, role) VALUES ('Stray', 'admin')",
        "INSERT INTO scheme (scheme_key, version, content_hash, name, content) "
        "VALUES ('s', '1', 'h', 'S', '{}')",
        "INSERT INTO audit_entry (at, actor, action, entity, detail) "
        "VALUES (now(), NULL, 'x', 'y', '{}')",
        'INSERT INTO reliability_criterion (scheme_key, statistic, threshold, "window", '
        "updated_at) VALUES ('kips', 'icc', 0.7, 5, now())",
        "INSERT INTO workspace_info (key, value) VALUES ('written_by', 'x')",
    ):
        _refused(team, stray, sql, match="row-level security")
    with team.as_person("Ann") as conn:  # who is one of the people sees them
        assert conn.execute("SELECT count(*) FROM annotation").fetchone() != (0,)
