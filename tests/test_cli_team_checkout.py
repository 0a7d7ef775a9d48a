"""``vfa checkout`` on a team workspace, connected as the coder: the person taking the
clips away is the login, not the name of the computer's user, and ``--as`` someone else is
refused (exit 2, ``vfa: …``) with nothing written."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import make_url, select

from tests.services.laptop_team import drop_logins
from tests.storage.team_world import Team, add_case, add_clip, add_run
from tests.test_cli_surface import refused, run
from vfa.storage.models import Annotation, AuditEntry, Clip, Coder, CodingRun, RunStatus
from vfa.storage.workspace import open_workspace


@pytest.fixture
def team(capsys, pg_database, isolated_user):
    """A team made as the documented steps make it (`vfa team init`, `vfa team add`): Ada
    the admin, Ben and Ann coders; Ben has an open run on one clip, Ann on another."""
    made = Team(pg_database, str(make_url(pg_database).database))
    suffix = uuid.uuid4().hex[:8]
    code, _, err = run(capsys, "team", "init", pg_database)
    assert code == 0, err
    try:
        for name, role in (("Ada", "admin"), ("Ben", "coder"), ("Ann", "coder")):
            login = f"{name.lower()}_{suffix}"
            made.logins[name] = login
            code, _, err = run(
                capsys, "team", "add", name, "--role", role, "--login", login,
                "--workspace", pg_database,
            )  # fmt: skip
            assert code == 0, err
        ws = made.owner()
        try:
            add_case(ws, "FAM-7")
            for person in ("Ben", "Ann"):
                clip = add_clip(ws, "FAM-7")
                add_run(ws, clip, person, blind=True, status=RunStatus.IN_PROGRESS, content=person)
        finally:
            ws.close()
        yield made
    finally:
        drop_logins(made)


def _taken(path) -> tuple[list[str], list[str], list[str]]:
    """The people, clip paths and event captions a checkout file holds."""
    ws = open_workspace(path)
    try:
        with ws.sessions() as db:
            people = list(db.scalars(select(Coder.name)))
            clips = list(db.scalars(select(Clip.path)))
            captions = list(db.scalars(select(Annotation.caption).join(CodingRun)))
            return people, clips, sorted(c or "" for c in captions)
    finally:
        ws.close()


def _checkouts(team: Team) -> list[tuple[str | None, str]]:
    """The team's checkout entries: who took clips, for whom."""
    ws = team.owner()
    try:
        with ws.sessions() as db:
            rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "checkout"))
            return [(e.actor, e.detail["coder"]) for e in rows]
    finally:
        ws.close()


def test_a_coder_connected_as_themselves_checks_out_their_clips(capsys, team, tmp_path):
    ben = team.url_of("Ben")
    laptop = tmp_path / "laptop.vfa"
    code, out, err = run(capsys, "checkout", ben, "--coder", "Ben", "-o", laptop)
    assert code == 0, err
    assert out.startswith("Ben's 1 clip(s) and 1 run(s) from ") and str(laptop) in out
    people, clips, captions = _taken(laptop)
    assert people == ["Ben"] and len(clips) == 1
    assert captions == ["Benevent 1000", "Benevent 4000"]  # his coding, none of Ann's
    # the options before the command, the workspace given by --workspace
    again = tmp_path / "again.vfa"
    code, _, err = run(capsys, "--workspace", ben, "checkout", "--coder", "Ben", "-o", again)
    assert code == 0, err
    assert _taken(again) == (people, clips, captions)
    assert _checkouts(team) == [("Ben", "Ben"), ("Ben", "Ben")]  # the login took them


def test_on_a_team_workspace_a_checkout_as_someone_else_is_refused(capsys, team, tmp_path):
    ben = team.url_of("Ben")
    out = tmp_path / "laptop.vfa"
    for argv in (
        ["--as", "Ada", "checkout", ben, "--coder", "Ben", "-o", out],
        ["checkout", "--coder", "Ben", "-o", out, "--workspace", ben, "--as", "Ada"],
    ):
        err = refused(capsys, *argv)
        assert "--as Ada" in err and team.logins["Ben"] in err and "Ben" in err
        assert not out.exists()
    # his own role still holds: a coder does not take someone else's clips away
    err = refused(capsys, "checkout", ben, "--coder", "Ann", "-o", out)
    assert "Ben is a coder" in err and "assign" in err
    assert not out.exists() and _checkouts(team) == []


def test_an_admins_checkout_of_blind_coding_the_server_hides_from_them_is_refused(
    capsys, team, tmp_path
):
    out = tmp_path / "laptop.vfa"
    err = refused(
        capsys, "--workspace", team.url_of("Ada"), "checkout", "--coder", "Ben", "-o", out
    )
    assert "Ben's blind coding of 1 clip(s)" in err and "hides it from Ada" in err
    assert "Ben checks out their own clips, connected as themselves" in err
    assert not out.exists() and _checkouts(team) == []
