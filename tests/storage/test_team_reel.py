"""A visit's reel on a team workspace is the visit's: a therapist who sees the visit
puts it in order, another therapist's moments included, while what each moment says and
whether it is in the reel stay its own coder's, as the services have it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy import select

from tests.storage.team_world import Team, add_case, add_clip, add_run, drop_team, make_team
from vfa.services import moments
from vfa.storage.models import CaseMember, Clip, Coder, Moment, RunStatus
from vfa.storage.workspace import open_workspace


@dataclass
class Visit:
    case: int
    session: int
    tia: list[int]  # her moments
    tom: list[int]  # his


@pytest.fixture(scope="module")
def team(pg_url: str):
    made = make_team(pg_url)
    yield made
    drop_team(pg_url, made)


@pytest.fixture
def visit(team: Team) -> Visit:
    """A visit open to every therapist (a case of its own) with Tia's two moments and
    Tom's two in its reel, in places 1 to 4."""
    code = f"FAM-{uuid.uuid4().hex[:8]}"
    ws = team.owner()
    try:
        case = add_case(ws, code)
        clip = add_clip(ws, code)
        mine = {}
        for person in ("Tia", "Tom"):
            _, events, _ = add_run(
                ws, clip, person, blind=False, status=RunStatus.IN_PROGRESS, scheme="vig",
                content=person, moments=True,
            )  # fmt: skip
            mine[person] = list(events)
        with ws.writes.begin() as db:
            for place, moment in enumerate(mine["Tia"] + mine["Tom"], start=1):
                row = db.get_one(Moment, moment)
                row.feedback, row.reel_position = True, place
            session = db.get_one(Clip, clip).session_id
        return Visit(case, session, mine["Tia"], mine["Tom"])
    finally:
        ws.close()


def _places(team: Team) -> dict[int, int | None]:
    ws = team.owner()
    try:
        with ws.sessions() as db:
            return dict(db.execute(select(Moment.annotation_id, Moment.reel_position)).all())
    finally:
        ws.close()


def _refused(conn: psycopg.Connection, sql: str, *params: object) -> None:
    with pytest.raises(pg.InsufficientPrivilege):
        conn.execute(sql, list(params))
    conn.rollback()


def test_a_therapist_orders_a_reel_holding_another_therapists_moments(team, visit):
    session, tia, tom = visit.session, visit.tia, visit.tom
    order = [tom[1], tia[0], tom[0], tia[1]]
    ws = open_workspace(team.url_of("Tom"))
    try:
        moments.reorder_reel(ws, session, order)
        assert [m.id for m in moments.reel(ws, session)] == order
    finally:
        ws.close()
    places = _places(team)
    assert [places[m] for m in order] == [1, 2, 3, 4]


def test_others_may_move_a_moment_in_the_reel_and_nothing_else(team, visit):
    tia = visit.tia
    move = "UPDATE moment SET reel_position = 9 WHERE annotation_id = %s"
    with team.as_person("Tom") as conn:
        _refused(conn, "UPDATE moment SET reel_position = NULL WHERE annotation_id = %s", tia[0])
        _refused(conn, "UPDATE moment SET feedback = false WHERE annotation_id = %s", tia[0])
        _refused(
            conn,
            "UPDATE moment SET comment = 'x', reel_position = 5 WHERE annotation_id = %s",
            tia[0],
        )
        _refused(conn, "UPDATE moment SET key_ms = 0 WHERE annotation_id = %s", tia[1])
        assert conn.execute(move, [tia[0]]).rowcount == 1
        conn.commit()
    for person in ("Ann", "Ben"):  # coders build no reel
        with team.as_person(person) as conn:
            _refused(conn, move, tia[1])
    with team.as_person("Tia") as conn:  # her own moment: anything
        sql = "UPDATE moment SET reel_position = NULL, feedback = false WHERE annotation_id = %s"
        assert conn.execute(sql, [tia[1]]).rowcount == 1
        conn.commit()
    places = _places(team)
    assert (places[tia[0]], places[tia[1]]) == (9, None)


def test_a_therapist_moves_nothing_in_a_visit_shared_with_others_only(team, visit):
    ws = team.owner()
    try:
        with ws.writes.begin() as db:  # the case now shared with Tia alone
            tia_id = db.scalars(select(Coder.id).where(Coder.name == "Tia")).one()
            db.add(CaseMember(case_id=visit.case, coder_id=tia_id))
    finally:
        ws.close()
    with team.as_person("Tom") as conn:
        move = "UPDATE moment SET reel_position = 7 WHERE annotation_id = %s"
        assert conn.execute(move, [visit.tia[0]]).rowcount == 0  # not his to see
    assert _places(team)[visit.tia[0]] == 1
