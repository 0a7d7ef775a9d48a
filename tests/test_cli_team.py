"""``vfa team``: setting up a team workspace on PostgreSQL and adding people's logins, and
who a person is on it: their login, not ``--as``. Refusals exit 2 with ``vfa: …``."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import create_engine, make_url, select

from tests.storage.team_world import Team, drop_team, make_team
from vfa.cli import main
from vfa.storage.models import Coder
from vfa.storage.workspace import open_workspace


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse refusals
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv: str) -> str:
    """The command exits 2 with one ``vfa: …`` message and no traceback; the message."""
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert err.startswith("vfa: ") and "Traceback" not in err, err
    return err


@pytest.fixture(scope="module")
def team(pg_url: str):
    made = make_team(pg_url, {"Ada": "admin", "Ann": "coder"})
    yield made
    drop_team(pg_url, made)


def _people(team: Team) -> dict[str, str | None]:
    ws = team.owner()
    try:
        with ws.sessions() as db:
            return {name: login for name, login in db.execute(select(Coder.name, Coder.login))}
    finally:
        ws.close()


def _role_exists(team: Team, login: str) -> bool:
    engine = create_engine(team.url)
    try:
        with engine.connect() as conn:
            sql = "SELECT 1 FROM pg_roles WHERE rolname = %(login)s"
            return conn.exec_driver_sql(sql, {"login": login}).first() is not None
    finally:
        engine.dispose()


def test_team_init_sets_up_a_database_and_can_run_again(capsys, pg_database, isolated_user):
    code, out, err = run(capsys, "team", "init", pg_database)
    assert code == 0, err
    assert "vfa_coder" in out and "vfa team add" in out
    code, out, err = run(capsys, "--json", "--workspace", pg_database, "team", "init")
    assert code == 0, err
    again = json.loads(out)
    assert again["groups"] == ["vfa_admin", "vfa_supervisor", "vfa_coder", "vfa_therapist"]
    assert again["name"] == make_url(pg_database).database  # the database's name
    ws = open_workspace(pg_database)
    try:
        assert ws.team and ws.person is None  # the owner: the server's administrator
    finally:
        ws.close()


def test_team_commands_refuse_a_workspace_file(capsys, tmp_path, isolated_user):
    path = tmp_path / "w.vfa"
    assert run(capsys, "workspace", "new", str(path))[0] == 0
    assert "PostgreSQL" in refused(capsys, "team", "init", str(path))
    err = refused(capsys, "team", "add", "Eve", "--role", "coder", "--workspace", str(path))
    assert "no logins" in err
    assert "no logins" in refused(capsys, "--workspace", str(path), "team", "list")
    assert "give the PostgreSQL URL" in refused(capsys, "team", "init")


def test_team_add_makes_a_login_that_connects_and_the_person_with_it(capsys, team, isolated_user):
    login = f"eve_{uuid.uuid4().hex[:6]}"
    team.strays.append(login)
    code, out, err = run(
        capsys, "team", "add", "Eve", "--role", "coder", "--login", login,
        "--workspace", team.url, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {"name": "Eve", "role": "coder", "login": login, "can_log_in": True}
    assert _people(team)["Eve"] == login
    with team.as_login(login) as conn:  # no password: the server's usual means
        assert conn.execute("SELECT vfa_my_name()").fetchone() == ("Eve",)
    # options before the subcommand; the login from the name when none is given
    stem = f"Fay Q{uuid.uuid4().hex[:6]}"
    made = stem.lower().replace(" ", "_")
    team.strays.append(made)
    code, out, err = run(capsys, "--workspace", team.url, "team", "add", stem, "--role", "admin")
    assert code == 0, err
    assert f"logs in as {made}" in out and "no password" in out
    code, out, err = run(capsys, "team", "list", "--workspace", team.url, "--json")
    assert code == 0, err
    listed = {row["name"]: row for row in json.loads(out)}
    assert listed["Eve"]["login"] == login and listed["Eve"]["can_log_in"]
    assert listed[stem]["role"] == "admin"


@pytest.mark.parametrize(
    ("name", "login", "says"),
    [
        ("Eve", "Eve!", "lowercase letters"),
        ("Eve", "pg_eve", "the server's own"),
        ("Eve", "vfa_coder", "reserved"),
        ("Eve", "x" * 64, "at most 63"),
        ("Élise", None, "lowercase letters"),  # the login made from the name
        ("", "eve", "give a name"),
    ],
)
def test_team_add_refuses_what_cannot_be_a_person_or_a_login(
    capsys, team, isolated_user, name, login, says
):
    before = _people(team)
    argv = ["team", "add", name, "--role", "coder", "--workspace", team.url]
    argv += ["--login", login] if login is not None else []
    assert says in refused(capsys, *argv)
    assert _people(team) == before
    if login is not None and login != "vfa_coder":
        assert not _role_exists(team, login)


def test_team_add_refuses_an_unknown_role_and_storing_nothing(capsys, team, isolated_user):
    login = f"gus_{uuid.uuid4().hex[:6]}"
    err = refused(
        capsys, "team", "add", "Gus", "--role", "boss", "--login", login, "--workspace", team.url
    )
    assert "role boss" in err and "coder" in err
    assert "Gus" not in _people(team) and not _role_exists(team, login)


def test_a_coder_cannot_add_people_and_nothing_is_made(capsys, team, isolated_user):
    login = f"hal_{uuid.uuid4().hex[:6]}"
    err = refused(
        capsys, "team", "add", "Hal", "--role", "admin", "--login", login,
        "--workspace", team.url_of("Ann"),
    )  # fmt: skip
    assert "Ann is a coder" in err and "admin" in err
    assert "Hal" not in _people(team) and not _role_exists(team, login)


def test_on_a_team_workspace_you_are_your_login_and_as_someone_else_is_refused(
    capsys, team, isolated_user
):
    ann = team.url_of("Ann")
    code, out, err = run(capsys, "--as", "Ann", "workspace", "info", "--workspace", ann)
    assert code == 0 and "schema" in out, err
    for argv in (
        ["--as", "Ada", "workspace", "info", "--workspace", ann],
        ["workspace", "info", "--workspace", ann, "--as", "Ada"],
    ):
        err = refused(capsys, *argv)
        assert "--as Ada" in err and team.logins["Ann"] in err and "Ann" in err


def test_a_login_that_is_none_of_the_people_is_told_what_to_ask_for(capsys, team, isolated_user):
    stray = f"ivy_{uuid.uuid4().hex[:6]}"
    team.strays.append(stray)
    with team.as_login(team.owner_login) as conn:
        conn.execute(f'CREATE ROLE "{stray}" LOGIN')
        conn.commit()
    err = refused(capsys, "workspace", "info", "--workspace", team.login_url(stray))
    assert f"you are connected as {stray}, who is not one of this workspace's people" in err
    assert f"vfa team add NAME --role ROLE --login {stray}" in err


def test_a_server_that_cannot_be_reached_or_refuses_the_login_is_named_without_password(
    capsys, team, isolated_user, tmp_path
):
    nowhere = make_url(team.url).set(
        username="ann", password="s3cret", query={"host": str(tmp_path / "no-server"), "port": "1"}
    )
    url = nowhere.render_as_string(hide_password=False)
    err = refused(capsys, "workspace", "info", "--workspace", url)
    assert "s3cret" not in err and "cannot be reached" in err
    assert nowhere.render_as_string(hide_password=True) in err
    unknown = team.login_url(f"nobody_{uuid.uuid4().hex[:6]}")
    err = refused(capsys, "team", "list", "--workspace", unknown)
    assert "the server has no login nobody_" in err and "vfa team add" in err


def test_a_login_that_may_not_log_in_is_told_so_not_that_the_server_is_unreachable(
    capsys, team, isolated_user
):
    barred = f"nologin_{uuid.uuid4().hex[:6]}"
    team.strays.append(barred)
    with team.as_login(team.owner_login) as conn:
        conn.execute(f'CREATE ROLE "{barred}" NOLOGIN')
        conn.commit()
    for argv in (("workspace", "info"), ("team", "list")):
        err = refused(capsys, *argv, "--workspace", team.login_url(barred))
        assert f"the server has the login {barred}, but it may not log in" in err
        assert "cannot be reached" not in err


def test_team_list_shows_who_has_no_login_one_that_may_not_log_in_or_one_gone(
    capsys, team, isolated_user
):
    tag = uuid.uuid4().hex[:6]
    barred, gone = f"barred_{tag}", f"gone_{tag}"
    team.strays += [barred, gone]
    with team.as_login(team.owner_login) as conn:
        conn.execute(f'CREATE ROLE "{barred}" NOLOGIN')
        conn.commit()
    ada = team.url_of("Ada")  # the admin: a person without a login, and two with one
    assert run(capsys, "people", "add", f"Vic {tag}", "--role", "coder", "--workspace", ada)[0] == 0
    for name, login in ((f"Nol {tag}", barred), (f"Gil {tag}", gone)):
        argv = ("team", "add", name, "--role", "coder", "--login", login, "--workspace", ada)
        code, out, _ = run(capsys, *argv)
        assert code == 0
        says_barred = f"has the login {login}, but the server does not let it log in" in out
        assert says_barred == (login == barred) and ("logs in as" in out) == (login == gone)
    with team.as_login(team.owner_login) as conn:
        conn.execute(f'DROP ROLE "{gone}"')
        conn.commit()
    code, out, _ = run(capsys, "--workspace", team.url_of("Ada"), "team", "list")
    assert code == 0
    assert f"Vic {tag}  coder  no login" in out
    assert f"Nol {tag}  coder  login {barred} (may not log in)" in out
    assert f"Gil {tag}  coder  login {gone} (missing on the server)" in out
    code, out, _ = run(capsys, "team", "list", "--json", "--workspace", team.url_of("Ada"))
    listed = {row["name"]: row for row in json.loads(out)}
    assert listed[f"Vic {tag}"]["login"] is None
    nol = listed[f"Nol {tag}"]
    assert (nol["login_exists"], nol["can_log_in"]) == (True, False)
    assert listed[f"Gil {tag}"]["login_exists"] is False


def test_people_connect_to_a_database_closed_to_everyone_else_once_team_init_ran(
    capsys, team, isolated_user
):
    stray = f"outsider_{uuid.uuid4().hex[:6]}"
    team.strays.append(stray)
    with team.as_login(team.owner_login) as conn:
        conn.autocommit = True
        conn.execute(f'CREATE ROLE "{stray}" LOGIN')
        conn.execute(f'REVOKE CONNECT ON DATABASE "{team.database}" FROM PUBLIC')
    try:
        assert run(capsys, "team", "init", team.url)[0] == 0
        code, out, err = run(capsys, "team", "list", "--workspace", team.url_of("Ann"))
        assert code == 0 and "Ann  coder" in out, err
        err = refused(capsys, "workspace", "info", "--workspace", team.login_url(stray))
        assert f"{stray} may not connect to this database" in err  # none of the people
    finally:
        with team.as_login(team.owner_login) as conn:
            conn.autocommit = True
            conn.execute(f'GRANT CONNECT ON DATABASE "{team.database}" TO PUBLIC')


def test_the_login_is_a_plain_one_without_a_password_or_powers_over_the_server(team):
    with team.as_login(team.owner_login) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolcanlogin, "
            "rolpassword IS NULL FROM pg_authid WHERE rolname = %s",
            [team.logins["Ann"]],
        ).fetchone()
    assert row == (False, False, False, False, True, True)
    assert _groups(team, team.logins["Ann"]) == ["vfa_coder"]  # her role's group only


def test_an_admin_adds_people_with_her_own_login_and_their_role_moves_their_login(
    capsys, team, isolated_user
):
    from vfa.services.people import set_role

    login = f"gil_{uuid.uuid4().hex[:6]}"
    team.strays.append(login)
    ada = team.url_of("Ada")  # an admin, not the server's administrator
    code, _, err = run(
        capsys, "team", "add", "Gil", "--role", "coder", "--login", login, "--workspace", ada
    )
    assert code == 0, err
    assert _groups(team, login) == ["vfa_coder"]
    ws = open_workspace(ada)
    try:
        set_role(ws, "Gil", "supervisor")
    finally:
        ws.close()
    assert _groups(team, login) == ["vfa_supervisor"]  # and no longer a coder's


def test_team_init_by_a_login_that_does_not_own_the_database_is_refused(
    capsys, team, isolated_user
):
    err = refused(capsys, "team", "init", team.url_of("Ada"))
    assert "database's owner" in err and "CREATEROLE" in err


def _groups(team: Team, login: str) -> list[str]:
    with team.as_login(team.owner_login) as conn:
        rows = conn.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = %s ORDER BY 1",
            [login],
        ).fetchall()
    return [row[0] for row in rows]
