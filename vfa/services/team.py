"""People on a team workspace: each with a login of their own on the PostgreSQL server.

``add_person_login`` makes the login (no password: people log in by libpq's usual means)
and the person's row in one transaction, so neither is left without the other; the
server makes the login a member of the person's role's group (``vfa.storage.team``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from vfa.errors import InvalidInputError
from vfa.services.people import Act, Person, _check_name, _role, put_person, require
from vfa.storage.logins import check_login_name, default_login
from vfa.storage.workspace import Workspace, open_workspace


@dataclass(frozen=True)
class TeamMember:
    """One of a team workspace's people and the state of their login on the server."""

    name: str
    role: str
    login: str | None
    login_exists: bool  # the server has the login
    can_log_in: bool  # ... and it may log in


def require_team(ws: Workspace) -> None:
    """Refuse a workspace that is not a team workspace (a file, or init never ran)."""
    if ws.engine.dialect.name != "postgresql":
        raise InvalidInputError(
            f"{ws.label}: a workspace file has no logins (roles there are advisory); a team "
            "workspace is a PostgreSQL database set up with `vfa team init URL`"
        )
    if not ws.team:
        raise InvalidInputError(
            f"{ws.label}: not set up as a team workspace yet: run `vfa team init URL` "
            "connected as the database's owner"
        )


def add_person_login(
    target: Workspace | str, name: str, role: str, login: str | None = None
) -> Person:
    """Add a person with a login of their own (made when the server has none), or give an
    existing person the login and role; an admin's act (or the server administrator's)."""
    if isinstance(target, str):
        ws = open_workspace(target)
        try:
            return add_person_login(ws, name, role, login)
        finally:
            ws.close()
    ws = target
    name = _check_name(name)
    chosen = _role(role)
    login = check_login_name(login if login is not None else default_login(name))
    require_team(ws)
    actor = ws.person or ws.login or "server administrator"
    with ws.writes.begin() as db:
        if ws.person is not None:  # one of the people: their role must allow it
            require(db, Act.MANAGE_PEOPLE, ws.person)
        # a refusal below rolls the login's CREATE ROLE back with the rest
        created = bool(db.scalar(text("SELECT vfa_create_login(:login)"), {"login": login}))
        return put_person(db, name, chosen, login, actor=actor, noted={"login_created": created})


def team_people(ws: Workspace) -> list[TeamMember]:
    """Every person, by name, with whether their login exists on the server and may log in."""
    require_team(ws)
    with ws.sessions() as db:
        rows = db.execute(
            text(
                "SELECT c.name, c.role, c.login, r.rolname IS NOT NULL, "
                "COALESCE(r.rolcanlogin, false) "
                "FROM coder c LEFT JOIN pg_roles r ON r.rolname = c.login ORDER BY c.name"
            )
        ).all()
    return [TeamMember(n, str(r), lg, bool(e), bool(c)) for n, r, lg, e, c in rows]
